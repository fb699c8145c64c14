/**
 * Windows time-zone ids, which Azure Backup policies take in `timeZone` (e.g. "UTC",
 * "W. Europe Standard Time"), and their offset from UTC on a given date.
 *
 * The id list and the mapping to IANA zones come from Unicode CLDR's windowsZones.xml as packaged by
 * `windows-iana`; the offsets, daylight saving included, come from the platform's ICU data (`Intl`).
 */
import { findIana, findWindows, WINDOWS_TO_IANA_MAP } from "windows-iana";

const IANA_BY_WINDOWS = new Map<string, string>();
for (const entry of WINDOWS_TO_IANA_MAP) {
  // Territory 001 is CLDR's representative zone for each Windows id.
  if (entry.territory === "001" && entry.iana[0] !== undefined) IANA_BY_WINDOWS.set(entry.windowsName, entry.iana[0]);
}

/** Every Windows time-zone id, canonical spelling. */
export const WINDOWS_TIME_ZONES: readonly string[] = [...IANA_BY_WINDOWS.keys()];

const BY_LOWER = new Map(WINDOWS_TIME_ZONES.map((id) => [id.toLowerCase(), id] as const));

/** The canonical Windows id for `name` in any case, or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  return BY_LOWER.get(name.trim().toLowerCase());
}

/** For an IANA name such as "Europe/Berlin", the Windows id Azure expects ("W. Europe Standard Time"). */
export function windowsZoneForIana(name: string): string | undefined {
  try {
    return findWindows(name)[0];
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets already computed, by zone and minute: a fleet's checks ask for the same few thousands of times. */
const offsets = new Map<string, number>();

/** Minutes to add to UTC to get local time in the Windows zone at `instant` (e.g. +60 for CET in winter). */
export function utcOffsetMinutes(windowsId: string, instant: Date): number {
  const key = `${windowsId}|${Math.floor(instant.getTime() / 60000)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const offset = computeOffset(windowsId, instant);
  if (offsets.size >= 10_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

function computeOffset(windowsId: string, instant: Date): number {
  const iana = IANA_BY_WINDOWS.get(windowsId) ?? findIana(windowsId)[0];
  if (iana === undefined) throw new Error(`Unknown Windows time zone '${windowsId}'.`);
  let format = formatters.get(iana);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: iana,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(iana, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const localAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const instantMinute = Math.floor(instant.getTime() / 60000) * 60000;
  return Math.round((localAsUtc - instantMinute) / 60000);
}
