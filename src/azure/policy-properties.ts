/**
 * Policy properties the installed SDK cannot send.
 *
 * The backup API's `AzureIaaSVMProtectionPolicy` has `snapshotConsistencyType` ("OnlyCrashConsistent") since REST
 * API 2024 (bms.json 2025-08-01, the version this package calls: Azure/azure-rest-api-specs
 * specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2025-08-01/bms.json), but
 * @azure/arm-recoveryservicesbackup 12.0.0, the newest release, does not model it: its serializer writes only the
 * properties its mapper knows, so a PUT given `snapshotConsistencyType` goes out without it (responses keep it:
 * unknown fields stay in the parsed body, which `fromArmPolicy` reads).
 *
 * So the caller hands such properties to the request in a header of its own, and one pipeline policy on the
 * backup client, placed after serialization, moves them into the JSON body's `properties` and removes the header.
 * It touches only PUTs of a backup policy (`.../backupPolicies/{name}`) that carry the header; nothing else passes
 * through it changed, and the header never leaves the process. When a release of the SDK models the property,
 * `toArmPolicy` can put it in the body and this file can go.
 */
import type { OperationOptions } from "@azure/core-client";
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";

type Pipeline = RecoveryServicesBackupClient["pipeline"];
type PipelinePolicy = Parameters<Pipeline["addPolicy"]>[0];

/** The in-process header that carries the properties; removed before the request is sent. */
export const POLICY_PROPERTIES_HEADER = "x-azure-vm-backup-policy-properties";
export const POLICY_PROPERTIES_POLICY_NAME = "azureVmBackupPolicyProperties";

const POLICY_PATH = /\/vaults\/[^/]+\/backupPolicies\/[^/]+$/i;

/** The pipeline policy: adds the header's properties to a policy PUT's body. */
export function policyPropertiesPolicy(): PipelinePolicy {
  return {
    name: POLICY_PROPERTIES_POLICY_NAME,
    async sendRequest(request, next) {
      const extra = request.headers.get(POLICY_PROPERTIES_HEADER);
      if (extra === undefined) return next(request);
      request.headers.delete(POLICY_PROPERTIES_HEADER);
      if (request.method === "PUT" && POLICY_PATH.test(new URL(request.url).pathname) && typeof request.body === "string") {
        const body = JSON.parse(request.body) as { properties?: Record<string, unknown> };
        body.properties = { ...(body.properties ?? {}), ...(JSON.parse(extra) as Record<string, unknown>) };
        request.body = JSON.stringify(body);
      }
      return next(request);
    },
  };
}

/** Adds the policy to a backup client once (after serialization, so that the body is the JSON text to send). */
export function addPolicyPropertiesPolicy(pipeline: Pipeline): void {
  if (pipeline.getOrderedPolicies().some((p) => p.name === POLICY_PROPERTIES_POLICY_NAME)) return;
  pipeline.addPolicy(policyPropertiesPolicy(), { afterPhase: "Serialize" });
}

/** Operation options that send `properties` in a policy PUT's body (nothing when there are none). */
export function withPolicyProperties(options: OperationOptions, properties: Record<string, unknown>): OperationOptions {
  if (Object.keys(properties).length === 0) return options;
  return {
    ...options,
    requestOptions: {
      ...options.requestOptions,
      customHeaders: { ...options.requestOptions?.customHeaders, [POLICY_PROPERTIES_HEADER]: JSON.stringify(properties) },
    },
  };
}
