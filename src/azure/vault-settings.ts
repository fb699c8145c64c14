/**
 * The vault settings of src/rules/vault-settings.ts on the wire (Recovery Services vaults API 2026-07-01, as the
 * SDK models it: Vault.identity (IdentityData), properties.encryption (VaultPropertiesEncryption),
 * properties.publicNetworkAccess, properties.monitoringSettings, properties.restoreSettings), both ways.
 */
import type { IdentityData, Vault as ArmVault, VaultProperties } from "@azure/arm-recoveryservices";
import type { CrossSubscriptionRestoreState, PublicNetworkAccess, VaultSettings, VaultSettingsState } from "../rules";

type Body = { identity?: IdentityData; properties: VaultProperties };

const state = (on: boolean) => (on ? "Enabled" : "Disabled");

/** The identity type ARM takes for a set of identities ("SystemAssigned, UserAssigned" for both; "None" for neither). */
function identityType(system: boolean, users: number): string {
  if (system && users > 0) return "SystemAssigned, UserAssigned";
  if (system) return "SystemAssigned";
  return users > 0 ? "UserAssigned" : "None";
}

/** The parts of a vault PUT or PATCH body that carry the given settings; absent settings are not sent. */
export function settingsBody(settings: VaultSettings): Body {
  const body: Body = { properties: {} };
  const p = body.properties;
  if (settings.identity !== undefined) {
    const ids = settings.identity.userAssignedIdentityIds;
    body.identity = {
      type: identityType(settings.identity.systemAssigned, ids.length),
      ...(ids.length === 0 ? {} : { userAssignedIdentities: Object.fromEntries(ids.map((id) => [id, {}])) }),
    };
  }
  if (settings.encryption !== undefined) {
    const e = settings.encryption;
    p.encryption = {
      keyVaultProperties: { keyUri: e.keyId },
      // useSystemAssignedIdentity is "mutually exclusive with 'userAssignedIdentity'" (the spec's CmkKekIdentity).
      kekIdentity: e.userAssignedIdentityId === undefined ? { useSystemAssignedIdentity: true } : { userAssignedIdentity: e.userAssignedIdentityId },
      infrastructureEncryption: state(e.infrastructureEncryption),
    };
  }
  if (settings.publicNetworkAccess !== undefined) p.publicNetworkAccess = settings.publicNetworkAccess;
  const m = settings.monitoring;
  if (m !== undefined && (m.jobFailureAlerts !== undefined || m.classicAlerts !== undefined)) {
    p.monitoringSettings = {
      ...(m.jobFailureAlerts === undefined ? {} : { azureMonitorAlertSettings: { alertsForAllJobFailures: state(m.jobFailureAlerts) } }),
      ...(m.classicAlerts === undefined ? {} : { classicAlertSettings: { alertsForCriticalOperations: state(m.classicAlerts) } }),
    };
  }
  if (settings.crossSubscriptionRestore !== undefined) {
    p.restoreSettings = { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: settings.crossSubscriptionRestore } };
  }
  return body;
}

const enabled = (value: string | undefined): boolean | undefined => (value === undefined ? undefined : value.toLowerCase() === "enabled");

/**
 * The settings as Azure reports them. Where Azure leaves a setting out, its documented default: public network
 * access Enabled (every vault example of the spec reports it; Terraform azurerm's default), Azure Monitor alerts
 * for job failures on ("By default, alerts for backup failures are turned on": DOCS.monitorAlerts), cross-subscription
 * restore Enabled ("This feature is enabled for Recovery Services vault by default": DOCS.crossSubscriptionRestore).
 * The classic alerts switch has no documented default: absent, it stays unknown (and a given value is written).
 */
export function settingsState(vault: ArmVault): VaultSettingsState {
  const p = vault.properties;
  const type = (vault.identity?.type ?? "None").toLowerCase();
  const users = Object.keys(vault.identity?.userAssignedIdentities ?? {});
  const e = p?.encryption;
  const job = enabled(p?.monitoringSettings?.azureMonitorAlertSettings?.alertsForAllJobFailures);
  const classic = enabled(p?.monitoringSettings?.classicAlertSettings?.alertsForCriticalOperations);
  const csr = p?.restoreSettings?.crossSubscriptionRestoreSettings?.crossSubscriptionRestoreState;
  return {
    publicNetworkAccess: (p?.publicNetworkAccess?.toLowerCase() === "disabled" ? "Disabled" : "Enabled") as PublicNetworkAccess,
    identity: {
      systemAssigned: type.includes("systemassigned"),
      userAssignedIdentityIds: users,
      ...(vault.identity?.principalId === undefined ? {} : { principalId: vault.identity.principalId }),
      ...(vault.identity?.tenantId === undefined ? {} : { tenantId: vault.identity.tenantId }),
    },
    ...(e?.keyVaultProperties?.keyUri === undefined
      ? {}
      : {
          encryption: {
            keyId: e.keyVaultProperties.keyUri,
            ...(e.kekIdentity?.userAssignedIdentity === undefined || e.kekIdentity.useSystemAssignedIdentity === true
              ? {}
              : { userAssignedIdentityId: e.kekIdentity.userAssignedIdentity }),
            infrastructureEncryption: enabled(e.infrastructureEncryption) ?? false,
          },
        }),
    monitoring: { jobFailureAlerts: job ?? true, ...(classic === undefined ? {} : { classicAlerts: classic }) },
    crossSubscriptionRestore:
      (["Enabled", "Disabled", "PermanentlyDisabled"] as const).find((s) => s.toLowerCase() === csr?.toLowerCase()) ??
      ("Enabled" as CrossSubscriptionRestoreState),
  };
}
