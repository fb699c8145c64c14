/**
 * Vaults: read, create or update, delete; their soft-delete settings (written through the backup config
 * API and read back, since vault PATCHes of these settings have been seen to do nothing:
 * as users report in the issues of hashicorp/terraform-provider-azurerm), and whether storage redundancy is locked.
 */
import type { Vault as ArmVault } from "@azure/arm-recoveryservices";
import type { ImmutabilityState, Redundancy, SoftDeleteState, Vault } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError, isNotFound } from "./errors";
import { vaultId, type VaultRef } from "./ids";

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

function armBody(vault: Vault, tags: Record<string, string>): ArmVault {
  return {
    location: vault.location,
    tags,
    sku: { name: "Standard" },
    properties: {
      redundancySettings: { standardTierStorageRedundancy: vault.redundancy, crossRegionRestore: vault.crossRegionRestore ? "Enabled" : "Disabled" },
      securitySettings: { immutabilitySettings: { state: vault.immutability } },
    },
  };
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

/** Creates or updates a vault (the long-running PUT), then its soft-delete settings. */
export async function putVault(c: AzureClients, ref: VaultRef, vault: Vault, tags: Record<string, string>, pollIntervalMs: number): Promise<VaultState> {
  const created = await attempt("Creating or updating", label(ref), () =>
    c.vaults.vaults.beginCreateOrUpdateAndWait(ref.resourceGroupName, ref.vaultName, armBody(vault, tags), { updateIntervalInMs: pollIntervalMs }),
  );
  const softDelete = await applySoftDelete(c, ref, vault.softDelete);
  return toState(ref, created, await storageLocked(c, ref), softDelete);
}

/** Changes settings of an existing vault (PATCH, long-running). */
export async function patchVault(
  c: AzureClients,
  ref: VaultRef,
  changes: { redundancy?: Redundancy; crossRegionRestore?: boolean; immutability?: ImmutabilityState; tags?: Record<string, string> },
  softDelete: Vault["softDelete"] | undefined,
  pollIntervalMs: number,
): Promise<VaultState> {
  const properties: NonNullable<ArmVault["properties"]> = {};
  if (changes.redundancy !== undefined || changes.crossRegionRestore !== undefined) {
    properties.redundancySettings = {
      ...(changes.redundancy === undefined ? {} : { standardTierStorageRedundancy: changes.redundancy }),
      ...(changes.crossRegionRestore === undefined ? {} : { crossRegionRestore: changes.crossRegionRestore ? "Enabled" : "Disabled" }),
    };
  }
  if (changes.immutability !== undefined) properties.securitySettings = { immutabilitySettings: { state: changes.immutability } };
  if (Object.keys(properties).length > 0 || changes.tags !== undefined) {
    await attempt("Updating", label(ref), () =>
      c.vaults.vaults.beginUpdateAndWait(
        ref.resourceGroupName,
        ref.vaultName,
        { properties, ...(changes.tags === undefined ? {} : { tags: changes.tags }) },
        { updateIntervalInMs: pollIntervalMs },
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
