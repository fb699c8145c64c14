/**
 * A Pulumi project on disk, read as the Pulumi CLI reads it: `Pulumi.yaml` (name, runtime, main) and the
 * stack's `Pulumi.<stack>.yaml` (config). Problems are the user's to fix and are reported in one line.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

export class ProjectError extends Error {}

export interface PulumiProject {
  dir: string;
  name: string;
  /** The program's entry file. */
  main: string;
  stack: string;
  /** The stack's config, keyed `namespace:key` as the engine hands it to programs and providers. */
  config: Record<string, string>;
  /** Pulumi.yaml's `runtime.options` that decide how a TypeScript program is loaded (src/cli/typecheck.ts). */
  runtimeOptions: RuntimeOptions;
}

export interface RuntimeOptions {
  /** Whether the Pulumi CLI loads TypeScript (ts-node) for the program; its default is true. */
  typescript: boolean;
  /** The tsconfig file, relative to the project directory (default: tsconfig.json). */
  tsconfig?: string;
}

function readYaml(path: string): Record<string, unknown> {
  try {
    const value = parse(readFileSync(path, "utf8")) as unknown;
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch (error) {
    throw new ProjectError(`${path} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** The program's entry: Pulumi.yaml's `main` (a file or a directory), else package.json's, else index.ts/js. */
function entryOf(dir: string, main: unknown): string {
  const candidates = (base: string): string[] => {
    const manifest = join(base, "package.json");
    const declared = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { main?: string }).main : undefined;
    return [...(declared === undefined ? [] : [join(base, declared)]), join(base, "index.ts"), join(base, "index.js")];
  };
  const base = typeof main === "string" ? resolve(dir, main) : dir;
  if (typeof main === "string" && existsSync(base) && statSync(base).isFile()) return base;
  const found = candidates(base).find((c) => existsSync(c) && statSync(c).isFile());
  if (found === undefined) throw new ProjectError(`No program found in ${base}: set 'main' in Pulumi.yaml, or add index.ts.`);
  return found;
}

/** Config values as strings; objects as JSON (as `pulumi config set --path` stores them). */
function configOf(file: string, project: string): Record<string, string> {
  const raw = readYaml(file).config;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object") throw new ProjectError(`${file}: 'config' must be a map of keys to values.`);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    if (value !== null && typeof value === "object" && "secure" in value) {
      throw new ProjectError(`${file}: '${key}' is a secret, which only the Pulumi CLI can decrypt. Give its value with --config ${full}=<value>.`);
    }
    config[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}

/**
 * `runtime.options` as the Node.js language host parses them (pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go `parseOptions`: `typescript` a boolean, default true;
 * `tsconfig` a string).
 */
function runtimeOptionsOf(file: string, runtime: unknown): RuntimeOptions {
  const options = runtime !== null && typeof runtime === "object" ? (runtime as { options?: unknown }).options : undefined;
  if (options === undefined || options === null) return { typescript: true };
  if (typeof options !== "object") throw new ProjectError(`${file}: runtime 'options' must be a map.`);
  const { typescript, tsconfig } = options as { typescript?: unknown; tsconfig?: unknown };
  if (typescript !== undefined && typeof typescript !== "boolean") throw new ProjectError(`${file}: the runtime option 'typescript' must be true or false.`);
  if (tsconfig !== undefined && typeof tsconfig !== "string") throw new ProjectError(`${file}: the runtime option 'tsconfig' must be a path.`);
  return { typescript: typescript ?? true, ...(tsconfig === undefined ? {} : { tsconfig }) };
}

export function loadProject(dir: string, stack: string, overrides: Record<string, string> = {}): PulumiProject {
  const root = resolve(dir);
  const file = join(root, "Pulumi.yaml");
  if (!existsSync(file)) throw new ProjectError(`No Pulumi.yaml in ${root}: give the directory of a Pulumi project.`);
  const project = readYaml(file);
  const name = project.name;
  if (typeof name !== "string" || name === "") throw new ProjectError(`${file}: 'name' is required.`);
  const runtime = typeof project.runtime === "string" ? project.runtime : (project.runtime as { name?: unknown } | undefined)?.name;
  if (runtime !== "nodejs")
    throw new ProjectError(`${file}: runtime is '${String(runtime)}'; offline runs take Node.js programs (runtime: nodejs), where dynamic providers run.`);
  const stackFile = join(root, `Pulumi.${stack}.yaml`);
  const config = existsSync(stackFile) ? configOf(stackFile, name) : {};
  return {
    dir: root,
    name,
    main: entryOf(root, project.main),
    stack,
    config: { ...config, ...overrides },
    runtimeOptions: runtimeOptionsOf(file, project.runtime),
  };
}
