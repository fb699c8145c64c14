/**
 * The used data Azure measured for a protected VM. The protected item itself reports no size (AzureIaaSVMProtectedItem
 * and its extendedInfo in bms.json 2025-08-01 of Azure/azure-rest-api-specs, specification/recoveryservicesbackup/
 * resource-manager/Microsoft.RecoveryServices/stable/2025-08-01/bms.json: dates, recovery point count, health; and the
 * vault's usage summaries only count items: BMSBackupSummariesQueryObject). What ARM does report is the data each Backup
 * job sent to the vault, the job's `extendedInfo.propertyBag["Backup Size"]` ("2332 MB" in the job example of
 * https://github.com/MicrosoftDocs/azure-docs/blob/b110c3104272fc472a65ef3ce32abf0caa0da10b/articles/backup/backup-azure-arm-userestapi-managejobs.md).
 * Only the VM's first backup sends all of its used data; later ones send what changed ("stores only the changed data
 * (incremental backup)", DOCS.vmBackupPlanning2018 in rules/sources.ts). So the figure is the Backup Size of the VM's
 * first completed Backup job, and only when it is certain that job is the first: Azure still lists the job that
 * configured the VM's protection (ConfigureBackup), and the item has no recovery point older than that job (else the
 * listed job re-configured an item that already had backups: a policy change, or protection resumed).
 */
import type { AzureClients } from "./clients";
import { attempt } from "./errors";
import type { ItemNames, VaultRef } from "./ids";

/** Used data of a protected VM as its first, full backup measured it. */
export interface MeasuredUsedData {
  /** GB (GiB, as Azure sizes disks): the first backup's "Backup Size". */
  gb: number;
  /** The Backup job that measured it. */
  jobId: string;
}

interface JobFacts {
  id: string;
  operation: string;
  status: string;
  start: number;
  friendlyName: string;
  backupSize: string | undefined;
}

const MB_PER_UNIT: Record<string, number> = { KB: 1 / 1024, MB: 1, GB: 1024, TB: 1024 * 1024 };

/** "2332 MB" (and KB, GB, TB) as GB; undefined when it is not a size. */
export function parseBackupSize(text: string | undefined): number | undefined {
  const m = /^\s*([\d.]+)\s*(KB|MB|GB|TB)\s*$/i.exec(text ?? "");
  if (m === null) return undefined;
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return undefined;
  return (value * MB_PER_UNIT[m[2]!.toUpperCase()]!) / 1024;
}

/**
 * The used data of the VM's backed-up disks as its first backup measured it, or undefined when Azure does not (or no
 * longer) shows that backup: no backup completed yet, or the jobs Azure lists start after protection was configured.
 * `item` is the VM's protected item as Azure holds it. `sameNameItems` is how many of the vault's items have this VM's name: jobs name their VM only by its name
 * (`entityFriendlyName`), so with two VMs of the same name the jobs cannot be told apart and nothing is measured.
 */
export async function measuredUsedData(
  c: AzureClients,
  ref: VaultRef,
  names: ItemNames,
  item: { oldestRecoveryPoint?: string; recoveryPoints: number },
  sameNameItems = 1,
): Promise<MeasuredUsedData | undefined> {
  if (sameNameItems > 1 || item.recoveryPoints === 0) return undefined;
  const vmName = names.vm.name.toLowerCase();
  const jobs = await attempt("Listing the backup jobs of", `VM '${names.vm.name}' in vault '${ref.vaultName}'`, async () => {
    const out: JobFacts[] = [];
    for await (const job of c.backup.backupJobs.list(ref.vaultName, ref.resourceGroupName, { filter: "backupManagementType eq 'AzureIaasVM'" })) {
      const p = (job.properties ?? {}) as {
        entityFriendlyName?: string;
        operation?: string;
        status?: string;
        startTime?: Date;
        extendedInfo?: { propertyBag?: Record<string, string> };
      };
      if (job.name === undefined || p.entityFriendlyName?.toLowerCase() !== vmName) continue;
      out.push({
        id: job.name,
        operation: p.operation ?? "",
        status: p.status ?? "",
        start: p.startTime?.getTime() ?? Number.NaN,
        friendlyName: p.entityFriendlyName,
        backupSize: p.extendedInfo?.propertyBag?.["Backup Size"],
      });
    }
    return out.sort((a, b) => a.start - b.start);
  });
  const configured = jobs.find((j) => j.operation === "ConfigureBackup");
  if (configured === undefined) return undefined;
  const oldest = item.oldestRecoveryPoint === undefined ? Number.NaN : Date.parse(item.oldestRecoveryPoint);
  if (Number.isNaN(oldest) || oldest < configured.start) return undefined;
  // The first Backup job after protection was configured; one listed before it belongs to an earlier protection.
  const first = jobs.find((j) => j.operation === "Backup" && j.start >= configured.start && j.status !== "Failed" && j.status !== "Cancelled");
  if (first === undefined || (first.status !== "Completed" && first.status !== "CompletedWithWarnings")) return undefined;
  // The list may leave out extended info; the job's details hold it (same documentation page).
  const size =
    parseBackupSize(first.backupSize) ??
    parseBackupSize(
      (
        (
          await attempt("Reading", `job '${first.id}' in vault '${ref.vaultName}'`, () =>
            c.backup.jobDetails.get(ref.vaultName, ref.resourceGroupName, first.id),
          )
        ).properties as { extendedInfo?: { propertyBag?: Record<string, string> } } | undefined
      )?.extendedInfo?.propertyBag?.["Backup Size"],
    );
  return size === undefined ? undefined : { gb: Math.round(size * 100) / 100, jobId: first.id };
}
