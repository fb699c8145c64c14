/**
 * The credential for Resource Manager, built with @azure/identity from what the environment holds, in
 * the order @pulumi/azure-native uses (and Terraform's AzureRM before it):
 *
 * 1. the emulator: a static bearer token (the emulator checks one is sent, not what it says);
 * 2. a service principal with a secret (`ARM_CLIENT_ID`, `ARM_CLIENT_SECRET`, `ARM_TENANT_ID`);
 * 3. a service principal with a certificate (`ARM_CLIENT_CERTIFICATE_PATH`, optional `..._PASSWORD`);
 * 4. OIDC workload identity federation for CI (`ARM_USE_OIDC=true` with `ARM_OIDC_TOKEN`,
 *    `ARM_OIDC_TOKEN_FILE_PATH`, or GitHub Actions' `ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`; or
 *    `AZURE_FEDERATED_TOKEN_FILE` as AKS workload identity sets it);
 * 5. a managed identity (`ARM_USE_MSI=true`, with `ARM_CLIENT_ID` for a user-assigned one);
 * 6. otherwise @azure/identity's DefaultAzureCredential (`AZURE_*` variables, workload and managed
 *    identity, Azure CLI, Azure Developer CLI, Azure PowerShell).
 *
 * Nothing here is ever serialized into Pulumi state: providers build the credential when they run.
 */
import { readFileSync } from "node:fs";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { SettingsError, type AzureSettings } from "./settings";

/** What credential was chosen, for messages (never the secret itself). */
export type CredentialKind = "emulator" | "client-secret" | "client-certificate" | "oidc" | "workload-identity" | "managed-identity" | "default";

export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}

  /**
   * The emulator's token; asked for another tenant (an auxiliary token, src/azure/resource-guard.ts), the same token
   * naming that tenant, `<token>;tenant=<id>`, which the emulator reads as a token of that tenant.
   */
  async getToken(_scopes?: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const token = options?.tenantId === undefined ? this.token : `${this.token};tenant=${options.tenantId}`;
    return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

const truthy = (v: string | undefined) => v !== undefined && ["1", "true", "yes"].includes(v.toLowerCase());

export function createCredential(settings: AzureSettings, env: NodeJS.ProcessEnv = process.env): { credential: TokenCredential; kind: CredentialKind } {
  if (settings.emulator) return { credential: new StaticTokenCredential("azure-vm-backup-emulator"), kind: "emulator" };
  // Tokens for the auxiliary tenants (a Resource Guard in another tenant) are asked with getToken(scope, { tenantId }).
  const authorityHost = settings.cloud.authorityHost;
  const additionallyAllowedTenants = settings.auxiliaryTenantIds ?? [];
  const clientId = env.ARM_CLIENT_ID;
  const tenantId = env.ARM_TENANT_ID;
  if (clientId !== undefined && env.ARM_CLIENT_SECRET !== undefined) {
    if (tenantId === undefined) throw new SettingsError("ARM_CLIENT_SECRET is set but ARM_TENANT_ID is not: set the tenant of the service principal.");
    return {
      credential: new ClientSecretCredential(tenantId, clientId, env.ARM_CLIENT_SECRET, { authorityHost, additionallyAllowedTenants }),
      kind: "client-secret",
    };
  }
  if (clientId !== undefined && env.ARM_CLIENT_CERTIFICATE_PATH !== undefined) {
    if (tenantId === undefined) throw new SettingsError("ARM_CLIENT_CERTIFICATE_PATH is set but ARM_TENANT_ID is not.");
    const options = env.ARM_CLIENT_CERTIFICATE_PASSWORD === undefined ? {} : { certificatePassword: env.ARM_CLIENT_CERTIFICATE_PASSWORD };
    return {
      credential: new ClientCertificateCredential(
        tenantId,
        clientId,
        { certificatePath: env.ARM_CLIENT_CERTIFICATE_PATH, ...options },
        { authorityHost, additionallyAllowedTenants },
      ),
      kind: "client-certificate",
    };
  }
  if (truthy(env.ARM_USE_OIDC)) {
    if (clientId === undefined || tenantId === undefined) throw new SettingsError("ARM_USE_OIDC is set: ARM_CLIENT_ID and ARM_TENANT_ID must be set too.");
    return { credential: new ClientAssertionCredential(tenantId, clientId, () => oidcToken(env), { authorityHost, additionallyAllowedTenants }), kind: "oidc" };
  }
  if (env.AZURE_FEDERATED_TOKEN_FILE !== undefined) {
    const workloadClient = env.AZURE_CLIENT_ID ?? clientId;
    const workloadTenant = env.AZURE_TENANT_ID ?? tenantId;
    if (workloadClient === undefined || workloadTenant === undefined) {
      throw new SettingsError("AZURE_FEDERATED_TOKEN_FILE is set: AZURE_CLIENT_ID and AZURE_TENANT_ID (or ARM_CLIENT_ID and ARM_TENANT_ID) must be set too.");
    }
    return {
      credential: new WorkloadIdentityCredential({
        authorityHost,
        additionallyAllowedTenants,
        clientId: workloadClient,
        tenantId: workloadTenant,
        tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
      }),
      kind: "workload-identity",
    };
  }
  if (truthy(env.ARM_USE_MSI)) {
    return { credential: clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential(clientId), kind: "managed-identity" };
  }
  return { credential: new DefaultAzureCredential({ authorityHost, additionallyAllowedTenants }), kind: "default" };
}

/** The OIDC token to exchange: given, in a file, or requested from GitHub Actions. */
async function oidcToken(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.ARM_OIDC_TOKEN !== undefined) return env.ARM_OIDC_TOKEN;
  if (env.ARM_OIDC_TOKEN_FILE_PATH !== undefined) return readFileSync(env.ARM_OIDC_TOKEN_FILE_PATH, "utf8").trim();
  const url = env.ARM_OIDC_REQUEST_URL ?? env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ARM_OIDC_REQUEST_TOKEN ?? env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (url === undefined || token === undefined) {
    throw new SettingsError(
      "ARM_USE_OIDC is set but no token is available: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or run in GitHub Actions with `permissions: id-token: write`.",
    );
  }
  const request = new URL(url);
  request.searchParams.set("audience", "api://AzureADTokenExchange");
  const response = await fetch(request, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new SettingsError(`Requesting the GitHub OIDC token failed: HTTP ${response.status}.`);
  const body = (await response.json()) as { value?: string };
  if (body.value === undefined) throw new SettingsError("The GitHub OIDC token response held no token.");
  return body.value;
}
