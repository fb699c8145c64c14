/**
 * When, in UTC, a policy starts backups during a week. Policies run in their own time zone, so two
 * policies at "20:30" in different zones do not start together.
 *
 * Daylight saving time does not move them. Microsoft's support matrix says "Azure Backup doesn't support
 * automatic clock adjustment for daylight saving time for Azure VM backups. It doesn't shift the hour of the
 * backup forward or backwards" (DOCS.supportMatrix, "Daylight saving time support"; the VM matrix says the
 * same, DOCS.supportMatrixIaas): a policy starts at one UTC time all year. Which of its zone's offsets that
 * time is taken at (standard or daylight saving) is not documented, and a user reported a policy saved during
 * summer time running at its local summer time (hashicorp/terraform-provider-azurerm#2147). So the policies of a
 * zone that observes daylight saving time start at one of two UTC times, fixed all year. The rules take the
 * offset as a property of the zone (the same for all its policies, so that 20:00 and 21:00 in one zone never
 * meet) and count, for each UTC minute, each zone at whichever of its offsets puts most VMs there: the safe
 * reading for a limit.
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

/** A policy's UTC starts (minutes of the week, 0 = Sunday 00:00 UTC) at one fixed offset of its zone. */
export interface UtcRuns {
  /** The zone's offset (minutes east of UTC) Azure would keep all year. */
  offset: number;
  minutes: number[];
}

/** The distinct UTC offsets (minutes) of a Windows zone over a year: one, or its standard and daylight-saving offsets. */
export function offsetsOfYear(timeZone: string): number[] {
  return [...new Set(REFERENCE_DATES.map((date) => utcOffsetMinutes(timeZone, date)))].sort((a, b) => a - b);
}

/** Whether the zone observes daylight saving time (has more than one offset in a year). */
export function observesDaylightSaving(timeZone: string): boolean {
  return offsetsOfYear(timeZone).length > 1;
}

/** The policy's UTC starts of a week under each offset of its zone Azure may keep all year (one for a zone without DST). */
export function utcRunsOfWeek(timeZone: string, schedule: KnownSchedule): UtcRuns[] {
  const days = schedule.frequency === "Weekly" ? schedule.weekdays.map(weekdayIndex) : WEEKDAYS.map((_, i) => i);
  const times = runTimesOfDay(schedule.frequency, schedule.time, schedule.hourInterval, schedule.hourWindow);
  return offsetsOfYear(timeZone).map((offset) => {
    const runs = new Set<number>();
    for (const day of days) {
      for (const time of times) {
        runs.add((((day * MINUTES_PER_DAY + time - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK);
      }
    }
    return { offset, minutes: [...runs] };
  });
}

export function describeMinuteOfWeek(minute: number): { weekday: Weekday; minuteOfDay: number } {
  return { weekday: WEEKDAYS[Math.floor(minute / MINUTES_PER_DAY)]!, minuteOfDay: minute % MINUTES_PER_DAY };
}
