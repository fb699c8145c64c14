/**
 * Day two, as a library (`pulumi-azure-vm-backup/operations`): what a platform team asks of its backups once they are
 * declared: are we backed up (status), can we get it back (restore, file recovery). Built on the real SDK clients of
 * src/azure; no Pulumi, so that scripts and the `azure-vm-backup` command use it without a program.
 */
export {};
export { FileRecoveryError, mount, unmount, type FileRecoveryTarget, type MountOptions, type MountResult, type UnmountResult } from "./files";
export {
  getBackupStatus,
  vaultStatus,
  StatusError,
  JOB_STATUSES,
  type BackupStatusOptions,
  type BackupStatusReport,
  type VaultBackupStatus,
  type VmBackupStatus,
  type FailedJob,
  type LatestRecoveryPoint,
  type StatusFinding,
  type JobStatusName,
} from "./status";
export { restoreVm, RestoreInputError, type RestoreArgs, type RestoreOptions, type RestoreProgress, type RestoreResult } from "./restore";
