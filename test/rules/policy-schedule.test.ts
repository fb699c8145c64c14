import { normalizePolicy, validatePolicy, type PolicyArgs } from "../../src";
import { dailyPolicy, errors, only, warnings } from "./helpers";

const hourly = (hourInterval?: number, hourWindow?: number, time = "08:00", extra: Partial<PolicyArgs> = {}): PolicyArgs => ({
  policyType: "V2",
  schedule: { frequency: "Hourly", time, ...(hourInterval === undefined ? {} : { hourInterval }), ...(hourWindow === undefined ? {} : { hourWindow }) },
  retention: { daily: { count: 30 } },
  ...extra,
});

describe("policy schedule", () => {
  describe("time: HH:MM on the hour or the half hour", () => {
    it.each(["00:00", "00:30", "08:00", "20:30", "23:30", "9:30"])("accepts %s", (time) => {
      expect(errors(validatePolicy(dailyPolicy(time)))).toEqual([]);
    });
    it.each(["20:15", "20:01", "23:59", "00:45"])("rejects %s with the nearest valid times", (time) => {
      const d = only(validatePolicy(dailyPolicy(time)), "policy/time-half-hour");
      expect(d.path).toBe("schedule.time");
      expect(d.remedy).toMatch(/^Use \d\d:\d0 or \d\d:\d0\.$/);
    });
    it("suggests 20:00 or 20:30 for 20:15", () => {
      expect(only(validatePolicy(dailyPolicy("20:15")), "policy/time-half-hour").remedy).toBe("Use 20:00 or 20:30.");
    });
    it.each(["24:00", "8pm", "20.30", "2030", ""])("rejects %j as not a time", (time) => {
      expect(errors(validatePolicy(dailyPolicy(time)))).toEqual([time === "" ? "input/required" : "policy/time-format"]);
    });
    it("canonicalises to two digits", () => {
      expect(normalizePolicy(dailyPolicy("9:30")).policy?.schedule.time).toBe("09:30");
    });
  });

  describe("frequency", () => {
    it("accepts any case and canonicalises", () => {
      expect(normalizePolicy(dailyPolicy("20:30", { schedule: { frequency: "daily", time: "20:30" } })).policy?.schedule.frequency).toBe("Daily");
    });
    it("rejects others with a suggestion", () => {
      const d = only(validatePolicy({ schedule: { frequency: "Dayly", time: "20:30" }, retention: { daily: { count: 30 } } }), "policy/frequency");
      expect(d.message).toContain("did you mean 'Daily'?");
    });
  });

  describe("weekdays", () => {
    const weekly = (weekdays?: string[], kept = weekdays ?? ["Sunday"]): PolicyArgs => ({
      schedule: { frequency: "Weekly", time: "22:00", ...(weekdays === undefined ? {} : { weekdays }) },
      retention: { weekly: { count: 12, weekdays: kept } },
    });
    it("a weekly schedule takes its days in any case", () => {
      expect(errors(validatePolicy(weekly(["sunday", "WEDNESDAY"])))).toEqual([]);
      expect(normalizePolicy(weekly(["sunday", "WEDNESDAY"])).policy?.schedule.weekdays).toEqual(["Sunday", "Wednesday"]);
    });
    it("a weekly schedule needs days", () => {
      expect(errors(validatePolicy(weekly()))).toEqual(["policy/schedule-weekdays-required"]);
      expect(errors(validatePolicy(weekly([])))).toContain("policy/schedule-weekdays-required");
    });
    it("rejects a misspelt day with a suggestion", () => {
      const diagnostics = validatePolicy(weekly(["Sundy"], ["Sunday"]));
      expect(errors(diagnostics)).toEqual(["policy/weekday"]);
      const d = only(diagnostics, "policy/weekday");
      expect(d.path).toBe("schedule.weekdays[0]");
      expect(d.message).toContain("did you mean 'Sunday'?");
    });
    it("rejects a day listed twice", () => {
      expect(only(validatePolicy(weekly(["Sunday", "sunday"], ["Sunday"])), "input/duplicate").path).toBe("schedule.weekdays[1]");
    });
    it("a daily schedule takes no days", () => {
      const d = only(
        validatePolicy(dailyPolicy("20:30", { schedule: { frequency: "Daily", time: "20:30", weekdays: ["Monday"] } })),
        "policy/schedule-weekdays-forbidden",
      );
      expect(d.path).toBe("schedule.weekdays");
    });
  });

  describe("hourly schedules", () => {
    it("need an enhanced (V2) policy", () => {
      const d = only(validatePolicy(hourly(4, 12, "08:00", { policyType: "V1" })), "policy/hourly-requires-v2");
      expect(d.path).toBe("schedule.frequency");
      expect(errors(validatePolicy(hourly(4, 12, "08:00", { policyType: undefined })))).toEqual(["policy/hourly-requires-v2"]);
    });
    it.each([4, 6, 8, 12])("accept an interval of %i hours", (interval) => {
      expect(errors(validatePolicy(hourly(interval, 24)))).toEqual([]);
    });
    it.each([1, 3, 5, 24])("reject an interval of %i hours", (interval) => {
      expect(errors(validatePolicy(hourly(interval, 24)))).toEqual(["policy/hourly-interval"]);
    });
    it("need an interval and a window", () => {
      expect(errors(validatePolicy(hourly(undefined, 12)))).toEqual(["policy/hourly-interval"]);
      expect(errors(validatePolicy(hourly(4, undefined)))).toEqual(["policy/hourly-window"]);
    });
    it.each([4, 24])("accept a window of %i hours (4-24)", (window) => {
      expect(errors(validatePolicy(hourly(4, window)))).toEqual([]);
    });
    it.each([3, 25, 28])("reject a window of %i hours", (window) => {
      const d = only(validatePolicy(hourly(4, window)), "policy/hourly-window");
      expect(d.limit?.key).toBe(window < 4 ? "hourlyWindowMinHours" : "hourlyWindowMaxHours");
    });
    it("need a window that is a multiple of the interval", () => {
      expect(errors(validatePolicy(hourly(6, 12)))).toEqual([]);
      const d = only(validatePolicy(hourly(6, 16)), "policy/hourly-window");
      expect(d.message).toContain("multiple of the interval");
      expect(d.remedy).toBe("Use 12 or 18 hours.");
      expect(only(validatePolicy(hourly(8, 4)), "policy/hourly-window").remedy).toBe("Use 8 hours.");
    });
    it("warn when the window starts after 19:30", () => {
      expect(warnings(validatePolicy(hourly(4, 4, "19:30")))).toEqual([]);
      expect(warnings(validatePolicy(hourly(4, 4, "20:00")))).toEqual(["policy/hourly-window-start"]);
    });
    it("interval and window are only for hourly schedules", () => {
      const daily = dailyPolicy("20:30", { schedule: { frequency: "Daily", time: "20:30", hourInterval: 4, hourWindow: 8 } });
      expect(errors(validatePolicy(daily))).toEqual(["policy/hourly-fields-forbidden", "policy/hourly-fields-forbidden"]);
    });
    it("keep interval and window in the canonical policy", () => {
      expect(normalizePolicy(hourly(4, 16)).policy?.schedule).toEqual({ frequency: "Hourly", time: "08:00", weekdays: [], hourInterval: 4, hourWindow: 16 });
    });
  });
});
