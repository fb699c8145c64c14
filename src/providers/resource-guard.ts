/**
 * Multi-user authorization in the providers: the preview's notes about which planned changes the vault's Resource
 * Guard will ask approval for (src/rules/resource-guard.ts), and the vault's `resourceGuard` argument applied
 * (src/azure/resource-guard.ts). A note is no failure: `check()` can only return failures, so a note is written
 * where Pulumi shows a provider's own output (the host's stderr), as the vault's destroy messages are.
 *
 * Like every other vault setting, a `resourceGuard` the program does not give keeps what Azure holds: a guard a
 * security admin set outside the stack is never removed by it. The outputs hold both Azure's guard (`resourceGuard`,
 * refreshed by read) and the guard the program declared (`resourceGuardDeclared`, which read keeps), so that only a
 * guard the program declared before and no longer gives is removed (an update, never a create), and a refresh does
 * not turn a guard found in Azure into one the program declared.
 */
import { associateGuard, AzureOperationError, getGuardProxy, guardedVault, removeGuard, type AzureClients, type VaultRef, type VaultState } from "../azure";
import {
  canonicalGuardId,
  describeDiagnostic,
  guardChangeApproval,
  deleteBackupDataApproval,
  guardName,
  policyChangeApproval,
  protectedVmDestroyApproval,
  sameArmId,
  type Diagnostic,
  type Policy,
  type RuleOptions,
  type Vault,
  vaultSettingsApproval,
  vaultSettingsDifferences,
} from "../rules";

/** Writes warnings and notes (never errors: those are check failures). */
export function announce(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (d.severity !== "error") console.warn(`${d.severity}: azure-vm-backup: ${describeDiagnostic(d, { subject: true })}`);
  }
}

/** The guard the program gives now, and the one it gave before (the previous inputs' `resourceGuard`). */
export interface GuardDeclaration {
  desired?: string;
  declaredBefore?: string;
}

/**
 * The vault's check: removing (declared before, no longer given) or replacing its guard; a new customer-managed key
 * or immutability Unlocked -> Disabled (vault PATCHes the guard protects when its proxy lists them); a purge on destroy
 * that deletes data the guard protects.
 */
export async function vaultGuardNotes(
  c: AzureClients,
  ref: VaultRef,
  vault: Vault,
  current: VaultState | undefined,
  guard: GuardDeclaration,
  onDestroy: string | undefined,
  options: RuleOptions,
): Promise<void> {
  const proxy = await getGuardProxy(c, ref);
  const notes = guardChangeApproval(ref.vaultName, proxy?.guardId, guard.desired, options, guard.declaredBefore);
  if (proxy !== undefined && current !== undefined) {
    const key = vaultSettingsDifferences(vault, current.settings).includes("encryption") ? vault.encryption?.keyId : undefined;
    notes.push(
      ...vaultSettingsApproval(
        guardedVault(ref.vaultName, proxy),
        {
          ...(key === undefined
            ? {}
            : { encryption: { ...(current.settings.encryption === undefined ? {} : { from: current.settings.encryption.keyId }), to: key } }),
          immutability: { from: current.immutability, to: vault.immutability },
        },
        options,
      ),
    );
  }
  const kept = guard.desired ?? proxy?.guardId;
  if (onDestroy === "purge" && kept !== undefined) {
    const guarded = proxy !== undefined && sameArmId(proxy.guardId, kept) ? guardedVault(ref.vaultName, proxy) : { name: ref.vaultName, guardId: kept };
    notes.push(...deleteBackupDataApproval(guarded, `Vault '${ref.vaultName}' (onDestroy "purge")`, options));
  }
  announce(notes);
}

/** The policy's check: an update that reduces retention on a guarded vault. */
export async function policyGuardNotes(
  c: AzureClients,
  ref: VaultRef,
  policyName: string,
  current: Policy,
  desired: Policy,
  options: RuleOptions,
): Promise<void> {
  const proxy = await getGuardProxy(c, ref);
  if (proxy !== undefined) announce(policyChangeApproval(guardedVault(ref.vaultName, proxy), policyName, current, desired, options));
}

/** The protected VM's check: what its onDestroy will need from the guard. */
export async function protectedVmGuardNotes(c: AzureClients, ref: VaultRef, vmName: string, onDestroy: string, options: RuleOptions): Promise<void> {
  const proxy = await getGuardProxy(c, ref);
  if (proxy !== undefined) announce(protectedVmDestroyApproval(guardedVault(ref.vaultName, proxy), vmName, onDestroy, options));
}

/** The vault's outputs about its guard: Azure's (`resourceGuard`) and the program's (`resourceGuardDeclared`). */
export interface GuardOutputs {
  resourceGuard?: string;
  resourceGuardDeclared?: string;
}

const outputsOf = (azure: string | undefined, declared: string | undefined): GuardOutputs => ({
  ...(azure === undefined ? {} : { resourceGuard: canonicalGuardId(azure) }),
  ...(declared === undefined ? {} : { resourceGuardDeclared: canonicalGuardId(declared) }),
});

/** Read: Azure's guard, and the declared one as the stack recorded it (a refresh never declares a guard). */
export async function readVaultGuard(c: AzureClients, ref: VaultRef, declared: string | undefined): Promise<GuardOutputs> {
  const proxy = await getGuardProxy(c, ref);
  return outputsOf(proxy?.guardId, declared);
}

/** Whether two guard settings differ (ids compare without case; none equals none). */
export function guardChanged(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a !== b;
  return !sameArmId(a, b);
}

/**
 * Diff: a guard given that Azure does not hold (or that the stack has not recorded as declared), or a guard declared
 * before and no longer given. A guard not given and never declared is kept as Azure holds it: no change.
 */
export function guardNeedsUpdate(desired: string | undefined, olds: GuardOutputs): boolean {
  if (desired === undefined) return olds.resourceGuardDeclared !== undefined;
  return guardChanged(desired, olds.resourceGuard) || guardChanged(desired, olds.resourceGuardDeclared);
}

/**
 * Create: associates the declared guard. Never removes one: a vault adopted with a guard and no `resourceGuard` keeps
 * it, and one with another guard than declared is refused (replacing it would first remove it).
 */
export async function createVaultGuard(c: AzureClients, ref: VaultRef, desired: string | undefined): Promise<GuardOutputs> {
  const proxy = await getGuardProxy(c, ref);
  if (desired === undefined || (proxy !== undefined && !guardChanged(proxy.guardId, desired))) return outputsOf(proxy?.guardId, desired);
  if (proxy !== undefined) {
    throw new AzureOperationError(
      "Creating",
      `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`,
      "VaultHasAnotherResourceGuard",
      `the vault exists and is protected by Resource Guard '${guardName(proxy.guardId)}' (multi-user authorization), not by the resourceGuard given ('${guardName(desired)}'). ` +
        "Taking it over would remove its guard, which creating a vault never does. " +
        `What to do: give resourceGuard '${canonicalGuardId(proxy.guardId)}' (or leave it out: the guard is kept), and replace it in a later \`pulumi up\`, a critical operation the guard asks approval for.`,
    );
  }
  const added = await associateGuard(c, ref, canonicalGuardId(desired));
  return outputsOf(added.guardId, desired);
}

/**
 * Update: associates a guard given (replacing another: remove first, a critical operation with the guard's request and
 * the auxiliary token); removes the guard only when the program declared it before (`olds.resourceGuardDeclared`), no
 * longer gives it, and Azure still holds that same guard. Otherwise keeps what Azure holds.
 */
export async function updateVaultGuard(c: AzureClients, ref: VaultRef, desired: string | undefined, olds: GuardOutputs): Promise<GuardOutputs> {
  if (!guardNeedsUpdate(desired, olds)) return outputsOf(olds.resourceGuard, olds.resourceGuardDeclared);
  const proxy = await getGuardProxy(c, ref);
  if (desired === undefined) {
    const declared = olds.resourceGuardDeclared;
    if (proxy === undefined || declared === undefined || guardChanged(proxy.guardId, declared)) return outputsOf(proxy?.guardId, undefined);
    await removeGuard(c, ref);
    return {};
  }
  if (proxy !== undefined && !guardChanged(proxy.guardId, desired)) return outputsOf(proxy.guardId, desired);
  if (proxy !== undefined) await removeGuard(c, ref);
  const added = await associateGuard(c, ref, canonicalGuardId(desired));
  return outputsOf(added.guardId, desired);
}
