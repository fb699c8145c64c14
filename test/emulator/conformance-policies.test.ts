/**
 * Conformance of the emulator's backup policy operations (api 2023-06-01) with Microsoft's examples
 * (test/fixtures/arm) and reference/ARM-API.md §4.4, driven through the real SDK clients.
 */
import type { ProtectionPolicyResource } from "@azure/arm-recoveryservicesbackup";
import { createVault, dailyPolicyBody, protect, SUB, VAULT_RG, world, type TestWorld } from "./harness";
import { decodedPath, expectOperationHeaders, expectShape, fixture, fixtureResponse, recorder } from "./conformance-helpers";

const VAULT = "rsv-policies";
const policyPath = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}/backupPolicies/${name}`;

/** The request of ProtectionPolicies_CreateOrUpdate_Simple.json. */
function simplePolicyRequest(): { properties: { retentionPolicy: { dailySchedule: { retentionDuration: { count: number } } } } } {
  return fixture("policy-create-simple").parameters.parameters as never;
}

/**
 * The simple example keeps daily points for 1 day, which Azure no longer accepts (daily retention is 7 to
 * 9,999 days, reference/LIMITS.md "Retention ranges"): the tests send it with 7 days and otherwise unchanged.
 */
function simplePolicyToday(): ProtectionPolicyResource {
  const body = simplePolicyRequest();
  body.properties.retentionPolicy.dailySchedule.retentionDuration.count = 7;
  return body as ProtectionPolicyResource;
}

describe("conformance: backup policies", () => {
  let w: TestWorld;
  let origin: string;
  beforeAll(async () => {
    w = await world();
    origin = w.emulator.endpoint;
    await createVault(w, VAULT);
  });
  afterAll(async () => w.stop());

  it("PUT of a new policy answers 200 synchronously, with the structure and dates of ProtectionPolicies_CreateOrUpdate_Simple.json", async () => {
    const example = fixtureResponse("policy-create-simple", 200).body as {
      name: string;
      type: string;
      properties: { schedulePolicy: unknown; timeZone: string };
    };
    const rec = recorder();
    const policy = await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "testPolicy1", simplePolicyToday(), { onResponse: rec.onResponse });

    expect(rec.exchanges).toHaveLength(1);
    expect(rec.last().status).toBe(200);
    expect(rec.last().headers.location).toBeUndefined();
    expect(rec.last().headers["azure-asyncoperation"]).toBeUndefined();
    expectShape(rec.last().json, example);
    const raw = rec.last().json as {
      id: string;
      name: string;
      type: string;
      properties: { schedulePolicy: unknown; timeZone: string; protectedItemsCount: number };
    };
    expect(raw.id.toLowerCase()).toBe(policyPath("testPolicy1").toLowerCase());
    expect(raw.name).toBe(example.name);
    expect(raw.type).toBe(example.type);
    // The SDK sent "2018-01-24T02:00:00.000Z"; the service writes dates without milliseconds, as in the example.
    expect(raw.properties.schedulePolicy).toEqual(example.properties.schedulePolicy);
    expect(raw.properties.timeZone).toBe(example.properties.timeZone);
    expect(raw.properties.protectedItemsCount).toBe(0);
    expect(policy.name).toBe("testPolicy1");
  });

  it("PUT of the V2 hourly example answers 200 with the example's body", async () => {
    const example = fixture("policy-v2-hourly");
    const rec = recorder();
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "v2-hourly-sample", example.parameters.parameters as ProtectionPolicyResource, {
      onResponse: rec.onResponse,
    });
    expect(rec.last().status).toBe(200);
    const body = example.responses["200"]!.body as { properties: { schedulePolicy: unknown; retentionPolicy: { dailySchedule: unknown } } };
    expectShape(rec.last().json, body);
    const raw = rec.last().json as typeof body;
    expect(raw.properties.schedulePolicy).toEqual(body.properties.schedulePolicy);
    // Retention as in the example; its times are the same instants (the SDK re-serialises "+00:00" as ".000Z").
    const daily = (r: typeof body) => r.properties.retentionPolicy.dailySchedule as { retentionDuration: unknown; retentionTimes: string[] };
    expect(daily(raw).retentionDuration).toEqual(daily(body).retentionDuration);
    expect(daily(raw).retentionTimes.map((t) => Date.parse(t))).toEqual(daily(body).retentionTimes.map((t) => Date.parse(t)));
  });

  it("PUT of the V2 daily example answers 200 with the example's body", async () => {
    const example = fixture("policy-v2-daily");
    const rec = recorder();
    await w.backup.protectionPolicies
      .createOrUpdate(VAULT, VAULT_RG, "v2-daily-sample", example.parameters.parameters as ProtectionPolicyResource, { onResponse: rec.onResponse })
      .catch(() => undefined);
    // IaaS_v2_daily.json: the service accepts this request (run at 10:00, retention times 08:00) and answers 200.
    expect(`${rec.last().status} ${rec.last().text}`).toMatch(/^200 /);
    const body = example.responses["200"]!.body as { properties: { schedulePolicy: unknown } };
    expectShape(rec.last().json, body);
    expect((rec.last().json as typeof body).properties.schedulePolicy).toEqual(body.properties.schedulePolicy);
  });

  it("GET answers 200 with the structure of ProtectionPolicies_Get.json", async () => {
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "policy-get", simplePolicyToday());
    const rec = recorder();
    const policy = await w.backup.protectionPolicies.get(VAULT, VAULT_RG, "policy-get", { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expectShape(rec.last().json, fixtureResponse("policy-get", 200).body);
    expect(policy.id?.toLowerCase()).toBe(policyPath("policy-get").toLowerCase());
    expect(policy.properties?.backupManagementType).toBe("AzureIaasVM");
  });

  it("DELETE answers 200 with no body; the policy is gone, and a second DELETE answers 204", async () => {
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "policy-delete", simplePolicyToday());
    const codes = Object.keys(fixture("policy-delete").responses);
    const rec = recorder();
    await w.backup.protectionPolicies.beginDeleteAndWait(VAULT, VAULT_RG, "policy-delete", { updateIntervalInMs: 1, onResponse: rec.onResponse });
    expect(rec.exchanges).toHaveLength(1);
    expect(codes).toContain("200");
    expect(rec.last().status).toBe(200);
    expect(rec.last().text).toBe("");
    await expect(w.backup.protectionPolicies.get(VAULT, VAULT_RG, "policy-delete")).rejects.toMatchObject({ statusCode: 404 });

    const again = recorder();
    await w.backup.protectionPolicies.beginDeleteAndWait(VAULT, VAULT_RG, "policy-delete", { updateIntervalInMs: 1, onResponse: again.onResponse });
    expect(codes).toContain("204");
    expect(again.exchanges.map((e) => e.status)).toEqual([204]);
  });

  it("lists policies with $filter=backupManagementType eq 'AzureIaasVM', DefaultPolicy first and as in BackupPolicies_List.json", async () => {
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "testPolicy1", simplePolicyToday());
    const example = fixture("policies-list");
    const rec = recorder();
    const names: string[] = [];
    for await (const p of w.backup.backupPolicies.list(VAULT, VAULT_RG, { filter: example.parameters.$filter as string, onResponse: rec.onResponse }))
      names.push(p.name!);

    expect(rec.last().status).toBe(200);
    expect(new URL(rec.last().url).searchParams.get("$filter")).toBe("backupManagementType eq 'AzureIaasVM'");
    expect(names).toEqual(expect.arrayContaining(["DefaultPolicy", "testPolicy1"]));
    const body = example.responses["200"]!.body as { value: Array<{ name: string; properties: { schedulePolicy: unknown; retentionPolicy: unknown } }> };
    // The page's structure (value[0] is DefaultPolicy in both).
    expectShape(rec.last().json, body);
    const page = (rec.last().json as typeof body).value;
    expect(page[0]!.name).toBe("DefaultPolicy");
    // DefaultPolicy is the one the service creates with every vault: daily at 19:00 UTC, kept 30 days.
    const defaults = body.value.find((p) => p.name === "DefaultPolicy")!;
    expect(page[0]!.properties.schedulePolicy).toEqual(defaults.properties.schedulePolicy);
    expect(page[0]!.properties.retentionPolicy).toEqual(defaults.properties.retentionPolicy);
    expect(page[0]!.properties).not.toHaveProperty("timeZone");
    // A user policy has the structure of the example's second entry.
    expectShape(
      page.find((p) => p.name === "testPolicy1"),
      body.value.find((p) => p.name === "testPolicy1"),
    );
  });

  describe("updating a policy that protects an item", () => {
    let operationId: string;
    beforeAll(async () => {
      await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "policy-in-use", dailyPolicyBody("2024-01-01T20:30:00Z", 30));
      expect((await protect(w, VAULT, "vm1", "policy-in-use")).status).toBe("Succeeded");
    });

    it("PUT answers 202 with Location to operationResults/{id}, Azure-AsyncOperation to operations/{id} and Retry-After", async () => {
      const rec = recorder();
      const result = await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "policy-in-use", dailyPolicyBody("2024-01-01T20:30:00Z", 45), {
        onResponse: rec.onResponse,
      });
      expect(rec.last().status).toBe(202);
      expect(rec.last().text).toBe("");
      expect(result.name).toBeUndefined();
      operationId = expectOperationHeaders(rec.last(), fixtureResponse("policy-create-simple", 202), origin);
      expect(decodedPath(rec.last().headers.location!).toLowerCase()).toBe(`${policyPath("policy-in-use")}/operationResults/${operationId}`.toLowerCase());
      expect(decodedPath(rec.last().headers["azure-asyncoperation"]!).toLowerCase()).toBe(
        `${policyPath("policy-in-use")}/operations/${operationId}`.toLowerCase(),
      );
    });

    it("operations/{id} answers 200 InProgress, then Succeeded with the structure of ProtectionPolicyOperationStatuses_Get.json", async () => {
      const running = recorder();
      const first = await w.backup.protectionPolicyOperationStatuses.get(VAULT, VAULT_RG, "policy-in-use", operationId, { onResponse: running.onResponse });
      expect(running.last().status).toBe(200);
      expect(first.status).toBe("InProgress");

      // The update re-configures the policy's items for 31 emulated seconds (durations.ts).
      w.emulator.clock.advance(31_000);
      const done = recorder();
      const second = await w.backup.protectionPolicyOperationStatuses.get(VAULT, VAULT_RG, "policy-in-use", operationId, { onResponse: done.onResponse });
      expect(done.last().status).toBe(200);
      expect(second.status).toBe("Succeeded");
      expect(second.name).toBe(operationId);
      // The example is a finished update: properties.objectType "OperationStatusJobsExtendedInfo" with the jobs' ids.
      expectShape(done.last().json, fixtureResponse("policy-operation-status", 200).body);
    });

    it("operationResults/{id} answers 200 with the updated policy, as in ProtectionPolicyOperationResults_Get.json", async () => {
      const rec = recorder();
      const policy = await w.backup.protectionPolicyOperationResults.get(VAULT, VAULT_RG, "policy-in-use", operationId, { onResponse: rec.onResponse });
      expect(rec.last().status).toBe(200);
      const example = fixtureResponse("policy-operation-result", 200).body as { properties: { protectedItemsCount: number } };
      expectShape(rec.last().json, example);
      // The example's policy protects one item, as this one does.
      expect((rec.last().json as typeof example).properties.protectedItemsCount).toBe(example.properties.protectedItemsCount);
      const retention = (policy.properties as { retentionPolicy?: { dailySchedule?: { retentionDuration?: { count?: number } } } }).retentionPolicy;
      expect(retention?.dailySchedule?.retentionDuration?.count).toBe(45);
    });

    it("an update nobody polls (as az backup policy set sends it) is applied once its duration has passed, with a ConfigureBackup job per item", async () => {
      const retentionOf = async () =>
        (
          (await w.backup.protectionPolicies.get(VAULT, VAULT_RG, "policy-in-use")).properties as {
            retentionPolicy: { dailySchedule: { retentionDuration: { count: number } } };
          }
        ).retentionPolicy.dailySchedule.retentionDuration.count;
      const started = w.emulator.clock.now();
      const rec = recorder();
      await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "policy-in-use", dailyPolicyBody("2024-01-01T20:30:00Z", 60), {
        onResponse: rec.onResponse,
      });
      expect(rec.last().status).toBe(202);
      // The emulator shows the new settings when the operation completes (its result is the updated policy,
      // ProtectionPolicyOperationResults_Get.json); what a GET shows meanwhile is not documented.
      expect(await retentionOf()).toBe(45);
      w.emulator.clock.advance(31_000);
      expect(await retentionOf()).toBe(60);
      const jobs: Array<{ operation?: string; status?: string; entityFriendlyName?: string }> = [];
      for await (const j of w.backup.backupJobs.list(VAULT, VAULT_RG, { filter: "operation eq 'ConfigureBackup'" })) jobs.push(j.properties as never);
      const reconfigured = jobs.filter((j) => j.entityFriendlyName === "vm1" && j.status === "Completed");
      expect(reconfigured.length).toBeGreaterThanOrEqual(3); // protect, the polled update, and this one
      expect(w.emulator.state.operations.filter((o) => o.kind === "policy-update" && o.startTime >= started).map((o) => o.status)).toEqual(["Succeeded"]);
    });
  });
});
