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
import { ServiceClient } from "@azure/core-client";
import { createCredential, type CredentialKind } from "./credentials";
import { subscriptionFor, type AzureSettings } from "./settings";

export interface AzureClients {
  subscriptionId: string;
  settings: AzureSettings;
  credentialKind: CredentialKind;
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
      vaults: new RecoveryServicesClient(credential, subscription, common),
      backup: new RecoveryServicesBackupClient(credential, subscription, common),
      features: new FeatureClient(credential, subscription, common),
      // The compute client does not derive its token scope from the endpoint (@azure/arm-compute 24.1.0 sets https://management.azure.com/.default).
      compute: new ComputeManagementClient(credential, subscription, { ...common, credentials: { scopes: [scope] } }),
      arm: new ServiceClient({ ...common, credential, credentialScopes: [scope] }),
    };
    cache.set(key, clients);
  }
  return clients;
}
