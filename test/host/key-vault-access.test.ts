/**
 * Encrypted VMs (Azure Disk Encryption) through the real dynamic-provider host, against the emulator: the ProtectedVm
 * check refuses a VM whose Key Vault does not let Azure Backup read it (naming the VM, the vault, the permissions, the
 * source and the fix), passes when the access was given beforehand, and `keyVaultAccess: "grant"` gives it at create;
 * the backup then succeeds with an encrypted recovery point.
 */
import { BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, KEY_VAULT_ADMINISTRATOR_ROLE } from "../../src/emulator/arm/key-vaults";
import { EMULATOR_TENANT } from "../../src/emulator/arm/subscriptions";
import { vmFixture } from "../emulator/harness";
import { hostWorld, SUB, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-ade");
const kvId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/${name}`;
const secret = (kv: string) => ({ keyVaultId: kvId(kv), secretUrl: `https://${kv}.vault.azure.net/secrets/bek/1` });
const kek = (kv: string) => ({ keyVaultId: kvId(kv), keyUrl: `https://${kv}.vault.azure.net/keys/kek/1` });
const BACKUP_POLICY = (permissions: { secrets?: string[]; keys?: string[] }) => ({
  tenantId: EMULATOR_TENANT,
  objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID,
  permissions,
});

describe("ProtectedVm of encrypted VMs: Key Vault access", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld(
      {
        vms: [
          vmFixture("vm-plain"),
          vmFixture("vm-bek", { diskEncryption: secret("kv-bek") }),
          vmFixture("vm-kek", { diskEncryption: { ...secret("kv-kek"), keyEncryptionKey: kek("kv-kek") } }),
          vmFixture("vm-ready", { diskEncryption: { ...secret("kv-ready"), keyEncryptionKey: kek("kv-ready") } }),
          vmFixture("vm-rbac", { diskEncryption: secret("kv-rbac") }),
          vmFixture("vm-hidden", { diskEncryption: secret("kv-hidden") }),
        ],
        keyVaults: [
          { id: kvId("kv-bek") },
          { id: kvId("kv-kek"), accessPolicies: [BACKUP_POLICY({ secrets: ["get", "list", "backup"] })] },
          { id: kvId("kv-ready"), accessPolicies: [BACKUP_POLICY({ secrets: ["get", "list", "backup"], keys: ["get", "list", "backup"] })] },
          { id: kvId("kv-rbac"), enableRbacAuthorization: true },
          { id: kvId("kv-hidden") },
        ],
      },
      {},
      { "azure-vm-backup:backupManagementServiceObjectId": BACKUP_MANAGEMENT_SERVICE_OBJECT_ID },
    );
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs);
  });
  afterAll(async () => w.stop());

  const keyVault = (name: string) => w.emulator.state.keyVaults!.find((v) => v.id === kvId(name))!;

  it("an unencrypted VM costs no Key Vault call", async () => {
    const before = w.emulator.log.list().length;
    expect((await w.host.check("protected-vm", protection("vm-plain"))).failures).toEqual([]);
    expect(
      w.emulator.log
        .list()
        .slice(before)
        .filter((e) => /keyvault|authorization/i.test(e.path)),
    ).toEqual([]);
  });

  it("refuses a BEK-only VM whose Key Vault gives Backup nothing: the VM, the vault, the permissions, the source, the fix", async () => {
    const { failures } = await w.host.check("protected-vm", protection("vm-bek"));
    expect(failures.map((f) => f.property)).toEqual(["keyVaultAccess"]);
    const reason = failures[0]!.reason;
    expect(reason).toMatch(/^\[vm\/key-vault-access\] VM 'vm-bek' is encrypted with Azure Disk Encryption \(BEK only/);
    expect(reason).toContain("Key Vault 'kv-bek' (access policies) does not give the Backup Management Service secrets: get, list, backup");
    expect(reason).toContain("UserErrorKeyvaultPermissionsNotConfigured");
    expect(reason).toContain('Fix: set keyVaultAccess: "grant"');
    expect(reason).toContain("https://learn.microsoft.com/azure/backup/backup-azure-vms-encryption");
    expect(reason).not.toContain("keys:");
  });

  it("refuses a BEK+KEK VM whose policy has the secrets but not the keys, naming the keys", async () => {
    const { failures } = await w.host.check("protected-vm", protection("vm-kek"));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toContain("(BEK and KEK");
    expect(failures[0]!.reason).toContain("does not give the Backup Management Service keys: get, list, backup");
  });

  it("refuses an RBAC Key Vault without the Key Vault Administrator role, and a vault the credential may not read", async () => {
    const rbac = await w.host.check("protected-vm", protection("vm-rbac"));
    expect(rbac.failures[0]!.reason).toContain("Key Vault 'kv-rbac' (Azure RBAC) does not give the Backup Management Service role Key Vault Administrator");
    w.emulator.faults.add({ method: "GET", path: "/vaults/kv-hidden", action: { kind: "status", status: 403, code: "AuthorizationFailed" } });
    const hidden = await w.host.check("protected-vm", protection("vm-hidden"));
    expect(hidden.failures.map((f) => f.reason.slice(0, 26))).toEqual(["[vm/key-vault-unreadable] "]);
    expect(hidden.failures[0]!.reason).toContain("the credential this program runs with may not read it");
  });

  it("passes a VM whose Key Vault gave Backup the access beforehand, and protects it", async () => {
    const checked = await w.host.check("protected-vm", protection("vm-ready"));
    expect(checked.failures).toEqual([]);
    await w.host.create("protected-vm", checked.inputs);
  });

  it("without the Backup Management Service's object id, and Microsoft Graph refusing to look it up, says how to find it", async () => {
    const other = await hostWorld({ vms: [vmFixture("vm-bek", { diskEncryption: secret("kv-bek") })], keyVaults: [{ id: kvId("kv-bek") }] });
    other.emulator.faults.add({ path: "/v1.0/servicePrincipals", action: { kind: "status", status: 403, code: "Authorization_RequestDenied" } });
    try {
      const { failures } = await other.host.check("protected-vm", protection("vm-bek"));
      const missing = failures.filter((f) => f.property === "keyVaultAccess");
      expect(missing).toHaveLength(1);
      expect(missing[0]!.reason).toContain("[vm/backup-service-principal] VM 'vm-bek' is encrypted with Azure Disk Encryption");
      expect(missing[0]!.reason).toContain("az ad sp show --id 262044b1-e2ce-469f-a196-69ab7ada62d3 --query id -o tsv");
    } finally {
      await other.stop();
    }
  });

  it('with keyVaultAccess "grant": check passes, create gives exactly the documented access, a backup succeeds encrypted; a second create changes nothing', async () => {
    const inputs = protection("vm-kek", { keyVaultAccess: "grant", backupNowRetainDays: 10 });
    const checked = await w.host.check("protected-vm", inputs);
    expect(checked.failures).toEqual([]);
    const { outs } = await w.host.create("protected-vm", checked.inputs);
    expect(outs.keyVaultAccess).toBe("grant");
    expect(keyVault("kv-kek").accessPolicies).toEqual([BACKUP_POLICY({ secrets: ["get", "list", "backup"], keys: ["get", "list", "backup"] })]);
    w.emulator.clock.advance(24 * 3_600_000);
    w.emulator.model.tick(); // the backup job's timeline, brought up to the clock as a request would
    const item = w.emulator.model.vault(SUB, "rg-backup", "rsv-ade")!.items.find((i) => i.key.toLowerCase().includes("vm-kek"))!;
    expect(item.lastBackupStatus).toBe("Completed");
    expect(item.recoveryPoints.map((p) => p.encrypted)).toEqual([true]);
    // Idempotent: a retry finds the access granted and writes nothing to the Key Vault.
    const before = w.emulator.log.list().length;
    await w.host.create("protected-vm", checked.inputs);
    expect(
      w.emulator.log
        .list()
        .slice(before)
        .filter((e) => e.method === "PUT" && /accessPolicies/i.test(e.path)),
    ).toEqual([]);
  });

  it('with keyVaultAccess "grant" on an RBAC Key Vault: a role assignment of Key Vault Administrator, once', async () => {
    const checked = await w.host.check("protected-vm", protection("vm-rbac", { keyVaultAccess: "grant" }));
    expect(checked.failures).toEqual([]);
    const { id, outs } = await w.host.create("protected-vm", checked.inputs);
    const assignments = w.emulator.state.roleAssignments!.filter((a) => a.scope === kvId("kv-rbac"));
    expect(assignments.map((a) => [a.principalId, a.roleDefinitionId])).toEqual([
      [BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, `/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_ADMINISTRATOR_ROLE}`],
    ]);
    // Destroy never revokes it.
    await w.host.delete("protected-vm", id, outs);
    expect(w.emulator.state.roleAssignments!.filter((a) => a.scope === kvId("kv-rbac"))).toHaveLength(1);
  });
});
