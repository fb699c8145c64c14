/**
 * The vault settings security baselines ask for, round-tripped through Pulumi's real provider host against the
 * emulator: created with every setting, read back with no diff, changed in place where Azure allows it, refused in
 * check() (the preview) where Azure does not.
 */
import { hostWorld, SUB, type HostWorld } from "./harness";

const UAI = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-backup`;
const KEY = "https://kv-backup.vault.azure.net/keys/backup-key";
const KEY2 = "https://kv-backup.vault.azure.net/keys/backup-key-2/0767b348bb1a4c07baa6c4ec0055d2b3";
const VAULT = { resourceGroupName: "rg-backup", name: "rsv-baseline", location: "westeurope" };
const BASELINE = {
  ...VAULT,
  publicNetworkAccess: "disabled",
  identity: { systemAssigned: true, userAssignedIdentityIds: [UAI] },
  encryption: { keyId: KEY, userAssignedIdentityId: UAI, infrastructureEncryption: true },
  monitoring: { jobFailureAlerts: true, classicAlerts: false },
  crossSubscriptionRestore: "Disabled",
};

describe("vault settings through the real provider host", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [] });
  });
  afterAll(async () => w.stop());

  const record = (name = "rsv-baseline") => w.emulator.model.vault(SUB, "rg-backup", name)!;

  describe("a vault with every setting", () => {
    let id: string;
    let outs: Record<string, unknown>;
    let inputs: Record<string, unknown>;

    it("checks them (warnings only) and returns them in canonical form", async () => {
      const checked = await w.host.check("vault", BASELINE);
      expect(checked.failures).toEqual([]);
      inputs = checked.inputs;
      expect(inputs).toMatchObject({ publicNetworkAccess: "Disabled", crossSubscriptionRestore: "Disabled", encryption: { infrastructureEncryption: true } });
    });

    it("creates the vault with them in Azure, and gives the system identity's principal id", async () => {
      ({ id, outs } = await w.host.create("vault", inputs));
      expect(outs).toMatchObject({
        publicNetworkAccess: "Disabled",
        identity: { systemAssigned: true, userAssignedIdentityIds: [UAI] },
        encryption: { keyId: KEY, userAssignedIdentityId: UAI, infrastructureEncryption: true },
        monitoring: { jobFailureAlerts: true, classicAlerts: false },
        crossSubscriptionRestore: "Disabled",
      });
      expect(outs.identityPrincipalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(record()).toMatchObject({
        publicNetworkAccess: "Disabled",
        identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: [UAI] },
        encryption: { keyUri: KEY, useSystemAssignedIdentity: false, userAssignedIdentity: UAI, infrastructureEncryption: "Enabled" },
        crossSubscriptionRestore: "Disabled",
      });
    });

    it("reads them back, and finds no difference with the same program", async () => {
      const read = await w.host.read("vault", id, outs);
      expect(read.props).toMatchObject({
        publicNetworkAccess: "Disabled",
        identityPrincipalId: outs.identityPrincipalId,
        crossSubscriptionRestore: "Disabled",
      });
      const again = await w.host.check("vault", BASELINE, inputs);
      expect(again.failures).toEqual([]);
      expect(await w.host.diff("vault", id, read.props, again.inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: true });
      outs = read.props;
    });

    it("adopts the identical vault on a create that finds it (no write)", async () => {
      const mark = w.emulator.log.mark();
      expect((await w.host.create("vault", inputs)).id).toBe(id);
      expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET")).toEqual([]);
    });

    it("sees a drift of a given setting after a refresh", async () => {
      record().publicNetworkAccess = "Enabled";
      const read = await w.host.read("vault", id, outs);
      expect(await w.host.diff("vault", id, read.props, inputs)).toMatchObject({ changes: "some", replaces: [] });
      outs = await w.host.update("vault", id, read.props, inputs);
      expect(record().publicNetworkAccess).toBe("Disabled");
    });

    it("changes the key, public access, alerts and cross-subscription restore in place", async () => {
      const next = {
        ...BASELINE,
        publicNetworkAccess: "Enabled",
        encryption: { ...BASELINE.encryption, keyId: KEY2 },
        monitoring: { classicAlerts: true },
        crossSubscriptionRestore: "PermanentlyDisabled",
      };
      const checked = await w.host.check("vault", next, inputs);
      expect(checked.failures).toEqual([]);
      expect(await w.host.diff("vault", id, outs, checked.inputs)).toMatchObject({ changes: "some", replaces: [] });
      outs = await w.host.update("vault", id, outs, checked.inputs);
      inputs = checked.inputs;
      expect(outs).toMatchObject({
        publicNetworkAccess: "Enabled",
        encryption: { keyId: KEY2, infrastructureEncryption: true },
        monitoring: { jobFailureAlerts: true, classicAlerts: true },
        crossSubscriptionRestore: "PermanentlyDisabled",
      });
      expect(record().monitoringSettings).toEqual({
        azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" },
        classicAlertSettings: { alertsForCriticalOperations: "Enabled" },
      });
      expect(await w.host.diff("vault", id, outs, checked.inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: true });
    });

    it("refuses in the preview what Azure refuses, naming the vault, the argument, the rule and its source", async () => {
      const base = { ...BASELINE, encryption: { ...BASELINE.encryption, keyId: KEY2 }, crossSubscriptionRestore: "PermanentlyDisabled" };
      const csr = await w.host.check("vault", { ...base, crossSubscriptionRestore: "Enabled" }, inputs);
      expect(csr.failures.map((f) => f.property)).toEqual(["crossSubscriptionRestore"]);
      expect(csr.failures[0]!.reason).toMatch(
        /^\[vault\/cross-subscription-restore-irreversible\] Vault 'rsv-baseline' has cross-subscription restore PermanentlyDisabled; it can never become Enabled\. Fix: .*Source: Restore Azure VM data/,
      );
      const infra = await w.host.check("vault", { ...base, encryption: { ...base.encryption, infrastructureEncryption: false } }, inputs);
      expect(infra.failures.map((f) => f.reason.split("]")[0])).toEqual(["[vault/infrastructure-encryption-change"]);
      const { encryption: _dropped, ...withoutKey } = base;
      const removed = await w.host.check("vault", withoutKey, inputs);
      expect(removed.failures.map((f) => f.property)).toEqual(["encryption"]);
      expect(removed.failures[0]!.reason).toContain("[vault/encryption-removed]");
      const identity = await w.host.check("vault", { ...base, identity: { systemAssigned: true } }, inputs);
      // The key's identity left out of identity: the inputs themselves are wrong (judged before Azure is asked).
      expect(identity.failures.map((f) => f.reason.split("]")[0])).toEqual(["[vault/encryption-identity"]);
      // Nothing was written by a preview.
      expect(record().crossSubscriptionRestore).toBe("PermanentlyDisabled");
    });
  });

  it("leaves out of the diff what the program does not give: Azure's defaults are no drift", async () => {
    const { inputs } = await w.host.check("vault", { ...VAULT, name: "rsv-defaults" });
    const { id, outs } = await w.host.create("vault", inputs);
    expect(outs).toMatchObject({ publicNetworkAccess: "Enabled", crossSubscriptionRestore: "Enabled", monitoring: { jobFailureAlerts: true } });
    expect(outs.encryption).toBeUndefined();
    const read = await w.host.read("vault", id, outs);
    expect(await w.host.diff("vault", id, read.props, inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: true });
    // Giving the default explicitly is no change either.
    const explicit = await w.host.check("vault", { ...VAULT, name: "rsv-defaults", publicNetworkAccess: "Enabled", crossSubscriptionRestore: "Enabled" });
    expect(await w.host.diff("vault", id, read.props, explicit.inputs)).toMatchObject({ changes: "none" });
  });

  it("refuses in the preview a key for a vault that already protects VMs, and adds one to a vault that never did", async () => {
    const { inputs } = await w.host.check("vault", { ...VAULT, name: "rsv-used", identity: { systemAssigned: true } });
    const used = await w.host.create("vault", inputs);
    record("rsv-used").storageLocked = true;
    const withKey = { ...VAULT, name: "rsv-used", identity: { systemAssigned: true }, encryption: { keyId: KEY } };
    const refused = await w.host.check("vault", withKey, inputs);
    expect(refused.failures.map((f) => f.property)).toEqual(["encryption"]);
    expect(refused.failures[0]!.reason).toMatch(
      /^\[vault\/encryption-not-new\] Vault 'rsv-used' already protects VMs.*Source: Encrypt backup data by using customer-managed keys/,
    );

    record("rsv-used").storageLocked = false;
    const allowed = await w.host.check("vault", withKey, inputs);
    expect(allowed.failures).toEqual([]);
    const outs = await w.host.update("vault", used.id, used.outs, allowed.inputs);
    expect(outs).toMatchObject({ encryption: { keyId: KEY, infrastructureEncryption: false } });
    expect(record("rsv-used").encryption).toMatchObject({ keyUri: KEY, useSystemAssignedIdentity: true });
    // A program that never declared the key (e.g. one that adopted the vault) may not remove the identity that reads it.
    const dropIdentity = await w.host.check("vault", { ...VAULT, name: "rsv-used", identity: { systemAssigned: false } });
    expect(dropIdentity.failures.map((f) => f.property)).toEqual(["identity.systemAssigned"]);
    expect(dropIdentity.failures[0]!.reason).toMatch(
      /^\[vault\/encryption-identity-removed\] Vault 'rsv-used' reads its customer-managed key with its system-assigned identity/,
    );
  });

  describe("a create that finds an empty vault with other settings converges it without taking away what the program does not declare", () => {
    const vaultPuts = (mark: number, name: string) =>
      w.emulator.log.list(mark).filter((e) => e.method === "PUT" && new RegExp(`/vaults/${name}$`, "i").test(e.path.split("?")[0]!));

    it("keeps public network access Disabled, the identity, alerts and cross-subscription restore (PATCH, not PUT)", async () => {
      const held = {
        ...VAULT,
        name: "rsv-adopt",
        publicNetworkAccess: "Disabled",
        identity: { systemAssigned: true },
        monitoring: { classicAlerts: false },
        crossSubscriptionRestore: "Disabled",
      };
      await w.host.create("vault", (await w.host.check("vault", held)).inputs);
      const mark = w.emulator.log.mark();
      const { inputs, failures } = await w.host.check("vault", { ...VAULT, name: "rsv-adopt", redundancy: "LocallyRedundant", tags: { env: "prod" } });
      expect(failures).toEqual([]);
      const { outs } = await w.host.create("vault", inputs);
      expect(record("rsv-adopt")).toMatchObject({
        redundancy: "LocallyRedundant",
        tags: { env: "prod" },
        publicNetworkAccess: "Disabled",
        identity: { type: "SystemAssigned" },
        monitoringSettings: { classicAlertSettings: { alertsForCriticalOperations: "Disabled" } },
        crossSubscriptionRestore: "Disabled",
      });
      expect(outs).toMatchObject({ publicNetworkAccess: "Disabled", identity: { systemAssigned: true }, crossSubscriptionRestore: "Disabled" });
      expect(vaultPuts(mark, "rsv-adopt")).toEqual([]);
    });

    it("keeps a customer-managed key and the identity that reads it", async () => {
      const held = { ...VAULT, name: "rsv-adopt-cmk", identity: { systemAssigned: true }, encryption: { keyId: KEY } };
      await w.host.create("vault", (await w.host.check("vault", held)).inputs);
      const { inputs, failures } = await w.host.check("vault", { ...VAULT, name: "rsv-adopt-cmk", redundancy: "ZoneRedundant", tags: { env: "prod" } });
      expect(failures).toEqual([]);
      await w.host.create("vault", inputs);
      expect(record("rsv-adopt-cmk")).toMatchObject({
        redundancy: "ZoneRedundant",
        tags: { env: "prod" },
        identity: { type: "SystemAssigned" },
        encryption: { keyUri: KEY, useSystemAssignedIdentity: true },
      });
    });
  });

  it("fails the preview of values Azure does not take", async () => {
    const { failures } = await w.host.check("vault", { ...VAULT, name: "rsv-bad", publicNetworkAccess: "Private", encryption: { keyId: "backup-key" } });
    expect(failures.map((f) => f.reason.split("]")[0])).toEqual(["[vault/public-network-access", "[vault/encryption-key-id", "[vault/encryption-identity"]);
  });
});
