/**
 * Restoring a protected VM: its recovery points (with the tiers each is in), triggering a restore (Restores_Trigger,
 * POST .../recoveryPoints/{rp}/restore: 202 with the item's operation URLs, examples/AzureIaasVm/TriggerRestore_*.json
 * of Azure/azure-rest-api-specs), following the trigger's operation to the Restore job it started
 * (OperationStatusJobExtendedInfo.jobId, as the Azure CLI's `track_backup_job` does), and reading that job
 * (JobDetails_Get: status, tasks, progress, property bag).
 */
import type { IaasVMRestoreRequest } from "@azure/arm-recoveryservicesbackup";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError } from "./errors";
import { operationIdOf, type ItemNames, type VaultRef } from "./ids";
import { pollUntilDone, sleep, type Raw } from "./poll";
import type { AzureSettings } from "./settings";

export interface RestorePointState {
  name: string;
  /** ISO time of the point. */
  time: string;
  consistency: string;
  /** The snapshot (instant restore) tier still holds the point. */
  inSnapshot: boolean;
  /** The point reached the vault (Standard tier). */
  inVault: boolean;
  /** The VM was encrypted with Azure Disk Encryption when the point was taken (isSourceVMEncrypted). */
  encrypted: boolean;
}

const label = (ref: VaultRef, names: ItemNames) => `VM '${names.vm.name}' in vault '${ref.vaultName}'`;

/** A recovery point's tiers: InstantRP is the snapshot, HardenedRP the vault (RecoveryPointTierInformationV2 in bms.json). */
function tiersOf(details: Array<{ type?: string; status?: string }> | undefined): { inSnapshot: boolean; inVault: boolean } {
  const valid = (type: string) => (details ?? []).some((t) => t.type === type && t.status === "Valid");
  return { inSnapshot: valid("InstantRP"), inVault: valid("HardenedRP") };
}

/** The item's recovery points with their tiers (snapshot, vault), newest first. */
export async function listRestorePoints(c: AzureClients, ref: VaultRef, names: ItemNames): Promise<RestorePointState[]> {
  return attempt("Listing the recovery points of", label(ref, names), async () => {
    const out: RestorePointState[] = [];
    for await (const rp of c.backup.recoveryPoints.list(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName)) {
      const p = (rp.properties ?? {}) as {
        recoveryPointTime?: Date | string;
        recoveryPointType?: string;
        recoveryPointTierDetails?: Array<{ type?: string; status?: string }>;
        isSourceVMEncrypted?: boolean;
      };
      const time = p.recoveryPointTime === undefined ? new Date(0) : new Date(p.recoveryPointTime);
      out.push({
        name: rp.name ?? "",
        time: time.toISOString(),
        consistency: p.recoveryPointType ?? "",
        ...tiersOf(p.recoveryPointTierDetails),
        encrypted: p.isSourceVMEncrypted === true,
      });
    }
    return out.sort((a, b) => b.time.localeCompare(a.time));
  });
}

export type RecoveryType = "RestoreDisks" | "AlternateLocation" | "OriginalLocation";

export interface RestoreBody {
  recoveryType: RecoveryType;
  sourceVmId: string;
  region: string;
  storageAccountId: string;
  targetResourceGroupId?: string;
  targetVirtualMachineId?: string;
  virtualNetworkId?: string;
  subnetId?: string;
  zones?: string[];
}

/**
 * Triggers the restore and follows the trigger's operation to the Restore job it started; returns the job's id.
 * The request is the one the Azure CLI builds (`_get_trigger_restore_properties` in
 * src/azure-cli/azure/cli/command_modules/backup/custom.py of Azure/azure-cli): IaasVMRestoreRequest,
 * createNewCloudService false, the vault's region, originalStorageAccountOption false.
 */
export async function triggerRestore(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  names: ItemNames,
  recoveryPoint: string,
  body: RestoreBody,
): Promise<string> {
  const properties: IaasVMRestoreRequest = {
    objectType: "IaasVMRestoreRequest",
    recoveryPointId: recoveryPoint,
    recoveryType: body.recoveryType,
    sourceResourceId: body.sourceVmId,
    storageAccountId: body.storageAccountId,
    region: body.region,
    createNewCloudService: false,
    originalStorageAccountOption: false,
    ...(body.targetResourceGroupId === undefined ? {} : { targetResourceGroupId: body.targetResourceGroupId }),
    ...(body.targetVirtualMachineId === undefined ? {} : { targetVirtualMachineId: body.targetVirtualMachineId }),
    ...(body.virtualNetworkId === undefined ? {} : { virtualNetworkId: body.virtualNetworkId }),
    ...(body.subnetId === undefined ? {} : { subnetId: body.subnetId }),
    ...(body.zones === undefined ? {} : { zones: body.zones }),
  };
  const what = `Restoring (${body.recoveryType}) recovery point '${recoveryPoint}' of`;
  // The SDK's poller would wait for the end of the trigger's operation; its first answer (202 and its headers) is
  // all we need, then the operation's status names the job (as the Azure CLI's `polling=False` + track_backup_job).
  let raw: Raw<unknown> | undefined;
  await attempt(what, label(ref, names), () =>
    c.backup.restores.beginTrigger(
      ref.vaultName,
      ref.resourceGroupName,
      "Azure",
      names.containerName,
      names.itemName,
      recoveryPoint,
      { properties },
      { onResponse: (r) => (raw ??= { value: undefined, status: r.status, headers: r.headers.toJSON() }), updateIntervalInMs: settings.pollIntervalMs },
    ),
  );
  const operationId = operationIdOf(raw?.headers["azure-asyncoperation"] ?? raw?.headers.location);
  if (operationId === undefined) throw new AzureOperationError(what, label(ref, names), undefined, "Azure answered without an operation to follow.");
  const status = await pollUntilDone(
    async () => {
      let headers: Record<string, string> = {};
      const value = await attempt(`Following "${what}"`, label(ref, names), () =>
        c.backup.protectedItemOperationStatuses.get(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName, operationId, {
          onResponse: (r) => (headers = r.headers.toJSON()),
        }),
      );
      return { done: value.status !== "InProgress", value, headers };
    },
    { intervalMs: settings.pollIntervalMs, timeoutMs: settings.operationTimeoutMs, operation: what, resource: label(ref, names) },
  );
  if (status.status !== "Succeeded") {
    throw new AzureOperationError(what, label(ref, names), status.error?.code, status.error?.message ?? `the operation ended ${status.status}.`);
  }
  const jobId = (status.properties as { jobId?: string } | undefined)?.jobId;
  if (jobId === undefined) throw new AzureOperationError(what, label(ref, names), undefined, "Azure started the restore without naming its job.");
  return jobId;
}

export interface RestoreJobState {
  id: string;
  status: string;
  startTime?: string;
  endTime?: string;
  /** Azure's progress (0-100) while the job runs, when it gives one. */
  progressPercentage?: number;
  /** Azure's estimate of the time left (TimeSpan text), when it gives one. */
  estimatedRemaining?: string;
  tasks: Array<{ name: string; status: string; progressPercentage?: number }>;
  propertyBag: Record<string, string>;
  errors: Array<{ code: string; message: string; recommendations: string[] }>;
}

export async function getRestoreJob(c: AzureClients, ref: VaultRef, jobId: string): Promise<RestoreJobState> {
  const job = await attempt("Reading", `restore job '${jobId}' in vault '${ref.vaultName}'`, () =>
    c.backup.jobDetails.get(ref.vaultName, ref.resourceGroupName, jobId),
  );
  const p = (job.properties ?? {}) as {
    status?: string;
    startTime?: Date;
    endTime?: Date;
    extendedInfo?: {
      tasksList?: Array<{ taskId?: string; status?: string; progressPercentage?: number }>;
      propertyBag?: Record<string, string>;
      progressPercentage?: number;
      estimatedRemainingDuration?: string;
    };
    errorDetails?: Array<{ errorTitle?: string; errorString?: string; recommendations?: string[] }>;
  };
  const x = p.extendedInfo ?? {};
  return {
    id: job.name ?? jobId,
    status: p.status ?? "",
    ...(p.startTime === undefined ? {} : { startTime: new Date(p.startTime).toISOString() }),
    ...(p.endTime === undefined ? {} : { endTime: new Date(p.endTime).toISOString() }),
    ...(typeof x.progressPercentage === "number" ? { progressPercentage: x.progressPercentage } : {}),
    ...(x.estimatedRemainingDuration === undefined ? {} : { estimatedRemaining: x.estimatedRemainingDuration }),
    tasks: (x.tasksList ?? []).map((t) => ({
      name: t.taskId ?? "",
      status: t.status ?? "",
      ...(typeof t.progressPercentage === "number" ? { progressPercentage: t.progressPercentage } : {}),
    })),
    propertyBag: x.propertyBag ?? {},
    errors: (p.errorDetails ?? []).map((e) => ({ code: e.errorTitle ?? "", message: e.errorString ?? "", recommendations: e.recommendations ?? [] })),
  };
}

/** Reads the job until it ends (anything but InProgress and Cancelling), telling `onRead` each state. */
export async function followRestoreJob(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  jobId: string,
  onRead: (job: RestoreJobState) => void | Promise<void>,
  timeoutMs = settings.operationTimeoutMs * 12,
): Promise<RestoreJobState> {
  const started = Date.now();
  // Azure's restore jobs run minutes to hours: read every 30 s against Azure, quickly against the emulator.
  const interval = Math.max(settings.pollIntervalMs, settings.emulator ? 20 : 30_000);
  for (;;) {
    const job = await getRestoreJob(c, ref, jobId);
    await onRead(job);
    if (job.status !== "InProgress" && job.status !== "Cancelling") return job;
    if (Date.now() - started + interval > timeoutMs) {
      throw new AzureOperationError(
        "Waiting for",
        `restore job '${jobId}' in vault '${ref.vaultName}'`,
        "OperationTimedOut",
        "it may still complete in Azure.",
      );
    }
    await sleep(interval);
  }
}
