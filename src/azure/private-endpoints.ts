/**
 * A vault's private endpoints as Azure reports them: the read-only `privateEndpointConnections` and
 * `privateEndpointStateForBackup` ("None" | "Enabled") of the vault (Recovery Services vaults API,
 * Azure/azure-rest-api-specs specification/recoveryservices/resource-manager/Microsoft.RecoveryServices/
 * RecoveryServices/stable/2026-07-01, examples/GETVault.json), and whether items were ever registered in it
 * (the backup storage config's `storageTypeState` is "Locked" once a machine is registered: bms.json), which
 * decides whether Azure still creates a private endpoint for Azure Backup (src/rules/private-endpoints.ts).
 */
import type { VaultPrivateEndpointFacts } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, isNotFound } from "./errors";
import type { VaultRef } from "./ids";

const label = (ref: VaultRef) => `the private endpoints of vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`;

/** The vault's private endpoint connections and whether it ever had items; undefined when the vault does not exist. */
export async function getVaultPrivateEndpoints(c: AzureClients, ref: VaultRef): Promise<VaultPrivateEndpointFacts | undefined> {
  let vault;
  try {
    vault = await c.vaults.vaults.get(ref.resourceGroupName, ref.vaultName);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return attempt("Reading", label(ref), () => Promise.reject(error));
  }
  const config = await attempt("Reading the storage configuration for", label(ref), () =>
    c.backup.backupResourceStorageConfigsNonCRR.get(ref.vaultName, ref.resourceGroupName),
  );
  const p = vault.properties;
  return {
    itemsRegistered: config.properties?.storageTypeState === "Locked",
    ...(p?.privateEndpointStateForBackup === undefined ? {} : { stateForBackup: p.privateEndpointStateForBackup }),
    connections: (p?.privateEndpointConnections ?? []).map((c) => ({
      privateEndpointId: c.properties?.privateEndpoint?.id ?? "",
      groupIds: c.properties?.groupIds ?? [],
      status: c.properties?.privateLinkServiceConnectionState?.status ?? "",
    })),
  };
}
