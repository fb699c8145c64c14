import { normalizePolicy, UNKNOWN_SENTINEL, validatePolicy, type PolicyArgs } from "../../src";
import { bySeverity, dailyPolicy, errors, only, warnings } from "./helpers";

describe("validatePolicy", () => {
  describe("the seeds' default policy (seed 004: daily at 8:30 PM, kept 180 days)", () => {
    it("applies when schedule and retention are both omitted, and says so", () => {
      const { policy, diagnostics } = normalizePolicy({ name: "DefaultLike" });
      expect(policy).toEqual({
        name: "DefaultLike",
        policyType: "V1",
        timeZone: "UTC",
        schedule: { frequency: "Daily", time: "20:30", weekdays: [] },
        instantRestoreRetentionDays: 2,
        retention: { daily: { count: 180 } },
      });
      expect(only(diagnostics, "policy/default-applied").source).toContain("daily backup at 8:30 PM, kept 180 days");
    });
    it("fills the retention of a daily schedule", () => {
      const { policy, diagnostics } = normalizePolicy({ schedule: { frequency: "Daily", time: "02:00" } });
      expect(policy?.retention).toEqual({ daily: { count: 180 } });
      expect(only(diagnostics, "policy/default-applied").path).toBe("retention");
    });
    it("fills the schedule when only retention is given", () => {
      const { policy } = normalizePolicy({ retention: { daily: { count: 30 } } });
      expect(policy?.schedule).toEqual({ frequency: "Daily", time: "20:30", weekdays: [] });
    });
  });

  describe("name: 3-150 letters, digits, '-', '_' or '!', starting with a letter", () => {
    it.each(["abc", "a".repeat(150), "daily-2030_prod!"])("accepts %s", (name) => {
      expect(errors(validatePolicy(dailyPolicy("20:30", { name })))).toEqual([]);
    });
    it.each(["ab", "a".repeat(151), "2030-daily", "daily 2030", "daily.2030"])("rejects %s", (name) => {
      expect(only(validatePolicy(dailyPolicy("20:30", { name })), "policy/name").path).toBe("name");
    });
  });

  describe("policy type", () => {
    it("defaults to V1 and accepts v2 in any case", () => {
      expect(normalizePolicy(dailyPolicy()).policy?.policyType).toBe("V1");
      expect(normalizePolicy(dailyPolicy("20:30", { policyType: "v2" })).policy?.policyType).toBe("V2");
    });
    it("rejects other types", () => {
      expect(errors(validatePolicy(dailyPolicy("20:30", { policyType: "V3" })))).toEqual(["policy/type"]);
    });
  });

  describe("time zone: a Windows time-zone id", () => {
    it.each(["UTC", "W. Europe Standard Time", "india standard time", "Pacific Standard Time"])("accepts %s", (timeZone) => {
      expect(errors(validatePolicy(dailyPolicy("20:30", { timeZone })))).toEqual([]);
    });
    it("canonicalises the case", () => {
      expect(normalizePolicy(dailyPolicy("20:30", { timeZone: "india standard time" })).policy?.timeZone).toBe("India Standard Time");
    });
    it("names the Windows id for an IANA zone", () => {
      const d = only(validatePolicy(dailyPolicy("20:30", { timeZone: "Europe/Berlin" })), "policy/time-zone");
      expect(d.message).toContain("'W. Europe Standard Time'");
      expect(d.remedy).toBe('Use "W. Europe Standard Time".');
    });
    it("suggests a near miss", () => {
      expect(only(validatePolicy(dailyPolicy("20:30", { timeZone: "Pacific Standard Tme" })), "policy/time-zone").message).toContain(
        "did you mean 'Pacific Standard Time'?",
      );
    });
    it("rejects nonsense", () => {
      expect(errors(validatePolicy(dailyPolicy("20:30", { timeZone: "Mars/Olympus" })))).toEqual(["policy/time-zone"]);
    });
  });

  describe("instant-restore (snapshot) days", () => {
    const ir = (instantRestoreRetentionDays: number, extra: Partial<PolicyArgs> = {}) =>
      validatePolicy(dailyPolicy("20:30", { instantRestoreRetentionDays, ...extra }));
    it.each([1, 5])("V1 accepts %i", (days) => expect(errors(ir(days))).toEqual([]));
    it.each([0, 6])("V1 rejects %i", (days) => {
      const d = only(ir(days), "policy/instant-restore-days");
      expect(d.limit).toEqual({ key: "instantRestoreDaysV1Max", value: 5, profile: "stack-v2-2018" });
    });
    it("V1 at 6 days points to the enhanced policy", () => {
      expect(only(ir(6), "policy/instant-restore-days").remedy).toContain("enhanced (V2) policy for up to 30 days");
    });
    it.each([1, 29, 30])("V2 accepts %i", (days) => expect(errors(ir(days, { policyType: "V2", retention: { daily: { count: 60 } } }))).toEqual([]));
    it.each([0, 31])("V2 rejects %i", (days) => {
      expect(only(ir(days, { policyType: "V2", retention: { daily: { count: 60 } } }), "policy/instant-restore-days").limit?.value).toBe(30);
    });
    it("defaults to 2 days for V1 and 7 for V2", () => {
      expect(normalizePolicy(dailyPolicy()).policy?.instantRestoreRetentionDays).toBe(2);
      expect(normalizePolicy(dailyPolicy("20:30", { policyType: "V2" })).policy?.instantRestoreRetentionDays).toBe(7);
    });
    describe("a weekly V1 policy keeps snapshots exactly 5 days", () => {
      const weekly = (instantRestoreRetentionDays?: number, policyType = "V1"): PolicyArgs => ({
        policyType,
        schedule: { frequency: "Weekly", time: "20:30", weekdays: ["Sunday"] },
        retention: { weekly: { count: 4, weekdays: ["Sunday"] } },
        ...(instantRestoreRetentionDays === undefined ? {} : { instantRestoreRetentionDays }),
      });
      it("accepts 5 or nothing (and uses 5)", () => {
        expect(errors(validatePolicy(weekly(5)))).toEqual([]);
        expect(normalizePolicy(weekly()).policy?.instantRestoreRetentionDays).toBe(5);
      });
      it.each([4, 2])("rejects %i", (days) => {
        expect(only(validatePolicy(weekly(days)), "policy/instant-restore-days").limit?.key).toBe("instantRestoreDaysWeeklyV1");
      });
      it("does not apply to V2", () => {
        expect(errors(validatePolicy(weekly(3, "V2")))).toEqual([]);
      });
    });
    it("refuses snapshots kept longer than the vault keeps the point", () => {
      const policy = (count: number, days: number) =>
        validatePolicy({
          policyType: "V2",
          schedule: { frequency: "Daily", time: "20:30" },
          retention: { daily: { count } },
          instantRestoreRetentionDays: days,
        });
      expect(errors(policy(10, 9))).toEqual([]);
      expect(warnings(policy(10, 10))).toEqual(["policy/instant-restore-equals-retention"]);
      expect(errors(policy(10, 11))).toEqual(["policy/instant-restore-exceeds-retention"]);
    });
    it("compares a weekly schedule's snapshots with weeks of vault retention", () => {
      const weekly = (count: number) =>
        validatePolicy({
          policyType: "V2",
          schedule: { frequency: "Weekly", time: "20:30", weekdays: ["Sunday"] },
          retention: { weekly: { count, weekdays: ["Sunday"] } },
          instantRestoreRetentionDays: 10,
        });
      expect(errors(weekly(1))).toEqual(["policy/instant-restore-exceeds-retention"]);
      expect(errors(weekly(2))).toEqual([]);
    });
    it("warns that 4-hourly backups may not keep snapshots beyond the default 7 days", () => {
      const hourly = (days: number, interval = 4) =>
        validatePolicy({
          policyType: "V2",
          schedule: { frequency: "Hourly", time: "08:00", hourInterval: interval, hourWindow: 24 },
          retention: { daily: { count: 30 } },
          instantRestoreRetentionDays: days,
        });
      expect(warnings(hourly(7))).toEqual([]);
      expect(warnings(hourly(8))).toEqual(["policy/instant-restore-frequent-snapshots"]);
      expect(warnings(hourly(8, 6))).toEqual([]);
    });
  });

  describe("instant-restore resource group", () => {
    const rg = (instantRestoreResourceGroup: unknown) => validatePolicy(dailyPolicy("20:30", { instantRestoreResourceGroup } as never));
    it("accepts a prefix and an optional suffix", () => {
      expect(errors(rg({ prefix: "rg-backup-" }))).toEqual([]);
      expect(errors(rg({ prefix: "rg-backup-", suffix: "-snapshots" }))).toEqual([]);
      expect(normalizePolicy(dailyPolicy("20:30", { instantRestoreResourceGroup: { prefix: "rg-" } })).policy?.instantRestoreResourceGroup).toEqual({
        prefix: "rg-",
      });
    });
    it("requires the prefix", () => {
      expect(only(rg({ suffix: "x" }), "input/required").path).toBe("instantRestoreResourceGroup.prefix");
      expect(errors(rg({ prefix: "" }))).toEqual(["input/required"]);
    });
    it("rejects characters and lengths a resource group name cannot have", () => {
      expect(only(rg({ prefix: "rg/backup" }), "policy/instant-restore-resource-group").path).toBe("instantRestoreResourceGroup.prefix");
      expect(only(rg({ prefix: "rg", suffix: "end." }), "policy/instant-restore-resource-group").path).toBe("instantRestoreResourceGroup.suffix");
      expect(errors(rg({ prefix: "a".repeat(89) }))).toEqual([]);
      expect(errors(rg({ prefix: "a".repeat(90) }))).toEqual(["policy/instant-restore-resource-group"]);
    });
  });

  describe("preview unknowns", () => {
    it("are never judged", () => {
      const policy = {
        name: UNKNOWN_SENTINEL,
        timeZone: UNKNOWN_SENTINEL,
        schedule: { frequency: "Daily", time: UNKNOWN_SENTINEL },
        retention: { daily: { count: UNKNOWN_SENTINEL } },
        instantRestoreRetentionDays: UNKNOWN_SENTINEL,
      } as unknown as PolicyArgs;
      expect(validatePolicy(policy)).toEqual([]);
    });
    it("skip only the rules that need them", () => {
      const policy = { schedule: { frequency: "Daily", time: "20:15" }, retention: UNKNOWN_SENTINEL } as unknown as PolicyArgs;
      expect(errors(validatePolicy(policy))).toEqual(["policy/time-half-hour"]);
    });
    it("give no canonical policy", () => {
      expect(normalizePolicy({ schedule: { frequency: UNKNOWN_SENTINEL, time: "20:30" } }).policy).toBeUndefined();
    });
  });

  it("reports wrong types without throwing", () => {
    const diagnostics = validatePolicy({ schedule: "daily", retention: [], policyType: 2 } as never);
    expect(errors(diagnostics)).toEqual(["input/type", "input/type", "input/type"]);
    expect(bySeverity(diagnostics, "info")).toEqual([]);
  });
});
