/** Calendar names as the Backup API spells them, and the policy time format. */

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKS_OF_MONTH = ["First", "Second", "Third", "Fourth", "Last"] as const;
export type WeekOfMonth = (typeof WEEKS_OF_MONTH)[number];

export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;
export type Month = (typeof MONTHS)[number];

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Parses "HH:MM" (24-hour) to minutes after midnight, or undefined when it is not such a time. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Formats minutes after midnight as "HH:MM". */
export function formatTimeOfDay(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function weekdayIndex(day: Weekday): number {
  return WEEKDAYS.indexOf(day);
}
