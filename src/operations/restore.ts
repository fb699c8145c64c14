/**
 * Restore a protected VM, in the user's words: restore its disks (to a resource group, staged in a storage account),
 * create a new VM, or replace the disks of the original VM; from the latest recovery point or a chosen one; from the
 * snapshot tier (instant restore) or the vault, or wherever Azure picks (the snapshot while it exists). Inputs are
 * checked before anything is sent (src/rules/restore.ts); the restore job is followed to its end, its progress told
 * through `onProgress`; the result names the job, its status and what it restored.
 */
import {
  AzureOperationError,
  clientsFor,
  followRestoreJob,
  getRestoreJob,
  getVm,
  itemNamesFor,
  itemsKey,
  listItems,
  lookups,
  listRestorePoints,
  parseVaultId,
  resolveSettings,
  sameId,
  triggerRestore,
  type AzureClients,
  type AzureSettings,
  type RecoveryType,
  type RestoreJobState,
  type VaultRef,
} from "../azure";
import { getVault } from "../azure/vaults";
import {
  checkPremiumStagingAccount,
  checkRecoveryPointTier,
  checkReplaceDisksEncryption,
  describeDiagnostic,
  formatResourceGroupId,
  parseVmId,
  validateRestoreRequest,
  type Diagnostic,
  type RestoreTarget,
  type RestoreTier,
  formatVmId,
  resourceNameOf,
} from "../rules";

export interface RestoreArgs {
  /** The Recovery Services vault's ARM id. */
  vaultId: string;
  /** The protected VM: its name (as the vault lists it) or its ARM id. */
  vm: string;
  /** disks: restore the disks; new-vm: create a new VM; replace-disks: replace the disks of the original VM. */
  to: RestoreTarget;
  /** "latest" (default) or a recovery point's name. */
  recoveryPoint?: string;
  /** Restore from the snapshot tier or the vault; default: what Azure picks (the snapshot while it exists). */
  tier?: RestoreTier;
  /** The storage account Azure stages the restore in (ARM id), in the vault's region. */
  stagingStorageAccountId: string;
  /** The resource group of the restored disks or of the new VM (in the vault's subscription). */
  targetResourceGroup?: string;
  /** new-vm: the new VM's name. */
  newVmName?: string;
  /** new-vm: the subnet of the new VM (ARM id). */
  subnetId?: string;
}

export interface RestoreProgress {
  jobId: string;
  status: string;
  /** 0-100: Azure's own figure while the job runs, else from the job's tasks; 100 once it completed. */
  percent: number;
  /** Azure's estimate of the time left, when it gives one. */
  estimatedRemaining?: string;
  /** The task running now, as Azure names it. */
  task?: string;
}

export interface RestoreOptions {
  settings?: AzureSettings;
  clients?: AzureClients;
  onProgress?: (progress: RestoreProgress) => void | Promise<void>;
  /** Warnings found before the restore is sent (e.g. the premium-storage advice); the restore goes on. */
  onWarning?: (warning: Diagnostic) => void;
  /** false: trigger the restore and return once Azure has started its job (status InProgress). */
  wait?: boolean;
}

export interface RestoreResult {
  jobId: string;
  /** Azure's job status: Completed, Failed, CompletedWithWarnings, Cancelled, or InProgress (wait: false). */
  status: string;
  recoveryPoint: { name: string; time: string };
  /** The tier asked for, or "azure-picks". */
  tier: RestoreTier | "azure-picks";
  /** new-vm: the VM created; replace-disks: the original VM. */
  vmId?: string;
  /** The managed disks of the new VM or of the VM whose disks were replaced, once the job completed. */
  diskIds?: string[];
  /** disks: the VM configuration and the deployment template Azure wrote to the staging storage account. */
  configBlobUri?: string;
  templateBlobUri?: string;
  /** The job's property bag as Azure reports it. */
  details: Record<string, string>;
  /** Failed jobs: Azure's errors and recommendations. */
  errors: Array<{ code: string; message: string; recommendations: string[] }>;
  durationMs: number;
  warnings: Diagnostic[];
}

/** A restore request the checks refused: the diagnostics name the arguments. */
export class RestoreInputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => describeDiagnostic(d)).join("\n"));
    this.name = "RestoreInputError";
  }
}

const RECOVERY_TYPES: Record<RestoreTarget, RecoveryType> = { disks: "RestoreDisks", "new-vm": "AlternateLocation", "replace-disks": "OriginalLocation" };

function percentOf(job: RestoreJobState): number {
  if (job.status !== "InProgress" && job.status !== "Cancelling") return 100;
  if (job.progressPercentage !== undefined) return Math.max(0, Math.min(100, job.progressPercentage));
  const done = job.tasks.filter((t) => t.status === "Completed").length;
  return job.tasks.length === 0 ? 0 : Math.round((done / job.tasks.length) * 100);
}

export async function restoreVm(args: RestoreArgs, options: RestoreOptions = {}): Promise<RestoreResult> {
  const errors = validateRestoreRequest({
    to: args.to,
    ...(args.tier === undefined ? {} : { tier: args.tier }),
    ...(args.recoveryPoint === undefined ? {} : { recoveryPoint: args.recoveryPoint }),
    stagingStorageAccountId: args.stagingStorageAccountId,
    ...(args.targetResourceGroup === undefined ? {} : { targetResourceGroup: args.targetResourceGroup }),
    ...(args.newVmName === undefined ? {} : { newVmName: args.newVmName }),
    ...(args.subnetId === undefined ? {} : { subnetId: args.subnetId }),
  }).filter((d) => d.severity === "error");
  const vault: VaultRef | undefined = parseVaultId(args.vaultId);
  if (vault === undefined) {
    errors.push({
      code: "input/type",
      severity: "error",
      path: "vault",
      message: `--vault must be a Recovery Services vault id; got '${args.vaultId}'.`,
      remedy: "Use /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.RecoveryServices/vaults/<name>.",
    });
  }
  if (args.vm.includes("/") && parseVmId(args.vm) === undefined) {
    errors.push({
      code: "input/type",
      severity: "error",
      path: "vm",
      message: `--vm must be a VM name or a VM id; got '${args.vm}'.`,
      remedy: "Give the VM's name as the vault lists it, or its ARM id.",
    });
  }
  if (errors.length > 0 || vault === undefined) throw new RestoreInputError(errors);

  const settings = options.settings ?? resolveSettings();
  const c = options.clients ?? clientsFor(settings, vault.subscriptionId);
  const started = Date.now();

  // The protected item: by VM id, or by the VM's name among the vault's items, read now (not from this process's
  // earlier list: a VM protected since must be found).
  lookups.forget(itemsKey(vault));
  const items = await listItems(c, vault);
  const matches = items.filter((i) => (args.vm.includes("/") ? sameId(i.vmId, args.vm) : resourceNameOf(i.vmId).toLowerCase() === args.vm.toLowerCase()));
  if (matches.length !== 1) {
    throw new RestoreInputError([
      {
        code: "input/type",
        severity: "error",
        path: "vm",
        message:
          matches.length === 0
            ? `VM '${args.vm}' is not protected in vault '${vault.vaultName}' (it has no backup item there).`
            : `VM name '${args.vm}' matches ${matches.length} VMs protected in vault '${vault.vaultName}'.`,
        remedy: matches.length === 0 ? "Check the vault and the VM's name (its ARM id works too)." : "Give the VM's ARM id instead of its name.",
      },
    ]);
  }
  const item = matches[0]!;
  const names = itemNamesFor(item.vmId);

  // The recovery point: the latest (in the asked tier, when one is asked) or the one named.
  const points = await listRestorePoints(c, vault, names);
  const asked = args.recoveryPoint ?? "latest";
  const point =
    asked === "latest" ? (points.find((p) => checkRecoveryPointTier(p, args.tier).length === 0) ?? points[0]) : points.find((p) => p.name === asked);
  if (point === undefined) {
    throw new RestoreInputError([
      {
        code: "input/type",
        severity: "error",
        path: "recovery-point",
        message:
          asked === "latest"
            ? `VM '${names.vm.name}' has no recovery point in vault '${vault.vaultName}'.`
            : `Recovery point '${asked}' of VM '${names.vm.name}' does not exist.`,
        remedy:
          asked === "latest"
            ? "Take a backup first (Backup now)."
            : `Pick one of: ${
                points
                  .slice(0, 5)
                  .map((p) => `${p.name} (${p.time})`)
                  .join(", ") || "none"
              }.`,
      },
    ]);
  }
  const tierErrors = [...checkReplaceDisksEncryption(args.to, point), ...checkRecoveryPointTier(point, args.tier)];
  if (tierErrors.length > 0) throw new RestoreInputError(tierErrors);

  // Warnings (the restore goes on): the premium-storage advice of seed 001.
  const source = await getVm(c, names);
  const warnings =
    source === undefined
      ? []
      : checkPremiumStagingAccount(
          names.vm.name,
          [{ name: "os disk", ...source.osDisk }, ...source.dataDisks.map((d) => ({ name: `data disk ${d.lun}`, ...d }))].map((d) => ({
            name: d.name,
            ...(d.storageType === undefined ? {} : { storageType: d.storageType }),
            ...(d.storageAccount === undefined ? {} : { storageAccount: d.storageAccount }),
          })),
          args.stagingStorageAccountId,
        );
  for (const w of warnings) options.onWarning?.(w);

  const vaultState = await getVault(c, vault);
  if (vaultState === undefined)
    throw new AzureOperationError("Restoring", `VM '${names.vm.name}'`, "ResourceNotFound", `vault '${vault.vaultName}' does not exist.`);
  const targetGroupId = args.targetResourceGroup === undefined ? undefined : formatResourceGroupId(vault.subscriptionId, args.targetResourceGroup);
  const recoveryType = RECOVERY_TYPES[args.to];
  const newVmId =
    args.to === "new-vm" && args.targetResourceGroup !== undefined && args.newVmName !== undefined
      ? formatVmId({ subscriptionId: vault.subscriptionId, resourceGroup: args.targetResourceGroup, name: args.newVmName, kind: "arm" })
      : undefined;
  // A disk restore "from the vault": without a target resource group the disks are restored as unmanaged, which does
  // not use the snapshot ("This will NOT leverage the instant restore functionality": the Azure CLI's restore_disks).
  const groupForDisks = args.to === "disks" && args.tier === "vault" ? undefined : targetGroupId;
  const jobId = await triggerRestore(c, settings, vault, names, point.name, {
    recoveryType,
    sourceVmId: item.vmId,
    region: vaultState.location,
    storageAccountId: args.stagingStorageAccountId,
    ...(args.to === "replace-disks" ? {} : groupForDisks === undefined ? {} : { targetResourceGroupId: groupForDisks }),
    ...(newVmId === undefined
      ? {}
      : { targetVirtualMachineId: newVmId, subnetId: args.subnetId!, virtualNetworkId: args.subnetId!.replace(/\/subnets\/[^/]+$/i, "") }),
  });

  let job: RestoreJobState;
  if (options.wait === false) {
    job = await getRestoreJob(c, vault, jobId);
  } else {
    job = await followRestoreJob(c, settings, vault, jobId, (j) =>
      options.onProgress?.({
        jobId,
        status: j.status,
        percent: percentOf(j),
        ...(j.estimatedRemaining === undefined ? {} : { estimatedRemaining: j.estimatedRemaining }),
        ...(j.tasks.find((t) => t.status === "InProgress") === undefined ? {} : { task: j.tasks.find((t) => t.status === "InProgress")!.name }),
      }),
    );
  }

  const vmId = args.to === "new-vm" ? newVmId : args.to === "replace-disks" ? item.vmId : undefined;
  let diskIds: string[] | undefined;
  if (vmId !== undefined && job.status.startsWith("Completed")) {
    const vm = parseVmId(vmId)!;
    const restored = await c.compute.virtualMachines.get(vm.resourceGroup, vm.name);
    const profile = restored.storageProfile;
    diskIds = [profile?.osDisk?.managedDisk?.id, ...(profile?.dataDisks ?? []).map((d) => d.managedDisk?.id)].filter((id): id is string => id !== undefined);
  }
  return {
    jobId,
    status: job.status,
    recoveryPoint: { name: point.name, time: point.time },
    tier: args.tier ?? "azure-picks",
    ...(vmId === undefined ? {} : { vmId }),
    ...(diskIds === undefined ? {} : { diskIds }),
    ...(job.propertyBag["Config Blob Uri"] === undefined ? {} : { configBlobUri: job.propertyBag["Config Blob Uri"] }),
    ...(job.propertyBag["Template Blob Uri"] === undefined ? {} : { templateBlobUri: job.propertyBag["Template Blob Uri"] }),
    details: job.propertyBag,
    errors: job.errors,
    // The job's own duration (Azure's start and end times) when it ended; else the time this call took.
    durationMs: job.startTime !== undefined && job.endTime !== undefined ? Date.parse(job.endTime) - Date.parse(job.startTime) : Date.now() - started,
    warnings,
  };
}
