/**
 * Multi-user authorization in the providers: the preview's notes about which planned changes the vault's Resource
 * Guard will ask approval for (src/rules/resource-guard.ts), and the vault's `resourceGuard` argument applied
 * (src/azure/resource-guard.ts). A note is no failure: `check()` can only return failures, so a note is written
 * where Pulumi shows a provider's own output (the host's stderr), as the vault's destroy messages are.
 */
import { associateGuard, getGuardProxy, guardedVault, removeGuard, type AzureClients, type VaultRef } from "../azure";
import {
  canonicalGuardId,
  describeDiagnostic,
  guardChangeApproval,
  deleteBackupDataApproval,
  policyChangeApproval,
  protectedVmDestroyApproval,
  sameArmId,
  type Diagnostic,
  type Policy,
  type RuleOptions,
} from "../rules";

/** Writes warnings and notes (never errors: those are check failures). */
export function announce(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (d.severity !== "error") console.warn(`${d.severity}: azure-vm-backup: ${describeDiagnostic(d, { subject: true })}`);
  }
}

/** The vault's check: removing or replacing its guard; a purge on destroy that deletes data the guard protects. */
export async function vaultGuardNotes(
  c: AzureClients,
  ref: VaultRef,
  desiredGuard: string | undefined,
  onDestroy: string | undefined,
  options: RuleOptions,
): Promise<void> {
  const proxy = await getGuardProxy(c, ref);
  const notes = guardChangeApproval(ref.vaultName, proxy?.guardId, desiredGuard, options);
  const guard = desiredGuard ?? proxy?.guardId;
  if (onDestroy === "purge" && guard !== undefined) {
    const vault = proxy !== undefined && sameArmId(proxy.guardId, guard) ? guardedVault(ref.vaultName, proxy) : { name: ref.vaultName, guardId: guard };
    notes.push(...deleteBackupDataApproval(vault, `Vault '${ref.vaultName}' (onDestroy "purge")`, options));
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

/** The guard as the vault's outputs hold it: Azure's id, or none. */
export async function readVaultGuard(c: AzureClients, ref: VaultRef): Promise<{ resourceGuard?: string }> {
  const proxy = await getGuardProxy(c, ref);
  return proxy === undefined ? {} : { resourceGuard: canonicalGuardId(proxy.guardId) };
}

/** Whether two guard settings differ (ids compare without case; none equals none). */
export function guardChanged(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a !== b;
  return !sameArmId(a, b);
}

/**
 * Brings the vault's association to the desired guard: none -> guard (PUT VaultProxy), guard -> none or another
 * guard (remove first: a critical operation, with the guard's request and the auxiliary token).
 */
export async function applyVaultGuard(c: AzureClients, ref: VaultRef, desiredGuard: string | undefined): Promise<{ resourceGuard?: string }> {
  const proxy = await getGuardProxy(c, ref);
  if (!guardChanged(proxy?.guardId, desiredGuard)) return desiredGuard === undefined ? {} : { resourceGuard: canonicalGuardId(desiredGuard) };
  if (proxy !== undefined) await removeGuard(c, ref);
  if (desiredGuard === undefined) return {};
  const added = await associateGuard(c, ref, canonicalGuardId(desiredGuard));
  return { resourceGuard: canonicalGuardId(added.guardId) };
}
