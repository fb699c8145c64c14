/**
 * How Azure VM backup behaves, on the emulator's state: the `Model` the HTTP handlers (arm/*) call. It
 * holds the options and the clock, finds records, and brings every timeline up to now (`tick`); what each
 * timeline does lives beside it: long-running operations (operations.ts), what protection operations change
 * (protection.ts), backup jobs and their recovery points (jobs.ts), feature registrations
 * (registrations.ts). HTTP is elsewhere (arm/*); this module only changes state.
 *
 * It shares no code with src/rules or src/azure on purpose: it models Azure on its own so that it can catch
 * their mistakes.
 */
import type { Clock } from "../clock";
import { OPERATION_DURATIONS, REGISTRATION_DURATION } from "../durations";
import type { FaultAction } from "../faults";
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
} from "../state";
import { parseGuardrails, type GuardrailAssignment } from "./guardrails";
import { advanceJob, newJob, startBackup } from "./jobs";
import { finish, observe, startOperation } from "./operations";
import { itemKey } from "./records";
import { advanceRegistration, changeRegistration, registration } from "./registrations";
import { advanceRestore, pendingRestores } from "./restore";

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
  /**
   * Where Azure enforces soft delete on Recovery Services vaults ("secure by default"): `true` in every region
   * (the default: GA in all Azure public regions and national clouds, https://learn.microsoft.com/azure/backup/secure-by-default,
   * page of 2025-11-10), `false` nowhere (the service before it), or the regions listed ("westeurope", ...).
   * Where enforced: new vaults get AlwaysON soft delete (microsoft/AzureTRE#4888), disabling it is refused
   * (BMSUserErrorDisablingSoftDeleteStateNotAllowed: Azure/azure-cli#32383), deleted items are always soft-deleted,
   * and a vault holding only soft-deleted items can be deleted (it is soft-deleted itself).
   */
  secureByDefault?: boolean | string[];
  /**
   * Azure Policy assignments of the built-in Recovery Services definitions (guardrails.ts): a vault PUT or PATCH that
   * one with effect Deny matches is refused with 403 RequestDisallowedByPolicy, and checkPolicyRestrictions reports them.
   */
  guardrails?: GuardrailAssignment[];
}

export class Model {
  readonly options: Required<Omit<ModelOptions, "durations" | "secureByDefault" | "guardrails">> & { durations: Record<OperationKind, number> };
  /** Where soft delete is enforced (ModelOptions.secureByDefault); the admin API can change it. */
  secureByDefault: boolean | string[];
  /** Policy assignments that guard vaults (ModelOptions.guardrails); the admin API can change them. */
  guardrails: GuardrailAssignment[];
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
    this.secureByDefault = options.secureByDefault ?? true;
    this.guardrails = parseGuardrails(options.guardrails ?? []);
  }

  /** Whether Azure enforces soft delete on vaults of this region (secure by default). */
  softDeleteEnforced(location: string): boolean {
    const region = location.replace(/\s+/g, "").toLowerCase();
    return typeof this.secureByDefault === "boolean" ? this.secureByDefault : this.secureByDefault.some((r) => r.replace(/\s+/g, "").toLowerCase() === region);
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
    return this.vmIndex().get(id.toLowerCase());
  }

  /** The VMs whose lower-case id starts with `prefix` (a subscription's or a resource group's), in state order. */
  vmsUnder(prefix: string): VmFixture[] {
    const found: VmFixture[] = [];
    for (const [key, vm] of this.vmIndex()) if (key.startsWith(prefix)) found.push(vm);
    return found;
  }

  item(vault: VaultRecord, containerName: string, itemName: string): ItemRecord | undefined {
    const key = itemKey(containerName, itemName);
    return key === undefined ? undefined : vault.items.find((i) => i.key === key);
  }

  /** The vault and item protecting a VM anywhere in its subscription (soft-deleted items included). */
  protectionOf(vmId: string): { vault: VaultRecord; item: ItemRecord } | undefined {
    return this.protectionIndex().get(vmId.toLowerCase());
  }

  // ---- indexes -------------------------------------------------------------------------------
  //
  // A fleet of 1,000 VMs makes a linear scan per lookup O(n) per request and O(n²) per fleet (bench/emulator.ts).
  // The indexes are maps by lower-case id, derived from the state and rebuilt when the arrays they were built from
  // change: every change of the VMs (addVms, removeVms, loading a state file: mergeVms) and of the items (protect,
  // stop and delete, undelete, purge: model/protection.ts and tick(), vaults created or deleted) either replaces the
  // array (`filter`, or mergeVms's copy when it replaces a VM given again) or changes its length (`push`), and no code
  // replaces an element in place (an index would keep the replaced element: test/emulator/vm-replace.test.ts). Checking
  // that costs O(vaults) per lookup.

  private vmsIndexed: { source: VmFixture[]; length: number; map: Map<string, VmFixture> } | undefined;

  private vmIndex(): Map<string, VmFixture> {
    const vms = this.state.vms;
    if (this.vmsIndexed?.source !== vms || this.vmsIndexed.length !== vms.length) {
      this.vmsIndexed = { source: vms, length: vms.length, map: new Map(vms.map((v) => [v.id.toLowerCase(), v])) };
    }
    return this.vmsIndexed.map;
  }

  private itemsIndexed:
    { vaults: VaultRecord[]; sources: Array<{ items: ItemRecord[]; length: number }>; map: Map<string, { vault: VaultRecord; item: ItemRecord }> } | undefined;

  private protectionIndex(): Map<string, { vault: VaultRecord; item: ItemRecord }> {
    const vaults = this.state.vaults;
    const indexed = this.itemsIndexed;
    const same =
      indexed !== undefined &&
      indexed.vaults === vaults &&
      indexed.sources.length === vaults.length &&
      vaults.every((v, i) => indexed.sources[i]!.items === v.items && indexed.sources[i]!.length <= v.items.length);
    if (same) {
      // Items only appended (a protect pushes one): index the new tail, so that protecting n VMs stays O(n).
      vaults.forEach((vault, i) => {
        const source = indexed.sources[i]!;
        for (let k = source.length; k < vault.items.length; k++) {
          const item = vault.items[k]!;
          if (!indexed.map.has(item.vmId.toLowerCase())) indexed.map.set(item.vmId.toLowerCase(), { vault, item });
        }
        source.length = vault.items.length;
      });
      return indexed.map;
    }
    const map = new Map<string, { vault: VaultRecord; item: ItemRecord }>();
    // The first vault holding the VM wins, as the scan this replaces found it.
    for (const vault of vaults) for (const item of vault.items) if (!map.has(item.vmId.toLowerCase())) map.set(item.vmId.toLowerCase(), { vault, item });
    this.itemsIndexed = { vaults, sources: vaults.map((v) => ({ items: v.items, length: v.items.length })), map };
    return map;
  }

  // ---- time ----------------------------------------------------------------------------------

  /**
   * Brings every timeline up to now, in the order things fall due: operations whose time has passed finish
   * (at their due time, not when someone looks), backup jobs take their snapshot and transfer it, soft-deleted
   * items and expired recovery points are purged, registrations complete. Sets `dirty` when anything changed.
   */
  tick(): void {
    const now = this.now();
    const due = this.pendingOperations()
      .filter((o) => o.dueAt <= now && (o.readsLeft ?? 0) === 0)
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const op of due) finish(this, op, op.dueAt);
    if (due.length > 0) this.dirty = true;
    for (const vault of this.state.vaults) {
      for (const job of this.pendingBackups(vault)) if (advanceJob(this, vault, job, now)) this.dirty = true;
      for (const job of pendingRestores(vault)) if (advanceRestore(this, vault, job, now)) this.dirty = true;
      // Replaced only when an item is purged, so that the item index (protectionIndex) stays valid otherwise; and
      // checked before filtering, so that a request allocates nothing per item when nothing expired.
      const live = (item: ItemRecord) => item.deferredDeleteAt === undefined || item.deferredDeleteAt > now;
      if (!vault.items.every(live)) {
        vault.items = vault.items.filter(live);
        this.dirty = true;
      }
      for (const item of vault.items) {
        if (item.recoveryPoints.every((rp) => rp.expiresAt === undefined || rp.expiresAt > now)) continue;
        item.recoveryPoints = item.recoveryPoints.filter((rp) => rp.expiresAt === undefined || rp.expiresAt > now);
        this.dirty = true;
      }
    }
    const deleted = this.state.deletedVaults?.length ?? 0;
    if (deleted > 0) {
      this.state.deletedVaults = this.state.deletedVaults!.filter((d) => d.purgeAt > now);
      if (this.state.deletedVaults.length !== deleted) this.dirty = true;
    }
    for (const record of this.state.registrations) if (advanceRegistration(record, now, this.options.registrationMs)) this.dirty = true;
  }

  // Operations and jobs are only ever appended (operations.ts startOperation, jobs.ts newJob), start InProgress and
  // only leave it: tick() follows the arrays' new tails and keeps the records still in progress, instead of reading
  // every operation and job of the emulator's life on every request (O(n) per request at fleet scale).

  private operationsFollowed: { source: OperationRecord[]; seen: number; pending: OperationRecord[]; byId: Map<string, OperationRecord> } | undefined;

  private followOperations(): { pending: OperationRecord[]; byId: Map<string, OperationRecord> } {
    const ops = this.state.operations;
    let f = this.operationsFollowed;
    if (f?.source !== ops || f.seen > ops.length) f = this.operationsFollowed = { source: ops, seen: 0, pending: [], byId: new Map() };
    for (; f.seen < ops.length; f.seen++) {
      const op = ops[f.seen]!;
      f.byId.set(op.id.toLowerCase(), op);
      if (op.status === "InProgress") f.pending.push(op);
    }
    return f;
  }

  /** The operations still in progress, in the order they started (do not change the array). */
  operationsInProgress(): readonly OperationRecord[] {
    return this.pendingOperations();
  }

  private pendingOperations(): OperationRecord[] {
    const f = this.followOperations();
    if (f.pending.some((o) => o.status !== "InProgress")) f.pending = f.pending.filter((o) => o.status === "InProgress");
    return f.pending;
  }

  private readonly backupsFollowed = new WeakMap<VaultRecord, { source: JobRecord[]; seen: number; pending: JobRecord[] }>();

  /** The vault's Backup jobs still in progress (the only jobs advanceJob moves), in the order they started. */
  private pendingBackups(vault: VaultRecord): JobRecord[] {
    let f = this.backupsFollowed.get(vault);
    if (f?.source !== vault.jobs || f.seen > vault.jobs.length) {
      f = { source: vault.jobs, seen: 0, pending: [] };
      this.backupsFollowed.set(vault, f);
    }
    for (; f.seen < vault.jobs.length; f.seen++) {
      const job = vault.jobs[f.seen]!;
      if (job.operation === "Backup" && job.status === "InProgress") f.pending.push(job);
    }
    if (f.pending.some((j) => j.status !== "InProgress")) f.pending = f.pending.filter((j) => j.status === "InProgress");
    return f.pending;
  }

  // ---- long-running operations (operations.ts) -----------------------------------------------

  startOperation(
    kind: OperationKind,
    vault: VaultRecord,
    faults: readonly FaultAction[],
    extra: Partial<Pick<OperationRecord, "itemKey" | "policyName" | "payload" | "jobId">> = {},
  ): OperationRecord {
    return startOperation(this, kind, vault, faults, extra);
  }

  operation(id: string): OperationRecord | undefined {
    return this.followOperations().byId.get(id.toLowerCase());
  }

  /** A client read the operation's status (see operations.ts: reads only report, but for an injected fault). */
  observe(op: OperationRecord): OperationRecord {
    return observe(this, op);
  }

  // ---- jobs (jobs.ts) ------------------------------------------------------------------------

  newJob(
    vault: VaultRecord,
    operation: JobOperation,
    friendlyName: string,
    itemKey: string | undefined,
    isUserTriggered = true,
    startTime = this.now(),
  ): JobRecord {
    return newJob(vault, operation, friendlyName, itemKey, isUserTriggered, startTime);
  }

  /** Starts a Backup job: snapshot first, then transfer to the vault (DOCS.stackV2Upgrade), timed by the VM's used data (DOCS.vmBackupPlanning2018). */
  startBackup(vault: VaultRecord, item: ItemRecord, retainUntil: number, userTriggered: boolean): JobRecord {
    return startBackup(this, vault, item, retainUntil, userTriggered);
  }

  // ---- registrations (registrations.ts) ------------------------------------------------------

  registration(subscriptionId: string, namespace: string, name: string, initial: RegistrationRecord["state"]): RegistrationRecord {
    return registration(this, subscriptionId, namespace, name, initial);
  }

  changeRegistration(record: RegistrationRecord, to: "Registering" | "Unregistering"): void {
    changeRegistration(record, to, this.now());
  }
}
