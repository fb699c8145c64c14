/** When a policy last should have run, and the verdict on a VM's backups (src/rules/backup-status.ts). */
import { judgeBackup, latestScheduledRun, schedulePeriodMs, SCHEDULED_START_WINDOW_MS, type PolicySchedule } from "../../src/rules";

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const daily = (time: number, timeZone = "UTC"): PolicySchedule => ({ timeZone, schedule: { frequency: "Daily", time, weekdays: [] } });

describe("latestScheduledRun", () => {
  it("finds today's run once its time has passed, yesterday's before", () => {
    expect(latestScheduledRun(daily(19 * 60), at("2026-03-04T20:00:00Z"))).toBe(at("2026-03-04T19:00:00Z"));
    expect(latestScheduledRun(daily(19 * 60), at("2026-03-04T18:59:00Z"))).toBe(at("2026-03-03T19:00:00Z"));
  });

  it("runs a zone's local time at its offset; with daylight saving, at the earlier of its two UTC times", () => {
    // Tokyo (UTC+9, no DST): 02:00 local is 17:00 UTC the day before.
    expect(latestScheduledRun(daily(2 * 60, "Tokyo Standard Time"), at("2026-03-04T18:00:00Z"))).toBe(at("2026-03-04T17:00:00Z"));
    // Berlin (UTC+1 / UTC+2): 20:30 local is 19:30 or 18:30 UTC; the earlier one is taken.
    expect(latestScheduledRun(daily(20 * 60 + 30, "W. Europe Standard Time"), at("2026-03-04T21:00:00Z"))).toBe(at("2026-03-04T18:30:00Z"));
  });

  it("follows weekly days and hourly windows", () => {
    const weekly: PolicySchedule = { timeZone: "UTC", schedule: { frequency: "Weekly", time: 22 * 60, weekdays: ["Saturday"] } };
    // 2026-03-04 is a Wednesday: the last run was Saturday 2026-02-28.
    expect(latestScheduledRun(weekly, at("2026-03-04T12:00:00Z"))).toBe(at("2026-02-28T22:00:00Z"));
    expect(schedulePeriodMs(weekly)).toBe(7 * 24 * HOUR);
    const hourly: PolicySchedule = { timeZone: "UTC", schedule: { frequency: "Hourly", time: 8 * 60, weekdays: [], hourInterval: 4, hourWindow: 12 } };
    expect(latestScheduledRun(hourly, at("2026-03-04T17:00:00Z"))).toBe(at("2026-03-04T16:00:00Z"));
    expect(latestScheduledRun(hourly, at("2026-03-04T07:00:00Z"))).toBe(at("2026-03-03T16:00:00Z"));
    expect(schedulePeriodMs(hourly)).toBe(16 * HOUR);
    expect(schedulePeriodMs(daily(600))).toBe(24 * HOUR);
  });
});

describe("judgeBackup", () => {
  const policy = daily(19 * 60);
  const base = { protectionState: "Protected", softDeleted: false, lastBackupStatus: "Completed", policy };

  it("is ok with a recovery point since the last run, and allows the run 2 hours to start", () => {
    const now = at("2026-03-04T20:30:00Z");
    // 19:00 today is within its start window: yesterday's run is the one due.
    expect(SCHEDULED_START_WINDOW_MS).toBe(2 * HOUR);
    expect(judgeBackup({ ...base, latestRecoveryPoint: at("2026-03-03T19:40:00Z"), now })).toEqual({ verdict: "ok", dueRun: at("2026-03-03T19:00:00Z") });
    // Past 21:00 it is late.
    expect(judgeBackup({ ...base, latestRecoveryPoint: at("2026-03-03T19:40:00Z"), now: at("2026-03-04T21:01:00Z") })).toEqual({
      verdict: "overdue",
      code: "status/backup-overdue",
      dueRun: at("2026-03-04T19:00:00Z"),
    });
  });

  it("is ok while a backup started since the due run is still running", () => {
    const now = at("2026-03-05T01:00:00Z");
    expect(judgeBackup({ ...base, latestRecoveryPoint: at("2026-03-03T19:40:00Z"), backupInProgressSince: at("2026-03-04T20:50:00Z"), now }).verdict).toBe(
      "ok",
    );
  });

  it("says failed when the last backup failed, whatever the schedule", () => {
    const now = at("2026-03-04T20:00:00Z");
    expect(judgeBackup({ ...base, lastBackupStatus: "Failed", latestRecoveryPoint: at("2026-03-04T19:10:00Z"), now })).toEqual({
      verdict: "failed",
      code: "status/last-backup-failed",
    });
  });

  it("waits for the first backup of a VM protected less than a period ago; later it is overdue", () => {
    const facts = { ...base, lastBackupStatus: "", protectionState: "IRPending", protectedSince: at("2026-03-04T10:00:00Z") };
    expect(judgeBackup({ ...facts, now: at("2026-03-04T22:00:00Z") })).toMatchObject({ verdict: "pending-first-backup", code: "status/first-backup-pending" });
    expect(judgeBackup({ ...facts, now: at("2026-03-05T22:00:00Z") }).verdict).toBe("overdue");
    // Protection of unknown age (no ConfigureBackup job found within a period): overdue.
    expect(judgeBackup({ ...facts, protectedSince: undefined, now: at("2026-03-04T22:00:00Z") }).verdict).toBe("overdue");
  });

  it("does not judge VMs that are not backed up on a schedule", () => {
    const now = at("2026-03-10T00:00:00Z");
    expect(judgeBackup({ ...base, protectionState: "ProtectionStopped", now }).verdict).toBe("not-scheduled");
    expect(judgeBackup({ ...base, softDeleted: true, now }).verdict).toBe("not-scheduled");
    expect(judgeBackup({ ...base, policy: undefined, now }).verdict).toBe("not-scheduled");
  });
});
