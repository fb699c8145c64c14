/**
 * When, in UTC, a policy starts backups during a week. Policies run in their own time zone, so two
 * policies at "20:30" in different zones do not start together.
 *
 * Daylight saving time does not move them. Microsoft's support matrix says "Azure Backup doesn't support
 * automatic clock adjustment for daylight saving time for Azure VM backups. It doesn't shift the hour of the
 * backup forward or backwards" (DOCS.supportMatrix, "Daylight saving time support"; the VM matrix says the
 * same, DOCS.supportMatrixIaas): a policy starts at one UTC time all year. Which of its zone's offsets that
 * time is taken at (standard or daylight saving) is not documented, and a user reported a policy saved during
 * summer time running at its local summer time (hashicorp/terraform-provider-azurerm#2147). So a policy in a
 * zone that observes daylight saving time may start at either of two UTC times, fixed all year, independently
 * of every other policy: the rules count it at both (`certain: false`), the safe reading for a limit.
 */
import { MINUTES_PER_DAY, MINUTES_PER_WEEK, WEEKDAYS, weekdayIndex, type Weekday } from "./calendar";
import type { Frequency } from "./policy-types";
import { runTimesOfDay } from "./policy-schedule";
import { utcOffsetMinutes } from "./timezones";

/**
 * Dates that sample a zone's offsets over a year: mid-January (northern winter, southern summer), late March
 * (North America on DST, Europe not yet), mid-July (northern summer) and late October (Europe off DST, North
 * America still on).
 */
export const REFERENCE_DATES: readonly Date[] = [
  new Date(Date.UTC(2026, 0, 15, 12)),
  new Date(Date.UTC(2026, 2, 20, 12)),
  new Date(Date.UTC(2026, 6, 15, 12)),
  new Date(Date.UTC(2026, 9, 30, 12)),
];

export interface KnownSchedule {
  frequency: Frequency;
  /** Minutes after local midnight. */
  time: number;
  weekdays: readonly Weekday[];
  hourInterval?: number | undefined;
  hourWindow?: number | undefined;
}

/** A UTC minute of the week (0 = Sunday 00:00 UTC) at which a policy may start backups. */
export interface UtcRun {
  minute: number;
  /** True when the policy starts then whichever of its zone's offsets Azure keeps; false when only under one of them. */
  certain: boolean;
}

/** The distinct UTC offsets (minutes) of a Windows zone over a year: one, or its standard and daylight-saving offsets. */
export function offsetsOfYear(timeZone: string): number[] {
  return [...new Set(REFERENCE_DATES.map((date) => utcOffsetMinutes(timeZone, date)))].sort((a, b) => a - b);
}

/** Whether the zone observes daylight saving time (has more than one offset in a year). */
export function observesDaylightSaving(timeZone: string): boolean {
  return offsetsOfYear(timeZone).length > 1;
}

/** The UTC minutes of the week at which the policy may start backups, at one fixed offset of its zone all year. */
export function utcRunsOfWeek(timeZone: string, schedule: KnownSchedule): UtcRun[] {
  const days = schedule.frequency === "Weekly" ? schedule.weekdays.map(weekdayIndex) : WEEKDAYS.map((_, i) => i);
  const times = runTimesOfDay(schedule.frequency, schedule.time, schedule.hourInterval, schedule.hourWindow);
  const offsets = offsetsOfYear(timeZone);
  const hits = new Map<number, number>();
  for (const offset of offsets) {
    const runs = new Set<number>();
    for (const day of days) {
      for (const time of times) {
        runs.add((((day * MINUTES_PER_DAY + time - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK);
      }
    }
    for (const minute of runs) hits.set(minute, (hits.get(minute) ?? 0) + 1);
  }
  return [...hits].map(([minute, count]) => ({ minute, certain: count === offsets.length }));
}

export function describeMinuteOfWeek(minute: number): { weekday: Weekday; minuteOfDay: number } {
  return { weekday: WEEKDAYS[Math.floor(minute / MINUTES_PER_DAY)]!, minuteOfDay: minute % MINUTES_PER_DAY };
}
