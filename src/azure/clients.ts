/**
 * One factory for the four SDK clients, configured alike: the cloud's or the custom endpoint, its CA,
 * the credential, and the SDKs' own retry policy (which honours Retry-After on 429 and 503). Clients are
 * made once per configuration in a process.
 */
import { createHash } from "node:crypto";
import { ComputeManagementClient } from "@azure/arm-compute";
import { FeatureClient } from "@azure/arm-features";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import type { TokenCredential } from "@azure/core-auth";
import { ServiceClient } from "@azure/core-client";
import { createCredential, type CredentialKind } from "./credentials";
import { addPolicyPropertiesPolicy } from "./policy-properties";
import { subscriptionFor, type AzureSettings } from "./settings";

/**
 * The api-versions the Recovery Services clients send, set here in one place (docs/azure-today.md, "API versions").
 * Every autorest @azure/arm-* client takes `apiVersion`, which rewrites the `api-version` of every request it
 * sends, polls included. The installed clients' models serialise only the request fields they know (a newer field
 * goes through src/azure/policy-properties.ts) and keep unknown response fields in the parsed body, so newer
 * versions reach our code through the same models.
 *
 * Vaults: 2026-07-01, a stable version (Azure/azure-rest-api-specs specification/recoveryservices/resource-manager/
 * Microsoft.RecoveryServices/RecoveryServices/stable/2026-07-01) that Microsoft's own SDKs send (@azure/arm-recoveryservices
 * 7.2.0, Azure.ResourceManager.RecoveryServices 1.4.0), so it is deployed; from 2025-08-01 a vault holding soft-deleted
 * backup items can be deleted (hashicorp/pandora#5021). The installed @azure/arm-recoveryservices 6.0.0 sends 2024-04-01.
 * The spec's newest stable versions (2026-08-01, 2026-11-01) no SDK release sends yet: ARM refuses a version while it
 * rolls out (NoRegisteredProviderFound, pulumi/pulumi-azure-nextgen#170), which would fail every `pulumi up`.
 *
 * Backup: 2025-08-01 (specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2025-08-01):
 * Trusted Launch VMs on the Standard policy need 2025-01-01 or later (Microsoft Learn backup-azure-vms-enhanced-policy);
 * 2025-08-01 is the stable version of the same release as the vaults' 2025-08-01, more than a year in service. No
 * Microsoft SDK release sends a newer stable backup version yet (@azure/arm-recoveryservicesbackup 12.0.0, the newest,
 * sends 2023-06-01); the spec's newest is 2026-11-01.
 */
export const RECOVERY_SERVICES_API_VERSION = "2026-07-01";
export const BACKUP_API_VERSION = "2025-08-01";

export interface AzureClients {
  subscriptionId: string;
  settings: AzureSettings;
  credentialKind: CredentialKind;
  /** The credential the clients use; auxiliary tokens for other tenants are asked of it (src/azure/resource-guard.ts). */
  credential: TokenCredential;
  vaults: RecoveryServicesClient;
  backup: RecoveryServicesBackupClient;
  features: FeatureClient;
  compute: ComputeManagementClient;
  /** The SDKs' pipeline for Microsoft.Resources provider registration, which has no client package here. */
  arm: ServiceClient;
}

const cache = new Map<string, AzureClients>();

export function clientsFor(settings: AzureSettings, subscriptionId?: string): AzureClients {
  const subscription = subscriptionFor(settings, subscriptionId);
  const key = [
    subscription,
    settings.cloud.armEndpoint,
    settings.emulator,
    settings.retryDelayMs,
    settings.ca === undefined ? "" : createHash("sha256").update(settings.ca).digest("hex"),
    (settings.auxiliaryTenantIds ?? []).join(","),
  ].join("|");
  let clients = cache.get(key);
  if (clients === undefined) {
    const { credential, kind } = createCredential(settings);
    const scope = `${settings.cloud.armEndpoint}/.default`;
    const common = {
      endpoint: settings.cloud.armEndpoint,
      ...(settings.ca === undefined ? {} : { tlsOptions: { ca: settings.ca } }),
      userAgentOptions: { userAgentPrefix: "pulumi-azure-vm-backup" },
      // The SDKs' own retry policy (Retry-After on 429/503, exponential on 5xx and dropped connections).
      ...(settings.retryDelayMs === undefined
        ? {}
        : { retryOptions: { retryDelayInMs: settings.retryDelayMs, maxRetryDelayInMs: Math.max(settings.retryDelayMs * 8, 1) } }),
    };
    clients = {
      subscriptionId: subscription,
      settings,
      credentialKind: kind,
      credential,
      vaults: new RecoveryServicesClient(credential, subscription, { ...common, apiVersion: RECOVERY_SERVICES_API_VERSION }),
      backup: new RecoveryServicesBackupClient(credential, subscription, { ...common, apiVersion: BACKUP_API_VERSION }),
      features: new FeatureClient(credential, subscription, common),
      // The compute client does not derive its token scope from the endpoint (@azure/arm-compute 24.1.0 sets https://management.azure.com/.default).
      compute: new ComputeManagementClient(credential, subscription, { ...common, credentials: { scopes: [scope] } }),
      arm: new ServiceClient({ ...common, credential, credentialScopes: [scope] }),
    };
    // Sends the policy properties the installed SDK cannot serialise (snapshotConsistencyType): policy-properties.ts.
    addPolicyPropertiesPolicy(clients.backup.pipeline);
    cache.set(key, clients);
  }
  return clients;
}
