import { normalizePolicy, validatePolicy, type PolicyArgs, type RetentionArgs } from "../../src";
import { errors, only, warnings } from "./helpers";

const daily = (retention: RetentionArgs, extra: Partial<PolicyArgs> = {}): PolicyArgs => ({
  schedule: { frequency: "Daily", time: "20:30" },
  retention,
  ...extra,
});
const weekly = (retention: RetentionArgs, weekdays = ["Sunday", "Wednesday"]): PolicyArgs => ({
  schedule: { frequency: "Weekly", time: "20:30", weekdays },
  retention,
});

describe("policy retention", () => {
  describe("daily count: 7-9999 days", () => {
    it.each([7, 8, 9998, 9999])("accepts %i", (count) => {
      expect(errors(validatePolicy(daily({ daily: { count } })))).toEqual([]);
    });
    it.each([6, 1, 0, 10000])("rejects %i", (count) => {
      const d = only(validatePolicy(daily({ daily: { count } })), "policy/retention-count");
      expect(d.path).toBe("retention.daily.count");
      expect(d.limit?.key).toBe(count < 7 ? "dailyRetentionMinDays" : "dailyRetentionMaxDays");
    });
    it("needs a whole number", () => {
      expect(errors(validatePolicy(daily({ daily: { count: 7.5 } })))).toEqual(["input/type"]);
      expect(errors(validatePolicy(daily({ daily: { count: "30" as never } })))).toEqual(["input/type"]);
    });
  });

  describe("weekly, monthly and yearly counts", () => {
    it.each([
      ["weekly", 5163],
      ["monthly", 1188],
      ["yearly", 99],
    ] as const)("%s: accepts 1 and %i, rejects 0 and one more", (block, max) => {
      const make = (count: number): RetentionArgs => {
        if (block === "weekly") return { daily: { count: 30 }, weekly: { count, weekdays: ["Sunday"] } };
        if (block === "monthly") return { daily: { count: 30 }, monthly: { count, weekdays: ["Sunday"], weeks: ["First"] } };
        return { daily: { count: 30 }, yearly: { count, months: ["January"], weekdays: ["Sunday"], weeks: ["First"] } };
      };
      expect(errors(validatePolicy(daily(make(1))))).toEqual([]);
      expect(errors(validatePolicy(daily(make(max))))).toEqual([]);
      expect(only(validatePolicy(daily(make(0))), "policy/retention-count").path).toBe(`retention.${block}.count`);
      expect(only(validatePolicy(daily(make(max + 1))), "policy/retention-count").limit?.value).toBe(max);
    });
  });

  describe("which blocks a schedule needs", () => {
    it("a daily schedule needs daily retention", () => {
      const d = only(validatePolicy(daily({ weekly: { count: 4, weekdays: ["Sunday"] } })), "policy/retention-required");
      expect(d.path).toBe("retention.daily");
    });
    it("a weekly schedule needs weekly retention and takes no daily retention", () => {
      expect(errors(validatePolicy(weekly({ weekly: { count: 12, weekdays: ["Sunday", "Wednesday"] } })))).toEqual([]);
      expect(errors(validatePolicy(weekly({ daily: { count: 30 } })))).toEqual(["policy/retention-daily-forbidden", "policy/retention-required"]);
    });
    it("a weekly schedule without retention has no default", () => {
      const d = only(validatePolicy({ schedule: { frequency: "Weekly", time: "20:30", weekdays: ["Sunday"] } }), "policy/retention-required");
      expect(d.path).toBe("retention");
    });
    it("weekly retention of a weekly schedule keeps exactly the scheduled days", () => {
      const d = only(validatePolicy(weekly({ weekly: { count: 12, weekdays: ["Sunday"] } })), "policy/retention-weekdays");
      expect(d.remedy).toBe('Set retention.weekly.weekdays to ["Sunday", "Wednesday"].');
      expect(errors(validatePolicy(weekly({ weekly: { count: 12, weekdays: ["wednesday", "sunday"] } })))).toEqual([]);
    });
    it("weekly retention of a daily schedule may keep any day", () => {
      expect(errors(validatePolicy(daily({ daily: { count: 30 }, weekly: { count: 12, weekdays: ["Friday"] } })))).toEqual([]);
    });
    it("weekly retention needs its weekdays", () => {
      expect(errors(validatePolicy(daily({ daily: { count: 30 }, weekly: { count: 12 } as never })))).toEqual(["input/required"]);
    });
  });

  describe("monthly and yearly formats", () => {
    const monthly = (m: Record<string, unknown>): PolicyArgs => daily({ daily: { count: 30 }, monthly: { count: 12, ...m } as never });
    it("accepts weekdays of weeks", () => {
      expect(errors(validatePolicy(monthly({ weekdays: ["Sunday"], weeks: ["first", "Last"] })))).toEqual([]);
      expect(normalizePolicy(monthly({ weekdays: ["Sunday"], weeks: ["first", "Last"] })).policy?.retention.monthly).toEqual({
        count: 12,
        format: "Weekly",
        weekdays: ["Sunday"],
        weeks: ["First", "Last"],
        days: [],
        includeLastDays: false,
      });
    });
    it("accepts days of the month 1-28 and the last day", () => {
      expect(errors(validatePolicy(monthly({ days: [1, 15, 28] })))).toEqual([]);
      expect(errors(validatePolicy(monthly({ includeLastDays: true })))).toEqual([]);
      expect(normalizePolicy(monthly({ days: [1], includeLastDays: true })).policy?.retention.monthly?.format).toBe("Daily");
    });
    it.each([0, 29, 31])("rejects day %i", (day) => {
      expect(only(validatePolicy(monthly({ days: [day] })), "policy/day-of-month").path).toBe("retention.monthly.days[0]");
    });
    it("points to includeLastDays for the end of the month", () => {
      expect(only(validatePolicy(monthly({ days: [31] })), "policy/day-of-month").remedy).toContain("includeLastDays");
    });
    it("rejects mixing the formats, half a weekly format, and no format", () => {
      expect(errors(validatePolicy(monthly({ weekdays: ["Sunday"], weeks: ["First"], days: [1] })))).toEqual(["policy/retention-format"]);
      expect(only(validatePolicy(monthly({ weekdays: ["Sunday"] })), "policy/retention-format").path).toBe("retention.monthly.weeks");
      expect(only(validatePolicy(monthly({ weeks: ["First"] })), "policy/retention-format").path).toBe("retention.monthly.weekdays");
      expect(errors(validatePolicy(monthly({})))).toEqual(["policy/retention-format"]);
    });
    it("rejects unknown weeks and months with suggestions", () => {
      expect(only(validatePolicy(monthly({ weekdays: ["Sunday"], weeks: ["Fifth"] })), "policy/week-of-month").remedy).toContain(
        "First, Second, Third, Fourth, Last",
      );
      const yearly = daily({ daily: { count: 30 }, yearly: { count: 5, months: ["Janury"], days: [1] } });
      expect(only(validatePolicy(yearly), "policy/month").message).toContain("did you mean 'January'?");
    });
    it("yearly retention needs months, in any case", () => {
      const yearly = (months: string[]) => daily({ daily: { count: 30 }, yearly: { count: 5, months, weekdays: ["Sunday"], weeks: ["Last"] } });
      expect(errors(validatePolicy(yearly(["january", "JULY"])))).toEqual([]);
      expect(normalizePolicy(yearly(["january", "JULY"])).policy?.retention.yearly?.months).toEqual(["January", "July"]);
      expect(errors(validatePolicy(yearly([])))).toEqual(["policy/retention-months-required"]);
    });
    it("yearly retention without months is refused at the boundary: one month passes, none or no list fails", () => {
      const withMonths = (yearly: Record<string, unknown>): PolicyArgs =>
        daily({ daily: { count: 30 }, yearly: { count: 5, weekdays: ["Sunday"], weeks: ["First"], ...yearly } as never });
      expect(errors(validatePolicy(withMonths({ months: ["January"] })))).toEqual([]);
      const missing = only(validatePolicy(withMonths({})), "policy/retention-months-required");
      expect(missing.path).toBe("retention.yearly.months");
      expect(missing.severity).toBe("error");
      expect(errors(validatePolicy(withMonths({ months: null })))).toEqual(["policy/retention-months-required"]);
      expect(normalizePolicy(withMonths({})).policy).toBeUndefined();
    });
    it("a weekly schedule cannot keep points by day of the month", () => {
      const policy = weekly({ weekly: { count: 12, weekdays: ["Sunday", "Wednesday"] }, monthly: { count: 12, days: [1] } });
      expect(only(validatePolicy(policy), "policy/retention-day-based-weekly-schedule").path).toBe("retention.monthly");
    });
    it("a weekly schedule keeps monthly and yearly points only on scheduled weekdays", () => {
      const ok = weekly({
        weekly: { count: 12, weekdays: ["Sunday", "Wednesday"] },
        yearly: { count: 5, months: ["January"], weekdays: ["Wednesday"], weeks: ["First"] },
      });
      expect(errors(validatePolicy(ok))).toEqual([]);
      const bad = weekly({ weekly: { count: 12, weekdays: ["Sunday", "Wednesday"] }, monthly: { count: 12, weekdays: ["Friday"], weeks: ["First"] } });
      const d = only(validatePolicy(bad), "policy/retention-weekdays-not-scheduled");
      expect(d.path).toBe("retention.monthly.weekdays");
      expect(d.message).toContain("Friday");
    });
  });

  it("warns when retention may exceed 9,999 recovery points per item", () => {
    const within = daily({ daily: { count: 9000 }, weekly: { count: 999, weekdays: ["Sunday"] } });
    expect(warnings(validatePolicy(within))).toEqual([]);
    const beyond = daily({ daily: { count: 9000 }, weekly: { count: 1000, weekdays: ["Sunday"] } });
    expect(only(validatePolicy(beyond), "policy/recovery-points").message).toContain("up to 10000 recovery points");
  });

  it("reports typos in retention blocks", () => {
    expect(only(validatePolicy(daily({ daily: { count: 30 }, montly: {} } as never)), "input/unknown-property").message).toContain("did you mean 'monthly'?");
  });
});
