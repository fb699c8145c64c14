/**
 * Reads for "are we backed up?" (src/operations/status.ts): a subscription's vaults, a vault's protected VMs with their
 * backup fields, its policies, its jobs of a time range, a failed job's error details and a VM's newest recovery point.
 * Each list is read fresh (no process cache: a status is asked of the service as it is now).
 *
 * Calls per vault: one protected-item list, one policy list, one job list (a second, ConfigureBackup-only, when a VM
 * never backed up has a policy longer than a day), one job GET per failed backup and one recovery-point list per VM
 * with a recovery point (filtered to that point's time), bounded by `concurrency`: the protected-item list gives the
 * newest point's time (lastRecoveryPoint) but not its consistency.
 */
import type { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import type { FullOperationResponse } from "@azure/core-client";
import { formatContainerName, parseProtectedItemId, resourceNameOf, vmNameOfItemName, parseVaultId, type Policy, type VaultRef } from "../rules";
import type { AzureClients } from "./clients";
import { attempt } from "./errors";
import { fromArmPolicy } from "./policy-body";

/** Before the first backup the service reports 2001-01-01 as lastBackupTime (Compute_ProtectedItem_Get.json, Azure/azure-rest-api-specs). */
const NO_BACKUP_YET = Date.UTC(2002, 0, 1);

export interface VaultSummary extends VaultRef {
  id: string;
  location: string;
}

export interface ProtectedVmRecord {
  itemId: string;
  containerName: string;
  itemName: string;
  vmId: string;
  vmName: string;
  policyName: string | undefined;
  protectionState: string;
  /** protectionStatus (Healthy, Unhealthy, ...). */
  protectionStatus: string;
  /** healthStatus (Passed, ActionRequired, ActionSuggested, Invalid). */
  healthStatus: string;
  lastBackupStatus: string;
  lastBackupTime: number | undefined;
  lastRecoveryPoint: number | undefined;
  softDeleted: boolean;
}

export interface JobError {
  code: string;
  message: string;
  recommendations: string[];
}

export interface JobRecord {
  id: string;
  operation: string;
  status: string;
  /** The VM's name as the job names it (entityFriendlyName). */
  vmName: string;
  /** The container of the job's VM (AzureIaaSVMJob.containerName, iaasvmcontainerv2;<group>;<vm>), when Azure gives it. */
  containerName: string | undefined;
  startTime: number | undefined;
  endTime: number | undefined;
  isUserTriggered: boolean | undefined;
  errors: JobError[];
}

export interface RecoveryPointSummary {
  name: string;
  time: number;
  /** recoveryPointType: AppConsistent, FileSystemConsistent, CrashConsistent (or a combination the service names). */
  consistency: string;
}

const time = (value: unknown): number | undefined => {
  const t = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? undefined : t;
};
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** The subscription's Recovery Services vaults. */
export async function listRecoveryServicesVaults(c: AzureClients): Promise<VaultSummary[]> {
  return attempt("Listing the Recovery Services vaults of", `subscription '${c.subscriptionId}'`, async () => {
    const out: VaultSummary[] = [];
    for await (const vault of c.vaults.vaults.listBySubscriptionId()) {
      const ref = parseVaultId(vault.id ?? "");
      if (ref !== undefined) out.push({ ...ref, id: vault.id!, location: vault.location ?? "" });
    }
    return out;
  });
}

/** The vault's location, or undefined when the vault does not exist. */
export async function readVaultLocation(c: AzureClients, ref: VaultRef): Promise<string> {
  const vault = await attempt("Reading", `vault '${ref.vaultName}' in resource group '${ref.resourceGroupName}'`, () =>
    c.vaults.vaults.get(ref.resourceGroupName, ref.vaultName),
  );
  return vault.location ?? "";
}

/** The vault's protected VMs (soft-deleted ones included), as listed now; `serverTime` receives the service's Date header. */
export async function listProtectedVmRecords(c: AzureClients, ref: VaultRef, serverTime?: (ms: number) => void): Promise<ProtectedVmRecord[]> {
  return attempt("Listing the protected VMs of", `vault '${ref.vaultName}'`, async () => {
    const out: ProtectedVmRecord[] = [];
    const options = {
      filter: "backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'",
      ...(serverTime === undefined ? {} : { onResponse: dateOf(serverTime) }),
    };
    for await (const item of c.backup.backupProtectedItems.list(ref.vaultName, ref.resourceGroupName, options)) {
      const p = (item.properties ?? {}) as Record<string, unknown>;
      const parsed = parseProtectedItemId(item.id ?? "");
      const lastBackup = time(p.lastBackupTime);
      out.push({
        itemId: item.id ?? "",
        containerName: parsed === undefined ? "" : formatContainerName(parsed.vm),
        itemName: item.name ?? "",
        vmId: text(p.sourceResourceId) || text(p.virtualMachineId),
        vmName: text(p.friendlyName) || vmNameOfItemName(item.name ?? ""),
        policyName: text(p.policyName) || (text(p.policyId) === "" ? undefined : resourceNameOf(text(p.policyId))),
        protectionState: text(p.protectionState),
        protectionStatus: text(p.protectionStatus),
        healthStatus: text(p.healthStatus),
        lastBackupStatus: text(p.lastBackupStatus),
        lastBackupTime: lastBackup !== undefined && lastBackup > NO_BACKUP_YET ? lastBackup : undefined,
        lastRecoveryPoint: time(p.lastRecoveryPoint),
        softDeleted: p.isScheduledForDeferredDelete === true,
      });
    }
    return out;
  });
}

/** The vault's VM policies in canonical form, by lower-case name (a policy Azure's body does not describe is left out). */
export async function listVmPolicies(c: AzureClients, ref: VaultRef): Promise<Map<string, Policy>> {
  return attempt("Listing the backup policies of", `vault '${ref.vaultName}'`, async () => {
    const out = new Map<string, Policy>();
    for await (const p of c.backup.backupPolicies.list(ref.vaultName, ref.resourceGroupName, { filter: "backupManagementType eq 'AzureIaasVM'" })) {
      try {
        out.set((p.name ?? "").toLowerCase(), fromArmPolicy(p.name ?? "", p.properties));
      } catch {
        // A policy whose schedule cannot be read: its VMs are reported without an overdue check.
      }
    }
    return out;
  });
}

/**
 * A job `$filter` time as the Azure CLI writes it ("2024-01-01 12:00:00 AM", UTC: `get_filter_string` and its date
 * format in Azure/azure-cli src/azure-cli/azure/cli/command_modules/backup/custom_help.py; the JobQueryObject example
 * ListJobsWithAllSupportedFilters.json of Azure/azure-rest-api-specs uses the same form).
 */
export function jobFilterTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  const hour12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(hour12)}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? "AM" : "PM"}`;
}

function jobOf(resource: { name?: string; properties?: unknown }): JobRecord {
  const p = (resource.properties ?? {}) as Record<string, unknown>;
  const errors = Array.isArray(p.errorDetails) ? (p.errorDetails as Array<Record<string, unknown>>) : [];
  return {
    id: resource.name ?? "",
    operation: text(p.operation),
    status: text(p.status),
    vmName: text(p.entityFriendlyName),
    containerName: text(p.containerName) || undefined,
    startTime: time(p.startTime),
    endTime: time(p.endTime),
    isUserTriggered: typeof p.isUserTriggered === "boolean" ? p.isUserTriggered : undefined,
    errors: errors.map((e) => ({
      code: text(e.errorTitle) || String(e.errorCode ?? ""),
      message: text(e.errorString),
      recommendations: Array.isArray(e.recommendations) ? e.recommendations.map(String) : [],
    })),
  };
}

/** The vault's VM jobs that started between `from` and `to` (ms), newest first. */
export async function listJobsBetween(
  c: AzureClients,
  ref: VaultRef,
  from: number,
  to: number,
  options: { operation?: string; serverTime?: (ms: number) => void } = {},
): Promise<JobRecord[]> {
  const terms = [
    ...(options.operation === undefined ? [] : [`operation eq '${options.operation}'`]),
    "backupManagementType eq 'AzureIaasVM'",
    `startTime eq '${jobFilterTime(from)}'`,
    `endTime eq '${jobFilterTime(to)}'`,
  ];
  return attempt("Listing the backup jobs of", `vault '${ref.vaultName}'`, async () => {
    const out: JobRecord[] = [];
    const list = c.backup.backupJobs.list(ref.vaultName, ref.resourceGroupName, {
      filter: terms.join(" and "),
      ...(options.serverTime === undefined ? {} : { onResponse: dateOf(options.serverTime) }),
    });
    for await (const job of list) out.push(jobOf(job));
    return out.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0));
  });
}

/** One job with its error details (errorDetails: errorTitle, errorString, recommendations; AzureIaaSVMErrorInfo in bms.json). */
export async function readJob(c: AzureClients, ref: VaultRef, jobId: string): Promise<JobRecord> {
  return jobOf(
    await attempt("Reading", `job '${jobId}' in vault '${ref.vaultName}'`, () => c.backup.jobDetails.get(ref.vaultName, ref.resourceGroupName, jobId)),
  );
}

/**
 * The VM's recovery point taken at `at` (its item's lastRecoveryPoint): the recovery-point list filtered to that second
 * (BmsrpQueryObject startDate/endDate, bms.json), so that one small page answers whatever the VM's retention.
 */
export async function readRecoveryPointAt(
  c: AzureClients,
  ref: VaultRef,
  vm: Pick<ProtectedVmRecord, "containerName" | "itemName" | "vmName">,
  at: number,
): Promise<RecoveryPointSummary | undefined> {
  const second = Math.floor(at / 1000) * 1000;
  const filter = `startDate eq '${jobFilterTime(second - 1000)}' and endDate eq '${jobFilterTime(second + 1000)}'`;
  return attempt("Reading the newest recovery point of", `VM '${vm.vmName}' in vault '${ref.vaultName}'`, async () => {
    let best: RecoveryPointSummary | undefined;
    for await (const rp of listPoints(c.backup, ref, vm, filter)) {
      const p = (rp.properties ?? {}) as Record<string, unknown>;
      const t = time(p.recoveryPointTime);
      if (t === undefined) continue;
      if (best === undefined || Math.abs(t - at) < Math.abs(best.time - at)) best = { name: rp.name ?? "", time: t, consistency: text(p.recoveryPointType) };
    }
    return best;
  });
}

function listPoints(backup: RecoveryServicesBackupClient, ref: VaultRef, vm: Pick<ProtectedVmRecord, "containerName" | "itemName">, filter: string) {
  return backup.recoveryPoints.list(ref.vaultName, ref.resourceGroupName, "Azure", vm.containerName, vm.itemName, { filter });
}

/** Passes the response's Date header (the service's clock) on. */
function dateOf(receive: (ms: number) => void): (response: FullOperationResponse) => void {
  return (response) => {
    const date = response.headers.get("date");
    const ms = date === undefined ? NaN : Date.parse(date);
    if (!Number.isNaN(ms)) receive(ms);
  };
}
