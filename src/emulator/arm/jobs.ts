/** Backup jobs (list with `$filter`, get) and recovery points (list, get) (api 2023-06-01). */
import { ArmError, notFound, ok, type EmulatorRequest } from "../http";
import { itemKey } from "../model/records";
import type { VaultRecord } from "../state";
import { pageOf, renderJob, renderRecoveryPoint } from "./render";
import { VAULT_PATH, type Services } from "./services";

/** `$filter` terms `key eq 'value'` joined by `and` (JobQueryObject, BmsrpQueryObject). */
export function filterTerms(filter: string | undefined): Map<string, string> {
  const terms = new Map<string, string>();
  for (const match of (filter ?? "").matchAll(/(\w+)\s+eq\s+'([^']*)'/gi)) terms.set(match[1]!.toLowerCase(), match[2]!);
  return terms;
}

/** Dates in filters: the clients' "2024-01-01 12:00:00 AM" (azure-cli get_filter_string) or ISO 8601. */
export function filterDate(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (AM|PM)$/i.exec(text.trim());
  if (m === null) {
    const iso = Date.parse(text);
    if (Number.isNaN(iso)) throw new ArmError(400, "BMSUserErrorInvalidInput", `'${text}' is not a date.`);
    return iso;
  }
  const hour12 = Number(m[4]) % 12;
  const hour = m[7]!.toUpperCase() === "PM" ? hour12 + 12 : hour12;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, Number(m[5]), Number(m[6]));
}

export function registerJobs(s: Services): void {
  const { router, model } = s;
  const findVault = (r: EmulatorRequest): VaultRecord => {
    const v = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (v === undefined) throw notFound("Microsoft.RecoveryServices/vaults", r.params.vaultName!, r.params.resourceGroupName!);
    return v;
  };

  router.add("GET", `${VAULT_PATH}/backupJobs`, (r) => {
    const vault = findVault(r);
    const terms = filterTerms(r.query.get("$filter"));
    const start = terms.has("starttime") ? filterDate(terms.get("starttime")!) : undefined;
    const end = terms.has("endtime") ? filterDate(terms.get("endtime")!) : undefined;
    const jobs = vault.jobs
      .filter((j) => !terms.has("operation") || j.operation.toLowerCase() === terms.get("operation")!.toLowerCase())
      .filter((j) => !terms.has("status") || j.status.toLowerCase() === terms.get("status")!.toLowerCase())
      .filter((j) => !terms.has("jobid") || j.id.toLowerCase() === terms.get("jobid")!.toLowerCase())
      .filter(() => !terms.has("backupmanagementtype") || terms.get("backupmanagementtype")!.toLowerCase() === "azureiaasvm")
      .filter((j) => (start === undefined || j.startTime >= start) && (end === undefined || j.startTime <= end))
      .sort((a, b) => b.startTime - a.startTime);
    const now = model.now();
    return ok(pageOf(r, jobs, (j) => renderJob(vault, j, now), s.pageSize, "$skipToken"));
  });

  router.add("GET", `${VAULT_PATH}/backupJobs/{jobName}`, (r) => {
    const vault = findVault(r);
    const job = vault.jobs.find((j) => j.id.toLowerCase() === r.params.jobName!.toLowerCase());
    if (job === undefined) throw new ArmError(404, "BMSUserErrorJobNotFound", `Job '${r.params.jobName}' was not found in vault '${vault.name}'.`);
    return ok(renderJob(vault, job, model.now()));
  });

  const itemPath = `${VAULT_PATH}/backupFabrics/{fabricName}/protectionContainers/{containerName}/protectedItems/{protectedItemName}`;
  const findItem = (r: EmulatorRequest, vault: VaultRecord) => {
    const key = itemKey(r.params.containerName!, r.params.protectedItemName!);
    const item = vault.items.find((i) => i.key === key);
    if (item === undefined)
      throw new ArmError(404, "BMSUserErrorObjectNotFound", `Backup item '${r.params.protectedItemName}' was not found in vault '${vault.name}'.`);
    return item;
  };
  router.add("GET", `${itemPath}/recoveryPoints`, (r) => {
    const vault = findVault(r);
    const item = findItem(r, vault);
    const terms = filterTerms(r.query.get("$filter"));
    const start = terms.has("startdate") ? filterDate(terms.get("startdate")!) : undefined;
    const end = terms.has("enddate") ? filterDate(terms.get("enddate")!) : undefined;
    const points = item.recoveryPoints
      .filter((rp) => (start === undefined || rp.time >= start) && (end === undefined || rp.time <= end))
      .sort((a, b) => b.time - a.time);
    const size = model.vm(item.vmId)?.vmSize;
    return ok({ value: points.map((rp) => renderRecoveryPoint(vault, item, rp, model.now(), size)), nextLink: null });
  });
  router.add("GET", `${itemPath}/recoveryPoints/{recoveryPointId}`, (r) => {
    const vault = findVault(r);
    const item = findItem(r, vault);
    const rp = item.recoveryPoints.find((p) => p.name === r.params.recoveryPointId);
    if (rp === undefined) throw new ArmError(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${r.params.recoveryPointId}' was not found.`);
    return ok(renderRecoveryPoint(vault, item, rp, model.now(), model.vm(item.vmId)?.vmSize));
  });
}
