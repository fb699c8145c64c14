#!/usr/bin/env node
/**
 * The `azure-vm-backup` command. Commander parses the command line; each command lives in its own module.
 * Exit codes: 0 ok, 1 the plan has errors (or warnings with --fail-on warning), 2 the command itself failed.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DEFAULT_PROFILE, limitProfiles, RULES } from "../rules";
import { FORMATS, runCheck, type Format } from "./check";
import { runEmulator, type EmulatorCommandOptions } from "./emulator";
import { FILES_ACTIONS, runFiles, type FilesAction, type FilesCommandOptions } from "./files";
import { formatHelp, HELP, vmsOptionHelp } from "./help";
import { runLimits, type LimitsCommandOptions } from "./limits";
import { InitError, runInit } from "./init";
import { PlanFileError } from "./load-plan";
import { OFFLINE_FORMATS, runOffline, type OfflineFormat } from "./offline";
import { ProjectError } from "./project";
import { runStatus, STATUS_FORMATS, type StatusCommandOptions } from "./status";
import { restoreCommand } from "./restore";
import { packageVersion } from "./version";

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number, 0 or more.");
  return n;
}

function profileName(value: string): string {
  if (limitProfiles[value] === undefined) {
    throw new InvalidArgumentError(`unknown profile; use one of: ${Object.keys(limitProfiles).join(", ")}.`);
  }
  return value;
}

export function buildProgram(write: (text: string) => void = (t) => process.stdout.write(t)): Command {
  const program = new Command("azure-vm-backup")
    .description("Checks Azure VM backup plans against every Azure Backup rule and limit, before anything is deployed.")
    .version(packageVersion(), "-V, --version", "print the version of pulumi-azure-vm-backup")
    .showHelpAfterError()
    .exitOverride()
    .addHelpText("after", formatHelp(HELP.program()));

  program
    .command("check")
    .description("Check a backup plan (JSON or YAML): vaults, policies and VMs; print diagnostics and estimates.")
    .argument("<plan>", "plan file (.json, .yaml or .yml)")
    .addOption(new Option("--profile <name>", "limit profile").argParser(profileName).default(DEFAULT_PROFILE))
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("text"))
    .addOption(new Option("--fail-on <severity>", "exit 1 on errors only, or on warnings too").choices(["error", "warning"]).default("error"))
    .addHelpText("after", formatHelp(HELP.check()))
    .action((plan: string, options: { profile: string; format: Format; failOn: "error" | "warning" }) => {
      const result = runCheck(plan, options);
      write(result.output);
      process.exitCode = result.exitCode;
    });

  program
    .command("emulator")
    .description("Run the offline Azure Resource Manager emulator (HTTPS) until interrupted.")
    .addOption(new Option("--port <n>", "port (0: a free one)").argParser(integer).default(0))
    .addOption(new Option("--host <address>", "interface to listen on").default("127.0.0.1"))
    .addOption(new Option("--state <file>", "save state here and resume from it"))
    .addOption(new Option("--vms <file>", vmsOptionHelp("VMs the compute API serves")))
    .addOption(new Option("--ca <file>", "where to write the CA certificate (PEM)"))
    .addOption(new Option("--clock-speed <x>", "emulated seconds per real second (1: real time)").argParser(Number).default(1))
    .addOption(new Option("--retry-after <seconds>", "Retry-After on operation answers (the real service: 60)").argParser(integer).default(0))
    .addOption(new Option("--guardrails <file>", "Azure Policy assignments that deny vaults (JSON list; see /_emulator/guardrails)"))
    .addHelpText("after", formatHelp(HELP.emulator()))
    .action(async (options: EmulatorCommandOptions) => {
      const emulator = await runEmulator(options, write);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void emulator.stop().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      write("azure-vm-backup emulator stopped.\n");
    });

  program
    .command("offline")
    .description("Run a Pulumi program that uses this package offline: preview and deploy it to the built-in emulator (no Pulumi CLI, no Azure).")
    .argument("[project]", "directory of the Pulumi project (Pulumi.yaml)", ".")
    .addOption(new Option("--stack <name>", "stack (its config: Pulumi.<stack>.yaml)").default("dev"))
    .addOption(new Option("--preview", "preview only"))
    .addOption(
      new Option("--destroy", "destroy the stack (backup data is kept unless the program asks otherwise); with --preview, only show what would be deleted"),
    )
    .addOption(
      new Option(
        "--skip-type-check",
        "run a TypeScript program without type-checking it first (as PULUMI_NODEJS_TRANSPILE_ONLY=true does for the Pulumi CLI, which otherwise type-checks it with ts-node)",
      ),
    )
    .addOption(new Option("--skip-preview", "deploy without previewing first, as `pulumi up --skip-preview` (every resource is still checked)"))
    .addOption(
      new Option(
        "--refresh",
        "read every resource back from the emulator first, as `pulumi refresh` does, so that changes made outside the program show as updates (with --preview: for this run only)",
      ),
    )
    .addOption(new Option("--work-dir <dir>", "where the emulator's and the stack's state are kept (default: <project>/.azure-vm-backup/<stack>)"))
    .addOption(
      new Option("--clock-speed <x>", "emulated seconds per real second; the default runs backups of hours in seconds").argParser(Number).default(3600),
    )
    .addOption(new Option("--vms <file>", vmsOptionHelp("existing VMs the emulator serves")))
    .addOption(new Option("--guardrails <file>", "Azure Policy assignments the emulator enforces on vaults (JSON list, as for `emulator --guardrails`)"))
    .addOption(new Option("--config <key=value...>", "stack config, e.g. --config basic:location=northeurope").default([]))
    .addOption(
      new Option("--format <format>", "output format: the run as text or JSON, or the review report of the run (markdown for a pull request, or JSON)")
        .choices(OFFLINE_FORMATS)
        .default("text"),
    )
    .addHelpText("after", formatHelp(HELP.offline()))
    .action(
      async (
        dir: string,
        options: {
          stack: string;
          preview?: boolean;
          destroy?: boolean;
          skipPreview?: boolean;
          skipTypeCheck?: boolean;
          refresh?: boolean;
          workDir?: string;
          clockSpeed: number;
          vms?: string;
          guardrails?: string;
          config: string[];
          format: OfflineFormat;
        },
      ) => {
        const config: Record<string, string> = {};
        for (const pair of options.config) {
          const at = pair.indexOf("=");
          if (at <= 0) throw new InvalidArgumentError(`--config takes key=value; got '${pair}'.`);
          config[pair.slice(0, at)] = pair.slice(at + 1);
        }
        const run = await runOffline(
          dir,
          {
            stack: options.stack,
            preview: options.preview === true,
            destroy: options.destroy === true,
            refresh: options.refresh === true,
            skipPreview: options.skipPreview === true,
            skipTypeCheck: options.skipTypeCheck === true,
            ...(options.workDir === undefined ? {} : { workDir: options.workDir }),
            ...(options.vms === undefined ? {} : { vmsPath: options.vms }),
            ...(options.guardrails === undefined ? {} : { guardrailsPath: options.guardrails }),
            clockSpeed: options.clockSpeed,
            config,
            format: options.format,
          },
          write,
        );
        process.exitCode = run.exitCode;
      },
    );

  program
    .command("init")
    .description("Create a Pulumi project that backs up Azure VMs: a program, a test that deploys it to the emulator, and their config.")
    .argument("[dir]", "directory to create it in (new, or holding only what `npm install` left)", ".")
    .addOption(new Option("--name <name>", "the Pulumi project's name (default: the directory's name)"))
    .addOption(new Option("--force", "write into a directory that holds other files, replacing the project's files (each one named)"))
    .addHelpText("after", formatHelp(HELP.init()))
    .action((dir: string, options: { name?: string; force?: boolean }) => {
      write(runInit(dir, options).output);
    });

  program
    .command("limits")
    .description("List the limit profiles and how to choose one or override a limit, and the limits of a profile with their sources.")
    .addOption(new Option("--profile <name>", `only this profile's limits (without: the profiles, then ${DEFAULT_PROFILE}'s limits)`).argParser(profileName))
    .addOption(new Option("--list", "only the profiles and how to choose one").conflicts("profile"))
    .addHelpText("after", formatHelp(HELP.limits()))
    .action((options: LimitsCommandOptions) => {
      write(runLimits(options));
    });

  program
    .command("files")
    .description("File recovery: mount a VM's recovery point (Azure provisions a script that attaches its disks for 12 hours) or unmount it.")
    .addArgument(new Argument("<action>", "mount or unmount").choices(FILES_ACTIONS))
    .requiredOption("--vault <id>", "the vault's resource id")
    .requiredOption("--vm <name or id>", "the VM, by its name in the vault or its resource id")
    .addOption(new Option("--recovery-point <name>", "'latest' or a recovery point's name (unmount: default every mounted point)"))
    .addOption(new Option("--out <dir>", "mount: the folder to write the script to (it must exist)").default("."))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText("after", formatHelp(HELP.files()))
    .action(async (action: FilesAction, options: FilesCommandOptions) => {
      const run = await runFiles(action, options);
      write(run.output);
      if (run.error !== undefined) process.stderr.write(run.error);
      process.exitCode = run.exitCode;
    });

  program
    .command("rules")
    .description("List every rule code with its default severity.")
    .addHelpText("after", formatHelp(HELP.rules()))
    .action(() => {
      write(
        `${Object.entries(RULES)
          .map(([code, info]) => `${code.padEnd(46)} ${info.severity.padEnd(8)} ${info.title}`)
          .join("\n")}\n`,
      );
    });

  program
    .command("status")
    .description("Are the VMs backed up? Per vault: protected VMs, last backup, newest recovery point and its consistency, jobs of the last 24 hours.")
    .addOption(new Option("--vault <id...>", "Recovery Services vault ARM id (repeatable; default: every vault of the subscription)"))
    .addOption(new Option("--subscription <id>", "subscription whose vaults to list (default: AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID)"))
    .addOption(new Option("--format <format>", "output format").choices(STATUS_FORMATS).default("text"))
    .addOption(new Option("--now <iso>", "judge at this time instead of the service's clock (tests, replays)"))
    .addHelpText("after", formatHelp(HELP.status()))
    .action(async (options: StatusCommandOptions) => {
      const result = await runStatus(options);
      if (result.error !== undefined) process.stderr.write(`azure-vm-backup: ${result.error}\n`);
      write(result.output);
      process.exitCode = result.exitCode;
    });
  program.addCommand(restoreCommand(write));

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Mistakes in what the user gave us are reported in one line, never as a stack trace.
    if (
      error instanceof PlanFileError ||
      error instanceof ProjectError ||
      error instanceof InitError ||
      error instanceof InvalidArgumentError ||
      isFileError(error)
    ) {
      process.stderr.write(`azure-vm-backup: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    if ((error as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE") {
      // The emulator's port is taken: a one-line answer (exit 1, as its help says), not Node's stack trace.
      const port = (error as NodeJS.ErrnoException & { port?: number }).port;
      process.stderr.write(`azure-vm-backup: port ${port ?? ""} is already in use: choose another with --port (0 picks a free one).\n`);
      process.exitCode = 1;
      return;
    }
    if (error instanceof CommanderError) {
      // Commander has printed the problem (unknown option, bad choice) or the help text.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    throw error;
  }
}

/** A missing or unreadable file the user named (a VM or state file): one line, no stack trace. */
function isFileError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    (/^(VM file|State file) '/.test(error.message) || ["ENOENT", "EACCES", "EISDIR"].includes((error as NodeJS.ErrnoException).code ?? ""))
  );
}

if (require.main === module) {
  void main(process.argv);
}
