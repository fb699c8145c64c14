/**
 * Resource Guards (Microsoft.DataProtection/resourceGuards, specification/dataprotection/resource-manager/
 * Microsoft.DataProtection/DataProtection/stable/2025-07-01, examples/ResourceGuardCRUD): GET, PUT, DELETE, minimal;
 * and multi-user authorization enforced on the vaults associated with one through a proxy (guard-proxies.ts).
 *
 * A guard protects the critical operations of a Recovery Services vault; the optional ones it lists in
 * `vaultCriticalOperationExclusionList` it does not (https://learn.microsoft.com/azure/backup/multi-user-authorization-concept).
 * Each operation has a request type under the guard; a proxy lists, per operation, the guard's
 * `defaultResourceRequest` `{guard}/{requestType}/default`. Names as the service returns them: GetResourceGuard.json
 * (deleteResourceGuardProxyRequests, disableSoftDeleteRequests), UnlockDeleteResourceGuardProxy.json
 * (deleteProtectedItemRequests), and a live recording of the Azure CLI's tests (Azure/azure-cli#33749: the proxy's
 * `vaultCriticalOperation` is the Microsoft.RecoveryServices action, e.g. backupPolicies/write with
 * updateProtectionPolicyRequests, as the CLI's custom_help.py `operation_name_map` expects; the spec's proxy example
 * shows the request type there instead).
 *
 * Enforced, with a proxy on the vault, for each protected operation:
 * - the request carries the guard's default request for the operation (in its body's `resourceGuardOperationRequests`,
 *   or, for a delete, through a prior `unlockDelete` naming the resource); otherwise 400 with the service's message
 *   "ResourceGuard Operation requestid is either null or empty" (hashicorp/terraform-provider-azurerm#31887);
 * - a guard in another tenant needs a token of that tenant in `x-ms-authorization-auxiliary`
 *   (https://learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant); otherwise ARM's
 *   403 LinkedAuthorizationFailed (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors).
 * Tokens: the emulator's static token is of its own tenant; `<token>;tenant=<id>` is a token of tenant `<id>` (the
 * package's emulator credential issues those for getToken(scope, { tenantId })). The role on the guard that Azure
 * also checks (Backup MUA Operator, given just in time) is not modelled: every caller is granted it.
 */
import { ArmError, badRequest, ok, prop, type EmulatorRequest, type EmulatorResponse } from "../http";
import type { Model } from "../model";
import type { VaultChanges } from "../model/vault-changes";
import type { GuardProxyRecord, ResourceGuardRecord, VaultRecord } from "../state";
import { iso } from "./render";
import type { Services } from "./services";
import { EMULATOR_TENANT } from "./subscriptions";

const GUARD_PATH = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DataProtection/resourceGuards/{guardName}";

export interface GuardOperation {
  operation: string;
  request: string;
  /** Mandatory operations cannot be excluded (multi-user-authorization-concept). */
  mandatory: boolean;
}

const RS = "Microsoft.RecoveryServices/vaults";
export const GUARD_OPERATIONS = {
  removeGuard: { operation: `${RS}/backupResourceGuardProxies/delete`, request: "deleteResourceGuardProxyRequests", mandatory: true },
  disableSoftDelete: { operation: `${RS}/backupconfig/write`, request: "disableSoftDeleteRequests", mandatory: true },
  deleteProtectedItem: {
    operation: `${RS}/backupFabrics/protectionContainers/protectedItems/delete`,
    request: "deleteProtectedItemRequests",
    mandatory: false,
  },
  updateProtectedItem: { operation: `${RS}/backupFabrics/protectionContainers/protectedItems/write`, request: "updateProtectedItemRequests", mandatory: false },
  updatePolicy: { operation: `${RS}/backupPolicies/write`, request: "updateProtectionPolicyRequests", mandatory: false },
  // Two vault PATCHes (Azure/azure-cli backup module, custom_help.py `operation_name_map`: RecoveryServicesModifyEncryptionSettings,
  // RecoveryServicesDisableImmutability; custom.py sends their request in the PATCH's properties.resourceGuardOperationRequests);
  // excludable (terraform-provider-azurerm, data_protection_resource_guard docs). emulator: their request type names under a
  // Recovery Services guard are not public (a Backup vault's are dppModifyEncryptionSettingsRequests and
  // dppReduceImmutabilityStateRequests: Az.DataProtection's Update-AzDataProtectionBackupVault help); named after those here.
  modifyEncryption: { operation: `${RS}/write#modifyEncryptionSettings`, request: "modifyEncryptionSettingsRequests", mandatory: false },
  disableImmutability: { operation: `${RS}/write#reduceImmutabilityState`, request: "reduceImmutabilityStateRequests", mandatory: false },
} as const satisfies Record<string, GuardOperation>;
export type GuardOperationName = keyof typeof GUARD_OPERATIONS;

/** emulator: how long an unlockDelete lasts is not published (the example answers an expiry time); 30 minutes here. */
const UNLOCK_MS = 30 * 60_000;

const lower = (s: string) => s.toLowerCase();

export function findGuard(model: Model, id: string): ResourceGuardRecord | undefined {
  return (model.state.resourceGuards ?? []).find((g) => lower(g.id) === lower(id.replace(/\/+$/, "")));
}

/**
 * The operations the guard protects on an associated vault. emulator: a proxy may name a guard the emulator does
 * not hold (created elsewhere): it is taken as a guard of the emulator's tenant that excludes nothing.
 */
export function protectedOperations(model: Model, guardId: string): GuardOperation[] {
  const guard = findGuard(model, guardId);
  const excluded = new Set((guard?.exclusions ?? []).map(lower));
  return Object.values(GUARD_OPERATIONS).filter((o) => o.mandatory || !excluded.has(lower(o.operation)));
}

/** The tenant a bearer token is of: `;tenant=<id>` in the emulator's tokens, else the emulator's own. */
function tenantOf(token: string): string {
  return /;tenant=([^;,\s]+)/.exec(token)?.[1] ?? EMULATOR_TENANT;
}

function auxiliaryTenants(r: EmulatorRequest): string[] {
  const header = r.headers["x-ms-authorization-auxiliary"];
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  return [...text.matchAll(/Bearer\s+([^,\s]+)/gi)].map((m) => lower(tenantOf(m[1]!)));
}

const requestOf = (guardId: string, op: GuardOperation) => `${guardId}/${op.request}/default`;

interface Guarded {
  proxy: GuardProxyRecord;
  op: GuardOperation;
  expected: string;
}

/** The proxy and operation when the vault's guard protects it; undefined when it does not (no proxy, or excluded). */
function guarded(model: Model, vault: VaultRecord, name: GuardOperationName): Guarded | undefined {
  const proxy = vault.guardProxies?.[0];
  if (proxy === undefined) return undefined;
  const op = GUARD_OPERATIONS[name];
  if (!protectedOperations(model, proxy.resourceGuardResourceId).includes(op)) return undefined;
  return { proxy, op, expected: requestOf(proxy.resourceGuardResourceId, op) };
}

/** A guard in another tenant: the auxiliary token of its tenant must come with the request. */
function requireTenant(model: Model, r: EmulatorRequest, guardId: string): void {
  const tenant = findGuard(model, guardId)?.tenantId ?? EMULATOR_TENANT;
  if (lower(tenant) === lower(EMULATOR_TENANT) || auxiliaryTenants(r).includes(lower(tenant))) return;
  throw new ArmError(
    403,
    "LinkedAuthorizationFailed",
    `The client has permission to perform the action on the vault; however, it is not authorized to access the linked Resource Guard '${guardId}' in tenant '${tenant}': send a token of that tenant in the x-ms-authorization-auxiliary header.`,
  );
}

function missingRequest(op: GuardOperation): ArmError {
  // emulator: the service's code for this refusal is not public (the message is: hashicorp/terraform-provider-azurerm#31887).
  return badRequest(
    "ResourceGuardOperationRequestMissing",
    `ResourceGuard Operation requestid is either null or empty. The vault is protected by a Resource Guard: '${op.operation}' needs the guard's request (${op.request}) in resourceGuardOperationRequests.`,
  );
}

/**
 * A protected operation whose body carries `resourceGuardOperationRequests` (policy PUT, protected item PUT, vault
 * config, a vault PATCH that changes the customer-managed key or takes immutability from Unlocked to Disabled): refused without the guard's request for it, or without the guard tenant's token.
 */
export function enforceGuard(model: Model, r: EmulatorRequest, vault: VaultRecord, name: GuardOperationName, requests: unknown): void {
  const g = guarded(model, vault, name);
  if (g === undefined) return;
  const sent = Array.isArray(requests) ? requests.filter((x): x is string => typeof x === "string").map(lower) : [];
  if (!sent.includes(lower(g.expected))) throw missingRequest(g.op);
  requireTenant(model, r, g.proxy.resourceGuardResourceId);
}

/** Whether a PATCH's encryption differs from the vault's: another key, or another identity reading it. */
function encryptionModified(vault: VaultRecord, next: NonNullable<VaultChanges["encryption"]>): boolean {
  const held = vault.encryption;
  if (held === undefined) return true;
  if (next.keyUri !== undefined && lower(next.keyUri) !== lower(held.keyUri)) return true;
  if (next.useSystemAssignedIdentity !== held.useSystemAssignedIdentity) return true;
  return lower(next.userAssignedIdentity ?? "") !== lower(held.userAssignedIdentity ?? "");
}

/**
 * A vault PATCH: modifying its encryption settings, and reducing its immutability (Unlocked -> Disabled, the CLI's
 * `is_immutability_weakened`), each need the guard's request in `properties.resourceGuardOperationRequests`.
 */
export function enforceVaultPatchGuard(model: Model, r: EmulatorRequest, vault: VaultRecord, changes: VaultChanges, requests: unknown): void {
  if (changes.encryption !== undefined && encryptionModified(vault, changes.encryption)) enforceGuard(model, r, vault, "modifyEncryption", requests);
  if (vault.immutability === "Unlocked" && changes.immutability === "Disabled") enforceGuard(model, r, vault, "disableImmutability", requests);
}

/** A protected delete (a protected item, the proxy): refused unless unlockDelete named the resource before, and without the tenant's token. */
export function enforceGuardedDelete(model: Model, r: EmulatorRequest, vault: VaultRecord, name: GuardOperationName, resourceId: string): void {
  const g = guarded(model, vault, name);
  if (g === undefined) return;
  const now = model.now();
  const unlock = (g.proxy.unlocks ?? []).find((u) => u.resource === lower(resourceId) && u.until >= now);
  if (unlock === undefined) throw missingRequest(g.op);
  requireTenant(model, r, g.proxy.resourceGuardResourceId);
  g.proxy.unlocks = (g.proxy.unlocks ?? []).filter((u) => u !== unlock && u.until >= now);
}

/** Which delete an unlockDelete is for: the proxy itself, or a protected item. */
function deleteOperationFor(resource: string): GuardOperationName | undefined {
  if (/\/backupResourceGuardProxies\/[^/]+$/i.test(resource)) return "removeGuard";
  if (/\/protectedItems\/[^/]+$/i.test(resource)) return "deleteProtectedItem";
  return undefined;
}

/** POST .../backupResourceGuardProxies/{name}/unlockDelete (ResourceGuardProxy_UnlockDelete). */
export function unlockDelete(model: Model, r: EmulatorRequest, proxy: GuardProxyRecord): EmulatorResponse {
  const resource = prop(r.body, "resourceToBeDeleted");
  const name = typeof resource === "string" ? deleteOperationFor(resource) : undefined;
  // emulator: the service's code for a body naming no deletable resource is not public.
  if (typeof resource !== "string" || name === undefined)
    throw badRequest("BMSUserErrorInvalidInput", "resourceToBeDeleted must be the id of a protected item or of the vault's Resource Guard proxy.");
  const op = GUARD_OPERATIONS[name];
  const requests = prop(r.body, "resourceGuardOperationRequests");
  const sent = Array.isArray(requests) ? requests.filter((x): x is string => typeof x === "string").map(lower) : [];
  const isProtected = protectedOperations(model, proxy.resourceGuardResourceId).includes(op);
  if (isProtected && !sent.includes(lower(requestOf(proxy.resourceGuardResourceId, op)))) throw missingRequest(op);
  if (isProtected) requireTenant(model, r, proxy.resourceGuardResourceId);
  const until = model.now() + UNLOCK_MS;
  proxy.unlocks = [...(proxy.unlocks ?? []).filter((u) => u.resource !== lower(resource)), { resource: lower(resource), until }];
  return ok({ unlockDeleteExpiryTime: iso(until) });
}

export function registerResourceGuards(s: Services): void {
  const { router, model } = s;
  const idOf = (r: EmulatorRequest) =>
    `/subscriptions/${r.params.subscriptionId}/resourceGroups/${r.params.resourceGroupName}/providers/Microsoft.DataProtection/resourceGuards/${r.params.guardName}`;
  const render = (g: ResourceGuardRecord) => ({
    id: g.id,
    name: g.id.split("/").pop(),
    type: "Microsoft.DataProtection/resourceGuards",
    location: g.location,
    ...(g.tags === undefined ? {} : { tags: g.tags }),
    properties: {
      provisioningState: "Succeeded",
      allowAutoApprovals: true,
      resourceGuardOperations: protectedOperations(model, g.id).map((o) => ({
        vaultCriticalOperation: o.operation,
        requestResourceType: `Microsoft.DataProtection/resourceGuards/${o.request}`,
      })),
      vaultCriticalOperationExclusionList: g.exclusions,
      ...(g.description === undefined ? {} : { description: g.description }),
    },
  });
  const notFound = (r: EmulatorRequest) =>
    new ArmError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.DataProtection/resourceGuards/${r.params.guardName}' under resource group '${r.params.resourceGroupName}' was not found.`,
    );

  router.add("GET", GUARD_PATH, (r) => {
    const guard = findGuard(model, idOf(r));
    if (guard === undefined) throw notFound(r);
    return ok(render(guard));
  });
  router.add("PUT", GUARD_PATH, (r) => {
    const location = prop(r.body, "location");
    if (typeof location !== "string" || location === "") throw badRequest("LocationRequired", "The location property is required for this definition.");
    const list = prop(r.body, "properties", "vaultCriticalOperationExclusionList");
    if (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === "string")))
      throw badRequest("InvalidRequestContent", "properties.vaultCriticalOperationExclusionList must be a list of operation names.");
    // Mandatory operations cannot be excluded: emulator: Azure's answer to such a list is not public; they stay protected.
    const exclusions = ((list as string[] | undefined) ?? []).filter((x) =>
      Object.values(GUARD_OPERATIONS).some((o) => !o.mandatory && lower(o.operation) === lower(x)),
    );
    const description = prop(r.body, "properties", "description");
    const tags = prop(r.body, "tags");
    const existing = findGuard(model, idOf(r));
    const auth = r.headers.authorization ?? "";
    const record: ResourceGuardRecord = {
      id: existing?.id ?? idOf(r),
      location: location.toLowerCase().replace(/\s+/g, ""),
      tenantId: existing?.tenantId ?? tenantOf(auth.replace(/^Bearer\s+/i, "")),
      exclusions,
      ...(typeof description === "string" ? { description } : {}),
      ...(tags !== null && typeof tags === "object" ? { tags: tags as Record<string, string> } : {}),
    };
    model.state.resourceGuards = [...(model.state.resourceGuards ?? []).filter((g) => g !== existing), record];
    return ok(render(record), existing === undefined ? 201 : 200);
  });
  router.add("DELETE", GUARD_PATH, (r) => {
    const guard = findGuard(model, idOf(r));
    if (guard === undefined) return ok(undefined, 204);
    model.state.resourceGuards = (model.state.resourceGuards ?? []).filter((g) => g !== guard);
    return ok(undefined, 200);
  });
}
