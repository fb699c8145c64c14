/**
 * VM backup policy validation: name, type, time zone, schedule (policy-schedule.ts), retention
 * (policy-retention.ts), instant-restore days and resource group, and the 2017 portal's default policy (DOCS.vmBackupTutorial2017).
 */
import type { RuleContext, RuleOptions } from "./context";
import { createContext } from "./context";
import { formatTimeOfDay } from "./calendar";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { readChoice, readNumber, readObject, readString } from "./input";
import { checkRetention, DEFAULT_DAILY_RETENTION_DAYS, maxRecoveryPoints, vaultRetentionDays } from "./policy-retention";
import { checkSchedule, defaultSchedule } from "./policy-schedule";
import { checkSnapshotConsistency, checkTiering } from "./policy-tiering";
import {
  POLICY_TYPES,
  type InstantRestoreResourceGroupArgs,
  type ParsedPolicy,
  type ParsedSchedule,
  type Policy,
  type PolicyArgs,
  type PolicyType,
  type Retention,
} from "./policy-types";
import { RESOURCE_GROUP_CHARS as RESOURCE_GROUP_PART, RESOURCE_GROUP_MAX } from "./names";
import { suggest } from "./suggest";
import { canonicalTimeZone, WINDOWS_TIME_ZONES, windowsZoneForIana } from "./timezones";
import { isKnown, Unknown, type MaybeUnknown } from "./unknown";

export const POLICY_KEYS = [
  "name",
  "policyType",
  "timeZone",
  "schedule",
  "instantRestoreRetentionDays",
  "retention",
  "instantRestoreResourceGroup",
  "tiering",
  "snapshotConsistency",
] as const;

const POLICY_NAME = /^[a-zA-Z][-_!a-zA-Z0-9]{2,149}$/;

export const DEFAULT_TIME_ZONE = "UTC";

/** Validates a VM backup policy. */
export function validatePolicy(args: PolicyArgs, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  checkPolicy(ctx, args);
  return ctx.diagnostics;
}

/** The policy in canonical form (every default applied), when it is valid and fully known. */
export function normalizePolicy(args: PolicyArgs, options?: RuleOptions): { policy?: Policy; diagnostics: Diagnostic[] } {
  const ctx = createContext(options);
  const parsed = checkPolicy(ctx, args);
  return parsed.policy === undefined ? { diagnostics: ctx.diagnostics } : { policy: parsed.policy, diagnostics: ctx.diagnostics };
}

/** Runs every policy rule under `ctx` and returns what could be read, for rules that span policies. */
export function checkPolicy(ctx: RuleContext, args: unknown, path = "", extraKeys: readonly string[] = []): ParsedPolicy {
  const errorsBefore = ctx.errorCount();
  const raw = readObject(ctx, args, path, [...POLICY_KEYS, ...extraKeys], { what: "the policy" });
  if (raw === Unknown || raw === undefined) {
    return {
      policyType: Unknown,
      timeZone: Unknown,
      schedule: { ...defaultSchedule(), frequency: Unknown, time: Unknown },
      instantRestoreRetentionDays: Unknown,
      retention: Unknown,
      valid: raw === Unknown,
    };
  }

  const name = readString(ctx, raw.name, joinPath(path, "name"), { what: "policy name" });
  if (isKnown(name) && !POLICY_NAME.test(name)) {
    ctx.report(
      "policy/name",
      joinPath(path, "name"),
      `Policy name '${name}' is not valid: use 3-150 letters, digits, '-', '_' or '!', starting with a letter.`,
      {
        remedy: `For example '${policyNameLike(name)}'.`,
      },
    );
  }

  const policyType = readChoice(ctx, raw.policyType, joinPath(path, "policyType"), POLICY_TYPES, "policy/type", {
    what: "policy type",
    remedy: 'Use "V1" (standard) or "V2" (enhanced).',
  });
  const type: MaybeUnknown<PolicyType> = policyType ?? "V1";
  const timeZone = checkTimeZone(ctx, raw.timeZone, joinPath(path, "timeZone"));

  const scheduleGiven = raw.schedule !== undefined && raw.schedule !== null;
  const retentionGiven = raw.retention !== undefined && raw.retention !== null;
  const schedule = checkSchedule(ctx, raw.schedule, joinPath(path, "schedule"), type);
  let retention = checkRetention(ctx, raw.retention, joinPath(path, "retention"), schedule);
  if (!scheduleGiven && !retentionGiven) {
    ctx.report(
      "policy/default-applied",
      path,
      `No schedule or retention given: the default policy applies (daily at ${formatTimeOfDay(defaultSchedule().time as number)}, recovery points kept ${DEFAULT_DAILY_RETENTION_DAYS} days).`,
    );
  } else if (!scheduleGiven) {
    ctx.report(
      "policy/default-applied",
      joinPath(path, "schedule"),
      `No schedule given: backups run daily at ${formatTimeOfDay(defaultSchedule().time as number)}, the default policy's time.`,
    );
  }
  if (!retentionGiven && isKnown(schedule) && schedule.frequency !== "Weekly" && isKnown(schedule.frequency)) {
    retention = { daily: { count: DEFAULT_DAILY_RETENTION_DAYS } };
    if (scheduleGiven) {
      ctx.report(
        "policy/default-applied",
        joinPath(path, "retention"),
        `No retention given: daily recovery points are kept ${DEFAULT_DAILY_RETENTION_DAYS} days, the default policy's retention.`,
      );
    }
  } else if (!retentionGiven && isKnown(schedule) && schedule.frequency === "Weekly") {
    ctx.report(
      "policy/retention-required",
      joinPath(path, "retention"),
      "A weekly schedule needs retention.weekly; there is no default retention for weekly schedules.",
      {
        remedy: "Add retention.weekly with count and the scheduled weekdays.",
      },
    );
  }

  const instantRestoreRetentionDays = checkInstantRestoreDays(ctx, raw.instantRestoreRetentionDays, path, type, schedule, retention);
  if (isKnown(schedule) && isKnown(retention)) {
    const points = maxRecoveryPoints(retention);
    const limit = ctx.limit("recoveryPointsPerItem");
    if (points > limit) {
      ctx.report(
        "policy/recovery-points",
        joinPath(path, "retention"),
        `This retention may keep up to ${points} recovery points per VM; a protected item holds at most ${limit}.`,
        { limit: "recoveryPointsPerItem", remedy: "Shorten the daily or weekly retention and keep older points monthly or yearly." },
      );
    }
  }
  const resourceGroup = checkInstantRestoreResourceGroup(ctx, raw.instantRestoreResourceGroup, joinPath(path, "instantRestoreResourceGroup"));
  const tiering = checkTiering(ctx, raw.tiering, joinPath(path, "tiering"), retention);
  const snapshotConsistency = checkSnapshotConsistency(ctx, raw.snapshotConsistency, joinPath(path, "snapshotConsistency"), type);

  const valid = ctx.errorCount() === errorsBefore;
  const parsed: ParsedPolicy = {
    policyType: type,
    timeZone,
    schedule: isKnown(schedule) ? schedule : { ...defaultSchedule(), frequency: Unknown, time: Unknown },
    instantRestoreRetentionDays,
    retention,
    valid,
  };
  if (snapshotConsistency !== undefined) parsed.snapshotConsistency = snapshotConsistency;
  if (valid && tiering !== Unknown && snapshotConsistency !== Unknown) {
    const policy = toPolicy(parsed, isKnown(name) ? name : undefined, resourceGroup);
    if (policy !== undefined && tiering !== undefined) policy.tiering = tiering;
    if (policy !== undefined && snapshotConsistency !== undefined) policy.snapshotConsistency = snapshotConsistency;
    if (policy !== undefined) parsed.policy = policy;
  }
  return parsed;
}

/** A valid policy name close to `name`, for remedies. */
function policyNameLike(name: string): string {
  let candidate = name.replace(/[^-_!a-zA-Z0-9]/g, "-").replace(/^[^a-zA-Z]*/, "");
  if (candidate.length < 3) candidate = `${candidate || "daily"}-policy`;
  return candidate.slice(0, 150);
}

function checkTimeZone(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<string> {
  const text = readString(ctx, value, path, { what: "time zone" });
  if (text === Unknown) return Unknown;
  if (text === undefined) return DEFAULT_TIME_ZONE;
  const canonical = canonicalTimeZone(text);
  if (canonical !== undefined) return canonical;
  const windows = windowsZoneForIana(text);
  const hint = windows === undefined ? suggest(text, WINDOWS_TIME_ZONES) : ` (the Windows id for ${text} is '${windows}')`;
  ctx.report("policy/time-zone", path, `Time zone '${text}' is not a Windows time-zone id${hint}.`, {
    remedy: windows === undefined ? 'Use a Windows time-zone id such as "UTC" or "W. Europe Standard Time".' : `Use "${windows}".`,
  });
  return DEFAULT_TIME_ZONE;
}

function checkInstantRestoreDays(
  ctx: RuleContext,
  value: unknown,
  policyPath: string,
  type: MaybeUnknown<PolicyType>,
  schedule: MaybeUnknown<ParsedSchedule>,
  retention: MaybeUnknown<Retention> | undefined,
): MaybeUnknown<number> {
  const path = joinPath(policyPath, "instantRestoreRetentionDays");
  const days = readNumber(ctx, value, path, { integer: true, what: "instantRestoreRetentionDays" });
  if (days === Unknown || type === Unknown || !isKnown(schedule) || schedule.frequency === Unknown) return Unknown;
  const weekly = schedule.frequency === "Weekly";
  let result: number;
  if (type === "V1" && weekly) {
    const required = ctx.limit("instantRestoreDaysWeeklyV1");
    if (days !== undefined && days !== required) {
      ctx.report("policy/instant-restore-days", path, `A weekly standard (V1) policy keeps snapshots for ${required} days; ${days} is not allowed.`, {
        limit: "instantRestoreDaysWeeklyV1",
        remedy: `Set instantRestoreRetentionDays to ${required} or leave it out.`,
      });
    }
    result = required;
  } else {
    const maxKey = type === "V1" ? "instantRestoreDaysV1Max" : "instantRestoreDaysV2Max";
    const max = ctx.limit(maxKey);
    const label = type === "V1" ? "A standard (V1)" : "An enhanced (V2)";
    if (days !== undefined && (days < 1 || days > max)) {
      ctx.report("policy/instant-restore-days", path, `${label} policy keeps snapshots 1 to ${max} days; ${days} is out of range.`, {
        limit: maxKey,
        remedy:
          type === "V1" && days > max
            ? `Use 1 to ${max} days, or an enhanced (V2) policy for up to ${ctx.limit("instantRestoreDaysV2Max")} days.`
            : `Use 1 to ${max} days.`,
      });
    }
    result = days ?? ctx.limit(type === "V1" ? "instantRestoreDaysV1Default" : "instantRestoreDaysV2Default");
  }
  if (isKnown(retention)) {
    const vaultDays = vaultRetentionDays(schedule.frequency, retention);
    if (vaultDays !== undefined && result > vaultDays) {
      ctx.report(
        "policy/instant-restore-exceeds-retention",
        path,
        `Snapshots are kept ${result} days but the vault keeps the recovery point only ${vaultDays} days.`,
        { remedy: `Keep snapshots fewer days than ${vaultDays}, or keep recovery points longer in the vault.` },
      );
    } else if (vaultDays !== undefined && result === vaultDays) {
      ctx.report("policy/instant-restore-equals-retention", path, `Snapshots and vault recovery points are both kept ${result} days.`, {
        remedy: "Keep recovery points in the vault longer than the snapshots.",
      });
    }
  }
  if (type === "V2" && schedule.frequency === "Hourly" && schedule.hourInterval === 4 && result > ctx.limit("instantRestoreDaysV2Default")) {
    ctx.report(
      "policy/instant-restore-frequent-snapshots",
      path,
      `Backups every 4 hours with snapshots kept ${result} days: Azure lowers the snapshot-day maximum at high frequencies and may refuse this.`,
      { remedy: `Keep snapshots ${ctx.limit("instantRestoreDaysV2Default")} days or fewer, or back up less often.` },
    );
  }
  return result;
}

function checkInstantRestoreResourceGroup(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<InstantRestoreResourceGroupArgs> | undefined {
  const raw = readObject(ctx, value, path, ["prefix", "suffix"], { what: "instantRestoreResourceGroup" });
  if (raw === undefined || raw === Unknown) return raw;
  const prefix = readString(ctx, raw.prefix, joinPath(path, "prefix"), {
    required: true,
    what: "instantRestoreResourceGroup.prefix",
    remedy: 'Give the prefix of the resource group Azure Backup keeps snapshots in, e.g. "rg-backup-snapshots-".',
  });
  const suffix = readString(ctx, raw.suffix, joinPath(path, "suffix"), { what: "instantRestoreResourceGroup.suffix" });
  if (prefix === Unknown || suffix === Unknown) return Unknown;
  let ok = prefix !== undefined;
  for (const [key, part] of [
    ["prefix", prefix],
    ["suffix", suffix],
  ] as const) {
    if (part !== undefined && !RESOURCE_GROUP_PART.test(part)) {
      ok = false;
      ctx.report(
        "policy/instant-restore-resource-group",
        joinPath(path, key),
        `The resource group ${key} '${part}' has characters a resource group name cannot hold.`,
        {
          remedy: "Use letters, digits, '-', '_', '.', '(' and ')'.",
        },
      );
    }
  }
  if (suffix?.endsWith(".")) {
    ok = false;
    ctx.report("policy/instant-restore-resource-group", joinPath(path, "suffix"), "A resource group name cannot end with a period.", {
      remedy: "Remove the trailing period from the suffix.",
    });
  }
  const length = (prefix?.length ?? 0) + (suffix?.length ?? 0) + 1;
  if (length > RESOURCE_GROUP_MAX) {
    ok = false;
    ctx.report(
      "policy/instant-restore-resource-group",
      path,
      `The resource group name (prefix, a number, suffix) would be at least ${length} characters; the limit is ${RESOURCE_GROUP_MAX}.`,
      { remedy: "Shorten the prefix or the suffix." },
    );
  }
  if (!ok || prefix === undefined) return undefined;
  return suffix === undefined ? { prefix } : { prefix, suffix };
}

function toPolicy(
  parsed: ParsedPolicy,
  name: string | undefined,
  resourceGroup: MaybeUnknown<InstantRestoreResourceGroupArgs> | undefined,
): Policy | undefined {
  const { schedule } = parsed;
  if (
    !isKnown(parsed.policyType) ||
    !isKnown(parsed.timeZone) ||
    !isKnown(schedule.frequency) ||
    !isKnown(schedule.time) ||
    !isKnown(schedule.weekdays) ||
    schedule.hourInterval === Unknown ||
    schedule.hourWindow === Unknown ||
    !isKnown(parsed.instantRestoreRetentionDays) ||
    !isKnown(parsed.retention) ||
    resourceGroup === Unknown
  ) {
    return undefined;
  }
  const policy: Policy = {
    policyType: parsed.policyType,
    timeZone: parsed.timeZone,
    schedule: {
      frequency: schedule.frequency,
      time: formatTimeOfDay(schedule.time),
      weekdays: schedule.frequency === "Weekly" ? schedule.weekdays : [],
      ...(schedule.frequency === "Hourly" && schedule.hourInterval !== undefined ? { hourInterval: schedule.hourInterval } : {}),
      ...(schedule.frequency === "Hourly" && schedule.hourWindow !== undefined ? { hourWindow: schedule.hourWindow } : {}),
    },
    instantRestoreRetentionDays: parsed.instantRestoreRetentionDays,
    retention: parsed.retention,
  };
  if (name !== undefined) policy.name = name;
  if (resourceGroup !== undefined) policy.instantRestoreResourceGroup = resourceGroup;
  return policy;
}
