/**
 * `azure-vm-backup restore`: restore a protected VM's disks, a new VM, or the original VM's disks, from the latest or a
 * chosen recovery point (src/operations/restore.ts), showing the restore job's progress until it ends: a progress bar
 * (cli-progress) when stdout is a terminal, plain lines otherwise (CI logs). Exit 0 when the restore completed, 1 when
 * the job failed (Azure's error and what to do), 2 when the command failed (bad arguments, Azure refused the request).
 */
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { formatHelp, HELP } from "./help";
import { AzureOperationError, resolveSettings, SettingsError, type AzureSettings } from "../azure";
import { restoreVm, RestoreInputError, type RestoreArgs, type RestoreProgress, type RestoreResult } from "../operations/restore";
import { describeDiagnostic, type Diagnostic, type RestoreTarget, type RestoreTier } from "../rules";

export interface RestoreCommandOptions {
  vault: string;
  vm: string;
  to: RestoreTarget;
  recoveryPoint?: string;
  tier?: RestoreTier;
  stagingStorageAccount?: string;
  targetResourceGroup?: string;
  newVmName?: string;
  subnet?: string;
  format: "text" | "json";
  wait: boolean;
}

export interface RestoreIo {
  write: (text: string) => void;
  writeError: (text: string) => void;
  /** Whether stdout is a terminal (a progress bar) or not (plain lines). */
  tty: boolean;
  settings?: AzureSettings;
  /** Called after each progress report (tests move the emulator's clock here). */
  afterProgress?: (progress: RestoreProgress) => void | Promise<void>;
}

/** Runs the command; returns its exit code. */
export async function runRestore(options: RestoreCommandOptions, io: RestoreIo): Promise<number> {
  const args: RestoreArgs = {
    vaultId: options.vault,
    vm: options.vm,
    to: options.to,
    stagingStorageAccountId: options.stagingStorageAccount as string,
    ...(options.recoveryPoint === undefined ? {} : { recoveryPoint: options.recoveryPoint }),
    ...(options.tier === undefined ? {} : { tier: options.tier }),
    ...(options.targetResourceGroup === undefined ? {} : { targetResourceGroup: options.targetResourceGroup }),
    ...(options.newVmName === undefined ? {} : { newVmName: options.newVmName }),
    ...(options.subnet === undefined ? {} : { subnetId: options.subnet }),
  };
  const text = options.format === "text";
  let bar: SingleBar | undefined;
  let lastLine = "";
  const warnings: Diagnostic[] = [];
  try {
    const result = await restoreVm(args, {
      settings: io.settings ?? resolveSettings(),
      wait: options.wait,
      onWarning: (w) => {
        warnings.push(w);
        if (text) io.writeError(`warning: ${describeDiagnostic(w)}\n`);
      },
      onProgress: async (p) => {
        if (text) {
          if (io.tty) {
            bar ??= new SingleBar({ format: "restore {bar} {percentage}% | {status}{task} | {eta_text}", hideCursor: true, stream: process.stdout });
            if (!bar.isActive) bar.start(100, 0, { status: p.status, task: "", eta_text: "" });
            bar.update(p.percent, {
              status: p.status,
              task: p.task === undefined ? "" : ` (${p.task})`,
              eta_text: p.estimatedRemaining === undefined ? "" : `${p.estimatedRemaining} left`,
            });
          } else {
            // A CI log gets a line when the status or task changes and at each tenth of the way, not one per poll.
            const step = `${p.status}|${p.task ?? ""}|${Math.floor(p.percent / 10)}`;
            if (step !== lastLine) {
              io.write(
                `restore job ${p.jobId}: ${p.status} ${p.percent}%${p.task === undefined ? "" : ` (${p.task})`}${p.estimatedRemaining === undefined ? "" : `, ${p.estimatedRemaining} left`}\n`,
              );
            }
            lastLine = step;
          }
        }
        await io.afterProgress?.(p);
      },
    });
    bar?.stop();
    io.write(options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result, options));
    if (result.status === "Completed" || result.status === "CompletedWithWarnings") return 0;
    if (result.status === "InProgress" && !options.wait) return 0;
    return 1;
  } catch (error) {
    bar?.stop();
    if (error instanceof RestoreInputError) {
      io.writeError(`azure-vm-backup restore: the request was not sent:\n${error.diagnostics.map((d) => `  ${describeDiagnostic(d)}`).join("\n")}\n`);
      return 2;
    }
    if (error instanceof AzureOperationError || error instanceof SettingsError) {
      io.writeError(`azure-vm-backup restore: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

function formatResult(r: RestoreResult, options: RestoreCommandOptions): string {
  const lines = [`Restore job ${r.jobId}: ${r.status} (recovery point ${r.recoveryPoint.name} of ${r.recoveryPoint.time}, tier: ${r.tier})`];
  if (r.vmId !== undefined) lines.push(`  VM: ${r.vmId}`);
  for (const id of r.diskIds ?? []) lines.push(`  disk: ${id}`);
  if (r.configBlobUri !== undefined) lines.push(`  VM configuration: ${r.configBlobUri}`);
  if (r.templateBlobUri !== undefined) lines.push(`  deployment template: ${r.templateBlobUri} (deploy it to create a VM from the restored disks)`);
  if (r.status === "InProgress" && !options.wait) lines.push(`  the job runs on in Azure; follow it with \`az backup job show --name ${r.jobId}\`.`);
  for (const e of r.errors) {
    lines.push(`  error ${e.code}: ${e.message}`);
    for (const rec of e.recommendations) lines.push(`    what to do: ${rec}`);
  }
  if (r.status === "Failed" && r.errors.length === 0)
    lines.push("  what to do: read the job's errors in the vault (Backup jobs) and retry with another recovery point.");
  return `${lines.join("\n")}\n`;
}

export function restoreCommand(write: (text: string) => void): Command {
  return new Command("restore")
    .description("Restore a protected VM from a recovery point: its disks, a new VM, or the original VM's disks; shows the restore job until it ends.")
    .requiredOption("--vault <id>", "the Recovery Services vault (ARM id)")
    .requiredOption("--vm <name or id>", "the protected VM: its name as the vault lists it, or its ARM id")
    .addOption(
      new Option("--to <what>", "disks: restore the disks; new-vm: create a new VM; replace-disks: replace the original VM's disks")
        .choices(["disks", "new-vm", "replace-disks"])
        .makeOptionMandatory(),
    )
    .addOption(new Option("--recovery-point <name>", "latest, or a recovery point's name").default("latest"))
    .addOption(
      new Option("--tier <tier>", "restore from the snapshot tier or the vault (default: what Azure picks, the snapshot while it exists)").choices([
        "snapshot",
        "vault",
      ]),
    )
    .option("--staging-storage-account <id>", "the storage account Azure stages the restore in (ARM id, in the vault's region)")
    .option("--target-resource-group <name>", "the resource group of the restored disks or of the new VM")
    .option("--new-vm-name <name>", "new-vm: the name of the VM to create")
    .option("--subnet <id>", "new-vm: the subnet of the new VM (ARM id)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--no-wait", "return once Azure has started the restore job")
    .addHelpText("after", formatHelp(HELP.restore()))
    .action(async (options: RestoreCommandOptions) => {
      process.exitCode = await runRestore(options, { write, writeError: (t) => process.stderr.write(t), tty: process.stdout.isTTY === true });
    });
}
