/**
 * The deny set of the four guardrails a governed subscription puts on Recovery Services vaults (issue 11), in one
 * place for the emulator, host and program tests: public network access, customer-managed keys, immutability and
 * storage redundancy, each an assignment of the Azure/azure-policy built-in definition (src/emulator/model/guardrails.ts).
 * The immutability built-in only audits, so it is assigned, as teams do, through a custom copy that denies.
 *
 * To add a guardrail, add its assignment here and the vault settings that satisfy it to COMPLIANT.
 */
import type { GuardrailAssignment } from "../../src/emulator/model/guardrails";

export const FOUR_GUARDRAILS: GuardrailAssignment[] = [
  { name: "deny-rsv-public-network", displayName: "Vaults: no public network access", definition: "publicNetworkAccess", effect: "Deny" },
  { name: "deny-rsv-without-cmk", displayName: "Vaults: customer-managed keys", definition: "customerManagedKey", effect: "Deny" },
  {
    name: "deny-rsv-mutable",
    displayName: "Vaults: immutable",
    definition: "immutability",
    customDefinitionName: "rsv-immutability-deny",
    effect: "Deny",
    parameters: { checkLockedImmutabilityOnly: false },
  },
  {
    name: "deny-rsv-grs",
    displayName: "Vaults: no geo-redundant storage",
    definition: "redundancy",
    effect: "Deny",
    parameters: { BackupStorageRedundancy: "GeoRedundant" },
  },
];

/** Each guardrail's assignment name and the BackupVault argument that satisfies it. */
export const GUARDED_ARGUMENTS: Record<string, "publicNetworkAccess" | "encryption" | "immutability" | "redundancy"> = {
  "deny-rsv-public-network": "publicNetworkAccess",
  "deny-rsv-without-cmk": "encryption",
  "deny-rsv-mutable": "immutability",
  "deny-rsv-grs": "redundancy",
};

export const KEY_URI = "https://kv-backup.vault.azure.net/keys/rsv-key/0123456789abcdef0123456789abcdef";

/** A vault PUT body (api 2024-04-01 shape) that satisfies the four guardrails. */
export const COMPLIANT: Record<string, unknown> = {
  location: "westeurope",
  sku: { name: "Standard" },
  identity: { type: "SystemAssigned" },
  properties: {
    publicNetworkAccess: "Disabled",
    encryption: { keyVaultProperties: { keyUri: KEY_URI }, kekIdentity: { useSystemAssignedIdentity: true }, infrastructureEncryption: "Enabled" },
    securitySettings: { immutabilitySettings: { state: "Unlocked" } },
    redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant", crossRegionRestore: "Disabled" },
  },
};

/** A vault PUT body as a program without those settings sends it. */
export const BARE: Record<string, unknown> = {
  location: "westeurope",
  sku: { name: "Standard" },
  properties: { redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Disabled" } },
};
