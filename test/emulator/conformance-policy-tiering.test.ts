/**
 * Archive tiering and crash-consistent snapshots of VM policies, through the real SDK client against the emulator:
 * the shapes of bms.json 2025-08-01 (tieringPolicy keyed "ArchivedRP"; snapshotConsistencyType, as in the spec's
 * AzureIaasVm/V2Policy/IaaS_v2_daily.json), what the installed SDK cannot send and how the package sends it, and
 * what the emulated service refuses.
 */
import type { ProtectionPolicyResource } from "@azure/arm-recoveryservicesbackup";
import { addPolicyPropertiesPolicy, POLICY_PROPERTIES_HEADER, withPolicyProperties } from "../../src/azure";
import { armError, createVault, SUB, VAULT_RG, world, type TestWorld } from "./harness";

const VAULT = "rsv-tiering";
const AT = new Date("2024-01-01T22:00:00Z");

/** An enhanced daily policy with monthly retention of `months` months (and yearly of `years` years when given). */
function v2Policy(extra: Record<string, unknown> = {}, months = 24, years?: number): ProtectionPolicyResource {
  const weekly = { daysOfTheWeek: ["Sunday"], weeksOfTheMonth: ["First"] };
  return {
    properties: {
      backupManagementType: "AzureIaasVM",
      policyType: "V2",
      timeZone: "UTC",
      instantRpRetentionRangeInDays: 7,
      schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicyV2", scheduleRunFrequency: "Daily", dailySchedule: { scheduleRunTimes: [AT] } },
      retentionPolicy: {
        retentionPolicyType: "LongTermRetentionPolicy",
        dailySchedule: { retentionTimes: [AT], retentionDuration: { count: 30, durationType: "Days" } },
        ...(months === 0
          ? {}
          : {
              monthlySchedule: {
                retentionScheduleFormatType: "Weekly",
                retentionScheduleWeekly: weekly,
                retentionTimes: [AT],
                retentionDuration: { count: months, durationType: "Months" },
              },
            }),
        ...(years === undefined
          ? {}
          : {
              yearlySchedule: {
                retentionScheduleFormatType: "Weekly",
                monthsOfYear: ["January"],
                retentionScheduleWeekly: weekly,
                retentionTimes: [AT],
                retentionDuration: { count: years, durationType: "Years" },
              },
            }),
      },
      ...extra,
    },
  } as ProtectionPolicyResource;
}

describe("conformance: policy tiering and snapshot consistency", () => {
  let w: TestWorld;
  const stored = (name: string) => w.emulator.model.vault(SUB, VAULT_RG, VAULT)!.policies.find((p) => p.name === name)!.properties;
  beforeAll(async () => {
    w = await world();
    await createVault(w, VAULT);
  });
  afterAll(async () => w.stop());

  it("stores tieringPolicy keyed by ArchivedRP and answers it through the SDK's model", async () => {
    const tieringPolicy = { ArchivedRP: { tieringMode: "TierAfter", duration: 4, durationType: "Months" } };
    const put = await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "tier-after", v2Policy({ tieringPolicy }));
    expect(stored("tier-after").tieringPolicy).toEqual(tieringPolicy);
    expect((put.properties as { tieringPolicy?: unknown }).tieringPolicy).toEqual(tieringPolicy);
    const got = await w.backup.protectionPolicies.get(VAULT, VAULT_RG, "tier-after");
    expect((got.properties as { tieringPolicy?: unknown }).tieringPolicy).toEqual(tieringPolicy);
  });

  it("the installed SDK drops snapshotConsistencyType from a request; the package's pipeline policy sends it", async () => {
    const body = v2Policy({ snapshotConsistencyType: "OnlyCrashConsistent" });
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "crash-plain", body);
    expect(stored("crash-plain").snapshotConsistencyType).toBeUndefined();

    addPolicyPropertiesPolicy(w.backup.pipeline);
    addPolicyPropertiesPolicy(w.backup.pipeline); // once only
    const mark = w.emulator.log.mark();
    let headerSent: string | undefined = "not seen";
    const put = await w.backup.protectionPolicies.createOrUpdate(
      VAULT,
      VAULT_RG,
      "crash",
      v2Policy(),
      withPolicyProperties(
        { onResponse: (raw) => (headerSent = raw.request.headers.get(POLICY_PROPERTIES_HEADER)) },
        { snapshotConsistencyType: "OnlyCrashConsistent" },
      ),
    );
    expect(stored("crash").snapshotConsistencyType).toBe("OnlyCrashConsistent");
    // The body went out with the property beside the serialised ones; the in-process header did not go out.
    const sent = JSON.parse(w.emulator.log.list(mark).find((e) => e.method === "PUT")!.body!) as { properties: Record<string, unknown> };
    expect(sent.properties).toMatchObject({
      policyType: "V2",
      snapshotConsistencyType: "OnlyCrashConsistent",
      schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicyV2" },
    });
    expect(headerSent).toBeUndefined();
    // The response keeps the field the model does not know, in the parsed body.
    expect((put.properties as { snapshotConsistencyType?: string }).snapshotConsistencyType).toBe("OnlyCrashConsistent");
    const got = await w.backup.protectionPolicies.get(VAULT, VAULT_RG, "crash");
    expect((got.properties as { snapshotConsistencyType?: string }).snapshotConsistencyType).toBe("OnlyCrashConsistent");
  });

  it("refuses crash-consistent snapshots on a standard (V1) policy", async () => {
    const v1 = v2Policy();
    const p = v1.properties as unknown as Record<string, unknown>;
    p.policyType = "V1";
    p.instantRpRetentionRangeInDays = 2;
    p.schedulePolicy = { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: [AT] };
    const error = await armError(
      w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "crash-v1", v1, withPolicyProperties({}, { snapshotConsistencyType: "OnlyCrashConsistent" })),
    );
    expect(error).toMatchObject({ statusCode: 400, code: "UserErrorCrashConsistentNeedsEnhancedPolicy" });
  });

  it.each<[string, Record<string, unknown>, number, number | undefined, RegExp]>([
    ["tiering without monthly or yearly retention", { ArchivedRP: { tieringMode: "TierRecommended" } }, 0, undefined, /Monthly or Yearly retention/],
    ["tiering after 2 months", { ArchivedRP: { tieringMode: "TierAfter", duration: 2, durationType: "Months" } }, 24, undefined, />= 3 months/],
    ["TierAfter without a duration", { ArchivedRP: { tieringMode: "TierAfter" } }, 24, undefined, /whole duration/],
    ["points with less than 6 months left", { ArchivedRP: { tieringMode: "TierAfter", duration: 6, durationType: "Months" } }, 11, undefined, />= 12 months/],
    ["smart tiering on 8 months of monthly retention", { ArchivedRP: { tieringMode: "TierRecommended" } }, 8, undefined, />= 9 months/],
    ["another target tier", { HardenedRP: { tieringMode: "TierRecommended" } }, 24, undefined, /ArchivedRP only/],
  ])("refuses %s", async (_label, tieringPolicy, months, years, message) => {
    const error = await armError(w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "bad-tiering", v2Policy({ tieringPolicy }, months, years)));
    expect(error).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidPolicyInput" });
    expect(error.message).toMatch(message);
  });

  it("accepts smart tiering when yearly retention keeps points long enough", async () => {
    await w.backup.protectionPolicies.createOrUpdate(
      VAULT,
      VAULT_RG,
      "smart",
      v2Policy({ tieringPolicy: { ArchivedRP: { tieringMode: "TierRecommended" } } }, 6, 5),
    );
    expect(stored("smart").tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "TierRecommended" } });
  });

  it("keeps the configured tiering when a PUT gives none, and turns it off with DoNotTier", async () => {
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "tier-after", v2Policy({}, 36));
    expect(stored("tier-after").tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "TierAfter", duration: 4, durationType: "Months" } });
    expect(stored("tier-after").retentionPolicy).toMatchObject({ monthlySchedule: { retentionDuration: { count: 36 } } });
    await w.backup.protectionPolicies.createOrUpdate(
      VAULT,
      VAULT_RG,
      "tier-after",
      v2Policy({ tieringPolicy: { ArchivedRP: { tieringMode: "DoNotTier" } } }, 36),
    );
    expect(stored("tier-after").tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "DoNotTier" } });
  });
});
