/** Rules for a policy's retention: which blocks a schedule needs, their counts, and their formats. */
import { MONTHS, WEEKDAYS, WEEKS_OF_MONTH, type Weekday } from "./calendar";
import type { RuleContext } from "./context";
import { joinPath } from "./diagnostics";
import { readArray, readBoolean, readChoiceList, readNumber, readObject, type Read } from "./input";
import type { LimitKey } from "./profiles";
import type { MonthlyRetention, ParsedSchedule, Retention, YearlyRetention } from "./policy-types";
import { isKnown, Unknown, type MaybeUnknown } from "./unknown";

/** The 2017 portal's default retention: "retain the backup for 180 days" (DOCS.vmBackupTutorial2017 in sources.ts). */
export const DEFAULT_DAILY_RETENTION_DAYS = 180;

/** Largest day of the month a day-based retention can name (Azure PowerShell's MaxAllowedDateInMonth). */
const MAX_DAY_OF_MONTH = 28;

export const RETENTION_KEYS = ["daily", "weekly", "monthly", "yearly"] as const;
export const MONTHLY_KEYS = ["count", "weekdays", "weeks", "days", "includeLastDays"] as const;

export function checkRetention(ctx: RuleContext, value: unknown, path: string, schedule: MaybeUnknown<ParsedSchedule>): MaybeUnknown<Retention> | undefined {
  const raw = readObject(ctx, value, path, RETENTION_KEYS, { what: "the retention" });
  if (raw === Unknown) return Unknown;
  if (raw === undefined) return value === undefined || value === null ? undefined : Unknown;
  let unknown = false;
  const retention: Retention = {};

  const daily = readObject(ctx, raw.daily, joinPath(path, "daily"), ["count"], { what: "retention.daily" });
  if (daily === Unknown) unknown = true;
  else if (daily !== undefined) {
    const count = checkCount(ctx, daily.count, joinPath(path, "daily.count"), "daily", "dailyRetentionMinDays", "dailyRetentionMaxDays");
    if (count === Unknown) unknown = true;
    else if (count !== undefined) retention.daily = { count };
  }

  const weekly = readObject(ctx, raw.weekly, joinPath(path, "weekly"), ["count", "weekdays"], { what: "retention.weekly" });
  if (weekly === Unknown) unknown = true;
  else if (weekly !== undefined) {
    const count = checkCount(ctx, weekly.count, joinPath(path, "weekly.count"), "weekly", undefined, "weeklyRetentionMaxWeeks");
    const weekdays = readChoiceList(ctx, weekly.weekdays, joinPath(path, "weekly.weekdays"), WEEKDAYS, "policy/weekday", {
      required: true,
      what: "weekday",
      remedy: 'List the weekdays whose backup is kept, e.g. ["Sunday"].',
    });
    if (count === Unknown || weekdays === Unknown) unknown = true;
    else if (count !== undefined && weekdays !== undefined && weekdays.length > 0) retention.weekly = { count, weekdays };
  }

  const monthly = checkLongTerm(ctx, raw.monthly, joinPath(path, "monthly"), "monthly");
  if (monthly === Unknown) unknown = true;
  else if (monthly !== undefined) retention.monthly = monthly;

  const yearly = checkLongTerm(ctx, raw.yearly, joinPath(path, "yearly"), "yearly");
  if (yearly === Unknown) unknown = true;
  else if (yearly !== undefined) retention.yearly = yearly as YearlyRetention;

  if (unknown) return Unknown;
  if (isKnown(schedule)) checkAgainstSchedule(ctx, raw, path, retention, schedule);
  return retention;
}

function checkCount(ctx: RuleContext, value: unknown, path: string, block: string, minKey: LimitKey | undefined, maxKey: LimitKey): Read<number> {
  const count = readNumber(ctx, value, path, { required: true, integer: true, what: `retention.${block}.count` });
  if (!isKnown(count)) return count;
  const min = minKey === undefined ? 1 : (ctx.limit(minKey) as number);
  const max = ctx.limit(maxKey) as number;
  const unit = { daily: "days", weekly: "weeks", monthly: "months", yearly: "years" }[block] ?? "";
  if (count < min) {
    const detail =
      minKey === undefined ? { remedy: `Keep at least 1.` } : { limit: minKey, remedy: `Keep ${block} recovery points for at least ${min} ${unit}.` };
    ctx.report(
      "policy/retention-count",
      path,
      `retention.${block}.count is ${count}; Azure keeps ${block} recovery points for at least ${min} ${unit}.`,
      detail,
    );
    return undefined;
  }
  if (count > max) {
    ctx.report("policy/retention-count", path, `retention.${block}.count is ${count}; Azure keeps ${block} recovery points for at most ${max} ${unit}.`, {
      limit: maxKey,
      remedy: `Use at most ${max}, or keep older points with a longer-term block (monthly, yearly).`,
    });
    return undefined;
  }
  return count;
}

/** Monthly and yearly blocks: a count, a format (weekdays of weeks, or days of the month), and months. */
function checkLongTerm(
  ctx: RuleContext,
  value: unknown,
  path: string,
  block: "monthly" | "yearly",
): MaybeUnknown<MonthlyRetention | YearlyRetention> | undefined {
  const keys = block === "yearly" ? [...MONTHLY_KEYS, "months"] : MONTHLY_KEYS;
  const raw = readObject(ctx, value, path, keys, { what: `retention.${block}` });
  if (raw === undefined || raw === Unknown) return raw;
  const count = checkCount(
    ctx,
    raw.count,
    joinPath(path, "count"),
    block,
    undefined,
    block === "monthly" ? "monthlyRetentionMaxMonths" : "yearlyRetentionMaxYears",
  );
  const weekdays = readChoiceList(ctx, raw.weekdays, joinPath(path, "weekdays"), WEEKDAYS, "policy/weekday", { what: "weekday" });
  const weeks = readChoiceList(ctx, raw.weeks, joinPath(path, "weeks"), WEEKS_OF_MONTH, "policy/week-of-month", {
    what: "week of the month",
  });
  const days = checkDaysOfMonth(ctx, raw.days, joinPath(path, "days"));
  const includeLastDays = readBoolean(ctx, raw.includeLastDays, joinPath(path, "includeLastDays"));
  const months = block === "yearly" ? readChoiceList(ctx, raw.months, joinPath(path, "months"), MONTHS, "policy/month", { what: "month" }) : [];
  if ([count, weekdays, weeks, days, includeLastDays, months].includes(Unknown)) return Unknown;

  const hasWeekdays = Array.isArray(weekdays) && weekdays.length > 0;
  const hasWeeks = Array.isArray(weeks) && weeks.length > 0;
  const hasDays = Array.isArray(days) && days.length > 0;
  const lastDay = includeLastDays === true;
  let format: MonthlyRetention["format"] | undefined;
  if ((hasWeekdays || hasWeeks) && (hasDays || lastDay)) {
    ctx.report(
      "policy/retention-format",
      path,
      `retention.${block} mixes weekdays/weeks with days/includeLastDays; Azure keeps either weekdays of given weeks or days of the month.`,
      { remedy: "Keep weekdays and weeks, or days (and includeLastDays), not both." },
    );
  } else if (hasWeekdays || hasWeeks) {
    if (!hasWeekdays || !hasWeeks) {
      const missing = hasWeekdays ? "weeks" : "weekdays";
      ctx.report("policy/retention-format", joinPath(path, missing), `retention.${block}.${missing} is required with ${hasWeekdays ? "weekdays" : "weeks"}.`, {
        remedy: hasWeekdays ? 'Add weeks, e.g. ["First"].' : 'Add weekdays, e.g. ["Sunday"].',
      });
    } else format = "Weekly";
  } else if (hasDays || lastDay) {
    format = "Daily";
  } else {
    ctx.report("policy/retention-format", path, `retention.${block} needs the points it keeps: weekdays with weeks, or days of the month.`, {
      remedy: 'Add weekdays and weeks (e.g. ["Sunday"], ["First"]) or days (e.g. [1]) or includeLastDays: true.',
    });
  }
  // Yearly retention keeps the points of given months: without them Azure keeps nothing. The REST spec's
  // YearlyRetentionSchedule leaves monthsOfYear optional (specification/recoveryservicesbackup/.../bms.json),
  // but Microsoft's PowerShell client refuses a yearly schedule without months (YearlyRetentionSchedule.Validate
  // in https://github.com/Azure/azure-powershell/blob/main/src/RecoveryServices/RecoveryServices.Backup.Models/CommonModels/PolicyRetentionObjects.cs)
  // and Terraform's azurerm_backup_policy_vm requires `months` in retention_yearly.
  if (block === "yearly" && (months === undefined || (Array.isArray(months) && months.length === 0))) {
    ctx.report("policy/retention-months-required", joinPath(path, "months"), "Yearly retention needs the months whose backup is kept.", {
      remedy: 'Add months, e.g. ["January"].',
    });
  }
  if (!isKnown(count) || format === undefined || (block === "yearly" && (!Array.isArray(months) || months.length === 0))) {
    return undefined;
  }
  const result: MonthlyRetention = {
    count,
    format,
    weekdays: format === "Weekly" ? (weekdays as Weekday[]) : [],
    weeks: format === "Weekly" ? (weeks as MonthlyRetention["weeks"]) : [],
    days: format === "Daily" && Array.isArray(days) ? days : [],
    includeLastDays: format === "Daily" && lastDay,
  };
  return block === "yearly" ? { ...result, months: months as YearlyRetention["months"] } : result;
}

function checkDaysOfMonth(ctx: RuleContext, value: unknown, path: string): Read<number[]> {
  const list = readArray(ctx, value, path, { what: "days of the month" });
  if (!isKnown(list)) return list;
  const days: number[] = [];
  let unknown = false;
  list.forEach((entry, i) => {
    const day = readNumber(ctx, entry, joinPath(path, i), { integer: true, what: "a day of the month" });
    if (day === Unknown) unknown = true;
    if (!isKnown(day)) return;
    if (day < 1 || day > MAX_DAY_OF_MONTH) {
      ctx.report("policy/day-of-month", joinPath(path, i), `Day ${day} cannot be kept; Azure keeps days 1 to ${MAX_DAY_OF_MONTH} of the month.`, {
        remedy: day > MAX_DAY_OF_MONTH ? "For the end of the month use includeLastDays: true." : "Use a day from 1 to 28.",
      });
    } else if (days.includes(day)) {
      ctx.report("input/duplicate", joinPath(path, i), `Day ${day} is listed twice.`, { remedy: "List each day once." });
    } else days.push(day);
  });
  return unknown ? Unknown : days;
}

/** Which retention blocks the schedule needs or forbids, and which weekdays it can keep. */
function checkAgainstSchedule(ctx: RuleContext, raw: Record<string, unknown>, path: string, retention: Retention, schedule: ParsedSchedule): void {
  const { frequency } = schedule;
  if (!isKnown(frequency)) return;
  if ((frequency === "Daily" || frequency === "Hourly") && raw.daily === undefined) {
    ctx.report("policy/retention-required", joinPath(path, "daily"), `A ${frequency.toLowerCase()} schedule needs retention.daily.`, {
      remedy: "Add retention.daily.count, the days each daily recovery point is kept.",
    });
  }
  if (frequency !== "Weekly") return;
  if (raw.daily !== undefined) {
    ctx.report(
      "policy/retention-daily-forbidden",
      joinPath(path, "daily"),
      "A weekly schedule takes no daily backups, so it cannot keep daily recovery points.",
      {
        remedy: "Remove retention.daily and keep weekly points with retention.weekly.",
      },
    );
  }
  if (raw.weekly === undefined) {
    ctx.report("policy/retention-required", joinPath(path, "weekly"), "A weekly schedule needs retention.weekly.", {
      remedy: "Add retention.weekly with count and the scheduled weekdays.",
    });
  }
  const scheduled = schedule.weekdays;
  if (!isKnown(scheduled) || scheduled.length === 0) return;
  const scheduledText = scheduled.join(", ");
  if (retention.weekly !== undefined) {
    const kept = retention.weekly.weekdays;
    const same = kept.length === scheduled.length && kept.every((d) => scheduled.includes(d));
    if (!same) {
      ctx.report(
        "policy/retention-weekdays",
        joinPath(path, "weekly.weekdays"),
        `Weekly retention keeps ${kept.join(", ")}, but the weekly schedule runs on ${scheduledText}; they must be the same days.`,
        { remedy: `Set retention.weekly.weekdays to [${scheduled.map((d) => `"${d}"`).join(", ")}].` },
      );
    }
  }
  for (const block of ["monthly", "yearly"] as const) {
    const kept = retention[block];
    if (kept === undefined) continue;
    if (kept.format === "Daily") {
      ctx.report(
        "policy/retention-day-based-weekly-schedule",
        joinPath(path, block),
        `A weekly schedule cannot keep ${block} points by day of the month: the backup may not run on that day.`,
        { remedy: `Keep ${block} points by weekdays and weeks (weekdays among ${scheduledText}).` },
      );
      continue;
    }
    const missing = kept.weekdays.filter((d) => !scheduled.includes(d));
    if (missing.length > 0) {
      ctx.report(
        "policy/retention-weekdays-not-scheduled",
        joinPath(path, `${block}.weekdays`),
        `retention.${block} keeps ${missing.join(", ")}, but the weekly schedule takes no backup then (it runs on ${scheduledText}).`,
        { remedy: `Keep only scheduled weekdays: ${scheduledText}.` },
      );
    }
  }
}

/** Days a recovery point stays in the vault at the shortest retention the schedule guarantees. */
export function vaultRetentionDays(frequency: ParsedSchedule["frequency"], retention: Retention): number | undefined {
  if (frequency === "Weekly") return retention.weekly === undefined ? undefined : retention.weekly.count * 7;
  return retention.daily?.count;
}

/**
 * An upper bound on the recovery points an item holds: each block keeps at most `count` points
 * (points kept by several blocks are counted once by Azure, so the true number may be lower).
 */
export function maxRecoveryPoints(retention: Retention): number {
  return (
    (retention.daily?.count ?? 0) +
    (retention.weekly?.count ?? 0) * (retention.weekly?.weekdays.length ?? 0) +
    (retention.monthly?.count ?? 0) * longTermPointsPerPeriod(retention.monthly) +
    (retention.yearly?.count ?? 0) * longTermPointsPerPeriod(retention.yearly) * (retention.yearly?.months.length ?? 0)
  );
}

function longTermPointsPerPeriod(block: MonthlyRetention | undefined): number {
  if (block === undefined) return 0;
  if (block.format === "Weekly") return block.weekdays.length * block.weeks.length;
  return block.days.length + (block.includeLastDays ? 1 : 0);
}
