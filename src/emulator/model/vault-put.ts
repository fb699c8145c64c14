/**
 * A PUT of a vault that exists replaces its properties: what the request leaves out returns to Azure's default, as a
 * PATCH's absent properties do not (the Azure REST API guidelines, microsoft/api-guidelines azure/Guidelines.md: "use
 * PUT against the canonical path of a resource in order to create or replace it"; TypeSpec's ARM rules,
 * https://azure.github.io/typespec-azure/docs/libraries/azure-resource-manager/rules/use-resource-path-for-put/: "ARM
 * PUT operations create or replace a resource instance"; Microsoft.Compute documents itself as the exception, "do not
 * support the conventional definition of HTTP PUT semantics": https://learn.microsoft.com/azure/virtual-machines/put-calls-create-or-update).
 *
 * emulator: the values a left-out property returns to are the emulator's reading, the defaults of a new vault
 * (arm/vaults.ts): tags none, public network access Enabled, no identity, no monitoring settings (Azure's defaults
 * apply), cross-subscription restore unset (Enabled), GeoRedundant storage without cross-region restore, immutability
 * Disabled. What Azure never lets a request take away stays: soft delete (held by the backup config, and never
 * weakened where secure by default enforces it), Locked immutability, the storage redundancy and cross-region restore
 * of a vault whose storage is locked, cross-subscription restore PermanentlyDisabled. A customer-managed key left out
 * is refused, not removed (arm/vault-settings.ts).
 */
import type { VaultRecord } from "../state";
import type { VaultChanges } from "./vault-changes";

/** The changes a PUT of an existing vault makes: the request's, and a reset for each replaceable property it leaves out. */
export function putOfExistingVault(vault: VaultRecord, request: VaultChanges): VaultChanges {
  return {
    ...request,
    tags: request.tags ?? {},
    publicNetworkAccess: request.publicNetworkAccess ?? "Enabled",
    identity: request.identity ?? { type: "None", userAssignedIdentities: [] },
    ...(vault.storageLocked ? {} : { redundancy: request.redundancy ?? "GeoRedundant", crossRegionRestore: request.crossRegionRestore ?? false }),
    ...(request.immutability === undefined && vault.immutability !== "Locked" ? { immutability: "Disabled" as const } : {}),
  };
}

/** After the changes are applied: the blocks a PUT replaces whole rather than merges, or clears when left out. */
export function replaceVaultBlocks(vault: VaultRecord, request: VaultChanges): void {
  if (request.monitoringSettings === undefined) delete vault.monitoringSettings;
  else vault.monitoringSettings = request.monitoringSettings;
  if (request.crossSubscriptionRestore === undefined && vault.crossSubscriptionRestore !== "PermanentlyDisabled") delete vault.crossSubscriptionRestore;
}
