/**
 * Day two, as a library (`pulumi-azure-vm-backup/operations`): what a platform team asks of its backups once they are
 * declared: are we backed up (status), can we get it back (restore, file recovery). Built on the real SDK clients of
 * src/azure; no Pulumi, so that scripts and the `azure-vm-backup` command use it without a program.
 */
export { restoreVm, RestoreInputError, type RestoreArgs, type RestoreOptions, type RestoreProgress, type RestoreResult } from "./restore";
