/**
 * Protecting VMs (api 2023-06-01): discovery (`refreshContainers` and the fabric `operationResults`),
 * protectable items, protected items (PUT to protect, change policy, stop, undelete; GET; DELETE to stop and
 * delete data), the four endpoints that track an item operation, Backup now, and `backupStatus`.
 *
 * Azure's rules enforced: vault and VM in one region and subscription; a VM protected in one vault only;
 * one protection operation at a time per item; Premium SSD v2 and Ultra disks need an enhanced policy; a
 * Trusted Launch VM takes a standard policy only through api-version 2025-01-01 and later, a Confidential VM
 * only an enhanced policy (docs/azure-today.md, "Trusted Launch and Confidential VMs");
 * deleting an item soft-deletes it when the vault has soft delete (ProtectionStopped and
 * `isScheduledForDeferredDelete` for the retention days), `isRehydrate` undeletes it; an immutable vault
 * refuses to delete recovery points and to move an item to a policy that keeps them for less time, and
 * alone accepts `BackupsSuspended` (stop backups, keep the points as the policy says). Codes marked "emulator" are not established for the real service
 * (no public recording or spec example gives them).
 */
import { enforceGuardedDelete } from "./resource-guards";
import { ArmError, badRequest, notFound, ok, prop, type EmulatorRequest, type EmulatorResponse } from "../http";
import { DAY } from "../clock";
import { DEFAULT_RETAIN_DAYS } from "../model/jobs";
import type { ItemPut } from "../model/protection";
import { itemKey, sameLocation } from "../model/records";
import type { ItemRecord, OperationRecord, VaultRecord, VmFixture } from "../state";
import { checkImmutableRetention } from "./policy-checks";
import { asyncHeaders, backupVaultId, pageOf, renderItem, renderOperationStatus } from "./render";
import { VAULT_PATH, type Services } from "./services";

const VM_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.(Compute|ClassicCompute)\/virtualMachines\/([^/]+)$/i;
const ENHANCED_ONLY = ["premiumv2_lrs", "ultrassd_lrs"];

export function registerProtection(s: Services): void {
  const { router, model } = s;
  const retry = s.retryAfterSeconds;
  const fabricPath = `${VAULT_PATH}/backupFabrics/{fabricName}`;
  const itemPath = `${fabricPath}/protectionContainers/{containerName}/protectedItems/{protectedItemName}`;

  const findVault = (r: EmulatorRequest): VaultRecord => {
    const v = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (v === undefined) throw notFound("Microsoft.RecoveryServices/vaults", r.params.vaultName!, r.params.resourceGroupName!);
    if (r.params.fabricName !== undefined && r.params.fabricName.toLowerCase() !== "azure") {
      throw notFound("backupFabrics", r.params.fabricName, r.params.resourceGroupName!);
    }
    return v;
  };
  const keyOf = (r: EmulatorRequest): string => {
    const key = itemKey(r.params.containerName!, r.params.protectedItemName!);
    if (key === undefined) {
      throw badRequest(
        "BMSUserErrorInvalidInput",
        `Container '${r.params.containerName}' and item '${r.params.protectedItemName}' are not the names of one Azure VM (IaasVMContainer;iaasvmcontainerv2;<group>;<vm> and VM;iaasvmcontainerv2;<group>;<vm>).`,
      );
    }
    return key;
  };
  const findItem = (r: EmulatorRequest, vault: VaultRecord): ItemRecord => {
    const key = keyOf(r);
    const item = vault.items.find((i) => i.key === key);
    if (item === undefined) {
      throw new ArmError(404, "BMSUserErrorObjectNotFound", `Backup item '${r.params.protectedItemName}' was not found in vault '${vault.name}'.`);
    }
    return item;
  };
  const conflicting = (vault: VaultRecord, key: string): OperationRecord | undefined =>
    model.operationsInProgress().find((o) => o.vaultKey === vault.key && o.itemKey === key && o.kind !== "item-backup");
  const itemUrls = (vault: VaultRecord, item: { containerName: string; name: string }, opId: string) => {
    const base = `${backupVaultId(vault)}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.name}`;
    return { location: `${base}/operationResults/${opId}`, asyncOperation: `${base}/operationsStatus/${opId}` };
  };

  // ---- discovery ------------------------------------------------------------------------------

  router.add("POST", `${fabricPath}/refreshContainers`, (r) => {
    const vault = findVault(r);
    const op = model.startOperation("refresh", vault, r.faults);
    // 202 with Location only, no Azure-AsyncOperation (RefreshContainers.json).
    return ok(undefined, 202, asyncHeaders(r, retry, { location: `${backupVaultId(vault)}/backupFabrics/Azure/operationResults/${op.id}` }));
  });
  router.add("GET", `${fabricPath}/operationResults/{operationId}`, (r) => {
    const vault = findVault(r);
    const op = model.operation(r.params.operationId!);
    if (op === undefined || op.vaultKey !== vault.key) throw notFound("operationResults", r.params.operationId!, r.params.resourceGroupName!);
    model.observe(op);
    if (op.status === "InProgress")
      return ok(undefined, 202, asyncHeaders(r, retry, { location: `${backupVaultId(vault)}/backupFabrics/Azure/operationResults/${op.id}` }));
    if (op.status === "Failed") throw new ArmError(400, op.failure!.code, op.failure!.message);
    return ok(undefined, 204); // 202 then 204, never 200
  });

  router.add("GET", `${VAULT_PATH}/backupProtectableItems`, (r) => {
    const vault = findVault(r);
    // One pass over the VMs with set and index lookups: O(n) per list, not O(n) per VM.
    const discovered = new Set(vault.discovered);
    const vms = model.state.vms.filter((vm) => discovered.has(vm.id.toLowerCase()) && model.protectionOf(vm.id) === undefined);
    return ok(pageOf(r, vms, (vm) => renderProtectable(vault, vm), s.pageSize, "$skipToken"));
  });

  // ---- protected items ------------------------------------------------------------------------

  router.add("GET", itemPath, (r) => {
    const vault = findVault(r);
    return ok(renderItem(vault, findItem(r, vault), model.now()));
  });

  router.add("PUT", itemPath, (r) => {
    const vault = findVault(r);
    const key = keyOf(r);
    const p = prop(r.body, "properties");
    const existing = vault.items.find((i) => i.key === key);
    const busy = conflicting(vault, key);
    if (busy !== undefined)
      throw badRequest("BMSUserErrorConflictingProtectionOperation", "Another configure protection operation is in progress for this item.");
    const state = prop(p, "protectionState");
    const rehydrate = prop(p, "isRehydrate") === true;
    let put: ItemPut;
    let jobOperation: "ConfigureBackup" | "DisableBackup" | "Undelete";
    if (existing?.deferredDeleteAt !== undefined) {
      if (!rehydrate) {
        // emulator: Azure refuses to protect a soft-deleted item until it is undeleted; its code is not established.
        throw badRequest(
          "BMSUserErrorItemSoftDeleted",
          `Backup item '${existing.friendlyName}' is soft-deleted in vault '${vault.name}'. Undelete it (isRehydrate) before protecting it again.`,
        );
      }
      put = { mode: "rehydrate" };
      jobOperation = "Undelete";
    } else if (rehydrate) {
      throw badRequest("BMSUserErrorInvalidInput", "isRehydrate applies to soft-deleted items only.");
    } else if (state === "ProtectionStopped" || state === "BackupsSuspended") {
      if (existing === undefined) throw new ArmError(404, "BMSUserErrorObjectNotFound", "There is no backup item to stop.");
      // "Backups can't be suspended until immutability is enabled on the vault" (Disable-AzRecoveryServicesBackupProtection
      // -RetainRecoveryPointsAsPerPolicy, https://learn.microsoft.com/powershell/module/az.recoveryservices/disable-azrecoveryservicesbackupprotection).
      // emulator code: the service's code for this refusal is not established.
      if (state === "BackupsSuspended" && vault.immutability === "Disabled") {
        throw badRequest("BMSUserErrorInvalidInput", "BackupsSuspended (retain as per policy) needs an immutable vault (Unlocked or Locked).");
      }
      put = { mode: state === "ProtectionStopped" ? "stop" : "suspend" };
      jobOperation = "DisableBackup";
    } else {
      put = protectRequest(r, vault, existing, p);
      jobOperation = "ConfigureBackup";
      // An item submitted for protection registers it: no private endpoint for Azure Backup from now on (arm/private-endpoints.ts).
      vault.itemsRegistered = true;
    }
    const friendlyName = existing?.friendlyName ?? put.friendlyName ?? r.params.protectedItemName!;
    const job = model.newJob(vault, jobOperation, friendlyName, key);
    const op = model.startOperation("item-put", vault, r.faults, { itemKey: key, payload: put as unknown as Record<string, unknown>, jobId: job.id });
    const names = existing ?? { containerName: put.containerName!, name: put.itemName! };
    // 202 with item-scoped Location, Azure-AsyncOperation and Retry-After (ConfigureProtection.json).
    return ok(undefined, 202, asyncHeaders(r, retry, itemUrls(vault, names, op.id)));
  });

  /** Validates a request to protect (or re-protect, or change the policy of) a VM. */
  function protectRequest(r: EmulatorRequest, vault: VaultRecord, existing: ItemRecord | undefined, p: unknown): ItemPut {
    const policyId = prop(p, "policyId");
    const policyName = typeof policyId === "string" ? /\/vaults\/([^/]+)\/backupPolicies\/([^/]+)$/i.exec(policyId) : null;
    if (policyName === null || policyName[1]!.toLowerCase() !== vault.name.toLowerCase()) {
      throw badRequest("BMSUserErrorInvalidPolicyInput", `policyId must be a policy of vault '${vault.name}'; got '${String(policyId)}'.`);
    }
    const policy = vault.policies.find((x) => x.name.toLowerCase() === policyName[2]!.toLowerCase());
    if (policy === undefined) throw badRequest("BMSUserErrorPolicyNotFound", `Policy '${policyName[2]}' does not exist in vault '${vault.name}'.`);
    const exclusion = diskExclusionOf(p);
    if (existing !== undefined) {
      checkDisksForPolicy(model.vm(existing.vmId), policy.properties.policyType);
      checkSecurityTypeForPolicy(model.vm(existing.vmId), policy.properties.policyType, r.apiVersion);
      const current = vault.policies.find((x) => x.name.toLowerCase() === existing.policyName?.toLowerCase());
      if (current !== undefined && current !== policy) {
        checkImmutableRetention(
          vault.immutability,
          current.properties,
          policy.properties,
          `moving '${existing.friendlyName}' from policy '${current.name}' to '${policy.name}'`,
        );
      }
      return { mode: "protect", policyName: policy.name, ...(exclusion === undefined ? {} : { diskExclusion: exclusion }) };
    }
    const vmId = prop(p, "sourceResourceId");
    const parts = typeof vmId === "string" ? VM_ID.exec(vmId) : null;
    if (parts === null) throw badRequest("BMSUserErrorInvalidInput", `sourceResourceId must be a virtual machine's id; got '${String(vmId)}'.`);
    const [, , group, , name] = parts as unknown as [string, string, string, string, string];
    const key = itemKey(r.params.containerName!, r.params.protectedItemName!)!;
    if (!key.endsWith(`;${group};${name}`.toLowerCase())) {
      throw badRequest(
        "BMSUserErrorInvalidInput",
        `The container and item names (${r.params.containerName}, ${r.params.protectedItemName}) do not name VM '${name}' in resource group '${group}'.`,
      );
    }
    const vm = model.vm(vmId as string);
    if (vm === undefined) {
      // emulator: the real service's code for a missing VM at protection time is not established.
      throw badRequest("BMSUserErrorVMNotFound", `The virtual machine '${vmId as string}' doesn't exist.`);
    }
    // Cross-subscription backup: since 2026 the service protects a VM of another subscription, deriving it from
    // sourceResourceId (Azure/azure-cli#33703, Azure/azure-powershell#29799); the region must still match.
    if (!sameLocation(vm.location, vault.location)) {
      throw badRequest(
        "BMSUserErrorInvalidInput",
        `The VM is in ${vm.location}; vault '${vault.name}' is in ${vault.location} and protects VMs of its own region only.`,
      );
    }
    const elsewhere = model.protectionOf(vm.id);
    if (elsewhere !== undefined) {
      // emulator: "VM is already Protected with same or other Vault" (Azure CLI's wording); the service code is not established.
      throw badRequest(
        "BMSUserErrorVMAlreadyProtected",
        `VM '${name}' is already protected in vault '${elsewhere.vault.name}'${elsewhere.item.deferredDeleteAt === undefined ? "" : " (soft-deleted)"}; a VM can be protected in only one vault at a time.`,
      );
    }
    checkDisks(vm, model.options.maxDataDisks, model.options.maxDiskSizeGb);
    checkDisksForPolicy(vm, policy.properties.policyType);
    checkSecurityTypeForPolicy(vm, policy.properties.policyType, r.apiVersion);
    return {
      mode: "protect",
      containerName: `IaasVMContainer;iaasvmcontainerv2;${group};${name}`,
      itemName: `VM;iaasvmcontainerv2;${group};${name}`,
      vmId: vm.id,
      friendlyName: name,
      policyName: policy.name,
      ...(exclusion === undefined ? {} : { diskExclusion: exclusion }),
    };
  }

  router.add("DELETE", itemPath, (r) => {
    const vault = findVault(r);
    const key = keyOf(r);
    const item = vault.items.find((i) => i.key === key);
    if (item === undefined || item.deferredDeleteAt !== undefined) return ok(undefined, 204);
    if (conflicting(vault, key) !== undefined)
      throw badRequest("BMSUserErrorConflictingProtectionOperation", "Another operation is in progress on the selected item.");
    // Multi-user authorization: deleting backup data needs an unlockDelete of the item first (resource-guards.ts).
    enforceGuardedDelete(model, r, vault, "deleteProtectedItem", `/${r.segments.join("/")}`);
    if (vault.immutability !== "Disabled" && item.recoveryPoints.length > 0) {
      // Seen in the wild (Azure/terraform-azurerm-avm-res-recoveryservices-vault#214).
      throw badRequest(
        "UserErrorDeleteBackupItemOnImmutableItem",
        `Vault '${vault.name}' is immutable: the recovery points of '${item.friendlyName}' cannot be deleted before they expire. Stop protection and retain the data instead.`,
      );
    }
    const job = model.newJob(vault, "DeleteBackupData", item.friendlyName, key);
    const op = model.startOperation("item-delete", vault, r.faults, { itemKey: key, jobId: job.id });
    // Vault-scoped tracking URLs, unlike PUT and backup (ProtectedItem_Delete.json).
    return ok(
      undefined,
      202,
      asyncHeaders(r, retry, {
        location: `${backupVaultId(vault)}/backupOperationResults/${op.id}`,
        asyncOperation: `${backupVaultId(vault)}/backupOperations/${op.id}`,
      }),
    );
  });

  // ---- tracking item operations ---------------------------------------------------------------

  const itemOperation = (r: EmulatorRequest, vault: VaultRecord, scoped: boolean): OperationRecord => {
    const op = model.operation(r.params.operationId!);
    const key = scoped ? keyOf(r) : undefined;
    if (op === undefined || op.vaultKey !== vault.key || op.itemKey === undefined || (key !== undefined && op.itemKey !== key)) {
      throw notFound("operations", r.params.operationId!, r.params.resourceGroupName!);
    }
    return model.observe(op);
  };
  const statusOf = (op: OperationRecord): EmulatorResponse =>
    ok(renderOperationStatus(op), 200, op.status === "InProgress" ? { "retry-after": String(retry) } : undefined);
  const resultOf = (r: EmulatorRequest, vault: VaultRecord, op: OperationRecord, withItem: boolean): EmulatorResponse => {
    if (op.status === "InProgress") {
      const urls = withItem
        ? itemUrls(vault, { containerName: r.params.containerName!, name: r.params.protectedItemName! }, op.id)
        : { location: `${backupVaultId(vault)}/backupOperationResults/${op.id}`, asyncOperation: `${backupVaultId(vault)}/backupOperations/${op.id}` };
      return ok(undefined, 202, asyncHeaders(r, retry, urls));
    }
    if (op.status === "Failed") throw new ArmError(400, op.failure!.code, op.failure!.message);
    const item = vault.items.find((i) => i.key === op.itemKey);
    return withItem && item !== undefined ? ok(renderItem(vault, item, model.now())) : ok(undefined, 204);
  };
  router.add("GET", `${itemPath}/operationsStatus/{operationId}`, (r) => {
    const vault = findVault(r);
    return statusOf(itemOperation(r, vault, true));
  });
  router.add("GET", `${itemPath}/operationResults/{operationId}`, (r) => {
    const vault = findVault(r);
    return resultOf(r, vault, itemOperation(r, vault, true), true);
  });
  router.add("GET", `${VAULT_PATH}/backupOperations/{operationId}`, (r) => {
    const vault = findVault(r);
    return statusOf(itemOperation(r, vault, false));
  });
  router.add("GET", `${VAULT_PATH}/backupOperationResults/{operationId}`, (r) => {
    const vault = findVault(r);
    return resultOf(r, vault, itemOperation(r, vault, false), false);
  });

  router.add("GET", `${VAULT_PATH}/backupProtectedItems`, (r) => {
    const vault = findVault(r);
    const filter = r.query.get("$filter") ?? "";
    const type = /backupManagementType eq '([^']+)'/i.exec(filter)?.[1];
    const items = type !== undefined && type.toLowerCase() !== "azureiaasvm" ? [] : vault.items;
    const now = model.now();
    return ok(pageOf(r, items, (i) => renderItem(vault, i, now), s.pageSize, "$skipToken"));
  });

  // ---- Backup now -----------------------------------------------------------------------------

  router.add("POST", `${itemPath}/backup`, (r) => {
    const vault = findVault(r);
    const item = findItem(r, vault);
    if (item.deferredDeleteAt !== undefined || (item.protectionState !== "Protected" && item.protectionState !== "IRPending")) {
      // emulator: the service refuses on-demand backups of stopped items; its code is not established.
      throw badRequest(
        "BMSUserErrorProtectionStopped",
        `Protection of '${item.friendlyName}' is ${item.protectionState}${item.deferredDeleteAt === undefined ? "" : " (soft-deleted)"}; resume protection before taking a backup.`,
      );
    }
    if (vault.jobs.some((j) => j.itemKey === item.key && j.operation === "Backup" && j.status === "InProgress")) {
      // Documented code (backup-azure-vms-troubleshoot.md): one backup at a time per VM.
      throw badRequest("UserErrorBackupOperationInProgress", `A backup of '${item.friendlyName}' is already in progress.`);
    }
    const now = model.now();
    const expiry = prop(r.body, "properties", "recoveryPointExpiryTimeInUTC");
    const retainUntil = typeof expiry === "string" ? new Date(expiry).getTime() : now + DEFAULT_RETAIN_DAYS * DAY;
    if (Number.isNaN(retainUntil) || retainUntil <= now) {
      throw badRequest("BMSUserErrorInvalidInput", `recoveryPointExpiryTimeInUTC must be a date in the future; got '${String(expiry)}'.`);
    }
    const job = model.startBackup(vault, item, retainUntil, true);
    const op = model.startOperation("item-backup", vault, r.faults, { itemKey: item.key, jobId: job.id });
    return ok(undefined, 202, asyncHeaders(r, retry, itemUrls(vault, item, op.id)));
  });

  // ---- backup status --------------------------------------------------------------------------

  router.add("POST", "/subscriptions/{subscriptionId}/providers/Microsoft.RecoveryServices/locations/{azureRegion}/backupStatus", (r) => {
    const resourceId = prop(r.body, "resourceId");
    if (typeof resourceId !== "string") throw badRequest("BMSUserErrorInvalidInput", "resourceId is required.");
    const found = model.protectionOf(resourceId);
    if (found === undefined) return ok({ protectionStatus: "NotProtected", errorCode: "Success", errorMessage: "" });
    const { vault, item } = found;
    // A soft-deleted item keeps the VM tied to its vault until it is purged (soft-delete FAQ, Microsoft Learn:
    // reprotecting it in a new vault within the retention needs Microsoft support). BackupStatusResponse (bms.json)
    // has no value for that state and no public example shows one; the emulator names the vault, as for any item,
    // with protectionStatus "NotProtected" (the VM is not being backed up), so that a client that trusts
    // protectionStatus alone, rather than the vault id as the Azure CLI's `check-vm` does, is caught.
    return ok({
      protectionStatus: item.deferredDeleteAt === undefined ? "Protected" : "NotProtected",
      vaultId: `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.RecoveryServices/Vaults/${vault.name}`,
      fabricName: "Azure",
      containerName: item.containerName.replace(/^IaasVMContainer;/i, "iaasvmcontainer;"),
      protectedItemName: item.name.replace(/^VM;/i, "vm;"),
      ...(item.policyName === undefined ? {} : { policyName: item.policyName }),
      errorCode: "Success",
      errorMessage: "",
    });
  });
}

function renderProtectable(vault: VaultRecord, vm: VmFixture): Record<string, unknown> {
  const [, , group, , name] = VM_ID.exec(vm.id) as unknown as [string, string, string, string, string];
  return {
    id: `${backupVaultId(vault)}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;${group};${name}/protectableItems/vm;iaasvmcontainerv2;${group};${name}`,
    name: `iaasvmcontainerv2;${group};${name}`,
    type: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems",
    properties: {
      virtualMachineId: vm.id,
      virtualMachineVersion: "Compute",
      resourceGroup: group,
      backupManagementType: "AzureIaasVM",
      protectableItemType: "Microsoft.Compute/virtualMachines",
      friendlyName: name,
      protectionState: "NotProtected",
    },
  };
}

function diskExclusionOf(p: unknown): ItemPut["diskExclusion"] {
  const d = prop(p, "extendedProperties", "diskExclusionProperties");
  if (d === undefined) return undefined;
  if (d === null) return null;
  const luns = prop(d, "diskLunList");
  const inclusion = prop(d, "isInclusionList");
  if (!Array.isArray(luns) || typeof inclusion !== "boolean" || luns.some((l) => typeof l !== "number")) {
    throw badRequest("BMSUserErrorInvalidInput", "diskExclusionProperties needs diskLunList (numbers) and isInclusionList.");
  }
  return { diskLunList: luns as number[], isInclusionList: inclusion };
}

/** Today's limits (backup-support-matrix-iaas.md): data disks per VM and disk size. */
function checkDisks(vm: VmFixture, maxDataDisks: number, maxDiskSizeGb: number): void {
  const disks = vm.dataDisks ?? [];
  if (disks.length > maxDataDisks) {
    // emulator code
    throw badRequest("UserErrorNumberOfDisksNotSupported", `VM '${vm.id}' has ${disks.length} data disks; Azure Backup supports ${maxDataDisks}.`);
  }
  for (const disk of [vm.osDisk, ...disks]) {
    if (disk.sizeGb > maxDiskSizeGb) {
      // The troubleshooting documentation's code for disks above the supported size.
      throw badRequest("UserErrorUnsupportedDiskSize", `A disk of VM '${vm.id}' is ${disk.sizeGb} GB; Azure Backup supports disks up to ${maxDiskSizeGb} GB.`);
    }
  }
}

function checkDisksForPolicy(vm: VmFixture | undefined, policyType: unknown): void {
  if (vm === undefined || policyType === "V2") return;
  const disk = [vm.osDisk, ...(vm.dataDisks ?? [])].find((d) => ENHANCED_ONLY.includes((d.storageType ?? "").toLowerCase()));
  if (disk !== undefined) {
    // emulator code; the rule is the enhanced-policy documentation's.
    throw badRequest(
      "UserErrorStandardPolicyNotSupportedForDiskType",
      `VM '${vm.id}' has a ${disk.storageType} disk, which only an enhanced (V2) policy can protect.`,
    );
  }
}

/**
 * The first backup api-version that lets a standard (V1) policy protect a Trusted Launch VM: "Only the Azure CLI
 * (version 2.73.0 and later), PowerShell (version Az 14.0.0 and later), and the REST API (version 2025-01-01 and
 * later) support Trusted Launch VM backup with the Standard policy" (learn.microsoft.com/azure/backup/
 * backup-azure-vms-enhanced-policy, 2025-06-11; backup-support-matrix-iaas, 2026-01-28).
 */
const TRUSTED_LAUNCH_STANDARD_POLICY_API = "2025-01-01";

/**
 * A Trusted Launch VM on a standard policy through an older api-version, and a Confidential VM on a standard
 * policy at any version ("Backup is supported only if you're using Enhanced policy", backup-support-matrix-iaas
 * @706123f, 2023), are refused. Azure's own code for these refusals is not in any public source found (Azure CLI,
 * Azure PowerShell, Terraform azurerm issues and code, MicrosoftDocs troubleshooting pages were searched); the
 * closest documented code is BMSUserErrorInvalidPolicyInput, the service's code for a policy it refuses
 * (hashicorp/terraform-provider-azurerm #27444, #27619). The message follows the one Compute gives when a VM on a
 * standard policy is upgraded to Trusted Launch: "Trusted Launch Backup is supported using Enhanced policy"
 * (MicrosoftDocs/azure-docs PR #117510).
 */
function checkSecurityTypeForPolicy(vm: VmFixture | undefined, policyType: unknown, apiVersion: string | undefined): void {
  if (vm === undefined || policyType === "V2") return;
  // api-versions are dates (with an optional -preview suffix), so they order as text.
  if (vm.securityType === "TrustedLaunch" && (apiVersion ?? "") < TRUSTED_LAUNCH_STANDARD_POLICY_API) {
    throw badRequest(
      "BMSUserErrorInvalidPolicyInput",
      `VM '${vm.id}' is a Trusted Launch VM. Through api-version ${apiVersion ?? "(none)"}, Trusted Launch Backup is supported using Enhanced policy; a standard policy needs api-version ${TRUSTED_LAUNCH_STANDARD_POLICY_API} or later.`,
    );
  }
  if (vm.securityType === "ConfidentialVM") {
    throw badRequest("BMSUserErrorInvalidPolicyInput", `VM '${vm.id}' is a Confidential VM; Confidential VM backup is supported using Enhanced policy only.`);
  }
}
