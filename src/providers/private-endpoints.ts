/**
 * The vault's check of its private endpoints (src/rules/private-endpoints.ts): the private endpoints the program
 * declares for it (BackupVault.addPrivateEndpoint), against the vault as it exists in Azure. A vault that has had
 * items registered refuses a new private endpoint for Azure Backup: the preview says so before anything is created.
 */
import type * as pulumi from "@pulumi/pulumi";
import { getVaultPrivateEndpoints, type VaultRef } from "../azure";
import { validatePrivateEndpoints, type DeclaredPrivateEndpoint, type RuleOptions } from "../rules";
import { clients, failures } from "./context";
import type { VaultInputs } from "./types";

/** The declared private endpoints as the component passes them (a list of `{ name } | { id }`, `secondary` optional). */
export function declaredPrivateEndpoints(value: unknown): DeclaredPrivateEndpoint[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is Record<string, unknown> => v !== null && typeof v === "object")
    .map((v) => ({
      ...(typeof v.name === "string" ? { name: v.name } : {}),
      ...(typeof v.id === "string" ? { id: v.id } : {}),
      ...(v.secondary === true ? { secondary: true } : {}),
    }));
}

/** Check failures about the vault's private endpoints; Azure is read only when the vault exists and the program declares some. */
export async function privateEndpointFailures(
  news: VaultInputs,
  ref: VaultRef,
  vaultExists: boolean,
  options: RuleOptions,
): Promise<pulumi.dynamic.CheckFailure[]> {
  const declared = declaredPrivateEndpoints(news.privateEndpoints);
  if (declared.length === 0) return [];
  const existing = vaultExists ? await getVaultPrivateEndpoints(clients(news.subscriptionId), ref) : undefined;
  const publicNetworkAccess = (news as { publicNetworkAccess?: unknown }).publicNetworkAccess;
  return failures(
    validatePrivateEndpoints(
      {
        vaultName: news.name,
        privateEndpoints: declared,
        ...(typeof publicNetworkAccess === "string" ? { publicNetworkAccess } : {}),
        ...(existing === undefined ? {} : { existing }),
      },
      options,
    ),
  );
}
