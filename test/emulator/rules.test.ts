import { request } from "node:https";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { DAY, HOUR } from "../../src/emulator";
import {
  capture,
  CONTAINER,
  createVault,
  credential,
  dailyPolicyBody,
  ITEM,
  OTHER_SUB,
  protect,
  settle,
  operationId,
  SUB,
  VAULT_RG,
  vmFixture,
  vmId,
  world,
  armError,
  type TestWorld,
} from "./harness";

function rawGet(w: TestWorld, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, w.emulator.endpoint);
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: "GET", ca: w.emulator.ca, headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("what Azure enforces, the emulator enforces", () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await world({
      vms: [
        vmFixture("vm1"),
        vmFixture("vm2"),
        vmFixture("vm-eus", { location: "eastus" }),
        { ...vmFixture("vm-other-sub"), id: vmId("vm-other-sub", "rg-app", OTHER_SUB) },
        vmFixture("vm-ultra", { dataDisks: [{ lun: 0, sizeGb: 256, storageType: "UltraSSD_LRS" }] }),
        vmFixture("vm-tl", { securityType: "TrustedLaunch" }),
        vmFixture("vm-cvm", { securityType: "ConfidentialVM" }),
      ],
    });
    await createVault(w);
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2030", dailyPolicyBody());
  });
  afterEach(async () => w.stop());

  const policyId = (vault = "rsv1", policy = "daily-2030") =>
    `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${vault}/backupPolicies/${policy}`;
  const putItem = (vm: string, id = vmId(vm), vault = "rsv1") =>
    w.backup.protectedItems.createOrUpdate(vault, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), {
      properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: id, policyId: policyId(vault) },
    } as never);

  it("vault and VM must be in one region", async () => {
    const e = await armError(putItem("vm-eus"));
    expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidInput" });
    expect(e.message).toContain("eastus");
  });

  it("protects a VM of another subscription in the vault's region (cross-subscription backup, Azure/azure-cli#33703)", async () => {
    const otherId = vmId("vm-other-sub", "rg-app", OTHER_SUB);
    expect((await protect(w, "rsv1", "vm-other-sub", "daily-2030", { sourceResourceId: otherId })).status).toBe("Succeeded");
    const item = w.emulator.model.vault(SUB, VAULT_RG, "rsv1")!.items.find((i) => i.friendlyName === "vm-other-sub");
    expect(item?.vmId.toLowerCase()).toBe(otherId.toLowerCase());
  });

  it("a VM is protected in one vault only, a soft-deleted protection included", async () => {
    await createVault(w, "rsv2");
    await w.backup.protectionPolicies.createOrUpdate("rsv2", VAULT_RG, "daily-2030", dailyPolicyBody());
    expect((await protect(w, "rsv1", "vm1", "daily-2030")).status).toBe("Succeeded");
    const e = await armError(putItem("vm1", vmId("vm1"), "rsv2"));
    expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorVMAlreadyProtected" });
    expect(e.message).toContain("rsv1");
    const c = capture();
    await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: c.onResponse });
    await settle(() => w.backup.backupOperationStatuses.get("rsv1", VAULT_RG, operationId(c.headers["azure-asyncoperation"])));
    const soft = await armError(putItem("vm1", vmId("vm1"), "rsv2"));
    expect(soft.code).toBe("BMSUserErrorVMAlreadyProtected");
    expect(soft.message).toContain("(soft-deleted)");
  });

  it("one protection operation at a time per item", async () => {
    await putItem("vm1");
    const e = await armError(putItem("vm1"));
    expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorConflictingProtectionOperation" });
  });

  it("Ultra and Premium SSD v2 disks need an enhanced policy", async () => {
    const e = await armError(putItem("vm-ultra"));
    expect(e).toMatchObject({ statusCode: 400, code: "UserErrorStandardPolicyNotSupportedForDiskType" });
  });

  describe("security types (docs/azure-today.md: Trusted Launch and Confidential VMs)", () => {
    /** A backup client that speaks another api-version, as Azure CLI >= 2.73 and Az >= 14 do. */
    const backupAt = (apiVersion: string) =>
      new RecoveryServicesBackupClient(credential, SUB, { endpoint: w.emulator.endpoint, tlsOptions: { ca: w.emulator.ca }, apiVersion });
    const putWith = (client: RecoveryServicesBackupClient, vm: string, policy = "daily-2030") =>
      client.protectedItems.createOrUpdate("rsv1", VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), {
        properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId(vm), policyId: policyId("rsv1", policy) },
      } as never);
    const enhanced = async () => {
      const time = new Date("2024-01-01T20:30:00Z");
      await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "enhanced", {
        properties: {
          backupManagementType: "AzureIaasVM",
          policyType: "V2",
          timeZone: "UTC",
          schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicyV2", scheduleRunFrequency: "Daily", dailySchedule: { scheduleRunTimes: [time] } },
          retentionPolicy: {
            retentionPolicyType: "LongTermRetentionPolicy",
            dailySchedule: { retentionTimes: [time], retentionDuration: { count: 30, durationType: "Days" } },
          },
        },
      } as never);
    };

    it("serves a VM's securityProfile as the compute API does", async () => {
      expect((await w.compute.virtualMachines.get("rg-app", "vm-tl")).securityProfile).toEqual({
        securityType: "TrustedLaunch",
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      });
      expect((await w.compute.virtualMachines.get("rg-app", "vm1")).securityProfile).toBeUndefined();
    });
    it("refuses a standard policy for a Trusted Launch VM before api-version 2025-01-01", async () => {
      const e = await armError(putItem("vm-tl"));
      expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidPolicyInput" });
      expect(e.message).toContain("Trusted Launch Backup is supported using Enhanced policy");
      expect(e.message).toContain("api-version 2023-06-01");
    });
    it("accepts it from api-version 2025-01-01 on, and an enhanced policy at any version", async () => {
      const client = backupAt("2025-01-01");
      const c = capture();
      await client.protectedItems.createOrUpdate(
        "rsv1",
        VAULT_RG,
        "Azure",
        CONTAINER("vm-tl"),
        ITEM("vm-tl"),
        {
          properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId("vm-tl"), policyId: policyId() },
        } as never,
        { onResponse: c.onResponse },
      );
      const id = operationId(c.headers["azure-asyncoperation"]);
      const done = await settle(() => client.protectedItemOperationStatuses.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm-tl"), ITEM("vm-tl"), id));
      expect(done.status).toBe("Succeeded");
      // An enhanced policy protects it through any version: the older client moves it to one.
      await enhanced();
      expect((await protect(w, "rsv1", "vm-tl", "enhanced")).status).toBe("Succeeded");
    });
    it("refuses a standard policy for a Confidential VM at every api-version, also when an item moves to one", async () => {
      for (const client of [w.backup, backupAt("2025-08-01")]) {
        const e = await armError(putWith(client, "vm-cvm"));
        expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidPolicyInput" });
        expect(e.message).toContain("Confidential VM");
      }
      await enhanced();
      expect((await protect(w, "rsv1", "vm-cvm", "enhanced")).status).toBe("Succeeded");
      expect((await armError(putWith(w.backup, "vm-cvm"))).code).toBe("BMSUserErrorInvalidPolicyInput");
    });
  });

  it("a policy with items cannot be deleted; without items it can", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const e = await armError(w.backup.protectionPolicies.beginDeleteAndWait("rsv1", VAULT_RG, "daily-2030"));
    expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorPolicyObjectInUse" });
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "unused-policy", dailyPolicyBody());
    await w.backup.protectionPolicies.beginDeleteAndWait("rsv1", VAULT_RG, "unused-policy");
    expect((await armError(w.backup.protectionPolicies.get("rsv1", VAULT_RG, "unused-policy"))).statusCode).toBe(404);
  });

  it("storage redundancy is locked once a VM is protected", async () => {
    await w.vaults.vaults.beginUpdateAndWait(
      VAULT_RG,
      "rsv1",
      { properties: { redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant" } } },
      { updateIntervalInMs: 1 },
    );
    expect((await w.backup.backupResourceStorageConfigsNonCRR.get("rsv1", VAULT_RG)).properties).toMatchObject({
      storageType: "LocallyRedundant",
      storageTypeState: "Unlocked",
    });
    await protect(w, "rsv1", "vm1", "daily-2030");
    expect((await w.backup.backupResourceStorageConfigsNonCRR.get("rsv1", VAULT_RG)).properties?.storageTypeState).toBe("Locked");
    const viaVault = await armError(
      w.vaults.vaults.beginUpdateAndWait(VAULT_RG, "rsv1", { properties: { redundancySettings: { standardTierStorageRedundancy: "GeoRedundant" } } }),
    );
    expect(viaVault).toMatchObject({ statusCode: 400, code: "StorageModelModifyError" });
    const viaConfig = await armError(w.backup.backupResourceStorageConfigsNonCRR.update("rsv1", VAULT_RG, { properties: { storageType: "GeoRedundant" } }));
    expect(viaConfig).toMatchObject({ statusCode: 400, code: "StorageModelModifyError" });
  });

  it("cross-region restore needs GeoRedundant storage, and cannot be turned off once VMs are protected", async () => {
    const lrs = await armError(
      w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv-lrs", {
        location: "westeurope",
        sku: { name: "Standard" },
        properties: { redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant", crossRegionRestore: "Enabled" } },
      }),
    );
    expect(lrs).toMatchObject({ statusCode: 400, code: "BMSUserErrorCrossRegionRestoreNotSupported" });
    await w.backup.backupResourceStorageConfigsNonCRR.update("rsv1", VAULT_RG, { properties: { crossRegionRestoreFlag: true } });
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv1")).properties?.redundancySettings?.crossRegionRestore).toBe("Enabled");
    await protect(w, "rsv1", "vm1", "daily-2030");
    const off = await armError(w.backup.backupResourceStorageConfigsNonCRR.update("rsv1", VAULT_RG, { properties: { crossRegionRestoreFlag: false } }));
    expect(off.code).toBe("BMSUserErrorCrossRegionRestoreCannotBeDisabled");
  });

  it("soft delete keeps a deleted item ProtectionStopped for 14 days, then purges it", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const c = capture();
    await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: c.onResponse });
    await settle(() => w.backup.backupOperationStatuses.get("rsv1", VAULT_RG, operationId(c.headers["azure-asyncoperation"])));
    const item = await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
    expect(item.properties).toMatchObject({ protectionState: "ProtectionStopped", isScheduledForDeferredDelete: true, softDeleteRetentionPeriodInDays: 14 });
    w.emulator.clock.advance(14 * DAY - HOUR);
    expect(
      ((await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"))).properties as { protectionState?: string })
        .protectionState,
    ).toBe("ProtectionStopped");
    w.emulator.clock.advance(2 * HOUR);
    expect((await armError(w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1")))).statusCode).toBe(404);
  });

  /** rsv1 again, in a region where Azure does not enforce soft delete (the service before secure by default). */
  async function legacyVault(): Promise<void> {
    w.emulator.model.secureByDefault = false;
    await w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv1");
    await createVault(w);
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2030", dailyPolicyBody());
  }

  it("without soft delete (where Azure does not enforce it), a deleted item is gone once the operation completes", async () => {
    await legacyVault();
    await w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, { properties: { softDeleteFeatureState: "Disabled" } });
    await protect(w, "rsv1", "vm1", "daily-2030");
    const c = capture();
    await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: c.onResponse });
    await settle(() => w.backup.backupOperationStatuses.get("rsv1", VAULT_RG, operationId(c.headers["azure-asyncoperation"])));
    expect((await armError(w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1")))).statusCode).toBe(404);
  });

  it("a soft-deleted item must be undeleted (isRehydrate) before it is protected again", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const c = capture();
    await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: c.onResponse });
    await settle(() => w.backup.backupOperationStatuses.get("rsv1", VAULT_RG, operationId(c.headers["azure-asyncoperation"])));
    expect((await armError(putItem("vm1"))).code).toBe("BMSUserErrorItemSoftDeleted");
    expect((await protect(w, "rsv1", "vm1", "daily-2030", { protectionState: "ProtectionStopped", policyId: "", isRehydrate: true })).status).toBe("Succeeded");
    expect((await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"))).properties).toMatchObject({
      protectionState: "ProtectionStopped",
      isScheduledForDeferredDelete: false,
    });
  });

  it("where soft delete is not enforced, a vault with items, soft-deleted ones included, cannot be deleted", async () => {
    await legacyVault();
    await protect(w, "rsv1", "vm1", "daily-2030");
    expect(await armError(w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv1"))).toMatchObject({
      statusCode: 400,
      code: "ServiceResourceNotEmptyWithContainerDetails",
    });
    const c = capture();
    await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: c.onResponse });
    await settle(() => w.backup.backupOperationStatuses.get("rsv1", VAULT_RG, operationId(c.headers["azure-asyncoperation"])));
    expect(await armError(w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv1"))).toMatchObject({
      statusCode: 400,
      code: "ServiceResourceNotEmptyWithBackendMessage",
    });
    w.emulator.clock.advance(15 * DAY);
    await w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv1");
    expect((await armError(w.vaults.vaults.get(VAULT_RG, "rsv1"))).statusCode).toBe(404);
  });

  it("an immutable vault refuses to delete recovery points; stop protection keeps them", async () => {
    await w.vaults.vaults.beginUpdateAndWait(
      VAULT_RG,
      "rsv1",
      { properties: { securitySettings: { immutabilitySettings: { state: "Unlocked" } } } },
      { updateIntervalInMs: 1 },
    );
    await protect(w, "rsv1", "vm1", "daily-2030");
    const c = capture();
    await w.backup.backups.trigger(
      "rsv1",
      VAULT_RG,
      "Azure",
      CONTAINER("vm1"),
      ITEM("vm1"),
      { properties: { objectType: "IaasVMBackupRequest" } as never },
      { onResponse: c.onResponse },
    );
    w.emulator.clock.advance(4 * HOUR);
    expect((await armError(w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1")))).code).toBe(
      "UserErrorDeleteBackupItemOnImmutableItem",
    );
    const stopped = await protect(w, "rsv1", "vm1", "daily-2030", { protectionState: "ProtectionStopped", policyId: "" });
    expect(stopped.status).toBe("Succeeded");
    const item = await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
    expect(item.properties).toMatchObject({ protectionState: "ProtectionStopped", isScheduledForDeferredDelete: false });
  });

  describe("secure by default (https://learn.microsoft.com/azure/backup/secure-by-default)", () => {
    it("a new vault is AlwaysON; disabling is refused as Azure refuses it, Enabled too; the retention days can change", async () => {
      const config = await w.backup.backupResourceVaultConfigs.get("rsv1", VAULT_RG);
      expect(config.properties).toMatchObject({
        softDeleteFeatureState: "AlwaysON",
        softDeleteRetentionPeriodInDays: 14,
        isSoftDeleteFeatureStateEditable: false,
      });
      const off = await armError(w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, { properties: { softDeleteFeatureState: "Disabled" } }));
      expect(off).toMatchObject({ statusCode: 400, code: "BMSUserErrorDisablingSoftDeleteStateNotAllowed" });
      expect(off.message).toBe(
        "Disabling soft delete or enhanced security state is not allowed for this vault. Please contact Microsoft Support if this is not expected.",
      );
      const enhanced = await armError(w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, { properties: { enhancedSecurityState: "Disabled" } }));
      expect(enhanced.code).toBe("BMSUserErrorDisablingSoftDeleteStateNotAllowed");
      const enabled = await armError(w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, { properties: { softDeleteFeatureState: "Enabled" } }));
      expect(enabled).toMatchObject({ statusCode: 400, code: "BMSUserErrorSoftDeleteStateAlwaysOn" });
      const longer = await w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, {
        properties: { softDeleteFeatureState: "AlwaysON", softDeleteRetentionPeriodInDays: 30 },
      });
      expect(longer.properties).toMatchObject({ softDeleteFeatureState: "AlwaysON", softDeleteRetentionPeriodInDays: 30 });
      const vaultOff = await armError(
        w.vaults.vaults.beginUpdateAndWait(
          VAULT_RG,
          "rsv1",
          { properties: { securitySettings: { softDeleteSettings: { softDeleteState: "Disabled" } } } },
          {
            updateIntervalInMs: 1,
          },
        ),
      );
      expect(vaultOff.code).toBe("BMSUserErrorDisablingSoftDeleteStateNotAllowed");
    });

    it("is configurable by region: enforced only where listed", async () => {
      w.emulator.model.secureByDefault = ["eastus"];
      await createVault(w, "rsv-weu");
      await createVault(w, "rsv-eus", { location: "East US" });
      expect((await w.backup.backupResourceVaultConfigs.get("rsv-weu", VAULT_RG)).properties?.softDeleteFeatureState).toBe("Enabled");
      expect((await w.backup.backupResourceVaultConfigs.get("rsv-eus", VAULT_RG)).properties?.softDeleteFeatureState).toBe("AlwaysON");
      await w.backup.backupResourceVaultConfigs.update("rsv-weu", VAULT_RG, { properties: { softDeleteFeatureState: "Disabled" } });
      expect((await w.backup.backupResourceVaultConfigs.get("rsv-weu", VAULT_RG)).properties?.softDeleteFeatureState).toBe("Disabled");
    });

    it("a vault holding only soft-deleted items can be deleted: it is soft-deleted itself; active items still block it", async () => {
      await protect(w, "rsv1", "vm1", "daily-2030");
      expect(await armError(w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv1"))).toMatchObject({ code: "ServiceResourceNotEmptyWithContainerDetails" });
      const c = capture();
      await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: c.onResponse });
      await settle(() => w.backup.backupOperationStatuses.get("rsv1", VAULT_RG, operationId(c.headers["azure-asyncoperation"])));
      await w.vaults.vaults.beginDeleteAndWait(VAULT_RG, "rsv1");
      expect((await armError(w.vaults.vaults.get(VAULT_RG, "rsv1"))).statusCode).toBe(404);
      expect(w.emulator.state.deletedVaults?.map((d) => d.vault.name)).toEqual(["rsv1"]);
      w.emulator.clock.advance(15 * DAY);
      await w.vaults.vaults.listByResourceGroup(VAULT_RG).next();
      expect(w.emulator.state.deletedVaults).toEqual([]);
    });
  });

  it("AlwaysON soft delete cannot be turned off", async () => {
    await w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, { properties: { softDeleteFeatureState: "AlwaysON" } });
    const e = await armError(w.backup.backupResourceVaultConfigs.update("rsv1", VAULT_RG, { properties: { softDeleteFeatureState: "Disabled" } }));
    expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorDisablingSoftDeleteStateNotAllowed" });
  });

  it("policies keep Azure's own rules: run times on the hour or half hour", async () => {
    const e = await armError(w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2015", dailyPolicyBody("2024-01-01T20:15:00Z")));
    expect(e).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidPolicyInput" });
    const ir = await armError(
      w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-ir", {
        properties: { ...(dailyPolicyBody() as { properties: object }).properties, instantRpRetentionRangeInDays: 6 },
      } as never),
    );
    expect(ir.code).toBe("BMSUserErrorInvalidPolicyInput");
  });

  it("a yearly retention without monthsOfYear is refused; the same policy with one month is accepted", async () => {
    // The REST spec leaves YearlyRetentionSchedule.monthsOfYear optional; Microsoft's PowerShell client refuses
    // a yearly schedule without months (PolicyRetentionObjects.cs, YearlyRetentionSchedule.Validate). The code
    // Azure answers with was not found in a public recording: the emulator uses BMSUserErrorInvalidPolicyInput,
    // the service's code for a malformed policy.
    const time = new Date("2024-01-01T20:30:00Z");
    const withYearly = (yearly: Record<string, unknown>) => {
      const base = (dailyPolicyBody() as { properties: { retentionPolicy: object } }).properties;
      const yearlySchedule = {
        retentionScheduleFormatType: "Weekly",
        retentionScheduleWeekly: { daysOfTheWeek: ["Sunday"], weeksOfTheMonth: ["First"] },
        retentionTimes: [time],
        retentionDuration: { count: 5, durationType: "Years" },
        ...yearly,
      };
      return { properties: { ...base, retentionPolicy: { ...base.retentionPolicy, yearlySchedule } } } as never;
    };
    const missing = await armError(w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "yearly-no-months", withYearly({})));
    expect(missing).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidPolicyInput" });
    expect(missing.message).toContain("monthsOfYear");
    const empty = await armError(w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "yearly-empty-months", withYearly({ monthsOfYear: [] })));
    expect(empty).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidPolicyInput" });
    const ok = await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "yearly-january", withYearly({ monthsOfYear: ["January"] }));
    expect(ok.properties).toMatchObject({ retentionPolicy: { yearlySchedule: { monthsOfYear: ["January"] } } });
  });

  it("unknown resources answer ARM's 404 body", async () => {
    const e = await armError(w.vaults.vaults.get(VAULT_RG, "no-such-vault"));
    expect(e).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    expect(e.message).toBe(
      "The Resource 'Microsoft.RecoveryServices/vaults/no-such-vault' under resource group 'rg-backup' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    );
    const vm = await armError(w.compute.virtualMachines.get("rg-app", "no-such-vm"));
    expect(vm).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });

  it("a request without a bearer token gets 401, one without api-version 400", async () => {
    const path = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/rsv1?api-version=2024-04-01`;
    const anonymous = await rawGet(w, path);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toEqual({
      error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." },
    });
    const noVersion = await rawGet(w, path.replace("?api-version=2024-04-01", ""), { authorization: "Bearer x" });
    expect(noVersion.status).toBe(400);
    expect(JSON.parse(noVersion.body).error.code).toBe("MissingApiVersionParameter");
  });

  it("matches paths without case and with encoded names, as ARM does", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const path = `/SUBSCRIPTIONS/${SUB}/resourcegroups/${VAULT_RG}/providers/microsoft.recoveryservices/vaults/RSV1/backupFabrics/azure/protectionContainers/${encodeURIComponent("IaasVMContainer;iaasvmcontainerv2;RG-APP;VM1")}/protectedItems/${encodeURIComponent("VM;iaasvmcontainerv2;rg-app;vm1")}?api-version=2023-06-01`;
    const res = await rawGet(w, path, { authorization: "Bearer x" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).properties.friendlyName).toBe("vm1");
  });
});
