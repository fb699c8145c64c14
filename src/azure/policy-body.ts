/**
 * A canonical policy (src/rules `Policy`) as the Backup API's `AzureIaaSVMProtectionPolicy`, and back.
 *
 * Times: the API takes date-times of which only the time of day counts, interpreted in the policy's
 * `timeZone`. Every time is written on one fixed past date, the same for the schedule and every retention
 * block, because the service requires retention times equal to the run time and refuses dates in the
 * future (the cause of `BMSUserErrorInvalidPolicyInput` reported in issues of Azure/azure-cli and hashicorp/terraform-provider-azurerm).
 *
 * Archive tiering is `tieringPolicy`, a map keyed by the target tier, here always "ArchivedRP" (RecoveryPointTierType),
 * each `{ tieringMode, duration, durationType }` (TieringPolicy in bms.json 2025-08-01). Crash-consistent snapshots are
 * `snapshotConsistencyType: "OnlyCrashConsistent"` (IaasVMSnapshotConsistencyType, the same spec; examples
 * AzureIaasVm/V2Policy/IaaS_v2_daily.json); the installed SDK cannot serialise it, so `policyExtraProperties` gives
 * it to `putPolicy` to send beside the body (policy-properties.ts).
 */
import type { AzureIaaSVMProtectionPolicy } from "@azure/arm-recoveryservicesbackup";
import {
  DEFAULT_TIME_ZONE,
  MONTHS,
  WEEKDAYS,
  WEEKS_OF_MONTH,
  type Month,
  type MonthlyRetention,
  type Policy,
  type Retention,
  type Tiering,
  TIERING_DURATION_TYPES,
  type WeekOfMonth,
  type Weekday,
  type YearlyRetention,
} from "../rules";

/** The date every policy time is written on. */
const REFERENCE_DAY = Date.UTC(2018, 0, 1);

function at(time: string): Date {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return new Date(REFERENCE_DAY + (h * 60 + m) * 60_000);
}

function hhmm(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(11, 16);
}

function longTerm(block: MonthlyRetention, time: Date): Record<string, unknown> {
  return {
    retentionScheduleFormatType: block.format,
    ...(block.format === "Daily"
      ? {
          retentionScheduleDaily: {
            daysOfTheMonth: [...block.days.map((date) => ({ date, isLast: false })), ...(block.includeLastDays ? [{ date: 0, isLast: true }] : [])],
          },
        }
      : { retentionScheduleWeekly: { daysOfTheWeek: block.weekdays, weeksOfTheMonth: block.weeks } }),
    retentionTimes: [time],
  };
}

/** The tier tiering moves recovery points to (RecoveryPointTierType "ArchivedRP"). */
export const ARCHIVE_TIER = "ArchivedRP";

export interface ToArmOptions {
  /**
   * Write `DoNotTier` when the policy has no tiering: a PUT without a tier's tiering policy keeps the one configured
   * ("service retains the existing configured tiering policy for that tier", TieringPolicy in bms.json 2025-08-01).
   */
  turnOffTiering?: boolean;
}

function toArmTiering(tiering: Tiering | undefined): Record<string, unknown> {
  if (tiering === undefined) return { tieringMode: "DoNotTier" };
  if (tiering.mode === "TierRecommended") return { tieringMode: "TierRecommended" };
  return { tieringMode: "TierAfter", duration: tiering.duration, durationType: tiering.durationType };
}

/** Properties of the policy the installed SDK drops from a request body (see policy-properties.ts). */
export function policyExtraProperties(policy: Policy): Record<string, unknown> {
  return policy.snapshotConsistency === undefined ? {} : { snapshotConsistencyType: policy.snapshotConsistency };
}

export function toArmPolicy(policy: Policy, options: ToArmOptions = {}): AzureIaaSVMProtectionPolicy {
  const s = policy.schedule;
  const time = at(s.time);
  let schedulePolicy: Record<string, unknown>;
  if (policy.policyType === "V1") {
    schedulePolicy = {
      schedulePolicyType: "SimpleSchedulePolicy",
      scheduleRunFrequency: s.frequency,
      scheduleRunTimes: [time],
      ...(s.frequency === "Weekly" ? { scheduleRunDays: s.weekdays } : {}),
      scheduleWeeklyFrequency: 0,
    };
  } else if (s.frequency === "Hourly") {
    schedulePolicy = {
      schedulePolicyType: "SimpleSchedulePolicyV2",
      scheduleRunFrequency: "Hourly",
      hourlySchedule: { interval: s.hourInterval, scheduleWindowStartTime: time, scheduleWindowDuration: s.hourWindow },
    };
  } else if (s.frequency === "Weekly") {
    schedulePolicy = {
      schedulePolicyType: "SimpleSchedulePolicyV2",
      scheduleRunFrequency: "Weekly",
      weeklySchedule: { scheduleRunDays: s.weekdays, scheduleRunTimes: [time] },
    };
  } else {
    schedulePolicy = { schedulePolicyType: "SimpleSchedulePolicyV2", scheduleRunFrequency: "Daily", dailySchedule: { scheduleRunTimes: [time] } };
  }
  const r = policy.retention;
  const retentionPolicy: Record<string, unknown> = { retentionPolicyType: "LongTermRetentionPolicy" };
  if (r.daily !== undefined) retentionPolicy.dailySchedule = { retentionTimes: [time], retentionDuration: { count: r.daily.count, durationType: "Days" } };
  if (r.weekly !== undefined) {
    retentionPolicy.weeklySchedule = {
      daysOfTheWeek: r.weekly.weekdays,
      retentionTimes: [time],
      retentionDuration: { count: r.weekly.count, durationType: "Weeks" },
    };
  }
  if (r.monthly !== undefined)
    retentionPolicy.monthlySchedule = { ...longTerm(r.monthly, time), retentionDuration: { count: r.monthly.count, durationType: "Months" } };
  if (r.yearly !== undefined) {
    retentionPolicy.yearlySchedule = {
      ...longTerm(r.yearly, time),
      monthsOfYear: r.yearly.months,
      retentionDuration: { count: r.yearly.count, durationType: "Years" },
    };
  }
  const body: Record<string, unknown> = {
    backupManagementType: "AzureIaasVM",
    policyType: policy.policyType,
    timeZone: policy.timeZone,
    instantRpRetentionRangeInDays: policy.instantRestoreRetentionDays,
    schedulePolicy,
    retentionPolicy,
  };
  if (policy.tiering !== undefined || options.turnOffTiering === true) body.tieringPolicy = { [ARCHIVE_TIER]: toArmTiering(policy.tiering) };
  Object.assign(body, policyExtraProperties(policy));
  if (policy.instantRestoreResourceGroup !== undefined) {
    body.instantRPDetails = {
      azureBackupRGNamePrefix: policy.instantRestoreResourceGroup.prefix,
      ...(policy.instantRestoreResourceGroup.suffix === undefined ? {} : { azureBackupRGNameSuffix: policy.instantRestoreResourceGroup.suffix }),
    };
  }
  return body as unknown as AzureIaaSVMProtectionPolicy;
}

const pick = <T extends string>(list: readonly T[], value: unknown): T | undefined =>
  list.find((x) => typeof value === "string" && x.toLowerCase() === value.toLowerCase());
const pickAll = <T extends string>(list: readonly T[], values: unknown): T[] =>
  (Array.isArray(values) ? values : []).map((v) => pick(list, v)).filter((v): v is T => v !== undefined);

function fromLongTerm(block: Record<string, unknown>): MonthlyRetention {
  const count = Number((block.retentionDuration as { count?: number } | undefined)?.count ?? 0);
  if (block.retentionScheduleFormatType === "Daily") {
    const days = (block.retentionScheduleDaily as { daysOfTheMonth?: Array<{ date?: number; isLast?: boolean }> } | undefined)?.daysOfTheMonth ?? [];
    return {
      count,
      format: "Daily",
      weekdays: [],
      weeks: [],
      days: days.filter((d) => d.isLast !== true && typeof d.date === "number").map((d) => d.date as number),
      includeLastDays: days.some((d) => d.isLast === true),
    };
  }
  const weekly = (block.retentionScheduleWeekly ?? {}) as { daysOfTheWeek?: unknown; weeksOfTheMonth?: unknown };
  return {
    count,
    format: "Weekly",
    weekdays: pickAll<Weekday>(WEEKDAYS, weekly.daysOfTheWeek),
    weeks: pickAll<WeekOfMonth>(WEEKS_OF_MONTH, weekly.weeksOfTheMonth),
    days: [],
    includeLastDays: false,
  };
}

/** The canonical tiering of an ARM policy's `tieringPolicy` (undefined: none, or DoNotTier). */
function fromArmTiering(value: unknown): Tiering | undefined {
  const map = (value ?? {}) as Record<string, { tieringMode?: string; duration?: number; durationType?: string } | undefined>;
  const key = Object.keys(map).find((k) => k.toLowerCase() === ARCHIVE_TIER.toLowerCase());
  const archive = key === undefined ? undefined : map[key];
  const mode = archive?.tieringMode?.toLowerCase();
  if (mode === "tierrecommended") return { mode: "TierRecommended" };
  if (mode !== "tierafter") return undefined;
  const durationType = pick(TIERING_DURATION_TYPES, archive?.durationType) ?? "Months";
  return { mode: "TierAfter", duration: Number(archive?.duration ?? 0), durationType };
}

/** The canonical policy an ARM policy describes (for read, adoption and drift). */
export function fromArmPolicy(name: string, properties: unknown): Policy {
  const p = (properties ?? {}) as Record<string, unknown>;
  const s = (p.schedulePolicy ?? {}) as Record<string, unknown>;
  const frequency = pick(["Daily", "Weekly", "Hourly"] as const, s.scheduleRunFrequency) ?? "Daily";
  const hourly = (s.hourlySchedule ?? {}) as { interval?: number; scheduleWindowStartTime?: string | Date; scheduleWindowDuration?: number };
  const daily = (s.dailySchedule ?? {}) as { scheduleRunTimes?: Array<string | Date> };
  const weekly = (s.weeklySchedule ?? {}) as { scheduleRunTimes?: Array<string | Date>; scheduleRunDays?: unknown };
  const runTimes = (s.scheduleRunTimes as Array<string | Date> | undefined) ?? daily.scheduleRunTimes ?? weekly.scheduleRunTimes;
  const time = frequency === "Hourly" ? hhmm(hourly.scheduleWindowStartTime) : hhmm(runTimes?.[0]);
  const r = (p.retentionPolicy ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const retention: Retention = {};
  if (r.dailySchedule !== undefined) retention.daily = { count: Number((r.dailySchedule.retentionDuration as { count?: number }).count) };
  if (r.weeklySchedule !== undefined) {
    retention.weekly = {
      count: Number((r.weeklySchedule.retentionDuration as { count?: number }).count),
      weekdays: pickAll<Weekday>(WEEKDAYS, r.weeklySchedule.daysOfTheWeek),
    };
  }
  if (r.monthlySchedule !== undefined) retention.monthly = fromLongTerm(r.monthlySchedule);
  if (r.yearlySchedule !== undefined) {
    retention.yearly = { ...fromLongTerm(r.yearlySchedule), months: pickAll<Month>(MONTHS, r.yearlySchedule.monthsOfYear) } satisfies YearlyRetention;
  }
  const details = p.instantRPDetails as { azureBackupRGNamePrefix?: string; azureBackupRGNameSuffix?: string } | undefined;
  const policy: Policy = {
    name,
    policyType: p.policyType === "V2" ? "V2" : "V1",
    timeZone: typeof p.timeZone === "string" && p.timeZone !== "" ? p.timeZone : DEFAULT_TIME_ZONE,
    schedule: {
      frequency,
      time: time ?? "00:00",
      weekdays: frequency === "Weekly" ? pickAll<Weekday>(WEEKDAYS, s.scheduleRunDays ?? weekly.scheduleRunDays) : [],
      ...(frequency === "Hourly" && hourly.interval !== undefined ? { hourInterval: hourly.interval } : {}),
      ...(frequency === "Hourly" && hourly.scheduleWindowDuration !== undefined ? { hourWindow: hourly.scheduleWindowDuration } : {}),
    },
    instantRestoreRetentionDays: Number(p.instantRpRetentionRangeInDays ?? 2),
    retention,
  };
  if (details?.azureBackupRGNamePrefix !== undefined) {
    policy.instantRestoreResourceGroup = {
      prefix: details.azureBackupRGNamePrefix,
      ...(details.azureBackupRGNameSuffix === undefined ? {} : { suffix: details.azureBackupRGNameSuffix }),
    };
  }
  const tiering = fromArmTiering(p.tieringPolicy);
  if (tiering !== undefined) policy.tiering = tiering;
  if (typeof p.snapshotConsistencyType === "string" && p.snapshotConsistencyType.toLowerCase() === "onlycrashconsistent") {
    policy.snapshotConsistency = "OnlyCrashConsistent";
  }
  return policy;
}
