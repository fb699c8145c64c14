/**
 * Recovery Services vaults (api 2024-04-01): PUT, GET, PATCH, DELETE, list, operationStatus and
 * operationResults; the vault's backup config (`backupconfig/vaultconfig`, soft delete) and storage
 * config (`backupstorageconfig/vaultstorageconfig`, redundancy), kept consistent with the vault's own
 * properties. Azure's rules enforced: redundancy locked once a VM is protected; cross-region restore
 * only on GeoRedundant vaults and not revertible once protection started; a vault with active items cannot
 * be deleted; AlwaysON soft delete cannot be turned off; immutability moves Disabled <-> Unlocked -> Locked
 * only (never Locked at creation, never back from Locked). Secure by default (where the model enforces it,
 * ModelOptions.secureByDefault: every region by default, https://learn.microsoft.com/azure/backup/secure-by-default):
 * new vaults are AlwaysON, soft delete cannot be disabled, and a vault holding only soft-deleted items is
 * soft-deleted on delete; elsewhere (the service before it) such a vault cannot be deleted.
 */
import { ArmError, badRequest, notFound, ok, prop, type EmulatorRequest, type EmulatorResponse } from "../http";
import { DAY } from "../clock";
import { etag } from "../model/records";
import { applyVaultChanges, type VaultChanges } from "../model/vault-changes";
import { putOfExistingVault, replaceVaultBlocks } from "../model/vault-put";
import { vaultKey, type SoftDeleteState, type VaultRecord } from "../state";
import { registerGuardProxies } from "./guard-proxies";
import { enforceVaultGuardrails } from "./policy-guardrails";
import { enforceGuard, enforceVaultPatchGuard } from "./resource-guards";
import { checkSettingsChanges, settingsFrom } from "./vault-settings";
import { registerPrivateEndpoints } from "./private-endpoints";
import { asyncHeaders, backupVaultId, page, renderOperationStatus, renderVault, vaultId } from "./render";
import { VAULT_PATH, type Services } from "./services";

const REDUNDANCY = ["LocallyRedundant", "GeoRedundant", "ZoneRedundant"] as const;
const SOFT_DELETE = ["Enabled", "Disabled", "AlwaysON"] as const;
const IMMUTABILITY = ["Disabled", "Unlocked", "Locked"] as const;
const VAULT_NAME = /^[a-zA-Z][-a-zA-Z0-9]{1,49}$/;

function enumValue<T extends string>(value: unknown, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  const match = allowed.find((a) => typeof value === "string" && a.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw badRequest("BadRequest", `Invalid value '${String(value)}' for ${what}. Allowed values: ${allowed.join(", ")}.`);
  return match;
}

/** Reads the changes a vault PUT or PATCH body asks for. */
function changesFrom(body: unknown): VaultChanges {
  const p = prop(body, "properties");
  const changes: VaultChanges = {};
  const tags = prop(body, "tags");
  if (tags !== undefined) changes.tags = tags as Record<string, string>;
  // publicNetworkAccess, identity, encryption, restoreSettings and monitoringSettings: read and validated in vault-settings.ts.
  Object.assign(changes, settingsFrom(body));
  const redundancy = enumValue(prop(p, "redundancySettings", "standardTierStorageRedundancy"), REDUNDANCY, "standardTierStorageRedundancy");
  if (redundancy !== undefined) changes.redundancy = redundancy;
  const crr = enumValue(prop(p, "redundancySettings", "crossRegionRestore"), ["Enabled", "Disabled"] as const, "crossRegionRestore");
  if (crr !== undefined) changes.crossRegionRestore = crr === "Enabled";
  const soft = prop(p, "securitySettings", "softDeleteSettings");
  if (soft !== undefined) {
    const state = enumValue(prop(soft, "softDeleteState"), SOFT_DELETE, "softDeleteState");
    const days = prop(soft, "softDeleteRetentionPeriodInDays");
    const enhanced = enumValue(prop(soft, "enhancedSecurityState"), ["Enabled", "Disabled"] as const, "enhancedSecurityState");
    changes.softDelete = {
      ...(state === undefined ? {} : { state }),
      ...(typeof days === "number" ? { retentionDays: days } : {}),
      ...(enhanced === undefined ? {} : { enhancedSecurityState: enhanced }),
    };
  }
  const immutability = enumValue(prop(p, "securitySettings", "immutabilitySettings", "state"), IMMUTABILITY, "immutabilitySettings.state");
  if (immutability !== undefined) changes.immutability = immutability;
  return changes;
}

/**
 * The rules Azure applies to vault changes. Codes: `StorageModelModifyError` is the service's own (seen in
 * Azure SDK tests); `BMSUserErrorDisablingSoftDeleteStateNotAllowed` is seen in public third-party repositories
 * (not in the REST spec); the others are the emulator's, as the service's codes are not established.
 */
export function checkVaultChanges(
  vault: Pick<VaultRecord, "redundancy" | "crossRegionRestore" | "softDelete" | "immutability" | "storageLocked">,
  changes: VaultChanges,
  softDeleteEnforced = false,
  settings?: { vault: VaultRecord; put: boolean },
): void {
  if (settings !== undefined) checkSettingsChanges(settings.vault, changes, settings.put);
  const redundancy = changes.redundancy ?? vault.redundancy;
  const crr = changes.crossRegionRestore ?? vault.crossRegionRestore;
  if (changes.redundancy !== undefined && changes.redundancy !== vault.redundancy && vault.storageLocked) {
    throw badRequest(
      "StorageModelModifyError",
      `Storage redundancy cannot be changed from ${vault.redundancy} to ${changes.redundancy}: items have been protected in this vault, so its storage type is locked.`,
    );
  }
  if (crr && redundancy !== "GeoRedundant") {
    throw badRequest("BMSUserErrorCrossRegionRestoreNotSupported", `Cross-region restore needs GeoRedundant storage; this vault would be ${redundancy}.`);
  }
  if (vault.crossRegionRestore && changes.crossRegionRestore === false && vault.storageLocked) {
    throw badRequest("BMSUserErrorCrossRegionRestoreCannotBeDisabled", "Cross-region restore cannot be disabled once items have been protected in this vault.");
  }
  checkSoftDeleteChange(vault, changes.softDelete, softDeleteEnforced);
  const soft = changes.softDelete;
  if (soft?.retentionDays !== undefined && (soft.retentionDays < 14 || soft.retentionDays > 180)) {
    throw badRequest("BMSUserErrorInvalidSoftDeleteRetentionPeriod", `Soft delete retention must be 14 to 180 days; got ${soft.retentionDays}.`);
  }
  checkImmutabilityChange(vault.immutability, changes.immutability);
}

/**
 * Immutability moves Disabled <-> Unlocked -> Locked, one step at a time, and Locked is final
 * (https://github.com/MicrosoftDocs/azure-docs/blob/0088bfa77543e07f8a41771de8db977ddfc62e1d/articles/backup/backup-azure-immutable-vault-concept.md;
 * Terraform azurerm's recovery_services_vault_resource.go: "The API doesn't allow to set the immutability to
 * "Locked" on creation ... Locked <- Unlocked <-> Disabled"). A new vault starts Disabled, so `Locked` in the
 * creating PUT is refused, with the code and message Azure answered `az backup vault create --immutability-state
 * Locked` (Azure/azure-cli#27785, Azure/azure-rest-api-specs#26598); the same code answers a change away from Locked.
 */
function checkImmutabilityChange(from: VaultRecord["immutability"], to: VaultRecord["immutability"] | undefined): void {
  if (to === undefined || to === from) return;
  if (from === "Locked" || (from === "Disabled" && to === "Locked")) {
    throw badRequest(
      "UserErrorUnsupportedVaultImmutabilityStateChange",
      "The immutable vault property for this vault is locked, hence, this setting cannot be disabled. The vault has its immutable vault property enabled and locked, and it can no longer be reverted to a non-immutable vault. Refer to the documentation to learn more: https://aka.ms/AB-ImmutableVaults-States",
    );
  }
}

/**
 * Soft delete can only grow stronger where Azure enforces it, or once AlwaysON. Disabling it (state or enhanced
 * security) answers BMSUserErrorDisablingSoftDeleteStateNotAllowed with the service's message as users report it
 * (Azure/azure-cli#32383, microsoft/AzureTRE#4962); asking "Enabled" of an AlwaysON vault answers
 * BMSUserErrorSoftDeleteStateAlwaysOn (microsoft/AzureTRE#4888; the message is the emulator's, the issue quotes none).
 */
function checkSoftDeleteChange(vault: Pick<VaultRecord, "softDelete">, soft: VaultChanges["softDelete"], enforced: boolean): void {
  if (soft === undefined) return;
  const disabling = soft.state === "Disabled" || soft.enhancedSecurityState === "Disabled";
  if (disabling && (enforced || vault.softDelete.state === "AlwaysON")) {
    throw badRequest(
      "BMSUserErrorDisablingSoftDeleteStateNotAllowed",
      "Disabling soft delete or enhanced security state is not allowed for this vault. Please contact Microsoft Support if this is not expected.",
    );
  }
  if (soft.state === "Enabled" && vault.softDelete.state === "AlwaysON") {
    throw badRequest("BMSUserErrorSoftDeleteStateAlwaysOn", "Soft delete is AlwaysON for this vault: its state cannot be changed to Enabled.");
  }
}

export function registerVaults(s: Services): void {
  const { router, model } = s;
  const findVault = (r: EmulatorRequest): VaultRecord => {
    const v = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (v === undefined) throw notFound("Microsoft.RecoveryServices/vaults", r.params.vaultName!, r.params.resourceGroupName!);
    return v;
  };
  const retry = s.retryAfterSeconds;

  router.add("GET", VAULT_PATH, (r) => ok(renderVault(findVault(r))));

  router.add("PUT", VAULT_PATH, (r) => {
    const { subscriptionId, resourceGroupName, vaultName } = r.params as Record<string, string>;
    if (s.resourceGroups !== undefined && !s.resourceGroups.has(resourceGroupName.toLowerCase())) {
      throw new ArmError(404, "ResourceGroupNotFound", `Resource group '${resourceGroupName}' could not be found.`);
    }
    // Azure Policy's Deny assignments refuse the request before the resource provider sees it (policy-guardrails.ts).
    enforceVaultGuardrails(model, r, model.vault(subscriptionId, resourceGroupName, vaultName), false);
    if (!VAULT_NAME.test(vaultName)) {
      throw badRequest(
        "InvalidResourceName",
        `Resource name ${vaultName} is invalid. The name can be up to 50 characters long, start with a letter, and contain letters, digits and hyphens.`,
      );
    }
    const location = prop(r.body, "location");
    if (typeof location !== "string" || location === "") throw badRequest("LocationRequired", "The location property is required for this definition.");
    const changes = changesFrom(r.body);
    const existing = model.vault(subscriptionId, resourceGroupName, vaultName);
    if (existing !== undefined) {
      if (existing.location.toLowerCase() !== location.replace(/\s+/g, "").toLowerCase()) {
        throw badRequest(
          "InvalidResourceLocation",
          `The resource '${vaultName}' already exists in location '${existing.location}' in resource group '${resourceGroupName}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
        );
      }
      // A PUT replaces the vault's properties: those it leaves out return to their defaults (model/vault-put.ts).
      const replaced = putOfExistingVault(existing, changes);
      checkVaultChanges(existing, replaced, model.softDeleteEnforced(existing.location), { vault: existing, put: true });
      applyVaultChanges(existing, replaced);
      replaceVaultBlocks(existing, changes);
      existing.etag = etag(model.now());
      // A PUT re-provisions a vault whose creation failed.
      existing.provisioningState = "Succeeded";
      return ok(renderVault(existing));
    }
    const now = model.now();
    const vault: VaultRecord = {
      key: vaultKey(subscriptionId, resourceGroupName, vaultName),
      subscriptionId,
      resourceGroup: resourceGroupName,
      name: vaultName,
      location: location.replace(/\s+/g, "").toLowerCase(),
      sku: String(prop(r.body, "sku", "name") ?? "Standard"),
      etag: etag(now),
      provisioningState: "Provisioning",
      createdAt: now,
      publicNetworkAccess: "Enabled",
      redundancy: "GeoRedundant",
      crossRegionRestore: false,
      // New vaults have soft delete on, 14 days (use-restapi-update-vault-properties.md); AlwaysON where Azure
      // enforces it (secure by default: "Azure now enforces AlwaysOn soft delete on all new vaults", microsoft/AzureTRE#4888).
      softDelete: {
        state: model.softDeleteEnforced(location) ? "AlwaysON" : "Enabled",
        retentionDays: 14,
        enhancedSecurityState: "Enabled",
      },
      immutability: "Disabled",
      storageLocked: false,
      policies: [defaultPolicy()],
      items: [],
      jobs: [],
      discovered: [],
    };
    checkVaultChanges(vault, changes, model.softDeleteEnforced(vault.location), { vault, put: false });
    applyVaultChanges(vault, changes);
    model.state.vaults.push(vault);
    // Real service: 201 with Azure-AsyncOperation and a body still provisioning (PUTVault examples of specification/recoveryservices in Azure/azure-rest-api-specs).
    const op = model.startOperation("vault-create", vault, r.faults);
    return ok(renderVault(vault), 201, asyncHeaders(r, retry, { asyncOperation: `${vaultId(vault)}/operationStatus/${op.id}` }));
  });

  router.add("PATCH", VAULT_PATH, (r) => {
    const vault = findVault(r);
    enforceVaultGuardrails(model, r, vault, true);
    const changes = changesFrom(r.body);
    checkVaultChanges(vault, changes, model.softDeleteEnforced(vault.location), { vault, put: false });
    // Multi-user authorization: a new customer-managed key, or immutability Unlocked -> Disabled (resource-guards.ts).
    enforceVaultPatchGuard(model, r, vault, changes, prop(r.body, "properties", "resourceGuardOperationRequests"));
    const op = model.startOperation("vault-update", vault, r.faults, { payload: changes as Record<string, unknown> });
    // 202 with Azure-AsyncOperation and Location; the poller reads the final vault from Location (operationResults).
    return ok(
      undefined,
      202,
      asyncHeaders(r, retry, {
        asyncOperation: `${vaultId(vault)}/operationStatus/${op.id}`,
        location: `${vaultId(vault)}/operationResults/${op.id}`,
      }),
    );
  });

  router.add("DELETE", VAULT_PATH, (r) => {
    const vault = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (vault === undefined) return ok(undefined, 204);
    const active = vault.items.filter((i) => i.deferredDeleteAt === undefined);
    if (active.length > 0) {
      throw badRequest(
        "ServiceResourceNotEmptyWithContainerDetails",
        "Vault cannot be deleted as there are existing resources within the vault. Please ensure there are no backup items, protected servers or backup management servers associated with this vault. " +
          `Unregister the following containers associated with this vault before proceeding for deletion : ${active.map((i) => i.containerName).join(", ")}`,
      );
    }
    if (vault.items.length > 0 && model.softDeleteEnforced(vault.location)) {
      // Secure by default (GA): a vault holding only soft-deleted items can be deleted with every API version; it is
      // soft-deleted itself, recoverable for its retention (https://learn.microsoft.com/azure/backup/secure-by-default,
      // "Delete Vault action"). Its name is free again at once. Recovering it (the DeletedVaults API of
      // Recovery Services 2025-08-01) is not modelled.
      const now = model.now();
      const purgeAt = Math.max(...vault.items.map((i) => i.deferredDeleteAt ?? now), now + vault.softDelete.retentionDays * DAY);
      model.state.vaults = model.state.vaults.filter((v) => v !== vault);
      model.state.deletedVaults = [...(model.state.deletedVaults ?? []), { vault, deletedAt: now, purgeAt }];
      return ok(undefined, 200);
    }
    if (vault.items.length > 0) {
      throw badRequest(
        "ServiceResourceNotEmptyWithBackendMessage",
        "Recovery Services vault cannot be deleted as there are backup items still present in soft delete state. Visit the following link for the steps to permanently delete soft deleted items: https://aka.ms/undeletesoftdeleteditems.",
      );
    }
    model.state.vaults = model.state.vaults.filter((v) => v !== vault);
    // Real service for an empty vault: 200, empty body, synchronous (recording_vaults_delete_test.json).
    return ok(undefined, 200);
  });

  router.add("GET", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults", (r) =>
    ok(
      page(
        model.state.vaults
          .filter(
            (v) =>
              v.subscriptionId.toLowerCase() === r.params.subscriptionId!.toLowerCase() &&
              v.resourceGroup.toLowerCase() === r.params.resourceGroupName!.toLowerCase(),
          )
          .map(renderVault),
      ),
    ),
  );
  router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.RecoveryServices/vaults", (r) =>
    ok(page(model.state.vaults.filter((v) => v.subscriptionId.toLowerCase() === r.params.subscriptionId!.toLowerCase()).map(renderVault))),
  );

  router.add("GET", `${VAULT_PATH}/operationStatus/{operationId}`, (r) => {
    const vault = findVault(r);
    const op = model.operation(r.params.operationId!);
    if (op === undefined || op.vaultKey !== vault.key) throw notFound("operationStatus", r.params.operationId!, r.params.resourceGroupName!);
    model.observe(op);
    const headers = op.status === "InProgress" ? { "retry-after": String(retry) } : undefined;
    return ok(renderOperationStatus(op, `${vaultId(vault)}/operationStatus/${op.id}`), 200, headers);
  });
  router.add("GET", `${VAULT_PATH}/operationResults/{operationId}`, (r) => {
    const vault = findVault(r);
    const op = model.operation(r.params.operationId!);
    if (op === undefined || op.vaultKey !== vault.key) throw notFound("operationResults", r.params.operationId!, r.params.resourceGroupName!);
    model.observe(op);
    if (op.status === "InProgress") {
      return ok(
        undefined,
        202,
        asyncHeaders(r, retry, { location: `${vaultId(vault)}/operationResults/${op.id}`, asyncOperation: `${vaultId(vault)}/operationStatus/${op.id}` }),
      );
    }
    if (op.status === "Failed") throw new ArmError(400, op.failure!.code, op.failure!.message);
    return ok(renderVault(vault));
  });

  registerVaultConfig(s, findVault);
  registerGuardProxies(s, findVault);
  registerPrivateEndpoints(s, findVault);
}

/** Every new vault gets a DefaultPolicy: daily, 30 days, 2 snapshot days (examples/AzureIaasVm/ProtectionPolicies_Get.json in https://github.com/Azure/azure-rest-api-specs/tree/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01; https://learn.microsoft.com/azure/backup/backup-instant-restore-capability). */
function defaultPolicy(): { name: string; properties: Record<string, unknown> } {
  const at = "2017-12-05T19:00:00Z";
  return {
    name: "DefaultPolicy",
    properties: {
      backupManagementType: "AzureIaasVM",
      instantRpRetentionRangeInDays: 2,
      policyType: "V1",
      schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: [at], scheduleWeeklyFrequency: 0 },
      retentionPolicy: {
        retentionPolicyType: "LongTermRetentionPolicy",
        dailySchedule: { retentionTimes: [at], retentionDuration: { count: 30, durationType: "Days" } },
      },
    },
  };
}

function registerVaultConfig(s: Services, findVault: (r: EmulatorRequest) => VaultRecord): void {
  const { router } = s;
  const configPath = `${VAULT_PATH}/backupconfig/vaultconfig`;
  const renderConfig = (v: VaultRecord) => ({
    id: `${backupVaultId(v)}/backupconfig/vaultconfig`,
    name: "vaultconfig",
    type: "Microsoft.RecoveryServices/vaults/backupconfig",
    properties: {
      enhancedSecurityState: v.softDelete.enhancedSecurityState,
      softDeleteFeatureState: v.softDelete.state,
      softDeleteRetentionPeriodInDays: v.softDelete.retentionDays,
      isSoftDeleteFeatureStateEditable: v.softDelete.state !== "AlwaysON" && !s.model.softDeleteEnforced(v.location),
    },
  });
  const updateConfig = (r: EmulatorRequest): EmulatorResponse => {
    const vault = findVault(r);
    const p = prop(r.body, "properties");
    const state = enumValue(prop(p, "softDeleteFeatureState"), SOFT_DELETE, "softDeleteFeatureState") as SoftDeleteState | undefined;
    const days = prop(p, "softDeleteRetentionPeriodInDays");
    const enhanced = enumValue(prop(p, "enhancedSecurityState"), ["Enabled", "Disabled"] as const, "enhancedSecurityState");
    const changes: VaultChanges = {
      softDelete: {
        ...(state === undefined ? {} : { state }),
        ...(typeof days === "number" ? { retentionDays: days } : {}),
        ...(enhanced === undefined ? {} : { enhancedSecurityState: enhanced }),
      },
    };
    checkVaultChanges(vault, changes, s.model.softDeleteEnforced(vault.location));
    // Multi-user authorization: disabling soft delete needs the vault's Resource Guard (resource-guards.ts).
    if (state === "Disabled" && vault.softDelete.state !== "Disabled")
      enforceGuard(s.model, r, vault, "disableSoftDelete", prop(p, "resourceGuardOperationRequests"));
    applyVaultChanges(vault, changes);
    return ok(renderConfig(vault));
  };
  router.add("GET", configPath, (r) => ok(renderConfig(findVault(r))));
  router.add("PUT", configPath, updateConfig);
  router.add("PATCH", configPath, updateConfig);

  const storagePath = `${VAULT_PATH}/backupstorageconfig/vaultstorageconfig`;
  const renderStorage = (v: VaultRecord) => ({
    id: `${backupVaultId(v)}/backupstorageconfig/vaultstorageconfig`,
    name: "vaultstorageconfig",
    type: "Microsoft.RecoveryServices/vaults/backupstorageconfig",
    properties: {
      storageModelType: v.redundancy,
      storageType: v.redundancy,
      storageTypeState: v.storageLocked ? "Locked" : "Unlocked",
      crossRegionRestoreFlag: v.crossRegionRestore,
      dedupState: "Disabled",
      xcoolState: "Disabled",
    },
  });
  const updateStorage = (r: EmulatorRequest): VaultRecord => {
    const vault = findVault(r);
    const p = prop(r.body, "properties");
    const redundancy = enumValue(prop(p, "storageType") ?? prop(p, "storageModelType"), REDUNDANCY, "storageType");
    const crr = prop(p, "crossRegionRestoreFlag");
    const changes: VaultChanges = {
      ...(redundancy === undefined ? {} : { redundancy }),
      ...(typeof crr === "boolean" ? { crossRegionRestore: crr } : {}),
    };
    checkVaultChanges(vault, changes, s.model.softDeleteEnforced(vault.location));
    applyVaultChanges(vault, changes);
    return vault;
  };
  router.add("GET", storagePath, (r) => ok(renderStorage(findVault(r))));
  router.add("PUT", storagePath, (r) => ok(renderStorage(updateStorage(r))));
  // PATCH answers 204 and no body (BackupStorageConfig_Patch.json).
  router.add("PATCH", storagePath, (r) => {
    updateStorage(r);
    return ok(undefined, 204);
  });
}
