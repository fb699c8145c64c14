/**
 * Conformance of the emulator's vault operations (api 2024-04-01) and of the vault's backup and storage
 * configuration (api 2023-06-01) with Microsoft's examples (test/fixtures/arm) and reference/ARM-API.md §4.1-4.3,
 * driven through the real SDK clients.
 */
import type { PatchVault, Vault } from "@azure/arm-recoveryservices";
import type { BackupResourceConfigResource, BackupResourceVaultConfigResource } from "@azure/arm-recoveryservicesbackup";
import { MINUTE } from "../../src/emulator";
import { SUB, VAULT_RG, world, type TestWorld } from "./harness";
import { decodedPath, expectOperationHeaders, expectShape, fixture, fixtureResponse, pathTemplate, recorder, type Exclusion } from "./conformance-helpers";

/** Key paths of the vault examples that the emulator does not model. */
const TAGS: Exclusion = { path: "tags", reason: "tag names and values are the example's own data; the vaults under test carry their own tags or none" };
const SKU_TIER: Exclusion = { path: "sku.tier", reason: "the emulator echoes sku.name only; the vault GET example (same resource) has no tier either" };
const MONITORING: Exclusion = {
  path: "properties.monitoringSettings",
  reason: "kept as the client sent it; the emulator fills in no service-side alert defaults (checked by the PUT-with-monitoring test)",
};
const PRIVATE_ENDPOINTS: Exclusion[] = [
  {
    path: "properties.privateEndpointConnections",
    reason: "absent on a vault without private endpoints (test/emulator/private-endpoints.test.ts checks one with)",
  },
];
const USER_IDENTITIES: Exclusion = {
  path: "identity.userAssignedIdentities",
  reason: "the vault is created without user-assigned identities (they are covered in test/emulator/vault-settings.test.ts)",
};
const VAULT_GET_EXCLUSIONS = [TAGS, MONITORING, ...PRIVATE_ENDPOINTS];

const vaultPath = (name: string, rg = VAULT_RG) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;
const OPERATION_STATUS_TEMPLATE = "/subscriptions/{}/resourcegroups/{}/providers/microsoft.recoveryservices/vaults/{}/operationstatus/{}";

describe("conformance: vaults", () => {
  let w: TestWorld;
  let origin: string;
  beforeAll(async () => {
    w = await world();
    origin = w.emulator.endpoint;
  });
  afterAll(async () => w.stop());

  /** Creates a vault with the request body of PUTVault_WithRedundancySettings.json (GeoRedundant, cross-region restore, SystemAssigned identity). */
  async function newVault(name: string, rg = VAULT_RG): Promise<Vault> {
    const body = fixture("vault-put-redundancy").parameters.vault as Vault;
    return w.vaults.vaults.beginCreateOrUpdateAndWait(rg, name, body, { updateIntervalInMs: 1 });
  }

  /** Starts a PATCH whose operation runs `extraMinutes` emulated minutes longer than its 2 s, and returns its operation id. */
  async function slowPatch(name: string, body: PatchVault, extraMinutes: number): Promise<string> {
    w.emulator.faults.add({ method: "PATCH", path: `/vaults/${name}`, times: 1, action: { kind: "slow-operation", delayMs: extraMinutes * MINUTE } });
    const rec = recorder();
    await w.vaults.vaults.beginUpdate(VAULT_RG, name, body, { updateIntervalInMs: 1, onResponse: rec.onResponse });
    const initial = rec.exchanges[0]!;
    expect(initial.status).toBe(202);
    return expectOperationHeaders(initial, fixtureResponse("vault-patch", 202), origin);
  }

  it("PUT answers 201 with Azure-AsyncOperation to vaults/{v}/operationStatus/{id}, and the SDK poller finishes on the vault", async () => {
    const example = fixture("vault-put-redundancy");
    const rec = recorder();
    const vault = await w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv-put", example.parameters.vault as Vault, {
      updateIntervalInMs: 1,
      onResponse: rec.onResponse,
    });

    const initial = rec.exchanges[0]!;
    expect(initial.method).toBe("PUT");
    expect(Object.keys(example.responses)).toContain("201");
    expect(initial.status).toBe(201);
    // The real service's headers (ARM-API.md §4.1, recording): an absolute Azure-AsyncOperation to operationStatus/{id}.
    const aao = initial.headers["azure-asyncoperation"];
    expect(aao).toBeDefined();
    expect(new URL(aao!).origin).toBe(origin);
    expect(pathTemplate(aao!)).toBe(OPERATION_STATUS_TEMPLATE);
    const id = new URL(aao!).pathname.split("/").pop()!;
    expect(decodedPath(aao!).toLowerCase()).toBe(`${vaultPath("rsv-put")}/operationStatus/${id}`.toLowerCase());
    // The 201 body is the vault, still provisioning, with the example's structure.
    expect(initial.json).toMatchObject({ properties: { provisioningState: "Provisioning" } });
    expectShape(initial.json, example.responses["201"]!.body, [TAGS, SKU_TIER]);

    // The poller read the status URL until Succeeded, then the vault itself.
    const polls = rec.exchanges.slice(1, -1);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const poll of polls) {
      expect(poll.method).toBe("GET");
      expect(poll.url.split("?")[0]).toBe(aao!.split("?")[0]);
      expect(poll.status).toBe(200);
    }
    expect(polls.map((p) => (p.json as { status: string }).status)).toEqual([...polls.slice(0, -1).map(() => "InProgress"), "Succeeded"]);
    const final = rec.last();
    expect(decodedPath(final.url).toLowerCase()).toBe(vaultPath("rsv-put").toLowerCase());
    expect(final.status).toBe(200);
    expect(vault.properties?.provisioningState).toBe("Succeeded");
    expect(vault.properties?.redundancySettings).toEqual({ standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" });
    expect(vault.location).toBe("westus");
  });

  it("PUT with monitoring settings keeps them, in the example's structure", async () => {
    const example = fixture("vault-put-monitoring");
    const rec = recorder();
    const vault = await w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv-monitoring", example.parameters.vault as Vault, {
      updateIntervalInMs: 1,
      onResponse: rec.onResponse,
    });
    expect(rec.exchanges[0]!.status).toBe(201);
    expectShape(rec.exchanges[0]!.json, example.responses["201"]!.body, [TAGS, SKU_TIER]);
    expectShape(rec.last().json, example.responses["201"]!.body, [TAGS, SKU_TIER]);
    expect(vault.properties?.monitoringSettings).toEqual({
      azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" },
      classicAlertSettings: { alertsForCriticalOperations: "Disabled" },
    });
  });

  it("PUT of an existing vault answers 200 with the vault", async () => {
    await newVault("rsv-reput");
    const example = fixture("vault-put-redundancy");
    const rec = recorder();
    await w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv-reput", example.parameters.vault as Vault, {
      updateIntervalInMs: 1,
      onResponse: rec.onResponse,
    });
    expect(rec.exchanges).toHaveLength(1);
    expect(rec.exchanges[0]!.status).toBe(200);
    expectShape(rec.exchanges[0]!.json, example.responses["200"]!.body, [TAGS, SKU_TIER]);
  });

  it("GET answers 200 with the structure of GETVault.json", async () => {
    await newVault("rsv-get");
    const rec = recorder();
    const vault = await w.vaults.vaults.get(VAULT_RG, "rsv-get", { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expectShape(rec.last().json, fixtureResponse("vault-get", 200).body, VAULT_GET_EXCLUSIONS);
    expect(vault.id?.toLowerCase()).toBe(vaultPath("rsv-get").toLowerCase());
    expect(vault.type).toBe("Microsoft.RecoveryServices/vaults");
    expect(vault.identity?.type).toBe("SystemAssigned");
    // JSON with the content type of ARM-API.md §1.6.
    expect(rec.last().headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("PATCH answers 202 with Azure-AsyncOperation and Location, and the poller reads the vault from operationResults", async () => {
    await newVault("rsv-patch");
    const example = fixture("vault-patch");
    const rec = recorder();
    const vault = await w.vaults.vaults.beginUpdateAndWait(VAULT_RG, "rsv-patch", example.parameters.vault as PatchVault, {
      updateIntervalInMs: 1,
      onResponse: rec.onResponse,
    });

    const initial = rec.exchanges[0]!;
    expect(initial.method).toBe("PATCH");
    expect(initial.status).toBe(202);
    const id = expectOperationHeaders(initial, example.responses["202"]!, origin);
    expect(decodedPath(initial.headers.location!).toLowerCase()).toBe(`${vaultPath("rsv-patch")}/operationResults/${id}`.toLowerCase());
    expect(decodedPath(initial.headers["azure-asyncoperation"]!).toLowerCase()).toBe(`${vaultPath("rsv-patch")}/operationStatus/${id}`.toLowerCase());

    // The final result is read from Location (operationResults): 200 and the full vault (ARM-API.md §3.2, §6).
    const final = rec.last();
    expect(final.url.split("?")[0]).toBe(initial.headers.location!.split("?")[0]);
    expect(final.status).toBe(200);
    expectShape(final.json, example.responses["200"]!.body);
    expect(vault.tags).toEqual({ PatchKey: "PatchKeyUpdated" });
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv-patch")).tags).toEqual({ PatchKey: "PatchKeyUpdated" });
  });

  it("operationResults answers 202 with Azure-AsyncOperation and Location while the PATCH runs, then 200 with the vault", async () => {
    await newVault("rsv-opresult");
    const body = fixture("vault-patch-redundancy").parameters.vault as PatchVault;
    const id = await slowPatch("rsv-opresult", body, 1);

    const running = recorder();
    await w.vaults.getOperationResult(VAULT_RG, "rsv-opresult", id, { onResponse: running.onResponse });
    expect(running.last().status).toBe(202);
    expect(expectOperationHeaders(running.last(), fixtureResponse("vault-operation-result", 202), origin)).toBe(id);

    w.emulator.clock.advance(MINUTE);
    const done = recorder();
    const vault = await w.vaults.getOperationResult(VAULT_RG, "rsv-opresult", id, { onResponse: done.onResponse });
    expect(done.last().status).toBe(200);
    expectShape(done.last().json, fixtureResponse("vault-operation-result", 200).body, [TAGS, USER_IDENTITIES]);
    expect(vault.properties?.redundancySettings).toEqual({ standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" });
  });

  it("operationStatus answers 200 with the example's structure: InProgress, then Succeeded", async () => {
    await newVault("rsv-opstatus");
    const id = await slowPatch("rsv-opstatus", { tags: { a: "b" } }, 1);
    const example = fixtureResponse("vault-operation-status", 200).body as { id: string };

    const running = recorder();
    const first = await w.vaults.getOperationStatus(VAULT_RG, "rsv-opstatus", id, { onResponse: running.onResponse });
    expect(running.last().status).toBe(200);
    expect(first.status).toBe("InProgress");
    expectShape(running.last().json, example);

    w.emulator.clock.advance(MINUTE);
    const done = recorder();
    const second = await w.vaults.getOperationStatus(VAULT_RG, "rsv-opstatus", id, { onResponse: done.onResponse });
    expect(done.last().status).toBe(200);
    expect(second.status).toBe("Succeeded");
    expectShape(done.last().json, example);
    // id is the status URL's path (as in the example), name the operation id.
    expect(pathTemplate(second.id!)).toBe(pathTemplate(example.id));
    expect(second.id!.toLowerCase()).toBe(`${vaultPath("rsv-opstatus")}/operationStatus/${id}`.toLowerCase());
    expect(second.name).toBe(id);
    expect(second.endTime!.getTime()).toBeGreaterThanOrEqual(second.startTime!.getTime());
  });

  it("DELETE of an empty vault answers 200 with no body (the real service's answer), the vault is gone, and a second DELETE answers 204", async () => {
    await newVault("rsv-delete");
    const rec = recorder();
    await w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv-delete", { updateIntervalInMs: 1, onResponse: rec.onResponse });
    // DeleteVault.json shows the asynchronous variant (202, then 204); for an empty vault the real service answers
    // 200 with an empty body, synchronously (ARM-API.md §4.1, recording_vaults_delete_test.json).
    expect(rec.exchanges).toHaveLength(1);
    expect(rec.exchanges[0]!.status).toBe(200);
    expect(rec.exchanges[0]!.text).toBe("");
    expect(rec.exchanges[0]!.headers["content-length"]).toBe("0");

    await expect(w.vaults.vaults.get(VAULT_RG, "rsv-delete")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });

    const again = recorder();
    await w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv-delete", { updateIntervalInMs: 1, onResponse: again.onResponse });
    expect(Object.keys(fixture("vault-delete").responses)).toContain("204");
    expect(again.exchanges.map((e) => e.status)).toEqual([204]);
  });

  it("lists vaults by resource group and by subscription, each with the vault's structure", async () => {
    await newVault("rsv-list-a");
    await newVault("rsv-list-b", "rg-other");

    const byGroup = recorder();
    const inGroup: string[] = [];
    for await (const v of w.vaults.vaults.listByResourceGroup(VAULT_RG, { onResponse: byGroup.onResponse })) inGroup.push(v.name!);
    expect(inGroup).toContain("rsv-list-a");
    expect(inGroup).not.toContain("rsv-list-b");
    expect(byGroup.last().status).toBe(200);
    const groupPage = byGroup.last().json as { value: unknown[] };
    expect(groupPage.value.length).toBe(inGroup.length);
    for (const v of groupPage.value) expectShape(v, fixtureResponse("vault-get", 200).body, VAULT_GET_EXCLUSIONS);

    const bySub = recorder();
    const inSub: string[] = [];
    for await (const v of w.vaults.vaults.listBySubscriptionId({ onResponse: bySub.onResponse })) inSub.push(v.name!);
    expect(inSub).toEqual(expect.arrayContaining(["rsv-list-a", "rsv-list-b"]));
    expect(bySub.last().status).toBe(200);
    for (const v of (bySub.last().json as { value: unknown[] }).value) expectShape(v, fixtureResponse("vault-get", 200).body, VAULT_GET_EXCLUSIONS);
  });

  describe("backupconfig/vaultconfig", () => {
    // The spec's examples show a vault whose soft delete can still change: a region without secure by default.
    beforeAll(async () => {
      w.emulator.model.secureByDefault = false;
      await newVault("rsv-config");
    });
    afterAll(() => {
      w.emulator.model.secureByDefault = true;
    });
    const configId = vaultPath("rsv-config") + "/backupconfig/vaultconfig";

    it("GET answers 200 with the structure of BackupResourceVaultConfigs_Get.json", async () => {
      const example = fixtureResponse("vault-config-get", 200).body as { name: string; type: string };
      const rec = recorder();
      const config = await w.backup.backupResourceVaultConfigs.get("rsv-config", VAULT_RG, { onResponse: rec.onResponse });
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, example);
      expect(config.id?.toLowerCase()).toBe(configId.toLowerCase());
      expect(config.name).toBe(example.name);
      expect(config.type).toBe(example.type);
      // New vaults have soft delete on (ARM-API.md §4.2).
      expect(config.properties?.softDeleteFeatureState).toBe("Enabled");
    });

    it("PUT answers 200 with the configuration, and the vault's own soft-delete setting follows", async () => {
      const example = fixture("vault-config-put");
      const rec = recorder();
      const same = await w.backup.backupResourceVaultConfigs.put("rsv-config", VAULT_RG, example.parameters.parameters as BackupResourceVaultConfigResource, {
        onResponse: rec.onResponse,
      });
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, example.responses["200"]!.body);
      expect(same.properties).toMatchObject({ enhancedSecurityState: "Enabled", softDeleteFeatureState: "Enabled" });

      const off = await w.backup.backupResourceVaultConfigs.put("rsv-config", VAULT_RG, { properties: { softDeleteFeatureState: "Disabled" } });
      expect(off.properties?.softDeleteFeatureState).toBe("Disabled");
      expect((await w.vaults.vaults.get(VAULT_RG, "rsv-config")).properties?.securitySettings?.softDeleteSettings?.softDeleteState).toBe("Disabled");
    });

    it("PATCH answers 200 with the configuration", async () => {
      const example = fixture("vault-config-patch");
      const rec = recorder();
      const config = await w.backup.backupResourceVaultConfigs.update(
        "rsv-config",
        VAULT_RG,
        example.parameters.parameters as BackupResourceVaultConfigResource,
        { onResponse: rec.onResponse },
      );
      expect(rec.last().method).toBe("PATCH");
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, example.responses["200"]!.body);
      expect(config.properties?.enhancedSecurityState).toBe("Enabled");
    });
  });

  describe("backupstorageconfig/vaultstorageconfig", () => {
    beforeAll(async () => {
      // A vault without cross-region restore, so that it may become LocallyRedundant.
      await w.vaults.vaults.beginCreateOrUpdateAndWait(
        VAULT_RG,
        "rsv-storage",
        { location: "westeurope", sku: { name: "Standard" }, properties: {} },
        { updateIntervalInMs: 1 },
      );
    });

    it("GET answers 200 with the structure of BackupStorageConfig_Get.json", async () => {
      const example = fixtureResponse("storage-config-get", 200).body as { name: string; type: string };
      const rec = recorder();
      const config = await w.backup.backupResourceStorageConfigsNonCRR.get("rsv-storage", VAULT_RG, { onResponse: rec.onResponse });
      // The SDK writes this path with a capital S (ARM-API.md §1.5, §4.3).
      expect(new URL(rec.last().url).pathname.startsWith("/Subscriptions/")).toBe(true);
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, example);
      expect(config.name).toBe(example.name);
      expect(config.type).toBe(example.type);
      expect(config.properties).toMatchObject({ storageModelType: "GeoRedundant", storageType: "GeoRedundant", storageTypeState: "Unlocked" });
    });

    it("PUT answers 200 with the example's body for the example's request", async () => {
      const example = fixture("storage-config-put");
      const rec = recorder();
      await w.backup.backupResourceStorageConfigsNonCRR.update("rsv-storage", VAULT_RG, example.parameters.parameters as BackupResourceConfigResource, {
        onResponse: rec.onResponse,
      });
      expect(rec.last().method).toBe("PUT");
      expect(rec.last().status).toBe(200);
      const body = example.responses["200"]!.body as { properties: Record<string, unknown> };
      expectShape(rec.last().json, body);
      expect((rec.last().json as { properties: unknown }).properties).toMatchObject(body.properties);
    });

    it("PATCH answers 204 with no body, and the change is applied", async () => {
      const example = fixture("storage-config-patch");
      const rec = recorder();
      await w.backup.backupResourceStorageConfigsNonCRR.patch(
        "rsv-storage",
        VAULT_RG,
        { properties: { storageType: "ZoneRedundant" } },
        { onResponse: rec.onResponse },
      );
      expect(rec.last().method).toBe("PATCH");
      expect(Object.keys(example.responses)).toEqual(["204"]);
      expect(rec.last().status).toBe(204);
      expect(rec.last().text).toBe("");
      expect((await w.backup.backupResourceStorageConfigsNonCRR.get("rsv-storage", VAULT_RG)).properties?.storageType).toBe("ZoneRedundant");
      expect((await w.vaults.vaults.get(VAULT_RG, "rsv-storage")).properties?.redundancySettings?.standardTierStorageRedundancy).toBe("ZoneRedundant");
      // The example's own request is accepted as well.
      const again = recorder();
      await w.backup.backupResourceStorageConfigsNonCRR.patch("rsv-storage", VAULT_RG, example.parameters.parameters as BackupResourceConfigResource, {
        onResponse: again.onResponse,
      });
      expect(again.last().status).toBe(204);
    });
  });
});
