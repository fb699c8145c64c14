/**
 * Multi-user authorization (MUA): a vault associated with a Resource Guard (`Microsoft.DataProtection/resourceGuards`)
 * through its `VaultProxy` asks the guard's approval for critical operations (DOCS.muaConcept):
 *
 * | operation (Recovery Services vault)       | mandatory / optional | vaultCriticalOperation (DOCS.cliResourceGuard)                                  |
 * |-------------------------------------------|----------------------|---------------------------------------------------------------------------------|
 * | disable soft delete                       | mandatory            | Microsoft.RecoveryServices/vaults/backupconfig/write                            |
 * | disable MUA protection (remove the guard) | mandatory            | Microsoft.RecoveryServices/vaults/backupResourceGuardProxies/delete             |
 * | modify backup policy (reduced retention)  | optional             | Microsoft.RecoveryServices/vaults/backupPolicies/write                          |
 * | stop protection with delete data          | optional             | Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete |
 * | modify encryption settings (the CMK)      | optional             | Microsoft.RecoveryServices/vaults/write#modifyEncryptionSettings                |
 * | disable immutability (Unlocked->Disabled) | optional             | Microsoft.RecoveryServices/vaults/write#reduceImmutabilityState                 |
 *
 * The last two are vault PATCHes: the Azure CLI's backup module names them `RecoveryServicesModifyEncryptionSettings`
 * and `RecoveryServicesDisableImmutability` (Azure/azure-cli src/azure-cli/azure/cli/command_modules/backup/custom_help.py
 * `operation_name_map`) and adds the guard's request to the PATCH's `properties.resourceGuardOperationRequests` when the
 * vault's proxy lists them (custom.py: the encryption update, and `update_vault` when `is_immutability_weakened`);
 * terraform-provider-azurerm lists both among the values a guard may exclude (website/docs/r/data_protection_resource_guard.html.markdown).
 *
 * An optional operation the guard lists in its `vaultCriticalOperationExclusionList` is not protected, for every
 * vault associated with it (DOCS.muaConcept). This package never disables soft delete (Azure enforces it:
 * DOCS.secureByDefault), so the three others are what a preview can announce.
 */
import { formatResourceGuardId, parseResourceGuardId, type ResourceGuardRef } from "./arm-id";
import { WEEKDAYS } from "./calendar";
import { retentionReductions } from "./changes";
import { createContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import type { Policy, Schedule } from "./policy-types";
import { isKnown } from "./unknown";

/** The association's name: the Azure CLI always uses `VaultProxy` (DOCS.cliResourceGuard, `default_resource_guard`). */
export const VAULT_PROXY_NAME = "VaultProxy";

/** The critical operations this package may perform, by the `vaultCriticalOperation` Azure names them with (DOCS.cliResourceGuard). */
export const CRITICAL_OPERATIONS = {
  updatePolicy: "Microsoft.RecoveryServices/vaults/backupPolicies/write",
  deleteBackupData: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete",
  /**
   * Stop protection and retain data: a newer critical operation, protected when the guard's proxy lists it (the CLI's
   * `RecoveryServicesStopProtection`; Azure refuses the stop without the guard's request: hashicorp/terraform-provider-azurerm#31887).
   */
  stopProtection: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write#stopProtectionWithRetainData",
  removeGuard: "Microsoft.RecoveryServices/vaults/backupResourceGuardProxies/delete",
  disableSoftDelete: "Microsoft.RecoveryServices/vaults/backupconfig/write",
  /** A vault PATCH that changes the customer-managed key (the CLI's `RecoveryServicesModifyEncryptionSettings`). */
  modifyEncryption: "Microsoft.RecoveryServices/vaults/write#modifyEncryptionSettings",
  /** A vault PATCH taking immutability from Unlocked to Disabled (the CLI's `RecoveryServicesDisableImmutability`, `is_immutability_weakened`). */
  disableImmutability: "Microsoft.RecoveryServices/vaults/write#reduceImmutabilityState",
} as const;
export type CriticalOperation = keyof typeof CRITICAL_OPERATIONS;

/** Mandatory operations cannot be excluded by the guard (DOCS.muaConcept). */
const MANDATORY: ReadonlySet<CriticalOperation> = new Set(["removeGuard", "disableSoftDelete"]);
/**
 * Operations a guard protects only when its proxy lists them (newer than DOCS.muaConcept's table: the CLI sends their
 * request only when `has_resource_guard_mapping` finds them in the proxy).
 */
const LISTED_ONLY: ReadonlySet<CriticalOperation> = new Set(["stopProtection", "modifyEncryption", "disableImmutability"]);

/** A vault with a guard, as a check sees it. */
export interface GuardedVault {
  name: string;
  /** The guard's ARM id. */
  guardId: string;
  /**
   * The critical operations the guard's proxy lists for the vault (`resourceGuardOperationDetails[].vaultCriticalOperation`),
   * when read: an optional operation the guard excludes is not listed. Undefined: every operation is assumed protected.
   */
  protectedOperations?: readonly string[];
}

/** Whether the guard asks approval for this operation on the vault. */
export function guardProtects(vault: GuardedVault, operation: CriticalOperation): boolean {
  if (MANDATORY.has(operation)) return true;
  if (vault.protectedOperations === undefined) return !LISTED_ONLY.has(operation);
  const name = CRITICAL_OPERATIONS[operation].toLowerCase();
  return vault.protectedOperations.some((o) => o.toLowerCase() === name);
}

/** The guard's name, from its id, for messages. */
export function guardName(guardId: string): string {
  return parseResourceGuardId(guardId)?.guardName ?? guardId;
}

/** `resourceGuard`: a Resource Guard's ARM id, when given. */
export function validateResourceGuard(value: unknown, vaultName: string, options?: RuleOptions, path = "resourceGuard"): Diagnostic[] {
  const ctx = createContext(options);
  if (value === undefined || value === null || !isKnown(value)) return ctx.diagnostics;
  if (typeof value !== "string" || parseResourceGuardId(value) === undefined) {
    ctx.report("vault/resource-guard-id", path, `Vault '${vaultName}': resourceGuard must be the ARM id of a Resource Guard; got '${String(value)}'.`, {
      remedy:
        "Give the guard's id, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.DataProtection/resourceGuards/<name> (its Overview page or `az dataprotection resource-guard show`).",
    });
  }
  return ctx.diagnostics;
}

/** The guard's id in one spelling (ARM ids compare without case). */
export function canonicalGuardId(id: string): string {
  const ref: ResourceGuardRef | undefined = parseResourceGuardId(id);
  return ref === undefined ? id : formatResourceGuardId(ref);
}

/**
 * Hours between recovery points: the Azure CLI's `calculate_rpo` for AzureIaasVM (DOCS.cliResourceGuard). An
 * hourly schedule over the whole day gives its interval, a shorter window the night's gap; daily 24; weekly the
 * longest gap between backup days.
 */
export function recoveryPointObjectiveHours(schedule: Schedule): number {
  if (schedule.frequency === "Hourly") {
    const window = schedule.hourWindow ?? 24;
    return window >= 24 ? (schedule.hourInterval ?? 24) : 24 - window;
  }
  if (schedule.frequency === "Daily") return 24;
  const days = schedule.weekdays.map((d) => WEEKDAYS.indexOf(d));
  if (days.length === 0) return 0;
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 0; i < sorted.length; i++) {
    const next = i + 1 < sorted.length ? sorted[i + 1]! : sorted[0]! + 7;
    gap = Math.max(gap, next - sorted[i]!);
  }
  return gap * 24;
}

/**
 * What in a policy change counts as reduced retention for the guard, as the Azure CLI decides it before it adds the
 * guard's request (`is_retention_duration_decreased`, AzureIaasVM; DOCS.cliResourceGuard): recovery points taken less
 * often, fewer instant-restore days, or any daily/weekly/monthly/yearly retention shorter or removed.
 */
export function policyRetentionReductions(current: Policy, desired: Policy): string[] {
  const found: string[] = [];
  const rpoBefore = recoveryPointObjectiveHours(current.schedule);
  const rpoAfter = recoveryPointObjectiveHours(desired.schedule);
  if (rpoAfter > rpoBefore) found.push(`recovery points every ${rpoAfter} hours instead of ${rpoBefore}`);
  if (desired.instantRestoreRetentionDays < current.instantRestoreRetentionDays) {
    found.push(`instant restore ${current.instantRestoreRetentionDays} -> ${desired.instantRestoreRetentionDays} days`);
  }
  for (const r of retentionReductions(current.retention, desired.retention)) {
    found.push(r.to === undefined ? `${r.block} retention (${r.from} ${r.unit}) removed` : `${r.block} retention ${r.from} -> ${r.to} ${r.unit}`);
  }
  return found;
}

const approvalRemedy = (guardId: string) =>
  `Before \`pulumi up\`, get the Backup MUA Operator role on Resource Guard '${guardName(guardId)}' from its owner (just-in-time, through Privileged Identity Management); ` +
  "for a guard in another tenant, also set azure-vm-backup:auxiliaryTenantIds (or ARM_AUXILIARY_TENANT_IDS) to that tenant's id. Without that access Azure refuses the change.";

const guarded = (vault: GuardedVault) => `vault '${vault.name}' is protected by Resource Guard '${guardName(vault.guardId)}' (multi-user authorization)`;

/** A policy update that reduces retention, on a guarded vault. */
export function policyChangeApproval(vault: GuardedVault, policyName: string, current: Policy, desired: Policy, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  if (!guardProtects(vault, "updatePolicy")) return ctx.diagnostics;
  const reductions = policyRetentionReductions(current, desired);
  if (reductions.length > 0) {
    ctx.report(
      "vault/resource-guard-approval",
      "retention",
      `Policy '${policyName}': this update reduces retention (${reductions.join("; ")}) and ${guarded(vault)}: the guard will ask approval for it.`,
      { remedy: approvalRemedy(vault.guardId) },
    );
  }
  return ctx.diagnostics;
}

/** A destroy that deletes backup data (a protected VM's onDestroy "deleteBackupData", a vault's "purge"), on a guarded vault. */
export function deleteBackupDataApproval(vault: GuardedVault, what: string, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  if (!guardProtects(vault, "deleteBackupData")) return ctx.diagnostics;
  ctx.report(
    "vault/resource-guard-approval",
    "onDestroy",
    `${what} deletes backup data on destroy and ${guarded(vault)}: the guard will ask approval for it (stop protection with delete data).`,
    { remedy: approvalRemedy(vault.guardId) },
  );
  return ctx.diagnostics;
}

/** A protected VM's onDestroy on a guarded vault: deleting data always asks approval; stopping protection when the guard lists it. */
export function protectedVmDestroyApproval(vault: GuardedVault, vmName: string, onDestroy: string, options?: RuleOptions): Diagnostic[] {
  if (onDestroy === "deleteBackupData") return deleteBackupDataApproval(vault, `VM '${vmName}' (onDestroy "deleteBackupData")`, options);
  const ctx = createContext(options);
  if (onDestroy === "stopProtectionRetainData" && guardProtects(vault, "stopProtection")) {
    ctx.report(
      "vault/resource-guard-approval",
      "onDestroy",
      `VM '${vmName}' stops its protection on destroy (onDestroy "stopProtectionRetainData") and ${guarded(vault)}, which also protects stopping protection: the guard will ask approval for it.`,
      { remedy: approvalRemedy(vault.guardId) },
    );
  }
  return ctx.diagnostics;
}

/**
 * Removing the vault's guard, or replacing it by another (which removes the first): always protected (mandatory).
 * A vault whose program gives no `resourceGuard` keeps the guard Azure holds (set by a security admin outside the
 * stack, or left after a refresh): only a guard the program declared before (`declaredBefore`) and no longer gives is removed.
 */
export function guardChangeApproval(
  vaultName: string,
  currentGuardId: string | undefined,
  desiredGuardId: string | undefined,
  options?: RuleOptions,
  declaredBefore?: string,
): Diagnostic[] {
  const ctx = createContext(options);
  if (currentGuardId === undefined) return ctx.diagnostics;
  if (desiredGuardId === undefined && declaredBefore === undefined) return ctx.diagnostics;
  if (desiredGuardId !== undefined && canonicalGuardId(desiredGuardId).toLowerCase() === canonicalGuardId(currentGuardId).toLowerCase()) return ctx.diagnostics;
  ctx.report(
    "vault/resource-guard-approval",
    "resourceGuard",
    `Vault '${vaultName}': ${desiredGuardId === undefined ? "removing the resourceGuard argument (declared before)" : "replacing resourceGuard"} disables multi-user authorization through Resource Guard '${guardName(currentGuardId)}', a critical operation the guard will ask approval for (mandatory: no guard can exclude it).`,
    { remedy: approvalRemedy(currentGuardId) },
  );
  return ctx.diagnostics;
}

/** The vault changes of an update that the guard may protect: a new customer-managed key, immutability Unlocked -> Disabled. */
export interface VaultSettingsChange {
  /** The key (keyId) before and after, when the update writes another one. */
  encryption?: { from?: string; to: string };
  /** Immutability before and after. */
  immutability?: { from: string; to: string };
}

/** A vault update that changes its customer-managed key or disables its (unlocked) immutability, on a guarded vault. */
export function vaultSettingsApproval(vault: GuardedVault, change: VaultSettingsChange, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  if (change.encryption !== undefined && guardProtects(vault, "modifyEncryption")) {
    ctx.report(
      "vault/resource-guard-approval",
      "encryption",
      `Vault '${vault.name}': this update changes the customer-managed key (${change.encryption.from ?? "none"} -> ${change.encryption.to}) and ${guarded(vault)}: the guard will ask approval for it (modify encryption settings).`,
      { remedy: approvalRemedy(vault.guardId) },
    );
  }
  if (
    change.immutability !== undefined &&
    change.immutability.from === "Unlocked" &&
    change.immutability.to === "Disabled" &&
    guardProtects(vault, "disableImmutability")
  ) {
    ctx.report(
      "vault/resource-guard-approval",
      "immutability",
      `Vault '${vault.name}': this update disables immutability (Unlocked -> Disabled) and ${guarded(vault)}: the guard will ask approval for it (disable immutability).`,
      { remedy: approvalRemedy(vault.guardId) },
    );
  }
  return ctx.diagnostics;
}
