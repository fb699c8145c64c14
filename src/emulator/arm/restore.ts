/**
 * Restoring a protected VM (api 2023-06-01): `Restores_Trigger`, POST
 * `.../protectedItems/{item}/recoveryPoints/{rp}/restore` with an `IaasVMRestoreRequest` (or
 * `IaasVMRestoreWithRehydrationRequest`) of recoveryType RestoreDisks, AlternateLocation or OriginalLocation. As the
 * spec's examples answer (examples/AzureIaasVm/TriggerRestore_RestoreDisks_IaasVMRestoreWithRehydrationRequest.json and
 * TriggerRestore_ALR_IaasVMRestoreRequest_IdentityBasedRestoreDetails.json in
 * https://github.com/Azure/azure-rest-api-specs/tree/main/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01):
 * 202 with Location (the item's operationResults) and Azure-AsyncOperation (the item's operationsStatus), whose status
 * names the Restore job (OperationStatusJobExtendedInfo); the job then runs on the emulated clock (model/restore.ts).
 * The fields read are those the Azure CLI sends (`_get_trigger_restore_properties`, `_set_trigger_restore_properties`
 * in src/azure-cli/azure/cli/command_modules/backup/custom.py of https://github.com/Azure/azure-cli): recoveryPointId,
 * recoveryType, sourceResourceId, storageAccountId (or identityBasedRestoreDetails.targetStorageAccountId),
 * targetResourceGroupId, targetVirtualMachineId, virtualNetworkId, subnetId, region, originalStorageAccountOption, zones.
 *
 * Which tier a restore reads: the snapshot while it exists, for managed disks (a target resource group given, or a
 * VM created or replaced); without a target resource group the CLI warns that the disks are restored as unmanaged
 * and "This will NOT leverage the instant restore functionality" (custom.py restore_disks), so they come from the vault.
 *
 * Refusals, with their public source:
 * - the recovery point does not exist: 404 BMSUserErrorRecoveryPointNotFound (as the recovery point GET answers: jobs.ts);
 * - a restore into another subscription from a point only in the snapshot tier: UserErrorCrossSubscriptionRestoreNotSuppportedFromSnapshot,
 *   and replacing disks of the original VM across subscriptions cannot happen (no target); the codes, spelling included,
 *   of https://learn.microsoft.com/azure/backup/backup-azure-vms-troubleshoot ("Restore");
 * - a point whose snapshot is gone and which never reached the vault: the job fails with UserErrorInstantRpNotFound
 *   ("Restore failed because the snapshot of the VM was not found", same page);
 * - missing or malformed fields: 400 BMSUserErrorInvalidInput (the emulator's code for bad input elsewhere; Azure's
 *   exact code per field is not established), as is a new VM whose id names a VM that exists (emulator: code not
 *   established) and replacing the disks of a VM that no longer exists.
 */
import { ArmError, badRequest, notFound, ok, prop } from "../http";
import { itemKey } from "../model/records";
import { disksOf, startRestore, type RestoreRequest } from "../model/restore";
import type { DiskRecord, ItemRecord, JobRecord } from "../state";
import { asyncHeaders, backupVaultId, iso } from "./render";
import { VAULT_PATH, type Services } from "./services";

const RESTORE_TYPES = ["RestoreDisks", "AlternateLocation", "OriginalLocation"] as const;
const OBJECT_TYPES = ["IaasVMRestoreRequest", "IaasVMRestoreWithRehydrationRequest"];
const GROUP_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)$/i;
const VM_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)$/i;
const STORAGE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)$/i;
const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const invalid = (message: string) => badRequest("BMSUserErrorInvalidInput", message);

export function registerRestore(s: Services): void {
  const { router, model } = s;
  const itemPath = `${VAULT_PATH}/backupFabrics/{fabricName}/protectionContainers/{containerName}/protectedItems/{protectedItemName}`;

  router.add("POST", `${itemPath}/recoveryPoints/{recoveryPointId}/restore`, (r) => {
    const vault = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (vault === undefined) throw notFound("Microsoft.RecoveryServices/vaults", r.params.vaultName!, r.params.resourceGroupName!);
    const key = itemKey(r.params.containerName!, r.params.protectedItemName!);
    const item = vault.items.find((i) => i.key === key);
    if (item === undefined)
      throw new ArmError(404, "BMSUserErrorObjectNotFound", `Backup item '${r.params.protectedItemName}' was not found in vault '${vault.name}'.`);
    const rp = item.recoveryPoints.find((p) => p.name === r.params.recoveryPointId);
    if (rp === undefined) throw new ArmError(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${r.params.recoveryPointId}' was not found.`);

    const p = prop(r.body, "properties");
    const objectType = text(prop(p, "objectType"));
    if (objectType === undefined || !OBJECT_TYPES.includes(objectType)) {
      throw invalid(`properties.objectType must be one of ${OBJECT_TYPES.join(", ")} for an Azure VM; got '${String(objectType)}'.`);
    }
    const recoveryType = text(prop(p, "recoveryType"));
    if (!RESTORE_TYPES.includes(recoveryType as never)) {
      throw invalid(`properties.recoveryType must be one of ${RESTORE_TYPES.join(", ")}; got '${String(recoveryType)}'.`);
    }
    const type = recoveryType as RestoreRequest["recoveryType"];
    const storageAccountId = text(prop(p, "storageAccountId")) ?? text(prop(p, "identityBasedRestoreDetails", "targetStorageAccountId"));
    if (storageAccountId === undefined || !STORAGE_ID.test(storageAccountId)) {
      throw invalid(
        `properties.storageAccountId must be the id of a storage account (the staging location of the restore); got '${String(storageAccountId)}'.`,
      );
    }
    const targetResourceGroupId = text(prop(p, "targetResourceGroupId"));
    if (targetResourceGroupId !== undefined && !GROUP_ID.test(targetResourceGroupId)) {
      throw invalid(`properties.targetResourceGroupId must be the id of a resource group; got '${targetResourceGroupId}'.`);
    }
    const targetVirtualMachineId = text(prop(p, "targetVirtualMachineId"));
    const subnetId = text(prop(p, "subnetId"));
    const zones = prop(p, "zones");
    if (type === "AlternateLocation") {
      if (targetVirtualMachineId === undefined || !VM_ID.test(targetVirtualMachineId)) {
        throw invalid(`properties.targetVirtualMachineId must be the id of the VM to create; got '${String(targetVirtualMachineId)}'.`);
      }
      if (targetResourceGroupId === undefined) throw invalid("properties.targetResourceGroupId is required to create a new VM.");
      if (subnetId === undefined || !SUBNET_ID.test(subnetId) || text(prop(p, "virtualNetworkId")) === undefined) {
        throw invalid("properties.virtualNetworkId and properties.subnetId are required to create a new VM.");
      }
      if (model.vm(targetVirtualMachineId) !== undefined) {
        // emulator: Azure's code for this refusal is not established.
        throw invalid(`A virtual machine '${targetVirtualMachineId}' already exists; choose another name for the new VM.`);
      }
    }
    if (type === "OriginalLocation" && model.vm(item.vmId) === undefined) {
      throw invalid(`The original VM '${item.vmId}' no longer exists: restore disks or create a new VM instead.`);
    }
    if (type === "OriginalLocation" && rp.encrypted === true) {
      // "You cannot use 'replace existing VM' option for ADE encrypted VMs" (Microsoft Learn, Troubleshoot backup errors
      // with encrypted Azure VMs); the support matrix allows replacing disks of VMs on unencrypted managed disks only.
      // emulator: Azure's code and status for this refusal are not established.
      throw invalid(`Recovery point '${rp.name}' is of a VM encrypted with Azure Disk Encryption: its disks cannot replace the original VM's.`);
    }

    // The tier the restore reads (module comment), and what Azure refuses about it.
    const now = model.now();
    const targetSubscription = (GROUP_ID.exec(targetResourceGroupId ?? "")?.[1] ?? vault.subscriptionId).toLowerCase();
    const crossSubscription = targetSubscription !== vault.subscriptionId.toLowerCase();
    const inVault = now >= rp.inVaultAt;
    const snapshot = now < rp.snapshotUntil;
    const managed = targetResourceGroupId !== undefined || type !== "RestoreDisks";
    if (crossSubscription && !inVault) {
      throw badRequest(
        "UserErrorCrossSubscriptionRestoreNotSuppportedFromSnapshot",
        "Operation failed as Cross Subscription Restore is not supported when restoring from a Snapshot recovery point.",
      );
    }
    const sourceTier: RestoreRequest["sourceTier"] = snapshot && managed && !crossSubscription ? "Snapshot" : "Vault";
    const unusable =
      sourceTier === "Vault" && !inVault
        ? {
            code: "UserErrorInstantRpNotFound",
            message: "Restore failed because the snapshot of the VM was not found. The snapshot could have been deleted, please check.",
          }
        : undefined;
    if (disksOf(model, item, rp).length === 0 && unusable === undefined) {
      // emulator: a point of a VM the emulator never knew (older state files) has nothing to restore.
      throw invalid(`Recovery point '${rp.name}' holds no disk the emulator knows.`);
    }
    const request: RestoreRequest = {
      recoveryType: type,
      sourceTier,
      storageAccountId,
      ...(targetResourceGroupId === undefined ? {} : { targetResourceGroupId }),
      ...(type === "AlternateLocation" ? { targetVirtualMachineId: targetVirtualMachineId!, subnetId: subnetId! } : {}),
      ...(Array.isArray(zones) && zones.every((z) => typeof z === "string") ? { zones: zones as string[] } : {}),
    };
    const job = startRestore(model, vault, item, rp, request, unusable);
    const op = model.startOperation("item-restore", vault, r.faults, { itemKey: item.key, jobId: job.id });
    const base = `${backupVaultId(vault)}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.name}`;
    return ok(
      undefined,
      202,
      asyncHeaders(r, s.retryAfterSeconds, { location: `${base}/operationResults/${op.id}`, asyncOperation: `${base}/operationsStatus/${op.id}` }),
    );
  });
}

/** A managed disk created by a restore (Disks_Get of the compute API, its Disk shape: creationData.createOption "Restore"); served by compute.ts. */
export function renderRestoredDisk(disk: DiskRecord): Record<string, unknown> {
  return {
    id: disk.id,
    name: disk.id.split("/").pop(),
    type: "Microsoft.Compute/disks",
    location: disk.location,
    ...(disk.zones === undefined ? {} : { zones: disk.zones }),
    sku: { name: disk.storageType },
    properties: {
      ...(disk.osType === undefined ? {} : { osType: disk.osType }),
      creationData: { createOption: "Restore" },
      diskSizeGB: disk.sizeGb,
      timeCreated: iso(disk.createdAt),
      provisioningState: "Succeeded",
      diskState: "Unattached",
    },
  };
}

/** .NET's invariant short date and long time, as the job's "Recovery point time " is written ("12/25/2019 10:07:11 PM"). */
function dotnetTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? "AM" : "PM"}`;
}

/** `hh:mm:ss` (days first when there are any), as the service writes TimeSpans. */
function timeSpan(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(total / 86400);
  const hms = [Math.floor((total % 86400) / 3600), Math.floor((total % 3600) / 60), total % 60].map((n) => String(n).padStart(2, "0")).join(":");
  return days > 0 ? `${days}.${hms}` : hms;
}

/**
 * A Restore job's extendedInfo. The property bag as Azure writes that of a disk restore ("Job Type": "Recover disks",
 * "Recovery point time " with its trailing space, "Target Storage Account Name", "Target resource group", "Config Blob
 * Container Name", "Config Blob Name", "Config Blob Uri", "Template Blob Uri": the `az backup job show` output in
 * https://learn.microsoft.com/azure/backup/tutorial-restore-disk); the task a restore job lists, "Transfer data from vault"
 * (the Restore job of https://learn.microsoft.com/azure/backup/tutorial-sap-hana-restore-cli); progressPercentage and
 * estimatedRemainingDuration while it runs (AzureIaaSVMJobExtendedInfo in bms.json: "Null if it has not started or completed").
 */
export function restoreExtendedInfo(item: ItemRecord | undefined, job: JobRecord, now: number): Record<string, unknown> {
  const restore = job.restore!;
  const storage = STORAGE_ID.exec(restore.storageAccountId ?? "");
  const bag: Record<string, string> = {
    // Only a disk restore's "Job Type" is documented ("Recover disks"); the others' are not established, so absent.
    ...(restore.recoveryType === "RestoreDisks" ? { "Job Type": "Recover disks" } : {}),
    "Recovery point time ": dotnetTime(restore.recoveryPointTime),
    ...(storage === null ? {} : { "Target Storage Account Name": storage[3]! }),
  };
  const targetGroup = GROUP_ID.exec(restore.targetResourceGroupId ?? "")?.[2];
  if (targetGroup !== undefined) bag["Target resource group"] = targetGroup;
  if (job.status === "Completed" && restore.recoveryType === "RestoreDisks" && storage !== null) {
    const vmName = (item?.vmId ?? job.friendlyName).split("/").pop()!;
    const container = `${vmName.toLowerCase()}-${job.id.replace(/-/g, "")}`;
    const blob = `https://${storage[3]}.blob.core.windows.net/${container}`;
    bag["Config Blob Container Name"] = container;
    bag["Config Blob Name"] = `config-${vmName}-${job.id}.json`;
    bag["Config Blob Uri"] = `${blob}/config-${vmName}-${job.id}.json`;
    bag["Template Blob Uri"] = `${blob}/azuredeploy${job.id}.json`;
  }
  const end = job.endTime ?? now;
  const running = job.status === "InProgress";
  const copying = now >= restore.copyAt;
  const total = restore.doneAt - job.startTime;
  const percent = total <= 0 ? 100 : Math.min(99, Math.floor(((now - job.startTime) / total) * 100));
  const task = {
    taskId: "Transfer data from vault",
    status: job.status === "Completed" ? "Completed" : job.status === "Failed" ? "Failed" : copying ? "InProgress" : "NotStarted",
    duration: `PT${Math.max(0, (Math.min(end, restore.doneAt) - Math.min(end, restore.copyAt)) / 1000)}S`,
    ...(copying ? { startTime: iso(restore.copyAt) } : {}),
    ...(job.endTime === undefined ? {} : { endTime: iso(job.endTime) }),
    ...(running && copying ? { progressPercentage: percent } : {}),
  };
  return {
    tasksList: [task],
    propertyBag: bag,
    ...(running ? { progressPercentage: percent, estimatedRemainingDuration: timeSpan(restore.doneAt - now) } : {}),
    ...(job.error === undefined ? {} : { dynamicErrorMessage: job.error.message }),
  };
}
