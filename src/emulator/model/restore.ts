/**
 * Restore jobs on the emulated clock. "A restore operation consists of two main tasks: copying data back from the
 * vault to the chosen storage account, and creating the virtual machine", its time made of a queue wait and a data
 * copy (seed 001, "Restore considerations": Microsoft's VM backup planning doc of 2018,
 * https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md).
 * A restore from the snapshot tier (instant restore) skips the copy from the vault: "snapshots will be retained ...
 * This allows the restore to be completed faster from these snapshots by reducing the time required to copy data back
 * from the vault" (seed 000: the stack V2 upgrade doc,
 * https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md).
 *
 * Figures: Microsoft publishes none for the queue wait, for a disk created from a snapshot or for creating the VM;
 * the emulator assumes RESTORE_QUEUE_MS, SNAPSHOT_RESTORE_MS and VM_CREATE_MS. The copy from the vault runs the
 * disks side by side, each at most 60 MB/s (the per-blob figure of the same planning doc), over the disk's used data.
 */
import { MINUTE } from "../clock";
import type { DiskRecord, ItemRecord, JobRecord, RecoveryPointRecord, RestoreRecord, VaultRecord, VmFixture } from "../state";
import type { Model } from "./index";
import { newJob } from "./jobs";

/** emulator assumption: the queue wait of seed 001 (no published figure). */
export const RESTORE_QUEUE_MS = 2 * MINUTE;
/** emulator assumption: managed disks created from the snapshot (instant restore: no copy from the vault). */
export const SNAPSHOT_RESTORE_MS = 3 * MINUTE;
/** emulator assumption: creating (or updating) the VM once its disks exist. */
export const VM_CREATE_MS = 3 * MINUTE;
/** At most 60 MB/s per blob (backup-azure-vms-introduction.md, 2018): the copy from the vault into the customer's storage. */
const BLOB_MBPS = 60 * 8;
const BYTES_PER_GB = 2 ** 30;

export interface RestoreRequest {
  recoveryType: RestoreRecord["recoveryType"];
  sourceTier: RestoreRecord["sourceTier"];
  storageAccountId?: string;
  targetResourceGroupId?: string;
  targetVirtualMachineId?: string;
  subnetId?: string;
  zones?: string[];
}

type SourceDisk = { lun?: number; name?: string; sizeGb: number; usedGb?: number; storageType?: string };

/** The disks a recovery point holds: those of the VM it was taken of (its copy in the point), else the VM today. */
export function disksOf(model: Model, item: ItemRecord, rp: RecoveryPointRecord): SourceDisk[] {
  const vm = rp.vm ?? model.vm(item.vmId);
  if (vm === undefined) return [];
  return [{ ...vm.osDisk }, ...(vm.dataDisks ?? [])];
}

/** Starts a Restore job (its phases timed as the module comment says); `failure` fails it at once (the service found the point unusable). */
export function startRestore(
  model: Model,
  vault: VaultRecord,
  item: ItemRecord,
  rp: RecoveryPointRecord,
  request: RestoreRequest,
  failure?: { code: string; message: string },
): JobRecord {
  const now = model.now();
  const job = newJob(vault, "Restore", item.friendlyName, item.key, true, now);
  const copyAt = now + RESTORE_QUEUE_MS;
  const copyMs = request.sourceTier === "Snapshot" ? SNAPSHOT_RESTORE_MS : vaultCopyMs(disksOf(model, item, rp));
  const copiedAt = copyAt + copyMs;
  const doneAt = copiedAt + (request.recoveryType === "RestoreDisks" ? 0 : VM_CREATE_MS);
  job.restore = { ...request, recoveryPointName: rp.name, recoveryPointTime: rp.time, copyAt, copiedAt, doneAt };
  if (failure !== undefined) {
    job.status = "Failed";
    job.endTime = now;
    job.error = failure;
  }
  return job;
}

function vaultCopyMs(disks: SourceDisk[]): number {
  const rate = BLOB_MBPS * 1e6;
  let slowest = 0;
  for (const disk of disks) slowest = Math.max(slowest, (((disk.usedGb ?? disk.sizeGb) * BYTES_PER_GB * 8) / rate) * 1000);
  return Math.round(slowest);
}

/** Brings a Restore job up to `now`: at its end it creates what it restores. Whether anything changed. */
export function advanceRestore(model: Model, vault: VaultRecord, job: JobRecord, now: number): boolean {
  const restore = job.restore;
  if (job.operation !== "Restore" || job.status !== "InProgress" || restore === undefined || now < restore.doneAt) return false;
  const item = vault.items.find((i) => i.key === job.itemKey);
  const rp = item?.recoveryPoints.find((p) => p.name === restore.recoveryPointName);
  job.endTime = restore.doneAt;
  if (item === undefined || rp === undefined) {
    job.status = "Failed";
    job.error = { code: "BMSUserErrorRecoveryPointNotFound", message: "The recovery point was deleted while the restore ran." };
    return true;
  }
  complete(model, vault, item, rp, restore);
  job.status = "Completed";
  return true;
}

function complete(model: Model, vault: VaultRecord, item: ItemRecord, rp: RecoveryPointRecord, restore: RestoreRecord): void {
  const source = rp.vm ?? model.vm(item.vmId);
  const sourceName = item.vmId.split("/").pop()!;
  const suffix = stamp(restore.doneAt);
  const original = restore.recoveryType === "OriginalLocation" ? model.vm(item.vmId) : undefined;
  // Where the disks go: the target resource group (managed disks), the VM's own group for a new VM or replaced disks.
  const group =
    restore.recoveryType === "AlternateLocation" && restore.targetVirtualMachineId !== undefined
      ? restore.targetVirtualMachineId.replace(/\/providers\/.*$/i, "")
      : restore.recoveryType === "OriginalLocation"
        ? item.vmId.replace(/\/providers\/.*$/i, "")
        : restore.targetResourceGroupId;
  const disks = model.state.disks ?? (model.state.disks = []);
  const created: string[] = [];
  const make = (disk: SourceDisk, label: string): string => {
    // emulator naming: Azure's names for restored disks are not established; `{vm}-{osdisk|datadisk-N}-{time}`.
    const name = `${sourceName}-${label}-${suffix}`;
    if (group === undefined) return name; // unmanaged: the disks land as blobs in the storage account
    const record: DiskRecord = {
      id: `${group}/providers/Microsoft.Compute/disks/${name}`,
      location: vault.location,
      sizeGb: disk.sizeGb,
      storageType: disk.storageType ?? "Premium_LRS",
      ...(label === "osdisk" && source?.osType !== undefined ? { osType: source.osType } : {}),
      ...(restore.zones === undefined ? {} : { zones: restore.zones }),
      createdAt: restore.doneAt,
    };
    disks.push(record);
    created.push(record.id);
    return name;
  };
  if (source === undefined) {
    restore.restoredDisks = created;
    return;
  }
  const osDisk = { ...source.osDisk, managed: true, name: make(source.osDisk, "osdisk") };
  const dataDisks = (source.dataDisks ?? []).map((d) => ({ ...d, managed: true, name: make(d, `datadisk-${d.lun}`) }));
  restore.restoredDisks = created;
  if (restore.recoveryType === "AlternateLocation" && restore.targetVirtualMachineId !== undefined) {
    const vm: VmFixture = {
      id: restore.targetVirtualMachineId,
      location: vault.location,
      ...(source.vmSize === undefined ? {} : { vmSize: source.vmSize }),
      ...(source.osType === undefined ? {} : { osType: source.osType }),
      ...(source.securityType === undefined ? {} : { securityType: source.securityType }),
      powerState: "running",
      osDisk,
      dataDisks,
      ...(restore.zones === undefined ? {} : { zones: restore.zones }),
    };
    model.state.vms.push(vm); // a push: the VM index follows (model/index.ts)
  } else if (original !== undefined) {
    // Replace existing disks: the VM keeps its identity and gets the restored disks (Azure keeps the old ones aside).
    original.osDisk = osDisk;
    original.dataDisks = dataDisks;
  }
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

const followed = new WeakMap<VaultRecord, { source: JobRecord[]; seen: number; pending: JobRecord[] }>();

/** The vault's Restore jobs still in progress (jobs are only appended and only leave InProgress: model/index.ts). */
export function pendingRestores(vault: VaultRecord): JobRecord[] {
  let f = followed.get(vault);
  if (f?.source !== vault.jobs || f.seen > vault.jobs.length) {
    f = { source: vault.jobs, seen: 0, pending: [] };
    followed.set(vault, f);
  }
  for (; f.seen < vault.jobs.length; f.seen++) {
    const job = vault.jobs[f.seen]!;
    if (job.operation === "Restore" && job.status === "InProgress") f.pending.push(job);
  }
  if (f.pending.some((j) => j.status !== "InProgress")) f.pending = f.pending.filter((j) => j.status === "InProgress");
  return f.pending;
}
