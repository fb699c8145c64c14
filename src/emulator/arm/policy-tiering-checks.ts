/**
 * What the emulated Backup service refuses in a VM policy's `tieringPolicy` and `snapshotConsistencyType`, and how
 * a PUT without a tier's tiering policy keeps the configured one.
 *
 * Shapes (REST API 2025-08-01, bms.json: AzureIaaSVMProtectionPolicy, TieringPolicy, IaasVMSnapshotConsistencyType):
 * `tieringPolicy` maps a target tier (RecoveryPointTierType; a VM's points move to "ArchivedRP") to
 * `{ tieringMode: TierRecommended | TierAfter | DoNotTier, duration, durationType: Days | Weeks | Months | Years }`,
 * duration and durationType "used only if TieringMode is set to TierAfter"; `snapshotConsistencyType` is
 * "OnlyCrashConsistent".
 *
 * Eligibility (Microsoft Learn archive-tier-support): a VM's monthly and yearly recovery points only, after 3 months
 * in the Vault-standard tier and with 6 months of retention left. Microsoft's PowerShell client refuses a VM policy
 * that tiers without monthly or yearly retention, or whose TierAfter is under 3 months or leaves no monthly or yearly
 * block 6 months of retention ("TierAfterDuration needs to be >= 3 months, at least one of monthly or yearly
 * retention should be >= (TierAfterDuration + 6) months", Learn use-archive-tier-support). emulator: the service's
 * own answer to such a policy is not in any public source found; the emulator refuses what that client refuses
 * (for TierRecommended: 3 + 6 = 9 months), with the service's generic invalid-policy code.
 *
 * Crash-consistent snapshots are for the Enhanced policy only (Learn backup-azure-vms-agentless-multi-disk-crash-
 * consistent). emulator: the code for a V1 policy asking for them is not public; the emulator uses its own,
 * `UserErrorCrashConsistentNeedsEnhancedPolicy`.
 */
import { badRequest, prop } from "../http";

const INVALID = "BMSUserErrorInvalidPolicyInput";
const TIERS = ["Invalid", "InstantRP", "HardenedRP", "ArchivedRP"];
const MODES = ["TierRecommended", "TierAfter", "DoNotTier"];
const DURATION_TYPES = ["Days", "Weeks", "Months", "Years"];

function fail(detail: string, code = INVALID): never {
  throw badRequest(code, `Input for create or update policy is not in proper format. ${detail}`);
}

const oneOf = (list: string[], value: unknown) => list.find((x) => typeof value === "string" && x.toLowerCase() === value.toLowerCase());

function months(count: unknown, unit: "Months" | "Years"): number {
  return typeof count === "number" ? (unit === "Years" ? count * 12 : count) : 0;
}

function inMonths(duration: number, type: string): number {
  if (type === "Months") return duration;
  if (type === "Years") return duration * 12;
  return type === "Weeks" ? (duration * 7) / 30 : duration / 30;
}

/** Validates `tieringPolicy` and `snapshotConsistencyType` of a VM policy's properties; throws an ArmError. */
export function checkTieringAndConsistency(p: Record<string, unknown>, policyType: "V1" | "V2"): void {
  const consistency = p.snapshotConsistencyType;
  if (consistency !== undefined && consistency !== null) {
    if (oneOf(["OnlyCrashConsistent"], consistency) === undefined) fail(`snapshotConsistencyType '${String(consistency)}' is not OnlyCrashConsistent.`);
    if (policyType !== "V2") {
      fail("Crash consistent snapshots (OnlyCrashConsistent) are supported with the Enhanced policy (V2) only.", "UserErrorCrashConsistentNeedsEnhancedPolicy");
    }
  }
  const tiering = p.tieringPolicy;
  if (tiering === undefined || tiering === null) return;
  if (typeof tiering !== "object" || Array.isArray(tiering)) fail("tieringPolicy must map a target tier to its tiering policy.");
  const longTerm = [
    months(prop(p, "retentionPolicy", "monthlySchedule", "retentionDuration", "count"), "Months"),
    months(prop(p, "retentionPolicy", "yearlySchedule", "retentionDuration", "count"), "Years"),
  ].filter((m) => m > 0);
  for (const [tier, value] of Object.entries(tiering as Record<string, unknown>)) {
    if (oneOf(TIERS, tier) !== "ArchivedRP") fail(`tieringPolicy: a VM's recovery points move to ArchivedRP only; got '${tier}'.`);
    const mode = oneOf(MODES, prop(value, "tieringMode"));
    if (mode === undefined) fail(`tieringPolicy.${tier}.tieringMode must be TierRecommended, TierAfter or DoNotTier.`);
    if (mode === "DoNotTier") continue;
    if (longTerm.length === 0) fail("Monthly or Yearly retention needs to be set to enable Archive smart tiering.");
    let wait = 3;
    if (mode === "TierAfter") {
      const duration = prop(value, "duration");
      const type = oneOf(DURATION_TYPES, prop(value, "durationType"));
      if (typeof duration !== "number" || !Number.isInteger(duration) || duration < 1 || type === undefined) {
        fail(`tieringPolicy.${tier}: TierAfter needs a whole duration and a durationType (Days, Weeks, Months or Years).`);
      }
      wait = inMonths(duration, type);
      if (wait < 3) fail("TierAfterDuration needs to be >= 3 months.");
    }
    if (!longTerm.some((m) => m >= wait + 6)) {
      fail(`At least one of monthly or yearly retention should be >= ${wait + 6} months (the time before tiering + 6 months) for smart tiering.`);
    }
  }
}

/**
 * The stored properties after a PUT: a tier the request gives no tiering policy keeps the configured one ("If the
 * policy is not specified for a given target tier, service retains the existing configured tiering policy for that
 * tier", TieringPolicy in bms.json 2025-08-01).
 */
export function keepConfiguredTiering(previous: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const before = (previous.tieringPolicy ?? {}) as Record<string, unknown>;
  if (Object.keys(before).length === 0) return next;
  const after = { ...before, ...((next.tieringPolicy ?? {}) as Record<string, unknown>) };
  return { ...next, tieringPolicy: after };
}
