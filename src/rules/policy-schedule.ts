/** Rules for a policy's schedule: frequency, start time, weekdays, and the hourly interval and window. */
import { formatTimeOfDay, parseTimeOfDay, WEEKDAYS } from "./calendar";
import type { RuleContext } from "./context";
import { joinPath } from "./diagnostics";
import { readChoice, readChoiceList, readNumber, readObject, readString } from "./input";
import { FREQUENCIES, HOURLY_INTERVALS, type ParsedSchedule, type PolicyType } from "./policy-types";
import { isKnown, Unknown, type MaybeUnknown } from "./unknown";

/** The 2017 portal's default schedule: "create a backup daily at 8:30 PM" (DOCS.vmBackupTutorial2017 in sources.ts). */
export const DEFAULT_SCHEDULE_TIME = 20 * 60 + 30;

/** Latest documented start of an hourly window (the `policy/hourly-window-start` rule). */
const LATEST_HOURLY_WINDOW_START = 19 * 60 + 30;

export const SCHEDULE_KEYS = ["frequency", "time", "weekdays", "hourInterval", "hourWindow"] as const;

export function defaultSchedule(): ParsedSchedule {
  return { frequency: "Daily", time: DEFAULT_SCHEDULE_TIME, weekdays: [], hourInterval: undefined, hourWindow: undefined };
}

export function checkSchedule(ctx: RuleContext, value: unknown, path: string, policyType: MaybeUnknown<PolicyType>): MaybeUnknown<ParsedSchedule> {
  const raw = readObject(ctx, value, path, SCHEDULE_KEYS, { what: "the schedule" });
  if (raw === Unknown) return Unknown;
  // Absent: the default schedule. Present but not an object (already reported): judge nothing that depends on it.
  if (raw === undefined) return value === undefined || value === null ? defaultSchedule() : Unknown;

  const frequencyPath = joinPath(path, "frequency");
  const frequency = readChoice(ctx, raw.frequency, frequencyPath, FREQUENCIES, "policy/frequency", {
    required: true,
    what: "schedule frequency",
  });
  const time = checkTime(ctx, raw.time, joinPath(path, "time"));

  const weekdaysPath = joinPath(path, "weekdays");
  const weekdays = readChoiceList(ctx, raw.weekdays, weekdaysPath, WEEKDAYS, "policy/weekday", { what: "weekday" });
  const noDaysGiven = raw.weekdays === undefined || raw.weekdays === null || (Array.isArray(raw.weekdays) && raw.weekdays.length === 0);
  if (frequency === "Weekly" && noDaysGiven) {
    ctx.report("policy/schedule-weekdays-required", weekdaysPath, "A weekly schedule needs the days it runs on.", {
      remedy: 'Add schedule.weekdays, e.g. ["Sunday"].',
    });
  }
  if (isKnown(frequency) && frequency !== "Weekly" && Array.isArray(weekdays) && weekdays.length > 0) {
    ctx.report(
      "policy/schedule-weekdays-forbidden",
      weekdaysPath,
      `A ${frequency.toLowerCase()} schedule runs every day; schedule.weekdays is only for weekly schedules.`,
      { remedy: 'Remove schedule.weekdays, or set frequency to "Weekly".' },
    );
  }

  const hourInterval = readNumber(ctx, raw.hourInterval, joinPath(path, "hourInterval"), {
    integer: true,
    what: "schedule.hourInterval",
  });
  const hourWindow = readNumber(ctx, raw.hourWindow, joinPath(path, "hourWindow"), {
    integer: true,
    what: "schedule.hourWindow",
  });

  if (frequency === "Hourly") {
    if (policyType === "V1") {
      ctx.report(
        "policy/hourly-requires-v2",
        frequencyPath,
        "Hourly backups are only available with the enhanced policy (policyType V2); this policy is standard (V1).",
        { remedy: 'Set policyType to "V2", or use a Daily or Weekly schedule.' },
      );
    }
    checkHourly(ctx, path, hourInterval, hourWindow, time);
  } else if (isKnown(frequency)) {
    for (const [key, v] of [
      ["hourInterval", hourInterval],
      ["hourWindow", hourWindow],
    ] as const) {
      if (v !== undefined) {
        ctx.report("policy/hourly-fields-forbidden", joinPath(path, key), `schedule.${key} only applies to hourly schedules; this schedule is ${frequency}.`, {
          remedy: `Remove schedule.${key}, or set frequency to "Hourly".`,
        });
      }
    }
  }

  return {
    frequency: frequency ?? undefined,
    time,
    weekdays: weekdays === undefined ? [] : weekdays,
    hourInterval,
    hourWindow,
  };
}

function checkTime(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<number> | undefined {
  const text = readString(ctx, value, path, { required: true, what: "schedule.time", remedy: 'Use "HH:MM", e.g. "20:30".' });
  if (!isKnown(text)) return text;
  const minutes = parseTimeOfDay(text);
  if (minutes === undefined) {
    ctx.report("policy/time-format", path, `schedule.time ${JSON.stringify(text)} is not a 24-hour time HH:MM.`, {
      remedy: 'Write the time as "HH:MM" between "00:00" and "23:30", e.g. "20:30".',
    });
    return undefined;
  }
  if (minutes % 30 !== 0) {
    const earlier = formatTimeOfDay(minutes - (minutes % 30));
    const later = formatTimeOfDay(minutes - (minutes % 30) + 30);
    ctx.report("policy/time-half-hour", path, `Backups start on the hour or the half hour; ${text} is neither.`, {
      remedy: `Use ${earlier} or ${later}.`,
    });
  }
  return minutes;
}

function checkHourly(
  ctx: RuleContext,
  path: string,
  interval: MaybeUnknown<number> | undefined,
  window: MaybeUnknown<number> | undefined,
  start: MaybeUnknown<number> | undefined,
): void {
  const intervalPath = joinPath(path, "hourInterval");
  const windowPath = joinPath(path, "hourWindow");
  const intervals = `${HOURLY_INTERVALS.slice(0, -1).join(", ")} or ${HOURLY_INTERVALS[HOURLY_INTERVALS.length - 1]}`;
  if (interval === undefined) {
    ctx.report("policy/hourly-interval", intervalPath, "An hourly schedule needs schedule.hourInterval.", {
      remedy: `Set hourInterval to ${intervals} hours.`,
    });
  } else if (isKnown(interval) && !(HOURLY_INTERVALS as readonly number[]).includes(interval)) {
    ctx.report("policy/hourly-interval", intervalPath, `An hourly backup runs every ${intervals} hours, not every ${interval}.`, {
      remedy: `Set hourInterval to ${intervals}.`,
    });
  }
  const min = ctx.limit("hourlyWindowMinHours");
  const max = ctx.limit("hourlyWindowMaxHours");
  if (window === undefined) {
    ctx.report("policy/hourly-window", windowPath, "An hourly schedule needs schedule.hourWindow, the hours during which backups run.", {
      remedy: `Set hourWindow between ${min} and ${max} hours, a multiple of hourInterval.`,
      limit: "hourlyWindowMinHours",
    });
  } else if (isKnown(window)) {
    if (window < min || window > max) {
      ctx.report("policy/hourly-window", windowPath, `The hourly window is ${window} hours; it must be ${min} to ${max} hours.`, {
        limit: window < min ? "hourlyWindowMinHours" : "hourlyWindowMaxHours",
        remedy: `Set hourWindow between ${min} and ${max}.`,
      });
    } else if (isKnown(interval) && (HOURLY_INTERVALS as readonly number[]).includes(interval) && window % interval !== 0) {
      const lower = window - (window % interval);
      ctx.report("policy/hourly-window", windowPath, `The hourly window (${window} hours) must be a multiple of the interval (${interval} hours).`, {
        remedy: `Use ${lower >= min ? `${lower} or ` : ""}${lower + interval} hours.`,
      });
    }
  }
  if (isKnown(start) && start > LATEST_HOURLY_WINDOW_START) {
    ctx.report(
      "policy/hourly-window-start",
      joinPath(path, "time"),
      `The hourly window starts at ${formatTimeOfDay(start)}; Azure's clients document window starts from 00:00 to 19:30.`,
      { remedy: "Start the window at 19:30 or earlier." },
    );
  }
}

/**
 * The minutes after midnight (local time) at which the schedule starts a backup on a day it runs:
 * one time for daily and weekly schedules, every interval within the window for hourly ones.
 */
export function runTimesOfDay(frequency: ParsedSchedule["frequency"], start: number, interval?: number, window?: number): number[] {
  if (frequency !== "Hourly" || interval === undefined || window === undefined || interval <= 0) return [start];
  const times: number[] = [];
  for (let offset = 0; offset < window * 60; offset += interval * 60) times.push(start + offset);
  return times;
}
