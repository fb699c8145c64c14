/**
 * Backup's access to the Key Vaults of VMs encrypted with Azure Disk Encryption: read it (@azure/arm-keyvault
 * `vaults.get`: the access model and the access policies; @azure/arm-authorization `roleAssignments.listForScope` for a
 * vault that uses Azure RBAC) and grant it (`vaults.updateAccessPolicy("add")` with exactly the permissions Backup needs,
 * or a role assignment of Key Vault Administrator under a name derived from the vault, the principal and the role, so
 * that a retry finds it and does nothing). What is needed, and why: src/rules/key-vault-access.ts.
 *
 * Who: the Backup Management Service's service principal. Its application id is the same everywhere
 * (262044b1-e2ce-469f-a196-69ab7ada62d3); its object id differs per tenant, and ARM (access policies, role assignments)
 * takes only object ids: the setting azure-vm-backup:backupManagementServiceObjectId, else looked up in Microsoft Graph
 * as Microsoft's own tools do (src/azure/graph.ts).
 */
import { createHash } from "node:crypto";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import {
  BACKUP_KEY_VAULT_PERMISSIONS,
  KEY_VAULT_ADMINISTRATOR_ROLE_ID,
  keyVaultNeeds,
  missingPermissions,
  type DiskEncryptionArgs,
  type KeyVaultAccess,
  type KeyVaultNeed,
  formatRoleDefinitionId,
} from "../rules";
import type { AzureClients } from "./clients";
import { attempt } from "./errors";
import { lookups } from "./lookups";

interface KeyVaultClients {
  keyVault: KeyVaultManagementClient;
  authorization: AuthorizationManagementClient;
}

const made = new WeakMap<AzureClients, Map<string, KeyVaultClients>>();

/** The Key Vault and authorization clients for a subscription, configured as the other clients are (endpoint, CA, credential). */
function clientsOf(c: AzureClients, subscriptionId: string): KeyVaultClients {
  let bySubscription = made.get(c);
  if (bySubscription === undefined) made.set(c, (bySubscription = new Map()));
  let found = bySubscription.get(subscriptionId.toLowerCase());
  if (found === undefined) {
    const s = c.settings;
    const scope = `${s.cloud.armEndpoint}/.default`;
    const common = {
      endpoint: s.cloud.armEndpoint,
      ...(s.ca === undefined ? {} : { tlsOptions: { ca: s.ca } }),
      userAgentOptions: { userAgentPrefix: "pulumi-azure-vm-backup" },
      credentials: { scopes: [scope] },
      ...(s.retryDelayMs === undefined ? {} : { retryOptions: { retryDelayInMs: s.retryDelayMs, maxRetryDelayInMs: Math.max(s.retryDelayMs * 8, 1) } }),
    };
    found = {
      keyVault: new KeyVaultManagementClient(c.credential, subscriptionId, common),
      authorization: new AuthorizationManagementClient(c.credential, subscriptionId, { ...common, credentialScopes: [scope] }),
    };
    bySubscription.set(subscriptionId.toLowerCase(), found);
  }
  return found;
}

const KEY_VAULT_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)$/i;

function partsOf(keyVaultId: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const m = KEY_VAULT_ID.exec(keyVaultId);
  return m === null ? undefined : { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! };
}

const statusOf = (error: unknown) => (error as { statusCode?: number } | undefined)?.statusCode;

/** What a Key Vault grants the Backup Management Service (`objectId`), or why it could not be read. Once per process per vault. */
export function keyVaultAccess(c: AzureClients, keyVaultId: string, objectId: string): Promise<KeyVaultAccess> {
  return lookups.get(`key-vault:${keyVaultId}|${objectId}`.toLowerCase(), () => readKeyVaultAccess(c, keyVaultId, objectId));
}

async function readKeyVaultAccess(c: AzureClients, keyVaultId: string, objectId: string): Promise<KeyVaultAccess> {
  const parts = partsOf(keyVaultId);
  if (parts === undefined) return { keyVaultId, readable: false, reason: "failed", detail: `'${keyVaultId}' is not the id of a Key Vault` };
  const kv = clientsOf(c, parts.subscriptionId);
  try {
    const vault = await kv.keyVault.vaults.get(parts.resourceGroup, parts.name);
    const rbac = vault.properties.enableRbacAuthorization === true;
    const policy = (vault.properties.accessPolicies ?? []).find((p) => p.objectId.toLowerCase() === objectId.toLowerCase() && p.applicationId === undefined);
    let administratorRole = false;
    if (rbac) {
      // At, above or below the vault, for the principal (the filter's documented meaning); kept: at the vault or above.
      for await (const a of kv.authorization.roleAssignments.listForScope(keyVaultId.replace(/^\//, ""), { filter: `principalId eq '${objectId}'` })) {
        const scope = (a.scope ?? "").toLowerCase();
        const covers = keyVaultId.toLowerCase() === scope || keyVaultId.toLowerCase().startsWith(`${scope}/`);
        if (covers && (a.roleDefinitionId ?? "").toLowerCase().endsWith(`/${KEY_VAULT_ADMINISTRATOR_ROLE_ID}`)) administratorRole = true;
      }
    }
    return {
      keyVaultId,
      readable: true,
      enableRbacAuthorization: rbac,
      secrets: [...(policy?.permissions.secrets ?? [])],
      keys: [...(policy?.permissions.keys ?? [])],
      administratorRole,
    };
  } catch (error) {
    const status = statusOf(error);
    const detail = (error as Error).message ?? String(error);
    return { keyVaultId, readable: false, reason: status === 404 ? "not-found" : status === 403 ? "forbidden" : "failed", detail };
  }
}

/** Each Key Vault the encryption uses, with what Backup needs there and what the vault grants it. */
export async function encryptionKeyVaults(
  c: AzureClients,
  ade: DiskEncryptionArgs,
  objectId: string,
): Promise<Array<{ need: KeyVaultNeed; access: KeyVaultAccess }>> {
  return Promise.all(keyVaultNeeds(ade).map(async (need) => ({ need, access: await keyVaultAccess(c, need.keyVaultId, objectId) })));
}

/** The role assignment's name for the Backup Management Service on a vault: a GUID derived from the scope, principal and role. */
export function backupRoleAssignmentName(keyVaultId: string, objectId: string): string {
  const h = createHash("sha256").update(`${keyVaultId.toLowerCase()}|${objectId.toLowerCase()}|${KEY_VAULT_ADMINISTRATOR_ROLE_ID}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Gives the Backup Management Service what it lacks on a readable vault: an access policy "add" (merged into its policy
 * by Key Vault: nothing it had is taken away) or the Key Vault Administrator role. Nothing when it lacks nothing. Never
 * revoked by this package.
 */
export async function grantKeyVaultAccess(
  c: AzureClients,
  need: KeyVaultNeed,
  access: Extract<KeyVaultAccess, { readable: true }>,
  objectId: string,
): Promise<boolean> {
  if (missingPermissions(need, access).length === 0) return false;
  const parts = partsOf(need.keyVaultId)!;
  const kv = clientsOf(c, parts.subscriptionId);
  const what = `Key Vault '${parts.name}'`;
  if (access.enableRbacAuthorization) {
    const name = backupRoleAssignmentName(need.keyVaultId, objectId);
    await attempt("Giving Azure Backup the Key Vault Administrator role on", what, async () => {
      try {
        await kv.authorization.roleAssignments.create(need.keyVaultId.replace(/^\//, ""), name, {
          roleDefinitionId: formatRoleDefinitionId(parts.subscriptionId, KEY_VAULT_ADMINISTRATOR_ROLE_ID),
          principalId: objectId,
          principalType: "ServicePrincipal",
        });
      } catch (error) {
        // The same grant under another name (given by hand): done.
        if ((error as { code?: string }).code !== "RoleAssignmentExists") throw error;
      }
    });
  } else {
    const vault = await attempt("Reading", what, () => kv.keyVault.vaults.get(parts.resourceGroup, parts.name));
    await attempt("Giving Azure Backup access to", what, () =>
      kv.keyVault.vaults.updateAccessPolicy(parts.resourceGroup, parts.name, "add", {
        properties: {
          accessPolicies: [
            {
              tenantId: vault.properties.tenantId,
              objectId,
              permissions: {
                ...(need.secrets ? { secrets: [...BACKUP_KEY_VAULT_PERMISSIONS] } : {}),
                ...(need.keys ? { keys: [...BACKUP_KEY_VAULT_PERMISSIONS] } : {}),
              },
            },
          ],
        },
      }),
    );
  }
  lookups.forget(`key-vault:${need.keyVaultId}|${objectId}`.toLowerCase());
  return true;
}
