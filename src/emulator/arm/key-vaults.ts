/**
 * Key Vault access for the backup of VMs encrypted with Azure Disk Encryption (ADE): the Microsoft.KeyVault vaults a
 * VM's encryption settings point at, their access policies, and Microsoft.Authorization role assignments for the
 * vaults that use Azure RBAC instead.
 *
 * Served (paths and bodies of Azure/azure-rest-api-specs):
 * - `Microsoft.KeyVault/vaults/{name}` GET, and `.../accessPolicies/{add|replace|remove}` PUT (Vaults_UpdateAccessPolicy),
 *   specification/keyvault/resource-manager/Microsoft.KeyVault/KeyVault, examples getVault.json and
 *   updateAccessPoliciesAdd.json; @azure/arm-keyvault 5.0.0 sends api-version 2026-02-01 (any dated version is
 *   served: api-versions.ts). `add` merges the permissions into the principal's policy (or adds one), `replace`
 *   sets them, `remove` takes them away (a policy left with none is dropped), as the spec's operationKind describes.
 *   The answer is 200 with `{id: ".../accessPolicies/", type: "Microsoft.KeyVault/vaults/accessPolicies", properties}`.
 * - `{scope}/providers/Microsoft.Authorization/roleAssignments[/{name}]` list (listForScope), GET, PUT, DELETE at a
 *   subscription, resource group or resource scope (specification/authorization/resource-manager/Microsoft.Authorization/
 *   stable/2022-04-01, the version @azure/arm-authorization 9 sends; examples RoleAssignments_ListForScope.json,
 *   RoleAssignments_CreateForResource.json). A list shows the assignments at the scope, above it and below it;
 *   `$filter=atScope()` keeps those at or above it, `principalId eq '{id}'` one principal's (both: the spec's
 *   `$filter` description). A PUT with the name of an existing assignment for another principal or role answers 409
 *   `RoleAssignmentUpdateNotPermitted`; a second assignment of the same role to the same principal at the same
 *   scope under another name answers 409 `RoleAssignmentExists` (the codes ARM answers: Azure/azure-cli#9497,
 *   hashicorp/terraform-provider-azurerm#4847).
 *
 * Key Vaults exist when seeded (`startEmulator({ keyVaults })`, `POST /_emulator/key-vaults`: admin.ts); the emulator
 * does not create them. The emulator's tenant holds the Backup Management Service's service principal (application id
 * 262044b1-e2ce-469f-a196-69ab7ada62d3, the id Microsoft's PowerShell and CLI instructions give it:
 * https://learn.microsoft.com/azure/backup/backup-azure-vms-automation#enable-protection) with a fixed object id,
 * BACKUP_MANAGEMENT_SERVICE_OBJECT_ID.
 *
 * What Backup needs on the vault (https://learn.microsoft.com/azure/backup/backup-azure-vms-encryption, "Provide
 * permissions" and "Back up ADE encrypted VMs with RBAC enabled key vaults"): an access policy for the Backup Management
 * Service from the portal's "Azure Backup" template, Get, List and Backup on secrets and (with a KEK) on keys; on a vault
 * that uses Azure RBAC, the Key Vault Administrator role. Without it the backup fails with
 * UserErrorKeyvaultPermissionsNotConfigured, "Backup doesn't have sufficient permissions to the key vault for backup of
 * encrypted VMs" (https://learn.microsoft.com/azure/backup/backup-azure-vms-troubleshoot): the backup job fails, not
 * the configuration of protection (model/jobs.ts).
 */
import { ArmError, notFound, ok, prop, type EmulatorRequest, type EmulatorResponse } from "../http";
import type { Model } from "../model";
import type { FixtureDiskEncryption, KeyVaultAccessPolicyRecord, KeyVaultRecord, RoleAssignmentRecord } from "../state";
import type { Services } from "./services";
import { EMULATOR_TENANT } from "./subscriptions";

/** The Backup Management Service's application id (Microsoft's first-party app: see the module comment). */
export const BACKUP_MANAGEMENT_SERVICE_APP_ID = "262044b1-e2ce-469f-a196-69ab7ada62d3";
/** Its service principal's object id in the emulator's tenant (fixed: a real tenant's differs). */
export const BACKUP_MANAGEMENT_SERVICE_OBJECT_ID = "00000000-0000-0000-0000-00000000bac0";
/** The built-in Key Vault Administrator role's definition name (a GUID the same in every tenant). */
export const KEY_VAULT_ADMINISTRATOR_ROLE = "00482a5a-887f-4fb3-b363-3b7fe8e74483";

/** The failure of a backup whose VM's Key Vault Backup cannot read (the troubleshooting page's code and message). */
export const KEY_VAULT_PERMISSIONS_ERROR = {
  code: "UserErrorKeyvaultPermissionsNotConfigured",
  message: "Backup doesn't have sufficient permissions to the key vault for backup of encrypted VMs.",
};

/** A Key Vault as seeded: its id and, optionally, its access model and policies. */
export interface KeyVaultFixture {
  id: string;
  location?: string;
  enableRbacAuthorization?: boolean;
  accessPolicies?: KeyVaultAccessPolicyRecord[];
}

const KEY_VAULT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i;

/** Adds or replaces Key Vaults; throws a message naming the one at fault. */
export function seedKeyVaults(model: Model, fixtures: readonly unknown[]): void {
  const vaults = [...(model.state.keyVaults ?? [])];
  fixtures.forEach((f, i) => {
    const id = prop(f, "id");
    if (typeof id !== "string" || !KEY_VAULT_ID.test(id))
      throw new Error(`Key Vault [${i}]: 'id' must be /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>.`);
    const policies = prop(f, "accessPolicies") ?? [];
    if (!Array.isArray(policies) || !policies.every((p) => typeof prop(p, "objectId") === "string"))
      throw new Error(`Key Vault [${i}] '${id}': 'accessPolicies' must be a list of { objectId, permissions: { keys?, secrets? } }.`);
    const record: KeyVaultRecord = {
      id,
      location: typeof prop(f, "location") === "string" ? (prop(f, "location") as string) : "westeurope",
      tenantId: EMULATOR_TENANT,
      enableRbacAuthorization: prop(f, "enableRbacAuthorization") === true,
      accessPolicies: (policies as unknown[]).map((p) => policyOf(p)),
      enabledForDiskEncryption: true,
      createdAt: model.now(),
    };
    const at = vaults.findIndex((v) => v.id.toLowerCase() === id.toLowerCase());
    if (at >= 0) vaults[at] = record;
    else vaults.push(record);
  });
  model.state.keyVaults = vaults;
  model.dirty = true;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

function policyOf(p: unknown): KeyVaultAccessPolicyRecord {
  const permissions: KeyVaultAccessPolicyRecord["permissions"] = {};
  for (const kind of ["keys", "secrets", "certificates", "storage"] as const) {
    const list = strings(prop(p, "permissions", kind));
    if (list !== undefined) permissions[kind] = list;
  }
  const applicationId = prop(p, "applicationId");
  return {
    tenantId: typeof prop(p, "tenantId") === "string" ? (prop(p, "tenantId") as string) : EMULATOR_TENANT,
    objectId: prop(p, "objectId") as string,
    ...(typeof applicationId === "string" ? { applicationId } : {}),
    permissions,
  };
}

function keyVault(model: Model, id: string): KeyVaultRecord | undefined {
  return (model.state.keyVaults ?? []).find((v) => v.id.toLowerCase() === id.toLowerCase());
}

const covers = (granted: readonly string[] | undefined, needed: readonly string[]): boolean => {
  const have = new Set((granted ?? []).map((p) => p.toLowerCase()));
  return have.has("all") || needed.every((p) => have.has(p));
};

/** Whether the Backup Management Service may read what a backup needs from the vault (see the module comment). */
function backupCanRead(model: Model, vault: KeyVaultRecord, keys: boolean): boolean {
  if (vault.enableRbacAuthorization) {
    const scope = vault.id.toLowerCase();
    return (model.state.roleAssignments ?? []).some(
      (a) =>
        a.principalId.toLowerCase() === BACKUP_MANAGEMENT_SERVICE_OBJECT_ID &&
        a.roleDefinitionId.toLowerCase().endsWith(`/${KEY_VAULT_ADMINISTRATOR_ROLE}`) &&
        (scope === a.scope.toLowerCase() || scope.startsWith(`${a.scope.toLowerCase()}/`)),
    );
  }
  const needed = ["get", "list", "backup"];
  const policy = vault.accessPolicies.find((p) => p.objectId.toLowerCase() === BACKUP_MANAGEMENT_SERVICE_OBJECT_ID);
  return policy !== undefined && covers(policy.permissions.secrets, needed) && (!keys || covers(policy.permissions.keys, needed));
}

/** Whether a backup of a VM with these ADE settings can read its secret (and key): false when a vault is missing or denies it. */
export function backupCanReadEncryptionKeys(model: Model, ade: FixtureDiskEncryption): boolean {
  const secretVault = keyVault(model, ade.keyVaultId);
  if (secretVault === undefined) return false;
  if (ade.keyEncryptionKey === undefined) return backupCanRead(model, secretVault, false);
  const keyVaultOfKey = keyVault(model, ade.keyEncryptionKey.keyVaultId);
  if (keyVaultOfKey === undefined) return false;
  if (keyVaultOfKey === secretVault) return backupCanRead(model, secretVault, true);
  return backupCanRead(model, secretVault, false) && backupCanRead(model, keyVaultOfKey, true);
}

const KV_PATH = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults/{vaultName}";

function renderKeyVault(v: KeyVaultRecord): Record<string, unknown> {
  const name = v.id.split("/").pop()!;
  return {
    id: v.id,
    name,
    type: "Microsoft.KeyVault/vaults",
    location: v.location,
    tags: {},
    systemData: { createdAt: new Date(v.createdAt).toISOString(), createdByType: "User", lastModifiedAt: new Date(v.createdAt).toISOString() },
    properties: {
      tenantId: v.tenantId,
      sku: { family: "A", name: "standard" },
      accessPolicies: v.accessPolicies.map(renderPolicy),
      enabledForDeployment: false,
      enabledForDiskEncryption: v.enabledForDiskEncryption,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: v.enableRbacAuthorization,
      vaultUri: `https://${name.toLowerCase()}.vault.azure.net/`,
      provisioningState: "Succeeded",
      publicNetworkAccess: "Enabled",
    },
  };
}

function renderPolicy(p: KeyVaultAccessPolicyRecord): Record<string, unknown> {
  return {
    tenantId: p.tenantId,
    objectId: p.objectId,
    ...(p.applicationId === undefined ? {} : { applicationId: p.applicationId }),
    permissions: { ...p.permissions },
  };
}

/** `add`/`replace`/`remove` of the spec's AccessPolicyUpdateKind, on a copy of the vault's policies. */
function updatePolicies(current: readonly KeyVaultAccessPolicyRecord[], kind: string, given: KeyVaultAccessPolicyRecord[]): KeyVaultAccessPolicyRecord[] {
  const out = current.map((p) => ({ ...p, permissions: { ...p.permissions } }));
  const same = (a: KeyVaultAccessPolicyRecord, b: KeyVaultAccessPolicyRecord) =>
    a.objectId.toLowerCase() === b.objectId.toLowerCase() && a.tenantId.toLowerCase() === b.tenantId.toLowerCase() && a.applicationId === b.applicationId;
  for (const policy of given) {
    const existing = out.find((p) => same(p, policy));
    if (kind === "add") {
      if (existing === undefined) out.push(policy);
      else
        for (const k of ["keys", "secrets", "certificates", "storage"] as const) {
          const merged = [...(existing.permissions[k] ?? [])];
          for (const perm of policy.permissions[k] ?? []) if (!merged.some((m) => m.toLowerCase() === perm.toLowerCase())) merged.push(perm);
          if (merged.length > 0) existing.permissions[k] = merged;
        }
    } else if (kind === "replace") {
      if (existing === undefined) out.push(policy);
      else existing.permissions = { ...policy.permissions };
    } else if (existing !== undefined) {
      for (const k of ["keys", "secrets", "certificates", "storage"] as const) {
        const removed = new Set((policy.permissions[k] ?? []).map((p) => p.toLowerCase()));
        if (existing.permissions[k] !== undefined) existing.permissions[k] = existing.permissions[k]!.filter((p) => !removed.has(p.toLowerCase()));
      }
    }
  }
  return out.filter((p) => kind !== "remove" || Object.values(p.permissions).some((list) => list !== undefined && list.length > 0));
}

function findVault(s: Services, r: EmulatorRequest): KeyVaultRecord {
  const id = `/subscriptions/${r.params.subscriptionId}/resourceGroups/${r.params.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${r.params.vaultName}`;
  const vault = keyVault(s.model, id);
  if (vault === undefined) throw notFound("Microsoft.KeyVault/vaults", r.params.vaultName!, r.params.resourceGroupName!);
  return vault;
}

function renderAssignment(a: RoleAssignmentRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      ...(a.principalType === undefined ? {} : { principalType: a.principalType }),
      scope: a.scope,
      createdOn: new Date(a.createdAt).toISOString(),
      updatedOn: new Date(a.createdAt).toISOString(),
    },
  };
}

/** The scope of a role-assignment request: the path before `/providers/Microsoft.Authorization/roleAssignments`. */
function scopeOf(r: EmulatorRequest): string {
  const at = r.segments.map((s) => s.toLowerCase()).lastIndexOf("microsoft.authorization");
  return `/${r.segments.slice(0, at - 1).join("/")}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerKeyVaults(s: Services): void {
  s.router.add("GET", KV_PATH, (r) => ok(renderKeyVault(findVault(s, r))));

  s.router.add("PUT", `${KV_PATH}/accessPolicies/{operationKind}`, (r) => {
    const vault = findVault(s, r);
    const kind = r.params.operationKind!.toLowerCase();
    if (kind !== "add" && kind !== "replace" && kind !== "remove")
      throw new ArmError(400, "BadRequest", `The operation kind '${r.params.operationKind!}' is not valid: use add, replace or remove.`, "operationKind");
    const given = prop(r.body, "properties", "accessPolicies");
    if (!Array.isArray(given) || !given.every((p) => typeof prop(p, "objectId") === "string" && typeof prop(p, "tenantId") === "string"))
      throw new ArmError(400, "BadRequest", "properties.accessPolicies must be a list of access policies, each with tenantId, objectId and permissions.");
    const policies = (given as unknown[]).map(policyOf);
    const updated = updatePolicies(vault.accessPolicies, kind, policies);
    const records = s.model.state.keyVaults!;
    records[records.indexOf(vault)] = { ...vault, accessPolicies: updated };
    return ok({
      id: `${vault.id}/accessPolicies/`,
      type: "Microsoft.KeyVault/vaults/accessPolicies",
      location: vault.location,
      properties: { accessPolicies: policies.map(renderPolicy) },
    });
  });

  const scopes = [
    "/subscriptions/{subscriptionId}",
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}",
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{namespace}/{type}/{name}",
  ];
  for (const scope of scopes) {
    const list = `${scope}/providers/Microsoft.Authorization/roleAssignments`;
    s.router.add("GET", list, (r) => listAssignments(s, r));
    s.router.add("GET", `${list}/{roleAssignmentName}`, (r) => {
      const found = assignmentAt(s, scopeOf(r), r.params.roleAssignmentName!);
      if (found === undefined) throw new ArmError(404, "RoleAssignmentNotFound", `The role assignment '${r.params.roleAssignmentName!}' is not found.`);
      return ok(renderAssignment(found));
    });
    s.router.add("PUT", `${list}/{roleAssignmentName}`, (r) => putAssignment(s, r));
    s.router.add("DELETE", `${list}/{roleAssignmentName}`, (r) => {
      const found = assignmentAt(s, scopeOf(r), r.params.roleAssignmentName!);
      if (found === undefined) return ok(undefined, 204);
      s.model.state.roleAssignments = (s.model.state.roleAssignments ?? []).filter((a) => a !== found);
      return ok(renderAssignment(found));
    });
  }
}

function assignmentAt(s: Services, scope: string, name: string): RoleAssignmentRecord | undefined {
  return (s.model.state.roleAssignments ?? []).find((a) => a.scope.toLowerCase() === scope.toLowerCase() && a.name.toLowerCase() === name.toLowerCase());
}

function listAssignments(s: Services, r: EmulatorRequest): EmulatorResponse {
  const scope = scopeOf(r).toLowerCase();
  const filter = (r.query.get("$filter") ?? "").trim();
  const atScope = /atScope\(\)/i.test(filter);
  const principal = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
  if (filter !== "" && !atScope && principal === undefined && !/assignedTo\('/i.test(filter))
    throw new ArmError(400, "InvalidFilter", `The filter '${filter}' is not supported.`);
  const assignedTo = /assignedTo\('([^']+)'\)/i.exec(filter)?.[1]?.toLowerCase();
  const value = (s.model.state.roleAssignments ?? []).filter((a) => {
    const at = a.scope.toLowerCase();
    const above = scope === at || scope.startsWith(`${at}/`);
    const below = at.startsWith(`${scope}/`);
    if (!(above || (!atScope && below))) return false;
    const who = principal ?? assignedTo;
    return who === undefined || a.principalId.toLowerCase() === who;
  });
  return ok({ value: value.map(renderAssignment) });
}

function putAssignment(s: Services, r: EmulatorRequest): EmulatorResponse {
  const scope = scopeOf(r);
  const name = r.params.roleAssignmentName!;
  if (!GUID.test(name))
    throw new ArmError(400, "InvalidRoleAssignmentId", `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
  const roleDefinitionId = prop(r.body, "properties", "roleDefinitionId");
  const principalId = prop(r.body, "properties", "principalId");
  const principalType = prop(r.body, "properties", "principalType");
  if (typeof roleDefinitionId !== "string" || typeof principalId !== "string")
    throw new ArmError(400, "InvalidRequestContent", "properties.roleDefinitionId and properties.principalId are required.");
  // Azure answers with the tenant-level form of a built-in role's id (RoleAssignments_CreateForResource.json).
  const role = roleDefinitionId.replace(/^\/subscriptions\/[^/]+(?=\/providers\/Microsoft\.Authorization\/roleDefinitions\/)/i, "");
  const existing = assignmentAt(s, scope, name);
  const sameGrant = (a: RoleAssignmentRecord) =>
    a.principalId.toLowerCase() === principalId.toLowerCase() && a.roleDefinitionId.toLowerCase() === role.toLowerCase();
  if (existing !== undefined) {
    if (!sameGrant(existing))
      throw new ArmError(409, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
    return ok(renderAssignment(existing), 201);
  }
  const twin = (s.model.state.roleAssignments ?? []).find((a) => a.scope.toLowerCase() === scope.toLowerCase() && sameGrant(a));
  if (twin !== undefined) throw new ArmError(409, "RoleAssignmentExists", "The role assignment already exists.");
  const record: RoleAssignmentRecord = {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    scope,
    name,
    roleDefinitionId: role,
    principalId,
    ...(typeof principalType === "string" ? { principalType } : {}),
    createdAt: s.model.now(),
  };
  s.model.state.roleAssignments = [...(s.model.state.roleAssignments ?? []), record];
  return ok(renderAssignment(record), 201);
}
