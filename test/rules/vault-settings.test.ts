import {
  normalizeVault,
  validateVault,
  validateVaultSettingsChange,
  vaultSettingsDifferences,
  type VaultArgs,
  type VaultSettingsCurrent,
  type VaultSettingsState,
} from "../../src";
import { errors, only, SUB, warnings } from "./helpers";

const vault = (extra: Partial<VaultArgs> = {}): VaultArgs => ({ name: "rsv-prod-weu", location: "westeurope", ...extra });
const UAI = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-backup`;
const KEY = "https://kv-backup.vault.azure.net/keys/backup-key";
const KEY_V = "https://kv-backup.vault.azure.net/keys/backup-key/0767b348bb1a4c07baa6c4ec0055d2b3";

describe("vault settings", () => {
  it("leaves every setting out of the canonical vault when it is not given (Azure's own value is never compared)", () => {
    const v = normalizeVault(vault()).vault!;
    for (const key of ["publicNetworkAccess", "identity", "encryption", "monitoring", "crossSubscriptionRestore"]) expect(v).not.toHaveProperty(key);
  });

  it("canonicalises every setting a baseline asks for", () => {
    const { vault: v, diagnostics } = normalizeVault(
      vault({
        publicNetworkAccess: "disabled",
        identity: { systemAssigned: true, userAssignedIdentityIds: [UAI] },
        encryption: { keyId: KEY, userAssignedIdentityId: UAI.toUpperCase(), infrastructureEncryption: true },
        monitoring: { jobFailureAlerts: true, classicAlerts: false },
        crossSubscriptionRestore: "disabled",
      }),
    );
    expect(errors(diagnostics)).toEqual([]);
    expect(warnings(diagnostics)).toEqual(["vault/encryption-irreversible"]);
    expect(v).toMatchObject({
      publicNetworkAccess: "Disabled",
      identity: { systemAssigned: true, userAssignedIdentityIds: [UAI] },
      encryption: { keyId: KEY, userAssignedIdentityId: UAI.toUpperCase(), infrastructureEncryption: true },
      monitoring: { jobFailureAlerts: true, classicAlerts: false },
      crossSubscriptionRestore: "Disabled",
    });
  });

  it("refuses values Azure does not take, with the allowed ones", () => {
    const d = validateVault(vault({ publicNetworkAccess: "Private", crossSubscriptionRestore: "Off" }));
    expect(errors(d)).toEqual(["vault/public-network-access", "vault/cross-subscription-restore"]);
    expect(only(d, "vault/cross-subscription-restore").remedy).toBe("Use one of: Enabled, Disabled, PermanentlyDisabled.");
  });

  describe("identity", () => {
    it("takes user-assigned identities by ARM id only, each once", () => {
      const d = validateVault(vault({ identity: { userAssignedIdentityIds: ["id-backup", UAI, UAI.toLowerCase()] } }));
      expect(errors(d)).toEqual(["vault/identity", "input/duplicate"]);
      expect(only(d, "vault/identity").path).toBe("identity.userAssignedIdentityIds[0]");
    });
  });

  describe("encryption with a customer-managed key", () => {
    it.each([KEY, KEY_V, `${KEY}/`, "https://kv.vault.azure.cn/keys/k"])("accepts the Key Vault key URL %s", (keyId) => {
      expect(errors(validateVault(vault({ identity: { systemAssigned: true }, encryption: { keyId } })))).toEqual([]);
    });
    it.each([
      "backup-key",
      "https://kv-backup.vault.azure.net/secrets/backup-key",
      "http://kv-backup.vault.azure.net/keys/k",
      "https://kv.vault.azure.net/keys/k/v1",
    ])("refuses %s", (keyId) => {
      const d = only(validateVault(vault({ identity: { systemAssigned: true }, encryption: { keyId } })), "vault/encryption-key-id");
      expect(d.path).toBe("encryption.keyId");
      expect(d.source).toContain("keyUri");
    });
    it("needs the identity that reads the key to be one the vault has", () => {
      const none = only(validateVault(vault({ encryption: { keyId: KEY } })), "vault/encryption-identity");
      expect(none.message).toContain("the vault has no managed identity");
      expect(none.remedy).toContain("identity.systemAssigned");
      const other = only(
        validateVault(vault({ identity: { systemAssigned: true }, encryption: { keyId: KEY, userAssignedIdentityId: UAI } })),
        "vault/encryption-identity",
      );
      expect(other.path).toBe("encryption.userAssignedIdentityId");
      expect(other.remedy).toBe("Add it to identity.userAssignedIdentityIds.");
    });
    it("warns that it is irreversible, needs a vault with no item and key permissions, and says where the principal id is", () => {
      const d = only(validateVault(vault({ identity: { systemAssigned: true }, encryption: { keyId: KEY } })), "vault/encryption-irreversible");
      expect(d.severity).toBe("warning");
      expect(d.message).toMatch(/never be turned back to platform-managed keys.*no item was ever registered/);
      expect(d.remedy).toContain("identityPrincipalId");
      expect(d.source).toContain("https://learn.microsoft.com/azure/backup/encryption-at-rest-with-cmk");
    });
    it("defaults infrastructure encryption to off", () => {
      expect(normalizeVault(vault({ identity: { systemAssigned: true }, encryption: { keyId: KEY } })).vault?.encryption).toEqual({
        keyId: KEY,
        infrastructureEncryption: false,
      });
    });
  });

  describe("monitoring and cross-subscription restore", () => {
    it("warns when job failure alerts are turned off, or classic alerts kept on", () => {
      const d = validateVault(vault({ monitoring: { jobFailureAlerts: false, classicAlerts: true } }));
      expect(warnings(d)).toEqual(["vault/monitoring-job-alerts-off", "vault/monitoring-classic-alerts"]);
      expect(only(d, "vault/monitoring-classic-alerts").source).toContain("move-to-azure-monitor-alerts");
    });
    it("warns that PermanentlyDisabled can never be undone", () => {
      const d = only(validateVault(vault({ crossSubscriptionRestore: "PermanentlyDisabled" })), "vault/cross-subscription-restore-permanent");
      expect(d.severity).toBe("warning");
      expect(d.source).toContain("can't be re-enabled");
    });
  });

  describe("differences with what Azure holds", () => {
    const held: VaultSettingsState = {
      publicNetworkAccess: "Enabled",
      identity: { systemAssigned: true, userAssignedIdentityIds: [UAI], principalId: "p" },
      encryption: { keyId: KEY, userAssignedIdentityId: UAI, infrastructureEncryption: false },
      monitoring: { jobFailureAlerts: true, classicAlerts: false },
      crossSubscriptionRestore: "Enabled",
    };
    it("compares only what is given", () => {
      expect(vaultSettingsDifferences({}, held)).toEqual([]);
      expect(vaultSettingsDifferences({ monitoring: { classicAlerts: false } }, held)).toEqual([]);
      expect(
        vaultSettingsDifferences(
          {
            identity: { systemAssigned: true, userAssignedIdentityIds: [UAI.toUpperCase()] },
            encryption: { keyId: `${KEY.toUpperCase()}/`, userAssignedIdentityId: UAI, infrastructureEncryption: false },
          },
          held,
        ),
      ).toEqual([]);
    });
    it("finds each given setting that differs", () => {
      expect(
        vaultSettingsDifferences(
          {
            publicNetworkAccess: "Disabled",
            identity: { systemAssigned: true, userAssignedIdentityIds: [] },
            encryption: { keyId: KEY_V, userAssignedIdentityId: UAI, infrastructureEncryption: false },
            monitoring: { jobFailureAlerts: false },
            crossSubscriptionRestore: "Disabled",
          },
          held,
        ),
      ).toEqual(["publicNetworkAccess", "identity", "encryption", "monitoring", "crossSubscriptionRestore"]);
    });
  });

  describe("changes Azure refuses on a vault that exists", () => {
    const plain: VaultSettingsCurrent = {
      name: "rsv-prod-weu",
      identity: { systemAssigned: true, userAssignedIdentityIds: [] },
      crossSubscriptionRestore: "Enabled",
      storageLocked: false,
    };
    const cmk: VaultSettingsCurrent = { ...plain, encryption: { keyId: KEY, infrastructureEncryption: true } };

    it("allows a key on a vault where no item was registered, and changing the key", () => {
      expect(validateVaultSettingsChange(plain, { encryption: { keyId: KEY, infrastructureEncryption: false } })).toEqual([]);
      expect(validateVaultSettingsChange(cmk, { encryption: { keyId: KEY_V, infrastructureEncryption: true } })).toEqual([]);
    });
    it("refuses a key on a vault that already protects VMs", () => {
      const d = only(
        validateVaultSettingsChange({ ...plain, storageLocked: true }, { encryption: { keyId: KEY, infrastructureEncryption: false } }),
        "vault/encryption-not-new",
      );
      expect(d.message).toContain("Vault 'rsv-prod-weu' already protects VMs");
      expect(d.remedy).toContain("create a new vault");
    });
    it("refuses removing the key from the program, not a key that was never declared", () => {
      expect(errors(validateVaultSettingsChange(cmk, {}, { encryption: { keyId: KEY } }))).toEqual(["vault/encryption-removed"]);
      expect(validateVaultSettingsChange(cmk, {}, {})).toEqual([]);
    });
    it("refuses changing infrastructure encryption", () => {
      const d = only(
        validateVaultSettingsChange(cmk, { encryption: { keyId: KEY, infrastructureEncryption: false } }),
        "vault/infrastructure-encryption-change",
      );
      expect(d.path).toBe("encryption.infrastructureEncryption");
    });
    it("refuses removing the identity the key is read with, and allows removing another", () => {
      expect(errors(validateVaultSettingsChange(cmk, { identity: { systemAssigned: false, userAssignedIdentityIds: [UAI] } }))).toEqual([
        "vault/encryption-identity-removed",
      ]);
      const viaUai: VaultSettingsCurrent = {
        ...plain,
        identity: { systemAssigned: true, userAssignedIdentityIds: [UAI] },
        encryption: { keyId: KEY, userAssignedIdentityId: UAI, infrastructureEncryption: false },
      };
      expect(
        only(validateVaultSettingsChange(viaUai, { identity: { systemAssigned: true, userAssignedIdentityIds: [] } }), "vault/encryption-identity-removed")
          .path,
      ).toBe("identity.userAssignedIdentityIds");
      expect(validateVaultSettingsChange(viaUai, { identity: { systemAssigned: false, userAssignedIdentityIds: [UAI] } })).toEqual([]);
    });
    it("refuses leaving PermanentlyDisabled cross-subscription restore", () => {
      const locked = { ...plain, crossSubscriptionRestore: "PermanentlyDisabled" as const };
      expect(errors(validateVaultSettingsChange(locked, { crossSubscriptionRestore: "Enabled" }))).toEqual(["vault/cross-subscription-restore-irreversible"]);
      expect(validateVaultSettingsChange(locked, { crossSubscriptionRestore: "PermanentlyDisabled" })).toEqual([]);
      expect(validateVaultSettingsChange(locked, {})).toEqual([]);
    });
  });
});
