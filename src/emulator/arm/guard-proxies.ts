/**
 * Resource Guard proxies of a vault (multi-user authorization; recoveryservicesbackup 2025-02-01,
 * ResourceGuardProxyCRUD examples): list, get, put, delete. Empty by default. The Azure CLI lists them
 * before it changes a policy or deletes backup data, to know whether an auxiliary token is needed.
 *
 * A proxy links the vault to a Resource Guard (`Microsoft.DataProtection/resourceGuards`, resource-guards.ts):
 * the proxy's operation details name the guard's requests for the critical operations it protects, and those
 * operations are refused without them (resource-guards.ts; unlockDelete before a protected delete).
 * Delete answers 200 when a proxy was deleted and 204 when there was none (DeleteResourceGuardProxy.json).
 */
import { ArmError, badRequest, ok, prop, type EmulatorRequest } from "../http";
import type { GuardProxyRecord, VaultRecord } from "../state";
import { iso, page, vaultId } from "./render";
import { enforceGuardedDelete, protectedOperations, unlockDelete } from "./resource-guards";
import { VAULT_PATH, type Services } from "./services";

const GUARD_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.DataProtection\/resourceGuards\/[^/]+$/i;

export function registerGuardProxies(s: Services, findVault: (r: EmulatorRequest) => VaultRecord): void {
  const { router, model } = s;
  const base = `${VAULT_PATH}/backupResourceGuardProxies`;
  const render = (vault: VaultRecord, p: GuardProxyRecord) => ({
    id: `${vaultId(vault)}/backupResourceGuardProxies/${p.name}`,
    name: p.name,
    type: "Microsoft.RecoveryServices/vaults/backupResourceGuardProxies",
    properties: {
      resourceGuardResourceId: p.resourceGuardResourceId,
      // The operations the guard protects (resource-guards.ts), named as the live service names them.
      resourceGuardOperationDetails: protectedOperations(model, p.resourceGuardResourceId).map((op) => ({
        vaultCriticalOperation: op.operation,
        defaultResourceRequest: `${p.resourceGuardResourceId}/${op.request}/default`,
      })),
      lastUpdatedTime: iso(p.lastUpdatedTime),
      ...(p.description === undefined ? {} : { description: p.description }),
    },
  });
  const find = (vault: VaultRecord, name: string) => (vault.guardProxies ?? []).find((p) => p.name.toLowerCase() === name.toLowerCase());

  router.add("GET", base, (r) => {
    const vault = findVault(r);
    return ok(page((vault.guardProxies ?? []).map((p) => render(vault, p))));
  });
  router.add("GET", `${base}/{proxyName}`, (r) => {
    const vault = findVault(r);
    const proxy = find(vault, r.params.proxyName!);
    // emulator: the service's code for a missing proxy is not established; ARM's generic 404 code is used.
    if (proxy === undefined)
      throw new ArmError(404, "ResourceNotFound", `Resource guard proxy '${r.params.proxyName}' was not found in vault '${vault.name}'.`);
    return ok(render(vault, proxy));
  });
  router.add("PUT", `${base}/{proxyName}`, (r) => {
    const vault = findVault(r);
    const guard = prop(r.body, "properties", "resourceGuardResourceId");
    if (typeof guard !== "string" || !GUARD_ID.test(guard)) {
      throw badRequest(
        "BMSUserErrorInvalidInput",
        `properties.resourceGuardResourceId must be a Resource Guard's id (Microsoft.DataProtection/resourceGuards); got '${String(guard)}'.`,
      );
    }
    const description = prop(r.body, "properties", "description");
    const existing = find(vault, r.params.proxyName!);
    const record: GuardProxyRecord = {
      name: existing?.name ?? r.params.proxyName!,
      resourceGuardResourceId: guard,
      lastUpdatedTime: model.now(),
      ...(typeof description === "string" ? { description } : {}),
    };
    vault.guardProxies = [...(vault.guardProxies ?? []).filter((p) => p !== existing), record];
    return ok(render(vault, record));
  });
  router.add("POST", `${base}/{proxyName}/unlockDelete`, (r) => {
    const vault = findVault(r);
    const proxy = find(vault, r.params.proxyName!);
    if (proxy === undefined)
      throw new ArmError(404, "ResourceNotFound", `Resource guard proxy '${r.params.proxyName}' was not found in vault '${vault.name}'.`);
    return unlockDelete(model, r, proxy);
  });
  router.add("DELETE", `${base}/{proxyName}`, (r) => {
    const vault = findVault(r);
    const proxy = find(vault, r.params.proxyName!);
    if (proxy === undefined) return ok(undefined, 204);
    // Removing the guard is itself protected (mandatory): unlockDelete first (resource-guards.ts).
    enforceGuardedDelete(model, r, vault, "removeGuard", `${vaultId(vault)}/backupResourceGuardProxies/${proxy.name}`);
    vault.guardProxies = (vault.guardProxies ?? []).filter((p) => p !== proxy);
    return ok(undefined, 200);
  });
}
