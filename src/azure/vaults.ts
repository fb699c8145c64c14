/**
 * Vaults: read, create or update, delete; their soft-delete settings (written through the backup config
 * API and read back, since vault PATCHes of these settings have been seen to do nothing:
 * as users report in the issues of hashicorp/terraform-provider-azurerm), and whether storage redundancy is locked.
 */
import type { Vault as ArmVault, VaultsUpdateOptionalParams } from "@azure/arm-recoveryservices";
import type { ImmutabilityState, Redundancy, SoftDeleteState, Vault, VaultSettings, VaultSettingsState } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError, isNotFound } from "./errors";
import { vaultId, type VaultRef } from "./ids";
import { guardRequest, withGuard } from "./resource-guard";
import { vaultPatchBody, type VaultPatch } from "./vault-patch";
import { settingsBody, settingsState } from "./vault-settings";

export interface VaultState {
  id: string;
  name: string;
  resourceGroupName: string;
  subscriptionId: string;
  location: string;
  redundancy: Redundancy;
  crossRegionRestore: boolean;
  softDelete: { state: SoftDeleteState; retentionDays: number };
  immutability: ImmutabilityState;
  tags: Record<string, string>;
  provisioningState: string;
  /** Once VMs have been protected, storage redundancy (and cross-region restore) can no longer change. */
  storageLocked: boolean;
  /** Public network access, identity, encryption, monitoring and cross-subscription restore as Azure reports them (src/azure/vault-settings.ts). */
  settings: VaultSettingsState;
}

const toArmSoftDelete = (state: SoftDeleteState) => (state === "AlwaysOn" ? "AlwaysON" : state);
const fromArmSoftDelete = (state: string | undefined): SoftDeleteState =>
  state?.toLowerCase() === "alwayson" ? "AlwaysOn" : state === "Disabled" ? "Disabled" : "Enabled";

const label = (ref: VaultRef) => `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`;

function toState(ref: VaultRef, vault: ArmVault, storageLocked: boolean, softDelete?: { state: SoftDeleteState; retentionDays: number }): VaultState {
  const p = vault.properties;
  return {
    id: vault.id ?? vaultId(ref),
    name: vault.name ?? ref.vaultName,
    resourceGroupName: ref.resourceGroupName,
    subscriptionId: ref.subscriptionId,
    location: (vault.location ?? "").replace(/\s+/g, "").toLowerCase(),
    redundancy: (p?.redundancySettings?.standardTierStorageRedundancy as Redundancy | undefined) ?? "GeoRedundant",
    crossRegionRestore: p?.redundancySettings?.crossRegionRestore === "Enabled",
    softDelete: softDelete ?? {
      state: fromArmSoftDelete(p?.securitySettings?.softDeleteSettings?.softDeleteState),
      retentionDays: p?.securitySettings?.softDeleteSettings?.softDeleteRetentionPeriodInDays ?? 14,
    },
    immutability: (p?.securitySettings?.immutabilitySettings?.state as ImmutabilityState | undefined) ?? "Disabled",
    tags: vault.tags ?? {},
    provisioningState: p?.provisioningState ?? "Succeeded",
    storageLocked,
    settings: settingsState(vault),
  };
}

async function storageLocked(c: AzureClients, ref: VaultRef): Promise<boolean> {
  const config = await attempt("Reading the storage configuration of", label(ref), () =>
    c.backup.backupResourceStorageConfigsNonCRR.get(ref.vaultName, ref.resourceGroupName),
  );
  return config.properties?.storageTypeState === "Locked";
}

export async function getVault(c: AzureClients, ref: VaultRef): Promise<VaultState | undefined> {
  let vault: ArmVault;
  try {
    vault = await c.vaults.vaults.get(ref.resourceGroupName, ref.vaultName);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return attempt("Reading", label(ref), () => Promise.reject(error));
  }
  return toState(ref, vault, await storageLocked(c, ref));
}

/**
 * The vault's PUT body. A PUT replaces the vault's properties (the Azure REST API guidelines, microsoft/api-guidelines
 * azure/Guidelines.md: "use PUT against the canonical path of a resource in order to create or replace it"; TypeSpec's
 * ARM rules, https://azure.github.io/typespec-azure/docs/libraries/azure-resource-manager/rules/use-resource-path-for-put/:
 * "ARM PUT operations create or replace a resource instance"), so for a vault that exists
 * `held` (its settings as Azure reports them) fills every setting the program does not declare: a PUT never returns
 * public network access to Enabled, drops an identity (and with it the customer-managed key's), or resets monitoring
 * or cross-subscription restore. Azure also refuses a PUT that would leave out a CMK (Terraform azurerm's
 * recovery_services_vault_resource.go: "Once encryption has been enabled, calling CreateOrUpdate without it is not
 * allowed"). create() converges an existing vault with a PATCH where it can (src/providers/vault.ts).
 */
export function armBody(vault: Vault, tags: Record<string, string>, current: ImmutabilityState | undefined, held?: VaultSettingsState): ArmVault {
  const immutability = immutabilityForPut(vault.immutability, current);
  const settings = settingsBody({ ...heldSettings(held), ...definedSettings(vault) });
  return {
    location: vault.location,
    tags,
    sku: { name: "Standard" },
    ...(settings.identity === undefined ? {} : { identity: settings.identity }),
    properties: {
      redundancySettings: { standardTierStorageRedundancy: vault.redundancy, crossRegionRestore: vault.crossRegionRestore ? "Enabled" : "Disabled" },
      ...(immutability === undefined ? {} : { securitySettings: { immutabilitySettings: { state: immutability } } }),
      ...settings.properties,
    },
  };
}

/** The settings of an existing vault as a PUT would write them back (identity without its principal and tenant ids). */
function heldSettings(held: VaultSettingsState | undefined): VaultSettings {
  if (held === undefined) return {};
  const { publicNetworkAccess, identity, encryption, monitoring, crossSubscriptionRestore } = held;
  return {
    publicNetworkAccess,
    identity: { systemAssigned: identity.systemAssigned, userAssignedIdentityIds: identity.userAssignedIdentityIds },
    ...(encryption === undefined ? {} : { encryption }),
    monitoring,
    crossSubscriptionRestore,
  };
}

/** The settings a vault declares (undefined ones left out, so that held ones fill them). */
function definedSettings(vault: Vault): VaultSettings {
  const out: VaultSettings = {};
  for (const key of ["publicNetworkAccess", "identity", "encryption", "monitoring", "crossSubscriptionRestore"] as const) {
    if (vault[key] !== undefined) Object.assign(out, { [key]: vault[key] });
  }
  return out;
}

/**
 * The immutability a vault PUT carries. Immutability moves Disabled <-> Unlocked -> Locked, and Azure
 * refuses `Locked` at creation (UserErrorUnsupportedVaultImmutabilityStateChange: Azure/azure-cli#27785;
 * Terraform azurerm's recovery_services_vault_resource.go: "The API doesn't allow to set the immutability to
 * Locked on creation"), so a vault declared Locked is put Unlocked and locked afterwards (`setImmutability`).
 * A vault that is Locked already gets no immutability at all: nothing can change it.
 */
function immutabilityForPut(desired: ImmutabilityState, current: ImmutabilityState | undefined): ImmutabilityState | undefined {
  if (current === "Locked") return undefined;
  return desired === "Locked" ? "Unlocked" : desired;
}

/** The requests that take immutability from one state to another, one step each: Disabled -> Locked passes through Unlocked. */
export function immutabilitySteps(from: ImmutabilityState, to: ImmutabilityState): ImmutabilityState[] {
  if (from === to) return [];
  return from === "Disabled" && to === "Locked" ? ["Unlocked", "Locked"] : [to];
}

/**
 * Moves a vault's immutability to `to` (a PATCH per step, each long-running). Idempotent: a run interrupted
 * between two steps resumes from the state Azure holds. Locking is irreversible; the rules warn in the preview
 * (vault/immutability-locked).
 */
export async function setImmutability(c: AzureClients, ref: VaultRef, from: ImmutabilityState, to: ImmutabilityState, pollIntervalMs: number): Promise<void> {
  for (const state of immutabilitySteps(from, to)) {
    const what = state === "Locked" ? "Locking the immutability of" : `Setting immutability ${state} on`;
    // Unlocked -> Disabled (the only step to Disabled) is a critical operation on a guarded vault: the guard's request
    // and the auxiliary token, as the Azure CLI's update_vault sends them when `is_immutability_weakened` (src/azure/resource-guard.ts).
    const guard = state === "Disabled" ? await guardRequest(c, ref, "disableImmutability", what) : undefined;
    await attempt(what, label(ref), () =>
      c.vaults.vaults.beginUpdateAndWait(
        ref.resourceGroupName,
        ref.vaultName,
        {
          properties: {
            securitySettings: { immutabilitySettings: { state } },
            ...(guard === undefined ? {} : { resourceGuardOperationRequests: guard.resourceGuardOperationRequests }),
          },
        },
        withGuard<VaultsUpdateOptionalParams>({ updateIntervalInMs: pollIntervalMs }, guard),
      ),
    );
  }
}

const strength = (state: SoftDeleteState): number => (state === "AlwaysOn" ? 2 : state === "Enabled" ? 1 : 0);

/** The vault's soft delete as its backup config holds it. */
async function readSoftDelete(c: AzureClients, ref: VaultRef): Promise<Vault["softDelete"]> {
  const config = await attempt("Reading soft delete of", label(ref), () => c.backup.backupResourceVaultConfigs.get(ref.vaultName, ref.resourceGroupName));
  return {
    state: fromArmSoftDelete(config.properties?.softDeleteFeatureState),
    retentionDays: config.properties?.softDeleteRetentionPeriodInDays ?? 14,
  };
}

/**
 * Brings soft delete to what is asked, as Azure enforces it today (secure by default, GA for Recovery Services
 * vaults in every region: https://learn.microsoft.com/azure/backup/secure-by-default). Never sends a request that
 * weakens it: no "Disabled" (Azure refuses it anyway, BMSUserErrorDisablingSoftDeleteStateNotAllowed:
 * Azure/azure-cli#32383), and no "Enabled" to a vault Azure holds AlwaysON (refused with
 * BMSUserErrorSoftDeleteStateAlwaysOn: microsoft/AzureTRE#4888). A stronger state than asked satisfies the
 * request; only the retention days, or AlwaysOn asked of an Enabled vault, are written. Reads the result back,
 * since writes of these settings have been seen to do nothing (as users report in the issues of
 * hashicorp/terraform-provider-azurerm), and fails only when Azure holds less than asked.
 */
async function applySoftDelete(c: AzureClients, ref: VaultRef, softDelete: Vault["softDelete"]): Promise<Vault["softDelete"]> {
  const current = await readSoftDelete(c, ref);
  const state: SoftDeleteState = strength(current.state) >= strength(softDelete.state) ? current.state : softDelete.state;
  if (softDelete.state === "Disabled" || state === "Disabled") return current;
  if (state === current.state && current.retentionDays === softDelete.retentionDays) return current;
  const written = await attempt("Setting soft delete on", label(ref), () =>
    c.backup.backupResourceVaultConfigs.update(ref.vaultName, ref.resourceGroupName, {
      properties: {
        softDeleteFeatureState: toArmSoftDelete(state),
        softDeleteRetentionPeriodInDays: softDelete.retentionDays,
        enhancedSecurityState: "Enabled",
      },
    }),
  );
  const held = fromArmSoftDelete(written.properties?.softDeleteFeatureState);
  const days = written.properties?.softDeleteRetentionPeriodInDays ?? softDelete.retentionDays;
  if (strength(held) < strength(softDelete.state) || days !== softDelete.retentionDays) {
    throw new AzureOperationError(
      "Setting soft delete on",
      label(ref),
      "SoftDeleteNotApplied",
      `Azure answered success but holds soft delete ${held} for ${days} days, not ${softDelete.state} for ${softDelete.retentionDays} days.`,
    );
  }
  return { state: held, retentionDays: days };
}

/**
 * Creates or updates a vault (the long-running PUT), locks its immutability when it is declared Locked
 * (a second request: Azure refuses Locked at creation), then its soft-delete settings. `current` is the
 * immutability of the vault when it exists already. Soft delete comes last, as Terraform azurerm does: "an
 * update on the vault will reset the vault config to default".
 */
export async function putVault(
  c: AzureClients,
  ref: VaultRef,
  vault: Vault,
  tags: Record<string, string>,
  pollIntervalMs: number,
  current?: ImmutabilityState,
  held?: VaultSettingsState,
): Promise<VaultState> {
  let created = await attempt("Creating or updating", label(ref), () =>
    c.vaults.vaults.beginCreateOrUpdateAndWait(ref.resourceGroupName, ref.vaultName, armBody(vault, tags, current, held), {
      updateIntervalInMs: pollIntervalMs,
    }),
  );
  created = await lockAfterPut(c, ref, vault.immutability, created, pollIntervalMs);
  const softDelete = await applySoftDelete(c, ref, vault.softDelete);
  return toState(ref, created, await storageLocked(c, ref), softDelete);
}

/** After the PUT: a vault declared Locked that Azure holds Unlocked is locked now, and read again. */
async function lockAfterPut(c: AzureClients, ref: VaultRef, desired: ImmutabilityState, put: ArmVault, pollIntervalMs: number): Promise<ArmVault> {
  const held = (put.properties?.securitySettings?.immutabilitySettings?.state as ImmutabilityState | undefined) ?? "Disabled";
  if (desired !== "Locked" || held === "Locked") return put;
  await setImmutability(c, ref, held, "Locked", pollIntervalMs);
  return attempt("Reading", label(ref), () => c.vaults.vaults.get(ref.resourceGroupName, ref.vaultName));
}

/** Changes settings of an existing vault (PATCH, long-running). */
export async function patchVault(
  c: AzureClients,
  ref: VaultRef,
  changes: VaultPatch,
  softDelete: Vault["softDelete"] | undefined,
  pollIntervalMs: number,
): Promise<VaultState> {
  const body = vaultPatchBody(changes);
  if (body !== undefined) {
    // A new customer-managed key is a critical operation on a guarded vault: the guard's request in the PATCH
    // (VaultProperties.resourceGuardOperationRequests) and the auxiliary token, as the Azure CLI's encryption update sends them.
    const guard = changes.settings?.encryption === undefined ? undefined : await guardRequest(c, ref, "modifyEncryption", "Updating");
    if (guard !== undefined) body.properties = { ...body.properties, resourceGuardOperationRequests: guard.resourceGuardOperationRequests };
    await attempt("Updating", label(ref), () =>
      c.vaults.vaults.beginUpdateAndWait(
        ref.resourceGroupName,
        ref.vaultName,
        body,
        withGuard<VaultsUpdateOptionalParams>({ updateIntervalInMs: pollIntervalMs }, guard),
      ),
    );
  }
  if (softDelete !== undefined) await applySoftDelete(c, ref, softDelete);
  const state = await getVault(c, ref);
  if (state === undefined) throw new AzureOperationError("Updating", label(ref), "ResourceNotFound", "the vault disappeared during the update.");
  return state;
}

export async function deleteVault(c: AzureClients, ref: VaultRef, pollIntervalMs: number): Promise<void> {
  await attempt("Deleting", label(ref), () => c.vaults.vaults.beginDeleteAndWait(ref.resourceGroupName, ref.vaultName, { updateIntervalInMs: pollIntervalMs }));
}
