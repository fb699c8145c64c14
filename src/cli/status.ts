/**
 * `azure-vm-backup status`: are we backed up? Per vault, the protected VMs with their last backup and newest recovery
 * point (its consistency), the jobs of the last 24 hours by status, the failed ones with what to do. Exit 0 when every
 * VM is backed up as its policy says, 1 when a VM's last backup failed or it is overdue (a CI check), 2 when the command
 * could not run (a bad vault id, no subscription, an endpoint that does not answer, a vault that does not exist).
 *
 * Where Azure is: the same settings as the components (src/azure/settings.ts): AZURE_SUBSCRIPTION_ID / ARM_SUBSCRIPTION_ID,
 * AZURE_VM_BACKUP_ENDPOINT and AZURE_VM_BACKUP_CA_FILE for the emulator, the usual credential chain for Azure.
 */
import { AzureOperationError, clientsFor, NO_CONFIG, resolveSettings, SettingsError } from "../azure";
import { getBackupStatus, StatusError, type BackupStatusReport } from "../operations";
import { parseVaultId } from "../rules";
import { formatStatusJson, formatStatusMarkdown, formatStatusText } from "./format-status";

export const STATUS_FORMATS = ["text", "markdown", "json"] as const;
export type StatusFormat = (typeof STATUS_FORMATS)[number];

export interface StatusCommandOptions {
  vault?: string[];
  subscription?: string;
  format: StatusFormat;
  /** Judge at this time (ISO 8601) instead of the service's clock. */
  now?: string;
}

export interface StatusResult {
  output: string;
  /** What to print on stderr when the command failed. */
  error?: string;
  exitCode: 0 | 1 | 2;
  report?: BackupStatusReport;
}

export async function runStatus(options: StatusCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<StatusResult> {
  try {
    const vaults = options.vault ?? [];
    let now: Date | undefined;
    if (options.now !== undefined) {
      now = new Date(options.now);
      if (Number.isNaN(now.getTime())) throw new StatusError(`--now '${options.now}' is not a date: give an ISO 8601 time such as 2026-03-04T08:00:00Z.`);
    }
    const settings = resolveSettings(NO_CONFIG, env);
    // The subscription: --subscription, else the first vault's, else the settings' (AZURE_SUBSCRIPTION_ID, ARM_SUBSCRIPTION_ID).
    const subscription = options.subscription ?? (vaults.length > 0 ? parseVaultId(vaults[0]!)?.subscriptionId : undefined);
    if (subscription === undefined && settings.subscriptionId === undefined) {
      // The command reads no stack config: say what it takes (the settings' message names `pulumi config set`).
      throw new StatusError(
        "No Azure subscription is set: give --subscription <id> or --vault <vault id>, or set AZURE_SUBSCRIPTION_ID (or ARM_SUBSCRIPTION_ID).",
      );
    }
    const clients = clientsFor(settings, subscription);
    const report = await getBackupStatus(clients, { vaults, ...(now === undefined ? {} : { now }) });
    const output =
      options.format === "json" ? formatStatusJson(report) : options.format === "markdown" ? formatStatusMarkdown(report) : formatStatusText(report);
    return { output, exitCode: report.ok ? 0 : 1, report };
  } catch (error) {
    if (error instanceof StatusError || error instanceof SettingsError || error instanceof AzureOperationError) {
      return { output: "", error: error.message, exitCode: 2 };
    }
    throw error;
  }
}
