/**
 * Today's Azure Disk Encryption (single pass: the settings on the managed disks, the ADE extension on the VM, nothing in
 * the VM's osDisk.encryptionSettings) through the real dynamic-provider host, against the emulator, with no
 * azure-vm-backup:backupManagementServiceObjectId set: the check finds the VM encrypted from its disks, looks the
 * Backup Management Service up in Microsoft Graph, refuses the VM without Key Vault access and passes with
 * `keyVaultAccess: "grant"`, whose create grants the object id Graph gave. An unencrypted VM costs no disk, Graph or Key
 * Vault call; a Graph that answers 403 gives a message that names the setting and the command that prints the id.
 */
import { BACKUP_MANAGEMENT_SERVICE_OBJECT_ID } from "../../src/emulator/arm/key-vaults";
import { EMULATOR_TENANT } from "../../src/emulator/arm/subscriptions";
import { vmFixture } from "../emulator/harness";
import { hostWorld, SUB, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-ade-disks");
const kvId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/${name}`;
const onDisks = (kv: string, kek = false) => ({
  keyVaultId: kvId(kv),
  secretUrl: `https://${kv}.vault.azure.net/secrets/bek/1`,
  ...(kek ? { keyEncryptionKey: { keyVaultId: kvId(kv), keyUrl: `https://${kv}.vault.azure.net/keys/kek/1` } } : {}),
  singlePass: true,
});
const ALL = ["get", "list", "backup"];
const sideCalls = (path: string) => /\/Microsoft\.Compute\/disks\/|\/v1\.0\/|keyvault|authorization/i.test(path);

describe("ProtectedVm of VMs encrypted on their disks (single-pass ADE), the object id from Microsoft Graph", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({
      vms: [
        vmFixture("vm-plain"),
        vmFixture("vm-disks", { diskEncryption: onDisks("kv-disks") }),
        vmFixture("vm-disks-kek", { osType: "Windows", diskEncryption: onDisks("kv-disks-kek", true) }),
        vmFixture("vm-disks-ready", { diskEncryption: onDisks("kv-disks-ready") }),
      ],
      keyVaults: [
        { id: kvId("kv-disks") },
        { id: kvId("kv-disks-kek") },
        {
          id: kvId("kv-disks-ready"),
          accessPolicies: [{ tenantId: EMULATOR_TENANT, objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, permissions: { secrets: ALL } }],
        },
      ],
    });
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs);
  });
  afterAll(async () => w.stop());

  const keyVault = (name: string) => w.emulator.state.keyVaults!.find((v) => v.id === kvId(name))!;

  it("an unencrypted VM costs no disk, Microsoft Graph or Key Vault call", async () => {
    const mark = w.emulator.log.mark();
    expect((await w.host.check("protected-vm", protection("vm-plain"))).failures).toEqual([]);
    expect(w.emulator.log.list(mark).filter((e) => sideCalls(e.path))).toEqual([]);
  });

  it("refuses a VM encrypted on its disks only whose Key Vault gives Backup nothing, after reading its OS disk and Graph once", async () => {
    const mark = w.emulator.log.mark();
    const { failures } = await w.host.check("protected-vm", protection("vm-disks"));
    expect(failures.map((f) => f.property)).toEqual(["keyVaultAccess"]);
    expect(failures[0]!.reason).toMatch(/^\[vm\/key-vault-access\] VM 'vm-disks' is encrypted with Azure Disk Encryption \(BEK only/);
    expect(failures[0]!.reason).toContain("Key Vault 'kv-disks' (access policies) does not give the Backup Management Service secrets: get, list, backup");
    expect(failures[0]!.reason).toContain(`object id ${BACKUP_MANAGEMENT_SERVICE_OBJECT_ID}`);
    const calls = w.emulator.log
      .list(mark)
      .filter((e) => /\/Microsoft\.Compute\/disks\/|\/v1\.0\//i.test(e.path))
      .map((e) => `${e.method} ${e.path.replace(/^.*\/providers\//, "")}`);
    expect(calls).toEqual(["GET Microsoft.Compute/disks/vm-disks_OsDisk", "GET /v1.0/servicePrincipals(appId='262044b1-e2ce-469f-a196-69ab7ada62d3')"]);
  });

  it('passes with keyVaultAccess "grant", and the create grants the object id Microsoft Graph gave (secrets and keys for a BEK+KEK VM)', async () => {
    const checked = await w.host.check("protected-vm", protection("vm-disks-kek", { keyVaultAccess: "grant", backupNowRetainDays: 10 }));
    expect(checked.failures).toEqual([]);
    const mark = w.emulator.log.mark();
    await w.host.create("protected-vm", checked.inputs);
    // Graph was asked once per process: the create reuses the check's answer.
    expect(w.emulator.log.list(mark).filter((e) => e.path.startsWith("/v1.0/"))).toEqual([]);
    expect(keyVault("kv-disks-kek").accessPolicies).toEqual([
      { tenantId: EMULATOR_TENANT, objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, permissions: { secrets: ALL, keys: ALL } },
    ]);
    w.emulator.clock.advance(24 * 3_600_000);
    w.emulator.model.tick();
    const item = w.emulator.model.vault(SUB, "rg-backup", "rsv-ade-disks")!.items.find((i) => i.key.toLowerCase().includes("vm-disks-kek"))!;
    expect(item.lastBackupStatus).toBe("Completed");
    expect(item.recoveryPoints.map((p) => p.encrypted)).toEqual([true]);
  });

  it("passes, without the grant, a VM encrypted on its disks whose Key Vault gave Backup the access beforehand", async () => {
    expect((await w.host.check("protected-vm", protection("vm-disks-ready"))).failures).toEqual([]);
  });

  it("when Microsoft Graph answers 403, the failure names the setting and the command that prints the id", async () => {
    const other = await hostWorld({ vms: [vmFixture("vm-disks", { diskEncryption: onDisks("kv-disks") })], keyVaults: [{ id: kvId("kv-disks") }] });
    other.emulator.faults.add({ path: "/v1.0/servicePrincipals", action: { kind: "status", status: 403, code: "Authorization_RequestDenied" } });
    try {
      const { failures } = await other.host.check("protected-vm", protection("vm-disks"));
      const reasons = failures.filter((f) => f.property === "keyVaultAccess").map((f) => f.reason);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toContain("[vm/backup-service-principal] VM 'vm-disks' is encrypted with Azure Disk Encryption");
      expect(reasons[0]).toContain("HTTP 403, Authorization_RequestDenied");
      expect(reasons[0]).toContain("azure-vm-backup:backupManagementServiceObjectId");
      expect(reasons[0]).toContain("az ad sp show --id 262044b1-e2ce-469f-a196-69ab7ada62d3 --query id -o tsv");
      // No Key Vault was read without the object id.
      expect(other.emulator.log.list().filter((e) => /keyvault/i.test(e.path))).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
