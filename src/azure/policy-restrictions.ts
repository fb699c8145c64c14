/**
 * Asks Azure Policy, before anything is created, whether a planned vault would be denied:
 * `POST {scope}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions` (api-version 2024-10-01, the newest stable
 * version of specification/policyinsights/resource-manager/Microsoft.PolicyInsights/stable/2024-10-01/checkPolicyRestrictions.json;
 * PolicyRestrictions_CheckAtResourceGroupScope) with the vault's PUT body as `resourceDetails.resourceContent`: its
 * `contentEvaluationResult.policyEvaluations` lists the Deny assignments the content breaks.
 *
 * The call needs Microsoft.PolicyInsights/checkPolicyRestrictions/action at the scope; an identity without it is
 * answered 403 AuthorizationFailed. Any failure is returned as "not checked" with its reason, never thrown: the
 * preview then says it could not check, and the deployment's own 403 still names the assignment.
 */
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { formatPolicyRestrictionsCheckId } from "../rules";
import type { AzureClients } from "./clients";
import type { VaultRef } from "./ids";
import { policyViolationsFromRestrictions, type PolicyViolation } from "./policy-violations";

export const POLICY_INSIGHTS_API_VERSION = "2024-10-01";

/** The vault API version whose body shape the content has (the aliases map it). */
const VAULT_CONTENT_API_VERSION = "2024-04-01";

export type RestrictionsCheck = { checked: true; violations: PolicyViolation[] } | { checked: false; reason: string };

/** Checks a planned vault PUT body against the Deny assignments at the vault's resource group. */
export async function checkVaultRestrictions(c: AzureClients, ref: VaultRef, body: object): Promise<RestrictionsCheck> {
  const url = `${c.settings.cloud.armEndpoint}${formatPolicyRestrictionsCheckId(ref.subscriptionId, ref.resourceGroupName)}?api-version=${POLICY_INSIGHTS_API_VERSION}`;
  const content = { ...body, type: "Microsoft.RecoveryServices/vaults", name: ref.vaultName };
  try {
    const response = await c.arm.sendRequest(
      createPipelineRequest({
        url,
        method: "POST",
        headers: createHttpHeaders({ "content-type": "application/json" }),
        body: JSON.stringify({ resourceDetails: { resourceContent: content, apiVersion: VAULT_CONTENT_API_VERSION } }),
      }),
    );
    const parsed = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined;
    if (response.status >= 400) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      return { checked: false, reason: `${error?.code ?? `HTTP ${response.status}`}: ${error?.message ?? "checkPolicyRestrictions failed."}` };
    }
    return { checked: true, violations: policyViolationsFromRestrictions(parsed) };
  } catch (error) {
    return { checked: false, reason: (error as Error).message ?? String(error) };
  }
}
