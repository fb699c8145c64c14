import { backupServicePrincipalUnknown, checkKeyVaultAccess, keyVaultNeeds, type KeyVaultAccess } from "../../src/rules";

const kv = (name: string) => `/subscriptions/s/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/${name}`;
const BEK = { secret: { keyVaultId: kv("kv1"), secretUrl: "https://kv1.vault.azure.net/secrets/bek/1" } };
const BEK_KEK = { ...BEK, keyEncryptionKey: { keyVaultId: kv("kv1"), keyUrl: "https://kv1.vault.azure.net/keys/kek/1" } };
const policies = (secrets: string[], keys: string[] = []): KeyVaultAccess => ({
  keyVaultId: kv("kv1"),
  readable: true,
  enableRbacAuthorization: false,
  secrets,
  keys,
  administratorRole: false,
});

describe("Key Vault access of encrypted VMs", () => {
  it("needs secrets for a BEK, and keys too in the KEK's vault (one need per vault)", () => {
    expect(keyVaultNeeds(BEK)).toEqual([{ keyVaultId: kv("kv1"), secrets: true, keys: false }]);
    expect(keyVaultNeeds(BEK_KEK)).toEqual([{ keyVaultId: kv("kv1"), secrets: true, keys: true }]);
    expect(keyVaultNeeds({ ...BEK, keyEncryptionKey: { keyVaultId: kv("kv2"), keyUrl: "k" } })).toEqual([
      { keyVaultId: kv("kv1"), secrets: true, keys: false },
      { keyVaultId: kv("kv2"), secrets: false, keys: true },
    ]);
  });

  it("accepts the documented permissions, in any case, or 'all'", () => {
    expect(checkKeyVaultAccess({ vm: "vm1", ade: BEK_KEK, vaults: [policies(["Get", "List", "Backup"], ["all"])], grant: false })).toEqual([]);
  });

  it("reports vm/key-vault-access naming what is missing, BEK only vs BEK and KEK", () => {
    const [bek] = checkKeyVaultAccess({ vm: "vm1", ade: BEK, vaults: [policies(["get"])], grant: false });
    expect(bek).toMatchObject({ code: "vm/key-vault-access", severity: "error", path: "keyVaultAccess" });
    expect(bek!.message).toContain("(BEK only");
    expect(bek!.message).toContain("secrets: list, backup");
    const [kek] = checkKeyVaultAccess({ vm: "vm1", ade: BEK_KEK, vaults: [policies(["get", "list", "backup"])], grant: false, objectId: "o-1" });
    expect(kek!.message).toContain("(BEK and KEK");
    expect(kek!.message).toContain("keys: get, list, backup");
    expect(kek!.remedy).toContain("object id o-1");
  });

  it("on an RBAC vault, asks for the Key Vault Administrator role", () => {
    const rbac: KeyVaultAccess = { ...(policies([]) as Extract<KeyVaultAccess, { readable: true }>), enableRbacAuthorization: true };
    const [d] = checkKeyVaultAccess({ vm: "vm1", ade: BEK, vaults: [rbac], grant: false });
    expect(d!.message).toContain("role Key Vault Administrator");
    expect(d!.remedy).toContain("assign the Key Vault Administrator role on Key Vault 'kv1'");
    expect(checkKeyVaultAccess({ vm: "vm1", ade: BEK, vaults: [{ ...rbac, administratorRole: true }], grant: false })).toEqual([]);
  });

  it("with grant, says what will be given (vm/key-vault-access-grant, info)", () => {
    const [d] = checkKeyVaultAccess({ vm: "vm1", ade: BEK, vaults: [policies([])], grant: true });
    expect(d).toMatchObject({ code: "vm/key-vault-access-grant", severity: "info" });
  });

  it("reports a vault it could not read as vm/key-vault-unreadable, without guessing", () => {
    const [d] = checkKeyVaultAccess({
      vm: "vm1",
      ade: BEK,
      vaults: [{ keyVaultId: kv("kv1"), readable: false, reason: "forbidden", detail: "AuthorizationFailed" }],
      grant: true,
    });
    expect(d).toMatchObject({ code: "vm/key-vault-unreadable", severity: "error" });
    expect(d!.message).toContain("may not read it");
  });

  it("names the setting when the Backup Management Service's object id is unknown (vm/backup-service-principal)", () => {
    const d = backupServicePrincipalUnknown("vm1", "azure-vm-backup:backupManagementServiceObjectId");
    expect(d).toMatchObject({ code: "vm/backup-service-principal", severity: "error" });
    expect(d.remedy).toContain("az ad sp show --id 262044b1-e2ce-469f-a196-69ab7ada62d3");
  });
});
