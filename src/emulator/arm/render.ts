/**
 * Resource bodies as the Recovery Services API returns them (the x-ms-examples of Azure/azure-rest-api-specs):
 * ids, names, types, and the properties the SDK's mappers read. Backup sub-resource ids start with
 * `/Subscriptions/` as the service's own examples do, so clients must compare ids without case.
 */
import { ArmError, type EmulatorRequest } from "../http";
import { renderIdentity, renderSettings } from "./vault-settings";
import { renderVaultPrivateEndpoints } from "./private-endpoints";
import { restoreExtendedInfo } from "./restore";
import type { ItemRecord, JobRecord, OperationRecord, PolicyRecord, RecoveryPointRecord, VaultRecord } from "../state";

export const VAULT_TYPE = "Microsoft.RecoveryServices/vaults";

export function vaultId(v: VaultRecord): string {
  return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${v.name}`;
}

/** The vault path as the backup service writes it in its own ids. */
export function backupVaultId(v: VaultRecord): string {
  return `/Subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${v.name}`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function renderVault(v: VaultRecord): Record<string, unknown> {
  return {
    id: vaultId(v),
    name: v.name,
    type: VAULT_TYPE,
    location: v.location,
    ...(v.tags === undefined ? {} : { tags: v.tags }),
    etag: v.etag,
    ...(renderIdentity(v) === undefined ? {} : { identity: renderIdentity(v) }),
    sku: { name: v.sku },
    properties: {
      provisioningState: v.provisioningState,
      publicNetworkAccess: v.publicNetworkAccess,
      redundancySettings: {
        standardTierStorageRedundancy: v.redundancy,
        crossRegionRestore: v.crossRegionRestore ? "Enabled" : "Disabled",
      },
      securitySettings: {
        immutabilitySettings: { state: v.immutability },
        softDeleteSettings: {
          softDeleteState: v.softDelete.state,
          softDeleteRetentionPeriodInDays: v.softDelete.retentionDays,
          enhancedSecurityState: v.softDelete.enhancedSecurityState,
        },
        multiUserAuthorization: "Disabled",
      },
      ...(v.monitoringSettings === undefined ? {} : { monitoringSettings: v.monitoringSettings }),
      ...renderSettings(v),
      ...renderVaultPrivateEndpoints(v),
      secureScore: "None",
      bcdrSecurityLevel: "Poor",
      backupStorageVersion: "V2",
    },
  };
}

export function renderPolicy(v: VaultRecord, p: PolicyRecord): Record<string, unknown> {
  // The items attached to the policy now: stopping protection detaches an item (the Azure CLI sends `policyId: ''` with
  // ProtectionStopped, `_get_disable_protection_request` in Azure/azure-cli's backup module), a soft-deleted item is gone.
  const count = v.items.filter((i) => i.policyName?.toLowerCase() === p.name.toLowerCase() && i.deferredDeleteAt === undefined).length;
  return {
    id: `${backupVaultId(v)}/backupPolicies/${p.name}`,
    name: p.name,
    type: "Microsoft.RecoveryServices/vaults/backupPolicies",
    properties: { ...p.properties, protectedItemsCount: count },
  };
}

export function itemId(v: VaultRecord, item: ItemRecord): string {
  return `${backupVaultId(v)}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.name}`;
}

export function renderItem(v: VaultRecord, item: ItemRecord, now: number): Record<string, unknown> {
  const latest = item.recoveryPoints.reduce<RecoveryPointRecord | undefined>((a, b) => (a === undefined || b.time > a.time ? b : a), undefined);
  const softDeleted = item.deferredDeleteAt !== undefined;
  const properties: Record<string, unknown> = {
    protectedItemType: "Microsoft.Compute/virtualMachines",
    backupManagementType: "AzureIaasVM",
    workloadType: "VM",
    containerName: item.containerName.replace(/^iaasvmcontainer;/i, ""),
    sourceResourceId: item.vmId,
    virtualMachineId: item.vmId,
    friendlyName: item.friendlyName,
    protectionStatus: item.protectionState === "ProtectionStopped" ? "Unhealthy" : "Healthy",
    protectionState: item.protectionState,
    healthStatus: "Passed",
    lastBackupStatus: item.lastBackupStatus,
    // Before the first backup the service reports 2001-01-01 (examples/AzureIaasVm/Compute_ProtectedItem_Get.json in https://github.com/Azure/azure-rest-api-specs/tree/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01).
    lastBackupTime: item.lastBackupTime === undefined ? "2001-01-01T00:00:00Z" : iso(item.lastBackupTime),
    protectedItemDataId: String(Math.abs(hashOf(item.key))),
    isScheduledForDeferredDelete: softDeleted,
    extendedInfo: { recoveryPointCount: item.recoveryPoints.length, policyInconsistent: false },
    vaultId: vaultId(v),
  };
  if (item.policyName !== undefined) {
    properties.policyId = `${backupVaultId(v)}/backupPolicies/${item.policyName}`;
    properties.policyName = item.policyName;
  } else {
    properties.policyId = "";
  }
  if (latest !== undefined) {
    properties.lastRecoveryPoint = iso(latest.time);
    (properties.extendedInfo as Record<string, unknown>).oldestRecoveryPoint = iso(Math.min(...item.recoveryPoints.map((r) => r.time)));
  }
  if (softDeleted) {
    properties.deferredDeleteTimeInUTC = iso(item.deferredDeleteAt! - v.softDelete.retentionDays * 86_400_000);
    properties.deferredDeleteTimeRemaining = remaining(item.deferredDeleteAt! - now);
    properties.isDeferredDeleteScheduleUpcoming = item.deferredDeleteAt! - now < 86_400_000;
    properties.softDeleteRetentionPeriodInDays = v.softDelete.retentionDays;
  }
  if (item.diskExclusion !== undefined) {
    properties.extendedProperties = { diskExclusionProperties: { ...item.diskExclusion } };
  }
  return {
    id: itemId(v, item),
    name: item.name,
    type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
    properties,
  };
}

/** .NET TimeSpan text, as `deferredDeleteTimeRemaining` is written: `13.23:59:59`. */
function remaining(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const hms = [h, m, s].map((n) => String(n).padStart(2, "0")).join(":");
  return days > 0 ? `${days}.${hms}` : hms;
}

function hashOf(text: string): number {
  let hash = 7;
  for (const c of text) hash = (hash * 131 + c.charCodeAt(0)) % 1_000_000_007;
  return hash;
}

export function renderRecoveryPoint(
  v: VaultRecord,
  item: ItemRecord,
  rp: RecoveryPointRecord,
  now: number,
  vmSize: string | undefined,
): Record<string, unknown> {
  const tiers: Array<{ type: string; status: string }> = [{ type: "InstantRP", status: now < rp.snapshotUntil ? "Valid" : "Deleted" }];
  if (now >= rp.inVaultAt) tiers.push({ type: "HardenedRP", status: "Valid" });
  return {
    id: `${itemId(v, item)}/recoveryPoints/${rp.name}`,
    name: rp.name,
    type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints",
    properties: {
      objectType: "IaasVMRecoveryPoint",
      recoveryPointType: rp.consistency,
      recoveryPointTime: iso(rp.time),
      recoveryPointAdditionalInfo: "",
      sourceVMStorageType: "NormalStorage",
      isSourceVMEncrypted: rp.encrypted === true,
      // A file recovery session is active from its provision until revoked or 12 hours on (model/item-recovery.ts).
      isInstantIlrSessionActive: rp.ilrSession !== undefined && now < rp.ilrSession.endsAt,
      recoveryPointTierDetails: tiers,
      isManagedVirtualMachine: true,
      virtualMachineSize: vmSize ?? "Standard_D2s_v3",
      originalStorageAccountOption: false,
      ...(rp.expiresAt === undefined ? {} : { recoveryPointProperties: { expiryTime: iso(rp.expiresAt) } }),
    },
  };
}

/** ISO 8601 duration, as job durations are written: `PT9.8782791S`. */
function timespan(ms: number): string {
  return `PT${Math.max(0, ms / 1000)}S`;
}

/**
 * A job's propertyBag. A completed Backup job reports the data it sent as "Backup Size", in MB ("Backup Size": "2332 MB"
 * in the job example of https://github.com/MicrosoftDocs/azure-docs/blob/b110c3104272fc472a65ef3ce32abf0caa0da10b/articles/backup/backup-azure-arm-userestapi-managejobs.md:
 * the details appear once the job is Completed or CompletedWithWarnings).
 */
function jobPropertyBag(job: JobRecord): Record<string, string> {
  const bag: Record<string, string> = { "VM Name": job.friendlyName };
  if (job.operation === "Backup" && job.status === "Completed" && job.backupSizeMb !== undefined) bag["Backup Size"] = `${job.backupSizeMb} MB`;
  return bag;
}

export function renderJob(v: VaultRecord, job: JobRecord, now: number): Record<string, unknown> {
  const end = job.endTime ?? now;
  const snapshotted = job.snapshotAt !== undefined && now >= job.snapshotAt;
  const snapshotEnd = Math.min(now, job.snapshotAt ?? now);
  const transferEnd = Math.min(now, job.transferAt ?? now);
  const tasks =
    job.operation === "Backup"
      ? [
          { taskId: "Take Snapshot", duration: timespan(snapshotEnd - job.startTime), status: snapshotted ? "Completed" : "InProgress" },
          {
            taskId: "Transfer data to vault",
            duration: timespan(snapshotted ? transferEnd - job.snapshotAt! : 0),
            status: job.status === "Completed" ? "Completed" : snapshotted ? "InProgress" : "NotStarted",
          },
        ]
      : [];
  const properties: Record<string, unknown> = {
    jobType: "AzureIaaSVMJob",
    entityFriendlyName: job.friendlyName,
    backupManagementType: "AzureIaasVM",
    operation: job.operation,
    status: job.status,
    startTime: iso(job.startTime),
    duration: timespan(end - job.startTime),
    virtualMachineVersion: "Compute",
    // AzureIaaSVMJob.containerName (bms.json: "Container name of the entity on which the current job is executing"),
    // spelt as the protected item spells its own (iaasvmcontainerv2;<group>;<vm>: Compute_ProtectedItem_Get.json).
    // emulator: the job's spelling of it is not established by an example; this is the item's.
    ...(job.itemKey === undefined
      ? {}
      : { containerName: (v.items.find((i) => i.key === job.itemKey)?.containerName ?? job.itemKey).replace(/^iaasvmcontainer;/i, "") }),
    isUserTriggered: job.isUserTriggered,
    activityId: job.id,
    extendedInfo:
      job.restore === undefined
        ? { tasksList: tasks, propertyBag: jobPropertyBag(job) }
        : restoreExtendedInfo(
            v.items.find((i) => i.key === job.itemKey),
            job,
            now,
          ),
  };
  if (job.endTime !== undefined) properties.endTime = iso(job.endTime);
  if (job.error !== undefined) {
    // AzureIaaSVMErrorInfo (bms.json): errorCode (a number), errorTitle, errorString, recommendations.
    properties.errorDetails = [
      { errorCode: 400000, errorTitle: job.error.code, errorString: job.error.message, recommendations: [...(job.error.recommendations ?? [])] },
    ];
  }
  return { id: `${backupVaultId(v)}/backupJobs/${job.id}`, name: job.id, type: "Microsoft.RecoveryServices/vaults/backupJobs", properties };
}

/** OperationStatus: `{id, name, status, startTime, endTime, error?, properties?}`; a job id when there is one. */
export function renderOperationStatus(op: OperationRecord, id = op.id): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id,
    name: op.id,
    status: op.status,
    startTime: iso(op.startTime),
    // While running the service writes .NET's DateTime.MinValue (operation-status examples in Azure/azure-rest-api-specs).
    endTime: op.endTime === undefined ? "0001-01-01T00:00:00.00000Z" : iso(op.endTime),
  };
  if (op.failure !== undefined) body.error = { code: op.failure.code, message: op.failure.message };
  if (op.kind === "policy-update" || op.kind === "policy-delete") {
    // Policy operations report the jobs that re-configured the policy's items (ProtectionPolicyOperationStatuses_Get.json).
    if (op.status !== "InProgress")
      body.properties = { objectType: "OperationStatusJobsExtendedInfo", jobIds: (op.payload?.jobIds as string[] | undefined) ?? [], failedJobsError: {} };
  } else if (op.kind === "ilr-provision") {
    // A file recovery provision reports its scripts, not a job (OperationStatusProvisionILRExtendedInfo in bms.json;
    // the Azure CLI reads operation_status.properties.recovery_target.client_scripts: custom_help.py track_backup_ilr).
    if (op.status === "Succeeded")
      body.properties = { objectType: "OperationStatusProvisionILRExtendedInfo", recoveryTarget: { clientScripts: op.payload?.clientScripts ?? [] } };
  } else if (op.jobId !== undefined) {
    body.properties = { objectType: "OperationStatusJobExtendedInfo", jobId: op.jobId };
  }
  return body;
}

/** Location and Azure-AsyncOperation headers: absolute URLs on the emulator's own origin, one operation id. */
export function asyncHeaders(request: EmulatorRequest, retryAfter: number, urls: { location?: string; asyncOperation?: string }): Record<string, string> {
  const q = `?api-version=${request.apiVersion ?? "2023-06-01"}`;
  const headers: Record<string, string> = { "retry-after": String(retryAfter) };
  if (urls.location !== undefined) headers.location = `${request.origin}${urls.location}${q}`;
  if (urls.asyncOperation !== undefined) headers["azure-asyncoperation"] = `${request.origin}${urls.asyncOperation}${q}`;
  return headers;
}

/** A page of a list: `{value, nextLink}`. */
export function page(value: unknown[]): Record<string, unknown> {
  return { value };
}

/**
 * One page of a list that ARM pages with a continuation token: `{value, nextLink}`, where nextLink is the request's
 * own URL (path, api-version and other query parameters kept) with `token` set to where the next page starts, and
 * absent on the last page. The SDKs follow nextLink verbatim until there is none (reference/ARM-API.md; the
 * paging helpers of @azure/core-paging and of @azure/arm-compute 24.1.0 `buildPagedAsyncIterator`).
 *
 * `pageSize` undefined answers everything in one page. Azure documents no page size for these lists (the
 * Recovery Services team: "pagination is done by the service with fixed thresholds and cannot be customized",
 * Azure/azure-sdk-for-js#15306, where 200 protected items came in one page; Azure/azure-sdk-for-net#41074 saw
 * protectable items in pages of 100), so the size is an emulator option (EmulatorOptions.listPageSize), for
 * tests that make clients follow several pages. `render` runs only on the page's own records.
 *
 * The token is opaque to clients (an offset here, base64url-encoded); one the emulator did not hand out answers
 * 400 InvalidParameter "The request URL is not valid." with the token as target, as the Compute RP answers a
 * bad `$skiptoken` (Azure/azure-sdk-for-java#27991); Recovery Services' answer to a bad `$skipToken` is not established,
 * so its lists answer the same.
 */
export function pageOf<T>(
  request: EmulatorRequest,
  records: readonly T[],
  render: (record: T) => unknown,
  pageSize: number | undefined,
  token: "$skipToken" | "$skiptoken",
): Record<string, unknown> {
  const given = request.query.get(token.toLowerCase());
  let start = 0;
  if (given !== undefined) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(given, "base64url").toString("utf8"));
    if (decoded === null) throw new ArmError(400, "InvalidParameter", "The request URL is not valid.", token);
    start = Number(decoded[1]);
  }
  const end = pageSize === undefined ? records.length : Math.min(records.length, start + pageSize);
  const value = records.slice(start, end).map(render);
  if (end >= records.length) return { value };
  const query = new URLSearchParams();
  for (const [key, v] of request.query) if (key !== token.toLowerCase()) query.set(key, v);
  query.set(token, Buffer.from(`o${end}`, "utf8").toString("base64url"));
  const path = request.segments.map((s) => encodeURIComponent(s)).join("/");
  return { value, nextLink: `${request.origin}/${path}?${query.toString()}` };
}
