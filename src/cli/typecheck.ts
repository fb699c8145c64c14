/**
 * The type check `offline` runs on a TypeScript program before running it, as the Pulumi CLI's Node.js
 * runtime does. What Pulumi does (pulumi/pulumi, sdk/nodejs):
 * - cmd/pulumi-language-nodejs/main.go `parseOptions`: the runtime option `typescript` defaults to true and
 *   sets PULUMI_NODEJS_TYPESCRIPT=true; the option `tsconfig` sets PULUMI_NODEJS_TSCONFIG_PATH.
 * - cmd/run/run.ts `run`: with PULUMI_NODEJS_TYPESCRIPT it registers ts-node with `transpileOnly` taken from
 *   PULUMI_NODEJS_TRANSPILE_ONLY when that is set ("true" skips the type check), else from the tsconfig's
 *   `noCheck`, else ts-node's default, which type-checks. The tsconfig is PULUMI_NODEJS_TSCONFIG_PATH or
 *   `tsconfig.json` in the project directory (none there: ts-node loads no project file; a path that was set
 *   but is missing is an error). Its compiler options go over Pulumi's defaults (target ES2020, module and
 *   moduleResolution nodenext from TypeScript 4.7 on, else commonjs/node).
 * - tsutils.ts `typeScriptRequireStrings`: the `typescript` package the program's node_modules resolve to
 *   (Pulumi's own bundled TypeScript 3.8.3 only when there is none: here, the check is skipped and says so).
 * ts-node (TypeStrong/ts-node, website/docs/options.md) checks the files the program loads, not the tsconfig's
 * `files`/`include` (its `files` option defaults to false), and ignores diagnostics 6059, 18002 and 18003
 * (src/index.ts). This check does the same from the program's entry file, with noEmit.
 */
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type * as TS from "typescript";
import { ProjectError, type PulumiProject } from "./project";

/** ts-node's own: diagnostics about a tsconfig's rootDir, empty `files` list or no inputs, which do not apply to a run. */
const IGNORED_DIAGNOSTICS = new Set([6059, 18002, 18003]);

/**
 * Options ts-node takes out because it emits nothing to disk (noEmit here for the same reason), and noCheck,
 * which would silence the check that PULUMI_NODEJS_TRANSPILE_ONLY=false asked for.
 */
const EMIT_ONLY_OPTIONS = [
  "noCheck",
  "out",
  "outFile",
  "composite",
  "declarationDir",
  "declarationMap",
  "emitDeclarationOnly",
  "tsBuildInfoFile",
  "incremental",
];

export type TypeCheck =
  /** Not a TypeScript program (a JavaScript entry file): nothing to check, nothing said. */
  { kind: "javascript" } | { kind: "skipped"; reason: string } | { kind: "passed"; summary: string } | { kind: "failed"; summary: string; errors: string[] };

export interface TypeCheckOptions {
  /** `--skip-type-check`. */
  skip: boolean;
  /** The environment (PULUMI_NODEJS_TRANSPILE_ONLY, PULUMI_NODEJS_TSCONFIG_PATH). */
  env?: NodeJS.ProcessEnv;
  /** Node's `--conditions` in effect for this process: the program's imports resolve with them, so its types do too. */
  conditions?: readonly string[];
  /** Paths in messages are relative to this directory (the current one), as tsc's are. */
  cwd?: string;
}

export function isTypeScriptProgram(main: string): boolean {
  return /\.[cm]?tsx?$/.test(main) && !/\.d\.[cm]?ts$/.test(main);
}

/** Node's `--conditions`/`-C` in this process's flags and NODE_OPTIONS. */
export function nodeConditions(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  const args = [...execArgv, ...nodeOptions.split(/\s+/).filter((a) => a !== "")];
  const found: string[] = [];
  args.forEach((arg, i) => {
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) found.push(inline[1]!);
    else if ((arg === "--conditions" || arg === "-C") && args[i + 1] !== undefined) found.push(args[i + 1]!);
  });
  return [...new Set(found)];
}

/** The tsconfig Pulumi would give ts-node: the project's `tsconfig` runtime option, PULUMI_NODEJS_TSCONFIG_PATH, or tsconfig.json. */
function tsconfigOf(project: PulumiProject, env: NodeJS.ProcessEnv): string | undefined {
  // The language host appends PULUMI_NODEJS_TSCONFIG_PATH from the `tsconfig` option after the inherited
  // environment, so the option wins over a variable the user set.
  const given = project.runtimeOptions.tsconfig ?? (env.PULUMI_NODEJS_TSCONFIG_PATH || undefined);
  const path = resolve(project.dir, given ?? "tsconfig.json");
  if (existsSync(path)) return path;
  if (given !== undefined) {
    throw new ProjectError(`tsconfig path was set to ${given} but the file was not found (${path}); fix Pulumi.yaml's runtime option 'tsconfig'.`);
  }
  return undefined;
}

function loadTypeScript(project: PulumiProject): { ts: typeof TS; path: string } | undefined {
  let path: string;
  try {
    path = require.resolve("typescript", { paths: [dirname(project.main), project.dir] });
  } catch {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { ts: require(path) as typeof TS, path };
}

function formatDiagnostic(ts: typeof TS, d: TS.Diagnostic, cwd: string): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const category = ts.DiagnosticCategory[d.category].toLowerCase();
  if (d.file === undefined || d.start === undefined) return `${category} TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const file = relative(cwd, d.file.fileName) || d.file.fileName;
  return `${file}:${line + 1}:${character + 1} - ${category} TS${d.code}: ${message}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Type-checks the program of `project` as `pulumi preview`/`pulumi up` would before running it. */
export function typeCheckProgram(project: PulumiProject, options: TypeCheckOptions): TypeCheck {
  if (!isTypeScriptProgram(project.main)) return { kind: "javascript" };
  if (options.skip) return { kind: "skipped", reason: "--skip-type-check (the Pulumi CLI's PULUMI_NODEJS_TRANSPILE_ONLY=true)" };
  if (!project.runtimeOptions.typescript) {
    return { kind: "skipped", reason: "Pulumi.yaml sets the runtime option 'typescript: false', so the Pulumi CLI does not load TypeScript for this program" };
  }
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const tsconfig = tsconfigOf(project, env);
  const loaded = loadTypeScript(project);
  if (loaded === undefined) {
    return {
      kind: "skipped",
      reason:
        `the 'typescript' package is not installed in ${relative(cwd, project.dir) || "."} ` +
        "(the Pulumi CLI would check with its bundled TypeScript 3.8.3); run `npm install --save-dev typescript` to have it checked here",
    };
  }
  const { ts } = loaded;
  const started = performance.now();

  const raw: { compilerOptions?: Record<string, unknown> } & Record<string, unknown> = {};
  let configErrors: readonly TS.Diagnostic[] = [];
  if (tsconfig !== undefined) {
    const read = ts.readConfigFile(tsconfig, (p) => ts.sys.readFile(p));
    if (read.error !== undefined) configErrors = [read.error];
    else Object.assign(raw, read.config as Record<string, unknown>);
  }
  const ownOptions = raw.compilerOptions ?? {};
  const atLeast47 = ts.versionMajorMinor.localeCompare("4.7", undefined, { numeric: true }) >= 0;
  // Pulumi's defaults go under the file's own options and over those it extends (ts-node merges them as overrides).
  const defaults = { target: "ES2020", module: atLeast47 ? "nodenext" : "commonjs", moduleResolution: atLeast47 ? "nodenext" : "node", sourceMap: true };

  // An explicit PULUMI_NODEJS_TRANSPILE_ONLY decides; else the tsconfig's noCheck does (run.ts).
  const transpileOnly = env.PULUMI_NODEJS_TRANSPILE_ONLY;
  if (transpileOnly !== undefined && transpileOnly !== "") {
    if (transpileOnly === "true") return { kind: "skipped", reason: "PULUMI_NODEJS_TRANSPILE_ONLY=true" };
  } else if (ownOptions.noCheck === true) {
    return { kind: "skipped", reason: `${relative(cwd, tsconfig ?? "") || "tsconfig.json"} sets noCheck` };
  }

  const parsed = ts.parseJsonConfigFileContent(
    { ...raw, compilerOptions: { ...defaults, ...ownOptions }, files: [], include: [] },
    ts.sys,
    tsconfig === undefined ? project.dir : dirname(tsconfig),
    undefined,
    tsconfig,
  );
  const compilerOptions: TS.CompilerOptions = { ...parsed.options, noEmit: true, declaration: false };
  for (const key of EMIT_ONLY_OPTIONS) delete compilerOptions[key];
  const resolution = compilerOptions.moduleResolution;
  // Custom conditions apply to the resolutions that read package.json `exports` (TypeScript 5.0 and later).
  const conditionsApply =
    resolution !== undefined &&
    (resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext || resolution === ts.ModuleResolutionKind.Bundler);
  const conditions = options.conditions ?? nodeConditions();
  if (conditionsApply && conditions.length > 0) compilerOptions.customConditions = [...new Set([...(compilerOptions.customConditions ?? []), ...conditions])];

  const program = ts.createProgram({ rootNames: [project.main], options: compilerOptions });
  // ts-node reports the diagnostics of the files it compiles, which are the program's own: not those under
  // node_modules (its `ignore` default) nor, here, a package linked from outside the project.
  const isProgramFile = (f: TS.SourceFile) =>
    !f.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(f.fileName) && !relative(project.dir, f.fileName).startsWith("..");
  const programFiles = program.getSourceFiles().filter(isProgramFile);
  const diagnostics = [
    ...configErrors,
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...programFiles.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_DIAGNOSTICS.has(d.code));
  const config = tsconfig === undefined ? "no tsconfig.json (Pulumi's defaults)" : relative(cwd, tsconfig) || tsconfig;
  const entry = relative(cwd, project.main) || project.main;
  const summary =
    `type check: ${entry} and ${programFiles.length - 1} more file(s) of the program, TypeScript ${ts.version}, ${config}, ` +
    `as the Pulumi CLI does before running a TypeScript program; ${seconds(performance.now() - started)}`;
  if (diagnostics.length === 0) return { kind: "passed", summary };
  return { kind: "failed", summary, errors: diagnostics.map((d) => formatDiagnostic(ts, d, cwd)) };
}
