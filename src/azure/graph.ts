/**
 * The Backup Management Service's object id in the tenant, for the Key Vault access of VMs encrypted with Azure Disk
 * Encryption (src/azure/key-vaults.ts). Its application id is the same everywhere (262044b1-e2ce-469f-a196-69ab7ada62d3);
 * its service principal's object id differs per tenant, and ARM (access policies, role assignments) takes only object
 * ids. Microsoft's own tools resolve it from the application id through Microsoft Entra (`Set-AzKeyVaultAccessPolicy
 * -ServicePrincipalName 262044b1-...`, https://learn.microsoft.com/azure/backup/backup-azure-vms-automation#enable-protection;
 * `az keyvault set-policy --spn`), and so does this package when azure-vm-backup:backupManagementServiceObjectId is not
 * set: Microsoft Graph `GET /v1.0/servicePrincipals(appId='{appId}')?$select=id` ("Get servicePrincipal", which
 * addresses a service principal by its appId: https://learn.microsoft.com/graph/api/serviceprincipal-get), on the
 * cloud's Graph endpoint (settings.ts), with the credential the clients use and the scope `{graph}/.default`. Once
 * per process, and only when an encrypted VM needs it.
 *
 * The credential may not be allowed to read Microsoft Graph (a deployment identity rarely holds Application.Read.All):
 * Graph answers 401 or 403 (Authorization_RequestDenied); the error then says to set the object id, and how to find it.
 */
import { ServiceClient } from "@azure/core-client";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { BACKUP_MANAGEMENT_SERVICE_APP_ID } from "../rules";
import type { AzureClients } from "./clients";
import { lookups } from "./lookups";
import { BACKUP_SERVICE_OBJECT_ID_SETTING } from "./settings";

/** Why the object id could not be looked up, in words a user can act on (the setting and the command that prints the id). */
export class BackupServicePrincipalLookupError extends Error {
  constructor(
    readonly status: number | undefined,
    detail: string,
  ) {
    super(
      `The Backup Management Service's object id could not be looked up in Microsoft Graph (${detail}). ` +
        `Set ${BACKUP_SERVICE_OBJECT_ID_SETTING} to the id that \`az ad sp show --id ${BACKUP_MANAGEMENT_SERVICE_APP_ID} --query id -o tsv\` prints.`,
    );
  }
}

const graphClients = new WeakMap<AzureClients, ServiceClient>();

function graphClient(c: AzureClients): ServiceClient {
  let client = graphClients.get(c);
  if (client === undefined) {
    const s = c.settings;
    client = new ServiceClient({
      credential: c.credential,
      credentialScopes: [`${s.cloud.graphEndpoint}/.default`],
      ...(s.ca === undefined ? {} : { tlsOptions: { ca: s.ca } }),
      userAgentOptions: { userAgentPrefix: "pulumi-azure-vm-backup" },
      ...(s.retryDelayMs === undefined ? {} : { retryOptions: { retryDelayInMs: s.retryDelayMs, maxRetryDelayInMs: Math.max(s.retryDelayMs * 8, 1) } }),
    });
    graphClients.set(c, client);
  }
  return client;
}

/** The object id: the setting's, else looked up in Microsoft Graph once per process (per Graph endpoint). */
export function backupManagementServiceObjectId(c: AzureClients): Promise<string> {
  const configured = c.settings.backupManagementServiceObjectId;
  if (configured !== undefined) return Promise.resolve(configured);
  return lookups.get(`graph-backup-sp:${c.settings.cloud.graphEndpoint}`.toLowerCase(), () => lookUp(c));
}

async function lookUp(c: AzureClients): Promise<string> {
  const url = `${c.settings.cloud.graphEndpoint}/v1.0/servicePrincipals(appId='${BACKUP_MANAGEMENT_SERVICE_APP_ID}')?$select=id`;
  let response;
  try {
    response = await graphClient(c).sendRequest(createPipelineRequest({ url, method: "GET" }));
  } catch (error) {
    throw new BackupServicePrincipalLookupError(undefined, (error as Error).message ?? String(error));
  }
  let body: { id?: unknown; error?: { code?: string; message?: string } } = {};
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : {};
  } catch {
    body = {};
  }
  if (response.status >= 400) {
    const what =
      response.status === 401 || response.status === 403
        ? "the credential this program runs with may not read service principals"
        : response.status === 404
          ? "the tenant has no service principal for Azure Backup's application"
          : "Microsoft Graph failed";
    const code = body.error?.code === undefined ? "" : `, ${body.error.code}`;
    throw new BackupServicePrincipalLookupError(response.status, `HTTP ${response.status}${code}: ${what}`);
  }
  if (typeof body.id !== "string" || body.id === "") throw new BackupServicePrincipalLookupError(response.status, "the answer has no id");
  return body.id;
}
