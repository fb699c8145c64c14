/**
 * Azure Policy at the ARM front door for vaults: a vault PUT or PATCH that an assignment with effect Deny matches
 * (model/guardrails.ts) is refused before the resource provider sees it, and `checkPolicyRestrictions` tells a client
 * beforehand what would be refused.
 *
 * The refusal: "deny prevents the request before being sent to the Resource Provider. The request is returned as a
 * 403 (Forbidden)" (Microsoft Learn, "Azure Policy definitions deny effect",
 * https://learn.microsoft.com/azure/governance/policy/concepts/effect-deny), with error code RequestDisallowedByPolicy,
 * target the resource's name and the message "Resource '{name}' was disallowed by policy. Policy identifiers:
 * '[{"policyAssignment":{"name","id"},"policyDefinition":{"name","id","version"}}]'." (Microsoft Learn, "Resolve errors
 * for request disallowed by policy", https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-policy-requestdisallowedbypolicy;
 * microsoft/vscode-apimanagement#348), and one `additionalInfo` entry of type PolicyViolation per assignment whose
 * `info` carries evaluationDetails.evaluatedExpressions, policyDefinitionId/Name/DisplayName/Version,
 * policyDefinitionEffect ("deny"), policyAssignmentId/Name/DisplayName/Scope/Parameters, policyExemptionIds and
 * policyEnrollmentIds, as 403 bodies quoted in public repositories show them (a storage account denied by a custom
 * definition; a scale set denied by two assignments).
 *
 * What is evaluated: a PUT's request content (Azure Policy evaluates the payload a PUT or PATCH sends: Microsoft Tech
 * Community, "Trigger Condition and Evaluation Workflow of Azure Policy", 2022); for a PATCH the emulator evaluates the
 * vault the PATCH would leave (the stored vault with the PATCH's properties merged in), since a PATCH body holds only
 * the properties it changes. emulator: this is the emulator's reading; no public page states how ARM completes a PATCH.
 *
 * checkPolicyRestrictions (Microsoft.PolicyInsights, specification/policyinsights/resource-manager/Microsoft.PolicyInsights/
 * stable/2024-10-01/checkPolicyRestrictions.json and its PolicyRestrictions_CheckAtResourceGroupScope.json example):
 * POST at subscription or resource group scope with `resourceDetails.resourceContent`; answers `fieldRestrictions`
 * and `contentEvaluationResult.policyEvaluations` (policyInfo, evaluationResult "NonCompliant", evaluationDetails,
 * effectDetails.policyEffect), Audit assignments only with `includeAuditEffect`. emulator: pendingFields are not
 * evaluated, so fieldRestrictions is always empty.
 */
import { ArmError, badRequest, ok, prop, type EmulatorRequest } from "../http";
import { evaluateGuardrails, type GuardrailMatch } from "../model/guardrails";
import type { Model } from "../model";
import type { VaultRecord } from "../state";
import { renderVault, VAULT_TYPE } from "./render";
import type { Services } from "./services";

interface PolicyViolationBody {
  error: { code: string; target: string; message: string; additionalInfo: Array<{ type: "PolicyViolation"; info: Record<string, unknown> }> };
}

/** ARM's 403 RequestDisallowedByPolicy. */
export class PolicyDenied extends ArmError {
  constructor(
    readonly resourceName: string,
    readonly matches: readonly GuardrailMatch[],
  ) {
    super(403, "RequestDisallowedByPolicy", denialMessage(resourceName, matches));
  }

  override toBody(): PolicyViolationBody {
    return {
      error: {
        code: this.code,
        target: this.resourceName,
        message: this.message,
        additionalInfo: this.matches.map((m) => ({ type: "PolicyViolation", info: violationInfo(m) })),
      },
    };
  }
}

const assignmentDisplayName = (m: GuardrailMatch) => m.assignment.displayName ?? m.assignment.name;
const definitionName = (m: GuardrailMatch) => m.assignment.customDefinitionName ?? m.definition.name;

function denialMessage(resourceName: string, matches: readonly GuardrailMatch[]): string {
  const identifiers = matches.map((m) => ({
    policyAssignment: { name: assignmentDisplayName(m), id: m.assignmentId },
    policyDefinition: { name: m.definition.displayName, id: m.definitionId, version: m.definition.version },
  }));
  return `Resource '${resourceName}' was disallowed by policy. Policy identifiers: '${JSON.stringify(identifiers)}'.`;
}

/** The assignment's parameters as ARM stores them (`{ name: { value } }`), effect included. */
function assignmentParameters(m: GuardrailMatch): Record<string, { value: unknown }> {
  const parameters: Record<string, { value: unknown }> = { effect: { value: m.effect } };
  for (const [key, value] of Object.entries(m.assignment.parameters ?? {})) parameters[key] = { value };
  return parameters;
}

function violationInfo(m: GuardrailMatch): Record<string, unknown> {
  return {
    evaluationDetails: { evaluatedExpressions: m.evaluatedExpressions },
    policyDefinitionId: m.definitionId,
    policyDefinitionName: definitionName(m),
    policyDefinitionDisplayName: m.definition.displayName,
    policyDefinitionVersion: m.definition.version,
    policyDefinitionEffect: m.effect.toLowerCase(),
    policyAssignmentId: m.assignmentId,
    policyAssignmentName: m.assignment.name,
    policyAssignmentDisplayName: assignmentDisplayName(m),
    policyAssignmentScope: m.scope,
    policyAssignmentParameters: assignmentParameters(m),
    policyExemptionIds: [],
    policyEnrollmentIds: [],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `patch` merged into `base`, objects recursively (what a PATCH of a vault leaves). */
function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

/**
 * Refuses a vault PUT (`existing` undefined or not) or PATCH (`existing` set, `patch` true) that a Deny assignment
 * matches. Called by the vault handlers before anything else of the request is looked at.
 */
export function enforceVaultGuardrails(model: Model, r: EmulatorRequest, existing: VaultRecord | undefined, patch: boolean): void {
  if (model.guardrails.length === 0) return;
  const { subscriptionId, resourceGroupName, vaultName } = r.params as Record<string, string>;
  const request = isObject(r.body) ? r.body : {};
  const content =
    patch && existing !== undefined
      ? merge(renderVault(existing), request)
      : {
          ...request,
          type: VAULT_TYPE,
          name: vaultName,
          id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${VAULT_TYPE}/${vaultName}`,
        };
  const matches = evaluateGuardrails(model.guardrails, content, { subscriptionId, resourceGroup: resourceGroupName });
  if (matches.length > 0) throw new PolicyDenied(vaultName, matches);
}

export function registerPolicyRestrictions(s: Services): void {
  const { router, model } = s;
  const check = (r: EmulatorRequest) => {
    const content = prop(r.body, "resourceDetails", "resourceContent");
    // emulator: the service's code for a request without resource content is not established.
    if (!isObject(content))
      throw badRequest("InvalidCheckRestrictionsRequest", "resourceDetails.resourceContent is required: the resource's content as it will be sent.");
    const includeAudit = prop(r.body, "includeAuditEffect") === true;
    const matches = evaluateGuardrails(
      model.guardrails,
      content,
      { subscriptionId: r.params.subscriptionId!, ...(r.params.resourceGroupName === undefined ? {} : { resourceGroup: r.params.resourceGroupName }) },
      includeAudit,
    );
    return ok({
      fieldRestrictions: [],
      contentEvaluationResult: {
        policyEvaluations: matches.map((m) => ({
          policyInfo: { policyDefinitionId: m.definitionId, policyAssignmentId: m.assignmentId },
          evaluationResult: "NonCompliant",
          evaluationDetails: { evaluatedExpressions: m.evaluatedExpressions },
          effectDetails: { policyEffect: m.effect },
        })),
      },
    });
  };
  router.add("POST", "/subscriptions/{subscriptionId}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions", check);
  router.add("POST", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions", check);
}
