/**
 * File recovery, as a library: mount a recovery point of a protected VM (Azure provisions a script that, run on a
 * machine, attaches the point's disks as local volumes for 12 hours) and unmount it. The same steps as the Azure CLI's
 * `az backup restore files mount-rp` / `unmount-rp` (custom.py restore_files_mount_rp / restore_files_unmount_rp in
 * Azure/azure-cli): provision through the SDK, follow the operation, write the script file under the name the CLI gives
 * it; unmount revokes only a session that is active.
 */
import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  clientsFor,
  getRecoveryPoint,
  isNotFound,
  itemNamesFor,
  listRecoveryPoints,
  parseVaultId,
  protectedVmIds,
  provisionFileRecovery,
  resolveSettings,
  revokeFileRecovery,
  type AzureClients,
  type AzureSettings,
  type ItemNames,
  type RecoveryPointState,
  type VaultRef,
} from "../azure";
import {
  checkFileRecoveryRequest,
  describeDiagnostic,
  FILE_RECOVERY_MOUNT_SOURCE,
  howToRunScript,
  HOW_TO_RUN_SOURCE,
  mountLifetime,
  type Diagnostic,
} from "../rules";

/** A request the library refuses before calling Azure, or a VM or recovery point it cannot find: which argument, why, what to do. */
export class FileRecoveryError extends Error {
  constructor(
    message: string,
    /** The argument at fault, in the caller's words (`vault`, `vm`, `recoveryPoint`, `outDir`). */
    readonly argument?: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = "FileRecoveryError";
  }
}

export interface FileRecoveryTarget {
  /** The vault's resource id. */
  vault: string;
  /** The VM's name (as the vault protects it) or resource id. */
  vm: string;
  /** `latest` (the default) or a recovery point's name. */
  recoveryPoint?: string;
  /** Where Azure is (endpoint, credentials, ...); default: from the environment (AZURE_VM_BACKUP_ENDPOINT, ARM_*, ...). */
  settings?: AzureSettings;
}

export interface MountOptions extends FileRecoveryTarget {
  /** The folder to write the script to (it must exist); default: the current folder. */
  outDir?: string;
}

export interface MountResult {
  vault: string;
  vmId: string;
  recoveryPoint: { name: string; time: string | undefined };
  /** The script written (mode 0700). */
  scriptPath: string;
  osType: string;
  /** The password the script asks for, when Azure gives one. */
  password?: string;
  /** Windows: the executable Azure offers for download (the Azure CLI downloads it), when it gives one. */
  executable?: { fileName: string; url: string };
  /** When the mount ends by itself (12 hours after Azure provisioned it). */
  expiresAt: string;
  /** How to run the script, as Microsoft documents it. */
  howToRun: string;
  sources: { lifetime: string; howToRun: string };
  /** A session was already active on the point: Azure renewed it. */
  renewed: boolean;
}

export interface UnmountResult {
  vault: string;
  vmId: string;
  /** The recovery points whose mount was revoked. */
  unmounted: string[];
}

interface Resolved {
  ref: VaultRef;
  names: ItemNames;
  vmId: string;
  c: AzureClients;
  settings: AzureSettings;
}

function validate(target: FileRecoveryTarget): void {
  const found = checkFileRecoveryRequest({ vault: target.vault, vm: target.vm, recoveryPoint: target.recoveryPoint });
  if (found.length > 0) {
    throw new FileRecoveryError(found.map((d) => `argument '${d.path}': ${describeDiagnostic(d)}`).join("\n"), found[0]!.path, found);
  }
}

async function resolveTarget(target: FileRecoveryTarget): Promise<Resolved> {
  const ref = parseVaultId(target.vault.trim())!;
  const settings = target.settings ?? resolveSettings();
  const c = clientsFor(settings, ref.subscriptionId);
  const vm = target.vm.trim();
  const ids = await protectedVmIds(c, ref, vm.includes("/") ? { id: vm } : { name: vm });
  if (ids.length === 0) {
    throw new FileRecoveryError(
      `argument 'vm': VM '${vm}' is not protected in vault '${ref.vaultName}' (resource group '${ref.resourceGroupName}'). Give a VM the vault backs up (az backup item list).`,
      "vm",
    );
  }
  if (ids.length > 1) {
    throw new FileRecoveryError(
      `argument 'vm': vault '${ref.vaultName}' protects several VMs named '${vm}'; give the VM's resource id, one of:\n  ${ids.join("\n  ")}`,
      "vm",
    );
  }
  return { ref, names: itemNamesFor(ids[0]!), vmId: ids[0]!, c, settings };
}

async function pickPoint(r: Resolved, wanted: string | undefined): Promise<RecoveryPointState> {
  if (wanted === undefined || wanted === "latest") {
    const points = await listRecoveryPoints(r.c, r.ref, r.names);
    if (points.length === 0) {
      throw new FileRecoveryError(
        `argument 'recoveryPoint': VM '${r.names.vm.name}' has no recovery point in vault '${r.ref.vaultName}' yet. Back it up first (Backup now), then mount.`,
        "recoveryPoint",
      );
    }
    return points[0]!;
  }
  try {
    return await getRecoveryPoint(r.c, r.ref, r.names, wanted);
  } catch (error) {
    if (!isNotFound(error) && (error as { code?: string }).code !== "BMSUserErrorRecoveryPointNotFound") throw error;
    throw new FileRecoveryError(
      `argument 'recoveryPoint': VM '${r.names.vm.name}' has no recovery point '${wanted}' in vault '${r.ref.vaultName}'. Give 'latest' or one of the names az backup recoverypoint list shows.`,
      "recoveryPoint",
    );
  }
}

function checkOutDir(outDir: string): string {
  const dir = resolve(outDir);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir)
    throw new FileRecoveryError(`argument 'outDir': '${outDir}' is not an existing folder. Create it, or give another folder for the script.`, "outDir");
  return dir;
}

/** Mounts a recovery point of a protected VM: provisions its file recovery script and writes it to `outDir`. */
export async function mount(options: MountOptions): Promise<MountResult> {
  validate(options);
  const dir = checkOutDir(options.outDir ?? process.cwd());
  const r = await resolveTarget(options);
  const point = await pickPoint(r, options.recoveryPoint);
  const { scripts, provisionedAt } = await provisionFileRecovery(r.c, r.settings, r.ref, r.names, r.vmId, point.name, point.fileRecoveryActive);
  // Linux: the python script; Windows: the script given inline, and the executable the Azure CLI downloads (custom.py).
  const inline = scripts.find((s) => s.content !== undefined);
  const download = scripts.find((s) => s.content === undefined && s.url !== undefined);
  if (inline === undefined) {
    throw new FileRecoveryError(
      `Azure gave no script to write for recovery point '${point.name}' of VM '${r.names.vm.name}'${download === undefined ? "" : `; download ${download.fileName} from ${download.url}`}.`,
    );
  }
  const scriptPath = join(dir, inline.fileName);
  writeFileSync(scriptPath, inline.content!, { mode: 0o700 });
  chmodSync(scriptPath, 0o700);
  const lifetime = mountLifetime(provisionedAt === undefined ? new Date() : new Date(provisionedAt));
  const osType = inline.osType === "Windows" ? "Windows" : "Linux";
  return {
    vault: options.vault.trim(),
    vmId: r.vmId,
    recoveryPoint: { name: point.name, time: point.time },
    scriptPath,
    osType: inline.osType,
    ...(inline.password === undefined ? {} : { password: inline.password }),
    ...(download === undefined ? {} : { executable: { fileName: download.fileName, url: download.url! } }),
    expiresAt: lifetime.endsAt.toISOString(),
    howToRun: howToRunScript(osType, download !== undefined && osType === "Windows" ? download.fileName : scriptPath),
    sources: { lifetime: FILE_RECOVERY_MOUNT_SOURCE, howToRun: HOW_TO_RUN_SOURCE },
    renewed: point.fileRecoveryActive,
  };
}

/**
 * Unmounts a recovery point (revokes its file recovery session). Without a recovery point (or `latest`), unmounts
 * every point of the VM that is mounted; a point that is not mounted is left alone, as the Azure CLI does.
 */
export async function unmount(options: FileRecoveryTarget): Promise<UnmountResult> {
  validate(options);
  const r = await resolveTarget(options);
  const points =
    options.recoveryPoint === undefined || options.recoveryPoint === "latest"
      ? (await listRecoveryPoints(r.c, r.ref, r.names)).filter((p) => p.fileRecoveryActive)
      : [await pickPoint(r, options.recoveryPoint)].filter((p) => p.fileRecoveryActive);
  for (const p of points) await revokeFileRecovery(r.c, r.settings, r.ref, r.names, p.name);
  return { vault: options.vault.trim(), vmId: r.vmId, unmounted: points.map((p) => p.name) };
}
