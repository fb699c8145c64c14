/**
 * The plan's capacity checks, over the VMs each vault will protect (the plan's and those already in
 * Azure): VMs per vault and per policy, VMs starting at one time in a vault, unmanaged disks of one storage
 * account per schedule, and whether backups fit their window; and each vault's summary.
 */
import { formatTimeOfDay, MINUTES_PER_DAY, WEEKDAYS, type Weekday } from "./calendar";
import type { RuleContext } from "./context";
import { joinPath } from "./diagnostics";
import { incrementalCapacityGb, type ProtectedInstanceEstimate } from "./estimates";
import type { ParsedPolicy } from "./policy-types";
import type { Member, PolicyEntry, StartLoad, VaultEntry, VaultSummary, VmEstimate } from "./plan-types";
import { describeMinuteOfWeek, REFERENCE_DATES, utcRunsOfWeek, type KnownSchedule, type UtcRuns } from "./schedule-slots";
import { utcOffsetMinutes } from "./timezones";
import { isKnown } from "./unknown";

export function summarizeVault(vault: VaultEntry, list: Member[], estimates: VmEstimate[]): VaultSummary {
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

export function checkVmsPerVault(ctx: RuleContext, vault: VaultEntry, list: Member[]): void {
  const max = ctx.limit("vmsPerVault");
  if (list.length <= max) return;
  const culprit = offender(list, max);
  ctx.report(
    "plan/vms-per-vault",
    culprit.planIndex === undefined ? joinPath("vaults", vault.index) : joinPath(culprit.path, "vault"),
    `Vault '${vault.name}' would protect ${list.length} VMs; a vault protects at most ${max}.`,
    {
      limit: "vmsPerVault",
      remedy: `Spread the VMs over ${Math.ceil(list.length / max)} vaults in ${isKnown(vault.parsed.location) ? vault.parsed.location : "the region"}.`,
    },
  );
}

export function checkVmsPerPolicy(ctx: RuleContext, vault: VaultEntry, list: Member[]): void {
  const max = ctx.limit("vmsPerPolicy");
  if (max === null) return;
  for (const policy of vault.policies.values()) {
    const users = list.filter((m) => m.policy === policy);
    if (users.length <= max) continue;
    const culprit = offender(users, max);
    ctx.report(
      "plan/vms-per-policy",
      joinPath(culprit.path, "policy"),
      `Policy '${policy.name}' in vault '${vault.name}' would protect ${users.length} VMs; the limit is ${max}.`,
      {
        limit: "vmsPerPolicy",
        remedy: "Split the VMs over several policies with staggered start times.",
      },
    );
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

/** A policy's UTC starts per offset of its zone (`utcRunsOfWeek`), computed once per policy; none when its schedule is not known. */
function policyRuns(policy: PolicyEntry): UtcRuns[] {
  if (policy.runs === undefined) {
    const schedule = knownSchedule(policy.parsed);
    policy.runs = schedule === undefined ? [] : utcRunsOfWeek(policy.parsed.timeZone as string, schedule);
  }
  return policy.runs;
}

/**
 * The members that may start a backup at each UTC minute of the week. Azure keeps one offset per zone all year
 * and does not say which (schedule-slots.ts): each zone counts at whichever of its offsets puts most members at
 * that minute, independently of other zones. `zones` lists the zones with two offsets among them.
 */
function runsByMember(list: readonly Member[]): Map<number, { members: Member[]; zones: Set<string> }> {
  // The members of each policy, in the list's order; policies in the order of their first member. Members of one policy
  // share its runs, so the runs are walked once per policy, not once per member (a vault of 1,000 VMs is checked again in
  // every VM's check).
  const groups = new Map<PolicyEntry, Member[]>();
  const order = new Map<Member, number>();
  list.forEach((member, index) => {
    if (member.policy === undefined) return;
    order.set(member, index);
    const group = groups.get(member.policy);
    if (group === undefined) groups.set(member.policy, [member]);
    else group.push(member);
  });
  // minute -> zone -> offset -> the policies' member lists
  const byMinute = new Map<number, Map<string, Map<number, Member[][]>>>();
  for (const [policy, members] of groups) {
    const zone = (policy.parsed.timeZone as string | undefined) ?? "UTC";
    for (const { offset, minutes } of policyRuns(policy)) {
      for (const minute of minutes) {
        let zones = byMinute.get(minute);
        if (zones === undefined) byMinute.set(minute, (zones = new Map()));
        let offsets = zones.get(zone);
        if (offsets === undefined) zones.set(zone, (offsets = new Map()));
        const at = offsets.get(offset);
        if (at === undefined) offsets.set(offset, [members]);
        else at.push(members);
      }
    }
  }
  // Members at one offset, in the list's order (as if each member had been walked in turn).
  const merged = (lists: Member[][]): Member[] => (lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => order.get(a)! - order.get(b)!));
  const slots = new Map<number, { members: Member[]; zones: Set<string> }>();
  for (const [minute, zones] of byMinute) {
    const members: Member[] = [];
    const twoOffsets = new Set<string>();
    for (const [zone, offsets] of zones) {
      let best: Member[] = [];
      for (const lists of offsets.values()) {
        const count = lists.reduce((n, l) => n + l.length, 0);
        if (count > best.length) best = merged(lists);
      }
      members.push(...best);
      const policy = best[0]?.policy;
      if (policy !== undefined && policyRuns(policy).length > 1) twoOffsets.add(zone);
    }
    slots.set(minute, { members, zones: twoOffsets });
  }
  return slots;
}

/**
 * VMs per schedule: in one vault, VMs that start a backup at the same UTC time. Azure keeps each zone's
 * policies at one UTC offset all year (no daylight-saving adjustment), an offset it does not document, so a
 * crowd is counted when it can happen under some choice of those offsets. Returns the busiest start.
 */
export function checkSchedules(ctx: RuleContext, vault: VaultEntry, list: readonly Member[]): VaultSummary["busiestStart"] {
  const slots = runsByMember(list);
  const max = ctx.limit("vmsPerSchedule");
  // A crowd is the set of policies starting together; the same crowd recurs on several days, and at two UTC
  // times when a zone has two offsets, but is reported once.
  const crowds = new Map<string, { members: Member[]; minutes: Set<number>; uncertainZones: Set<string> }>();
  let busiest: { count: number; minutes: Set<number> } | undefined;
  for (const [minute, { members, zones }] of slots) {
    if (busiest === undefined || members.length > busiest.count) busiest = { count: members.length, minutes: new Set([minute]) };
    else if (members.length === busiest.count) busiest.minutes.add(minute);
    if (members.length <= max) continue;
    const signature = [...new Set(members.map((m) => m.policy!.name))].sort().join("\u0000");
    const crowd = crowds.get(signature) ?? { members, minutes: new Set<number>(), uncertainZones: new Set<string>() };
    crowd.minutes.add(minute);
    for (const zone of zones) crowd.uncertainZones.add(zone);
    crowds.set(signature, crowd);
  }
  for (const { members, minutes, uncertainZones } of crowds.values()) {
    const policies = [...new Set(members.map((m) => m.policy!))];
    const parts = policies.map((p) => `'${p.name}' (${describeSchedule(p)}: ${members.filter((m) => m.policy === p).length} VMs)`);
    const zones = [...uncertainZones].sort();
    const dst =
      zones.length === 0
        ? ""
        : ` Azure runs a policy at one UTC time all year, not adjusted for daylight saving time, and does not document which offset of ${zones.join(" and ")} it keeps: each is counted at the offset that gives most VMs.`;
    const culprit = offender(members, max);
    ctx.report(
      "plan/vms-per-schedule",
      culprit.planIndex === undefined ? joinPath("vaults", vault.index) : joinPath(culprit.path, "policy"),
      `Vault '${vault.name}': ${members.length} VMs start their backup at ${describeStarts(minutes)}, from ${policies.length === 1 ? "policy" : "policies"} ${parts.join(" and ")}; at most ${max} VMs in one vault may start at the same time.${dst}`,
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

/**
 * VMs starting a backup at each UTC time of day in one vault, each zone at its offset on `date` (default mid-January:
 * standard time in the northern hemisphere), on the busiest day of the week. Unlike `checkSchedules`, which counts the
 * worst case of every zone's two offsets, this is one coherent picture, for a chart: with daylight saving time a zone's
 * starts all move together by its difference.
 */
export function startLoad(ctx: RuleContext, list: readonly Member[], date: Date = REFERENCE_DATES[0]!): StartLoad {
  const perMinute = new Map<number, number>();
  const counted = new Map<PolicyEntry, number[]>();
  for (const member of list) {
    if (member.policy === undefined) continue;
    let minutes = counted.get(member.policy);
    if (minutes === undefined) {
      const runs = policyRuns(member.policy);
      const zone = (member.policy.parsed.timeZone as string | undefined) ?? "UTC";
      const offset = runs.length > 1 ? utcOffsetMinutes(zone, date) : undefined;
      minutes = (runs.find((r) => r.offset === offset) ?? runs[0])?.minutes ?? [];
      counted.set(member.policy, minutes);
    }
    for (const minute of minutes) perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  const perTime = new Map<number, number>();
  for (const [minute, vms] of perMinute) {
    const time = minute % MINUTES_PER_DAY;
    perTime.set(time, Math.max(perTime.get(time) ?? 0, vms));
  }
  return {
    date: date.toISOString().slice(0, 10),
    limit: ctx.limit("vmsPerSchedule"),
    starts: [...perTime.entries()].sort(([a], [b]) => a - b).map(([time, vms]) => ({ timeUtc: formatTimeOfDay(time), vms })),
  };
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
export function checkStorageAccounts(ctx: RuleContext, members: readonly Member[]): void {
  const max = ctx.limit("unmanagedDisksPerStorageAccountPerSchedule");
  const perSlot = new Map<string, Array<{ member: Member; diskPath: string }>>();
  for (const member of members) {
    if (member.vm === undefined || member.policy === undefined || !isKnown(member.vm.disks)) continue;
    const runs = policyRuns(member.policy);
    for (const disk of member.vm.disks) {
      if (disk.managed || !disk.backedUp || disk.storageAccount === undefined) continue;
      // Any offset of the zone: the safe reading, as for VMs per schedule.
      for (const minute of new Set(runs.flatMap((r) => r.minutes))) {
        const key = `${disk.storageAccount!.toLowerCase()}|${minute}`;
        const entry = { member, diskPath: joinPath(member.path, disk.path) };
        const at = perSlot.get(key);
        if (at === undefined) perSlot.set(key, [entry]);
        else at.push(entry);
      }
    }
  }
  const reported = new Set<string>();
  for (const [key, disks] of perSlot) {
    if (disks.length <= max) continue;
    const account = key.split("|")[0]!;
    if (reported.has(account)) continue;
    reported.add(account);
    const minute = Number(key.split("|")[1]);
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
export function checkBackupWindow(ctx: RuleContext, estimate: ProtectedInstanceEstimate, policy: PolicyEntry | undefined): void {
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
