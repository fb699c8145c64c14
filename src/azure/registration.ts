/**
 * The subscription's upgrade to VM backup stack V2 (https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md): the `InstantBackupandRecovery` feature on
 * `Microsoft.RecoveryServices`, registered and then verified ("If it says Registered, then your subscription
 * is upgraded"), and the provider re-registered to propagate it (preview-features.md). One-directional.
 */
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { formatResourceProviderId } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError } from "./errors";
import { pollUntilDone } from "./poll";

export const STACK_V2_NAMESPACE = "Microsoft.RecoveryServices";
export const STACK_V2_FEATURE = "InstantBackupandRecovery";

export async function getFeatureState(c: AzureClients, namespace = STACK_V2_NAMESPACE, feature = STACK_V2_FEATURE): Promise<string> {
  const result = await attempt("Reading", `feature ${namespace}/${feature}`, () => c.features.features.get(namespace, feature));
  return result.properties?.state ?? "NotRegistered";
}

/** Registers the feature when needed and waits until Azure says Registered. */
export async function registerFeature(c: AzureClients, timeoutMs: number, namespace = STACK_V2_NAMESPACE, feature = STACK_V2_FEATURE): Promise<string> {
  let state = await getFeatureState(c, namespace, feature);
  if (state.toLowerCase() === "registered") return "Registered";
  if (state.toLowerCase() !== "registering") {
    const registered = await attempt("Registering", `feature ${namespace}/${feature}`, () => c.features.features.register(namespace, feature));
    state = registered.properties?.state ?? "Registering";
  }
  state = await pollUntilDone(
    async () => {
      const current = await getFeatureState(c, namespace, feature);
      return { done: current.toLowerCase() !== "registering" && current.toLowerCase() !== "pending", value: current, headers: {} };
    },
    {
      intervalMs: Math.max(c.settings.pollIntervalMs, c.settings.emulator ? 20 : 30_000),
      timeoutMs,
      operation: "Waiting for the registration of",
      resource: `feature ${namespace}/${feature}`,
    },
  );
  if (state.toLowerCase() !== "registered") {
    throw new AzureOperationError("Registering", `feature ${namespace}/${feature}`, undefined, `Azure reports the feature ${state}, not Registered.`);
  }
  await registerProvider(c, namespace, timeoutMs);
  return "Registered";
}

/** Re-registers a resource provider so that a newly registered feature takes effect, and waits for it. */
export async function registerProvider(c: AzureClients, namespace: string, timeoutMs: number): Promise<string> {
  const base = `${c.settings.cloud.armEndpoint}${formatResourceProviderId(c.subscriptionId, namespace)}`;
  const send = async (method: "GET" | "POST", url: string): Promise<string> => {
    const response = await c.arm.sendRequest(createPipelineRequest({ url, method }));
    const body = !response.bodyAsText ? {} : (JSON.parse(response.bodyAsText) as { registrationState?: string; error?: { code?: string; message?: string } });
    if (response.status >= 400)
      throw new AzureOperationError(
        "Registering",
        `resource provider ${namespace}`,
        body.error?.code,
        body.error?.message ?? `HTTP ${response.status}`,
        response.status,
      );
    return body.registrationState ?? "Unknown";
  };
  const started = await attempt("Registering", `resource provider ${namespace}`, () => send("POST", `${base}/register?api-version=2021-04-01`));
  if (started.toLowerCase() === "registered") return started;
  return pollUntilDone(
    async () => {
      const state = await send("GET", `${base}?api-version=2021-04-01`);
      return { done: state.toLowerCase() !== "registering", value: state, headers: {} };
    },
    {
      intervalMs: Math.max(c.settings.pollIntervalMs, c.settings.emulator ? 20 : 10_000),
      timeoutMs,
      operation: "Waiting for the registration of",
      resource: `resource provider ${namespace}`,
    },
  );
}
