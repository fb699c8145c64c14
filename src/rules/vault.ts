/** Recovery Services vault validation: name, region, subscription, redundancy, soft delete, immutability. */
import { isGuid } from "./arm-id";
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { readBoolean, readChoice, readNumber, readObject, readString } from "./input";
import { isLocationName, normalizeLocation } from "./regions";
import { isKnown, Unknown, type MaybeUnknown } from "./unknown";
import { checkVaultSettings, VAULT_SETTINGS_KEYS, type VaultSettings, type VaultSettingsArgs } from "./vault-settings";

export const REDUNDANCIES = ["LocallyRedundant", "GeoRedundant", "ZoneRedundant"] as const;
export type Redundancy = (typeof REDUNDANCIES)[number];

export const SOFT_DELETE_STATES = ["Enabled", "Disabled", "AlwaysOn"] as const;
export type SoftDeleteState = (typeof SOFT_DELETE_STATES)[number];

export const IMMUTABILITY_STATES = ["Disabled", "Unlocked", "Locked"] as const;
export type ImmutabilityState = (typeof IMMUTABILITY_STATES)[number];

/** The default: recovery points "are stored in geo-redundant recovery vaults" (https://github.com/MicrosoftDocs/azure-docs/blob/077c272250fbf992d576acf8c53ba0f2bd4dde10/articles/virtual-machines/linux/tutorial-backup-vms.md). */
export const DEFAULT_REDUNDANCY: Redundancy = "GeoRedundant";

export interface VaultArgs extends VaultSettingsArgs {
  name: string;
  location: string;
  subscriptionId?: string;
  redundancy?: Redundancy | string;
  crossRegionRestore?: boolean;
  softDelete?: { state?: SoftDeleteState | string; retentionDays?: number };
  immutability?: ImmutabilityState | string;
}

/** A vault in canonical form, every default applied (the settings of vault-settings.ts only when given). */
export interface Vault extends VaultSettings {
  name: string;
  location: string;
  subscriptionId?: string;
  redundancy: Redundancy;
  crossRegionRestore: boolean;
  softDelete: { state: SoftDeleteState; retentionDays: number };
  immutability: ImmutabilityState;
}

export interface ParsedVault {
  name: MaybeUnknown<string> | undefined;
  /** Normalised region name. */
  location: MaybeUnknown<string> | undefined;
  subscriptionId: MaybeUnknown<string> | undefined;
  valid: boolean;
  vault?: Vault;
}

export const VAULT_KEYS = [
  "name",
  "location",
  "subscriptionId",
  "redundancy",
  "crossRegionRestore",
  "softDelete",
  "immutability",
  ...VAULT_SETTINGS_KEYS,
] as const;

const VAULT_NAME = /^[a-zA-Z][-a-zA-Z0-9]{1,49}$/;

export function validateVault(args: VaultArgs, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  checkVault(ctx, args);
  return ctx.diagnostics;
}

export function normalizeVault(args: VaultArgs, options?: RuleOptions): { vault?: Vault; diagnostics: Diagnostic[] } {
  const ctx = createContext(options);
  const parsed = checkVault(ctx, args);
  return parsed.vault === undefined ? { diagnostics: ctx.diagnostics } : { vault: parsed.vault, diagnostics: ctx.diagnostics };
}

/** `extraKeys`: properties the caller judges itself (a plan's vault takes `onDestroy`), not reported as unknown. */
export function checkVault(ctx: RuleContext, args: unknown, path = "", extraKeys: readonly string[] = []): ParsedVault {
  const errorsBefore = ctx.errorCount();
  const raw = readObject(ctx, args, path, [...VAULT_KEYS, ...extraKeys], { what: "the vault", required: true });
  if (raw === undefined || raw === Unknown) {
    return { name: raw, location: raw, subscriptionId: raw, valid: raw === Unknown };
  }
  const name = readString(ctx, raw.name, joinPath(path, "name"), { required: true, what: "vault name" });
  if (isKnown(name) && !VAULT_NAME.test(name)) {
    ctx.report("vault/name", joinPath(path, "name"), `Vault name '${name}' is not valid: use 2-50 letters, digits and hyphens, starting with a letter.`, {
      remedy: "Rename the vault, e.g. 'rsv-prod-westeurope'.",
    });
  }
  const locationText = readString(ctx, raw.location, joinPath(path, "location"), {
    required: true,
    what: "vault location",
    remedy: "Give the Azure region of the VMs the vault protects, e.g. 'westeurope'.",
  });
  let location: MaybeUnknown<string> | undefined = locationText;
  if (isKnown(locationText)) {
    if (isLocationName(locationText)) location = normalizeLocation(locationText);
    else {
      ctx.report("vault/location", joinPath(path, "location"), `'${locationText}' is not an Azure region name.`, {
        remedy: "Use a region name such as 'westeurope' or 'East US 2'.",
      });
      location = undefined;
    }
  }
  const subscriptionId = readString(ctx, raw.subscriptionId, joinPath(path, "subscriptionId"), { what: "subscription id" });
  if (isKnown(subscriptionId) && !isGuid(subscriptionId)) {
    ctx.report("vault/subscription-id", joinPath(path, "subscriptionId"), `Subscription id '${subscriptionId}' is not a GUID.`, {
      remedy: "Use the subscription's id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), not its name.",
    });
  }

  const redundancyRead = readChoice(ctx, raw.redundancy, joinPath(path, "redundancy"), REDUNDANCIES, "vault/redundancy", {
    what: "storage redundancy",
  });
  const redundancy = redundancyRead ?? DEFAULT_REDUNDANCY;
  const crossRegionRestore = readBoolean(ctx, raw.crossRegionRestore, joinPath(path, "crossRegionRestore"), {
    what: "crossRegionRestore",
  });
  if (crossRegionRestore === true) {
    const crrPath = joinPath(path, "crossRegionRestore");
    if (!ctx.limit("crossRegionRestoreSupported")) {
      ctx.report("vault/cross-region-restore-unsupported", crrPath, `Cross-region restore is not supported under the '${ctx.limits.profile}' profile.`, {
        limit: "crossRegionRestoreSupported",
        remedy: "Turn crossRegionRestore off, or use a profile that supports it (stack-v2-2018, azure-2025).",
      });
    } else if (isKnown(redundancy) && redundancy !== "GeoRedundant") {
      ctx.report(
        "vault/cross-region-restore-requires-grs",
        crrPath,
        `Cross-region restore copies backups to the paired region, which needs GeoRedundant storage; this vault is ${redundancy}.`,
        { remedy: 'Set redundancy to "GeoRedundant", or turn crossRegionRestore off.' },
      );
    } else {
      ctx.report("vault/cross-region-restore-irreversible", crrPath, "Cross-region restore cannot be turned off once VMs are protected in this vault.");
    }
  }

  const softDelete = checkSoftDelete(ctx, raw.softDelete, joinPath(path, "softDelete"));
  const immutability = readChoice(ctx, raw.immutability, joinPath(path, "immutability"), IMMUTABILITY_STATES, "vault/immutability", {
    what: "immutability state",
  });
  if (immutability === "Locked") {
    ctx.report(
      "vault/immutability-locked",
      joinPath(path, "immutability"),
      "A locked immutable vault can never be unlocked: recovery points cannot be deleted before they expire, and retention cannot be shortened. " +
        "Azure creates no vault Locked, so a new vault is created Unlocked and then locked in a second request.",
      { remedy: 'Use "Unlocked" until you are sure, then lock it.' },
    );
  }

  const settings = checkVaultSettings(ctx, raw, path);

  const valid = ctx.errorCount() === errorsBefore;
  const parsed: ParsedVault = { name, location, subscriptionId, valid };
  if (
    valid &&
    isKnown(name) &&
    isKnown(location) &&
    subscriptionId !== Unknown &&
    isKnown(redundancy) &&
    crossRegionRestore !== Unknown &&
    isKnown(softDelete) &&
    immutability !== Unknown &&
    settings !== Unknown
  ) {
    parsed.vault = {
      name,
      location,
      ...(subscriptionId === undefined ? {} : { subscriptionId }),
      redundancy,
      crossRegionRestore: crossRegionRestore ?? false,
      softDelete,
      immutability: immutability ?? "Disabled",
      ...settings,
    };
  }
  return parsed;
}

function checkSoftDelete(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<Vault["softDelete"]> {
  const raw = readObject(ctx, value, path, ["state", "retentionDays"], { what: "softDelete" });
  const min = ctx.limit("softDeleteRetentionMinDays");
  if (raw === Unknown) return Unknown;
  if (raw === undefined) return { state: "Enabled", retentionDays: min };
  const state = readChoice(ctx, raw.state, joinPath(path, "state"), SOFT_DELETE_STATES, "vault/soft-delete-state", {
    what: "soft-delete state",
  });
  const daysPath = joinPath(path, "retentionDays");
  const days = readNumber(ctx, raw.retentionDays, daysPath, { integer: true, what: "softDelete.retentionDays" });
  if (state === Unknown || days === Unknown) return Unknown;
  const max = ctx.limit("softDeleteRetentionMaxDays");
  if (days !== undefined && (days < min || days > max)) {
    ctx.report("vault/soft-delete-retention", daysPath, `Soft-deleted backup data is kept ${min} to ${max} days; ${days} is out of range.`, {
      limit: days < min ? "softDeleteRetentionMinDays" : "softDeleteRetentionMaxDays",
      remedy: `Use ${min} to ${max} days.`,
    });
  } else if (days !== undefined && days > ctx.limit("softDeleteFreeDays") && state !== "Disabled") {
    ctx.report("vault/soft-delete-retention-cost", daysPath, `Soft-delete retention beyond ${ctx.limit("softDeleteFreeDays")} days is charged.`, {
      limit: "softDeleteFreeDays",
    });
  }
  if (state === "Disabled") {
    if (days !== undefined) {
      ctx.report("vault/soft-delete-retention-ignored", daysPath, "softDelete.retentionDays has no effect while soft delete is Disabled.", {
        remedy: 'Remove retentionDays, or set state to "Enabled".',
      });
    }
    // Secure by default (GA for Recovery Services vaults in every public region and national cloud): Azure
    // refuses to disable soft delete, whatever the API version, with BMSUserErrorDisablingSoftDeleteStateNotAllowed
    // (https://learn.microsoft.com/azure/backup/secure-by-default; the code as users meet it: Azure/azure-cli#32383).
    ctx.report(
      "vault/soft-delete-disabled",
      joinPath(path, "state"),
      'softDelete.state "Disabled" cannot be deployed: Azure enforces soft delete on every Recovery Services vault (secure by default) and refuses to disable it (BMSUserErrorDisablingSoftDeleteStateNotAllowed). Deleted backup data stays soft-deleted for the retention days (14 to 180), and a vault holding only soft-deleted items can still be deleted.',
      { remedy: 'Remove softDelete.state, or set it to "Enabled" (or "AlwaysOn"); set retentionDays to 14 to keep deleted data the shortest time.' },
    );
  }
  if (state === "AlwaysOn") {
    ctx.report(
      "vault/soft-delete-always-on",
      joinPath(path, "state"),
      "AlwaysOn soft delete can never be turned back to Enabled. (Azure already enforces soft delete on every vault, and sets new vaults AlwaysON itself: secure by default.)",
      { remedy: 'Use "Enabled" (the default) to leave the choice to Azure.' },
    );
  }
  return { state: state ?? "Enabled", retentionDays: days ?? min };
}

/**
 * Whether the soft delete Azure reports satisfies the one asked for. Azure enforces soft delete and may hold
 * a stronger state than asked: "AlwaysON" where "Enabled" was asked (new vaults are AlwaysON today:
 * microsoft/AzureTRE#4888; https://learn.microsoft.com/azure/backup/secure-by-default). A stronger state is
 * never a drift nor an error; the retention days must match, as the user can set them at any time.
 */
export function softDeleteSatisfies(
  asked: { state: SoftDeleteState; retentionDays: number },
  actual: { state: SoftDeleteState | string; retentionDays: number },
): boolean {
  const strength = (state: string): number => (state.toLowerCase() === "alwayson" ? 2 : state.toLowerCase() === "enabled" ? 1 : 0);
  const enough = asked.state === "Disabled" ? true : strength(actual.state) >= strength(asked.state);
  return enough && (asked.state === "Disabled" || actual.retentionDays === asked.retentionDays);
}
