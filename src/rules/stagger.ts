/**
 * Staggered start times for a fleet of VMs (BackupPolicySet): as many daily policies as needed, each starting at
 * its own time within a backup window, so that no start time holds more VMs than the profile's `vmsPerSchedule`
 * ("Don't schedule backups for more than 100 VMs from one vault, at the same time", DOCS.vmBackupPlanning2018) and
 * each VM's estimated backup ends within the window.
 *
 * Start times are on the hour or the half hour, as Azure takes a policy's time (the `policy/time-half-hour` rule,
 * policy-schedule.ts). A VM keeps the start time it had (`previous`): adding VMs never moves others. New VMs are
 * placed, largest estimate first then by key (so that the order of the input does not matter), on the least loaded
 * start time already in use that has room and leaves the VM enough of the window; only when none has, a new start
 * time is opened: the one farthest from those in use (the backups then start spread over the window).
 */
import { formatTimeOfDay, MINUTES_PER_DAY, parseTimeOfDay } from "./calendar";
import { createContext, type RuleOptions } from "./context";
import { estimateProtectedInstance, transferHours, type EstimateOptions } from "./estimates";
import type { VmArgs } from "./vm";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";

/** Azure starts backups on the hour or the half hour. */
export const START_TIME_STEP_MINUTES = 30;

export interface StaggerVm {
  /** The VM's identity: its ARM id's key (armIdKey), the same whatever the case of the id. */
  key: string;
  /** How long its backup is estimated to take, hours. */
  estimateHours: number;
  /** How messages name the VM (default: its key). */
  label?: string;
}

export interface BackupWindow {
  /** "HH:MM", on the hour or the half hour. */
  start: string;
  /** Hours, more than 0 and at most 24. */
  hours: number;
}

export interface StaggerInput {
  vms: readonly StaggerVm[];
  window: BackupWindow;
  /** The previous run's start time of each VM ("HH:MM", by key): kept. */
  previous?: Readonly<Record<string, string>>;
  /** Where the input sits in the caller's arguments, for diagnostics' paths (e.g. "vms"). */
  path?: string;
}

export interface StaggerSlot {
  /** "HH:MM". */
  time: string;
  /** The VMs starting at that time, by key, sorted. */
  vmKeys: string[];
}

export interface StaggerResult {
  /** The start times in use, in the window's order (from its start). */
  slots: StaggerSlot[];
  /** Each placed VM's start time ("HH:MM"), by key. */
  assignment: Record<string, string>;
  diagnostics: Diagnostic[];
}

/** The start times of a window (minutes after midnight), in order from its start; undefined when the window is invalid. */
export function windowStartTimes(window: BackupWindow): number[] | undefined {
  const start = typeof window.start === "string" ? parseTimeOfDay(window.start) : undefined;
  if (start === undefined || start % START_TIME_STEP_MINUTES !== 0) return undefined;
  if (typeof window.hours !== "number" || !Number.isFinite(window.hours) || window.hours <= 0 || window.hours > 24) return undefined;
  const times: number[] = [];
  for (let offset = 0; offset < window.hours * 60; offset += START_TIME_STEP_MINUTES) times.push((start + offset) % MINUTES_PER_DAY);
  return times;
}

/** Minutes from the window's start to `time` (0 ... 1439). */
function offsetOf(start: number, time: number): number {
  return (((time - start) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}

/** Places the VMs on staggered start times; see the module's comment. */
export function staggerPolicies(input: StaggerInput, options: RuleOptions = {}): StaggerResult {
  const ctx = createContext(options);
  const base = input.path ?? "";
  const limit = ctx.limit("vmsPerSchedule");
  const times = windowStartTimes(input.window);
  if (times === undefined) {
    ctx.report(
      "plan/stagger-window",
      "window",
      `The backup window ${JSON.stringify(input.window)} is not a start time on the hour or the half hour ("HH:MM") with a length of more than 0 and at most 24 hours.`,
      { remedy: 'Give window: { start: "22:00", hours: 6 } (a start on the hour or the half hour, and its length in hours).' },
    );
    return { slots: [], assignment: {}, diagnostics: ctx.diagnostics };
  }
  const start = times[0]!;
  const windowMinutes = input.window.hours * 60;
  const fits = (time: number, hours: number): boolean => offsetOf(start, time) + hours * 60 <= windowMinutes + 1e-9;

  const load = new Map<number, string[]>();
  const assignment: Record<string, string> = {};
  const seen = new Set<string>();
  const fresh: Array<StaggerVm & { index: number }> = [];
  input.vms.forEach((vm, index) => {
    if (seen.has(vm.key)) return;
    seen.add(vm.key);
    const kept = input.previous?.[vm.key];
    const keptTime = kept === undefined ? undefined : parseTimeOfDay(kept);
    if (keptTime === undefined) {
      fresh.push({ ...vm, index });
      return;
    }
    assignment[vm.key] = formatTimeOfDay(keptTime);
    load.set(keptTime, [...(load.get(keptTime) ?? []), vm.key]);
    if (!times.includes(keptTime) || !fits(keptTime, vm.estimateHours)) {
      ctx.report(
        "plan/stagger-kept-outside-window",
        joinPath(joinPath(base, index), "startTime"),
        `VM '${vm.label ?? vm.key}' keeps its start time ${formatTimeOfDay(keptTime)} from the previous run, but its backup (about ${vm.estimateHours.toFixed(1)} hours) no longer fits the window ${input.window.start} + ${input.window.hours} hours; it is not moved.`,
        { remedy: "Widen the window again, or remove the VM from the set for one deployment and add it back to place it anew." },
      );
    }
  });
  for (const [time, keys] of load) {
    if (keys.length > limit) {
      ctx.report(
        "plan/stagger-start-times-full",
        base,
        `${keys.length} VMs keep their start time ${formatTimeOfDay(time)} from the previous run; at most ${limit} may start at the same time.`,
        {
          limit: "vmsPerSchedule",
          remedy: "Remove some of these VMs from the set for one deployment and add them back: they are then placed on other start times.",
        },
      );
    }
  }

  // Largest first (they need the earliest start times), then by key: the same result whatever the input's order.
  fresh.sort((a, b) => b.estimateHours - a.estimateHours || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const tooLong: typeof fresh = [];
  const unplaced: typeof fresh = [];
  for (const vm of fresh) {
    if (!Number.isFinite(vm.estimateHours) || vm.estimateHours < 0 || vm.estimateHours * 60 > windowMinutes) {
      tooLong.push(vm);
      continue;
    }
    const room = (t: number): boolean => (load.get(t)?.length ?? 0) < limit && fits(t, vm.estimateHours);
    const used = times.filter((t) => load.has(t) && room(t));
    let chosen: number | undefined;
    if (used.length > 0) {
      // The least loaded; on a tie the earliest.
      chosen = used.reduce((best, t) => (load.get(t)!.length < load.get(best)!.length ? t : best));
    } else {
      const open = times.filter((t) => !load.has(t) && room(t));
      const inUse = [...load.keys()].map((t) => offsetOf(start, t));
      // Farthest from the start times in use; on a tie the earliest (the first one opened is the window's start).
      const distance = (t: number): number => (inUse.length === 0 ? -offsetOf(start, t) : Math.min(...inUse.map((u) => Math.abs(u - offsetOf(start, t)))));
      for (const t of open) if (chosen === undefined || distance(t) > distance(chosen)) chosen = t;
    }
    if (chosen === undefined) {
      unplaced.push(vm);
      continue;
    }
    assignment[vm.key] = formatTimeOfDay(chosen);
    load.set(chosen, [...(load.get(chosen) ?? []), vm.key]);
  }

  for (const vm of tooLong) {
    const need = Math.ceil((vm.estimateHours * 60) / START_TIME_STEP_MINUTES) / 2;
    ctx.report(
      "plan/stagger-vm-too-long",
      joinPath(base, vm.index),
      `VM '${vm.label ?? vm.key}': its backup is estimated at ${vm.estimateHours.toFixed(1)} hours, longer than the ${input.window.hours}-hour backup window; it fits at no start time.`,
      {
        remedy: `Make the window at least ${need} hours long, or protect this VM with its own BackupPolicy outside the set.`,
      },
    );
  }
  if (unplaced.length > 0) {
    const more = Math.ceil(unplaced.length / Math.max(1, limit));
    ctx.report(
      "plan/stagger-start-times-full",
      base,
      `${unplaced.length} VMs cannot be placed: every start time of the window ${input.window.start} + ${input.window.hours} hours at which their backup would end within the window already holds ${limit} VMs (${[
        ...unplaced,
      ]
        .slice(0, 3)
        .map((v) => `'${v.label ?? v.key}'`)
        .join(", ")}${unplaced.length > 3 ? ", ..." : ""}).`,
      {
        limit: "vmsPerSchedule",
        remedy: `The set needs ${more} more start time${more === 1 ? "" : "s"}: make the window ${more * 0.5} hours longer (one start time every half hour), or put some VMs in another vault.`,
      },
    );
  }

  const slots = times.filter((t) => load.has(t)).map((t) => ({ time: formatTimeOfDay(t), vmKeys: [...load.get(t)!].sort() }));
  // Kept start times outside the window come last.
  for (const [t, keys] of load) if (!times.includes(t)) slots.push({ time: formatTimeOfDay(t), vmKeys: [...keys].sort() });
  return { slots, assignment, diagnostics: ctx.diagnostics };
}

/**
 * What a VM's backup is estimated to take, hours, for placing it: "initial" (default) its first, full backup (the
 * slowest disk at the initial throughput: disks back up in parallel), "incremental" an incremental backup of its
 * largest disk with all of its used data changed (at the incremental throughput). Both from estimates.ts
 * (DOCS.vmBackupPlanning2018's throughputs).
 */
export type EstimateBasis = "initial" | "incremental";

export function estimateBackupHours(vm: VmArgs, basis: EstimateBasis = "initial", options: EstimateOptions = {}): number {
  const estimate = estimateProtectedInstance(vm, options);
  if (basis === "initial") return estimate.initialBackupHours;
  const ctx = createContext(options);
  const largest = estimate.disks.reduce((max, d) => Math.max(max, d.usedGb), 0);
  return transferHours(ctx, largest, ctx.limit("incrementalBackupMbps"));
}
