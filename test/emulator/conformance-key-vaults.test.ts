/**
 * Conformance of the emulator's Key Vault and role-assignment endpoints (src/emulator/arm/key-vaults.ts) with Microsoft's
 * examples (test/fixtures/arm: getVault.json, updateAccessPoliciesAdd.json, RoleAssignments_ListForScope.json,
 * RoleAssignments_CreateForResource.json), through the real @azure/arm-keyvault 5 and @azure/arm-authorization 9
 * clients; and the backup of a VM encrypted with Azure Disk Encryption: failing with UserErrorKeyvaultPermissionsNotConfigured
 * without Key Vault access, an encrypted recovery point with it.
 */
import { request } from "node:https";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { BACKUP_MANAGEMENT_SERVICE_OBJECT_ID } from "../../src/emulator/arm/key-vaults";
import { EMULATOR_TENANT } from "../../src/emulator/arm/subscriptions";
import { CONTAINER, createVault, credential, dailyPolicyBody, ITEM, protect, SUB, VAULT_RG, vmFixture, world, type TestWorld } from "./harness";
import { expectShape, fixture, fixtureResponse, recorder, type Exclusion } from "./conformance-helpers";

const KV_RG = "rg-keys";
const kvId = (name: string) => `/subscriptions/${SUB}/resourceGroups/${KV_RG}/providers/Microsoft.KeyVault/vaults/${name}`;
const ADE = { keyVaultId: kvId("kv-ade"), secretUrl: "https://kv-ade.vault.azure.net/secrets/bek/0123" };
const KEK = { keyVaultId: kvId("kv-ade"), keyUrl: "https://kv-ade.vault.azure.net/keys/kek/0456" };
const VAULT = "rsv-encrypted";
const POLICY = "daily";

const KV_EXCLUSIONS: Exclusion[] = [
  { path: "properties.hsmPoolResourceId", reason: "read-only, set for HSM-backed vaults only; the emulator models standard vaults" },
  { path: "systemData.createdBy", reason: "who created the vault is not modelled (seeded vaults)" },
  { path: "systemData.lastModifiedBy", reason: "who changed the vault is not modelled" },
  { path: "systemData.lastModifiedByType", reason: "who changed the vault is not modelled" },
];

describe("conformance: Key Vaults and role assignments", () => {
  let w: TestWorld;
  let kv: KeyVaultManagementClient;
  let auth: AuthorizationManagementClient;

  beforeAll(async () => {
    w = await world({
      vms: [
        vmFixture("vm-plain"),
        vmFixture("vm-bek", { diskEncryption: ADE }),
        vmFixture("vm-kek", { diskEncryption: { ...ADE, keyEncryptionKey: KEK } }),
        vmFixture("vm-rbac", { diskEncryption: { keyVaultId: kvId("kv-rbac"), secretUrl: "https://kv-rbac.vault.azure.net/secrets/bek/1" } }),
      ],
      keyVaults: [{ id: kvId("kv-ade") }, { id: kvId("kv-rbac"), enableRbacAuthorization: true }],
    });
    const common = { endpoint: w.emulator.endpoint, tlsOptions: { ca: w.emulator.ca }, retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 200 } };
    kv = new KeyVaultManagementClient(credential, SUB, { ...common, credentials: { scopes: [`${w.emulator.endpoint}/.default`] } });
    auth = new AuthorizationManagementClient(credential, SUB, common);
    await createVault(w, VAULT);
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, POLICY, dailyPolicyBody());
  });
  afterAll(async () => w.stop());

  it("the compute API shows ADE on the OS disk (encryptionSettings: BEK secret, KEK key, their vaults)", async () => {
    const vm = await w.compute.virtualMachines.get("rg-app", "vm-kek");
    expect(vm.storageProfile?.osDisk?.encryptionSettings).toEqual({
      diskEncryptionKey: { secretUrl: ADE.secretUrl, sourceVault: { id: ADE.keyVaultId } },
      keyEncryptionKey: { keyUrl: KEK.keyUrl, sourceVault: { id: KEK.keyVaultId } },
      enabled: true,
    });
    expect((await w.compute.virtualMachines.get("rg-app", "vm-plain")).storageProfile?.osDisk?.encryptionSettings).toBeUndefined();
  });

  it("vaults.get answers 200 with the structure of getVault.json, and 404 ResourceNotFound for a vault that does not exist", async () => {
    const rec = recorder();
    const vault = await kv.vaults.get(KV_RG, "kv-ade", { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expect(rec.last().url).toContain("api-version=2026-02-01");
    // The example's vault has an access policy; compare once one exists (below) and check the rest now.
    expectShape(rec.last().json, fixtureResponse("key-vault-get", 200).body, [...KV_EXCLUSIONS, { path: "properties.accessPolicies", reason: "none yet" }]);
    expect(vault.properties.enableRbacAuthorization).toBe(false);
    const missing = await kv.vaults.get(KV_RG, "kv-none").catch((e: { statusCode?: number; code?: string }) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });

  it("updateAccessPolicy add answers 200 with the structure of updateAccessPoliciesAdd.json and merges into the principal's policy", async () => {
    const example = fixture("key-vault-access-policy-add");
    const rec = recorder();
    const given = { objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, tenantId: EMULATOR_TENANT, permissions: { secrets: ["get", "list"] } } as never;
    await kv.vaults.updateAccessPolicy(KV_RG, "kv-ade", "add", { properties: { accessPolicies: [given] } }, { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expectShape(rec.last().json, example.responses["200"]!.body, [
      { path: "properties.accessPolicies[0].permissions.certificates", reason: "the request gave no certificate permissions" },
      { path: "properties.accessPolicies[0].permissions.keys", reason: "the request gave no key permissions" },
    ]);
    await kv.vaults.updateAccessPolicy(KV_RG, "kv-ade", "add", {
      properties: {
        accessPolicies: [{ objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, tenantId: EMULATOR_TENANT, permissions: { secrets: ["backup"], keys: ["get"] } }],
      },
    } as never);
    const rec2 = recorder();
    const vault = await kv.vaults.get(KV_RG, "kv-ade", { onResponse: rec2.onResponse });
    expect(vault.properties.accessPolicies).toEqual([
      { objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, tenantId: EMULATOR_TENANT, permissions: { secrets: ["get", "list", "backup"], keys: ["get"] } },
    ]);
    expectShape(rec2.last().json, fixtureResponse("key-vault-get", 200).body, [
      ...KV_EXCLUSIONS,
      { path: "properties.accessPolicies[0].permissions.certificates", reason: "no certificate permissions were given" },
    ]);
    // remove takes permissions away
    await kv.vaults.updateAccessPolicy(KV_RG, "kv-ade", "remove", {
      properties: { accessPolicies: [{ objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, tenantId: EMULATOR_TENANT, permissions: { keys: ["get"] } }] },
    } as never);
    expect((await kv.vaults.get(KV_RG, "kv-ade")).properties.accessPolicies?.[0]?.permissions.keys).toEqual([]);
  });

  it("roleAssignments create and listForScope answer with the structure of RoleAssignments_CreateForResource.json and _ListForScope.json", async () => {
    const name = "05c5a614-a7d6-4502-b150-c2fb455033ff";
    const scope = kvId("kv-rbac").slice(1);
    const properties = {
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/00482a5a-887f-4fb3-b363-3b7fe8e74483`,
      principalId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID,
      principalType: "ServicePrincipal",
    };
    const rec = recorder();
    const created = await auth.roleAssignments.create(scope, name, properties, { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(201);
    expect(rec.last().url).toContain("api-version=2022-04-01");
    expectShape(rec.last().json, fixtureResponse("role-assignment-create-for-resource", 201).body);
    expect(created.roleDefinitionId).toBe("/providers/Microsoft.Authorization/roleDefinitions/00482a5a-887f-4fb3-b363-3b7fe8e74483");
    expect(created.scope).toBe(kvId("kv-rbac"));
    // The same name again: no change. The same grant under another name: 409 RoleAssignmentExists.
    await expect(auth.roleAssignments.create(scope, name, properties)).resolves.toMatchObject({ name });
    const twin = await auth.roleAssignments
      .create(scope, "11111111-1111-4111-8111-111111111111", properties)
      .catch((e: { statusCode?: number; code?: string }) => e);
    expect(twin).toMatchObject({ statusCode: 409, code: "RoleAssignmentExists" });

    const listRec = recorder();
    const listed = [];
    for await (const a of auth.roleAssignments.listForScope(scope, {
      filter: `principalId eq '${BACKUP_MANAGEMENT_SERVICE_OBJECT_ID}'`,
      onResponse: listRec.onResponse,
    }))
      listed.push(a);
    expect(listed.map((a) => a.name)).toEqual([name]);
    expectShape(listRec.last().json, fixtureResponse("role-assignments-list-for-scope", 200).body);
    // From the subscription: below the scope, listed without atScope(), not with it.
    const below = [];
    for await (const a of auth.roleAssignments.listForScope(`subscriptions/${SUB}`)) below.push(a.name);
    expect(below).toEqual([name]);
    const atScope = [];
    for await (const a of auth.roleAssignments.listForScope(`subscriptions/${SUB}`, { filter: "atScope()" })) atScope.push(a.name);
    expect(atScope).toEqual([]);
  });

  /** Protects the VM, backs it up now and runs the job to its end: the job. */
  async function backUp(vm: string) {
    expect((await protect(w, VAULT, vm, POLICY)).status).toBe("Succeeded");
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), {
      properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: new Date(w.emulator.clock.now() + 30 * 86_400_000) },
    } as never);
    w.emulator.clock.advance(24 * 3_600_000);
    for await (const job of w.backup.backupJobs.list(VAULT, VAULT_RG, { filter: "operation eq 'Backup'" }))
      if ((job.properties as { entityFriendlyName?: string }).entityFriendlyName === vm)
        return job.properties as { status?: string; errorDetails?: Array<{ errorTitle?: string; errorString?: string }> };
    throw new Error(`no backup job for ${vm}`);
  }

  it("a BEK+KEK VM whose Key Vault lacks key permissions: protected, but its backup fails with UserErrorKeyvaultPermissionsNotConfigured", async () => {
    const job = await backUp("vm-kek");
    expect(job.status).toBe("Failed");
    // The job's errorDetails as the emulator renders every job error (arm/render.ts): the code as errorTitle.
    expect(job.errorDetails?.[0]).toMatchObject({
      errorTitle: "UserErrorKeyvaultPermissionsNotConfigured",
      errorString: "Backup doesn't have sufficient permissions to the key vault for backup of encrypted VMs.",
    });
  });

  it("a BEK-only VM whose Key Vault grants Backup secrets get/list/backup: the backup completes, its recovery point says encrypted", async () => {
    const job = await backUp("vm-bek");
    expect(job.status).toBe("Completed");
    const points = [];
    for await (const rp of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm-bek"), ITEM("vm-bek"))) points.push(rp);
    expect(points.length).toBe(1);
    expect((points[0]!.properties as { isSourceVMEncrypted?: boolean }).isSourceVMEncrypted).toBe(true);
  });

  it("an RBAC Key Vault where Backup holds Key Vault Administrator: the backup completes", async () => {
    expect((await backUp("vm-rbac")).status).toBe("Completed");
  });

  it("POST /_emulator/key-vaults seeds a vault, refusing a bad id", async () => {
    const post = (body: unknown) => fetchAdmin(w, "key-vaults", body);
    expect((await post([{ id: "kv" }])).status).toBe(400);
    expect((await post([{ id: kvId("kv-new"), enableRbacAuthorization: true }])).status).toBe(200);
    expect((await kv.vaults.get(KV_RG, "kv-new")).properties.enableRbacAuthorization).toBe(true);
  });
});

async function fetchAdmin(w: TestWorld, what: string, body: unknown): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${w.emulator.endpoint}/_emulator/${what}`,
      { method: "POST", ca: w.emulator.ca, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
