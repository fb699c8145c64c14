/** The shapes of a VM backup policy: as users write it (`PolicyArgs`) and canonical (`Policy`). */
import type { Month, WeekOfMonth, Weekday } from "./calendar";
import type { MaybeUnknown } from "./unknown";

export const POLICY_TYPES = ["V1", "V2"] as const;
/** V1 is Azure's standard policy, V2 the enhanced policy. */
export type PolicyType = (typeof POLICY_TYPES)[number];

export const FREQUENCIES = ["Daily", "Weekly", "Hourly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Hourly backups run every 4, 6, 8 or 12 hours (see the `policy/hourly-interval` rule for sources). */
export const HOURLY_INTERVALS = [4, 6, 8, 12] as const;

export interface ScheduleArgs {
  frequency: Frequency | string;
  /** "HH:MM", 24-hour, on the hour or half hour; for hourly schedules the start of the window. */
  time: string;
  /** Weekly schedules: the days the backup runs (any case). */
  weekdays?: string[];
  /** Hourly schedules: hours between backups. */
  hourInterval?: number;
  /** Hourly schedules: hours after `time` during which backups run. */
  hourWindow?: number;
}

export interface MonthlyRetentionArgs {
  count: number;
  /** Keep the backup of these weekdays in `weeks` ... */
  weekdays?: string[];
  weeks?: string[];
  /** ... or of these days of the month (1-28) ... */
  days?: number[];
  /** ... and/or of the last day of the month. */
  includeLastDays?: boolean;
}

export interface YearlyRetentionArgs extends MonthlyRetentionArgs {
  months: string[];
}

export interface RetentionArgs {
  daily?: { count: number };
  weekly?: { count: number; weekdays: string[] };
  monthly?: MonthlyRetentionArgs;
  yearly?: YearlyRetentionArgs;
}

/** How recovery points move to the archive tier (`tieringPolicy["ArchivedRP"]` in the REST API; see policy-tiering.ts). */
export const TIERING_MODES = ["TierRecommended", "TierAfter", "DoNotTier"] as const;
export type TieringMode = (typeof TIERING_MODES)[number];
export const TIERING_DURATION_TYPES = ["Days", "Weeks", "Months", "Years"] as const;
export type TieringDurationType = (typeof TIERING_DURATION_TYPES)[number];

export interface TieringArgs {
  /** "TierRecommended" (smart tiering: the points Azure recommends), "TierAfter" (every eligible point after `duration`) or "DoNotTier". */
  mode: TieringMode | string;
  /** TierAfter only: how long a point stays in the standard tier first. */
  duration?: number;
  /** TierAfter only: the unit of `duration`; default "Months". */
  durationType?: TieringDurationType | string;
}

/** Archive tiering in canonical form; "DoNotTier" is written as no tiering at all. */
export type Tiering = { mode: "TierRecommended" } | { mode: "TierAfter"; duration: number; durationType: TieringDurationType };

export const SNAPSHOT_CONSISTENCIES = ["OnlyCrashConsistent", "Default"] as const;
/** "Default" is application/file-system consistent snapshots; "OnlyCrashConsistent" takes crash-consistent ones without the VM agent. */
export type SnapshotConsistency = (typeof SNAPSHOT_CONSISTENCIES)[number];

export interface InstantRestoreResourceGroupArgs {
  prefix: string;
  suffix?: string;
}

/** A VM backup policy as users write it. Omitted schedule and retention mean the 2017 portal's default policy (DOCS.vmBackupTutorial2017). */
export interface PolicyArgs {
  name?: string;
  policyType?: PolicyType | string;
  /** A Windows time-zone id such as "UTC" or "W. Europe Standard Time" (default "UTC"). */
  timeZone?: string;
  schedule?: ScheduleArgs;
  instantRestoreRetentionDays?: number;
  retention?: RetentionArgs;
  instantRestoreResourceGroup?: InstantRestoreResourceGroupArgs;
  /** Move long-term recovery points to the archive tier; default: no tiering. */
  tiering?: TieringArgs;
  /** "OnlyCrashConsistent" (enhanced policies only) or "Default"; default "Default". */
  snapshotConsistency?: SnapshotConsistency | string;
}

export interface Schedule {
  frequency: Frequency;
  /** "HH:MM". */
  time: string;
  /** Weekly schedules only; empty otherwise. */
  weekdays: Weekday[];
  hourInterval?: number;
  hourWindow?: number;
}

export type RetentionFormat = "Weekly" | "Daily";

export interface MonthlyRetention {
  count: number;
  /** `Weekly`: weekdays of given weeks; `Daily`: days of the month. */
  format: RetentionFormat;
  weekdays: Weekday[];
  weeks: WeekOfMonth[];
  days: number[];
  includeLastDays: boolean;
}

export interface YearlyRetention extends MonthlyRetention {
  months: Month[];
}

export interface Retention {
  daily?: { count: number };
  weekly?: { count: number; weekdays: Weekday[] };
  monthly?: MonthlyRetention;
  yearly?: YearlyRetention;
}

/** A policy in canonical form: names canonically spelt, every default applied. */
export interface Policy {
  name?: string;
  policyType: PolicyType;
  timeZone: string;
  schedule: Schedule;
  instantRestoreRetentionDays: number;
  retention: Retention;
  instantRestoreResourceGroup?: InstantRestoreResourceGroupArgs;
  /** Absent: no tiering (nothing declared, or "DoNotTier"). */
  tiering?: Tiering;
  /** Absent: the default, application/file-system consistent snapshots. */
  snapshotConsistency?: "OnlyCrashConsistent";
}

/** A parsed schedule whose values may still be preview unknowns. */
export interface ParsedSchedule {
  frequency: MaybeUnknown<Frequency> | undefined;
  /** Minutes after midnight. */
  time: MaybeUnknown<number> | undefined;
  weekdays: MaybeUnknown<Weekday[]>;
  hourInterval: MaybeUnknown<number> | undefined;
  hourWindow: MaybeUnknown<number> | undefined;
}

export interface ParsedPolicy {
  policyType: MaybeUnknown<PolicyType>;
  timeZone: MaybeUnknown<string>;
  schedule: ParsedSchedule;
  instantRestoreRetentionDays: MaybeUnknown<number>;
  retention: MaybeUnknown<Retention> | undefined;
  /** undefined: application/file-system consistent (the default), or an invalid value. */
  snapshotConsistency?: MaybeUnknown<"OnlyCrashConsistent">;
  /** Whether the input had no errors (warnings and info allowed). */
  valid: boolean;
  /** The canonical policy when every value is known and valid. */
  policy?: Policy;
}
