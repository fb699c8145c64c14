/**
 * What a PATCH of a vault that exists writes: the declared settings that differ from what Azure holds. update() sends
 * it, create() sends it to converge an existing vault (a PUT would replace the vault's properties and drop the settings
 * the program does not declare), and the preview's Azure Policy check judges the vault it leaves (vault-guardrails.ts).
 */
import type { VaultPatch } from "../azure";
import { sameValue, vaultSettingsDifferences, type Redundancy, type Vault, type VaultSettings, type VaultSettingsState } from "../rules";

/** The settings given, in canonical form (the vault's other fields left out). */
export function givenSettings(vault: Vault): VaultSettings {
  const { publicNetworkAccess, identity, encryption, monitoring, crossSubscriptionRestore } = vault;
  return {
    ...(publicNetworkAccess === undefined ? {} : { publicNetworkAccess }),
    ...(identity === undefined ? {} : { identity }),
    ...(encryption === undefined ? {} : { encryption }),
    ...(monitoring === undefined ? {} : { monitoring }),
    ...(crossSubscriptionRestore === undefined ? {} : { crossSubscriptionRestore }),
  };
}

/** The given settings that differ from what Azure holds (or the stack's state says it holds): what an update writes. */
export function settingsToWrite(vault: Vault, held: VaultSettingsState): VaultSettings {
  const given = givenSettings(vault);
  const out: VaultSettings = {};
  for (const key of vaultSettingsDifferences(vault, held)) Object.assign(out, { [key]: given[key] });
  return out;
}

/** What Azure holds of a vault (or the stack's state says it holds), as the PATCH compares it. */
export interface HeldVault {
  redundancy: Redundancy | string;
  crossRegionRestore: boolean;
  tags: Record<string, string> | undefined;
  settings: VaultSettingsState;
}

/** The PATCH that takes `held` to the declared vault (immutability is set apart, a step at a time: setImmutability). */
export function plannedPatch(vault: Vault, tags: Record<string, string>, held: HeldVault): VaultPatch {
  return {
    ...(vault.redundancy !== held.redundancy ? { redundancy: vault.redundancy } : {}),
    ...(vault.crossRegionRestore !== held.crossRegionRestore ? { crossRegionRestore: vault.crossRegionRestore } : {}),
    ...(!sameValue(tags, held.tags ?? {}) ? { tags } : {}),
    settings: settingsToWrite(vault, held.settings),
  };
}
