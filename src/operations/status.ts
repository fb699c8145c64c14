/**
 * "Are we backed up?": per vault, each protected VM's protection state, health, last backup and newest recovery point
 * with its consistency; the jobs of the last 24 hours counted by status, as the vault's dashboard counted them ("the
 * number of jobs from the last 24 hours that were successful, have failed, and are still in progress": seed 003,
 * Back up Azure virtual machines, 2015); the failed ones with what to do; and a verdict per VM (src/rules/backup-status.ts):
 * its last backup failed, or it is overdue for its policy's schedule. `ok` is false when any VM's is.
 */
import {
  formatVaultId,
  judgeBackup,
  parseVaultId,
  policySchedule,
  RULES,
  SCHEDULED_START_WINDOW_MS,
  schedulePeriodMs,
  type BackupVerdict,
  type Policy,
  type RuleCode,
  type Severity,
  type VaultRef,
  VERDICT_RULES,
} from "../rules";
import {
  clientsFor,
  listJobsBetween,
  listProtectedVmRecords,
  listRecoveryServicesVaults,
  listVmPolicies,
  readJob,
  readRecoveryPointAt,
  readVaultLocation,
  type AzureClients,
  type JobError,
  type JobRecord,
  type ProtectedVmRecord,
  type RecoveryPointSummary,
} from "../azure";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The job statuses the counts name (JobStatus in bms.json); `Cancelling` counts as Cancelled, anything else as Other. */
export const JOB_STATUSES = ["Completed", "CompletedWithWarnings", "Failed", "InProgress", "Cancelled"] as const;
export type JobStatusName = (typeof JOB_STATUSES)[number];

/** A mistake in what the user asked for (a vault id that is not one): reported in one line. */
export class StatusError extends Error {}

export interface BackupStatusOptions {
  /** Vaults by ARM id; none: every Recovery Services vault of the clients' subscription. */
  vaults?: readonly string[];
  /** The time to judge at; default: the service's own clock (the Date header of its answers), else this machine's. */
  now?: Date;
  /** Recovery points and failed jobs read at once per vault (default 8). */
  concurrency?: number;
}

export interface StatusFinding {
  code: RuleCode;
  severity: Severity;
  message: string;
  remedy: string;
  source?: string;
}

export interface LatestRecoveryPoint {
  name: string;
  /** ISO time of the point. */
  time: string;
  /** AppConsistent, FileSystemConsistent or CrashConsistent (Azure's recoveryPointType). */
  consistency: string;
}

export interface VmBackupStatus {
  vmName: string;
  vmId: string;
  policyName?: string;
  /** e.g. "Daily at 20:30 (UTC)". */
  schedule?: string;
  protectionState: string;
  /** Azure's healthStatus of the item (Passed, ActionRequired, ActionSuggested). */
  health: string;
  lastBackupStatus: string;
  /** ISO. */
  lastBackupTime?: string;
  latestRecoveryPoint?: LatestRecoveryPoint;
  verdict: BackupVerdict;
  /** ISO time of the scheduled run the verdict was judged against. */
  dueRun?: string;
  finding?: StatusFinding;
}

export interface FailedJob {
  jobId: string;
  vmName: string;
  operation: string;
  /** ISO. */
  startTime?: string;
  endTime?: string;
  errors: JobError[];
  whatToDo: string;
}

export interface VaultBackupStatus {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  vms: VmBackupStatus[];
  jobs: {
    /** ISO bounds of the window: the last 24 hours. */
    since: string;
    until: string;
    counts: Record<JobStatusName, number> & { Other: number };
    failed: FailedJob[];
  };
}

export interface BackupStatusReport {
  /** ISO time the status was judged at. */
  at: string;
  vaults: VaultBackupStatus[];
  /** False when a VM's last backup failed or a VM is overdue. */
  ok: boolean;
  counts: { vms: number; failed: number; overdue: number; pendingFirstBackup: number };
}

/** What to do about a failed job's error when the job gives no recommendation (DOCS.vmBackupTroubleshoot). */
const WHAT_TO_DO: Record<string, string> = {
  BCMV2VMNotFound:
    "The VM no longer exists: recreate it with the same name in the same resource group, or stop its protection and keep its backup data (Microsoft's troubleshooting page for VM backup).",
  BMSUserErrorObjectNotFound: "The VM's protection was removed while the backup ran: protect it again if it should be backed up.",
};

/** Status of the vaults' protected VMs. */
export async function getBackupStatus(clients: AzureClients, options: BackupStatusOptions = {}): Promise<BackupStatusReport> {
  const refs = await vaultsOf(clients, options.vaults);
  const vaults: VaultBackupStatus[] = [];
  let at: number | undefined = options.now?.getTime();
  for (const ref of refs) {
    // A vault of another subscription is read with clients of its subscription, configured alike.
    const c = ref.subscriptionId.toLowerCase() === clients.subscriptionId.toLowerCase() ? clients : clientsFor(clients.settings, ref.subscriptionId);
    const status = await vaultStatus(c, ref, options);
    at ??= Date.parse(status.jobs.until);
    vaults.push(status);
  }
  const all = vaults.flatMap((v) => v.vms);
  const count = (verdict: BackupVerdict) => all.filter((vm) => vm.verdict === verdict).length;
  const failed = count("failed");
  const overdue = count("overdue");
  return {
    at: new Date(at ?? Date.now()).toISOString(),
    vaults,
    ok: failed === 0 && overdue === 0,
    counts: { vms: all.length, failed, overdue, pendingFirstBackup: count("pending-first-backup") },
  };
}

async function vaultsOf(clients: AzureClients, ids: readonly string[] | undefined): Promise<VaultRef[]> {
  if (ids === undefined || ids.length === 0) return await listRecoveryServicesVaults(clients);
  return ids.map((id) => {
    const ref = parseVaultId(id);
    if (ref === undefined) {
      throw new StatusError(
        `--vault '${id}' is not the ARM id of a Recovery Services vault: give /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.RecoveryServices/vaults/<name>.`,
      );
    }
    return ref;
  });
}

/** One vault's status. */
export async function vaultStatus(clients: AzureClients, ref: VaultRef, options: BackupStatusOptions = {}): Promise<VaultBackupStatus> {
  // The vault itself first: a vault that does not exist is one clear error, not an empty status.
  await readVaultLocation(clients, ref);
  let serverNow: number | undefined;
  const items = await listProtectedVmRecords(clients, ref, (ms) => (serverNow ??= ms));
  const now = options.now?.getTime() ?? serverNow ?? Date.now();
  const since = now - DAY;
  const [policies, jobs] = await Promise.all([listVmPolicies(clients, ref), listJobsBetween(clients, ref, since, now)]);
  const limit = Math.max(1, options.concurrency ?? 8);

  const ownerOf = jobOwner(items);
  const protectedSince = await configureTimes(clients, ref, items, policies, jobs, now, ownerOf);
  const points = await mapLimit(items, limit, (item) =>
    item.lastRecoveryPoint === undefined ? Promise.resolve(undefined) : readRecoveryPointAt(clients, ref, item, item.lastRecoveryPoint),
  );
  const failedJobs = jobs.filter((j) => j.status.toLowerCase() === "failed");
  const detailed = await mapLimit(failedJobs, limit, (job) => (job.errors.length > 0 ? Promise.resolve(job) : readJob(clients, ref, job.id)));

  const vms = items.map((item, i) => vmStatus(item, policies, jobs, detailed, points[i], protectedSince.get(item), now, ownerOf));
  const counts = { Completed: 0, CompletedWithWarnings: 0, Failed: 0, InProgress: 0, Cancelled: 0, Other: 0 };
  for (const job of jobs) {
    const status = job.status.toLowerCase() === "cancelling" ? "Cancelled" : JOB_STATUSES.find((s) => s.toLowerCase() === job.status.toLowerCase());
    counts[status ?? "Other"]++;
  }
  return {
    id: formatVaultId(ref),
    name: ref.vaultName,
    resourceGroup: ref.resourceGroupName,
    subscriptionId: ref.subscriptionId,
    vms: vms.sort((a, b) => a.vmName.localeCompare(b.vmName)),
    jobs: { since: new Date(since).toISOString(), until: new Date(now).toISOString(), counts, failed: detailed.map(failedJob) },
  };
}

/**
 * The protected VM a job is about. A job names its VM by its friendly name (entityFriendlyName) and, from Azure, by its
 * container (AzureIaaSVMJob.containerName): the container when the job gives it, else the name, only when no other VM
 * of the vault bears it (two VMs of one name in two resource groups: a job of one is not taken for the other's).
 */
function jobOwner(items: readonly ProtectedVmRecord[]): (job: JobRecord) => ProtectedVmRecord | undefined {
  const tail = (container: string) => container.toLowerCase().replace(/^iaasvmcontainer;/, "");
  const byContainer = new Map<string, ProtectedVmRecord>();
  const byName = new Map<string, ProtectedVmRecord[]>();
  for (const item of items) {
    if (item.containerName !== "") byContainer.set(tail(item.containerName), item);
    const key = item.vmName.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), item]);
  }
  return (job) => {
    if (job.containerName !== undefined) return byContainer.get(tail(job.containerName));
    const named = byName.get(job.vmName.toLowerCase()) ?? [];
    return named.length === 1 ? named[0] : undefined;
  };
}

/**
 * When each never-backed-up VM's protection was configured (its ConfigureBackup job): from the last 24 hours' jobs, and,
 * for VMs whose policy runs less often than daily, from a ConfigureBackup-only list over that period.
 */
async function configureTimes(
  clients: AzureClients,
  ref: VaultRef,
  items: ProtectedVmRecord[],
  policies: Map<string, Policy>,
  jobs: JobRecord[],
  now: number,
  ownerOf: (job: JobRecord) => ProtectedVmRecord | undefined,
): Promise<Map<ProtectedVmRecord, number>> {
  const times = new Map<ProtectedVmRecord, number>();
  const note = (list: JobRecord[]) => {
    for (const job of list) {
      if (job.operation.toLowerCase() !== "configurebackup" || job.startTime === undefined) continue;
      const owner = ownerOf(job);
      if (owner !== undefined) times.set(owner, Math.max(times.get(owner) ?? 0, job.startTime));
    }
  };
  note(jobs);
  let longest = 0;
  for (const item of items) {
    const policy = item.policyName === undefined ? undefined : policies.get(item.policyName.toLowerCase());
    if (item.lastRecoveryPoint !== undefined || policy === undefined || times.has(item)) continue;
    longest = Math.max(longest, schedulePeriodMs(policySchedule(policy)));
  }
  if (longest > DAY) note(await listJobsBetween(clients, ref, now - longest, now, { operation: "ConfigureBackup" }));
  return times;
}

function vmStatus(
  item: ProtectedVmRecord,
  policies: Map<string, Policy>,
  jobs: JobRecord[],
  detailedFailures: JobRecord[],
  point: RecoveryPointSummary | undefined,
  protectedSince: number | undefined,
  now: number,
  ownerOf: (job: JobRecord) => ProtectedVmRecord | undefined,
): VmBackupStatus {
  const policy = item.policyName === undefined ? undefined : policies.get(item.policyName.toLowerCase());
  const schedule = policy === undefined ? undefined : policySchedule(policy);
  const mine = (j: JobRecord) => j.operation.toLowerCase() === "backup" && ownerOf(j) === item;
  const running = jobs.filter((j) => mine(j) && j.status.toLowerCase() === "inprogress" && j.startTime !== undefined);
  const latestPoint = point?.time ?? item.lastRecoveryPoint;
  const judgement = judgeBackup({
    protectionState: item.protectionState,
    softDeleted: item.softDeleted,
    lastBackupStatus: item.lastBackupStatus,
    latestRecoveryPoint: latestPoint,
    policy: schedule,
    protectedSince,
    backupInProgressSince: running.length === 0 ? undefined : Math.max(...running.map((j) => j.startTime!)),
    now,
  });
  const status: VmBackupStatus = {
    vmName: item.vmName,
    vmId: item.vmId,
    ...(item.policyName === undefined ? {} : { policyName: item.policyName }),
    ...(policy === undefined ? {} : { schedule: describeSchedule(policy) }),
    protectionState: item.protectionState,
    health: item.healthStatus,
    lastBackupStatus: item.lastBackupStatus === "" ? "None" : item.lastBackupStatus,
    ...(item.lastBackupTime === undefined ? {} : { lastBackupTime: new Date(item.lastBackupTime).toISOString() }),
    ...(point === undefined
      ? item.lastRecoveryPoint === undefined
        ? {}
        : { latestRecoveryPoint: { name: "", time: new Date(item.lastRecoveryPoint).toISOString(), consistency: "" } }
      : { latestRecoveryPoint: { name: point.name, time: new Date(point.time).toISOString(), consistency: point.consistency } }),
    verdict: judgement.verdict,
    ...(judgement.dueRun === undefined ? {} : { dueRun: new Date(judgement.dueRun).toISOString() }),
  };
  const finding = findingOf(status, policy, detailedFailures.find(mine));
  if (finding !== undefined) status.finding = finding;
  return status;
}

function findingOf(vm: VmBackupStatus, policy: Policy | undefined, failedJob: JobRecord | undefined): StatusFinding | undefined {
  const make = (code: RuleCode, message: string, remedy: string): StatusFinding => ({
    code,
    severity: RULES[code].severity,
    message,
    remedy,
    ...(RULES[code].source === undefined ? {} : { source: RULES[code].source }),
  });
  if (vm.verdict === "failed") {
    const error = failedJob?.errors[0];
    const why = error === undefined ? "" : ` (${error.code}: ${error.message})`;
    const todo = failedJob === undefined ? undefined : whatToDo(failedJob);
    return make(
      VERDICT_RULES.failed!,
      `The last backup of VM '${vm.vmName}' failed${why}.`,
      todo ??
        `Read the failed job's error in the vault's Backup jobs (az backup job list --status Failed), fix its cause, then back the VM up now (az backup protection backup-now).`,
    );
  }
  if (vm.verdict === "overdue") {
    const last = vm.latestRecoveryPoint === undefined ? "it has never been backed up" : `its newest recovery point is of ${vm.latestRecoveryPoint.time}`;
    return make(
      VERDICT_RULES.overdue!,
      `VM '${vm.vmName}' missed its scheduled backup of ${vm.dueRun} (policy '${policy?.name ?? vm.policyName}', ${vm.schedule}; Azure starts a scheduled backup within ${SCHEDULED_START_WINDOW_MS / HOUR} hours): ${last}.`,
      "Look for the VM's Backup jobs in the vault (a job that never started or failed), check that the VM exists and its VM agent runs, then back it up now (az backup protection backup-now).",
    );
  }
  if (vm.verdict === "pending-first-backup") {
    return make(
      VERDICT_RULES["pending-first-backup"]!,
      `VM '${vm.vmName}' was protected recently and waits for its first scheduled backup.`,
      "Nothing to do; back it up now (az backup protection backup-now) to have a recovery point sooner.",
    );
  }
  return undefined;
}

function whatToDo(job: JobRecord): string | undefined {
  const recommended = job.errors.flatMap((e) => e.recommendations).filter((r) => r.trim() !== "");
  if (recommended.length > 0) return recommended.join(" ");
  const known = job.errors.map((e) => WHAT_TO_DO[e.code]).find((r) => r !== undefined);
  return known;
}

function failedJob(job: JobRecord): FailedJob {
  return {
    jobId: job.id,
    vmName: job.vmName,
    operation: job.operation,
    ...(job.startTime === undefined ? {} : { startTime: new Date(job.startTime).toISOString() }),
    ...(job.endTime === undefined ? {} : { endTime: new Date(job.endTime).toISOString() }),
    errors: job.errors,
    whatToDo:
      whatToDo(job) ??
      `Open the job (az backup job show --name ${job.id}) and follow its error's recommendation; Microsoft's troubleshooting page for VM backup lists the errors and their fixes.`,
  };
}

function describeSchedule(policy: Policy): string {
  const s = policy.schedule;
  const zone = policy.timeZone;
  if (s.frequency === "Weekly") return `Weekly on ${s.weekdays.join(", ")} at ${s.time} (${zone})`;
  if (s.frequency === "Hourly") return `Every ${s.hourInterval ?? "?"} hours for ${s.hourWindow ?? "?"} hours from ${s.time} (${zone})`;
  return `Daily at ${s.time} (${zone})`;
}

/** Runs `work` over `items`, at most `limit` at once, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
