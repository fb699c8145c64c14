/**
 * azure-native's Recovery Services resources as the rules take them (src/policy/azure-native.ts), and the stack analysis
 * (src/policy/stack.ts), without the analyzer server: the shapes of azure-native 3.x inputs (ARM's), converted without
 * judging, so that the rules report what the components report for the same values.
 */
import { plainProperties } from "../../src/policy";
import { policyArgsOf, propertyOf, protectedItemOf, timeOfDay, vaultArgsOf } from "../../src/policy/azure-native";
import { planFindings, protectionFindings, resourceDiagnostics, type StackResource } from "../../src/policy/stack";
import { normalizePolicy, normalizeVault, UNKNOWN_SENTINEL, validatePolicy } from "../../src/rules";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const T = {
  vault: "azure-native:recoveryservices:Vault",
  policy: "azure-native:recoveryservices:ProtectionPolicy",
  item: "azure-native:recoveryservices:ProtectedItem",
  vm: "azure-native:compute:VirtualMachine",
};
const at = (time: string) => `2026-01-01T${time}:00Z`;

describe("timeOfDay", () => {
  it("keeps the clock time of an ARM date-time, and what it cannot read as written", () => {
    expect(timeOfDay("2026-01-01T22:15:00Z")).toBe("22:15");
    expect(timeOfDay("2018-01-01T20:30:00.000Z")).toBe("20:30");
    expect(timeOfDay("2026-01-01T22:00:30Z")).toBe("22:00:30");
    expect(timeOfDay("22:30")).toBe("22:30");
    expect(timeOfDay(UNKNOWN_SENTINEL)).toBe(UNKNOWN_SENTINEL);
  });
});

describe("a ProtectionPolicy as PolicyArgs", () => {
  const weekly = {
    policyName: "weekly-long",
    properties: {
      backupManagementType: "AzureIaasVM",
      timeZone: "W. Europe Standard Time",
      instantRpRetentionRangeInDays: 5,
      instantRPDetails: { azureBackupRGNamePrefix: "rg-rp-" },
      schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicyV2", scheduleRunFrequency: "Daily", dailySchedule: { scheduleRunTimes: [at("02:00")] } },
      retentionPolicy: {
        retentionPolicyType: "LongTermRetentionPolicy",
        dailySchedule: { retentionTimes: [at("02:00")], retentionDuration: { count: 14, durationType: "Days" } },
        weeklySchedule: { daysOfTheWeek: ["Sunday"], retentionTimes: [at("02:00")], retentionDuration: { count: 12, durationType: "Weeks" } },
        monthlySchedule: {
          retentionScheduleFormatType: "Weekly",
          retentionScheduleWeekly: { daysOfTheWeek: ["Sunday"], weeksOfTheMonth: ["First"] },
          retentionTimes: [at("02:00")],
          retentionDuration: { count: 12, durationType: "Months" },
        },
        yearlySchedule: {
          retentionScheduleFormatType: "Daily",
          monthsOfYear: ["January"],
          retentionScheduleDaily: {
            daysOfTheMonth: [
              { date: 1, isLast: false },
              { date: 0, isLast: true },
            ],
          },
          retentionTimes: [at("02:00")],
          retentionDuration: { count: 7, durationType: "Years" },
        },
      },
      tieringPolicy: { ArchivedRP: { tieringMode: "TierAfter", duration: 3, durationType: "Months" } },
    },
  };

  it("reads schedule, long-term retention, instant restore and tiering into the canonical policy the components would deploy", () => {
    const args = policyArgsOf(weekly, "resource-name");
    const { policy, diagnostics } = normalizePolicy(args as never);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(policy).toMatchObject({
      name: "weekly-long",
      policyType: "V1",
      timeZone: "W. Europe Standard Time",
      schedule: { frequency: "Daily", time: "02:00" },
      instantRestoreRetentionDays: 5,
      instantRestoreResourceGroup: { prefix: "rg-rp-" },
      retention: {
        daily: { count: 14 },
        weekly: { count: 12, weekdays: ["Sunday"] },
        monthly: { count: 12, format: "Weekly", weekdays: ["Sunday"], weeks: ["First"] },
        yearly: { count: 7, format: "Daily", days: [1], includeLastDays: true, months: ["January"] },
      },
      tiering: { mode: "TierAfter", duration: 3, durationType: "Months" },
    });
  });

  it("names the policy after the resource when policyName is not given, and leaves other workloads' policies alone", () => {
    expect(policyArgsOf({ properties: { ...weekly.properties } }, "from-resource")).toMatchObject({ name: "from-resource" });
    expect(policyArgsOf({ properties: { backupManagementType: "AzureWorkload" } }, "sql")).toEqual({ notApplicable: expect.stringContaining("AzureWorkload") });
    expect(resourceDiagnostics(T.policy, "sql", { properties: { backupManagementType: "AzureWorkload" } })).toBeUndefined();
  });

  it("gives a wrong value to the rules as written: the code the component reports for the same value", () => {
    const args = policyArgsOf({ properties: { ...weekly.properties, timeZone: "Mars/Olympus" } }, "p");
    const component = validatePolicy({ name: "weekly-long", timeZone: "Mars/Olympus" });
    expect(validatePolicy(args as never).map((d) => d.code)).toContain("policy/time-zone");
    expect(component.map((d) => d.code)).toContain("policy/time-zone");
  });
});

describe("a Vault as VaultArgs", () => {
  it("reads redundancy, cross-region restore, soft delete, immutability and the security settings", () => {
    const args = vaultArgsOf(
      {
        vaultName: "rsv-prod",
        location: "westeurope",
        identity: {
          type: "SystemAssigned, UserAssigned",
          userAssignedIdentities: [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-backup`],
        },
        properties: {
          publicNetworkAccess: "Disabled",
          redundancySettings: { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" },
          securitySettings: {
            softDeleteSettings: { softDeleteState: "Enabled", softDeleteRetentionPeriodInDays: 14 },
            immutabilitySettings: { state: "Unlocked" },
          },
          monitoringSettings: {
            azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" },
            classicAlertSettings: { alertsForCriticalOperations: "Disabled" },
          },
          restoreSettings: { crossSubscriptionRestoreSettings: { crossSubscriptionRestoreState: "Disabled" } },
        },
      },
      "vault",
    );
    const { vault } = normalizeVault(args);
    expect(vault).toMatchObject({
      name: "rsv-prod",
      location: "westeurope",
      redundancy: "GeoRedundant",
      crossRegionRestore: true,
      softDelete: { state: "Enabled", retentionDays: 14 },
      immutability: "Unlocked",
      publicNetworkAccess: "Disabled",
      identity: { systemAssigned: true, userAssignedIdentityIds: [expect.stringContaining("id-backup")] },
      monitoring: { jobFailureAlerts: true, classicAlerts: false },
      crossSubscriptionRestore: "Disabled",
    });
  });

  it("takes an absent location as unknown (the resource group's), not as missing", () => {
    expect(resourceDiagnostics(T.vault, "vault", { vaultName: "rsv-prod" })).toEqual([]);
  });
});

describe("a ProtectedItem", () => {
  it("names its VM, vault and policy", () => {
    const facts = protectedItemOf({
      vaultName: "rsv-prod",
      containerName: "iaasvmcontainer;iaasvmcontainerv2;rg-app;web-01",
      protectedItemName: "vm;iaasvmcontainerv2;rg-app;web-01",
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        policyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-prod/backupPolicies/nightly`,
      },
    });
    expect(facts).toMatchObject({
      vaultName: "rsv-prod",
      namedVm: { resourceGroup: "rg-app", name: "web-01" },
      policy: { vaultName: "rsv-prod", policyName: "nightly" },
    });
    expect(protectedItemOf({ properties: { protectedItemType: "AzureFileShareProtectedItem" } })).toEqual({ notApplicable: expect.any(String) });
  });

  it("refuses a source that is not a VM's id (vm/id)", () => {
    const ds = resourceDiagnostics(T.item, "item", {
      vaultName: "rsv-prod",
      properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: "web-01" },
    });
    expect(ds?.map((d) => d.code)).toEqual(["vm/id"]);
  });
});

describe("propertyOf", () => {
  it("names the azure-native property a rule's input path is read from", () => {
    expect(propertyOf("policy", "retention.monthly.weeks[1]")).toBe("properties.retentionPolicy.monthlySchedule");
    expect(propertyOf("policy", "schedule.hourInterval")).toBe("properties.schedulePolicy.hourlySchedule.interval");
    expect(propertyOf("vault", "softDelete.retentionDays")).toBe("properties.securitySettings.softDeleteSettings.softDeleteRetentionPeriodInDays");
    expect(propertyOf("protectedItem", "vm.id")).toBe("properties.sourceResourceId");
    expect(propertyOf("policy", "")).toBeUndefined();
  });
});

describe("plainProperties", () => {
  it("turns the values @pulumi/policy's proxy refuses to read (unknown in a preview) into the rules' unknown", () => {
    const unknownError = new Error("number value at .properties.count can't be known during preview");
    const proxied = new Proxy({ a: 1, b: { c: "x" }, d: 2 } as Record<string, unknown>, {
      get: (target, key) => {
        if (key === "d") throw unknownError;
        return target[key as string];
      },
    });
    expect(plainProperties(proxied)).toEqual({ a: 1, b: { c: "x" }, d: UNKNOWN_SENTINEL });
  });
});

describe("the stack", () => {
  const vaultR: StackResource = { type: T.vault, name: "vault", urn: "urn:vault", props: { vaultName: "rsv-prod", location: "westeurope" } };
  const policyR = (name: string, time: string): StackResource => ({
    type: T.policy,
    name,
    urn: `urn:policy:${name}`,
    props: {
      vaultName: "rsv-prod",
      policyName: name,
      properties: {
        backupManagementType: "AzureIaasVM",
        schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: [at(time)] },
        retentionPolicy: { retentionPolicyType: "LongTermRetentionPolicy", dailySchedule: { retentionDuration: { count: 30 } } },
      },
    },
  });
  const vmR = (name: string): StackResource => ({
    type: T.vm,
    name,
    urn: `urn:vm:${name}`,
    props: { resourceGroupName: "rg-app", vmName: name, location: "westeurope", storageProfile: { osDisk: { osType: "Linux", diskSizeGB: 30 } } },
  });
  const itemR = (vm: string, policy: string): StackResource => ({
    type: T.item,
    name: `${vm}-backup`,
    urn: `urn:item:${vm}`,
    props: {
      vaultName: "rsv-prod",
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${vm}`,
        policyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-prod/backupPolicies/${policy}`,
      },
    },
  });

  it("counts the VMs that start together in one vault across protected items and their policies (plan/vms-per-schedule)", () => {
    const stack = [
      vaultR,
      policyR("a", "22:00"),
      policyR("b", "22:00"),
      vmR("web-01"),
      vmR("web-02"),
      vmR("web-03"),
      itemR("web-01", "a"),
      itemR("web-02", "b"),
      itemR("web-03", "a"),
    ];
    const findings = planFindings(stack, { rules: { limits: { vmsPerSchedule: 2 } } });
    expect(findings.map((f) => f.diagnostic.code)).toContain("plan/vms-per-schedule");
    const apart = [
      vaultR,
      policyR("a", "22:00"),
      policyR("b", "23:00"),
      vmR("web-01"),
      vmR("web-02"),
      vmR("web-03"),
      itemR("web-01", "a"),
      itemR("web-02", "b"),
      itemR("web-03", "b"),
    ];
    expect(planFindings(apart, { rules: { limits: { vmsPerSchedule: 2 } } }).map((f) => f.diagnostic.code)).not.toContain("plan/vms-per-schedule");
  });

  it("finds the VM of an item by its container's name when the id is not given, and does not judge a VM whose tags are unknown", () => {
    const byName: StackResource = {
      ...itemR("web-01", "a"),
      props: {
        vaultName: "rsv-prod",
        protectedItemName: "vm;iaasvmcontainerv2;rg-app;web-01",
        properties: { protectedItemType: "Microsoft.Compute/virtualMachines" },
      },
    };
    expect(protectionFindings([vmR("web-01"), byName])).toEqual([]);
    const unknownTags = { ...vmR("web-02"), props: { ...vmR("web-02").props, tags: UNKNOWN_SENTINEL } };
    expect(protectionFindings([unknownTags], { selection: { tagKey: "backup" } })).toEqual([]);
    expect(protectionFindings([vmR("web-02")]).map((f) => [f.diagnostic.code, f.urn])).toEqual([["plan/vm-unprotected", "urn:vm:web-02"]]);
  });
});
