/**
 * Estimates from a VM's disks: the protected-instance size Azure bills (used data on the OS and data
 * disks, temporary disk excluded: https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md), its billing units, and backup durations at the
 * 2018 documentation's throughputs (same page: disks back up in parallel; 160 Mbps initial, 640 Mbps incremental, at
 * most 60 MB/s per blob).
 */
import { createContext, type RuleContext, type RuleOptions } from "./context";
import { applyDiskSelection, checkVm, diskLabel, type ParsedDisk, type VmArgs } from "./vm";
import { isKnown } from "./unknown";

const BYTES_PER_GB = 2 ** 30; // Azure sizes disks in GiB
const SECONDS_PER_HOUR = 3600;

export type BillingTier = "small" | "standard";

export interface DiskEstimate {
  disk: string;
  /** Used data counted, GB: `usedGb`, or the disk size when `usedGb` was not given. */
  usedGb: number;
  usedGbEstimated: boolean;
  initialBackupHours: number;
}

export interface ProtectedInstanceEstimate {
  /** Sum of used data on the backed-up disks, GB: Azure's figure when it measured it (`measuredUsedGb`), else the disks'. */
  protectedInstanceGb: number;
  /**
   * True when `protectedInstanceGb` is an upper bound: Azure has not measured the used data and some disk had no
   * `usedGb`, so its full size was counted.
   */
  usedDataEstimated: boolean;
  /** True when `protectedInstanceGb` is the used data Azure measured (`measuredUsedGb`). */
  usedDataMeasured: boolean;
  billing: { tier: BillingTier; units: number };
  /** Hours of the first, full backup: the slowest disk, as disks back up in parallel. */
  initialBackupHours: number;
  /** Most data (GB) one disk can send in an incremental backup within the daily window. */
  incrementalCapacityGb: number;
  disks: DiskEstimate[];
}

export interface EstimateOptions extends RuleOptions {
  includeDiskLuns?: number[];
  excludeDiskLuns?: number[];
  /**
   * The used data of the backed-up disks as Azure measured it, GB (for a protected VM: its first backup's size). It is
   * the protected-instance size when given: the size Azure bills is the data on the disks, not their size
   * (https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md,
   * "Calculating the cost of protected instances").
   */
  measuredUsedGb?: number;
}

/** Estimates a VM's protected instance; see `ProtectedInstanceEstimate`. Invalid disks are skipped. */
export function estimateProtectedInstance(vm: VmArgs, options: EstimateOptions = {}): ProtectedInstanceEstimate {
  const ctx = createContext(options);
  const parsed = checkVm(ctx, vm);
  applyDiskSelection(ctx, parsed, { includeDiskLuns: options.includeDiskLuns, excludeDiskLuns: options.excludeDiskLuns }, "");
  const estimate = estimateDisks(ctx, isKnown(parsed.disks) ? parsed.disks : []);
  const measured = options.measuredUsedGb;
  if (measured === undefined || !Number.isFinite(measured) || measured < 0) return estimate;
  return { ...estimate, protectedInstanceGb: measured, usedDataEstimated: false, usedDataMeasured: true, billing: billingFor(ctx, measured) };
}

/** Billing units for a protected instance of `sizeGb`: one small instance up to 50 GB, then one per started 500 GB. */
export function billingFor(ctx: RuleContext, sizeGb: number): { tier: BillingTier; units: number } {
  if (sizeGb <= ctx.limit("smallInstanceMaxGb")) return { tier: "small", units: 1 };
  return { tier: "standard", units: Math.max(1, Math.ceil(sizeGb / ctx.limit("instanceGb"))) };
}

/** Billing units for a protected instance of `sizeGb` under the options' limits (see `billingFor`). */
export function estimateBilling(sizeGb: number, options: RuleOptions = {}): { tier: BillingTier; units: number } {
  return billingFor(createContext(options), sizeGb);
}

/** Effective throughput of one disk, megabits per second: the phase's rate, capped by the blob limit. */
function diskMbps(ctx: RuleContext, phaseMbps: number): number {
  return Math.min(phaseMbps, ctx.limit("blobThroughputMBps") * 8);
}

export function transferHours(ctx: RuleContext, gb: number, phaseMbps: number): number {
  return (gb * BYTES_PER_GB * 8) / (diskMbps(ctx, phaseMbps) * 1e6) / SECONDS_PER_HOUR;
}

/** GB one disk can transfer incrementally in `hours`. */
export function incrementalCapacityGb(ctx: RuleContext, hours: number): number {
  return (diskMbps(ctx, ctx.limit("incrementalBackupMbps")) * 1e6 * hours * SECONDS_PER_HOUR) / 8 / BYTES_PER_GB;
}

export function estimateDisks(ctx: RuleContext, disks: readonly ParsedDisk[]): ProtectedInstanceEstimate {
  const estimates: DiskEstimate[] = [];
  for (const disk of disks) {
    if (!disk.backedUp) continue;
    const usedGb = disk.usedGb ?? disk.sizeGb;
    if (usedGb === undefined) continue;
    estimates.push({
      disk: diskLabel(disk),
      usedGb,
      usedGbEstimated: disk.usedGb === undefined,
      initialBackupHours: transferHours(ctx, usedGb, ctx.limit("initialBackupMbps")),
    });
  }
  const size = estimates.reduce((sum, d) => sum + d.usedGb, 0);
  return {
    protectedInstanceGb: size,
    usedDataEstimated: estimates.some((d) => d.usedGbEstimated),
    usedDataMeasured: false,
    billing: billingFor(ctx, size),
    initialBackupHours: estimates.reduce((max, d) => Math.max(max, d.initialBackupHours), 0),
    incrementalCapacityGb: incrementalCapacityGb(ctx, ctx.limit("backupWindowHours")),
    disks: estimates,
  };
}
