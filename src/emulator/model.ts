/**
 * How Azure VM backup behaves, on the emulator's state: long-running operations and what they change when
 * they finish, protection and its soft delete, backup jobs that take a snapshot and then transfer it to the
 * vault (https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md), recovery points in the snapshot and vault tiers, and feature registrations that pass
 * through `Registering`. HTTP is elsewhere (arm/*); this module only changes state.
 *
 * It shares no code with src/rules or src/azure on purpose: it models Azure on its own so that it can catch
 * their mistakes.
 */
import { randomUUID } from "node:crypto";
import { ArmError, badRequest } from "./http";
import { DAY, MINUTE, type Clock } from "./clock";
import { OPERATION_DURATIONS, REGISTRATION_DURATION } from "./durations";
import type { FaultAction } from "./faults";
import {
  vaultKey,
  type EmulatorState,
  type ItemRecord,
  type JobOperation,
  type JobRecord,
  type OperationKind,
  type OperationRecord,
  type RegistrationRecord,
  type VaultRecord,
  type VmFixture,
} from "./state";

export interface ModelOptions {
  /** Emulated duration of each kind of long-running operation, ms (defaults and their sources: durations.ts). */
  durations?: Partial<Record<OperationKind, number>>;
  /** Emulated minutes a backup job spends taking the snapshot (an emulator assumption; Microsoft's docs give no figure). */
  snapshotMinutes?: number;
  /** Share of a disk's used data an incremental backup sends (an emulator assumption). */
  incrementalChangePercent?: number;
  /** Emulated time a feature or provider registration stays Registering (or Unregistering), ms (default 5 minutes). */
  registrationMs?: number;
  /** Data disks and disk size Azure backs up today (backup-support-matrix-iaas.md, 2023). */
  maxDataDisks?: number;
  maxDiskSizeGb?: number;
}

/** Best-case throughput per disk, disks in parallel, at most 60 MB/s per blob (https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md). */
const INITIAL_MBPS = 160;
const INCREMENTAL_MBPS = 640;
const BLOB_MBPS = 60 * 8;
const BYTES_PER_GB = 2 ** 30;

/** Docs: "If not specified, it's assumed to be 30 days from the day of the trigger" (REST API reference of Backups - Trigger; closest confirmed source: IaasVMBackupRequest in https://github.com/Azure/azure-rest-api-specs/blob/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/bms.json). */
export const DEFAULT_RETAIN_DAYS = 30;

export class Model {
  readonly options: Required<Omit<ModelOptions, "durations">> & { durations: Record<OperationKind, number> };
  /** Set when a timeline changed the state (an operation or job finished, an item was purged): it needs saving. */
  dirty = false;

  constructor(
    readonly state: EmulatorState,
    readonly clock: Clock,
    options: ModelOptions = {},
  ) {
    this.options = {
      durations: { ...OPERATION_DURATIONS, ...options.durations },
      snapshotMinutes: options.snapshotMinutes ?? 10,
      incrementalChangePercent: options.incrementalChangePercent ?? 5,
      registrationMs: options.registrationMs ?? REGISTRATION_DURATION,
      maxDataDisks: options.maxDataDisks ?? 32,
      maxDiskSizeGb: options.maxDiskSizeGb ?? 32767,
    };
  }

  now(): number {
    return this.clock.now();
  }

  // ---- lookups -------------------------------------------------------------------------------

  vault(subscriptionId: string, resourceGroup: string, name: string): VaultRecord | undefined {
    const key = vaultKey(subscriptionId, resourceGroup, name);
    return this.state.vaults.find((v) => v.key === key);
  }

  vaultByKey(key: string): VaultRecord | undefined {
    return this.state.vaults.find((v) => v.key === key);
  }

  vm(id: string): VmFixture | undefined {
    const key = id.toLowerCase();
    return this.state.vms.find((v) => v.id.toLowerCase() === key);
  }

  item(vault: VaultRecord, containerName: string, itemName: string): ItemRecord | undefined {
    const key = itemKey(containerName, itemName);
    return key === undefined ? undefined : vault.items.find((i) => i.key === key);
  }

  /** The vault and item protecting a VM anywhere in its subscription (soft-deleted items included). */
  protectionOf(vmId: string): { vault: VaultRecord; item: ItemRecord } | undefined {
    const key = vmId.toLowerCase();
    for (const vault of this.state.vaults) {
      const item = vault.items.find((i) => i.vmId.toLowerCase() === key);
      if (item !== undefined) return { vault, item };
    }
    return undefined;
  }

  // ---- time ----------------------------------------------------------------------------------

  /**
   * Brings every timeline up to now, in the order things fall due: operations whose time has passed finish
   * (at their due time, not when someone looks), backup jobs take their snapshot and transfer it, soft-deleted
   * items and expired recovery points are purged, registrations complete. Sets `dirty` when anything changed.
   */
  tick(): void {
    const now = this.now();
    const due = this.state.operations.filter((o) => o.status === "InProgress" && o.dueAt <= now && (o.readsLeft ?? 0) === 0).sort((a, b) => a.dueAt - b.dueAt);
    for (const op of due) this.finish(op, op.dueAt);
    if (due.length > 0) this.dirty = true;
    for (const vault of this.state.vaults) {
      for (const job of vault.jobs) if (this.advanceJob(vault, job, now)) this.dirty = true;
      const items = vault.items.length;
      vault.items = vault.items.filter((item) => item.deferredDeleteAt === undefined || item.deferredDeleteAt > now);
      if (vault.items.length !== items) this.dirty = true;
      for (const item of vault.items) {
        const points = item.recoveryPoints.length;
        item.recoveryPoints = item.recoveryPoints.filter((rp) => rp.expiresAt === undefined || rp.expiresAt > now);
        if (item.recoveryPoints.length !== points) this.dirty = true;
      }
    }
    for (const record of this.state.registrations) if (this.advanceRegistration(record, now)) this.dirty = true;
  }

  // ---- long-running operations ---------------------------------------------------------------

  startOperation(
    kind: OperationKind,
    vault: VaultRecord,
    faults: readonly FaultAction[],
    extra: Partial<Pick<OperationRecord, "itemKey" | "policyName" | "payload" | "jobId">> = {},
  ): OperationRecord {
    const now = this.now();
    const op: OperationRecord = {
      id: randomUUID(),
      kind,
      vaultKey: vault.key,
      status: "InProgress",
      startTime: now,
      dueAt: now + this.options.durations[kind],
      ...extra,
    };
    for (const fault of faults) {
      if (fault.kind === "fail-operation") {
        op.failure = { code: fault.code ?? "InternalOperationError", message: fault.message ?? "The operation failed (injected fault)." };
      } else if (fault.kind === "slow-operation") {
        // The only place where reads matter: an injected fault that holds the operation for extra status reads.
        if ((fault.extraPolls ?? 0) > 0) op.readsLeft = (op.readsLeft ?? 0) + fault.extraPolls!;
        op.dueAt += fault.delayMs ?? 0;
      }
    }
    this.state.operations.push(op);
    return op;
  }

  operation(id: string): OperationRecord | undefined {
    return this.state.operations.find((o) => o.id.toLowerCase() === id.toLowerCase());
  }

  /**
   * A client read the operation's status. Reads only report, except under an injected "slow-operation"
   * fault with `extraPolls`, which holds the operation for that many reads past its due time.
   */
  observe(op: OperationRecord): OperationRecord {
    if (op.status !== "InProgress" || (op.readsLeft ?? 0) === 0 || op.dueAt > this.now()) return op;
    op.readsLeft = op.readsLeft! - 1;
    this.dirty = true;
    if (op.readsLeft === 0) this.finish(op, this.now());
    return op;
  }

  private finish(op: OperationRecord, at: number): void {
    const vault = this.vaultByKey(op.vaultKey);
    op.endTime = at;
    const job = vault === undefined || op.jobId === undefined ? undefined : vault.jobs.find((j) => j.id === op.jobId);
    if (op.failure !== undefined || vault === undefined) {
      op.status = "Failed";
      op.failure ??= { code: "ResourceNotFound", message: "The vault no longer exists." };
      if (vault !== undefined && op.kind === "vault-create") vault.provisioningState = "Failed";
      if (job !== undefined) {
        job.status = "Failed";
        job.endTime = op.endTime;
        job.error = op.failure;
      }
      return;
    }
    try {
      this.apply(op, vault, at);
      op.status = "Succeeded";
      if (job !== undefined && job.operation !== "Backup") {
        job.status = "Completed";
        job.endTime = op.endTime;
      }
    } catch (error) {
      op.status = "Failed";
      op.failure = error instanceof ArmError ? { code: error.code, message: error.message } : { code: "InternalError", message: String(error) };
      if (job !== undefined) {
        job.status = "Failed";
        job.endTime = op.endTime;
        job.error = op.failure;
      }
    }
  }

  /** What each operation changes when it succeeds. */
  private apply(op: OperationRecord, vault: VaultRecord, at: number): void {
    const payload = op.payload ?? {};
    switch (op.kind) {
      case "vault-create":
        vault.provisioningState = "Succeeded";
        return;
      case "vault-update":
        applyVaultChanges(vault, payload as VaultChanges);
        vault.etag = etag(at);
        return;
      case "policy-update": {
        const policy = vault.policies.find((p) => p.name.toLowerCase() === op.policyName?.toLowerCase());
        if (policy !== undefined) policy.properties = payload.properties as Record<string, unknown>;
        // The service re-configures every item of the policy, one ConfigureBackup job each, side by side
        // over the operation's time (ProtectionPolicyOperationStatuses_Get.json lists their job ids).
        const jobIds: string[] = [];
        for (const item of vault.items.filter((i) => i.policyName?.toLowerCase() === op.policyName?.toLowerCase())) {
          const job = this.newJob(vault, "ConfigureBackup", item.friendlyName, item.key, false, op.startTime);
          job.status = "Completed";
          job.endTime = at;
          jobIds.push(job.id);
        }
        op.payload = { ...payload, jobIds };
        return;
      }
      case "policy-delete":
        vault.policies = vault.policies.filter((p) => p.name.toLowerCase() !== op.policyName?.toLowerCase());
        return;
      case "refresh":
        vault.discovered = this.state.vms
          .filter((vm) => sameLocation(vm.location, vault.location) && subscriptionOf(vm.id) === vault.subscriptionId.toLowerCase())
          .map((vm) => vm.id.toLowerCase());
        return;
      case "item-put":
        this.applyItemPut(vault, op, at);
        return;
      case "item-delete":
        this.applyItemDelete(vault, op, at);
        return;
      case "item-backup":
        return; // the Backup job was started with the request and runs on its own timeline
    }
  }

  // ---- protection ----------------------------------------------------------------------------

  newJob(vault: VaultRecord, operation: JobOperation, friendlyName: string, itemKey: string | undefined, isUserTriggered = true, startTime = this.now()): JobRecord {
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

  private applyItemPut(vault: VaultRecord, op: OperationRecord, at: number): void {
    const p = op.payload as unknown as ItemPut;
    const existing = vault.items.find((i) => i.key === op.itemKey);
    if (p.mode === "rehydrate") {
      if (existing === undefined) throw badRequest("BMSUserErrorObjectNotFound", "The backup item to undelete no longer exists.");
      delete existing.deferredDeleteAt;
      existing.protectionState = "ProtectionStopped";
      return;
    }
    if (p.mode === "stop" || p.mode === "suspend") {
      if (existing === undefined) throw badRequest("BMSUserErrorObjectNotFound", "The backup item does not exist.");
      existing.protectionState = p.mode === "stop" ? "ProtectionStopped" : "BackupsSuspended";
      if (p.mode === "stop") delete existing.policyName;
      return;
    }
    // Protect, resume or change policy.
    if (existing !== undefined) {
      existing.policyName = p.policyName!;
      if (existing.protectionState === "ProtectionStopped" || existing.protectionState === "BackupsSuspended") {
        existing.protectionState = existing.recoveryPoints.length > 0 ? "Protected" : "IRPending";
      }
      if (p.diskExclusion === null) delete existing.diskExclusion;
      else if (p.diskExclusion !== undefined) existing.diskExclusion = p.diskExclusion;
      return;
    }
    const item: ItemRecord = {
      key: op.itemKey!,
      containerName: p.containerName!,
      name: p.itemName!,
      vmId: p.vmId!,
      friendlyName: p.friendlyName!,
      policyName: p.policyName!,
      protectionState: "IRPending",
      lastBackupStatus: "",
      recoveryPoints: [],
      createdAt: at,
    };
    if (p.diskExclusion !== undefined && p.diskExclusion !== null) item.diskExclusion = p.diskExclusion;
    vault.items.push(item);
    vault.storageLocked = true;
  }

  private applyItemDelete(vault: VaultRecord, op: OperationRecord, at: number): void {
    const item = vault.items.find((i) => i.key === op.itemKey);
    if (item === undefined) return;
    if (vault.softDelete.state === "Disabled") {
      vault.items = vault.items.filter((i) => i !== item);
      return;
    }
    // Soft delete: the item stays, stopped, until the retention passes (https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud).
    item.protectionState = "ProtectionStopped";
    delete item.policyName;
    item.deferredDeleteAt = at + vault.softDelete.retentionDays * DAY;
  }

  // ---- backup jobs ---------------------------------------------------------------------------

  /** Starts a Backup job: snapshot first, then transfer to the vault (DOCS.stackV2Upgrade), timed by the VM's used data (DOCS.vmBackupPlanning2018). */
  startBackup(vault: VaultRecord, item: ItemRecord, retainUntil: number, userTriggered: boolean): JobRecord {
    const job = this.newJob(vault, "Backup", item.friendlyName, item.key, userTriggered);
    const vm = this.vm(item.vmId);
    const first = item.recoveryPoints.length === 0;
    job.snapshotAt = job.startTime + this.options.snapshotMinutes * MINUTE;
    job.transferAt = job.snapshotAt + transferMs(vm, item, first ? 1 : this.options.incrementalChangePercent / 100, first ? INITIAL_MBPS : INCREMENTAL_MBPS);
    job.retainUntil = retainUntil;
    return job;
  }

  private advanceJob(vault: VaultRecord, job: JobRecord, now: number): boolean {
    if (job.operation !== "Backup" || job.status !== "InProgress") return false;
    const item = vault.items.find((i) => i.key === job.itemKey);
    if (item === undefined) {
      job.status = "Failed";
      job.endTime = now;
      job.error = { code: "BMSUserErrorObjectNotFound", message: "The backup item was deleted while the backup ran." };
      return true;
    }
    if (this.vm(item.vmId) === undefined) {
      // Backup of a deleted VM (job errorDetails in https://github.com/MicrosoftDocs/azure-docs/blob/0819162b1c58a137cff387b5058f7b3e692f35d9/articles/backup/backup-azure-vms-troubleshoot.md).
      job.status = "Failed";
      job.endTime = now;
      job.error = { code: "BCMV2VMNotFound", message: "The virtual machine doesn't exist" };
      item.lastBackupStatus = "Failed";
      return true;
    }
    let changed = false;
    if (job.snapshotAt !== undefined && now >= job.snapshotAt && job.recoveryPointName === undefined) {
      const snapshotDays = instantRestoreDays(vault, item);
      // Recovery point names are numeric strings (examples/AzureIaasVm/RecoveryPoints_List.json in https://github.com/Azure/azure-rest-api-specs/tree/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01).
      job.recoveryPointName = `${job.snapshotAt}${String(item.recoveryPoints.length).padStart(3, "0")}`;
      item.recoveryPoints.push({
        name: job.recoveryPointName,
        time: job.snapshotAt,
        consistency: consistencyOf(this.vm(item.vmId)),
        snapshotUntil: job.snapshotAt + snapshotDays * DAY,
        inVaultAt: job.transferAt ?? job.snapshotAt,
        ...(job.retainUntil === undefined ? {} : { expiresAt: job.retainUntil }),
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

  // ---- registrations -------------------------------------------------------------------------

  registration(subscriptionId: string, namespace: string, name: string, initial: RegistrationRecord["state"]): RegistrationRecord {
    const key = `${subscriptionId}/${namespace}/${name}`.toLowerCase();
    let record = this.state.registrations.find((r) => r.key === key);
    if (record === undefined) {
      record = { key, subscriptionId, namespace, name, state: initial, since: this.now() };
      this.state.registrations.push(record);
    }
    return record;
  }

  /** `Registering` becomes `Registered` (and `Unregistering` `Unregistered`) once its time has passed. */
  private advanceRegistration(record: RegistrationRecord, now: number): boolean {
    if (record.state !== "Registering" && record.state !== "Unregistering") return false;
    const doneAt = record.since + this.options.registrationMs;
    if (now < doneAt) return false;
    record.state = record.state === "Registering" ? "Registered" : "Unregistered";
    record.since = doneAt;
    return true;
  }

  changeRegistration(record: RegistrationRecord, to: "Registering" | "Unregistering"): void {
    const done = to === "Registering" ? "Registered" : "Unregistered";
    if (record.state === done || record.state === to) return;
    record.state = to;
    record.since = this.now();
  }
}

// ---- helpers -----------------------------------------------------------------------------------

export interface ItemPut {
  mode: "protect" | "stop" | "suspend" | "rehydrate";
  containerName?: string;
  itemName?: string;
  vmId?: string;
  friendlyName?: string;
  policyName?: string;
  /** `null` clears an exclusion, `undefined` leaves it. */
  diskExclusion?: { diskLunList: number[]; isInclusionList: boolean } | null;
}

export interface VaultChanges {
  tags?: Record<string, string>;
  publicNetworkAccess?: string;
  redundancy?: VaultRecord["redundancy"];
  crossRegionRestore?: boolean;
  softDelete?: Partial<VaultRecord["softDelete"]>;
  immutability?: VaultRecord["immutability"];
  monitoringSettings?: unknown;
}

export function applyVaultChanges(vault: VaultRecord, changes: VaultChanges): void {
  if (changes.tags !== undefined) vault.tags = changes.tags;
  if (changes.publicNetworkAccess !== undefined) vault.publicNetworkAccess = changes.publicNetworkAccess;
  if (changes.redundancy !== undefined) vault.redundancy = changes.redundancy;
  if (changes.crossRegionRestore !== undefined) vault.crossRegionRestore = changes.crossRegionRestore;
  if (changes.softDelete !== undefined) vault.softDelete = { ...vault.softDelete, ...changes.softDelete };
  if (changes.immutability !== undefined) vault.immutability = changes.immutability;
  if (changes.monitoringSettings !== undefined) vault.monitoringSettings = changes.monitoringSettings;
}

export function etag(now: number): string {
  return `W/"datetime'${encodeURIComponent(new Date(now).toISOString())}'"`;
}

/** Item keys ignore case and the `IaasVMContainer;`/`VM;` prefixes' spelling. */
export function itemKey(containerName: string, itemName: string): string | undefined {
  const c = /^iaasvmcontainer;(iaasvmcontainerv2|iaasvmcontainer);([^;]+);([^;]+)$/i.exec(containerName);
  const i = /^vm;(iaasvmcontainerv2|iaasvmcontainer);([^;]+);([^;]+)$/i.exec(itemName);
  if (c === null || i === null) return undefined;
  if (`${c[1]};${c[2]};${c[3]}`.toLowerCase() !== `${i[1]};${i[2]};${i[3]}`.toLowerCase()) return undefined;
  return `${c[1]};${c[2]};${c[3]}`.toLowerCase();
}

export function sameLocation(a: string, b: string): boolean {
  return a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();
}

export function subscriptionOf(armId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)\//i.exec(armId)?.[1]?.toLowerCase();
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

/** The slowest backed-up disk's transfer time, in ms: disks transfer in parallel (DOCS.vmBackupPlanning2018). */
function transferMs(vm: VmFixture | undefined, item: ItemRecord, share: number, mbps: number): number {
  if (vm === undefined) return 0;
  const rate = Math.min(mbps, BLOB_MBPS) * 1e6;
  const disks = [{ lun: undefined as number | undefined, ...vm.osDisk }, ...(vm.dataDisks ?? [])];
  let slowest = 0;
  for (const disk of disks) {
    if (disk.lun !== undefined && item.diskExclusion !== undefined) {
      const listed = item.diskExclusion.diskLunList.includes(disk.lun);
      if (item.diskExclusion.isInclusionList !== listed) continue;
    }
    const gb = (disk.usedGb ?? disk.sizeGb) * share;
    slowest = Math.max(slowest, ((gb * BYTES_PER_GB * 8) / rate) * 1000);
  }
  return Math.round(slowest);
}
