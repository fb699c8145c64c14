/**
 * A vault's PATCH body, and the vault a PATCH would leave. Azure Policy judges a PATCH as the stored resource with the
 * request merged in (the emulator's reading: src/emulator/arm/policy-guardrails.ts), so the preview's policy check of a
 * vault that exists asks about the vault as Azure holds it (its GET body) merged with the PATCH the update sends, not
 * about a PUT body that is never sent.
 */
import type { Vault as ArmVault } from "@azure/arm-recoveryservices";
import type { ImmutabilityState, Redundancy, VaultSettings } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, isNotFound } from "./errors";
import type { VaultRef } from "./ids";
import { settingsBody } from "./vault-settings";

/** What a vault PATCH changes (patchVault's changes); absent fields are not sent. */
export interface VaultPatch {
  redundancy?: Redundancy;
  crossRegionRestore?: boolean;
  immutability?: ImmutabilityState;
  tags?: Record<string, string>;
  settings?: VaultSettings;
}

/** The body of the PATCH that writes `changes`, or undefined when there is nothing to send. */
export function vaultPatchBody(changes: VaultPatch): ArmVault | undefined {
  // Identity and encryption go in one PATCH, as PATCHVault_WithCMK.json sends them: the key's identity is added with it.
  const settings = settingsBody(changes.settings ?? {});
  const properties: NonNullable<ArmVault["properties"]> = { ...settings.properties };
  if (changes.redundancy !== undefined || changes.crossRegionRestore !== undefined) {
    properties.redundancySettings = {
      ...(changes.redundancy === undefined ? {} : { standardTierStorageRedundancy: changes.redundancy }),
      ...(changes.crossRegionRestore === undefined ? {} : { crossRegionRestore: changes.crossRegionRestore ? "Enabled" : "Disabled" }),
    };
  }
  if (changes.immutability !== undefined) properties.securitySettings = { immutabilitySettings: { state: changes.immutability } };
  if (Object.keys(properties).length === 0 && changes.tags === undefined && settings.identity === undefined) return undefined;
  return {
    properties,
    ...(settings.identity === undefined ? {} : { identity: settings.identity }),
    ...(changes.tags === undefined ? {} : { tags: changes.tags }),
  } as ArmVault;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** `patch` merged into `base`, objects recursively, anything else replaced: the vault a PATCH leaves. */
export function mergeVaultPatch<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergeVaultPatch(base[key], value);
  return out as T;
}

/** The vault as Azure returns it (its GET body), or undefined when it does not exist. */
export async function getVaultBody(c: AzureClients, ref: VaultRef): Promise<ArmVault | undefined> {
  try {
    return await c.vaults.vaults.get(ref.resourceGroupName, ref.vaultName);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return attempt("Reading", `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`, () => Promise.reject(error));
  }
}
