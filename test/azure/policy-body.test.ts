import { fromArmPolicy, itemNamesFor, parsePolicyId, parseVaultId, sameId, toArmPolicy } from "../../src/azure";
import { normalizePolicy, type PolicyArgs } from "../../src";

const roundTrip = (args: PolicyArgs) => {
  const { policy } = normalizePolicy(args);
  if (policy === undefined) throw new Error("test policy must be valid");
  const arm = JSON.parse(JSON.stringify(toArmPolicy(policy))) as unknown; // as it goes over the wire
  return { policy, arm: arm as Record<string, unknown>, back: fromArmPolicy(policy.name ?? "p", arm) };
};

describe("policies to and from the Backup API's shape", () => {
  it.each<[string, PolicyArgs]>([
    ["the seeds' default", { name: "default" }],
    [
      "daily with weekly, monthly (weeks) and yearly (days) retention",
      {
        name: "full",
        timeZone: "W. Europe Standard Time",
        schedule: { frequency: "Daily", time: "20:30" },
        instantRestoreRetentionDays: 3,
        retention: {
          daily: { count: 30 },
          weekly: { count: 12, weekdays: ["Sunday"] },
          monthly: { count: 12, weekdays: ["Sunday"], weeks: ["First", "Last"] },
          yearly: { count: 7, months: ["January"], days: [1], includeLastDays: true },
        },
        instantRestoreResourceGroup: { prefix: "rg-snap-", suffix: "-weu" },
      },
    ],
    [
      "weekly V1",
      {
        name: "weekly",
        schedule: { frequency: "Weekly", time: "01:00", weekdays: ["Saturday"] },
        retention: { weekly: { count: 52, weekdays: ["Saturday"] } },
      },
    ],
    [
      "hourly V2",
      {
        name: "hourly",
        policyType: "V2",
        schedule: { frequency: "Hourly", time: "06:00", hourInterval: 4, hourWindow: 16 },
        retention: { daily: { count: 30 } },
      },
    ],
    [
      "weekly V2",
      {
        name: "weekly-v2",
        policyType: "V2",
        schedule: { frequency: "Weekly", time: "02:30", weekdays: ["Monday", "Thursday"] },
        retention: { weekly: { count: 8, weekdays: ["Monday", "Thursday"] } },
      },
    ],
  ])("%s comes back the same", (_label, args) => {
    const { policy, back } = roundTrip(args);
    expect(back).toEqual(policy);
  });

  it("writes every time on one fixed past date, the run time equal to every retention time", () => {
    const { arm } = roundTrip({
      name: "daily",
      schedule: { frequency: "Daily", time: "20:30" },
      retention: { daily: { count: 30 }, weekly: { count: 4, weekdays: ["Sunday"] } },
    });
    const text = JSON.stringify(arm);
    expect(text.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g)).toEqual(["2018-01-01T20:30:00.000Z", "2018-01-01T20:30:00.000Z", "2018-01-01T20:30:00.000Z"]);
    expect(arm).toMatchObject({ backupManagementType: "AzureIaasVM", policyType: "V1", timeZone: "UTC", instantRpRetentionRangeInDays: 2 });
  });

  it("uses the V2 schedule shapes for enhanced policies", () => {
    expect(
      roundTrip({
        name: "hourly",
        policyType: "V2",
        schedule: { frequency: "Hourly", time: "06:00", hourInterval: 4, hourWindow: 16 },
        retention: { daily: { count: 30 } },
      }).arm.schedulePolicy,
    ).toEqual({
      schedulePolicyType: "SimpleSchedulePolicyV2",
      scheduleRunFrequency: "Hourly",
      hourlySchedule: { interval: 4, scheduleWindowStartTime: "2018-01-01T06:00:00.000Z", scheduleWindowDuration: 16 },
    });
  });
});

describe("archive tiering and snapshot consistency", () => {
  const longTerm = (extra: PolicyArgs): PolicyArgs => ({
    name: "archive",
    policyType: "V2",
    schedule: { frequency: "Daily", time: "22:00" },
    retention: { daily: { count: 30 }, monthly: { count: 24, weekdays: ["Sunday"], weeks: ["First"] }, yearly: { count: 10, months: ["January"], days: [1] } },
    ...extra,
  });
  it.each<[string, PolicyArgs]>([
    ["smart tiering", longTerm({ tiering: { mode: "TierRecommended" } })],
    ["tiering after 4 months, crash-consistent", longTerm({ tiering: { mode: "TierAfter", duration: 4 }, snapshotConsistency: "OnlyCrashConsistent" })],
    ["tiering after 120 days", longTerm({ tiering: { mode: "TierAfter", duration: 120, durationType: "Days" } })],
  ])("%s comes back the same", (_label, args) => {
    const { policy, back } = roundTrip(args);
    expect(back).toEqual(policy);
  });
  it("writes tieringPolicy keyed by the archive tier, and snapshotConsistencyType, as the REST spec's example does", () => {
    const { arm } = roundTrip(longTerm({ tiering: { mode: "TierAfter", duration: 4 }, snapshotConsistency: "OnlyCrashConsistent" }));
    expect(arm.tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "TierAfter", duration: 4, durationType: "Months" } });
    expect(arm.snapshotConsistencyType).toBe("OnlyCrashConsistent");
    expect(roundTrip(longTerm({ tiering: { mode: "TierRecommended" } })).arm.tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "TierRecommended" } });
  });
  it("writes no tiering for a policy without it, and DoNotTier when tiering must be turned off", () => {
    const { policy, arm } = roundTrip(longTerm({}));
    expect(arm.tieringPolicy).toBeUndefined();
    expect(arm.snapshotConsistencyType).toBeUndefined();
    expect((toArmPolicy(policy, { turnOffTiering: true }) as unknown as Record<string, unknown>).tieringPolicy).toEqual({
      ArchivedRP: { tieringMode: "DoNotTier" },
    });
  });
  it("reads what Azure answers: DoNotTier and a duration of 0 as no tiering, any casing", () => {
    const { arm, policy } = roundTrip(longTerm({}));
    const answered = {
      ...arm,
      tieringPolicy: { archivedrp: { tieringMode: "DoNotTier", duration: 0, durationType: "Invalid" } },
      snapshotConsistencyType: null,
    };
    expect(fromArmPolicy("archive", answered)).toEqual(policy);
    expect(
      fromArmPolicy("archive", { ...arm, tieringPolicy: { ArchivedRP: { tieringMode: "tierrecommended", duration: 0, durationType: "Invalid" } } }).tiering,
    ).toEqual({
      mode: "TierRecommended",
    });
  });
});

describe("ids", () => {
  it("derives the container and item names from a VM id", () => {
    expect(itemNamesFor("/subscriptions/s/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/Web01")).toMatchObject({
      containerName: "IaasVMContainer;iaasvmcontainerv2;RG-App;Web01",
      itemName: "VM;iaasvmcontainerv2;RG-App;Web01",
    });
    expect(itemNamesFor("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ClassicCompute/virtualMachines/old").containerName).toBe(
      "IaasVMContainer;iaasvmcontainer;rg;old",
    );
    expect(() => itemNamesFor("vm1")).toThrow(/not the id of a virtual machine/);
  });
  it("parses vault and policy ids in the service's casing", () => {
    expect(parseVaultId("/Subscriptions/S/resourcegroups/RG/providers/microsoft.recoveryservices/Vaults/V")).toEqual({
      subscriptionId: "S",
      resourceGroupName: "RG",
      vaultName: "V",
    });
    expect(parsePolicyId("/Subscriptions/S/resourceGroups/RG/providers/Microsoft.RecoveryServices/vaults/V/backupPolicies/P")?.policyName).toBe("P");
    expect(sameId("/Subscriptions/S/resourceGroups/RG/", "/subscriptions/s/resourcegroups/rg")).toBe(true);
  });
});
