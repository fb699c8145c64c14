/** Reading Azure Policy's refusals: a 403 RequestDisallowedByPolicy body, its message alone, and a checkPolicyRestrictions answer. */
import { policyViolationsFromBody, policyViolationsFromRestrictions, policyViolationsOf } from "../../src/azure";

const ASSIGNMENT = "/subscriptions/s/providers/Microsoft.Authorization/policyAssignments/a1";
const DEFINITION = "/providers/Microsoft.Authorization/policyDefinitions/9ebbbba3-4d65-4da9-bb67-b22cfaaff090";
const MESSAGE = `Resource 'rsv' was disallowed by policy. Policy identifiers: '[{"policyAssignment":{"name":"No public vaults","id":"${ASSIGNMENT}"},"policyDefinition":{"name":"Vaults should disable public network access","id":"${DEFINITION}","version":"1.0.0-preview"}}]'.`;

describe("policy violations", () => {
  it("reads additionalInfo PolicyViolation entries, with parameters and evaluated expressions", () => {
    const body = {
      error: {
        code: "RequestDisallowedByPolicy",
        target: "rsv",
        message: MESSAGE,
        additionalInfo: [
          { type: "SomethingElse", info: {} },
          {
            type: "PolicyViolation",
            info: {
              evaluationDetails: {
                evaluatedExpressions: [
                  {
                    result: "True",
                    expressionKind: "Field",
                    expression: "Microsoft.RecoveryServices/vaults/publicNetworkAccess",
                    targetValue: "Disabled",
                    operator: "NotEquals",
                  },
                ],
              },
              policyDefinitionId: DEFINITION,
              policyDefinitionDisplayName: "Vaults should disable public network access",
              policyDefinitionEffect: "deny",
              policyAssignmentId: ASSIGNMENT,
              policyAssignmentName: "a1",
              policyAssignmentDisplayName: "No public vaults",
              policyAssignmentParameters: { effect: { value: "Deny" } },
            },
          },
        ],
      },
    };
    expect(policyViolationsFromBody(body)).toEqual([
      {
        policyDefinitionId: DEFINITION,
        policyDefinitionDisplayName: "Vaults should disable public network access",
        policyAssignmentId: ASSIGNMENT,
        policyAssignmentName: "a1",
        policyAssignmentDisplayName: "No public vaults",
        effect: "deny",
        parameters: { effect: "Deny" },
        expressions: [
          { expression: "Microsoft.RecoveryServices/vaults/publicNetworkAccess", kind: "Field", operator: "NotEquals", target: "Disabled", result: "True" },
        ],
      },
    ]);
  });

  it("falls back to the message's policy identifiers, and ignores other errors", () => {
    const fromMessage = [
      {
        policyDefinitionId: DEFINITION,
        policyDefinitionDisplayName: "Vaults should disable public network access",
        policyAssignmentId: ASSIGNMENT,
        policyAssignmentDisplayName: "No public vaults",
        expressions: [],
      },
    ];
    expect(policyViolationsFromBody({ error: { code: "RequestDisallowedByPolicy", message: MESSAGE } })).toEqual(fromMessage);
    expect(policyViolationsOf({ code: "RequestDisallowedByPolicy", message: MESSAGE })).toEqual(fromMessage);
    expect(policyViolationsOf({ code: "AuthorizationFailed", message: MESSAGE })).toBeUndefined();
    expect(policyViolationsFromBody({ error: { code: "BadRequest", message: "x" } })).toBeUndefined();
  });

  it("keeps the Deny evaluations of a checkPolicyRestrictions answer", () => {
    const answer = {
      fieldRestrictions: [],
      contentEvaluationResult: {
        policyEvaluations: [
          {
            policyInfo: { policyDefinitionId: DEFINITION, policyAssignmentId: ASSIGNMENT },
            evaluationResult: "NonCompliant",
            effectDetails: { policyEffect: "Deny" },
          },
          {
            policyInfo: { policyDefinitionId: DEFINITION, policyAssignmentId: `${ASSIGNMENT}-audit` },
            evaluationResult: "NonCompliant",
            effectDetails: { policyEffect: "Audit" },
          },
        ],
      },
    };
    expect(policyViolationsFromRestrictions(answer)).toEqual([
      { policyDefinitionId: DEFINITION, policyAssignmentId: ASSIGNMENT, effect: "Deny", expressions: [] },
    ]);
    expect(policyViolationsFromRestrictions({})).toEqual([]);
  });
});
