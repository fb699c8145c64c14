/**
 * File recovery (mount a recovery point's disks with the script Azure Backup provisions): what a request must name,
 * how long a mount lives and how the script is run. Pure: the Azure calls are src/azure/file-recovery.ts.
 */
import type { Diagnostic } from "./diagnostics";
import { RULES, type RuleCode } from "./catalog";
import { parseVaultId, parseVmId } from "./arm-id";
import { cite } from "./sources";

/** Microsoft Learn, "Recover files from Azure virtual machine backup" (today's page). */
export const FILE_RECOVERY_DOC =
  "Recover files from Azure virtual machine backup (Microsoft Learn) <https://learn.microsoft.com/azure/backup/backup-azure-restore-files-from-vm>";

/** How long a provisioned script (its mount) lives, unless unmounted first. */
export const FILE_RECOVERY_MOUNT_HOURS = 12;
export const FILE_RECOVERY_MOUNT_SOURCE = cite(
  FILE_RECOVERY_DOC,
  "The script gives read-only access to a recovery point and is valid for only 12 hours. If you wish to remove the access earlier, [...] perform unmount disks for that particular recovery point",
);

/** How Microsoft says to run the script on each OS (the same page: "Step 2" and "Identifying volumes"). */
export function howToRunScript(osType: "Windows" | "Linux", scriptPath: string): string {
  return osType === "Linux"
    ? `On a Linux machine with python3 and the file system of the backed-up VM, as root: python3 ${scriptPath} (the volumes are mounted under the folder the script runs in). Enter the password when asked.`
    : `On a Windows machine with a compatible OS, run ${scriptPath} as administrator; the volumes get drive letters. Enter the password when asked.`;
}
export const HOW_TO_RUN_SOURCE = cite(
  FILE_RECOVERY_DOC,
  "run the executable or script with administrator credentials; for Linux, a python script is generated",
);

/** Recovery point names are the numeric strings Azure lists (RecoveryPoints_List.json, recoveryservicesbackup 2023-06-01). */
const RECOVERY_POINT_NAME = /^\d+$/;

export interface FileRecoveryRequest {
  /** The vault's ARM id. */
  vault: unknown;
  /** The VM's name or ARM id. */
  vm: unknown;
  /** `latest` (the default) or a recovery point's name. */
  recoveryPoint?: unknown;
}

const report = (code: RuleCode, path: string, message: string, remedy: string, source?: string): Diagnostic => ({
  code,
  severity: RULES[code].severity,
  path,
  message,
  remedy,
  ...(source === undefined ? {} : { source }),
});

/** What is wrong with a file recovery request, by argument; nothing when it can be sent. */
export function checkFileRecoveryRequest(request: FileRecoveryRequest): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (typeof request.vault !== "string" || request.vault.trim() === "") {
    out.push(
      report(
        "input/required",
        "vault",
        "No vault was given.",
        "Give the vault's resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.RecoveryServices/vaults/<name>.",
      ),
    );
  } else if (parseVaultId(request.vault.trim()) === undefined) {
    out.push(
      report(
        "vault/id",
        "vault",
        `'${request.vault}' is not the resource id of a Recovery Services vault.`,
        "Give the vault's resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.RecoveryServices/vaults/<name> (az backup vault show --query id).",
      ),
    );
  }
  if (typeof request.vm !== "string" || request.vm.trim() === "") {
    out.push(report("input/required", "vm", "No VM was given.", "Give the VM's name (as the vault lists it) or its resource id."));
  } else if (request.vm.includes("/") && parseVmId(request.vm.trim()) === undefined) {
    out.push(
      report(
        "vm/id",
        "vm",
        `'${request.vm}' is not the resource id of a virtual machine.`,
        "Give the VM's name, or its id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>.",
      ),
    );
  }
  const rp = request.recoveryPoint;
  if (rp !== undefined && (typeof rp !== "string" || (rp !== "latest" && !RECOVERY_POINT_NAME.test(rp)))) {
    out.push(
      report(
        "vm/recovery-point",
        "recoveryPoint",
        `'${String(rp)}' is neither 'latest' nor the name of a recovery point.`,
        "Give 'latest' or a recovery point's name as Azure lists it (digits: az backup recoverypoint list --query [].name).",
        RULES["vm/recovery-point"].source,
      ),
    );
  }
  return out;
}

/** The information a mount carries: when it ends by itself. */
export function mountLifetime(provisionedAt: Date): Diagnostic & { endsAt: Date } {
  const endsAt = new Date(provisionedAt.getTime() + FILE_RECOVERY_MOUNT_HOURS * 3_600_000);
  return {
    ...report(
      "vm/file-recovery-mount-hours",
      "recoveryPoint",
      `The recovery point stays mounted until ${endsAt.toISOString()} (${FILE_RECOVERY_MOUNT_HOURS} hours), unless unmounted first; the script stops working then.`,
      "Copy what you need within that time, then unmount (azure-vm-backup files unmount).",
      FILE_RECOVERY_MOUNT_SOURCE,
    ),
    endsAt,
  };
}
