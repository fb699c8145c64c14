/**
 * `azure-vm-backup offline [project]`: runs a Pulumi program that uses this package with no Pulumi CLI
 * and no Azure: the built-in emulator stands in for Azure, an offline stack for the engine. It previews,
 * then deploys (or destroys), keeping the emulator's and the stack's state in a work directory so that
 * the next run continues where this one stopped, as a real stack would. A TypeScript program is type-checked
 * first, as the Pulumi CLI's runtime does (src/cli/typecheck.ts); a type error stops the run before the
 * emulator starts.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { loadVms, startEmulator, type Emulator } from "../emulator";
import type { RuleOptions } from "../rules";
import { OfflineStack, type Program, type RunResult } from "../testing";
import { limitSettings } from "../azure/settings";
import type { VmFixture } from "../emulator";
import { formatOfflineMarkdown } from "./format-offline-markdown";
import { formatRun } from "./format-run";
import { buildOfflineReport } from "./offline-report";
import { readGuardrails } from "./guardrails-file";
import { loadProject, type PulumiProject } from "./project";
import { typeCheckProgram, type TypeCheck } from "./typecheck";

export interface OfflineOptions {
  stack: string;
  /** Only preview (with destroy: preview the destroy). */
  preview: boolean;
  /** Destroy the stack instead. */
  destroy: boolean;
  /** Run a TypeScript program without type-checking it first (the Pulumi CLI's PULUMI_NODEJS_TRANSPILE_ONLY=true). */
  skipTypeCheck?: boolean;
  /** Deploy without the preview first (`pulumi up --skip-preview`); the up still checks every resource. */
  skipPreview?: boolean;
  /** Read every resource back from the emulator first (`pulumi refresh`), so that changes made outside the program show. */
  refresh?: boolean;
  /** Default: `<project>/.azure-vm-backup/<stack>`; a relative path is relative to the current directory. */
  workDir?: string;
  /** Azure Policy assignments the emulator enforces on vaults (`--guardrails FILE`, a JSON list). */
  guardrailsPath?: string;
  /** Existing VMs for the emulator to serve (a JSON list). */
  vmsPath?: string;
  /** Emulated seconds per real second (backups that take hours finish in seconds). */
  clockSpeed: number;
  config: Record<string, string>;
  /**
   * `text` as Pulumi prints a run; `json` the runs' results; `markdown` and `report-json` the review report of the last run
   * (the preview, with --preview: offline-report.ts), as a pull-request comment or as JSON.
   */
  format: OfflineFormat;
}

export const OFFLINE_FORMATS = ["text", "json", "markdown", "report-json"] as const;
export type OfflineFormat = (typeof OFFLINE_FORMATS)[number];

let typescript = false;

/** TypeScript programs run through tsx, as Pulumi runs them through ts-node. */
function registerTypeScript(): void {
  if (typescript) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("tsx/cjs/api") as { register(): unknown }).register();
  typescript = true;
}

/**
 * The project's program: a module whose default export is a function (called on each run), or a module
 * that declares resources as it loads (loaded afresh on each run); its exports are the stack's outputs.
 */
export function programOf(project: PulumiProject): Program {
  if (/\.[cm]?tsx?$/.test(project.main)) registerTypeScript();
  const own = dirname(project.main);
  return () => {
    for (const key of Object.keys(require.cache)) {
      if (key.startsWith(own + sep) && !key.includes(`${sep}node_modules${sep}`)) delete require.cache[key];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(project.main) as unknown;
    const main =
      exported !== null && typeof exported === "object" && "default" in exported && typeof (exported as { default: unknown }).default === "function"
        ? (exported as { default: () => unknown }).default
        : exported;
    return typeof main === "function" ? (main as () => unknown)() : exported;
  };
}

/** What a destroy left in Azure: vaults that still hold backups (kept, as onDestroy "retain" promises). */
function keptBackups(emulator: Emulator): string {
  const kept = emulator.state.vaults.filter((v) => v.items.length > 0);
  if (kept.length === 0) return "";
  const lines = kept.map((v) => {
    const points = v.items.reduce((n, i) => n + i.recoveryPoints.length, 0);
    return `  vault '${v.name}' (resource group ${v.resourceGroup}): the backups of ${v.items.length} VM(s), ${points} recovery point(s)`;
  });
  return `Backup data kept in Azure (destroy never deletes it unless asked):\n${lines.join("\n")}\n\n`;
}

/** The limit profile and overrides of the stack's config (as the providers read them); a broken setting is the providers' check to report. */
function ruleOptionsOf(config: Record<string, string>): RuleOptions {
  try {
    const { limitProfile, limits } = limitSettings({ get: (key) => config[key] });
    return { ...(limitProfile === undefined ? {} : { profile: limitProfile }), ...(limits === undefined ? {} : { limits }) };
  } catch {
    return {};
  }
}

export interface OfflineRun {
  output: string;
  exitCode: number;
  results: RunResult[];
  /** The type check of a TypeScript program (none for a destroy, which does not run the program). */
  typeCheck?: TypeCheck;
}

/** The type check's line under the run's header, and, when it failed, the errors as tsc prints them. */
function describeTypeCheck(check: TypeCheck): { line: string; errors?: string } {
  switch (check.kind) {
    case "javascript":
      return { line: "" };
    case "skipped":
      return { line: `  type check: skipped: ${check.reason}.\n` };
    case "passed":
      return { line: `  ${check.summary}: no errors.\n` };
    case "failed": {
      const n = check.errors.length;
      return {
        line: `  ${check.summary}: ${n} error(s).\n`,
        errors:
          `${check.errors.join("\n")}\n\nFound ${n} type error(s). Nothing was previewed or deployed. Fix the program, or run it unchecked with ` +
          "--skip-type-check (with the Pulumi CLI: PULUMI_NODEJS_TRANSPILE_ONLY=true).\n",
      };
    }
  }
}

export async function runOffline(
  dir: string,
  options: OfflineOptions,
  write: (text: string) => void,
  writeError: (text: string) => void = (t) => process.stderr.write(t),
): Promise<OfflineRun> {
  const project = loadProject(dir, options.stack, options.config);
  // The files given on the command line first: a mistake in them stops the command (exit 2) before anything is printed or checked.
  const vms = options.vmsPath === undefined ? undefined : loadVms(resolve(options.vmsPath));
  const guardrails = options.guardrailsPath === undefined ? undefined : readGuardrails(options.guardrailsPath);
  // `pulumi destroy` does not run the program, so it is not checked either.
  const typeCheck = options.destroy ? undefined : typeCheckProgram(project, { skip: options.skipTypeCheck === true });
  const results: RunResult[] = [];
  let out = "";
  const say = (text: string) => {
    out += text;
    if (options.format === "text") write(text);
  };
  say(`azure-vm-backup offline: ${project.name}/${project.stack} (${relative(process.cwd(), project.main) || project.main})\n`);
  if (typeCheck !== undefined) {
    const { line, errors } = describeTypeCheck(typeCheck);
    say(line);
    if (errors !== undefined) {
      // Before the emulator and the stack start: nothing is read, previewed or written.
      if (options.format === "text") say(`\n${errors}`);
      else {
        writeError(errors);
        if (options.format === "json") write("[]\n");
      }
      return { output: out, exitCode: 1, results, typeCheck };
    }
  }
  // Paths given on the command line are relative to where the command runs, as every CLI's are.
  const workDir = options.workDir === undefined ? join(project.dir, ".azure-vm-backup", options.stack) : resolve(options.workDir);
  mkdirSync(workDir, { recursive: true });
  const emulator = await startEmulator({
    statePath: join(workDir, "emulator-state.json"),
    clock: { speed: options.clockSpeed },
    ...(vms === undefined ? {} : { vms }),
    ...(guardrails === undefined ? {} : { model: { guardrails } }),
  });
  say(`  emulator ${emulator.endpoint}, state in ${relative(process.cwd(), workDir) || "."}, clock x${options.clockSpeed}\n\n`);
  // A program that throws leaves promises of Pulumi's runtime (the stack's outputs) rejected with the same
  // error and unhandled, which would end this process with a dump. The Pulumi CLI's runner catches them and
  // reports each error once (pulumi/pulumi sdk/nodejs/cmd/run/run.ts, `uncaughtHandler` and `isErrorReported`);
  // here the run reports the program's error, and any other such error is said in one line.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  const stack = await OfflineStack.start({
    emulator,
    project: project.name,
    stack: project.stack,
    config: project.config,
    statePath: join(workDir, "stack-state.json"),
    workDir,
    ...(options.format === "markdown" || options.format === "report-json" ? { recordInputs: true } : {}),
  });
  let servedVms: VmFixture[] = [];
  try {
    const show = (result: RunResult) => {
      results.push(result);
      say(formatRun(result, { name: project.name, stack: project.stack }));
      say("\n");
      return result.ok;
    };
    const refreshed = options.refresh === true ? show(await stack.refresh(!options.preview)) : true;
    if (!refreshed) {
      // A refresh that could not read a resource: nothing more runs, as with `pulumi up --refresh`.
    } else if (options.destroy && options.preview) {
      show(await stack.previewDestroy());
    } else if (options.destroy) {
      show(await stack.destroy());
      say(keptBackups(emulator));
    } else {
      const program = programOf(project);
      const previewed = options.skipPreview === true && !options.preview ? true : show(await stack.preview(program));
      if (previewed && !options.preview) show(await stack.up(program));
    }
  } finally {
    servedVms = [...emulator.state.vms];
    await stack.stop();
    await emulator.stop();
    process.off("unhandledRejection", onUnhandled);
  }
  const reported = results.map((r) => r.programError ?? "").join("\n");
  const unreported = unhandled
    .map((reason) => (reason instanceof Error ? reason.message : String(reason)))
    .filter((message) => !reported.includes(message.split("\n")[0]!));
  for (const message of unreported) say(`error: the program left a promise rejected: ${message}\n`);
  if (options.format === "json") write(`${JSON.stringify(results, null, 2)}\n`);
  const last = results[results.length - 1];
  if ((options.format === "markdown" || options.format === "report-json") && last !== undefined) {
    const report = buildOfflineReport(last, {
      project: project.name,
      stack: project.stack,
      config: project.config,
      rules: ruleOptionsOf(project.config),
      vms: servedVms,
    });
    write(options.format === "markdown" ? formatOfflineMarkdown(report) : `${JSON.stringify(report, null, 2)}\n`);
  }
  return { output: out, exitCode: results.every((r) => r.ok) && unreported.length === 0 ? 0 : 1, results, ...(typeCheck === undefined ? {} : { typeCheck }) };
}
