/**
 * Azure Policy's refusals in a form the rules can read: the assignments (and their definitions) that denied a
 * request, and the fields their evaluation looked at.
 *
 * Two sources give them:
 * - ARM's 403 `RequestDisallowedByPolicy` answer to a PUT or PATCH: `error.additionalInfo[]` entries of type
 *   `PolicyViolation`, whose `info` names policyDefinitionId, policyDefinitionDisplayName, policyAssignmentId,
 *   policyAssignmentName, policyAssignmentDisplayName, policyAssignmentParameters and evaluationDetails.evaluatedExpressions
 *   (Microsoft Learn, "Resolve errors for request disallowed by policy",
 *   https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-policy-requestdisallowedbypolicy;
 *   403 bodies quoted in public repositories). Older answers carry only the message's "Policy identifiers" list,
 *   which is read when additionalInfo is missing.
 * - Microsoft.PolicyInsights checkPolicyRestrictions: `contentEvaluationResult.policyEvaluations[]` (policyInfo,
 *   evaluationDetails, effectDetails) (specification/policyinsights/.../stable/2024-10-01/checkPolicyRestrictions.json).
 */

/** One expression of a policy rule as Azure evaluated it. */
export interface PolicyExpression {
  /** The alias or field (`Microsoft.RecoveryServices/vaults/publicNetworkAccess`), or a parameter expression. */
  expression: string;
  kind?: string;
  operator?: string;
  /** What the rule compared with (a parameter's value resolved). */
  target?: unknown;
  /** The resource's value, when it had one. */
  value?: unknown;
  result?: string;
}

export interface PolicyViolation {
  policyDefinitionId: string;
  policyDefinitionDisplayName?: string;
  policyAssignmentId: string;
  policyAssignmentName?: string;
  policyAssignmentDisplayName?: string;
  effect?: string;
  /** The assignment's parameter values, when Azure reported them. */
  parameters?: Record<string, unknown>;
  expressions: PolicyExpression[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function expressionsOf(details: unknown): PolicyExpression[] {
  const list = isObject(details) ? details.evaluatedExpressions : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((e) => ({
    expression: String(e.expression ?? ""),
    ...(text(e.expressionKind) === undefined ? {} : { kind: String(e.expressionKind) }),
    ...(text(e.operator) === undefined ? {} : { operator: String(e.operator) }),
    ...("targetValue" in e ? { target: e.targetValue } : {}),
    ...("expressionValue" in e ? { value: e.expressionValue } : {}),
    ...(text(e.result) === undefined ? {} : { result: String(e.result) }),
  }));
}

function parametersOf(value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isObject(v) && "value" in v ? v.value : v;
  return out;
}

/** The violations of an ARM error body (`{ error: { code: "RequestDisallowedByPolicy", ... } }`, or its inner `error`). */
export function policyViolationsFromBody(body: unknown): PolicyViolation[] | undefined {
  const error = isObject(body) && isObject(body.error) ? body.error : body;
  if (!isObject(error) || error.code !== "RequestDisallowedByPolicy") return undefined;
  const infos = Array.isArray(error.additionalInfo)
    ? error.additionalInfo
        .filter((a) => isObject(a) && a.type === "PolicyViolation" && isObject(a.info))
        .map((a) => (a as { info: Record<string, unknown> }).info)
    : [];
  const violations: PolicyViolation[] = infos
    .filter((info) => text(info.policyDefinitionId) !== undefined && text(info.policyAssignmentId) !== undefined)
    .map((info) => {
      const parameters = parametersOf(info.policyAssignmentParameters);
      return {
        policyDefinitionId: String(info.policyDefinitionId),
        ...(text(info.policyDefinitionDisplayName) === undefined ? {} : { policyDefinitionDisplayName: String(info.policyDefinitionDisplayName) }),
        policyAssignmentId: String(info.policyAssignmentId),
        ...(text(info.policyAssignmentName) === undefined ? {} : { policyAssignmentName: String(info.policyAssignmentName) }),
        ...(text(info.policyAssignmentDisplayName) === undefined ? {} : { policyAssignmentDisplayName: String(info.policyAssignmentDisplayName) }),
        ...(text(info.policyDefinitionEffect) === undefined ? {} : { effect: String(info.policyDefinitionEffect) }),
        ...(parameters === undefined ? {} : { parameters }),
        expressions: expressionsOf(info.evaluationDetails),
      };
    });
  if (violations.length > 0) return violations;
  return identifiersOf(typeof error.message === "string" ? error.message : "");
}

/** The message's "Policy identifiers: '[...]'" list: assignment and definition ids and names only. */
function identifiersOf(message: string): PolicyViolation[] {
  const match = /Policy identifiers: '(\[.*\])'/s.exec(message);
  if (match === null) return [];
  let list: unknown;
  try {
    list = JSON.parse(match[1]!);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).flatMap((entry) => {
    const assignment = isObject(entry.policyAssignment) ? entry.policyAssignment : {};
    const definition = isObject(entry.policyDefinition) ? entry.policyDefinition : {};
    if (text(assignment.id) === undefined || text(definition.id) === undefined) return [];
    return [
      {
        policyDefinitionId: String(definition.id),
        ...(text(definition.name) === undefined ? {} : { policyDefinitionDisplayName: String(definition.name) }),
        policyAssignmentId: String(assignment.id),
        ...(text(assignment.name) === undefined ? {} : { policyAssignmentDisplayName: String(assignment.name) }),
        expressions: [],
      },
    ];
  });
}

/** The violations an SDK error (a RestError with the raw response) carries, when it is a RequestDisallowedByPolicy. */
export function policyViolationsOf(error: unknown): PolicyViolation[] | undefined {
  if (!isObject(error) || error.code !== "RequestDisallowedByPolicy") return undefined;
  const response = isObject(error.response) ? error.response : undefined;
  const raw = response !== undefined && typeof response.bodyAsText === "string" ? response.bodyAsText : undefined;
  if (raw !== undefined) {
    try {
      const found = policyViolationsFromBody(JSON.parse(raw) as unknown);
      if (found !== undefined) return found;
    } catch {
      // Not JSON: fall back to the message.
    }
  }
  return identifiersOf(typeof error.message === "string" ? error.message : "");
}

/** The violations of a checkPolicyRestrictions answer with effect Deny. */
export function policyViolationsFromRestrictions(result: unknown): PolicyViolation[] {
  const evaluations = isObject(result) && isObject(result.contentEvaluationResult) ? result.contentEvaluationResult.policyEvaluations : undefined;
  if (!Array.isArray(evaluations)) return [];
  return evaluations.filter(isObject).flatMap((e) => {
    const info = isObject(e.policyInfo) ? e.policyInfo : {};
    const effect = isObject(e.effectDetails) ? text(e.effectDetails.policyEffect) : undefined;
    if (text(info.policyDefinitionId) === undefined || text(info.policyAssignmentId) === undefined) return [];
    if (effect !== undefined && effect.toLowerCase() !== "deny") return [];
    return [
      {
        policyDefinitionId: String(info.policyDefinitionId),
        policyAssignmentId: String(info.policyAssignmentId),
        ...(effect === undefined ? {} : { effect }),
        expressions: expressionsOf(e.evaluationDetails),
      },
    ];
  });
}
