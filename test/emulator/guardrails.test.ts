/**
 * Azure Policy guardrails in the emulator: Deny assignments of the built-in Recovery Services definitions refuse a
 * vault PUT or PATCH with ARM's 403 RequestDisallowedByPolicy (seen through the real SDK's RestError), and
 * checkPolicyRestrictions reports them beforehand. The settings BackupVault does not have yet (publicNetworkAccess,
 * encryption) are sent as raw vault bodies.
 */
import { request } from "node:https";
import type { Vault } from "@azure/arm-recoveryservices";
import { createHttpHeaders, createPipelineRequest, type RestError } from "@azure/core-rest-pipeline";
import type { Emulator } from "../../src/emulator";
import { SUB, VAULT_RG, world, type TestWorld } from "./harness";
import { BARE, COMPLIANT, FOUR_GUARDRAILS, KEY_URI } from "./guardrails-fixture";

function admin(e: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    const req = request(
      new URL(path, e.endpoint),
      { method, ca: e.ca, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
      (res) => {
        let answer = "";
        res.on("data", (d: Buffer) => (answer += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: answer === "" ? {} : (JSON.parse(answer) as Record<string, unknown>) }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

async function refusal(call: Promise<unknown>): Promise<RestError> {
  try {
    await call;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("expected the call to fail");
}

interface Violation {
  type: string;
  info: Record<string, unknown> & { evaluationDetails: { evaluatedExpressions: Array<Record<string, unknown>> } };
}

const bodyOf = (e: RestError) =>
  JSON.parse(e.response!.bodyAsText!) as { error: { code: string; target: string; message: string; additionalInfo: Violation[] } };

describe("emulator: Azure Policy guardrails on vaults", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world({ model: { guardrails: FOUR_GUARDRAILS } });
  });
  afterAll(async () => w.stop());

  const put = (name: string, body: Record<string, unknown>) =>
    w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, name, body as unknown as Vault, { updateIntervalInMs: 1 });

  it("refuses a vault without the settings with 403 RequestDisallowedByPolicy naming every assignment, and creates nothing", async () => {
    const error = await refusal(put("rsv-bare", BARE));
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe("RequestDisallowedByPolicy");
    // The SDK's deserialized error (CloudError) keeps the violations too.
    expect(error.details).toMatchObject({
      error: { code: "RequestDisallowedByPolicy", additionalInfo: expect.arrayContaining([expect.objectContaining({ type: "PolicyViolation" })]) },
    });
    expect(error.message).toMatch(/^Resource 'rsv-bare' was disallowed by policy\. Policy identifiers: '\[.*\]'\.$/);
    const body = bodyOf(error).error;
    expect(body.target).toBe("rsv-bare");
    // The message's identifiers: assignment display name and id, definition display name, id and version.
    const identifiers = JSON.parse(/Policy identifiers: '(.*)'\.$/.exec(body.message)![1]!) as Array<{ policyAssignment: { name: string; id: string } }>;
    expect(identifiers.map((i) => i.policyAssignment.id)).toEqual(
      FOUR_GUARDRAILS.map((a) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/${a.name}`),
    );
    expect(body.additionalInfo.map((a) => a.type)).toEqual(["PolicyViolation", "PolicyViolation", "PolicyViolation", "PolicyViolation"]);
    const [network, cmk, immutability, redundancy] = body.additionalInfo.map((a) => a.info);
    expect(network).toMatchObject({
      policyDefinitionId: "/providers/Microsoft.Authorization/policyDefinitions/9ebbbba3-4d65-4da9-bb67-b22cfaaff090",
      policyDefinitionName: "9ebbbba3-4d65-4da9-bb67-b22cfaaff090",
      policyDefinitionDisplayName: "[Preview]: Azure Recovery Services vaults should disable public network access",
      policyDefinitionEffect: "deny",
      policyAssignmentName: "deny-rsv-public-network",
      policyAssignmentDisplayName: "Vaults: no public network access",
      policyAssignmentScope: `/subscriptions/${SUB}`,
      policyAssignmentParameters: { effect: { value: "Deny" } },
      policyExemptionIds: [],
    });
    // The absent publicNetworkAccess is "not Disabled": the alias, its path, no value, and the target.
    expect(network!.evaluationDetails.evaluatedExpressions).toEqual([
      expect.objectContaining({ expression: "type", result: "True", operator: "Equals" }),
      {
        result: "True",
        expressionKind: "Field",
        expression: "Microsoft.RecoveryServices/vaults/publicNetworkAccess",
        path: "properties.publicNetworkAccess",
        targetValue: "Disabled",
        operator: "NotEquals",
      },
    ]);
    expect(cmk!.policyDefinitionId).toBe("/providers/Microsoft.Authorization/policyDefinitions/2e94d99a-8a36-4563-bc77-810d8893b671");
    // The immutability guardrail is a custom copy at the subscription (the built-in only audits).
    expect(immutability).toMatchObject({
      policyDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/rsv-immutability-deny`,
      policyAssignmentParameters: { effect: { value: "Deny" }, checkLockedImmutabilityOnly: { value: false } },
    });
    expect(redundancy!.evaluationDetails.evaluatedExpressions[1]).toMatchObject({
      expression: "Microsoft.RecoveryServices/vaults/redundancySettings.standardTierStorageRedundancy",
      expressionValue: "GeoRedundant",
      targetValue: "GeoRedundant",
      operator: "Equals",
    });
    expect((await refusal(w.vaults.vaults.get(VAULT_RG, "rsv-bare"))).statusCode).toBe(404);
  });

  it("creates a vault that satisfies the four guardrails", async () => {
    const vault = await put("rsv-governed", COMPLIANT);
    expect(vault.properties?.publicNetworkAccess).toBe("Disabled");
    expect(vault.properties?.redundancySettings?.standardTierStorageRedundancy).toBe("LocallyRedundant");
  });

  it("names only the guardrails a vault breaks", async () => {
    const open = { ...COMPLIANT, properties: { ...(COMPLIANT.properties as object), publicNetworkAccess: "Enabled" } };
    const body = bodyOf(await refusal(put("rsv-open", open))).error;
    expect(body.additionalInfo.map((a) => a.info.policyAssignmentName)).toEqual(["deny-rsv-public-network"]);
  });

  it("refuses a PATCH that would leave the vault breaking a guardrail, and applies one that keeps it compliant", async () => {
    const error = await refusal(
      w.vaults.vaults.beginUpdateAndWait(VAULT_RG, "rsv-governed", { properties: { publicNetworkAccess: "Enabled" } }, { updateIntervalInMs: 1 }),
    );
    expect([error.statusCode, error.code]).toEqual([403, "RequestDisallowedByPolicy"]);
    // Judged on the whole vault the PATCH leaves: its customer-managed key, immutability and redundancy comply.
    expect(bodyOf(error).error.additionalInfo.map((a) => a.info.policyAssignmentName)).toEqual(["deny-rsv-public-network"]);
    const locked = await w.vaults.vaults.beginUpdateAndWait(
      VAULT_RG,
      "rsv-governed",
      { properties: { securitySettings: { immutabilitySettings: { state: "Locked" } } } },
      { updateIntervalInMs: 1 },
    );
    expect(locked.properties?.securitySettings?.immutabilitySettings?.state).toBe("Locked");
  });

  it("checkPolicyRestrictions reports the Deny assignments a planned vault breaks, and none for a compliant one", async () => {
    const check = async (content: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const response = await w.raw.sendRequest(
        createPipelineRequest({
          url: `${w.emulator.endpoint}/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions?api-version=2024-10-01`,
          method: "POST",
          headers: createHttpHeaders({ "content-type": "application/json" }),
          body: JSON.stringify({ resourceDetails: { resourceContent: content, apiVersion: "2024-04-01" }, ...extra }),
        }),
      );
      expect(response.status).toBe(200);
      return JSON.parse(response.bodyAsText!) as {
        fieldRestrictions: unknown[];
        contentEvaluationResult: {
          policyEvaluations: Array<{ policyInfo: Record<string, string>; evaluationResult: string; effectDetails: { policyEffect: string } }>;
        };
      };
    };
    const bare = await check({ type: "Microsoft.RecoveryServices/vaults", ...BARE });
    expect(bare.fieldRestrictions).toEqual([]);
    expect(
      bare.contentEvaluationResult.policyEvaluations.map((e) => [
        e.policyInfo.policyAssignmentId.split("/").pop(),
        e.evaluationResult,
        e.effectDetails.policyEffect,
      ]),
    ).toEqual(FOUR_GUARDRAILS.map((a) => [a.name, "NonCompliant", "Deny"]));
    expect((await check({ type: "Microsoft.RecoveryServices/vaults", ...COMPLIANT })).contentEvaluationResult.policyEvaluations).toEqual([]);
    // A content without the resource type matches no vault rule.
    expect((await check(BARE)).contentEvaluationResult.policyEvaluations).toEqual([]);
  });

  it("audit assignments deny nothing; checkPolicyRestrictions lists them only when asked", async () => {
    w.emulator.model.guardrails = [{ name: "audit-zrs", definition: "zoneRedundant" }];
    try {
      await put("rsv-audited", BARE);
      const response = await w.raw.sendRequest(
        createPipelineRequest({
          url: `${w.emulator.endpoint}/subscriptions/${SUB}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions?api-version=2024-10-01`,
          method: "POST",
          headers: createHttpHeaders({ "content-type": "application/json" }),
          body: JSON.stringify({ resourceDetails: { resourceContent: { type: "Microsoft.RecoveryServices/vaults", ...BARE } }, includeAuditEffect: true }),
        }),
      );
      const evaluations = (
        JSON.parse(response.bodyAsText!) as { contentEvaluationResult: { policyEvaluations: Array<{ effectDetails: { policyEffect: string } }> } }
      ).contentEvaluationResult.policyEvaluations;
      expect(evaluations.map((e) => e.effectDetails.policyEffect)).toEqual(["Audit"]);
    } finally {
      w.emulator.model.guardrails = FOUR_GUARDRAILS;
    }
  });

  it("an assignment at a resource group guards that resource group only", async () => {
    w.emulator.model.guardrails = [
      { name: "deny-cmk-rg", definition: "customerManagedKey", effect: "Deny", scope: `/subscriptions/${SUB}/resourceGroups/rg-governed` },
    ];
    try {
      await put("rsv-elsewhere", BARE);
      const error = await refusal(
        w.vaults.vaults.beginCreateOrUpdateAndWait("rg-governed", "rsv-governed-rg", BARE as unknown as Vault, { updateIntervalInMs: 1 }),
      );
      expect(bodyOf(error).error.additionalInfo[0]!.info.policyAssignmentId).toBe(
        `/subscriptions/${SUB}/resourceGroups/rg-governed/providers/Microsoft.Authorization/policyAssignments/deny-cmk-rg`,
      );
    } finally {
      w.emulator.model.guardrails = FOUR_GUARDRAILS;
    }
  });

  it("CMK with enableDoubleEncryption also asks for infrastructure encryption", async () => {
    w.emulator.model.guardrails = [{ name: "deny-cmk-double", definition: "customerManagedKey", effect: "Deny", parameters: { enableDoubleEncryption: true } }];
    try {
      const single = { ...BARE, properties: { ...(BARE.properties as object), encryption: { keyVaultProperties: { keyUri: KEY_URI } } } };
      const body = bodyOf(await refusal(put("rsv-single", single))).error;
      expect(body.additionalInfo[0]!.info.evaluationDetails.evaluatedExpressions.map((e) => [e.expression, e.result])).toEqual([
        ["type", "True"],
        ["Microsoft.RecoveryServices/vaults/encryption.keyVaultProperties.keyUri", "False"],
        ["[parameters('enableDoubleEncryption')]", "True"],
        ["Microsoft.RecoveryServices/vaults/encryption.infrastructureEncryption", "True"],
      ]);
    } finally {
      w.emulator.model.guardrails = FOUR_GUARDRAILS;
    }
  });

  it("the control API sets, lists and clears assignments, refusing a value the definition does not allow as ARM does", async () => {
    const e = w.emulator;
    const refused = await admin(e, "POST", "/_emulator/guardrails", [{ name: "deny-immutability", definition: "immutability", effect: "Deny" }]);
    expect(refused).toEqual({
      status: 400,
      body: {
        error: {
          code: "PolicyParameterValueNotAllowed",
          message:
            "The value 'Deny' is not allowed for policy parameter 'effect' in policy definition 'd6f6f560-14b7-49a4-9fc8-d2c3a9807868 version 1.0.1-preview'. The allowed values are 'Audit, Disabled'.",
        },
      },
    });
    expect(
      (await admin(e, "POST", "/_emulator/guardrails", [{ name: "x", definition: "redundancy", parameters: { BackupStorageRedundancy: "Cold" } }])).status,
    ).toBe(400);
    expect((await admin(e, "POST", "/_emulator/guardrails", [{ name: "x", definition: "no-such" }])).body).toMatchObject({
      error: { code: "PolicyDefinitionNotFound" },
    });
    expect((await admin(e, "POST", "/_emulator/guardrails", FOUR_GUARDRAILS)).status).toBe(200);
    expect(((await admin(e, "GET", "/_emulator/guardrails")).body.assignments as unknown[]).length).toBe(4);
    expect((await admin(e, "DELETE", "/_emulator/guardrails")).status).toBe(204);
    await put("rsv-free", BARE);
    e.model.guardrails = FOUR_GUARDRAILS;
  });
});
