/**
 * `azure-vm-backup files mount|unmount`: file recovery from a VM's recovery point, through the day-two library
 * (src/operations/files.ts). `mount` asks Azure for the point's file recovery script, writes it, and says how to run it
 * and when the mount ends by itself (12 hours: Microsoft Learn, "Recover files from Azure virtual machine backup");
 * `unmount` ends it earlier. Where Azure is comes from the environment, as for the provider (AZURE_VM_BACKUP_ENDPOINT,
 * AZURE_VM_BACKUP_CA_FILE, ARM_* credentials: src/azure/settings.ts).
 */
import { AzureOperationError, SettingsError } from "../azure";
import { FileRecoveryError, mount, unmount, type MountResult, type UnmountResult } from "../operations";

export const FILES_ACTIONS = ["mount", "unmount"] as const;
export type FilesAction = (typeof FILES_ACTIONS)[number];

export interface FilesCommandOptions {
  vault: string;
  vm: string;
  recoveryPoint?: string;
  out?: string;
  format: "text" | "json";
}

export interface FilesRun {
  exitCode: 0 | 2;
  output: string;
  error?: string;
}

function mountText(r: MountResult, options: FilesCommandOptions): string {
  const lines = [
    `Mounted recovery point ${r.recoveryPoint.name}${r.recoveryPoint.time === undefined ? "" : ` (${r.recoveryPoint.time})`} of VM ${r.vmId}${r.renewed ? " (the mount that was active is renewed)" : ""}.`,
    `Script:   ${r.scriptPath}`,
    ...(r.password === undefined ? [] : [`Password: ${r.password}`]),
    ...(r.executable === undefined ? [] : [`Executable (download, as the Azure CLI does): ${r.executable.fileName} from ${r.executable.url}`]),
    `Run it:   ${r.howToRun}`,
    `The mount ends at ${r.expiresAt} (12 hours after Azure provisioned it), unless you unmount it first:`,
    `  azure-vm-backup files unmount --vault ${options.vault} --vm ${options.vm} --recovery-point ${r.recoveryPoint.name}`,
    `Sources: ${r.sources.lifetime}; ${r.sources.howToRun}`,
  ];
  return `${lines.join("\n")}\n`;
}

function unmountText(r: UnmountResult): string {
  return r.unmounted.length === 0
    ? `No recovery point of VM ${r.vmId} is mounted: nothing to unmount.\n`
    : `Unmounted recovery point${r.unmounted.length === 1 ? "" : "s"} ${r.unmounted.join(", ")} of VM ${r.vmId}: the script no longer works.\n`;
}

/** Runs `files <action>`: what to print, and the exit code (0 done, 2 the command failed). */
export async function runFiles(action: FilesAction, options: FilesCommandOptions): Promise<FilesRun> {
  const target = { vault: options.vault, vm: options.vm, ...(options.recoveryPoint === undefined ? {} : { recoveryPoint: options.recoveryPoint }) };
  try {
    if (action === "mount") {
      const r = await mount({ ...target, ...(options.out === undefined ? {} : { outDir: options.out }) });
      return { exitCode: 0, output: options.format === "json" ? `${JSON.stringify(r, null, 2)}\n` : mountText(r, options) };
    }
    const r = await unmount(target);
    return { exitCode: 0, output: options.format === "json" ? `${JSON.stringify(r, null, 2)}\n` : unmountText(r) };
  } catch (error) {
    if (error instanceof FileRecoveryError || error instanceof AzureOperationError || error instanceof SettingsError) {
      return { exitCode: 2, output: "", error: `azure-vm-backup files ${action}: ${error.message}\n` };
    }
    throw error;
  }
}
