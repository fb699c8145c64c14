/**
 * What a vault update changes: the properties a PUT or PATCH of a vault may set, applied to the vault's
 * record (at once, or when the vault-update operation finishes).
 */
import type { VaultRecord } from "../state";

/** Encryption as a request asks it: a PATCH may switch the identity alone, keeping the key (PatchVault_WithCMK2.json). */
export interface EncryptionChange {
  keyUri?: string;
  useSystemAssignedIdentity: boolean;
  userAssignedIdentity?: string;
  infrastructureEncryption?: "Enabled" | "Disabled";
}

export interface VaultChanges {
  tags?: Record<string, string>;
  publicNetworkAccess?: string;
  redundancy?: VaultRecord["redundancy"];
  crossRegionRestore?: boolean;
  softDelete?: Partial<VaultRecord["softDelete"]>;
  immutability?: VaultRecord["immutability"];
  monitoringSettings?: unknown;
  /** The whole identity: a request's identity replaces the vault's ("None" removes it). */
  identity?: { type: string; userAssignedIdentities: string[] };
  encryption?: EncryptionChange;
  crossSubscriptionRestore?: NonNullable<VaultRecord["crossSubscriptionRestore"]>;
}

export function applyVaultChanges(vault: VaultRecord, changes: VaultChanges): void {
  if (changes.tags !== undefined) vault.tags = changes.tags;
  if (changes.publicNetworkAccess !== undefined) vault.publicNetworkAccess = changes.publicNetworkAccess;
  if (changes.redundancy !== undefined) vault.redundancy = changes.redundancy;
  if (changes.crossRegionRestore !== undefined) vault.crossRegionRestore = changes.crossRegionRestore;
  if (changes.softDelete !== undefined) vault.softDelete = { ...vault.softDelete, ...changes.softDelete };
  if (changes.immutability !== undefined) vault.immutability = changes.immutability;
  // emulator: merged block by block, as a PATCH merges (PATCHVault_WithMonitoringSettings.json sends both blocks whole).
  if (changes.monitoringSettings !== undefined) vault.monitoringSettings = mergeBlocks(vault.monitoringSettings, changes.monitoringSettings);
  if (changes.identity !== undefined) {
    vault.identity = changes.identity.type === "None" ? undefined : changes.identity;
    delete vault.identityType;
  }
  if (changes.encryption !== undefined) {
    const held = vault.encryption;
    const next = changes.encryption;
    vault.encryption = {
      keyUri: next.keyUri ?? held?.keyUri ?? "",
      useSystemAssignedIdentity: next.useSystemAssignedIdentity,
      ...(next.userAssignedIdentity === undefined ? {} : { userAssignedIdentity: next.userAssignedIdentity }),
      infrastructureEncryption: next.infrastructureEncryption ?? held?.infrastructureEncryption ?? "Disabled",
    };
  }
  if (changes.crossSubscriptionRestore !== undefined) vault.crossSubscriptionRestore = changes.crossSubscriptionRestore;
}

function mergeBlocks(held: unknown, next: unknown): unknown {
  if (held === null || typeof held !== "object" || next === null || typeof next !== "object") return next;
  const out: Record<string, unknown> = { ...(held as Record<string, unknown>) };
  for (const [key, value] of Object.entries(next as Record<string, unknown>)) {
    const before = out[key];
    out[key] = before !== null && typeof before === "object" && value !== null && typeof value === "object" ? { ...before, ...value } : value;
  }
  return out;
}
