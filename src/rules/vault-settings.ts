/**
 * The vault settings security baselines ask for: public network access, managed identity, encryption with a
 * customer-managed key (CMK), Azure Monitor alerts and cross-subscription restore. Each is optional: a
 * setting the user does not give is left as Azure holds it (and never compared with Azure's value); a given
 * one is enforced. `checkVaultSettings` judges the inputs; `validateVaultSettingsChange` judges a change to
 * a vault that exists, refusing in the preview what Azure refuses (or cannot undo).
 *
 * Sources: the Recovery Services vaults REST API 2026-07-01 (DOCS.armVaultApi2026: identity, encryption,
 * publicNetworkAccess, monitoringSettings, restoreSettings.crossSubscriptionRestoreSettings); Microsoft Learn on
 * CMK (DOCS.cmk), cross-subscription restore (DOCS.crossSubscriptionRestore) and Azure Monitor alerts
 * (DOCS.monitorAlerts); Terraform azurerm's vault resource (DOCS.tfVault).
 */
import { parseUserAssignedIdentityId, sameArmId } from "./arm-id";
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { readArray, readBoolean, readChoice, readObject, readString } from "./input";
import { isKnown, Unknown, type MaybeUnknown } from "./unknown";

export const PUBLIC_NETWORK_ACCESS = ["Enabled", "Disabled"] as const;
export type PublicNetworkAccess = (typeof PUBLIC_NETWORK_ACCESS)[number];

export const CROSS_SUBSCRIPTION_RESTORE_STATES = ["Enabled", "Disabled", "PermanentlyDisabled"] as const;
export type CrossSubscriptionRestoreState = (typeof CROSS_SUBSCRIPTION_RESTORE_STATES)[number];

/** The vault's managed identities: its own (system-assigned) and user-assigned ones, by ARM id. */
export interface VaultIdentity {
  systemAssigned: boolean;
  userAssignedIdentityIds: string[];
}

/**
 * Encryption with a customer-managed key: the Key Vault key's URL, the identity that reads it (a user-assigned
 * identity's ARM id, or the vault's system-assigned identity when absent) and infrastructure (double) encryption.
 */
export interface VaultEncryption {
  keyId: string;
  userAssignedIdentityId?: string;
  infrastructureEncryption: boolean;
}

/** Azure Monitor alerts for job failures, and the classic alerts for critical operations; only what is given. */
export interface VaultMonitoring {
  jobFailureAlerts?: boolean;
  classicAlerts?: boolean;
}

/** The settings in canonical form; each is present only when the user gave it. */
export interface VaultSettings {
  publicNetworkAccess?: PublicNetworkAccess;
  identity?: VaultIdentity;
  encryption?: VaultEncryption;
  monitoring?: VaultMonitoring;
  crossSubscriptionRestore?: CrossSubscriptionRestoreState;
}

export interface VaultSettingsArgs {
  publicNetworkAccess?: PublicNetworkAccess | string;
  identity?: { systemAssigned?: boolean; userAssignedIdentityIds?: string[] };
  encryption?: { keyId: string; userAssignedIdentityId?: string; infrastructureEncryption?: boolean };
  monitoring?: { jobFailureAlerts?: boolean; classicAlerts?: boolean };
  crossSubscriptionRestore?: CrossSubscriptionRestoreState | string;
}

export const VAULT_SETTINGS_KEYS = ["publicNetworkAccess", "identity", "encryption", "monitoring", "crossSubscriptionRestore"] as const;

/**
 * A Key Vault key URL, with or without its version, as Key Vault writes key identifiers
 * (`https://{vault}.vault.azure.net/keys/{name}/{version}`; Terraform azurerm validates `key_id` the same way,
 * NestedItemIdWithOptionalVersion: DOCS.tfVault). Other clouds' Key Vault hosts are accepted.
 */
const KEY_URL = /^https:\/\/[a-z0-9-]+\.(vault|managedhsm)\.[a-z0-9.-]+(:443)?\/keys\/[a-z0-9-]{1,127}(\/[a-z0-9]{32})?\/?$/i;

export function isKeyVaultKeyUrl(text: string): boolean {
  return KEY_URL.test(text.trim());
}

const describeIdentity = (id: VaultIdentity): string =>
  [id.systemAssigned ? "its system-assigned identity" : "", ...id.userAssignedIdentityIds.map((u) => `user-assigned identity '${u}'`)]
    .filter((s) => s !== "")
    .join(", ") || "no managed identity";

/** Reads and judges the five settings; returns them in canonical form (Unknown while any is unknown). */
export function checkVaultSettings(ctx: RuleContext, raw: Record<string, unknown>, path: string): MaybeUnknown<VaultSettings> {
  const settings: VaultSettings = {};
  let unknown = false;

  const access = readChoice(ctx, raw.publicNetworkAccess, joinPath(path, "publicNetworkAccess"), PUBLIC_NETWORK_ACCESS, "vault/public-network-access", {
    what: "public network access",
  });
  if (access === Unknown) unknown = true;
  else if (access !== undefined) settings.publicNetworkAccess = access;

  const identity = checkIdentity(ctx, raw.identity, joinPath(path, "identity"));
  if (identity === Unknown) unknown = true;
  else if (identity !== undefined) settings.identity = identity;

  const encryption = checkEncryption(ctx, raw.encryption, joinPath(path, "encryption"), identity, path);
  if (encryption === Unknown) unknown = true;
  else if (encryption !== undefined) settings.encryption = encryption;

  const monitoring = checkMonitoring(ctx, raw.monitoring, joinPath(path, "monitoring"));
  if (monitoring === Unknown) unknown = true;
  else if (monitoring !== undefined) settings.monitoring = monitoring;

  const csrPath = joinPath(path, "crossSubscriptionRestore");
  const csr = readChoice(ctx, raw.crossSubscriptionRestore, csrPath, CROSS_SUBSCRIPTION_RESTORE_STATES, "vault/cross-subscription-restore", {
    what: "cross-subscription restore state",
  });
  if (csr === Unknown) unknown = true;
  else if (csr !== undefined) settings.crossSubscriptionRestore = csr;
  if (csr === "PermanentlyDisabled") {
    ctx.report(
      "vault/cross-subscription-restore-permanent",
      csrPath,
      'crossSubscriptionRestore "PermanentlyDisabled" can never be undone: no VM backed up in this vault can then be restored to another subscription, and Azure refuses to enable it again.',
      { remedy: 'Use "Disabled" to turn it off and keep the choice; use "PermanentlyDisabled" only when a baseline asks for it.' },
    );
  }
  return unknown ? Unknown : settings;
}

function checkIdentity(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<VaultIdentity> | undefined {
  const raw = readObject(ctx, value, path, ["systemAssigned", "userAssignedIdentityIds"], { what: "identity" });
  if (raw === undefined || raw === Unknown) return raw;
  const system = readBoolean(ctx, raw.systemAssigned, joinPath(path, "systemAssigned"), { what: "identity.systemAssigned" });
  const idsPath = joinPath(path, "userAssignedIdentityIds");
  const list = readArray(ctx, raw.userAssignedIdentityIds, idsPath, { what: "identity.userAssignedIdentityIds" });
  if (system === Unknown || list === Unknown) return Unknown;
  const ids: string[] = [];
  let unknown = false;
  (list ?? []).forEach((entry, i) => {
    const entryPath = `${idsPath}[${i}]`;
    const id = readString(ctx, entry, entryPath, { what: "a user-assigned identity id", required: true });
    if (id === Unknown) unknown = true;
    if (!isKnown(id)) return;
    if (parseUserAssignedIdentityId(id) === undefined) {
      ctx.report("vault/identity", entryPath, `'${id}' is not the ARM id of a user-assigned managed identity.`, {
        remedy:
          "Give the identity's resource id: /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.",
      });
    } else if (ids.some((other) => sameArmId(other, id))) {
      ctx.report("input/duplicate", entryPath, `User-assigned identity '${id}' is listed twice.`, { remedy: "List each identity once." });
    } else ids.push(id);
  });
  if (unknown) return Unknown;
  return { systemAssigned: system ?? false, userAssignedIdentityIds: ids };
}

function checkEncryption(
  ctx: RuleContext,
  value: unknown,
  path: string,
  identity: MaybeUnknown<VaultIdentity> | undefined,
  vaultPath: string,
): MaybeUnknown<VaultEncryption> | undefined {
  const raw = readObject(ctx, value, path, ["keyId", "userAssignedIdentityId", "infrastructureEncryption"], { what: "encryption" });
  if (raw === undefined || raw === Unknown) return raw;
  const keyPath = joinPath(path, "keyId");
  const keyId = readString(ctx, raw.keyId, keyPath, {
    what: "encryption.keyId",
    required: true,
    remedy: "Give the key's identifier from Key Vault, e.g. https://my-keyvault.vault.azure.net/keys/backup-key.",
  });
  if (isKnown(keyId) && !isKeyVaultKeyUrl(keyId)) {
    ctx.report("vault/encryption-key-id", keyPath, `'${keyId}' is not a Key Vault key URL (https://<key vault>.vault.azure.net/keys/<name>[/<version>]).`, {
      remedy: "Copy the key identifier from the key in Key Vault; give it without a version to follow the key's newest version.",
    });
  }
  const uaiPath = joinPath(path, "userAssignedIdentityId");
  const uai = readString(ctx, raw.userAssignedIdentityId, uaiPath, { what: "encryption.userAssignedIdentityId" });
  const infra = readBoolean(ctx, raw.infrastructureEncryption, joinPath(path, "infrastructureEncryption"), { what: "encryption.infrastructureEncryption" });
  if (keyId === Unknown || uai === Unknown || infra === Unknown) return Unknown;

  // The identity that reads the key must be one the vault has (Terraform azurerm: encryption RequiredWith identity).
  if (identity !== Unknown) {
    const has = identity ?? { systemAssigned: false, userAssignedIdentityIds: [] };
    if (uai === undefined && !has.systemAssigned) {
      ctx.report(
        "vault/encryption-identity",
        path,
        `The customer-managed key is read with the vault's system-assigned identity (encryption.userAssignedIdentityId is not given), and the vault has ${describeIdentity(has)}.`,
        {
          remedy: `Set ${joinPath(vaultPath, "identity.systemAssigned")} to true, or give encryption.userAssignedIdentityId, one of identity.userAssignedIdentityIds.`,
        },
      );
    } else if (uai !== undefined && parseUserAssignedIdentityId(uai) === undefined) {
      ctx.report("vault/identity", uaiPath, `'${uai}' is not the ARM id of a user-assigned managed identity.`, {
        remedy:
          "Give the identity's resource id: /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.",
      });
    } else if (uai !== undefined && !has.userAssignedIdentityIds.some((id) => sameArmId(id, uai))) {
      ctx.report(
        "vault/encryption-identity",
        uaiPath,
        `User-assigned identity '${uai}' reads the customer-managed key, but the vault has ${describeIdentity(has)}.`,
        {
          remedy: `Add it to ${joinPath(vaultPath, "identity.userAssignedIdentityIds")}.`,
        },
      );
    }
  }
  if (isKnown(keyId)) {
    ctx.report(
      "vault/encryption-irreversible",
      path,
      "Encryption with a customer-managed key can never be turned back to platform-managed keys (the key itself can change); infrastructure encryption cannot change once set; " +
        "Azure accepts the key only on a vault where no item was ever registered; the key must be an RSA key in a Key Vault of the vault's region, with soft delete and purge protection, " +
        "and the identity must hold Get, Wrap Key and Unwrap Key permissions on it before the vault is created or updated.",
      { remedy: "Grant the identity access to the key first (the system-assigned identity's principal id is the vault's output identityPrincipalId)." },
    );
  }
  return {
    keyId: isKnown(keyId) ? keyId.trim() : "",
    ...(uai === undefined ? {} : { userAssignedIdentityId: uai }),
    infrastructureEncryption: infra ?? false,
  };
}

function checkMonitoring(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<VaultMonitoring> | undefined {
  const raw = readObject(ctx, value, path, ["jobFailureAlerts", "classicAlerts"], { what: "monitoring" });
  if (raw === undefined || raw === Unknown) return raw;
  const jobPath = joinPath(path, "jobFailureAlerts");
  const job = readBoolean(ctx, raw.jobFailureAlerts, jobPath, { what: "monitoring.jobFailureAlerts" });
  const classicPath = joinPath(path, "classicAlerts");
  const classic = readBoolean(ctx, raw.classicAlerts, classicPath, { what: "monitoring.classicAlerts" });
  if (job === Unknown || classic === Unknown) return Unknown;
  if (job === false) {
    ctx.report(
      "vault/monitoring-job-alerts-off",
      jobPath,
      "Azure Monitor alerts for failed backup and restore jobs are turned off: a failing backup then raises no alert.",
      {
        remedy: "Remove monitoring.jobFailureAlerts (Azure turns them on by default), or set it to true.",
      },
    );
  }
  if (classic === true) {
    ctx.report(
      "vault/monitoring-classic-alerts",
      classicPath,
      "Classic backup alerts are the older solution Microsoft asks users to leave for Azure Monitor alerts; with both on, each alert arrives twice.",
      { remedy: 'Set monitoring.classicAlerts to false ("Use only Azure Monitor alerts") and route Azure Monitor alerts with an alert processing rule.' },
    );
  }
  return { ...(job === undefined ? {} : { jobFailureAlerts: job }), ...(classic === undefined ? {} : { classicAlerts: classic }) };
}

export function validateVaultSettings(args: VaultSettingsArgs, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  checkVaultSettings(ctx, args as Record<string, unknown>, "");
  return ctx.diagnostics;
}

// ---- what Azure holds, and whether it matches ------------------------------------------------------------

/** The settings as Azure reports them (every one, defaults included). */
export interface VaultSettingsState {
  publicNetworkAccess: PublicNetworkAccess;
  identity: VaultIdentity & { principalId?: string; tenantId?: string };
  encryption?: VaultEncryption;
  monitoring: VaultMonitoring;
  crossSubscriptionRestore: CrossSubscriptionRestoreState;
}

const sameIdentitySet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.some((y) => sameArmId(x, y)));

/** Key URLs are compared without case and without a trailing slash (Key Vault names and key names are case-insensitive). */
export function sameKeyId(a: string, b: string): boolean {
  return a.trim().replace(/\/$/, "").toLowerCase() === b.trim().replace(/\/$/, "").toLowerCase();
}

export function sameEncryption(a: VaultEncryption | undefined, b: VaultEncryption | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ua = a.userAssignedIdentityId;
  const ub = b.userAssignedIdentityId;
  return (
    sameKeyId(a.keyId, b.keyId) &&
    a.infrastructureEncryption === b.infrastructureEncryption &&
    (ua === undefined || ub === undefined ? ua === ub : sameArmId(ua, ub))
  );
}

/**
 * The settings that differ between what is asked and what Azure holds: only the settings (and, for monitoring,
 * the switches) the user gave are compared, so Azure's defaults are never a drift.
 */
export function vaultSettingsDifferences(asked: VaultSettings, held: VaultSettingsState): Array<keyof VaultSettings> {
  const out: Array<keyof VaultSettings> = [];
  if (asked.publicNetworkAccess !== undefined && asked.publicNetworkAccess !== held.publicNetworkAccess) out.push("publicNetworkAccess");
  if (
    asked.identity !== undefined &&
    (asked.identity.systemAssigned !== held.identity.systemAssigned ||
      !sameIdentitySet(asked.identity.userAssignedIdentityIds, held.identity.userAssignedIdentityIds))
  ) {
    out.push("identity");
  }
  if (asked.encryption !== undefined && !sameEncryption(asked.encryption, held.encryption)) out.push("encryption");
  const m = asked.monitoring;
  if (
    m !== undefined &&
    ((m.jobFailureAlerts !== undefined && m.jobFailureAlerts !== held.monitoring.jobFailureAlerts) ||
      (m.classicAlerts !== undefined && m.classicAlerts !== held.monitoring.classicAlerts))
  ) {
    out.push("monitoring");
  }
  if (asked.crossSubscriptionRestore !== undefined && asked.crossSubscriptionRestore !== held.crossSubscriptionRestore) out.push("crossSubscriptionRestore");
  return out;
}

// ---- changes to a vault that exists ----------------------------------------------------------------------

export interface VaultSettingsCurrent {
  name: string;
  identity: VaultIdentity;
  encryption?: VaultEncryption;
  crossSubscriptionRestore: CrossSubscriptionRestoreState;
  /** Whether VMs have been protected in the vault (items registered: storage type `Locked`). */
  storageLocked: boolean;
}

/**
 * A change Azure refuses on a vault that exists, or that cannot be undone. `previous` is what the stack
 * declared before (Pulumi's old inputs), to tell a setting removed from the program from one never given.
 */
export function validateVaultSettingsChange(
  current: VaultSettingsCurrent,
  desired: VaultSettings,
  previous: { encryption?: unknown } = {},
  options?: RuleOptions,
): Diagnostic[] {
  const ctx = createContext(options);
  const vault = `Vault '${current.name}'`;
  const held = current.encryption;
  if (held !== undefined) {
    if (desired.encryption === undefined && previous.encryption !== undefined && previous.encryption !== null) {
      ctx.report(
        "vault/encryption-removed",
        "encryption",
        `${vault} is encrypted with the customer-managed key '${held.keyId}'; Azure cannot return a vault to platform-managed keys, so removing encryption from the program would change nothing in Azure.`,
        { remedy: `Keep encryption with keyId '${held.keyId}' (you may change the key), or create a new vault for platform-managed keys.` },
      );
    }
    if (desired.encryption !== undefined && desired.encryption.infrastructureEncryption !== held.infrastructureEncryption) {
      ctx.report(
        "vault/infrastructure-encryption-change",
        "encryption.infrastructureEncryption",
        `${vault} has infrastructure encryption ${held.infrastructureEncryption ? "on" : "off"}; it cannot change once the vault is encrypted with a customer-managed key.`,
        { remedy: `Keep encryption.infrastructureEncryption ${String(held.infrastructureEncryption)}, or create a new vault.` },
      );
    }
  } else if (desired.encryption !== undefined && current.storageLocked) {
    ctx.report(
      "vault/encryption-not-new",
      "encryption",
      `${vault} already protects VMs: Azure encrypts with a customer-managed key only vaults where no item was ever registered.`,
      { remedy: "Remove encryption from this vault, or create a new vault with encryption and protect the VMs there." },
    );
  }
  // The identity the key is read with must stay: "Once enabled, the managed identity must not be disabled (even temporarily)" (DOCS.cmk).
  const kept = desired.encryption ?? held;
  if (kept !== undefined && desired.identity !== undefined) {
    const uai = kept.userAssignedIdentityId;
    const removed =
      uai === undefined
        ? current.identity.systemAssigned && !desired.identity.systemAssigned
        : !desired.identity.userAssignedIdentityIds.some((id) => sameArmId(id, uai));
    if (removed) {
      const which = uai === undefined ? "its system-assigned identity" : `user-assigned identity '${uai}'`;
      ctx.report(
        "vault/encryption-identity-removed",
        uai === undefined ? "identity.systemAssigned" : "identity.userAssignedIdentityIds",
        `${vault} reads its customer-managed key with ${which}; removing that identity would leave Azure unable to read the key, and its backups and restores would fail.`,
        { remedy: uai === undefined ? "Keep identity.systemAssigned true." : `Keep '${uai}' in identity.userAssignedIdentityIds.` },
      );
    }
  }
  if (
    current.crossSubscriptionRestore === "PermanentlyDisabled" &&
    desired.crossSubscriptionRestore !== undefined &&
    desired.crossSubscriptionRestore !== "PermanentlyDisabled"
  ) {
    ctx.report(
      "vault/cross-subscription-restore-irreversible",
      "crossSubscriptionRestore",
      `${vault} has cross-subscription restore PermanentlyDisabled; it can never become ${desired.crossSubscriptionRestore}.`,
      { remedy: 'Keep crossSubscriptionRestore "PermanentlyDisabled", or restore into the vault\'s own subscription.' },
    );
  }
  return ctx.diagnostics;
}
