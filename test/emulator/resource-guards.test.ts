/**
 * Multi-user authorization in the emulator (src/emulator/arm/resource-guards.ts): Resource Guards with their
 * exclusion list, and, on a vault associated with one, each protected operation refused without the guard's
 * request (and, for a guard in another tenant, without a token of that tenant), accepted with them. Driven
 * through the real SDK clients, with the headers the package sends (requestOptions.customHeaders).
 */
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { ServiceClient } from "@azure/core-client";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { StaticTokenCredential } from "../../src/azure/credentials";
import { armError, createVault, credential, dailyPolicyBody, ITEM, CONTAINER, protect, SUB, VAULT_RG, world, type TestWorld } from "./harness";

const OTHER_TENANT = "00000000-0000-0000-0000-0000000000dd";
const guardId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards/${name}`;
const request = (guard: string, type: string) => `${guardId(guard)}/${type}/default`;
const DELETE_ITEM = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete";

describe("emulator: Resource Guards and multi-user authorization", () => {
  let w: TestWorld;
  let raw: ServiceClient;
  beforeAll(async () => {
    w = await world();
    raw = new ServiceClient({ tlsOptions: { ca: w.emulator.ca } } as never);
  });
  afterAll(async () => w.stop());

  /** PUT a guard with a token of `tenant` (the tenant the guard then lives in). */
  async function putGuard(name: string, tenant: string | undefined, exclusions: string[] = []): Promise<{ status: number; body: Record<string, unknown> }> {
    const token = tenant === undefined ? "emulator-test-token" : `emulator-test-token;tenant=${tenant}`;
    const response = await raw.sendRequest(
      createPipelineRequest({
        url: `${w.emulator.endpoint}${guardId(name)}?api-version=2025-07-01`,
        method: "PUT",
        headers: createHttpHeaders({ authorization: `Bearer ${token}`, "content-type": "application/json" }),
        body: JSON.stringify({ location: "westeurope", properties: { vaultCriticalOperationExclusionList: exclusions } }),
      }),
    );
    return { status: response.status, body: JSON.parse(response.bodyAsText ?? "{}") as Record<string, unknown> };
  }

  async function guardedVault(vault: string, guard: string): Promise<void> {
    await createVault(w, vault);
    await w.backup.resourceGuardProxy.put(vault, VAULT_RG, "VaultProxy", { properties: { resourceGuardResourceId: guardId(guard) } });
  }

  it("puts and gets a guard: its exclusion list keeps optional operations only, and its proxy lists what it protects", async () => {
    const put = await putGuard("guard-excl", undefined, [DELETE_ITEM, "Microsoft.RecoveryServices/vaults/backupconfig/write"]);
    expect(put.status).toBe(201);
    const properties = put.body.properties as {
      vaultCriticalOperationExclusionList: string[];
      resourceGuardOperations: Array<{ vaultCriticalOperation: string }>;
    };
    // Disabling soft delete is mandatory: it cannot be excluded.
    expect(properties.vaultCriticalOperationExclusionList).toEqual([DELETE_ITEM]);
    expect(properties.resourceGuardOperations.map((o) => o.vaultCriticalOperation)).not.toContain(DELETE_ITEM);
    expect(properties.resourceGuardOperations.map((o) => o.vaultCriticalOperation)).toContain("Microsoft.RecoveryServices/vaults/backupconfig/write");

    await guardedVault("rsv-excl", "guard-excl");
    const proxy = await w.backup.resourceGuardProxy.get("rsv-excl", VAULT_RG, "VaultProxy");
    const details = proxy.properties?.resourceGuardOperationDetails ?? [];
    expect(details.map((d) => d.vaultCriticalOperation)).not.toContain(DELETE_ITEM);
    expect(details.find((d) => d.vaultCriticalOperation === "Microsoft.RecoveryServices/vaults/backupPolicies/write")?.defaultResourceRequest).toBe(
      request("guard-excl", "updateProtectionPolicyRequests"),
    );
  });

  it("refuses a policy update that reduces retention without the guard's request, and accepts it with the request", async () => {
    await putGuard("guard-home", undefined);
    await guardedVault("rsv-home", "guard-home");
    await w.backup.protectionPolicies.createOrUpdate("rsv-home", VAULT_RG, "daily", dailyPolicyBody(undefined, 30));
    // Longer retention is no critical operation.
    await w.backup.protectionPolicies.createOrUpdate("rsv-home", VAULT_RG, "daily", dailyPolicyBody(undefined, 40));

    const refused = await armError(w.backup.protectionPolicies.createOrUpdate("rsv-home", VAULT_RG, "daily", dailyPolicyBody(undefined, 20)));
    expect(refused).toMatchObject({ statusCode: 400, code: "ResourceGuardOperationRequestMissing" });
    expect(refused.message).toContain("ResourceGuard Operation requestid is either null or empty");

    const body = dailyPolicyBody(undefined, 20) as { properties: Record<string, unknown> };
    body.properties.resourceGuardOperationRequests = [request("guard-home", "updateProtectionPolicyRequests")];
    const updated = await w.backup.protectionPolicies.createOrUpdate("rsv-home", VAULT_RG, "daily", body as never);
    expect(
      (updated.properties as { retentionPolicy: { dailySchedule: { retentionDuration: { count: number } } } }).retentionPolicy.dailySchedule.retentionDuration
        .count,
    ).toBe(20);
  });

  it("a guard in another tenant also needs a token of that tenant in x-ms-authorization-auxiliary (LinkedAuthorizationFailed without)", async () => {
    await putGuard("guard-other", OTHER_TENANT);
    await guardedVault("rsv-other", "guard-other");
    await w.backup.protectionPolicies.createOrUpdate("rsv-other", VAULT_RG, "daily", dailyPolicyBody(undefined, 30));
    const body = dailyPolicyBody(undefined, 10) as { properties: Record<string, unknown> };
    body.properties.resourceGuardOperationRequests = [request("guard-other", "updateProtectionPolicyRequests")];

    expect(await armError(w.backup.protectionPolicies.createOrUpdate("rsv-other", VAULT_RG, "daily", body as never))).toMatchObject({
      statusCode: 403,
      code: "LinkedAuthorizationFailed",
    });
    // A token of the vault's own tenant is no token of the guard's.
    const ownTenant = { requestOptions: { customHeaders: { "x-ms-authorization-auxiliary": "Bearer emulator-test-token" } } };
    expect(await armError(w.backup.protectionPolicies.createOrUpdate("rsv-other", VAULT_RG, "daily", body as never, ownTenant))).toMatchObject({
      code: "LinkedAuthorizationFailed",
    });
    const auxiliary = { requestOptions: { customHeaders: { "x-ms-authorization-auxiliary": `Bearer emulator-test-token;tenant=${OTHER_TENANT}` } } };
    await w.backup.protectionPolicies.createOrUpdate("rsv-other", VAULT_RG, "daily", body as never, auxiliary);
  });

  it("deleting backup data and removing the guard need unlockDelete with the guard's request first", async () => {
    await putGuard("guard-del", undefined);
    await guardedVault("rsv-del", "guard-del");
    await w.backup.protectionPolicies.createOrUpdate("rsv-del", VAULT_RG, "daily", dailyPolicyBody());
    await protect(w, "rsv-del", "vm1", "daily");
    const deleteItem = () => w.backup.protectedItems.delete("rsv-del", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
    expect(await armError(deleteItem())).toMatchObject({ statusCode: 400, code: "ResourceGuardOperationRequestMissing" });

    const itemId = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/rsv-del/backupFabrics/Azure/protectionContainers/${CONTAINER("vm1")}/protectedItems/${ITEM("vm1")}`;
    // The request of another operation does not unlock it.
    expect(
      await armError(
        w.backup.resourceGuardProxy.unlockDelete("rsv-del", VAULT_RG, "VaultProxy", {
          resourceGuardOperationRequests: [request("guard-del", "updateProtectionPolicyRequests")],
          resourceToBeDeleted: itemId,
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
    const unlocked = await w.backup.resourceGuardProxy.unlockDelete("rsv-del", VAULT_RG, "VaultProxy", {
      resourceGuardOperationRequests: [request("guard-del", "deleteProtectedItemRequests")],
      resourceToBeDeleted: itemId,
    });
    expect(unlocked.unlockDeleteExpiryTime).toBeDefined();
    await deleteItem();

    const proxyId = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/rsv-del/backupResourceGuardProxies/VaultProxy`;
    expect(await armError(w.backup.resourceGuardProxy.delete("rsv-del", VAULT_RG, "VaultProxy"))).toMatchObject({
      code: "ResourceGuardOperationRequestMissing",
    });
    await w.backup.resourceGuardProxy.unlockDelete("rsv-del", VAULT_RG, "VaultProxy", {
      resourceGuardOperationRequests: [request("guard-del", "deleteResourceGuardProxyRequests")],
      resourceToBeDeleted: proxyId,
    });
    await w.backup.resourceGuardProxy.delete("rsv-del", VAULT_RG, "VaultProxy");
    const left = [];
    for await (const p of w.backup.resourceGuardProxies.list("rsv-del", VAULT_RG)) left.push(p);
    expect(left).toEqual([]);
  });

  it("an operation the guard excludes needs no request (deleting data, guard-excl)", async () => {
    await w.backup.protectionPolicies.createOrUpdate("rsv-excl", VAULT_RG, "daily", dailyPolicyBody());
    await protect(w, "rsv-excl", "vm2", "daily");
    await w.backup.protectedItems.delete("rsv-excl", VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"));
  });

  it("a vault PATCH that changes the customer-managed key needs the guard's request (modifyEncryptionSettings), in another tenant with its token", async () => {
    const KEY = "https://kv-mua.vault.azure.net/keys/key1";
    const KEY2 = "https://kv-mua.vault.azure.net/keys/key2";
    const encryption = (keyUri: string) => ({ keyVaultProperties: { keyUri }, kekIdentity: { useSystemAssignedIdentity: true } });
    await createVault(w, "rsv-cmk", { identity: { type: "SystemAssigned" }, properties: { encryption: encryption(KEY) } });
    await w.backup.resourceGuardProxy.put("rsv-cmk", VAULT_RG, "VaultProxy", { properties: { resourceGuardResourceId: guardId("guard-other") } });
    const details = (await w.backup.resourceGuardProxy.get("rsv-cmk", VAULT_RG, "VaultProxy")).properties?.resourceGuardOperationDetails ?? [];
    const listed = details.find((d) => d.vaultCriticalOperation === "Microsoft.RecoveryServices/vaults/write#modifyEncryptionSettings");
    expect(listed?.defaultResourceRequest).toBe(request("guard-other", "modifyEncryptionSettingsRequests"));
    const patch = (requests?: string[], options: Record<string, unknown> = {}) =>
      w.vaults.vaults.beginUpdateAndWait(
        VAULT_RG,
        "rsv-cmk",
        { properties: { encryption: encryption(KEY2), ...(requests === undefined ? {} : { resourceGuardOperationRequests: requests }) } },
        { updateIntervalInMs: 1, ...options },
      );

    const refused = await armError(patch());
    expect(refused).toMatchObject({ statusCode: 400, code: "ResourceGuardOperationRequestMissing" });
    expect(refused.message).toContain("ResourceGuard Operation requestid is either null or empty");
    expect(refused.message).toContain("write#modifyEncryptionSettings");
    // Another operation's request does not do.
    expect(await armError(patch([request("guard-other", "updateProtectionPolicyRequests")]))).toMatchObject({ code: "ResourceGuardOperationRequestMissing" });
    expect(await armError(patch([request("guard-other", "modifyEncryptionSettingsRequests")]))).toMatchObject({
      statusCode: 403,
      code: "LinkedAuthorizationFailed",
    });
    expect(w.emulator.model.vault(SUB, VAULT_RG, "rsv-cmk")?.encryption?.keyUri).toBe(KEY);

    const auxiliary = { requestOptions: { customHeaders: { "x-ms-authorization-auxiliary": `Bearer emulator-test-token;tenant=${OTHER_TENANT}` } } };
    await patch([request("guard-other", "modifyEncryptionSettingsRequests")], auxiliary);
    expect(w.emulator.model.vault(SUB, VAULT_RG, "rsv-cmk")?.encryption?.keyUri).toBe(KEY2);
    // The same key again modifies nothing: no request needed; nor does a PATCH of another setting.
    await patch();
    await w.vaults.vaults.beginUpdateAndWait(VAULT_RG, "rsv-cmk", { properties: { publicNetworkAccess: "Disabled" } }, { updateIntervalInMs: 1 });
  });

  it("immutability Unlocked -> Disabled needs the guard's request (reduceImmutabilityState); Disabled -> Unlocked does not", async () => {
    await createVault(w, "rsv-immutable");
    await w.backup.resourceGuardProxy.put("rsv-immutable", VAULT_RG, "VaultProxy", { properties: { resourceGuardResourceId: guardId("guard-home") } });
    const immutability = (state: string, requests?: string[]) =>
      w.vaults.vaults.beginUpdateAndWait(
        VAULT_RG,
        "rsv-immutable",
        {
          properties: {
            securitySettings: { immutabilitySettings: { state } },
            ...(requests === undefined ? {} : { resourceGuardOperationRequests: requests }),
          },
        },
        { updateIntervalInMs: 1 },
      );
    await immutability("Unlocked");
    const refused = await armError(immutability("Disabled"));
    expect(refused).toMatchObject({ statusCode: 400, code: "ResourceGuardOperationRequestMissing" });
    expect(refused.message).toContain("write#reduceImmutabilityState");
    expect(w.emulator.model.vault(SUB, VAULT_RG, "rsv-immutable")?.immutability).toBe("Unlocked");
    await immutability("Disabled", [request("guard-home", "reduceImmutabilityStateRequests")]);
    expect(w.emulator.model.vault(SUB, VAULT_RG, "rsv-immutable")?.immutability).toBe("Disabled");
  });

  it("a guard that excludes an optional vault operation does not ask for it (disable immutability)", async () => {
    await putGuard("guard-no-immutability", undefined, ["Microsoft.RecoveryServices/vaults/write#reduceImmutabilityState"]);
    await guardedVault("rsv-no-immutability", "guard-no-immutability");
    await w.vaults.vaults.beginUpdateAndWait(
      VAULT_RG,
      "rsv-no-immutability",
      { properties: { securitySettings: { immutabilitySettings: { state: "Unlocked" } } } },
      { updateIntervalInMs: 1 },
    );
    await w.vaults.vaults.beginUpdateAndWait(
      VAULT_RG,
      "rsv-no-immutability",
      { properties: { securitySettings: { immutabilitySettings: { state: "Disabled" } } } },
      { updateIntervalInMs: 1 },
    );
  });

  it("the package's emulator credential issues tokens of another tenant, which the emulator accepts as auxiliary tokens", async () => {
    const c = new StaticTokenCredential("azure-vm-backup-emulator");
    expect((await c.getToken("x", { tenantId: OTHER_TENANT })).token).toBe(`azure-vm-backup-emulator;tenant=${OTHER_TENANT}`);
    expect((await c.getToken("x")).token).toBe("azure-vm-backup-emulator");
    const backup = new RecoveryServicesBackupClient(credential, SUB, { endpoint: w.emulator.endpoint, tlsOptions: { ca: w.emulator.ca } } as never);
    const body = dailyPolicyBody(undefined, 8) as { properties: Record<string, unknown> };
    body.properties.resourceGuardOperationRequests = [request("guard-other", "updateProtectionPolicyRequests")];
    const token = (await c.getToken("x", { tenantId: OTHER_TENANT })).token;
    await backup.protectionPolicies.createOrUpdate("rsv-other", VAULT_RG, "daily", body as never, {
      requestOptions: { customHeaders: { "x-ms-authorization-auxiliary": `Bearer ${token}` } },
    });
  });
});
