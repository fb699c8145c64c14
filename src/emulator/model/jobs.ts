/**
 * Backup jobs on the emulated clock: a job is recorded when it starts; a Backup job takes its snapshot
 * (the recovery point appears in the snapshot tier) and then transfers it to the vault
 * (https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md),
 * timed by the VM's used data and Microsoft's throughput figures
 * (https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md);
 * it fails when its item or VM is gone.
 */
import { randomUUID } from "node:crypto";
import { DAY, MINUTE } from "../clock";
import type { ItemRecord, JobOperation, JobRecord, VaultRecord, VmFixture } from "../state";
import type { Model } from "./index";
import { backupCanReadEncryptionKeys, KEY_VAULT_PERMISSIONS_ERROR } from "../arm/key-vaults";

/** Best-case throughput per disk, disks in parallel, at most 60 MB/s per blob (https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md). */
const INITIAL_MBPS = 160;
const INCREMENTAL_MBPS = 640;
const BLOB_MBPS = 60 * 8;
const BYTES_PER_GB = 2 ** 30;

/** Docs: "If not specified, it's assumed to be 30 days from the day of the trigger" (REST API reference of Backups - Trigger; closest confirmed source: IaasVMBackupRequest in https://github.com/Azure/azure-rest-api-specs/blob/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/bms.json). */
export const DEFAULT_RETAIN_DAYS = 30;

export function newJob(
  vault: VaultRecord,
  operation: JobOperation,
  friendlyName: string,
  itemKey: string | undefined,
  isUserTriggered: boolean,
  startTime: number,
): JobRecord {
  const job: JobRecord = {
    id: randomUUID(),
    operation,
    status: "InProgress",
    startTime,
    friendlyName,
    isUserTriggered,
    ...(itemKey === undefined ? {} : { itemKey }),
  };
  vault.jobs.push(job);
  return job;
}

/** Starts a Backup job: snapshot first, then transfer to the vault (DOCS.stackV2Upgrade), timed by the VM's used data (DOCS.vmBackupPlanning2018). */
export function startBackup(model: Model, vault: VaultRecord, item: ItemRecord, retainUntil: number, userTriggered: boolean): JobRecord {
  const job = newJob(vault, "Backup", item.friendlyName, item.key, userTriggered, model.now());
  const vm = model.vm(item.vmId);
  const first = item.recoveryPoints.length === 0;
  job.snapshotAt = job.startTime + model.options.snapshotMinutes * MINUTE;
  const share = first ? 1 : model.options.incrementalChangePercent / 100;
  job.transferAt = job.snapshotAt + transferMs(vm, item, share, first ? INITIAL_MBPS : INCREMENTAL_MBPS);
  job.retainUntil = retainUntil;
  // The first backup sends all the used data of the backed-up disks; later ones only what changed ("For each disk
  // that's being backed up, Azure Backup reads the blocks on the disk and stores only the changed data (incremental
  // backup)": DOCS.vmBackupPlanning2018). emulator: a disk without `usedGb` counts as full.
  job.backupSizeMb = Math.round(backedUpDisks(vm, item).reduce((sum, disk) => sum + (disk.usedGb ?? disk.sizeGb) * share, 0) * 1024);
  return job;
}

/** Brings a Backup job up to `now`; whether anything changed. */
export function advanceJob(model: Model, vault: VaultRecord, job: JobRecord, now: number): boolean {
  if (job.operation !== "Backup" || job.status !== "InProgress") return false;
  const item = vault.items.find((i) => i.key === job.itemKey);
  if (item === undefined) {
    job.status = "Failed";
    job.endTime = now;
    job.error = { code: "BMSUserErrorObjectNotFound", message: "The backup item was deleted while the backup ran." };
    return true;
  }
  if (model.vm(item.vmId) === undefined) {
    // Backup of a deleted VM (job errorDetails in https://github.com/MicrosoftDocs/azure-docs/blob/0819162b1c58a137cff387b5058f7b3e692f35d9/articles/backup/backup-azure-vms-troubleshoot.md:
    // "Virtual machine doesn't exist. - Make sure the virtual machine exists, or select a different virtual machine.",
    // the error and its recommendation as the portal joins them).
    job.status = "Failed";
    job.endTime = now;
    job.error = {
      code: "BCMV2VMNotFound",
      message: "The virtual machine doesn't exist",
      recommendations: ["Make sure the virtual machine exists, or select a different virtual machine."],
    };
    item.lastBackupStatus = "Failed";
    return true;
  }
  let changed = false;
  const vm = model.vm(item.vmId);
  if (
    vm?.diskEncryption !== undefined &&
    job.snapshotAt !== undefined &&
    now >= job.snapshotAt &&
    job.recoveryPointName === undefined &&
    !backupCanReadEncryptionKeys(model, vm.diskEncryption)
  ) {
    // An ADE-encrypted VM whose Key Vault Backup cannot read: the backup job fails (arm/key-vaults.ts cites the code),
    // when the service goes for the keys with the snapshot; protection itself was configured.
    job.status = "Failed";
    job.endTime = job.snapshotAt;
    job.error = { ...KEY_VAULT_PERMISSIONS_ERROR };
    item.lastBackupStatus = "Failed";
    return true;
  }
  if (job.snapshotAt !== undefined && now >= job.snapshotAt && job.recoveryPointName === undefined) {
    const snapshotDays = instantRestoreDays(vault, item);
    // Recovery point names are numeric strings (examples/AzureIaasVm/RecoveryPoints_List.json in https://github.com/Azure/azure-rest-api-specs/tree/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01).
    job.recoveryPointName = `${job.snapshotAt}${String(item.recoveryPoints.length).padStart(3, "0")}`;
    item.recoveryPoints.push({
      name: job.recoveryPointName,
      time: job.snapshotAt,
      consistency: consistencyOf(model.vm(item.vmId)),
      snapshotUntil: job.snapshotAt + snapshotDays * DAY,
      inVaultAt: job.transferAt ?? job.snapshotAt,
      ...(job.retainUntil === undefined ? {} : { expiresAt: job.retainUntil }),
      ...(vm?.diskEncryption === undefined ? {} : { encrypted: true }),
      // What a restore of this point brings back (model/restore.ts): the VM as it is now.
      ...(vm === undefined ? {} : { vm: JSON.parse(JSON.stringify(vm)) as VmFixture }),
    });
    changed = true;
  }
  if (job.transferAt !== undefined && now >= job.transferAt) {
    job.status = "Completed";
    job.endTime = job.transferAt;
    item.lastBackupStatus = "Completed";
    item.lastBackupTime = job.snapshotAt ?? job.startTime;
    if (item.protectionState === "IRPending") item.protectionState = "Protected";
    changed = true;
  }
  return changed;
}

function instantRestoreDays(vault: VaultRecord, item: ItemRecord): number {
  const policy = vault.policies.find((p) => p.name.toLowerCase() === item.policyName?.toLowerCase());
  const days = policy?.properties.instantRpRetentionRangeInDays;
  return typeof days === "number" ? days : 2;
}

/** Windows gets app-consistent points (VSS), Linux file-consistent ones; a stopped VM crash-consistent ones (DOCS.vmBackupPlanning2018, "Data consistency"). */
function consistencyOf(vm: VmFixture | undefined): "AppConsistent" | "FileSystemConsistent" | "CrashConsistent" {
  if (vm?.powerState === "deallocated") return "CrashConsistent";
  return vm?.osType === "Linux" ? "FileSystemConsistent" : "AppConsistent";
}

/** The VM's disks the item backs up: the OS disk, and the data disks its disk exclusion keeps. */
function backedUpDisks(vm: VmFixture | undefined, item: ItemRecord): Array<{ sizeGb: number; usedGb?: number }> {
  if (vm === undefined) return [];
  const disks = [{ lun: undefined as number | undefined, ...vm.osDisk }, ...(vm.dataDisks ?? [])];
  return disks.filter((disk) => {
    if (disk.lun === undefined || item.diskExclusion === undefined) return true;
    return item.diskExclusion.isInclusionList === item.diskExclusion.diskLunList.includes(disk.lun);
  });
}

/** The slowest backed-up disk's transfer time, in ms: disks transfer in parallel (DOCS.vmBackupPlanning2018). */
function transferMs(vm: VmFixture | undefined, item: ItemRecord, share: number, mbps: number): number {
  const rate = Math.min(mbps, BLOB_MBPS) * 1e6;
  let slowest = 0;
  for (const disk of backedUpDisks(vm, item)) {
    const gb = (disk.usedGb ?? disk.sizeGb) * share;
    slowest = Math.max(slowest, ((gb * BYTES_PER_GB * 8) / rate) * 1000);
  }
  return Math.round(slowest);
}
