/**
 * What a vault and a protected VM do beyond their settings: what destroy does with their backup data
 * (`onDestroy`), and, for a VM, whether creation waits for its first backup (`waitForInitialBackup`, which
 * needs `backupNow`). Destroy never deletes backup data unless the user opted in (DESIGN §3); these rules
 * say which values opt in, and warn where the user did.
 */
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { readBoolean, readObject, readString } from "./input";
import type { RuleCode } from "./catalog";
import { DEFAULT_BACKUP_NOW_RETAIN_DAYS } from "./backup-now";
import { parseVmId } from "./arm-id";
import { suggest } from "./suggest";
import { isUnknownInput, Unknown, type MaybeUnknown } from "./unknown";

/**
 * A vault's onDestroy: "retain" keeps a vault that holds backups in Azure, with them; "purge" deletes the
 * backup data of the VMs the program protects in the vault (never of items it does not own), then the vault
 * when nothing else is left in it (Azure deletes no vault that still holds active backup items: DOCS.deleteVault;
 * one holding only soft-deleted items is itself soft-deleted: DOCS.secureByDefault).
 */
export const VAULT_ON_DESTROY = ["retain", "purge"] as const;
export type VaultOnDestroy = (typeof VAULT_ON_DESTROY)[number];
export const DEFAULT_VAULT_ON_DESTROY: VaultOnDestroy = "retain";

/**
 * A protected VM's onDestroy: Azure's ways to stop protecting a VM (DOCS.stopProtectingVm): keep the data
 * forever, delete it, or, on an immutable vault only, suspend backups and keep each recovery point until the
 * policy expires it (protectionState `BackupsSuspended`, DOCS.suspendBackups; `az backup protection disable
 * --retain-as-per-policy`).
 */
export const VM_ON_DESTROY = ["stopProtectionRetainData", "suspendBackups", "deleteBackupData"] as const;
export type VmOnDestroy = (typeof VM_ON_DESTROY)[number];
export const DEFAULT_VM_ON_DESTROY: VmOnDestroy = "stopProtectionRetainData";

/** The vault's arguments these rules read; a plan's vault entry takes `onDestroy` besides its settings. */
export const VAULT_LIFECYCLE_KEYS = ["onDestroy"] as const;
/** The protected VM's arguments these rules read; a plan's VM entry takes them too. */
export const VM_LIFECYCLE_KEYS = ["onDestroy", "backupNow", "waitForInitialBackup"] as const;

export interface VaultLifecycleArgs {
  /** The vault's name, for messages. */
  name?: string;
  onDestroy?: VaultOnDestroy | string;
  /** The vault's soft delete and immutability as declared: how long purged data stays recoverable, and whether a purge can run at all. */
  softDelete?: { state?: string; retentionDays?: number };
  immutability?: string;
  /** The VMs the program protects in this vault (ARM ids): the only backups a purge deletes. Unknown: not given. */
  ownedVmIds?: string[];
}

export interface VmLifecycleArgs {
  onDestroy?: VmOnDestroy | string;
  /** Back up once protected: `true` (kept 30 days), or how long to keep the recovery point. */
  backupNow?: boolean | { retainUntil?: string | Date; retainDays?: number };
  /** Wait for the backup taken at creation to complete. */
  waitForInitialBackup?: boolean;
}

const MEANING: Record<VaultOnDestroy | VmOnDestroy, string> = {
  retain: "keep the vault and its backups, the default",
  purge: "delete the backups of the VMs this program protects in the vault, then the vault",
  stopProtectionRetainData: "stop backups and keep every recovery point, the default",
  suspendBackups: "stop backups and keep each recovery point until the policy expires it, on an immutable vault",
  deleteBackupData: "stop backups and delete the recovery points",
};

export function validateVaultLifecycle(args: VaultLifecycleArgs, options?: RuleOptions, path = ""): Diagnostic[] {
  const ctx = createContext(options);
  checkVaultLifecycle(ctx, args, path);
  return ctx.diagnostics;
}

export function validateProtectedVmLifecycle(args: VmLifecycleArgs, options?: RuleOptions, path = ""): Diagnostic[] {
  const ctx = createContext(options);
  checkVmLifecycle(ctx, args, path);
  return ctx.diagnostics;
}

/** A vault's onDestroy; `value` is the vault's arguments (or a plan's vault entry), whose other properties other rules judge. */
export function checkVaultLifecycle(ctx: RuleContext, value: unknown, path = ""): void {
  const raw = recordOf(value);
  if (raw === undefined) return;
  const onDestroyPath = joinPath(path, "onDestroy");
  const onDestroy = readOnDestroy(ctx, raw.onDestroy, onDestroyPath, VAULT_ON_DESTROY, "vault/on-destroy");
  if (onDestroy !== "purge") return;
  const name = knownText(raw.name);
  const immutability = knownText(raw.immutability)?.toLowerCase();
  const softDelete = recordOf(raw.softDelete);
  const days = typeof softDelete?.retentionDays === "number" ? softDelete.retentionDays : ctx.limit("softDeleteRetentionMinDays");
  const owned = Array.isArray(raw.ownedVmIds) ? raw.ownedVmIds.filter((id): id is string => typeof id === "string" && !isUnknownInput(id)) : undefined;
  const vault = name === undefined ? "the vault" : `vault '${name}'`;
  const which =
    owned === undefined
      ? "the backup data of the VMs this program protects in it (the ProtectedVm resources declared with this vault)"
      : owned.length === 0
        ? "no backup data (this program protects no VM in it)"
        : `the backup data of the ${owned.length === 1 ? "VM" : `${owned.length} VMs`} this program protects in it: ${owned.map(vmLabel).join(", ")}`;
  // What stops a purge outright (the provider's destroy refuses rather than fail half-way).
  const blocked =
    immutability === "unlocked" || immutability === "locked"
      ? ` This vault is immutable (${immutability === "locked" ? "Locked" : "Unlocked"}): Azure deletes no recovery point before it expires, so the destroy will stop with an error and the vault will stay.`
      : "";
  ctx.report(
    "vault/purge",
    onDestroyPath,
    `onDestroy is "purge": destroying ${vault} deletes ${which}. ` +
      `Azure enforces soft delete (secure by default): the deleted data stays soft-deleted, and can be undeleted, for ${days} days (the vault's soft-delete retention), then it is gone for good. ` +
      "Backups of VMs this program does not protect are never deleted: if the vault holds any, it stays in Azure with them and leaves the stack; otherwise the vault is deleted (Azure keeps a deleted vault recoverable too)." +
      blocked,
    { remedy: 'Use onDestroy "retain" (the default) unless losing these backups is intended, e.g. for a test vault.' },
  );
}

/** A VM's id as users read it: its name and resource group. */
function vmLabel(id: string): string {
  const vm = parseVmId(id);
  return vm === undefined ? `'${id}'` : `'${vm.name}' (resource group ${vm.resourceGroup})`;
}

/** A protected VM's onDestroy, backupNow and waitForInitialBackup; `value` is its arguments (or a plan's VM entry). */
export function checkVmLifecycle(ctx: RuleContext, value: unknown, path = ""): void {
  const raw = recordOf(value);
  if (raw === undefined) return;
  const onDestroyPath = joinPath(path, "onDestroy");
  const onDestroy = readOnDestroy(ctx, raw.onDestroy, onDestroyPath, VM_ON_DESTROY, "vm/on-destroy");
  if (onDestroy === "deleteBackupData") {
    ctx.report(
      "vm/delete-backup-data",
      onDestroyPath,
      'onDestroy is "deleteBackupData": destroying this protection deletes every recovery point of the VM, and the VM can no longer be restored from them. Soft delete still applies: where it is on, Azure keeps the deleted data for the soft-delete retention days (14 by default) before it is gone.',
      { remedy: 'Use onDestroy "stopProtectionRetainData" (the default) unless losing these recovery points is intended.' },
    );
  }
  if (onDestroy === "suspendBackups") {
    ctx.report(
      "vm/suspend-backups",
      onDestroyPath,
      'onDestroy is "suspendBackups": destroying this protection stops its backups, and each recovery point stays only until its policy\'s retention expires it (the VM can be restored from them until then). Azure accepts this on an immutable vault (Unlocked or Locked) only.',
      { remedy: 'Use onDestroy "stopProtectionRetainData" (the default) to keep every recovery point until you delete it.' },
    );
  }
  const backupNow = readBackupNow(ctx, raw.backupNow, joinPath(path, "backupNow"));
  const wait = readBoolean(ctx, raw.waitForInitialBackup, joinPath(path, "waitForInitialBackup"), { what: "waitForInitialBackup" });
  if (wait === true && (backupNow === undefined || backupNow === false)) {
    ctx.report(
      "vm/wait-for-initial-backup",
      joinPath(path, "waitForInitialBackup"),
      "waitForInitialBackup waits for the backup taken at creation, but backupNow is not set: no backup is taken then, and the first scheduled backup runs only at the policy's time.",
      {
        remedy: `Set backupNow too (true keeps the recovery point ${DEFAULT_BACKUP_NOW_RETAIN_DAYS} days, or give retainUntil or retainDays), or remove waitForInitialBackup.`,
      },
    );
  }
}

/**
 * onDestroy, spelt exactly: destroy compares it exactly, so a value in another case would be read as the
 * default (keeping data the user meant to delete) rather than judged.
 */
function readOnDestroy<T extends VaultOnDestroy | VmOnDestroy>(
  ctx: RuleContext,
  value: unknown,
  path: string,
  choices: readonly T[],
  code: RuleCode,
): MaybeUnknown<T> | undefined {
  if (typeof value !== "string" || isUnknownInput(value)) {
    const read = readString(ctx, value, path, { what: "onDestroy" });
    return read === Unknown ? Unknown : undefined;
  }
  const match = choices.find((c) => c === value);
  if (match !== undefined) return match;
  const allowed = choices.map((c) => `"${c}" (${MEANING[c]})`).join(" or ");
  ctx.report(code, path, `onDestroy must be ${allowed}; got ${JSON.stringify(value)}${suggest(value, choices)}.`, {
    remedy: `Write ${choices.map((c) => `"${c}"`).join(" or ")} exactly as spelt here, or leave onDestroy out to ${MEANING[choices[0]!].replace(/, the default$/, "")}.`,
  });
  return undefined;
}

/** Whether backupNow asks for a backup: true, false, or the retention of the recovery point (an object). */
function readBackupNow(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<boolean> | undefined {
  if (isUnknownInput(value)) return Unknown;
  if (value === undefined || value === null || typeof value === "boolean") return value ?? undefined;
  if (typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
    return readObject(ctx, value, path, ["retainUntil", "retainDays"], { what: "backupNow" }) === Unknown ? Unknown : true;
  }
  ctx.report("input/type", path, `backupNow must be true, false or { retainUntil, retainDays }; got ${JSON.stringify(value)}.`, {
    remedy: `Use backupNow: true to keep the recovery point ${DEFAULT_BACKUP_NOW_RETAIN_DAYS} days, or give retainUntil (a date) or retainDays.`,
  });
  return undefined;
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function knownText(value: unknown): string | undefined {
  return typeof value === "string" && !isUnknownInput(value) ? value : undefined;
}

/**
 * What the vault as Azure holds it says of a protected VM's onDestroy: `suspendBackups` needs an immutable
 * vault (DOCS.suspendBackups), and an immutable vault deletes no recovery point before it expires, so
 * `deleteBackupData` would fail at destroy (DOCS.immutableVaultRestricted).
 */
export function validateVmDestroyOnVault(
  onDestroy: VmOnDestroy,
  vault: { name: string; immutability: "Disabled" | "Unlocked" | "Locked" },
  options?: RuleOptions,
): Diagnostic[] {
  const ctx = createContext(options);
  if (onDestroy === "suspendBackups" && vault.immutability === "Disabled") {
    ctx.report(
      "vm/suspend-backups-needs-immutable-vault",
      "onDestroy",
      `onDestroy is "suspendBackups", but vault '${vault.name}' is not immutable: Azure suspends backups (keeping points as per policy) on an immutable vault only, so the destroy would fail.`,
      { remedy: 'Use onDestroy "stopProtectionRetainData" (keeps every recovery point), or make the vault immutable (immutability "Unlocked").' },
    );
  }
  if (onDestroy === "deleteBackupData" && vault.immutability !== "Disabled") {
    ctx.report(
      "vm/delete-backup-data-immutable",
      "onDestroy",
      `onDestroy is "deleteBackupData", but vault '${vault.name}' is immutable (${vault.immutability}): Azure deletes no recovery point before it expires, so the destroy would fail.`,
      { remedy: 'Use onDestroy "suspendBackups" (points expire as the policy says) or "stopProtectionRetainData" (points kept until you delete them).' },
    );
  }
  return ctx.diagnostics;
}
