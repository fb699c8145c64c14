/**
 * Multi-user authorization on the wire: a vault's association with a Resource Guard (its `VaultProxy`, bms.json
 * 2025-08-01 ResourceGuardProxy_Put/Get/Delete/UnlockDelete, examples/ResourceGuardProxyCRUD), and what a critical
 * operation on a guarded vault must carry, as the Azure CLI sends it (Azure/azure-cli, backup module custom_help.py
 * and custom.py):
 *
 * - in its body, `resourceGuardOperationRequests`: the guard's `defaultResourceRequest` for the operation, read
 *   from the proxy's `resourceGuardOperationDetails` (policy PUT, vault config); a delete (protected item, the proxy
 *   itself) is preceded by `unlockDelete` with that request and the resource to be deleted;
 * - for a guard in another tenant, the header `x-ms-authorization-auxiliary: Bearer <token for that tenant>`
 *   (https://learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant; up to three
 *   tokens); the CLI adds it when given `--tenant-id`, Terraform azurerm and azure-native from `auxiliaryTenantIds`,
 *   as this package does (src/azure/settings.ts).
 *
 * Without the request Azure refuses ("ResourceGuard Operation requestid is either null or empty",
 * hashicorp/terraform-provider-azurerm#31887). With it, Azure still refuses unless the caller holds a role on the guard
 * that allows the operation (Backup MUA Operator, given just in time: https://learn.microsoft.com/azure/backup/multi-user-authorization).
 */
import type { OperationOptions } from "@azure/core-client";
import { CRITICAL_OPERATIONS, formatGuardProxyId, guardName, VAULT_PROXY_NAME, type CriticalOperation, type GuardedVault } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError, isNotFound } from "./errors";
import type { VaultRef } from "./ids";
import { lookups } from "./lookups";

/** A vault's association with a guard, as Azure reports it. */
export interface GuardProxy {
  name: string;
  guardId: string;
  /** `vaultCriticalOperation` -> `defaultResourceRequest`, for the operations the guard protects on this vault. */
  requests: ReadonlyMap<string, string>;
}

/** What a critical operation adds to its request: the guard's request for its body, and the SDK options with the auxiliary header. */
export interface GuardedRequest {
  resourceGuardOperationRequests: string[];
  /** Merge into the SDK call's options (`requestOptions.customHeaders`). */
  options: OperationOptions;
}

const vaultKey = (ref: VaultRef) => `${ref.subscriptionId}/${ref.resourceGroupName}/${ref.vaultName}`.toLowerCase();
export const guardProxyKey = (ref: VaultRef) => `guard-proxy:${vaultKey(ref)}`;
const label = (ref: VaultRef) => `the Resource Guard association of vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`;

interface ProxyResource {
  name?: string;
  properties?: {
    resourceGuardResourceId?: string;
    resourceGuardOperationDetails?: Array<{ vaultCriticalOperation?: string; defaultResourceRequest?: string }>;
  };
}

function toProxy(resource: ProxyResource): GuardProxy | undefined {
  const guardId = resource.properties?.resourceGuardResourceId;
  if (guardId === undefined) return undefined;
  const requests = new Map<string, string>();
  for (const d of resource.properties?.resourceGuardOperationDetails ?? []) {
    if (d.vaultCriticalOperation !== undefined && d.defaultResourceRequest !== undefined)
      requests.set(d.vaultCriticalOperation.toLowerCase(), d.defaultResourceRequest);
  }
  return { name: resource.name ?? VAULT_PROXY_NAME, guardId, requests };
}

/** The vault's guard association (the first proxy, as the CLI reads it), once per process; undefined when the vault has none. */
export function getGuardProxy(c: AzureClients, ref: VaultRef): Promise<GuardProxy | undefined> {
  return lookups.get(guardProxyKey(ref), () =>
    attempt("Reading", label(ref), async () => {
      try {
        for await (const p of c.backup.resourceGuardProxies.list(ref.vaultName, ref.resourceGroupName)) {
          const proxy = toProxy(p as ProxyResource);
          if (proxy !== undefined) return proxy;
        }
        return undefined;
      } catch (error) {
        // A vault that does not exist (yet) has no guard.
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }),
  );
}

/** The guard as the rules see it (src/rules/resource-guard.ts). */
export function guardedVault(vaultName: string, proxy: GuardProxy): GuardedVault {
  return { name: vaultName, guardId: proxy.guardId, protectedOperations: [...proxy.requests.keys()] };
}

/**
 * `x-ms-authorization-auxiliary`: a token for each auxiliary tenant. A token that cannot be had fails here, before
 * anything is sent, saying which tenant and what to do.
 */
async function auxiliaryHeaders(c: AzureClients, ref: VaultRef, guardId: string, operation: string): Promise<Record<string, string>> {
  const tenants = c.settings.auxiliaryTenantIds ?? [];
  if (tenants.length === 0) return {};
  const scope = `${c.settings.cloud.armEndpoint}/.default`;
  const tokens: string[] = [];
  for (const tenantId of tenants) {
    let token: string | undefined;
    let why = "no token was returned";
    try {
      token = (await c.credential.getToken(scope, { tenantId }))?.token;
    } catch (error) {
      why = (error as Error).message;
    }
    if (token === undefined) {
      throw new AzureOperationError(
        operation,
        `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`,
        "AuxiliaryTokenUnavailable",
        `the vault is protected by Resource Guard '${guardName(guardId)}', and a token for tenant ${tenantId} (auxiliaryTenantIds) could not be obtained: ${why}. ` +
          `What to do: sign the identity running Pulumi in to tenant ${tenantId} (a guest there, or a multi-tenant app with a service principal in it), ` +
          `get the Backup MUA Operator role on the guard just in time (Privileged Identity Management), and run \`pulumi up\` again; ` +
          "or remove that tenant from azure-vm-backup:auxiliaryTenantIds / ARM_AUXILIARY_TENANT_IDS if the guard is in the vault's own tenant.",
      );
    }
    tokens.push(`Bearer ${token}`);
  }
  return { "x-ms-authorization-auxiliary": tokens.join(", ") };
}

/**
 * What a critical operation on the vault must carry: undefined when the vault has no guard or the guard excludes the
 * operation (then the request is sent as before).
 */
export async function guardRequest(c: AzureClients, ref: VaultRef, operation: CriticalOperation, what: string): Promise<GuardedRequest | undefined> {
  const proxy = await getGuardProxy(c, ref);
  if (proxy === undefined) return undefined;
  const request = proxy.requests.get(CRITICAL_OPERATIONS[operation].toLowerCase());
  if (request === undefined) return undefined;
  const customHeaders = await auxiliaryHeaders(c, ref, proxy.guardId, what);
  return { resourceGuardOperationRequests: [request], options: Object.keys(customHeaders).length === 0 ? {} : { requestOptions: { customHeaders } } };
}

/** SDK options with the guarded request's header merged in (an `onResponse` from withRaw kept). */
export function withGuard<T extends OperationOptions>(options: T, guard: GuardedRequest | undefined): T {
  const headers = guard?.options.requestOptions?.customHeaders;
  if (headers === undefined) return options;
  return { ...options, requestOptions: { ...options.requestOptions, customHeaders: { ...options.requestOptions?.customHeaders, ...headers } } };
}

/**
 * Before a guarded delete: `unlockDelete` with the guard's request and the resource to be deleted (what the CLI does
 * before deleting a protected item or the proxy). Returns the request's options for the delete itself.
 */
export async function unlockDelete(c: AzureClients, ref: VaultRef, guard: GuardedRequest, resourceToBeDeleted: string, what: string): Promise<void> {
  const proxy = await getGuardProxy(c, ref);
  await attempt(what, label(ref), () =>
    c.backup.resourceGuardProxy.unlockDelete(
      ref.vaultName,
      ref.resourceGroupName,
      proxy?.name ?? VAULT_PROXY_NAME,
      { resourceGuardOperationRequests: guard.resourceGuardOperationRequests, resourceToBeDeleted },
      guard.options,
    ),
  );
}

/** Associates the vault with the guard (PUT VaultProxy); replacing another guard needs the first removed (removeGuard). */
export async function associateGuard(c: AzureClients, ref: VaultRef, guardId: string): Promise<GuardProxy> {
  const resource = await attempt("Associating a Resource Guard with", `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`, () =>
    c.backup.resourceGuardProxy.put(ref.vaultName, ref.resourceGroupName, VAULT_PROXY_NAME, { properties: { resourceGuardResourceId: guardId } }),
  );
  lookups.forget(guardProxyKey(ref));
  const proxy = toProxy(resource as ProxyResource);
  if (proxy === undefined)
    throw new AzureOperationError("Associating a Resource Guard with", `vault '${ref.vaultName}'`, undefined, "Azure returned no guard id.");
  return proxy;
}

/**
 * Removes the vault's guard: a critical operation (mandatory): unlockDelete, then DELETE, each with the auxiliary
 * header (DOCS.cliResourceGuard `deleteRGMapping`). Nothing to do when the vault has none.
 */
export async function removeGuard(c: AzureClients, ref: VaultRef): Promise<void> {
  const proxy = await getGuardProxy(c, ref);
  if (proxy === undefined) return;
  const what = "Removing the Resource Guard of";
  const guard = await guardRequest(c, ref, "removeGuard", what);
  if (guard !== undefined) await unlockDelete(c, ref, guard, formatGuardProxyId(ref, proxy.name), what);
  await attempt(what, `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`, () =>
    c.backup.resourceGuardProxy.delete(ref.vaultName, ref.resourceGroupName, proxy.name, guard?.options ?? {}),
  );
  lookups.forget(guardProxyKey(ref));
}
