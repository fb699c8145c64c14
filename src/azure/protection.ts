/**
 * Protected VMs: discovery, protect (or change policy, or disk selection), undelete a soft-deleted item,
 * stop protection keeping the data (forever, or as per policy on an immutable vault), delete the backup data,
 * Backup now, and where a VM is protected.
 * Every 202 is followed to its end through the operation status (ProtectedItemOperationStatus examples of Azure/azure-rest-api-specs).
 */
import type { ProtectedItemResource } from "@azure/arm-recoveryservicesbackup";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError, isNotFound } from "./errors";
import {
  formatContainerName,
  formatProtectedItemId,
  formatVmId,
  parsePolicyId,
  parseProtectedItemId,
  parseVmId,
  sameVm,
  vmResourceType,
  type VmId,
} from "../rules";
import { operationIdOf, policyId, type ItemNames, type VaultRef } from "./ids";
import { withProtectionSlot } from "./concurrency";
import { lookups } from "./lookups";
import { pollUntilDone, sleep, withRaw, type Raw } from "./poll";
import { guardRequest, unlockDelete, withGuard, type GuardedRequest } from "./resource-guard";
import type { AzureSettings } from "./settings";

export interface DiskSelection {
  includeDiskLuns?: number[];
  excludeDiskLuns?: number[];
}

export interface ItemState {
  id: string;
  containerName: string;
  itemName: string;
  vmId: string;
  policyId: string | undefined;
  policyName: string | undefined;
  protectionState: string;
  lastBackupStatus: string;
  /** ISO time of the last backup, or undefined before the first. */
  lastBackupTime: string | undefined;
  /** Soft-deleted: stopped and scheduled for deletion. */
  softDeleted: boolean;
  /** When a soft-deleted item is purged (ISO), when Azure says: the deletion time plus the soft-delete retention days. */
  purgeAt?: string;
  recoveryPoints: number;
  /** ISO time of the oldest recovery point across tiers (AzureIaaSVMProtectedItemExtendedInfo.oldestRecoveryPoint), when Azure gives it. */
  oldestRecoveryPoint?: string;
  /** ISO time of the newest recovery point (AzureIaaSVMProtectedItem.lastRecoveryPoint), when there is one. */
  lastRecoveryPoint?: string;
  diskSelection: DiskSelection;
}

const vaultKey = (ref: VaultRef) => `${ref.subscriptionId}/${ref.resourceGroupName}/${ref.vaultName}`.toLowerCase();
export const itemsKey = (ref: VaultRef) => `items:${vaultKey(ref)}`;
const statusKey = (vm: VmId) => `status:${formatVmId(vm)}`.toLowerCase();
const protectableKey = (ref: VaultRef) => `protectable:${vaultKey(ref)}`;
const label = (ref: VaultRef, names: ItemNames) => `VM '${names.vm.name}' in vault '${ref.vaultName}'`;

/** Before the first backup the service reports 2001-01-01 (Compute_ProtectedItem_Get.json example of Azure/azure-rest-api-specs). */
const NO_BACKUP_YET = Date.UTC(2002, 0, 1);

/**
 * When a soft-deleted item is purged: `deferredDeleteTimeInUTC` (when it was deleted) plus
 * `softDeleteRetentionPeriodInDays` (AzureIaaSVMProtectedItem in bms.json of Azure/azure-rest-api-specs);
 * nothing when either is missing.
 */
function purgeOf(p: Record<string, unknown>): { purgeAt?: string } {
  if (p.isScheduledForDeferredDelete !== true) return {};
  const deleted =
    p.deferredDeleteTimeInUTC instanceof Date
      ? p.deferredDeleteTimeInUTC
      : typeof p.deferredDeleteTimeInUTC === "string"
        ? new Date(p.deferredDeleteTimeInUTC)
        : undefined;
  const days = p.softDeleteRetentionPeriodInDays;
  if (deleted === undefined || Number.isNaN(deleted.getTime()) || typeof days !== "number") return {};
  return { purgeAt: new Date(deleted.getTime() + days * 86_400_000).toISOString() };
}

function oldestOf(extendedInfo: unknown): { oldestRecoveryPoint?: string } {
  const value = (extendedInfo as { oldestRecoveryPoint?: Date | string } | undefined)?.oldestRecoveryPoint;
  const time = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  return time === undefined || Number.isNaN(time.getTime()) ? {} : { oldestRecoveryPoint: time.toISOString() };
}

function newestOf(value: unknown): { lastRecoveryPoint?: string } {
  const time = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  return time === undefined || Number.isNaN(time.getTime()) ? {} : { lastRecoveryPoint: time.toISOString() };
}

function toState(resource: ProtectedItemResource): ItemState {
  const p = (resource.properties ?? {}) as Record<string, unknown>;
  const exclusion = (p.extendedProperties as { diskExclusionProperties?: { diskLunList?: number[]; isInclusionList?: boolean } } | undefined)
    ?.diskExclusionProperties;
  const lastBackup = p.lastBackupTime instanceof Date ? p.lastBackupTime : typeof p.lastBackupTime === "string" ? new Date(p.lastBackupTime) : undefined;
  const policy = typeof p.policyId === "string" && p.policyId !== "" ? p.policyId : undefined;
  const id = resource.id ?? "";
  const item = parseProtectedItemId(id);
  return {
    id,
    containerName: item === undefined ? "" : formatContainerName(item.vm),
    itemName: resource.name ?? "",
    vmId: String(p.sourceResourceId ?? p.virtualMachineId ?? ""),
    policyId: policy,
    policyName: policy === undefined ? undefined : parsePolicyId(policy)?.policyName,
    protectionState: String(p.protectionState ?? ""),
    lastBackupStatus: String(p.lastBackupStatus ?? ""),
    lastBackupTime: lastBackup !== undefined && lastBackup.getTime() > NO_BACKUP_YET ? lastBackup.toISOString() : undefined,
    softDeleted: p.isScheduledForDeferredDelete === true,
    ...purgeOf(p),
    recoveryPoints: Number((p.extendedInfo as { recoveryPointCount?: number } | undefined)?.recoveryPointCount ?? 0),
    ...oldestOf(p.extendedInfo),
    ...newestOf(p.lastRecoveryPoint),
    diskSelection:
      exclusion === undefined || (exclusion.isInclusionList !== true && (exclusion.diskLunList ?? []).length === 0)
        ? {}
        : exclusion.isInclusionList === true
          ? { includeDiskLuns: exclusion.diskLunList ?? [] }
          : { excludeDiskLuns: exclusion.diskLunList ?? [] },
  };
}

export async function getItem(c: AzureClients, ref: VaultRef, names: ItemNames): Promise<ItemState | undefined> {
  try {
    return toState(await c.backup.protectedItems.get(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return attempt("Reading the protection of", label(ref, names), () => Promise.reject(error));
  }
}

/** The vault's protected VMs (soft-deleted ones included), once per process. */
export function listItems(c: AzureClients, ref: VaultRef): Promise<ItemState[]> {
  return lookups.get(itemsKey(ref), () =>
    attempt("Listing the protected VMs of", `vault '${ref.vaultName}'`, async () => {
      const out: ItemState[] = [];
      for await (const item of c.backup.backupProtectedItems.list(ref.vaultName, ref.resourceGroupName, {
        filter: "backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'",
      })) {
        out.push(toState(item));
      }
      return out;
    }),
  );
}

/**
 * The VM's item in the vault, read from the vault's list (once per process, kept true by our own changes) rather than
 * with a GET per VM: a fleet's creates need one list per vault, not one call per VM. Undefined when the vault holds no
 * item for the VM.
 */
export async function listedItem(c: AzureClients, ref: VaultRef, names: ItemNames): Promise<ItemState | undefined> {
  return (await listItems(c, ref)).find((i) => i.itemName.toLowerCase() === names.itemName.toLowerCase());
}

/**
 * Runs a change of the VM's item in one of its vault's slots (src/azure/concurrency.ts). When the change fails, Azure may
 * have made it all the same (a status read that failed, a connection dropped after the request was accepted): what this
 * process knows of the vault's items and of where the VM is protected is forgotten, so that the next look reads Azure.
 */
async function changeItem<T>(ref: VaultRef, names: ItemNames, settings: AzureSettings, work: () => Promise<T>): Promise<T> {
  try {
    return await withProtectionSlot(ref, settings.maxConcurrentProtections, work);
  } catch (error) {
    lookups.forget(itemsKey(ref));
    lookups.forget(statusKey(names.vm));
    throw error;
  }
}

async function remember(ref: VaultRef, state: ItemState | undefined, names: ItemNames): Promise<void> {
  lookups.forget(statusKey(names.vm));
  await lookups.update<ItemState[]>(itemsKey(ref), (list) => [
    ...list.filter((i) => !(i.itemName.toLowerCase() === names.itemName.toLowerCase())),
    ...(state === undefined ? [] : [state]),
  ]);
}

/** Follows an item operation to its end; returns the job it ran. */
async function follow(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  names: ItemNames,
  raw: Raw<unknown>,
  operation: string,
  vaultScoped: boolean,
): Promise<string | undefined> {
  const id = operationIdOf(raw.headers["azure-asyncoperation"] ?? raw.headers.location);
  if (id === undefined) return undefined; // answered synchronously
  const status = await pollUntilDone(
    async () => {
      const step = await attempt(`Following "${operation}" for`, label(ref, names), () =>
        withRaw((options) =>
          vaultScoped
            ? c.backup.backupOperationStatuses.get(ref.vaultName, ref.resourceGroupName, id, options)
            : c.backup.protectedItemOperationStatuses.get(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName, id, options),
        ),
      );
      return { done: step.value.status !== "InProgress", value: step.value, headers: step.headers };
    },
    { intervalMs: settings.pollIntervalMs, timeoutMs: settings.operationTimeoutMs, operation, resource: label(ref, names) },
  );
  if (status.status !== "Succeeded") {
    throw new AzureOperationError(operation, label(ref, names), status.error?.code, status.error?.message ?? `the operation ended ${status.status}.`);
  }
  return (status.properties as { jobId?: string } | undefined)?.jobId;
}

/**
 * Makes sure the vault has discovered the VM (docs: a VM missing from the protectable items needs a
 * `refreshContainers` first). The protectable list is read once per process per vault. A protectable item
 * names its VM by `virtualMachineId`, the VM's own id: `Microsoft.Compute/...` for an ARM VM and
 * `Microsoft.ClassicCompute/...` for a classic one (specification/recoveryservicesbackup/resource-manager/
 * Microsoft.RecoveryServices/stable/2023-04-01/examples/AzureIaasVm/BackupProtectableItems_List.json), so
 * the VM is looked for by its whole id, kind included. Says whether the vault lists the VM as protectable
 * (a VM protected already is not listed: that is no error here, the protect request tells).
 */
export async function ensureDiscovered(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames): Promise<boolean> {
  const protectable = () =>
    lookups.get(protectableKey(ref), () =>
      attempt("Listing the VMs vault can protect:", `'${ref.vaultName}'`, async () => {
        const vms: VmId[] = [];
        for await (const p of c.backup.backupProtectableItems.list(ref.vaultName, ref.resourceGroupName, { filter: "backupManagementType eq 'AzureIaasVM'" })) {
          const vm = parseVmId((p.properties as { virtualMachineId?: string } | undefined)?.virtualMachineId ?? "");
          if (vm !== undefined) vms.push(vm);
        }
        return vms;
      }),
    );
  // Many VMs protected at once share one discovery: join the one under way; if it began before this VM
  // existed and missed it, run one more.
  const listed = async () => (await protectable()).some((vm) => sameVm(vm, names.vm));
  for (let round = 0; round < 2; round++) {
    if (await listed()) return true;
    await lookups.get(`refresh:${protectableKey(ref)}`, async () => {
      try {
        await refreshContainers(c, settings, ref);
      } finally {
        lookups.forget(protectableKey(ref));
        lookups.forget(`refresh:${protectableKey(ref)}`);
      }
    });
  }
  return listed();
}

/** `refreshContainers` and its operation (the vault looks for new VMs). */
async function refreshContainers(c: AzureClients, settings: AzureSettings, ref: VaultRef): Promise<void> {
  const raw = await attempt("Discovering VMs for", `vault '${ref.vaultName}'`, () =>
    withRaw((options) => c.backup.protectionContainers.refresh(ref.vaultName, ref.resourceGroupName, "Azure", options)),
  );
  const id = operationIdOf(raw.headers.location);
  if (id === undefined) return;
  await pollUntilDone(
    async () => {
      const step = await attempt("Following VM discovery in", `vault '${ref.vaultName}'`, () =>
        withRaw((options) => c.backup.protectionContainerRefreshOperationResults.get(ref.vaultName, ref.resourceGroupName, "Azure", id, options)),
      );
      return { done: step.status !== 202, value: undefined, headers: step.headers };
    },
    { intervalMs: settings.pollIntervalMs, timeoutMs: settings.operationTimeoutMs, operation: "Discovering VMs for", resource: `vault '${ref.vaultName}'` },
  );
}

function exclusionProperties(selection: DiskSelection, hadSelection: boolean): Record<string, unknown> {
  if (selection.includeDiskLuns !== undefined)
    return { extendedProperties: { diskExclusionProperties: { diskLunList: selection.includeDiskLuns, isInclusionList: true } } };
  if (selection.excludeDiskLuns !== undefined)
    return { extendedProperties: { diskExclusionProperties: { diskLunList: selection.excludeDiskLuns, isInclusionList: false } } };
  // Back up every disk again: an empty exclusion list.
  return hadSelection ? { extendedProperties: { diskExclusionProperties: { diskLunList: [], isInclusionList: false } } } : {};
}

async function putItem(
  c: AzureClients,
  ref: VaultRef,
  names: ItemNames,
  properties: Record<string, unknown>,
  operation: string,
  guard?: GuardedRequest,
): Promise<Raw<unknown>> {
  return attempt(operation, label(ref, names), () =>
    withRaw((options) =>
      c.backup.protectedItems.createOrUpdate(
        ref.vaultName,
        ref.resourceGroupName,
        "Azure",
        names.containerName,
        names.itemName,
        // The item's type is its VM's: Microsoft.Compute or Microsoft.ClassicCompute/virtualMachines (ProtectedItem discriminator, bms.json).
        { properties: { protectedItemType: vmResourceType(names.vm.kind), sourceResourceId: formatVmId(names.vm), ...properties } as never },
        withGuard(options, guard),
      ),
    ),
  );
}

function sameSelection(a: DiskSelection, b: DiskSelection): boolean {
  const luns = (x: number[] | undefined) => (x === undefined ? "-" : [...x].sort((m, n) => m - n).join(","));
  return luns(a.includeDiskLuns) === luns(b.includeDiskLuns) && luns(a.excludeDiskLuns) === luns(b.excludeDiskLuns);
}

/** Azure's answer while another configure, stop or delete operation runs on the item (https://github.com/MicrosoftDocs/azure-docs/blob/b110c3104272fc472a65ef3ce32abf0caa0da10b/articles/backup/troubleshoot-azure-files.md). */
const CONFLICT = "BMSUserErrorConflictingProtectionOperation";

/**
 * Sends an item request. When Azure answers that another operation on the item is still running (a previous
 * run's, killed or disconnected before it ended), waits for that operation's job to end, then asks `settled`
 * whether the item already is as wanted (the earlier operation did the same thing: adopt it, send nothing)
 * or sends again, all within the operation timeout. A 429 the SDK's retries did not absorb is sent again too. Undefined means "nothing sent: already settled".
 */
async function sendWhenFree(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  names: ItemNames,
  send: () => Promise<Raw<unknown>>,
  settled: (item: ItemState | undefined) => boolean,
): Promise<Raw<unknown> | undefined> {
  const started = Date.now();
  // What backupStatus said of the VM no longer holds once its protection changes.
  lookups.forget(statusKey(names.vm));
  for (;;) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof AzureOperationError) || (error.code !== CONFLICT && error.statusCode !== 429)) throw error;
      const left = settings.operationTimeoutMs - (Date.now() - started);
      if (left <= 0) throw error;
      if (error.statusCode === 429) {
        // Still throttled after the SDK's own retries, which waited what each Retry-After asked
        // (@azure/core-rest-pipeline throttlingRetryPolicy): wait a poll interval and send again, within the timeout.
        await sleep(Math.min(left, Math.max(settings.pollIntervalMs, settings.retryDelayMs ?? 0)));
        continue;
      }
      await waitForItemJobs(c, settings, ref, names, left);
      if (settled(await getItem(c, ref, names))) return undefined;
    }
  }
}

/**
 * Waits for the item's running configure, stop, undelete or delete jobs (not its backups, which do not
 * block protection changes). Jobs are found by the VM's name (`entityFriendlyName`), as the portal's jobs
 * view shows them; with none listed (the operation has no job yet), waits one poll interval.
 */
async function waitForItemJobs(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames, timeoutMs: number): Promise<void> {
  const running = await attempt("Listing the running jobs of", label(ref, names), async () => {
    const ids: string[] = [];
    for await (const job of c.backup.backupJobs.list(ref.vaultName, ref.resourceGroupName, {
      filter: "status eq 'InProgress' and backupManagementType eq 'AzureIaasVM'",
    })) {
      const p = (job.properties ?? {}) as { entityFriendlyName?: string; operation?: string };
      if (job.name !== undefined && p.operation !== "Backup" && p.entityFriendlyName?.toLowerCase() === names.vm.name.toLowerCase()) ids.push(job.name);
    }
    return ids;
  });
  if (running.length === 0) {
    await sleep(settings.pollIntervalMs);
    return;
  }
  for (const id of running) await waitForJob(c, settings, ref, id, timeoutMs);
}

async function readBack(c: AzureClients, ref: VaultRef, names: ItemNames, operation: string): Promise<ItemState> {
  const state = await getItem(c, ref, names);
  if (state === undefined)
    throw new AzureOperationError(operation, label(ref, names), "ResourceNotFound", "the protected item is missing after the operation succeeded.");
  await remember(ref, state, names);
  return state;
}

/** Protects the VM with the policy, or changes its policy or disk selection. */
export async function protect(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  names: ItemNames,
  policyName: string,
  selection: DiskSelection,
  hadSelection: boolean,
): Promise<{ item: ItemState; jobId: string | undefined }> {
  // Discovery is vault-wide and shared by every VM waiting for it: outside the slot.
  await ensureDiscovered(c, settings, ref, names);
  // The whole operation (request and polls) holds one of the vault's slots (src/azure/concurrency.ts).
  return changeItem(ref, names, settings, async () => {
    const raw = await sendWhenFree(
      c,
      settings,
      ref,
      names,
      () => putItem(c, ref, names, { policyId: policyId({ ...ref, policyName }), ...exclusionProperties(selection, hadSelection) }, "Protecting"),
      (item) =>
        item !== undefined &&
        !item.softDeleted &&
        item.protectionState !== "ProtectionStopped" &&
        item.policyName?.toLowerCase() === policyName.toLowerCase() &&
        sameSelection(item.diskSelection, selection),
    );
    const jobId = raw === undefined ? undefined : await follow(c, settings, ref, names, raw, "Protecting", false);
    return { item: await readBack(c, ref, names, "Protecting"), jobId };
  });
}

/** Undeletes a soft-deleted item (it becomes ProtectionStopped, its recovery points kept). */
export async function rehydrate(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames): Promise<ItemState> {
  // The whole operation (request and polls) holds one of the vault's slots (src/azure/concurrency.ts).
  return changeItem(ref, names, settings, async () => {
    const raw = await sendWhenFree(
      c,
      settings,
      ref,
      names,
      () => putItem(c, ref, names, { protectionState: "ProtectionStopped", policyId: "", isRehydrate: true }, "Undeleting the backups of"),
      (item) => item !== undefined && !item.softDeleted,
    );
    if (raw !== undefined) await follow(c, settings, ref, names, raw, "Undeleting the backups of", false);
    return readBack(c, ref, names, "Undeleting the backups of");
  });
}

/** Stops backups with `state` (no policy id) and follows the operation; done once the item is in that state or gone. */
async function stopBackups(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  names: ItemNames,
  state: "ProtectionStopped" | "BackupsSuspended",
  operation: string,
): Promise<ItemState> {
  // The whole operation (request and polls) holds one of the vault's slots (src/azure/concurrency.ts).
  return changeItem(ref, names, settings, async () => {
    const raw = await sendWhenFree(
      c,
      settings,
      ref,
      names,
      async () => {
        // Stopping protection on a vault whose Resource Guard lists it carries the guard's request (src/azure/resource-guard.ts).
        const guard = state === "ProtectionStopped" ? await guardRequest(c, ref, "stopProtection", operation) : undefined;
        const requests = guard === undefined ? {} : { resourceGuardOperationRequests: guard.resourceGuardOperationRequests };
        return putItem(c, ref, names, { protectionState: state, policyId: "", ...requests }, operation, guard);
      },
      (item) => item === undefined || item.softDeleted || item.protectionState === state,
    );
    if (raw !== undefined) await follow(c, settings, ref, names, raw, operation, false);
    return readBack(c, ref, names, operation);
  });
}

/** Stops protection and keeps the backup data (the default on destroy). */
export async function stopProtection(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames): Promise<ItemState> {
  return stopBackups(c, settings, ref, names, "ProtectionStopped", "Stopping the protection of");
}

/**
 * Stops backups and keeps each recovery point until its policy expires it: protectionState `BackupsSuspended`
 * with no policy id, as `az backup protection disable --retain-as-per-policy` sends it (Azure/azure-cli,
 * src/azure-cli/azure/cli/command_modules/backup/custom.py, `_get_disable_protection_request`). Azure accepts it
 * on an immutable vault only (https://learn.microsoft.com/powershell/module/az.recoveryservices/disable-azrecoveryservicesbackupprotection).
 */
export async function suspendBackups(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames): Promise<ItemState> {
  return stopBackups(c, settings, ref, names, "BackupsSuspended", "Suspending the backups of");
}

/** Stops protection and deletes the backup data (soft-deleted first when the vault has soft delete). */
export async function deleteBackupData(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames): Promise<ItemState | undefined> {
  // The whole operation (request and polls) holds one of the vault's slots (src/azure/concurrency.ts).
  return changeItem(ref, names, settings, async () => {
    const raw = await sendWhenFree(
      c,
      settings,
      ref,
      names,
      async () => {
        // A vault with a Resource Guard: unlockDelete with the guard's request first (src/azure/resource-guard.ts).
        const guard = await guardRequest(c, ref, "deleteBackupData", "Deleting the backup data of");
        if (guard !== undefined) {
          await unlockDelete(c, ref, guard, formatProtectedItemId({ ...ref, fabricName: "Azure", vm: names.vm }), "Deleting the backup data of");
        }
        return attempt("Deleting the backup data of", label(ref, names), () =>
          withRaw((options) =>
            c.backup.protectedItems.delete(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName, withGuard(options, guard)),
          ),
        );
      },
      (item) => item === undefined || item.softDeleted,
    );
    if (raw !== undefined) await follow(c, settings, ref, names, raw, "Deleting the backup data of", true);
    const state = await getItem(c, ref, names);
    await remember(ref, state, names);
    return state;
  });
}

/** Backup now, keeping the recovery point until `retainUntil`; returns the Backup job's id. */
export async function backupNow(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames, retainUntil: Date): Promise<string | undefined> {
  // The whole operation (request and polls) holds one of the vault's slots (src/azure/concurrency.ts).
  return changeItem(ref, names, settings, async () => {
    const raw = await attempt("Backing up", `VM '${names.vm.name}' in vault '${ref.vaultName}'`, () =>
      withRaw((options) =>
        c.backup.backups.trigger(
          ref.vaultName,
          ref.resourceGroupName,
          "Azure",
          names.containerName,
          names.itemName,
          { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: retainUntil } as never },
          options,
        ),
      ),
    );
    return follow(c, settings, ref, names, raw, "Backing up", false);
  });
}

export interface JobState {
  id: string;
  operation: string;
  status: string;
  startTime: string | undefined;
  endTime: string | undefined;
  error: string | undefined;
}

export async function getJob(c: AzureClients, ref: VaultRef, jobId: string): Promise<JobState> {
  const job = await attempt("Reading", `job '${jobId}' in vault '${ref.vaultName}'`, () =>
    c.backup.jobDetails.get(ref.vaultName, ref.resourceGroupName, jobId),
  );
  const p = (job.properties ?? {}) as {
    operation?: string;
    status?: string;
    startTime?: Date;
    endTime?: Date;
    errorDetails?: Array<{ errorString?: string; errorTitle?: string }>;
  };
  return {
    id: job.name ?? jobId,
    operation: p.operation ?? "",
    status: p.status ?? "",
    startTime: p.startTime?.toISOString(),
    endTime: p.endTime?.toISOString(),
    error: p.errorDetails?.map((e) => `${e.errorTitle ?? ""} ${e.errorString ?? ""}`.trim()).join("; "),
  };
}

/** Waits for a job to finish (Completed, Failed, ...). */
export async function waitForJob(c: AzureClients, settings: AzureSettings, ref: VaultRef, jobId: string, timeoutMs: number): Promise<JobState> {
  return pollUntilDone(
    async () => {
      const job = await getJob(c, ref, jobId);
      return { done: job.status !== "InProgress" && job.status !== "Cancelling", value: job, headers: {} };
    },
    {
      intervalMs: Math.max(settings.pollIntervalMs, settings.emulator ? 50 : 30_000),
      timeoutMs,
      operation: "Waiting for",
      resource: `job '${jobId}' in vault '${ref.vaultName}'`,
    },
  );
}

/**
 * Where a VM is protected, asked of the region's backup service. `vaultId` is the vault the VM is tied to,
 * whatever `protectionStatus` says: the Azure CLI's `az backup protection check-vm` reads only the vault id,
 * and the API (BackupStatusResponse in bms.json) has no value for a soft-deleted item, so the caller reads the
 * item in that vault to know its state.
 */
export async function backupStatus(c: AzureClients, location: string, vmId: string): Promise<BackupStatus> {
  const vm = parseVmId(vmId);
  // Asked once per process (a check and the create after it need the same answer); forgotten when this process
  // changes the VM's protection (sendWhenFree, remember).
  const ask = () => askBackupStatus(c, location, vmId);
  return vm === undefined ? ask() : lookups.get(statusKey(vm), ask);
}

export interface BackupStatus {
  protected: boolean;
  protectionStatus: string;
  vaultId?: string;
  policyName?: string;
}

async function askBackupStatus(c: AzureClients, location: string, vmId: string): Promise<BackupStatus> {
  const status = await attempt("Asking where Azure Backup protects", `VM '${parseVmId(vmId)?.name ?? vmId}'`, () =>
    c.backup.backupStatus.get(location, { resourceId: vmId, resourceType: "VM" }),
  );
  return {
    protected: status.protectionStatus === "Protected",
    protectionStatus: String(status.protectionStatus ?? ""),
    ...(status.vaultId === undefined || status.vaultId === "" ? {} : { vaultId: status.vaultId }),
    ...(status.policyName === undefined ? {} : { policyName: status.policyName }),
  };
}
