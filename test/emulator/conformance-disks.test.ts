/**
 * Conformance of the emulator's view of today's Azure Disk Encryption (src/emulator/arm/compute.ts) through the real
 * @azure/arm-compute 24 client: the ADE extension among a VM's `resources` (whole on GET, its id alone in a list), the
 * managed disks' GET in the structure of DiskRP's Disk_Get.json (test/fixtures/arm/disk-get.json) with
 * encryptionSettingsCollection on a single-pass VM's disks and not on the VM's osDisk; and the Microsoft Graph lookup of
 * the Backup Management Service (src/emulator/graph.ts) as the package makes it (src/azure/graph.ts).
 */
import { BACKUP_MANAGEMENT_SERVICE_OBJECT_ID } from "../../src/emulator/arm/key-vaults";
import { backupManagementServiceObjectId, clientsFor, resolveSettings } from "../../src/azure";
import { lookups } from "../../src/azure/lookups";
import { SUB, vmFixture, vmId, world, type TestWorld } from "./harness";
import { expectShape, fixtureResponse, recorder } from "./conformance-helpers";

const kvId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/${name}`;
const SINGLE = {
  keyVaultId: kvId("kv-disks"),
  secretUrl: "https://kv-disks.vault.azure.net/secrets/bek/1",
  keyEncryptionKey: { keyVaultId: kvId("kv-disks"), keyUrl: "https://kv-disks.vault.azure.net/keys/kek/1" },
  singlePass: true,
};

describe("conformance: ADE on managed disks, the ADE extension, Microsoft Graph", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world({
      vms: [
        vmFixture("vm-plain"),
        vmFixture("vm-single", { diskEncryption: SINGLE }),
        vmFixture("vm-dual", {
          osType: "Windows",
          diskEncryption: { keyVaultId: kvId("kv-dual"), secretUrl: "https://kv-dual.vault.azure.net/secrets/bek/1" },
        }),
      ],
    });
  });
  afterAll(async () => w.stop());

  it("a single-pass VM: the ADE extension in `resources`, no osDisk.encryptionSettings; its disks carry encryptionSettingsCollection", async () => {
    const vm = await w.compute.virtualMachines.get("rg-app", "vm-single");
    expect(vm.storageProfile?.osDisk?.encryptionSettings).toBeUndefined();
    expect(vm.resources?.map((e) => [e.id, e.publisher, e.typePropertiesType, e.typeHandlerVersion])).toEqual([
      [`${vmId("vm-single")}/extensions/AzureDiskEncryptionForLinux`, "Microsoft.Azure.Security", "AzureDiskEncryptionForLinux", "1.1"],
    ]);
    const rec = recorder();
    const osDisk = await w.compute.disks.get("rg-app", "vm-single_OsDisk", { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expect(osDisk.id).toBe(vm.storageProfile?.osDisk?.managedDisk?.id);
    expect(osDisk.managedBy).toBe(vmId("vm-single"));
    expect(osDisk.encryptionSettingsCollection).toEqual({
      enabled: true,
      encryptionSettings: [
        {
          diskEncryptionKey: { sourceVault: { id: SINGLE.keyVaultId }, secretUrl: SINGLE.secretUrl },
          keyEncryptionKey: { sourceVault: { id: SINGLE.keyEncryptionKey.keyVaultId }, keyUrl: SINGLE.keyEncryptionKey.keyUrl },
        },
      ],
      encryptionSettingsVersion: "1.1",
    });
    expectShape(rec.last().json, fixtureResponse("disk-get", 200).body, [
      { path: "properties.hyperVGeneration", reason: "the VM fixtures model no VM generation" },
      { path: "properties.purchasePlan", reason: "marketplace purchase plans are not modelled" },
      { path: "properties.supportedCapabilities", reason: "not modelled" },
      { path: "properties.supportsHibernation", reason: "not modelled" },
      { path: "properties.securityProfile", reason: "the example's disk is a Trusted Launch VM's; the fixture VMs are standard" },
      { path: "properties.creationData.imageReference", reason: "images are not modelled as resources" },
      { path: "properties.LastOwnershipUpdateTime", reason: "ownership history is not modelled" },
      { path: "properties.timeCreated", reason: "fixtures have no creation time" },
      { path: "tags", reason: "the fixture's disks have no tags" },
    ]);
    const dataDisk = await w.compute.disks.get("rg-app", "vm-single_DataDisk_0");
    expect(dataDisk.id).toBe(vm.storageProfile?.dataDisks?.[0]?.managedDisk?.id);
    expect(dataDisk.encryptionSettingsCollection?.encryptionSettings?.[0]?.diskEncryptionKey?.secretUrl).toBe(SINGLE.secretUrl);
    expect(dataDisk.osType).toBeUndefined();
  });

  it("a VM list gives each extension's id alone, as Azure's list does", async () => {
    const listed = [];
    for await (const vm of w.compute.virtualMachines.list("rg-app")) listed.push(vm);
    const single = listed.find((v) => v.name === "vm-single")!;
    expect(single.resources).toEqual([{ id: `${vmId("vm-single")}/extensions/AzureDiskEncryptionForLinux` }]);
    expect(listed.find((v) => v.name === "vm-plain")!.resources).toBeUndefined();
  });

  it("a dual-pass VM keeps its settings on the VM (its disks carry none), with the Windows extension 1.1; an unencrypted VM has neither", async () => {
    const dual = await w.compute.virtualMachines.get("rg-app", "vm-dual");
    expect(dual.storageProfile?.osDisk?.encryptionSettings?.diskEncryptionKey?.sourceVault?.id).toBe(kvId("kv-dual"));
    expect(dual.resources?.map((e) => [e.name, e.typePropertiesType, e.typeHandlerVersion])).toEqual([["AzureDiskEncryption", "AzureDiskEncryption", "1.1"]]);
    expect((await w.compute.disks.get("rg-app", "vm-dual_OsDisk")).encryptionSettingsCollection).toBeUndefined();
    const plain = await w.compute.virtualMachines.get("rg-app", "vm-plain");
    expect(plain.resources).toBeUndefined();
    expect((await w.compute.disks.get("rg-app", "vm-plain_OsDisk")).encryptionSettingsCollection).toBeUndefined();
  });

  it("a disk no VM has answers 404 ResourceNotFound", async () => {
    const missing = await w.compute.disks.get("rg-app", "nobody_OsDisk").catch((e: { statusCode?: number; code?: string }) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });

  it("Microsoft Graph: the Backup Management Service's object id by its application id, once per process; 403 says which setting to set", async () => {
    const settings = resolveSettings({ get: () => undefined }, { AZURE_VM_BACKUP_ENDPOINT: w.emulator.endpoint, AZURE_SUBSCRIPTION_ID: SUB });
    const c = clientsFor({ ...settings, ca: w.emulator.ca, retryDelayMs: 10 });
    expect(c.settings.cloud.graphEndpoint).toBe(w.emulator.endpoint);
    lookups.clear();
    const mark = w.emulator.log.mark();
    expect(await backupManagementServiceObjectId(c)).toBe(BACKUP_MANAGEMENT_SERVICE_OBJECT_ID);
    expect(await backupManagementServiceObjectId(c)).toBe(BACKUP_MANAGEMENT_SERVICE_OBJECT_ID);
    const graph = w.emulator.log.list(mark).filter((e) => e.path.startsWith("/v1.0/"));
    expect(graph.map((e) => [e.method, e.path, e.query, e.status])).toEqual([
      ["GET", "/v1.0/servicePrincipals(appId='262044b1-e2ce-469f-a196-69ab7ada62d3')", "?$select=id", 200],
    ]);
    lookups.clear();
    w.emulator.faults.add({ path: "/v1.0/servicePrincipals", times: 1, action: { kind: "status", status: 403, code: "Authorization_RequestDenied" } });
    const refused = await backupManagementServiceObjectId(c).catch((e: Error) => e);
    expect((refused as Error).message).toContain("HTTP 403, Authorization_RequestDenied");
    expect((refused as Error).message).toContain("azure-vm-backup:backupManagementServiceObjectId");
    expect((refused as Error).message).toContain("az ad sp show --id 262044b1-e2ce-469f-a196-69ab7ada62d3 --query id -o tsv");
    // A refusal is not remembered: the next lookup asks again.
    expect(await backupManagementServiceObjectId(c)).toBe(BACKUP_MANAGEMENT_SERVICE_OBJECT_ID);
  });
});
