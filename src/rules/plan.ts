/**
 * Plan checks: every vault, policy and VM of a backup plan (and the items already protected in Azure),
 * and the rules that span them: one vault and one policy per VM, VMs per vault, VMs per schedule in a
 * vault, unmanaged disks per storage account per schedule, policies per vault, and backup windows.
 */
import { armIdKey } from "./arm-id";
import { formatTimeOfDay, MINUTES_PER_DAY, MINUTES_PER_WEEK, WEEKDAYS, type Weekday } from "./calendar";
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { estimateDisks, incrementalCapacityGb, type ProtectedInstanceEstimate } from "./estimates";
import { readArray, readObject, readString } from "./input";
import { checkPolicy } from "./policy";
import type { ParsedPolicy, PolicyArgs } from "./policy-types";
import { describeMinuteOfWeek, REFERENCE_DATES, utcRunsOfWeek, type KnownSchedule } from "./schedule-slots";
import { suggest } from "./suggest";
import { isKnown } from "./unknown";
import { checkVault, type ParsedVault, type VaultArgs } from "./vault";
import { applyDiskSelection, checkDiskTypesForPolicy, checkPlacement, checkVm, type ParsedVm, type VmArgs } from "./vm";

/** Azure creates a policy of this name in every new vault. */
export const DEFAULT_POLICY_NAME = "DefaultPolicy";

export interface PlanPolicy extends PolicyArgs {
  /** Name of the vault (in `vaults`) the policy belongs to. */
  vault: string;
  name: string;
}

export interface PlanVm extends VmArgs {
  vault: string;
  /** Policy name in the VM's vault; `DefaultPolicy` when not declared means the seeds' default policy. */
  policy: string;
  includeDiskLuns?: number[];
  excludeDiskLuns?: number[];
}

/** A VM already protected in Azure. */
export interface ExistingItem {
  vmId: string;
  vault: string;
  policy?: string;
}

export interface Plan {
  vaults: VaultArgs[];
  policies: PlanPolicy[];
  vms: PlanVm[];
  existingItems?: ExistingItem[];
}

export interface VmEstimate extends ProtectedInstanceEstimate {
  path: string;
  id: string;
  name: string;
  vault: string;
  policy: string;
}

export interface VaultSummary {
  name: string;
  location: string;
  /** VMs protected in the vault after the plan: the plan's and those already there. */
  vms: number;
  policies: number;
  protectedInstanceGb: number;
  billingUnits: number;
  smallInstances: number;
  /** The most VMs starting a backup at one time, and when (UTC). */
  busiestStart?: { vms: number; timeUtc: string; weekdays: Weekday[] };
}

export interface PlanReport {
  profile: string;
  diagnostics: Diagnostic[];
  vaults: VaultSummary[];
  vms: VmEstimate[];
}

const PLAN_VM_KEYS = ["vault", "policy", "includeDiskLuns", "excludeDiskLuns"] as const;

/** Checks a whole backup plan; see `Plan`. */
export function checkPlan(plan: Plan, options?: RuleOptions): Diagnostic[] {
  return analyzePlan(plan, options).diagnostics;
}

interface VaultEntry {
  index: number;
  name: string;
  parsed: ParsedVault;
  policies: Map<string, PolicyEntry>;
}

interface PolicyEntry {
  /** Index in `plan.policies`, or -1 for an undeclared DefaultPolicy. */
  index: number;
  name: string;
  parsed: ParsedPolicy;
  /** Cached by `policyRuns`. */
  runs?: number[][];
}

/** One VM protected in a vault: from the plan (`index`) or already in Azure (`existing`). */
interface Member {
  vmId: string;
  label: string;
  path: string;
  policy: PolicyEntry | undefined;
  vm?: ParsedVm;
  planIndex?: number;
}

/** Checks a plan and returns its diagnostics with per-VM and per-vault estimates. */
export function analyzePlan(plan: Plan, options?: RuleOptions): PlanReport {
  const ctx = createContext(options);
  const report: PlanReport = { profile: ctx.limits.profile, diagnostics: ctx.diagnostics, vaults: [], vms: [] };
  const raw = readObject(ctx, plan, "", ["vaults", "policies", "vms", "existingItems"], { required: true, what: "the plan" });
  if (!isKnown(raw)) return report;

  const vaults = readVaults(ctx, raw.vaults);
  readPolicies(ctx, raw.policies, vaults);
  const members = new Map<VaultEntry, Member[]>([...vaults.values()].map((v) => [v, []]));
  const planVms = readVms(ctx, raw.vms, vaults, members, report);
  readExistingItems(ctx, raw.existingItems, vaults, members, planVms);

  for (const vault of vaults.values()) {
    const list = members.get(vault) ?? [];
    const summary = summarizeVault(vault, list, report.vms);
    checkVmsPerVault(ctx, vault, list);
    checkVmsPerPolicy(ctx, vault, list);
    const busiest = checkSchedules(ctx, vault, list);
    if (busiest !== undefined) summary.busiestStart = busiest;
    report.vaults.push(summary);
  }
  checkStorageAccounts(ctx, [...members.values()].flat());
  return report;
}

function readVaults(ctx: RuleContext, value: unknown): Map<string, VaultEntry> {
  const vaults = new Map<string, VaultEntry>();
  const list = readArray(ctx, value, "vaults", { required: true, what: "vaults" });
  if (!isKnown(list)) return vaults;
  list.forEach((entry, index) => {
    const path = joinPath("vaults", index);
    const parsed = checkVault(ctx, entry, path);
    if (!isKnown(parsed.name)) return;
    const key = parsed.name.toLowerCase();
    const other = vaults.get(key);
    if (other !== undefined) {
      ctx.report("plan/duplicate-vault", joinPath(path, "name"), `Vault '${parsed.name}' is declared twice (also vaults[${other.index}]).`, {
        remedy: "Give each vault its own name.",
      });
      return;
    }
    vaults.set(key, { index, name: parsed.name, parsed, policies: new Map() });
  });
  return vaults;
}

function findVault(ctx: RuleContext, vaults: Map<string, VaultEntry>, name: unknown, path: string, what: string): VaultEntry | undefined {
  const text = readString(ctx, name, path, { required: true, what: `${what}'s vault` });
  if (!isKnown(text)) return undefined;
  const vault = vaults.get(text.toLowerCase());
  if (vault === undefined) {
    const names = [...vaults.values()].map((v) => v.name);
    ctx.report("plan/vault-unknown", path, `Vault '${text}' is not in the plan${suggest(text, names)}.`, {
      remedy: names.length === 0 ? "Declare the vault under vaults." : `Use one of: ${names.join(", ")}; or declare the vault under vaults.`,
    });
  }
  return vault;
}

function readPolicies(ctx: RuleContext, value: unknown, vaults: Map<string, VaultEntry>): void {
  const list = readArray(ctx, value, "policies", { what: "policies" });
  if (!isKnown(list)) return;
  list.forEach((entry, index) => {
    const path = joinPath("policies", index);
    const parsed = checkPolicy(ctx, entry, path, ["vault"]);
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as Record<string, unknown>;
    const name = readString(ctx, record.name, joinPath(path, "name"), { required: true, what: "policy name" });
    const vault = findVault(ctx, vaults, record.vault, joinPath(path, "vault"), "policy");
    if (!isKnown(name) || vault === undefined) return;
    const other = vault.policies.get(name.toLowerCase());
    if (other !== undefined) {
      ctx.report("plan/duplicate-policy", joinPath(path, "name"), `Vault '${vault.name}' already has a policy '${name}' (policies[${other.index}]).`, {
        remedy: "Give each policy in a vault its own name.",
      });
      return;
    }
    vault.policies.set(name.toLowerCase(), { index, name, parsed });
    const max = ctx.limit("policiesPerVault");
    if (max !== null && vault.policies.size === max + 1) {
      ctx.report("plan/policies-per-vault", path, `Vault '${vault.name}' has more than ${max} policies.`, {
        limit: "policiesPerVault",
        remedy: "Share policies between VMs with the same schedule and retention.",
      });
    }
  });
}

/**
 * The vault's policy of this name; an undeclared `DefaultPolicy` is the vault's built-in one, modelled as
 * the seeds' default policy and registered on first use.
 */
function policyNamed(ctx: RuleContext, vault: VaultEntry, name: string): PolicyEntry | undefined {
  const key = name.toLowerCase();
  const declared = vault.policies.get(key);
  if (declared !== undefined || key !== DEFAULT_POLICY_NAME.toLowerCase()) return declared;
  const scratch = createContext({ profile: ctx.limits.profile, limits: ctx.limits.all() });
  const entry: PolicyEntry = { index: -1, name: DEFAULT_POLICY_NAME, parsed: checkPolicy(scratch, {}) };
  vault.policies.set(key, entry);
  return entry;
}

function findPolicy(ctx: RuleContext, vault: VaultEntry, name: unknown, path: string): PolicyEntry | undefined {
  const text = readString(ctx, name, path, { required: true, what: "the VM's policy" });
  if (!isKnown(text)) return undefined;
  const policy = policyNamed(ctx, vault, text);
  if (policy !== undefined) return policy;
  const names = [...vault.policies.values()].filter((p) => p.index >= 0).map((p) => p.name);
  ctx.report("plan/policy-unknown", path, `Vault '${vault.name}' has no policy '${text}'${suggest(text, names)}.`, {
    remedy: `Use one of: ${[...names, DEFAULT_POLICY_NAME].join(", ")}; or declare the policy with vault '${vault.name}'.`,
  });
  return undefined;
}

/** The plan's VMs by `armIdKey` of their id. */
type PlannedVms = Map<string, { index: number; vault: VaultEntry | undefined; policy: PolicyEntry | undefined }>;

function readVms(
  ctx: RuleContext,
  value: unknown,
  vaults: Map<string, VaultEntry>,
  members: Map<VaultEntry, Member[]>,
  report: PlanReport,
): PlannedVms {
  const seen: PlannedVms = new Map();
  const list = readArray(ctx, value, "vms", { what: "vms" });
  if (!isKnown(list)) return seen;
  list.forEach((entry, index) => {
    const path = joinPath("vms", index);
    const vctx = ctx.nested(path);
    const vm = checkVm(vctx, entry, PLAN_VM_KEYS);
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as Record<string, unknown>;
    applyDiskSelection(vctx, vm, { includeDiskLuns: record.includeDiskLuns, excludeDiskLuns: record.excludeDiskLuns }, "");
    const vault = findVault(vctx, vaults, record.vault, "vault", "VM");
    const policy = vault === undefined ? undefined : findPolicy(vctx, vault, record.policy, "policy");
    if (vault !== undefined) {
      checkPlacement(vctx, vm, { name: vault.name, location: vault.parsed.location, subscriptionId: vault.parsed.subscriptionId }, "");
    }
    if (policy !== undefined) {
      checkDiskTypesForPolicy(vctx, vm, policy.parsed.policyType, policy.index >= 0 ? `policies[${policy.index}].policyType` : "policy");
    }
    if (!isKnown(vm.id)) return;
    const key = armIdKey(vm.id);
    const duplicate = seen.get(key);
    if (duplicate !== undefined) {
      ctx.report("plan/duplicate-vm", joinPath(path, "id"), `This VM is already protected by vms[${duplicate.index}]; a VM has one vault and one policy.`, {
        remedy: "Remove one of the two entries.",
      });
      return;
    }
    seen.set(key, { index, vault, policy });
    if (vault === undefined) return;
    const name = vm.idParts?.name ?? vm.id;
    members.get(vault)!.push({ vmId: vm.id, label: name, path, policy, vm, planIndex: index });
    if (isKnown(vm.disks)) {
      const estimate = estimateDisks(ctx, vm.disks);
      report.vms.push({ ...estimate, path, id: vm.id, name, vault: vault.name, policy: policy?.name ?? String(record.policy) });
      checkBackupWindow(vctx, estimate, policy);
    }
  });
  return seen;
}

function readExistingItems(
  ctx: RuleContext,
  value: unknown,
  vaults: Map<string, VaultEntry>,
  members: Map<VaultEntry, Member[]>,
  planVms: PlannedVms,
): void {
  const list = readArray(ctx, value, "existingItems", { what: "existingItems" });
  if (!isKnown(list)) return;
  list.forEach((entry, index) => {
    const path = joinPath("existingItems", index);
    const raw = readObject(ctx, entry, path, ["vmId", "vault", "policy"], { what: "an existing item" });
    if (!isKnown(raw)) return;
    const vmId = readString(ctx, raw.vmId, joinPath(path, "vmId"), { required: true, what: "vmId" });
    const vaultName = readString(ctx, raw.vault, joinPath(path, "vault"), { required: true, what: "the item's vault" });
    const policyName = readString(ctx, raw.policy, joinPath(path, "policy"), { what: "the item's policy" });
    if (!isKnown(vmId) || !isKnown(vaultName)) return;
    const planned = planVms.get(armIdKey(vmId));
    if (planned !== undefined) {
      if (planned.vault !== undefined && planned.vault.name.toLowerCase() !== vaultName.toLowerCase()) {
        ctx.report(
          "plan/vm-in-other-vault",
          joinPath(joinPath("vms", planned.index), "vault"),
          `This VM is already protected in vault '${vaultName}'; a VM can be protected in only one vault at a time.`,
          { remedy: `Keep it in '${vaultName}', or stop its protection there first (retaining the data) and then protect it in '${planned.vault.name}'.` },
        );
      } else if (planned.policy !== undefined && isKnown(policyName) && planned.policy.name.toLowerCase() !== policyName.toLowerCase()) {
        ctx.report(
          "plan/vm-policy-change",
          joinPath(joinPath("vms", planned.index), "policy"),
          `This VM is protected with policy '${policyName}' today; it will move to '${planned.policy.name}' (its recovery points are kept).`,
        );
      }
      return;
    }
    const vault = vaults.get(vaultName.toLowerCase());
    if (vault === undefined) return; // protected in a vault outside the plan: nothing here counts it
    const policy = isKnown(policyName) ? policyNamed(ctx, vault, policyName) : undefined;
    const label = vmId.split("/").pop() ?? vmId;
    members.get(vault)!.push({ vmId, label, path, policy });
  });
}

function summarizeVault(vault: VaultEntry, list: Member[], estimates: VmEstimate[]): VaultSummary {
  const mine = estimates.filter((e) => e.vault === vault.name);
  const location = isKnown(vault.parsed.location) ? vault.parsed.location : "";
  return {
    name: vault.name,
    location,
    vms: list.length,
    policies: [...vault.policies.values()].filter((p) => p.index >= 0).length,
    protectedInstanceGb: mine.reduce((s, e) => s + e.protectedInstanceGb, 0),
    billingUnits: mine.reduce((s, e) => s + e.billing.units, 0),
    smallInstances: mine.filter((e) => e.billing.tier === "small").length,
  };
}

/** The member that takes a count over `limit`: the first from the plan at or after position `limit`. */
function offender(list: readonly Member[], limit: number): Member {
  const ordered = [...list.filter((m) => m.planIndex === undefined), ...list.filter((m) => m.planIndex !== undefined)];
  return ordered.slice(limit).find((m) => m.planIndex !== undefined) ?? ordered[limit] ?? ordered[ordered.length - 1]!;
}

function checkVmsPerVault(ctx: RuleContext, vault: VaultEntry, list: Member[]): void {
  const max = ctx.limit("vmsPerVault");
  if (list.length <= max) return;
  const culprit = offender(list, max);
  ctx.report("plan/vms-per-vault", culprit.planIndex === undefined ? joinPath("vaults", vault.index) : joinPath(culprit.path, "vault"), `Vault '${vault.name}' would protect ${list.length} VMs; a vault protects at most ${max}.`, {
    limit: "vmsPerVault",
    remedy: `Spread the VMs over ${Math.ceil(list.length / max)} vaults in ${isKnown(vault.parsed.location) ? vault.parsed.location : "the region"}.`,
  });
}

function checkVmsPerPolicy(ctx: RuleContext, vault: VaultEntry, list: Member[]): void {
  const max = ctx.limit("vmsPerPolicy");
  if (max === null) return;
  for (const policy of vault.policies.values()) {
    const users = list.filter((m) => m.policy === policy);
    if (users.length <= max) continue;
    const culprit = offender(users, max);
    ctx.report("plan/vms-per-policy", joinPath(culprit.path, "policy"), `Policy '${policy.name}' in vault '${vault.name}' would protect ${users.length} VMs; the limit is ${max}.`, {
      limit: "vmsPerPolicy",
      remedy: "Split the VMs over several policies with staggered start times.",
    });
  }
}

function knownSchedule(policy: ParsedPolicy): KnownSchedule | undefined {
  const s = policy.schedule;
  if (!isKnown(s.frequency) || !isKnown(s.time) || !isKnown(s.weekdays) || !isKnown(policy.timeZone)) return undefined;
  if (s.frequency === "Hourly" && (!isKnown(s.hourInterval) || !isKnown(s.hourWindow))) return undefined;
  return {
    frequency: s.frequency,
    time: s.time,
    weekdays: s.weekdays,
    hourInterval: isKnown(s.hourInterval) ? s.hourInterval : undefined,
    hourWindow: isKnown(s.hourWindow) ? s.hourWindow : undefined,
  };
}

function describeSchedule(policy: PolicyEntry): string {
  const s = knownSchedule(policy.parsed);
  const tz = isKnown(policy.parsed.timeZone) ? policy.parsed.timeZone : "UTC";
  if (s === undefined) return "";
  const at = formatTimeOfDay(s.time);
  if (s.frequency === "Weekly") return `weekly on ${s.weekdays.join(", ")} at ${at} ${tz}`;
  if (s.frequency === "Hourly") return `every ${s.hourInterval} hours from ${at} for ${s.hourWindow} hours ${tz}`;
  return `daily at ${at} ${tz}`;
}

/** A slot: a UTC minute of the week at one reference date. */
const slotKey = (reference: number, minute: number): number => reference * MINUTES_PER_WEEK + minute;

/** A policy's UTC starts per reference date (`utcRunsOfWeek`), computed once per policy; none when its schedule is not known. */
function policyRuns(policy: PolicyEntry): number[][] {
  if (policy.runs === undefined) {
    const schedule = knownSchedule(policy.parsed);
    policy.runs = schedule === undefined ? [] : utcRunsOfWeek(policy.parsed.timeZone as string, schedule);
  }
  return policy.runs;
}

/** The members starting a backup in each slot, for members whose policy schedule is known. */
function runsByMember(list: readonly Member[]): Map<number, Member[]> {
  const slots = new Map<number, Member[]>();
  for (const member of list) {
    if (member.policy === undefined) continue;
    policyRuns(member.policy).forEach((minutes, reference) => {
      for (const minute of minutes) {
        const key = slotKey(reference, minute);
        const at = slots.get(key);
        if (at === undefined) slots.set(key, [member]);
        else at.push(member);
      }
    });
  }
  return slots;
}

/** VMs per schedule: in one vault, VMs that start a backup at the same UTC time. Returns the busiest start. */
function checkSchedules(ctx: RuleContext, vault: VaultEntry, list: readonly Member[]): VaultSummary["busiestStart"] {
  const slots = runsByMember(list);
  const max = ctx.limit("vmsPerSchedule");
  // A crowd is the set of policies starting together; the same crowd recurs on several days, and at
  // two UTC times when daylight saving time moves it, but is reported once.
  const crowds = new Map<string, { members: Member[]; minutes: Set<number>; references: Set<number> }>();
  let busiest: { count: number; minutes: Set<number> } | undefined;
  for (const [key, members] of slots) {
    const reference = Math.floor(key / MINUTES_PER_WEEK);
    const minute = key % MINUTES_PER_WEEK;
    if (busiest === undefined || members.length > busiest.count) busiest = { count: members.length, minutes: new Set([minute]) };
    else if (members.length === busiest.count) busiest.minutes.add(minute);
    if (members.length <= max) continue;
    const signature = [...new Set(members.map((m) => m.policy!.name))].sort().join("\u0000");
    const crowd = crowds.get(signature) ?? { members, minutes: new Set<number>(), references: new Set<number>() };
    crowd.minutes.add(minute);
    crowd.references.add(reference);
    crowds.set(signature, crowd);
  }
  for (const { members, minutes, references } of crowds.values()) {
    const policies = [...new Set(members.map((m) => m.policy!))];
    const parts = policies.map((p) => `'${p.name}' (${describeSchedule(p)}: ${members.filter((m) => m.policy === p).length} VMs)`);
    const dst = references.size < REFERENCE_DATES.length ? " on some dates, as daylight saving time moves the schedules" : "";
    const culprit = offender(members, max);
    ctx.report(
      "plan/vms-per-schedule",
      culprit.planIndex === undefined ? joinPath("vaults", vault.index) : joinPath(culprit.path, "policy"),
      `Vault '${vault.name}': ${members.length} VMs start their backup at ${describeStarts(minutes)}${dst}, from ${policies.length === 1 ? "policy" : "policies"} ${parts.join(" and ")}; at most ${max} VMs in one vault may start at the same time.`,
      {
        limit: "vmsPerSchedule",
        remedy: `Move ${members.length - max} or more of these VMs to a policy that starts at another time (e.g. 30 minutes later).`,
      },
    );
  }
  if (busiest === undefined) return undefined;
  const first = Math.min(...busiest.minutes) % MINUTES_PER_DAY;
  const days = [...busiest.minutes].filter((m) => m % MINUTES_PER_DAY === first).map((m) => describeMinuteOfWeek(m).weekday);
  return { vms: busiest.count, timeUtc: formatTimeOfDay(first), weekdays: sortWeekdays([...new Set(days)]) };
}

/** "20:30 UTC every day", "20:30 UTC on Sunday", "19:30 / 20:30 UTC every day". */
function describeStarts(minutesOfWeek: ReadonlySet<number>): string {
  const times = [...new Set([...minutesOfWeek].map((m) => m % MINUTES_PER_DAY))].sort((a, b) => a - b);
  const days = sortWeekdays([...new Set([...minutesOfWeek].map((m) => describeMinuteOfWeek(m).weekday))]);
  const when = days.length === WEEKDAYS.length ? "every day" : `on ${days.join(", ")}`;
  return `${times.map(formatTimeOfDay).join(" / ")} UTC ${when}`;
}

function sortWeekdays(days: Weekday[]): Weekday[] {
  return [...days].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}

/** Unmanaged disks of one storage account backed up by the same schedule, across vaults. */
function checkStorageAccounts(ctx: RuleContext, members: readonly Member[]): void {
  const max = ctx.limit("unmanagedDisksPerStorageAccountPerSchedule");
  const perSlot = new Map<string, Array<{ member: Member; diskPath: string }>>();
  for (const member of members) {
    if (member.vm === undefined || member.policy === undefined || !isKnown(member.vm.disks)) continue;
    const runs = policyRuns(member.policy);
    for (const disk of member.vm.disks) {
      if (disk.managed || !disk.backedUp || disk.storageAccount === undefined) continue;
      runs.forEach((minutes, reference) => {
        for (const minute of minutes) {
          const key = `${disk.storageAccount!.toLowerCase()}|${reference}:${minute}`;
          const entry = { member, diskPath: joinPath(member.path, disk.path) };
          const at = perSlot.get(key);
          if (at === undefined) perSlot.set(key, [entry]);
          else at.push(entry);
        }
      });
    }
  }
  const reported = new Set<string>();
  for (const [key, disks] of perSlot) {
    if (disks.length <= max) continue;
    const account = key.split("|")[0]!;
    if (reported.has(account)) continue;
    reported.add(account);
    const minute = Number(key.split(":")[1]);
    const vms = new Set(disks.map((d) => d.member.label));
    ctx.report(
      "plan/unmanaged-disks-per-storage-account",
      joinPath(disks[max]!.diskPath, "storageAccount"),
      `${disks.length} unmanaged disks of storage account '${account}' (on ${vms.size} VMs) are backed up at ${formatTimeOfDay(minute % MINUTES_PER_DAY)} UTC; at most ${max} disks of one storage account should share a schedule.`,
      {
        limit: "unmanagedDisksPerStorageAccountPerSchedule",
        remedy: "Spread these VMs over policies with different start times, or move disks to other storage accounts (or to managed disks).",
      },
    );
  }
}

/** Whether the first backup, and an incremental backup of a fully changed disk, fit the backup window. */
function checkBackupWindow(ctx: RuleContext, estimate: ProtectedInstanceEstimate, policy: PolicyEntry | undefined): void {
  const schedule = policy === undefined ? undefined : knownSchedule(policy.parsed);
  const hourly = schedule?.frequency === "Hourly" && schedule.hourInterval !== undefined;
  const windowHours = hourly ? schedule!.hourInterval! : ctx.limit("backupWindowHours");
  const windowText = hourly ? `the ${windowHours}-hour interval between backups` : `the ${windowHours}-hour backup window`;
  if (estimate.initialBackupHours > windowHours) {
    const slowest = estimate.disks.reduce((a, b) => (b.initialBackupHours > a.initialBackupHours ? b : a));
    ctx.report(
      "plan/initial-backup-window",
      "",
      `The first backup of this VM will take about ${estimate.initialBackupHours.toFixed(1)} hours (${slowest.disk}, ${Math.round(slowest.usedGb)} GB at ${ctx.limit("initialBackupMbps")} Mbps), longer than ${windowText}; the next scheduled backups wait for it.`,
      { limit: "initialBackupMbps", remedy: "Expect the first recovery point after this time; later incremental backups are faster." },
    );
  }
  const capacity = incrementalCapacityGb(ctx, windowHours);
  const largest = estimate.disks.reduce<{ usedGb: number; disk: string } | undefined>((a, b) => (a === undefined || b.usedGb > a.usedGb ? b : a), undefined);
  if (largest !== undefined && largest.usedGb > capacity) {
    ctx.report(
      "plan/incremental-backup-window",
      "",
      `${largest.disk} holds ${Math.round(largest.usedGb)} GB; if more than ${Math.floor(capacity)} GB of it changes between backups, the incremental backup will not finish within ${windowText}.`,
      { limit: "incrementalBackupMbps", remedy: "Spread the data over more disks (they back up in parallel) or back up less often." },
    );
  }
}
