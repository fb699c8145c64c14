/**
 * The vault settings (src/rules/vault-settings.ts) in the vault resource's outputs: Azure's values, shown to users
 * (the system-assigned identity's principal id among them, to grant it access to a Key Vault key), and read back
 * by diff as what Azure holds.
 */
import { VAULT_SETTINGS_KEYS, type CrossSubscriptionRestoreState, type PublicNetworkAccess, type VaultSettingsState } from "../rules";
import type { VaultInputs, VaultOutputs } from "./types";

/** The inputs that carry the settings. */
export const SETTINGS_FIELDS = VAULT_SETTINGS_KEYS satisfies readonly (keyof VaultInputs)[];

type SettingsOutputs = Pick<
  VaultOutputs,
  "publicNetworkAccess" | "identity" | "identityPrincipalId" | "identityTenantId" | "encryption" | "monitoring" | "crossSubscriptionRestore"
>;

export function settingsOutputs(state: VaultSettingsState): SettingsOutputs {
  const { principalId, tenantId, ...identity } = state.identity;
  return {
    publicNetworkAccess: state.publicNetworkAccess,
    identity,
    ...(principalId === undefined ? {} : { identityPrincipalId: principalId }),
    ...(tenantId === undefined ? {} : { identityTenantId: tenantId }),
    ...(state.encryption === undefined ? {} : { encryption: state.encryption }),
    monitoring: state.monitoring,
    crossSubscriptionRestore: state.crossSubscriptionRestore,
  };
}

/**
 * What the stack's state says Azure holds. A state written before these outputs existed holds none: each then
 * reads as unknown to diff (an impossible value), so a setting the program gives is written once.
 */
export function settingsInState(olds: VaultOutputs): VaultSettingsState {
  const unknownChoice = "" as PublicNetworkAccess & CrossSubscriptionRestoreState;
  return {
    publicNetworkAccess: (olds.publicNetworkAccess as PublicNetworkAccess | undefined) ?? unknownChoice,
    identity: olds.identity ?? { systemAssigned: false, userAssignedIdentityIds: [] },
    ...(olds.encryption === undefined ? {} : { encryption: olds.encryption }),
    monitoring: olds.monitoring ?? {},
    crossSubscriptionRestore: (olds.crossSubscriptionRestore as CrossSubscriptionRestoreState | undefined) ?? unknownChoice,
  };
}
