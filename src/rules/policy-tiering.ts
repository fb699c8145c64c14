/**
 * A policy's archive tiering (`tiering`) and snapshot consistency (`snapshotConsistency`), and the VM rule that
 * crash-consistent snapshots bring (disks they do not support).
 *
 * Archive tiering for VMs (DOCS.archiveTier): only monthly and yearly recovery points move, and a point is
 * eligible once it has spent 3 months in the Vault-standard tier and has 6 months of retention left. A policy
 * tiers with `tieringPolicy["ArchivedRP"]` (DOCS.armApi2025): TierRecommended ("smart tiering": the set Azure
 * recommends, which saves cost), TierAfter (every eligible point after a duration: Days, Weeks, Months or Years)
 * or DoNotTier. Microsoft's PowerShell client refuses a VM policy whose monthly or yearly retention leaves no
 * point eligible ("TierAfterDuration needs to be >= 3 months, at least one of monthly or yearly retention should
 * be >= (TierAfterDuration + 6) months", DOCS.useArchiveTier); for TierRecommended the same eligibility asks for
 * at least 3 + 6 = 9 months of monthly or yearly retention.
 *
 * Crash-consistent snapshots (DOCS.crashConsistent): the Enhanced (V2) policy only; VMs with Ultra, Premium SSD
 * v2, ephemeral OS, shared or Write Accelerated disks, and Azure Boost sizes, are not supported
 * (DOCS.crashConsistentScenarios). The VM descriptions hold disk storage types only, so Ultra and Premium SSD v2
 * disks are what the rules can see.
 */
import type { RuleContext } from "./context";
import { joinPath } from "./diagnostics";
import { readChoice, readNumber, readObject } from "./input";
import {
  SNAPSHOT_CONSISTENCIES,
  TIERING_DURATION_TYPES,
  TIERING_MODES,
  type PolicyType,
  type Retention,
  type Tiering,
  type TieringDurationType,
} from "./policy-types";
import { isKnown, isUnknownInput, Unknown, type MaybeUnknown } from "./unknown";
import { diskLabel, type ParsedVm } from "./vm";

/** Months a VM recovery point spends in the Vault-standard tier before it can move (DOCS.archiveTier). */
export const ARCHIVE_MIN_MONTHS_IN_STANDARD = 3;
/** Months of retention a VM recovery point must have left to move (DOCS.archiveTier). */
export const ARCHIVE_MIN_MONTHS_LEFT = 6;
/** Disk types crash-consistent snapshots do not support, of those a VM description can name (DOCS.crashConsistentScenarios). */
export const CRASH_CONSISTENT_UNSUPPORTED_STORAGE_TYPES = ["PremiumV2_LRS", "UltraSSD_LRS"] as const;

export const TIERING_KEYS = ["mode", "duration", "durationType"] as const;
const DEFAULT_DURATION_TYPE: TieringDurationType = "Months";

/** A tiering duration in months, for the eligibility rules (days and weeks at 30 and 7 days per month and week). */
function inMonths(duration: number, type: TieringDurationType): number {
  if (type === "Months") return duration;
  if (type === "Years") return duration * 12;
  return type === "Weeks" ? (duration * 7) / 30 : duration / 30;
}

function durationText(duration: number, type: TieringDurationType): string {
  return `${duration} ${duration === 1 ? type.slice(0, -1).toLowerCase() : type.toLowerCase()}`;
}

/** Months each long-term block keeps its points (monthly: count months; yearly: count years). */
function longTermMonths(retention: Retention): Array<{ block: "monthly" | "yearly"; months: number }> {
  const out: Array<{ block: "monthly" | "yearly"; months: number }> = [];
  if (retention.monthly !== undefined) out.push({ block: "monthly", months: retention.monthly.count });
  if (retention.yearly !== undefined) out.push({ block: "yearly", months: retention.yearly.count * 12 });
  return out;
}

/**
 * Reads and checks `tiering` against the policy's retention. Returns the canonical tiering, undefined for none
 * (or "DoNotTier", or an invalid value: the error is reported), or Unknown during a preview.
 */
export function checkTiering(
  ctx: RuleContext,
  value: unknown,
  path: string,
  retention: MaybeUnknown<Retention> | undefined,
): MaybeUnknown<Tiering> | undefined {
  const raw = readObject(ctx, value, path, TIERING_KEYS, { what: "tiering" });
  if (raw === undefined || raw === Unknown) return raw;
  const mode = readChoice(ctx, raw.mode, joinPath(path, "mode"), TIERING_MODES, "policy/tiering-mode", {
    required: true,
    what: "tiering mode",
    remedy: 'Use "TierRecommended" (smart tiering, recommended), "TierAfter" with a duration, or "DoNotTier".',
  });
  const duration = readNumber(ctx, raw.duration, joinPath(path, "duration"), { integer: true, what: "tiering duration" });
  const durationType = readChoice(ctx, raw.durationType, joinPath(path, "durationType"), TIERING_DURATION_TYPES, "policy/tiering-duration", {
    what: "tiering durationType",
    remedy: 'Use "Days", "Weeks", "Months" or "Years".',
  });
  if (mode === Unknown || duration === Unknown || durationType === Unknown) return Unknown;
  if (mode === undefined) return undefined;
  if (mode !== "TierAfter") {
    if (duration !== undefined || durationType !== undefined) {
      ctx.report(
        "policy/tiering-duration",
        joinPath(path, duration !== undefined ? "duration" : "durationType"),
        `Tiering mode ${mode} takes no duration: only TierAfter moves points after a fixed time.`,
        { remedy: `Remove duration and durationType, or use mode "TierAfter".` },
      );
    }
    if (mode === "DoNotTier") return undefined;
  }
  let tiering: Tiering;
  if (mode === "TierAfter") {
    if (duration === undefined) {
      ctx.report(
        "policy/tiering-duration",
        joinPath(path, "duration"),
        "Tiering mode TierAfter needs the time a recovery point stays in the standard tier first.",
        {
          remedy: `Add duration (and durationType, default "Months"), e.g. duration: ${ARCHIVE_MIN_MONTHS_IN_STANDARD}.`,
        },
      );
      return undefined;
    }
    const type = durationType ?? DEFAULT_DURATION_TYPE;
    if (duration < 1 || inMonths(duration, type) < ARCHIVE_MIN_MONTHS_IN_STANDARD) {
      ctx.report(
        "policy/tiering-duration",
        joinPath(path, "duration"),
        `Tiering after ${durationText(duration, type)} is too early: a VM recovery point must spend at least ${ARCHIVE_MIN_MONTHS_IN_STANDARD} months in the standard tier before it can move to the archive tier.`,
        { remedy: `Use a duration of at least ${ARCHIVE_MIN_MONTHS_IN_STANDARD} months.` },
      );
      return undefined;
    }
    tiering = { mode: "TierAfter", duration, durationType: type };
  } else {
    tiering = { mode: "TierRecommended" };
  }
  if (!isKnown(retention)) return retention === Unknown ? Unknown : tiering;
  checkEligibility(ctx, path, tiering, retention);
  return tiering;
}

function checkEligibility(ctx: RuleContext, path: string, tiering: Tiering, retention: Retention): void {
  const blocks = longTermMonths(retention);
  if (blocks.length === 0) {
    ctx.report(
      "policy/tiering-needs-long-term-retention",
      path,
      "Archive tiering moves only monthly and yearly recovery points of a VM, and this policy keeps none.",
      { remedy: "Add retention.monthly or retention.yearly, or remove tiering." },
    );
    return;
  }
  const wait = tiering.mode === "TierAfter" ? inMonths(tiering.duration, tiering.durationType) : ARCHIVE_MIN_MONTHS_IN_STANDARD;
  const needed = wait + ARCHIVE_MIN_MONTHS_LEFT;
  const waitText =
    tiering.mode === "TierAfter" ? `after ${durationText(tiering.duration, tiering.durationType)}` : `after ${ARCHIVE_MIN_MONTHS_IN_STANDARD} months`;
  const neededText = Number.isInteger(needed) ? `${needed}` : needed.toFixed(1);
  const short = blocks.filter((b) => b.months < needed);
  if (short.length === blocks.length) {
    const longest = Math.max(...blocks.map((b) => b.months));
    ctx.report(
      "policy/tiering-never-moves",
      path,
      `No recovery point of this policy would ever move to the archive tier: a point moves ${waitText} only if it still has ${ARCHIVE_MIN_MONTHS_LEFT} months of retention left, so monthly or yearly retention must be at least ${neededText} months; the longest here is ${longest} months.`,
      {
        remedy:
          tiering.mode === "TierAfter"
            ? `Keep monthly or yearly points at least ${neededText} months, or tier sooner (duration ${ARCHIVE_MIN_MONTHS_IN_STANDARD} to ${Math.max(...blocks.map((b) => b.months)) - ARCHIVE_MIN_MONTHS_LEFT} months), or remove tiering.`
            : `Keep monthly or yearly points at least ${neededText} months, or remove tiering.`,
      },
    );
    return;
  }
  for (const block of short) {
    ctx.report(
      "policy/tiering-block-never-moves",
      joinPath(joinPath(path.replace(/tiering$/, "retention"), block.block), "count"),
      `The ${block.block} recovery points (kept ${block.months} months) would never move to the archive tier: a point moves ${waitText} only with ${ARCHIVE_MIN_MONTHS_LEFT} months of retention left.`,
      { remedy: `Keep ${block.block} points at least ${neededText} months if they should move too; otherwise nothing to do.` },
    );
  }
  if (tiering.mode === "TierAfter") {
    ctx.report(
      "policy/tiering-after-cost",
      joinPath(path, "mode"),
      "TierAfter moves every eligible recovery point; a VM's points become full copies in the archive tier, so a VM with little churn may cost more. TierRecommended moves only the set Azure expects to save cost.",
      { remedy: 'Consider mode "TierRecommended".' },
    );
  }
}

/** Reads `snapshotConsistency`: "OnlyCrashConsistent" needs an enhanced (V2) policy. */
export function checkSnapshotConsistency(
  ctx: RuleContext,
  value: unknown,
  path: string,
  policyType: MaybeUnknown<PolicyType>,
): MaybeUnknown<"OnlyCrashConsistent"> | undefined {
  const consistency = readChoice(ctx, value, path, SNAPSHOT_CONSISTENCIES, "policy/snapshot-consistency", {
    what: "snapshot consistency",
    remedy: 'Use "OnlyCrashConsistent" or "Default" (application/file-system consistent).',
  });
  if (consistency === Unknown) return Unknown;
  if (consistency !== "OnlyCrashConsistent") return undefined;
  if (policyType === "V1") {
    ctx.report(
      "policy/crash-consistent-needs-enhanced",
      path,
      "Crash-consistent snapshots (OnlyCrashConsistent) are available with an enhanced (V2) policy only, and this policy is standard (V1).",
      { remedy: 'Set policyType to "V2", or remove snapshotConsistency.' },
    );
  }
  return consistency;
}

/** The snapshot consistency of policy args, without judging the rest of the policy. */
export function readSnapshotConsistency(policy: unknown): MaybeUnknown<"OnlyCrashConsistent"> | undefined {
  if (policy === undefined || policy === null || typeof policy !== "object") return isUnknownInput(policy) ? Unknown : undefined;
  const value = (policy as Record<string, unknown>).snapshotConsistency;
  if (isUnknownInput(value)) return Unknown;
  return typeof value === "string" && value.toLowerCase() === "onlycrashconsistent" ? "OnlyCrashConsistent" : undefined;
}

/** A VM protected by a crash-consistent policy: the disk types crash-consistent snapshots do not support. */
export function checkDisksForCrashConsistent(
  ctx: RuleContext,
  vm: ParsedVm,
  consistency: MaybeUnknown<"OnlyCrashConsistent"> | undefined,
  policyPath: string,
): void {
  if (consistency !== "OnlyCrashConsistent" || !isKnown(vm.disks)) return;
  for (const disk of vm.disks) {
    if (disk.storageType === undefined || !(CRASH_CONSISTENT_UNSUPPORTED_STORAGE_TYPES as readonly string[]).includes(disk.storageType)) continue;
    ctx.report(
      "vm/crash-consistent-disk",
      joinPath(disk.path, "storageType"),
      `${diskLabel(disk)} is ${disk.storageType}, and this VM's policy takes crash-consistent snapshots only (${policyPath}); crash-consistent backup does not support ${disk.storageType === "UltraSSD_LRS" ? "Ultra" : "Premium SSD v2"} disks, so the VM's configure-backup job would fail.`,
      { remedy: "Protect this VM with an enhanced policy without snapshotConsistency (application-consistent snapshots)." },
    );
  }
}
