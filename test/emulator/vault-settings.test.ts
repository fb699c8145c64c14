/**
 * The emulator's vault settings (identity, CMK encryption, public network access, monitoring, cross-subscription
 * restore) through the real SDK: stored and rendered as the 2026-07-01 examples show them, and the changes Azure
 * refuses answered with an error.
 */
import type { Vault } from "@azure/arm-recoveryservices";
import { armError, SUB, VAULT_RG, world, type TestWorld } from "./harness";

const UAI = `/subscriptions/${SUB}/resourcegroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-backup`;
const KEY = "https://kv-backup.vault.azure.net/keys/backup-key/0767b348bb1a4c07baa6c4ec0055d2b3";
const OPTS = { updateIntervalInMs: 1 };

describe("emulator: vault settings through the SDK", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => w.stop());

  const put = (name: string, vault: Vault) => w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, name, vault, OPTS);
  const patch = (name: string, vault: Parameters<TestWorld["vaults"]["vaults"]["beginUpdateAndWait"]>[2]) =>
    w.vaults.vaults.beginUpdateAndWait(VAULT_RG, name, vault, OPTS);

  it("reports the defaults of a vault created with none of them: public network access Enabled, no identity, no encryption", async () => {
    const v = await put("rsv-plain", { location: "westeurope", sku: { name: "Standard" }, properties: {} });
    expect(v.properties?.publicNetworkAccess).toBe("Enabled");
    expect(v.identity).toBeUndefined();
    expect(v.properties?.encryption).toBeUndefined();
  });

  it("creates a vault with every setting, as PUTVault_WithCMK.json shows it, with the identities' principal ids", async () => {
    const v = await put("rsv-cmk", {
      location: "westeurope",
      sku: { name: "Standard" },
      identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [UAI]: {} } },
      properties: {
        publicNetworkAccess: "Disabled",
        encryption: { keyVaultProperties: { keyUri: KEY }, kekIdentity: { userAssignedIdentity: UAI }, infrastructureEncryption: "Enabled" },
        monitoringSettings: {
          azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" },
          classicAlertSettings: { alertsForCriticalOperations: "Disabled" },
        },
        restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "Disabled" } },
      },
    });
    expect(v.identity?.type).toBe("SystemAssigned, UserAssigned");
    expect(v.identity?.principalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v.identity?.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.identity?.userAssignedIdentities?.[UAI]?.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.properties).toMatchObject({
      publicNetworkAccess: "Disabled",
      encryption: {
        keyVaultProperties: { keyUri: KEY },
        kekIdentity: { useSystemAssignedIdentity: false, userAssignedIdentity: UAI },
        infrastructureEncryption: "Enabled",
      },
      monitoringSettings: { azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" } },
      restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "Disabled" } },
    });
    const got = await w.vaults.vaults.get(VAULT_RG, "rsv-cmk");
    expect(got.identity?.principalId).toBe(v.identity?.principalId);
  });

  it("changes the key, public network access, alerts and cross-subscription restore in place (PATCH)", async () => {
    const key2 = "https://kv-backup.vault.azure.net/keys/backup-key-2";
    const v = await patch("rsv-cmk", {
      properties: {
        publicNetworkAccess: "Enabled",
        encryption: { keyVaultProperties: { keyUri: key2 }, kekIdentity: { userAssignedIdentity: UAI } },
        monitoringSettings: { classicAlertSettings: { alertsForCriticalOperations: "Enabled" } },
        restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "PermanentlyDisabled" } },
      },
    });
    expect(v.properties).toMatchObject({
      publicNetworkAccess: "Enabled",
      encryption: { keyVaultProperties: { keyUri: key2 }, infrastructureEncryption: "Enabled" },
      restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "PermanentlyDisabled" } },
    });
  });

  it("refuses what Azure refuses on an encrypted vault", async () => {
    // PermanentlyDisabled cannot be left.
    const csr = await armError(
      patch("rsv-cmk", { properties: { restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "Enabled" } } } }),
    );
    expect(csr).toMatchObject({ statusCode: 400, code: "UserErrorCrossSubscriptionRestorePermanentlyDisabled" });
    // Infrastructure encryption cannot change.
    const infra = await armError(
      patch("rsv-cmk", {
        properties: { encryption: { keyVaultProperties: { keyUri: KEY }, kekIdentity: { userAssignedIdentity: UAI }, infrastructureEncryption: "Disabled" } },
      }),
    );
    expect(infra).toMatchObject({ statusCode: 400, code: "UserErrorInfrastructureEncryptionCannotChange" });
    // The identity that reads the key cannot go.
    const identity = await armError(patch("rsv-cmk", { identity: { type: "SystemAssigned" } }));
    expect(identity).toMatchObject({ statusCode: 400, code: "UserErrorCmkIdentityNotFound" });
    // A PUT without the encryption would remove the CMK.
    const removed = await armError(put("rsv-cmk", { location: "westeurope", sku: { name: "Standard" }, properties: {} }));
    expect(removed).toMatchObject({ statusCode: 400, code: "UserErrorCmkEncryptionCannotBeRemoved" });
    const still = await w.vaults.vaults.get(VAULT_RG, "rsv-cmk");
    expect(still.identity?.type).toBe("SystemAssigned, UserAssigned");
    expect(still.properties?.encryption?.infrastructureEncryption).toBe("Enabled");
  });

  it("adds a key to a vault with no item (PATCHVault_WithCMK.json), never to one that protected VMs", async () => {
    await put("rsv-later", { location: "westeurope", sku: { name: "Standard" }, identity: { type: "SystemAssigned" }, properties: {} });
    const v = await patch("rsv-later", {
      properties: { encryption: { keyVaultProperties: { keyUri: KEY }, kekIdentity: { useSystemAssignedIdentity: true } } },
    });
    expect(v.properties?.encryption).toMatchObject({ kekIdentity: { useSystemAssignedIdentity: true }, infrastructureEncryption: "Disabled" });

    await put("rsv-used", { location: "westeurope", sku: { name: "Standard" }, identity: { type: "SystemAssigned" }, properties: {} });
    w.emulator.model.vault(SUB, VAULT_RG, "rsv-used")!.storageLocked = true;
    const used = await armError(
      patch("rsv-used", { properties: { encryption: { keyVaultProperties: { keyUri: KEY }, kekIdentity: { useSystemAssignedIdentity: true } } } }),
    );
    expect(used).toMatchObject({ statusCode: 400, code: "UserErrorCmkVaultHasRegisteredItems" });
  });

  it("replaces a vault's properties on a PUT of a vault that exists: what the PUT leaves out returns to its default", async () => {
    await put("rsv-replace", {
      location: "westeurope",
      sku: { name: "Standard" },
      tags: { team: "backup" },
      identity: { type: "SystemAssigned" },
      properties: {
        publicNetworkAccess: "Disabled",
        redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant" },
        securitySettings: { immutabilitySettings: { state: "Unlocked" } },
        monitoringSettings: { classicAlertSettings: { alertsForCriticalOperations: "Disabled" } },
        restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "Disabled" } },
      },
    });
    const v = await put("rsv-replace", { location: "westeurope", sku: { name: "Standard" }, properties: { publicNetworkAccess: "Disabled" } });
    expect(v.identity).toBeUndefined();
    expect(v.tags ?? {}).toEqual({});
    expect(v.properties?.publicNetworkAccess).toBe("Disabled");
    expect(v.properties?.redundancySettings?.standardTierStorageRedundancy).toBe("GeoRedundant");
    expect(v.properties?.securitySettings?.immutabilitySettings?.state).toBe("Disabled");
    expect(v.properties?.monitoringSettings?.classicAlertSettings).toBeUndefined();
    expect(v.properties?.restoreSettings).toBeUndefined();
    const record = w.emulator.model.vault(SUB, VAULT_RG, "rsv-replace")!;
    expect(record.publicNetworkAccess).toBe("Disabled");
    expect([record.identity, record.monitoringSettings, record.crossSubscriptionRestore]).toEqual([undefined, undefined, undefined]);
    // Left out again: public network access returns to Enabled.
    expect((await put("rsv-replace", { location: "westeurope", sku: { name: "Standard" }, properties: {} })).properties?.publicNetworkAccess).toBe("Enabled");
  });

  it("keeps on a PUT what Azure never lets a request take away: Locked immutability, locked storage, PermanentlyDisabled, soft delete", async () => {
    await put("rsv-held", {
      location: "westeurope",
      sku: { name: "Standard" },
      properties: {
        redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant" },
        securitySettings: { immutabilitySettings: { state: "Unlocked" } },
        restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "PermanentlyDisabled" } },
      },
    });
    await patch("rsv-held", { properties: { securitySettings: { immutabilitySettings: { state: "Locked" } } } });
    const record = w.emulator.model.vault(SUB, VAULT_RG, "rsv-held")!;
    record.storageLocked = true;
    const softDelete = { ...record.softDelete };
    const v = await put("rsv-held", { location: "westeurope", sku: { name: "Standard" }, properties: {} });
    expect(v.properties?.securitySettings?.immutabilitySettings?.state).toBe("Locked");
    expect(v.properties?.redundancySettings?.standardTierStorageRedundancy).toBe("LocallyRedundant");
    expect(v.properties?.restoreSettings?.crossSubscriptionRestoreSettings?.crossSubscriptionRestoreState).toBe("PermanentlyDisabled");
    expect(record.softDelete).toEqual(softDelete);
  });

  it("validates values: a key that is no Key Vault key, an identity the vault lacks, unknown enum values", async () => {
    const base = { location: "westeurope", sku: { name: "Standard" } };
    expect(
      await armError(
        put("rsv-bad1", { ...base, identity: { type: "SystemAssigned" }, properties: { encryption: { keyVaultProperties: { keyUri: "backup-key" } } } }),
      ),
    ).toMatchObject({
      statusCode: 400,
      code: "BadRequest",
    });
    expect(
      await armError(
        put("rsv-bad2", { ...base, properties: { encryption: { keyVaultProperties: { keyUri: KEY }, kekIdentity: { useSystemAssignedIdentity: true } } } }),
      ),
    ).toMatchObject({
      code: "UserErrorCmkIdentityNotFound",
    });
    expect(await armError(put("rsv-bad3", { ...base, properties: { publicNetworkAccess: "Private" } }))).toMatchObject({ code: "BadRequest" });
    expect(w.emulator.model.vault(SUB, VAULT_RG, "rsv-bad2")).toBeUndefined();
  });
});
