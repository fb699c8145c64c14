/**
 * "Are we backed up?": when a protected VM's policy should last have backed it up, and the verdict on its last
 * backup. Pure: the caller (src/operations/status.ts) reads the vault's items, policies and jobs.
 *
 * When is a backup late? Microsoft's VM backup FAQ: "The scheduled backup will be triggered within 2 hours of the
 * scheduled backup time" (DOCS.vmBackupFaq). The recovery point appears when the snapshot is taken, at the start of the
 * job; the transfer to the vault follows and may wait in a queue ("up to eight hours", total "less than 24 hours for
 * daily backup policies": seed 001, DOCS.vmBackupPlanning2018), which does not delay the point. So a VM is overdue when
 * its newest recovery point is older than the latest scheduled run whose 2-hour start window has passed, and no backup
 * of it started since that run is still in progress (a long transfer is not a missed backup).
 *
 * A policy's UTC run times do not follow daylight saving time (src/rules/schedule-slots.ts): for a zone with two
 * offsets the run is taken at whichever offset makes it the earlier, so that no VM is called overdue on a guess.
 */
import { MINUTES_PER_WEEK, parseTimeOfDay } from "./calendar";
import type { RuleCode } from "./catalog";
import type { Policy } from "./policy-types";
import { cite, DOCS } from "./sources";
import { utcRunsOfWeek, type KnownSchedule } from "./schedule-slots";

const MINUTE = 60_000;
const WEEK = MINUTES_PER_WEEK * MINUTE;

/** A scheduled backup starts within this long of its scheduled time (DOCS.vmBackupFaq). */
export const SCHEDULED_START_WINDOW_MS = 2 * 60 * MINUTE;
export const SCHEDULED_START_WINDOW_SOURCE = cite(DOCS.vmBackupFaq, "The scheduled backup will be triggered within 2 hours of the scheduled backup time");

/** Sunday 1970-01-04 00:00 UTC: weeks counted from it start on Sunday, as utcRunsOfWeek's minutes do. */
const FIRST_SUNDAY = Date.UTC(1970, 0, 4);

/** A policy's schedule and the Windows time zone it runs in. */
export interface PolicySchedule {
  timeZone: string;
  schedule: KnownSchedule;
}

/** The schedule of a canonical policy (src/azure/policy-body.ts fromArmPolicy reads one from Azure's body). */
export function policySchedule(policy: Pick<Policy, "timeZone" | "schedule">): PolicySchedule {
  const s = policy.schedule;
  return {
    timeZone: policy.timeZone,
    schedule: {
      frequency: s.frequency,
      time: parseTimeOfDay(s.time) ?? 0,
      weekdays: s.weekdays,
      ...(s.hourInterval === undefined ? {} : { hourInterval: s.hourInterval }),
      ...(s.hourWindow === undefined ? {} : { hourWindow: s.hourWindow }),
    },
  };
}

/** The latest scheduled start at or before `at` (ms since the epoch), or undefined when the schedule has no runs. */
export function latestScheduledRun(policy: PolicySchedule, at: number): number | undefined {
  const weekStart = at - ((((at - FIRST_SUNDAY) % WEEK) + WEEK) % WEEK);
  let earliest: number | undefined;
  for (const { minutes } of utcRunsOfWeek(policy.timeZone, policy.schedule)) {
    let latest: number | undefined;
    for (const minute of minutes) {
      for (const week of [weekStart, weekStart - WEEK]) {
        const run = week + minute * MINUTE;
        if (run <= at && (latest === undefined || run > latest)) latest = run;
      }
    }
    if (latest !== undefined && (earliest === undefined || latest < earliest)) earliest = latest;
  }
  return earliest;
}

/** The longest time between two scheduled starts of the policy (a day for daily policies, a week for a weekly one on one day). */
export function schedulePeriodMs(policy: PolicySchedule): number {
  let longest = 0;
  for (const { minutes } of utcRunsOfWeek(policy.timeZone, policy.schedule)) {
    const sorted = [...minutes].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i++) {
      const next = i + 1 < sorted.length ? sorted[i + 1]! : sorted[0]! + MINUTES_PER_WEEK;
      longest = Math.max(longest, next - sorted[i]!);
    }
  }
  return (longest === 0 ? MINUTES_PER_WEEK : longest) * MINUTE;
}

export type BackupVerdict =
  /** Backed up since its last due run (or no run is due yet). */
  | "ok"
  /** Its last backup failed. */
  | "failed"
  /** No recovery point since the last run that should have started. */
  | "overdue"
  /** Never backed up, protected less than one schedule period ago. */
  | "pending-first-backup"
  /** Not backed up on a schedule: protection stopped, soft-deleted, or no policy. */
  | "not-scheduled";

export interface BackupFacts {
  /** The item's protectionState (Protected, IRPending, ProtectionStopped, ProtectionPaused, BackupsSuspended, ...). */
  protectionState: string;
  softDeleted: boolean;
  /** The item's lastBackupStatus (Completed, Failed, ...; empty before the first backup). */
  lastBackupStatus: string;
  /** Time of the newest recovery point (ms), if any. */
  latestRecoveryPoint?: number | undefined;
  /** The VM's policy, when it has one that could be read. */
  policy?: PolicySchedule | undefined;
  /** When protection was configured (the ConfigureBackup job's start), when known. */
  protectedSince?: number | undefined;
  /** Start of a Backup job of the VM still in progress, if any. */
  backupInProgressSince?: number | undefined;
  now: number;
}

/** The rule each verdict that is a finding reports (src/rules/catalog.ts). */
export const VERDICT_RULES: Partial<Record<BackupVerdict, RuleCode>> = {
  failed: "status/last-backup-failed",
  overdue: "status/backup-overdue",
  "pending-first-backup": "status/first-backup-pending",
};

export interface BackupJudgement {
  verdict: BackupVerdict;
  /** The rule reported, for a failed, overdue or pending VM. */
  code?: RuleCode;
  /** The scheduled run a backup was due for (ms), when there is one. */
  dueRun?: number;
}

const NOT_SCHEDULED_STATES = new Set(["protectionstopped", "backupssuspended", "protectionpaused", "softdeleted"]);

export function judgeBackup(facts: BackupFacts): BackupJudgement {
  const judgement = judge(facts);
  const code = VERDICT_RULES[judgement.verdict];
  return code === undefined ? judgement : { ...judgement, code };
}

function judge(facts: BackupFacts): BackupJudgement {
  if (facts.softDeleted || NOT_SCHEDULED_STATES.has(facts.protectionState.toLowerCase()) || facts.policy === undefined) {
    return { verdict: facts.lastBackupStatus.toLowerCase() === "failed" && !facts.softDeleted && facts.policy !== undefined ? "failed" : "not-scheduled" };
  }
  if (facts.lastBackupStatus.toLowerCase() === "failed") return { verdict: "failed" };
  const due = latestScheduledRun(facts.policy, facts.now - SCHEDULED_START_WINDOW_MS);
  if (due === undefined) return { verdict: "ok" };
  if (facts.latestRecoveryPoint !== undefined && facts.latestRecoveryPoint >= due) return { verdict: "ok", dueRun: due };
  if (facts.backupInProgressSince !== undefined && facts.backupInProgressSince >= due) return { verdict: "ok", dueRun: due };
  if (facts.latestRecoveryPoint === undefined && facts.protectedSince !== undefined && facts.now - facts.protectedSince < schedulePeriodMs(facts.policy)) {
    return { verdict: "pending-first-backup", dueRun: due };
  }
  return { verdict: "overdue", dueRun: due };
}
