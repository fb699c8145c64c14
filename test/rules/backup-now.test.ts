import { backupNowExpiry, DEFAULT_BACKUP_NOW_RETAIN_DAYS, validateBackupNow } from "../../src";
import { errors, only } from "./helpers";

const NOW = new Date("2026-11-24T10:00:00Z");

describe("validateBackupNow (seed 004: the last day the recovery point is retained)", () => {
  it("accepts a date after today, a number of days, and nothing (30 days)", () => {
    expect(validateBackupNow({ retainUntil: "2026-12-24" }, NOW)).toEqual([]);
    expect(validateBackupNow({ retainUntil: new Date("2027-01-01T00:00:00Z") }, NOW)).toEqual([]);
    expect(validateBackupNow({ retainDays: 1 }, NOW)).toEqual([]);
    expect(validateBackupNow({}, NOW)).toEqual([]);
  });

  it("refuses a date that is not after now, and one that is not a date", () => {
    const past = only(validateBackupNow({ retainUntil: "2026-11-24T09:00:00Z" }, NOW), "backup-now/retain-until");
    expect(past.path).toBe("retainUntil");
    expect(past.message).toContain("not after today");
    expect(errors(validateBackupNow({ retainUntil: "2026-11-24T10:00:01Z" }, NOW))).toEqual([]);
    expect(only(validateBackupNow({ retainUntil: "next tuesday" }, NOW), "backup-now/retain-until").message).toContain("must be a date");
  });

  it("refuses retention beyond the longest Azure keeps (yearly retention maximum, 99 years)", () => {
    expect(errors(validateBackupNow({ retainUntil: "2125-11-24T09:59:59Z" }, NOW))).toEqual([]);
    const far = only(validateBackupNow({ retainUntil: "2125-11-24T10:00:01Z" }, NOW), "backup-now/retain-until");
    expect(far.limit).toEqual({ key: "yearlyRetentionMaxYears", value: 99, profile: "stack-v2-2018" });
    expect(errors(validateBackupNow({ retainDays: 36_159 }, NOW))).toEqual([]);
    expect(only(validateBackupNow({ retainDays: 36_160 }, NOW), "backup-now/retain-days").limit?.key).toBe("yearlyRetentionMaxYears");
  });

  it("refuses fewer than one day, and fractions", () => {
    expect(only(validateBackupNow({ retainDays: 0 }, NOW), "backup-now/retain-days").path).toBe("retainDays");
    expect(errors(validateBackupNow({ retainDays: 1.5 }, NOW))).toEqual(["input/type"]);
  });

  it("reports paths under the given prefix", () => {
    expect(validateBackupNow({ retainDays: 0 }, NOW, {}, "backupNow")[0]!.path).toBe("backupNow.retainDays");
  });

  it("turns a request into the expiry date Azure is sent", () => {
    expect(backupNowExpiry({ retainUntil: "2027-01-31T00:00:00Z" }, NOW).toISOString()).toBe("2027-01-31T00:00:00.000Z");
    expect(backupNowExpiry({ retainDays: 7 }, NOW).toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(backupNowExpiry({}, NOW).getTime() - NOW.getTime()).toBe(DEFAULT_BACKUP_NOW_RETAIN_DAYS * 86_400_000);
  });
});
