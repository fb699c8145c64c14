/**
 * The vault settings security baselines ask for, as the Recovery Services vaults API 2026-07-01 carries them
 * (specification/recoveryservices/.../RecoveryServices/stable/2026-07-01/openapi.json and its examples PUTVault.json,
 * PUTVault_WithCMK.json, PATCHVault_WithCMK*.json, PUTVault_WithMonitoringSettings.json in Azure/azure-rest-api-specs):
 * `identity` (SystemAssigned / UserAssigned / "SystemAssigned, UserAssigned" / None), `properties.encryption`
 * (keyVaultProperties.keyUri, kekIdentity, infrastructureEncryption), `properties.publicNetworkAccess`,
 * `properties.monitoringSettings` and `properties.restoreSettings.crossSubscriptionRestoreSettings`.
 *
 * Read from request bodies, checked against what Azure refuses, and rendered back. The rules enforced, and where
 * they come from:
 * - a CMK only on a vault where no item was ever registered, never removed (Microsoft Learn, "Encrypt backup data by
 *   using customer-managed keys": https://learn.microsoft.com/azure/backup/encryption-at-rest-with-cmk); a PUT of an
 *   encrypted vault must carry its encryption, and infrastructure encryption never changes (Terraform azurerm's
 *   recovery_services_vault_resource.go: "Once encryption has been enabled, calling CreateOrUpdate without it is not
 *   allowed"; "once infrastructure_encryption_enabled has been set it's not possible to change it");
 * - the key is read with an identity the vault has (kekIdentity: useSystemAssignedIdentity "mutually exclusive with
 *   userAssignedIdentity", the spec); that identity cannot be removed ("must not be disabled (even temporarily)", Learn);
 * - cross-subscription restore PermanentlyDisabled can never be re-enabled (Microsoft Learn, Restore Azure VM data:
 *   https://learn.microsoft.com/azure/backup/backup-azure-arm-restore-vms#cross-subscription-restore).
 * No public source gives the service's error codes for these refusals: the codes below are the emulator's own
 * (emulator: each is named so, in its comment).
 */
import { badRequest, prop } from "../http";
import type { VaultChanges } from "../model/vault-changes";
import type { VaultRecord } from "../state";

type VaultSettingsChanges = Pick<VaultChanges, "identity" | "encryption" | "publicNetworkAccess" | "crossSubscriptionRestore" | "monitoringSettings">;

export const IDENTITY_TYPES = ["SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"] as const;
const ALERTS = ["Enabled", "Disabled"] as const;
const CSR = ["Enabled", "Disabled", "PermanentlyDisabled"] as const;
/** A Key Vault key identifier, with or without its version (keyVaultProperties.keyUri in the examples). */
const KEY_URI = /^https:\/\/[a-z0-9-]+\.(vault|managedhsm)\.[a-z0-9.-]+(:443)?\/keys\/[a-z0-9-]+(\/[a-z0-9]{32})?\/?$/i;
const USER_IDENTITY = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i;

type VaultIdentityRecord = NonNullable<VaultRecord["identity"]>;

function choice<T extends string>(value: unknown, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  const match = allowed.find((a) => typeof value === "string" && a.toLowerCase() === value.replace(/\s+/g, " ").trim().toLowerCase());
  if (match === undefined) throw badRequest("BadRequest", `Invalid value '${String(value)}' for ${what}. Allowed values: ${allowed.join(", ")}.`);
  return match;
}

/** Reads the settings a vault PUT or PATCH body carries (absent ones are not changed). */
export function settingsFrom(body: unknown): VaultSettingsChanges {
  const p = prop(body, "properties");
  const changes: VaultSettingsChanges = {};
  const identity = prop(body, "identity");
  if (identity !== undefined && identity !== null) {
    const type = choice(prop(identity, "type"), IDENTITY_TYPES, "identity.type");
    if (type === undefined) throw badRequest("BadRequest", "identity.type is required.");
    const map = prop(identity, "userAssignedIdentities");
    const ids = map !== null && typeof map === "object" ? Object.keys(map) : [];
    for (const id of ids) {
      if (!USER_IDENTITY.test(id)) throw badRequest("BadRequest", `'${id}' is not the resource id of a user-assigned identity.`);
    }
    const wantsUser = type.includes("UserAssigned");
    if (wantsUser !== ids.length > 0) {
      // emulator: the service's code for this mismatch is not public.
      throw badRequest("BadRequest", `identity.type '${type}' ${wantsUser ? "needs" : "takes no"} userAssignedIdentities.`);
    }
    changes.identity = { type, userAssignedIdentities: ids };
  }
  const encryption = prop(p, "encryption");
  if (encryption !== undefined && encryption !== null) {
    const keyUri = prop(encryption, "keyVaultProperties", "keyUri");
    const useSystem = prop(encryption, "kekIdentity", "useSystemAssignedIdentity");
    const user = prop(encryption, "kekIdentity", "userAssignedIdentity");
    const infra = choice(prop(encryption, "infrastructureEncryption"), ALERTS, "encryption.infrastructureEncryption");
    if (keyUri !== undefined && (typeof keyUri !== "string" || !KEY_URI.test(keyUri))) {
      // emulator: the service's code for a malformed key URI is not public.
      throw badRequest("BadRequest", `'${String(keyUri)}' is not a Key Vault key identifier (https://{vault}.vault.azure.net/keys/{name}/{version}).`);
    }
    if (useSystem === true && typeof user === "string") {
      throw badRequest("BadRequest", "kekIdentity.useSystemAssignedIdentity is mutually exclusive with kekIdentity.userAssignedIdentity.");
    }
    changes.encryption = {
      ...(typeof keyUri === "string" ? { keyUri } : {}),
      useSystemAssignedIdentity: typeof user !== "string",
      ...(typeof user === "string" ? { userAssignedIdentity: user } : {}),
      ...(infra === undefined ? {} : { infrastructureEncryption: infra }),
    };
  }
  const access = choice(prop(p, "publicNetworkAccess"), ALERTS, "publicNetworkAccess");
  if (access !== undefined) changes.publicNetworkAccess = access;
  const csr = choice(prop(p, "restoreSettings", "crossSubscriptionRestoreSettings", "crossSubscriptionRestoreState"), CSR, "crossSubscriptionRestoreState");
  if (csr !== undefined) changes.crossSubscriptionRestore = csr;
  const monitoring = prop(p, "monitoringSettings");
  if (monitoring !== undefined && monitoring !== null) {
    for (const [block, keys] of [
      ["azureMonitorAlertSettings", ["alertsForAllJobFailures", "alertsForAllReplicationIssues", "alertsForAllFailoverIssues"]],
      ["classicAlertSettings", ["alertsForCriticalOperations", "emailNotificationsForSiteRecovery"]],
    ] as const) {
      for (const key of keys) choice(prop(monitoring, block, key), ALERTS, `monitoringSettings.${block}.${key}`);
    }
    changes.monitoringSettings = monitoring as Record<string, unknown>;
  }
  return changes;
}

/** The vault's identity, older state files' `identityType` included. */
function identityOf(vault: VaultRecord): VaultIdentityRecord | undefined {
  return vault.identity ?? (vault.identityType === undefined ? undefined : { type: vault.identityType, userAssignedIdentities: [] });
}

const hasSystem = (identity: VaultIdentityRecord | undefined) => identity !== undefined && identity.type.startsWith("SystemAssigned");
const hasUser = (identity: VaultIdentityRecord | undefined, id: string) =>
  identity !== undefined && identity.userAssignedIdentities.some((u) => u.toLowerCase() === id.toLowerCase());

/** The refusals Azure applies to these settings. `put`: the request is a PUT of an existing vault (which replaces its properties), not a PATCH. */
export function checkSettingsChanges(vault: VaultRecord, changes: VaultSettingsChanges, put: boolean): void {
  const held = vault.encryption;
  const next = changes.encryption;
  if (held !== undefined && put && next === undefined) {
    // emulator: code of its own; the behaviour is Terraform azurerm's observation (see the header).
    throw badRequest(
      "UserErrorCmkEncryptionCannotBeRemoved",
      "The vault is encrypted with a customer-managed key; it cannot return to platform-managed keys, and a PUT must carry its encryption.",
    );
  }
  if (next !== undefined) {
    if (held === undefined && next.keyUri === undefined) throw badRequest("BadRequest", "encryption.keyVaultProperties.keyUri is required.");
    if (held === undefined && (vault.storageLocked || vault.items.length > 0)) {
      // emulator: code of its own; Learn: "Any vault that contains existing items registered or attempted to be registered to it aren't supported".
      throw badRequest(
        "UserErrorCmkVaultHasRegisteredItems",
        "Encryption with customer-managed keys can be enabled only on a vault where no item was ever registered.",
      );
    }
    if (held !== undefined && next.infrastructureEncryption !== undefined && next.infrastructureEncryption !== held.infrastructureEncryption) {
      // emulator: code of its own.
      throw badRequest(
        "UserErrorInfrastructureEncryptionCannotChange",
        `Infrastructure encryption is ${held.infrastructureEncryption} on this vault and cannot change.`,
      );
    }
  }
  const identity = changes.identity ?? identityOf(vault);
  const kek = next ?? held;
  if (kek !== undefined) {
    const ok = kek.userAssignedIdentity === undefined ? hasSystem(identity) : hasUser(identity, kek.userAssignedIdentity);
    if (!ok) {
      // emulator: code of its own; Learn: the managed identity that reads the key "must not be disabled (even temporarily)".
      throw badRequest(
        "UserErrorCmkIdentityNotFound",
        `The identity that reads the customer-managed key (${kek.userAssignedIdentity ?? "the system-assigned identity"}) is not an identity of the vault.`,
      );
    }
  }
  if (
    vault.crossSubscriptionRestore === "PermanentlyDisabled" &&
    changes.crossSubscriptionRestore !== undefined &&
    changes.crossSubscriptionRestore !== "PermanentlyDisabled"
  ) {
    // emulator: code of its own; Learn: "CSR once permanently disabled on a vault can't be re-enabled".
    throw badRequest(
      "UserErrorCrossSubscriptionRestorePermanentlyDisabled",
      "Cross subscription restore is permanently disabled on this vault and cannot be enabled again.",
    );
  }
}

/** A stable GUID-shaped id derived from a text (principal and client ids the emulated Entra ID would assign). */
export function guidOf(text: string): string {
  let a = 0x811c9dc5;
  let b = 7;
  for (const c of text.toLowerCase()) {
    a = Math.imul(a ^ c.charCodeAt(0), 16777619) >>> 0;
    b = (b * 131 + c.charCodeAt(0)) >>> 0;
  }
  const h = (a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0")).repeat(2);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The emulated tenant (an example tenant id of the spec's examples is not reused: any GUID). */
export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/**
 * `identity` as Azure renders it: principalId and tenantId for a system-assigned identity (PUTVault.json), and for
 * each user-assigned identity its clientId and principalId (PUTVault_WithCMK.json, 200).
 */
export function renderIdentity(vault: VaultRecord): Record<string, unknown> | undefined {
  const identity = identityOf(vault);
  if (identity === undefined || identity.type === "None") return undefined;
  return {
    type: identity.type,
    ...(hasSystem(identity) ? { principalId: guidOf(`system:${vault.key}:${vault.createdAt}`), tenantId: TENANT_ID } : {}),
    ...(identity.userAssignedIdentities.length === 0
      ? {}
      : {
          userAssignedIdentities: Object.fromEntries(
            identity.userAssignedIdentities.map((id) => [id, { clientId: guidOf(`client:${id}`), principalId: guidOf(`principal:${id}`) }]),
          ),
        }),
  };
}

/** The properties these settings add to a vault's body (encryption as PUTVault_WithCMK.json renders it). */
export function renderSettings(vault: VaultRecord): Record<string, unknown> {
  const e = vault.encryption;
  return {
    ...(e === undefined
      ? {}
      : {
          encryption: {
            keyVaultProperties: { keyUri: e.keyUri },
            kekIdentity: {
              useSystemAssignedIdentity: e.useSystemAssignedIdentity,
              ...(e.userAssignedIdentity === undefined ? {} : { userAssignedIdentity: e.userAssignedIdentity }),
            },
            infrastructureEncryption: e.infrastructureEncryption,
          },
        }),
    // emulator: no example shows restoreSettings on a vault that never set it; it is rendered once set.
    ...(vault.crossSubscriptionRestore === undefined
      ? {}
      : { restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: vault.crossSubscriptionRestore } } }),
  };
}
