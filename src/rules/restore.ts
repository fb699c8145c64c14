/**
 * Restoring a VM from a recovery point (day two: `pulumi-azure-vm-backup/operations` restore, `azure-vm-backup restore`):
 * the request in the user's words checked before anything is sent, the tier a recovery point can be restored from,
 * and the advice of Microsoft's VM backup planning doc (seed 001, "Best practices"): "Don't restore a VM running on
 * premium storage to the same storage account".
 */
import type { Diagnostic } from "./diagnostics";
import { ruleInfo, type RuleCode } from "./catalog";
import { cite, DOCS } from "./sources";

export type RestoreTarget = "disks" | "new-vm" | "replace-disks";
export type RestoreTier = "snapshot" | "vault";

export interface RestoreRequestArgs {
  to: string;
  tier?: string;
  recoveryPoint?: string;
  stagingStorageAccountId?: string;
  targetResourceGroup?: string;
  newVmName?: string;
  subnetId?: string;
}

const STORAGE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/([a-z0-9]{3,24})$/i;
const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
/** Azure VM names: 1-64 characters (Linux; Windows computer names 15), letters, digits, hyphens, periods, underscores (resource-name-rules). */
const VM_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9._]{0,62}[a-zA-Z0-9_]?$/;

function diag(code: RuleCode, path: string, message: string, remedy: string, source?: string): Diagnostic {
  const info = ruleInfo(code);
  const cited = source ?? info.source;
  return { code, severity: info.severity, path, message, remedy, ...(cited === undefined ? {} : { source: cited }) };
}

/** The storage account's name in its ARM id, or undefined. */
export function storageAccountName(id: string): string | undefined {
  return STORAGE_ID.exec(id)?.[1];
}

/** Checks a restore request in the user's words (argument names as the CLI spells them). */
export function validateRestoreRequest(args: RestoreRequestArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!["disks", "new-vm", "replace-disks"].includes(args.to)) {
    out.push(
      diag(
        "input/type",
        "to",
        `--to must be disks, new-vm or replace-disks; got '${args.to}'.`,
        "Say what to restore: disks, a new VM, or the disks of the original VM.",
      ),
    );
  }
  if (args.tier !== undefined && !["snapshot", "vault"].includes(args.tier)) {
    out.push(
      diag("input/type", "tier", `--tier must be snapshot or vault; got '${args.tier}'.`, "Leave it out to let Azure pick (the snapshot while it exists)."),
    );
  }
  if (args.recoveryPoint !== undefined && args.recoveryPoint !== "latest" && !/^\d+$/.test(args.recoveryPoint)) {
    out.push(
      diag(
        "input/type",
        "recovery-point",
        `--recovery-point must be 'latest' or a recovery point name (digits); got '${args.recoveryPoint}'.`,
        "List the VM's recovery points to pick one.",
      ),
    );
  }
  if (args.stagingStorageAccountId === undefined) {
    out.push(
      diag(
        "input/required",
        "staging-storage-account",
        "--staging-storage-account is required: Azure stages every VM restore in a storage account.",
        "Give the id of a storage account in the vault's region.",
      ),
    );
  } else if (storageAccountName(args.stagingStorageAccountId) === undefined) {
    out.push(
      diag(
        "input/type",
        "staging-storage-account",
        `--staging-storage-account must be a storage account id; got '${args.stagingStorageAccountId}'.`,
        "Use /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>.",
      ),
    );
  }
  if (args.targetResourceGroup !== undefined && (!RESOURCE_GROUP.test(args.targetResourceGroup) || args.targetResourceGroup.endsWith("."))) {
    out.push(
      diag(
        "input/resource-group-name",
        "target-resource-group",
        `--target-resource-group '${args.targetResourceGroup}' is not a resource group name.`,
        "Use 1-90 letters, digits, underscores, parentheses, hyphens and periods.",
      ),
    );
  }
  if (args.to === "new-vm") {
    if (args.newVmName === undefined)
      out.push(diag("input/required", "new-vm-name", "--new-vm-name is required to create a new VM.", "Name the VM to create."));
    else if (!VM_NAME.test(args.newVmName))
      out.push(
        diag("input/type", "new-vm-name", `--new-vm-name '${args.newVmName}' is not a VM name.`, "Use 1-64 letters, digits, hyphens, periods and underscores."),
      );
    if (args.subnetId === undefined)
      out.push(
        diag(
          "input/required",
          "subnet",
          "--subnet is required to create a new VM (its network).",
          "Give the id of a subnet of a virtual network in the vault's region.",
        ),
      );
    else if (!SUBNET_ID.test(args.subnetId))
      out.push(
        diag(
          "input/type",
          "subnet",
          `--subnet must be a subnet id; got '${args.subnetId}'.`,
          "Use .../providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>.",
        ),
      );
    if (args.targetResourceGroup === undefined)
      out.push(
        diag("input/required", "target-resource-group", "--target-resource-group is required to create a new VM.", "Name the resource group of the new VM."),
      );
  }
  return out;
}

/** Whether a recovery point can be restored from the asked tier (snapshot: the instant-restore tier; vault: the Standard tier). */
export function checkRecoveryPointTier(point: { name: string; inSnapshot: boolean; inVault: boolean }, tier: RestoreTier | undefined): Diagnostic[] {
  const ok = tier === "snapshot" ? point.inSnapshot : tier === "vault" ? point.inVault : point.inSnapshot || point.inVault;
  if (ok) return [];
  const where =
    tier === undefined ? "neither in the snapshot tier nor in the vault" : tier === "snapshot" ? "no longer in the snapshot tier" : "not yet in the vault";
  return [
    diag(
      "restore/recovery-point-tier",
      "recovery-point",
      `Recovery point '${point.name}' is ${where}.`,
      tier === "snapshot"
        ? "Restore it from the vault (--tier vault), or pick a newer point."
        : "Pick another recovery point, or wait until the point reaches the vault.",
    ),
  ];
}

/**
 * Replacing the disks of the original VM is for VMs on unencrypted managed disks: "If a VM exists and it uses managed
 * disks (unencrypted), you can restore a disk and use it to replace an existing disk on the VM" (Support matrix for Azure
 * VM backups); "you cannot use 'replace existing VM' option for ADE encrypted VMs" (DOCS.encryptedVmTroubleshoot).
 * Refused for a recovery point of a VM encrypted with Azure Disk Encryption (IaasVMRecoveryPoint.isSourceVMEncrypted).
 */
export function checkReplaceDisksEncryption(to: string, point: { name: string; encrypted: boolean }): Diagnostic[] {
  if (to !== "replace-disks" || !point.encrypted) return [];
  return [
    diag(
      "restore/encrypted-replace-disks",
      "to",
      `Recovery point '${point.name}' is of a VM encrypted with Azure Disk Encryption: Azure does not replace the disks of an encrypted VM.`,
      "Restore its disks (--to disks) and create the VM from them, or create a new VM (--to new-vm); the Key Vault keys and secrets must still exist.",
    ),
  ];
}

export interface RestoreSourceDisk {
  name: string;
  storageType?: string;
  /** Unmanaged disks: the storage account holding the disk's VHD. */
  storageAccount?: string;
}

/**
 * Seed 001's advice: a premium-storage VM restored to the storage account it runs from competes with its own backups
 * for the account's IOPS. Warns when a disk of the VM lives in the staging storage account (unmanaged disks: a VM's
 * model gives their account, not its tier, so a disk of unknown type counts), unless the disk is known not premium.
 */
export function checkPremiumStagingAccount(vmName: string, disks: readonly RestoreSourceDisk[], stagingStorageAccountId: string): Diagnostic[] {
  const staging = storageAccountName(stagingStorageAccountId)?.toLowerCase();
  const inStaging = disks.filter(
    (d) => d.storageAccount !== undefined && d.storageAccount.toLowerCase() === staging && (d.storageType === undefined || /^premium/i.test(d.storageType)),
  );
  if (staging === undefined || inStaging.length === 0) return [];
  const known = inStaging.every((d) => d.storageType !== undefined);
  return [
    diag(
      "restore/premium-same-storage-account",
      "staging-storage-account",
      `VM '${vmName}' keeps its ${inStaging.map((d) => d.name).join(", ")} in storage account '${staging}', the restore's staging account${
        known ? " (premium storage)" : ""
      }: if that account is premium storage, the restore takes the IOPS its backups need when both run together.`,
      "Stage the restore in another storage account.",
      cite(DOCS.vmBackupPlanning2018, "Don't restore a VM running on premium storage to the same storage account"),
    ),
  ];
}
