/**
 * When, in UTC, a policy starts backups during a week. Policies run in their own time zone, so two
 * policies at "20:30" in different zones do not start together, and daylight saving time moves them:
 * runs are computed at reference dates that cover the northern and southern DST seasons.
 */
import { MINUTES_PER_DAY, MINUTES_PER_WEEK, WEEKDAYS, weekdayIndex, type Weekday } from "./calendar";
import type { Frequency } from "./policy-types";
import { runTimesOfDay } from "./policy-schedule";
import { utcOffsetMinutes } from "./timezones";

/**
 * Mid-January (northern winter, southern summer), late March (North America on DST, Europe not yet),
 * mid-July (northern summer) and late October (Europe off DST, North America still on).
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

/** For each reference date, the UTC minutes of the week (0 = Sunday 00:00 UTC) at which backups start. */
export function utcRunsOfWeek(timeZone: string, schedule: KnownSchedule): number[][] {
  const days = schedule.frequency === "Weekly" ? schedule.weekdays.map(weekdayIndex) : WEEKDAYS.map((_, i) => i);
  const times = runTimesOfDay(schedule.frequency, schedule.time, schedule.hourInterval, schedule.hourWindow);
  return REFERENCE_DATES.map((date) => {
    const offset = utcOffsetMinutes(timeZone, date);
    const runs = new Set<number>();
    for (const day of days) {
      for (const time of times) {
        runs.add((((day * MINUTES_PER_DAY + time - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK);
      }
    }
    return [...runs];
  });
}

export function describeMinuteOfWeek(minute: number): { weekday: Weekday; minuteOfDay: number } {
  return { weekday: WEEKDAYS[Math.floor(minute / MINUTES_PER_DAY)]!, minuteOfDay: minute % MINUTES_PER_DAY };
}
