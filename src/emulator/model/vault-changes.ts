/**
 * What a vault update changes: the properties a PUT or PATCH of a vault may set, applied to the vault's
 * record (at once, or when the vault-update operation finishes).
 */
import type { VaultRecord } from "../state";

export interface VaultChanges {
  tags?: Record<string, string>;
  publicNetworkAccess?: string;
  redundancy?: VaultRecord["redundancy"];
  crossRegionRestore?: boolean;
  softDelete?: Partial<VaultRecord["softDelete"]>;
  immutability?: VaultRecord["immutability"];
  monitoringSettings?: unknown;
}

export function applyVaultChanges(vault: VaultRecord, changes: VaultChanges): void {
  if (changes.tags !== undefined) vault.tags = changes.tags;
  if (changes.publicNetworkAccess !== undefined) vault.publicNetworkAccess = changes.publicNetworkAccess;
  if (changes.redundancy !== undefined) vault.redundancy = changes.redundancy;
  if (changes.crossRegionRestore !== undefined) vault.crossRegionRestore = changes.crossRegionRestore;
  if (changes.softDelete !== undefined) vault.softDelete = { ...vault.softDelete, ...changes.softDelete };
  if (changes.immutability !== undefined) vault.immutability = changes.immutability;
  if (changes.monitoringSettings !== undefined) vault.monitoringSettings = changes.monitoringSettings;
}
