/**
 * `azure-vm-backup init [dir]`: a new Pulumi project that uses this package, from the templates shipped
 * with it (templates/init): the program, a test that deploys it to the emulator, a VM fixture, and the
 * package.json, tsconfig.json and jest config that make `npm test` and `azure-vm-backup offline .` work.
 *
 * It never replaces a file the user has without saying so: a directory that holds anything but what
 * `npm install` leaves (package.json, package-lock.json, node_modules) is refused unless --force, and
 * an existing package.json is completed (missing scripts and dependencies added), never rewritten.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";

/** A mistake in what the user asked for: reported in one line, exit code 2. */
export class InitError extends Error {}

export interface InitOptions {
  /** Write into a directory that already holds files, replacing the template's files (each one named). */
  force?: boolean;
  /** The Pulumi project's name; default: the directory's name. */
  name?: string;
}

export interface InitResult {
  dir: string;
  project: string;
  created: string[];
  replaced: string[];
  /** package.json entries added to an existing package.json. */
  merged: string[];
  /** package.json entries the user already had with another value, kept as they were. */
  kept: string[];
  output: string;
}

/** What `npm install <packages>` leaves in an empty directory: init completes these, never refuses them. */
const NPM_FILES = new Set(["package.json", "package-lock.json", "node_modules", ".git", ".npmrc"]);

/** Template file -> the name it is written under (npm does not ship files named .gitignore). */
const RENAMED: Record<string, string> = { gitignore: ".gitignore" };

/** This package's root: two levels above dist/cli (or src/cli when run from the sources). */
export function packageRoot(): string {
  return resolve(__dirname, "..", "..");
}

export function templateDir(): string {
  return join(packageRoot(), "templates", "init");
}

interface OwnManifest {
  name: string;
  version: string;
  devDependencies?: Record<string, string>;
}

/**
 * The versions the scaffolded project asks for: this package at its installed version, and the tools at
 * the versions this package is built and tested with (its own devDependencies), as ranges.
 */
function manifestFor(project: string): {
  name: string;
  version: string;
  private: boolean;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
} {
  const own = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as OwnManifest;
  // Defaults for a manifest published without devDependencies; the repository's package.json is the source.
  const tested: Record<string, string> = {
    "@pulumi/pulumi": "3.270.0",
    "@pulumi/azure-native": "3.28.0",
    typescript: "~5.9.3",
    jest: "30.5.2",
    "ts-jest": "29.4.15",
    "@types/jest": "30.0.0",
    "@types/node": "^20.19.43",
    ...own.devDependencies,
  };
  const range = (pkg: string): string => {
    const version = tested[pkg]!;
    return /^\d/.test(version) ? `^${version}` : version;
  };
  return {
    name: project,
    version: "0.1.0",
    private: true,
    scripts: {
      "preview:offline": "azure-vm-backup offline . --preview",
      "up:offline": "azure-vm-backup offline .",
      typecheck: "tsc --noEmit",
      test: "jest",
    },
    dependencies: {
      [own.name]: `^${own.version}`,
      "@pulumi/pulumi": range("@pulumi/pulumi"),
      "@pulumi/azure-native": range("@pulumi/azure-native"),
    },
    devDependencies: Object.fromEntries(["typescript", "jest", "ts-jest", "@types/jest", "@types/node"].map((pkg) => [pkg, range(pkg)])),
  };
}

/** The test script `npm init` writes: a placeholder, replaced without asking. */
const NPM_INIT_TEST = /^echo "Error: no test specified" && exit 1$/;

/** Adds what `ours` has and `theirs` lacks; records the keys kept with another value. */
function mergeManifest(theirs: Record<string, unknown>, ours: ReturnType<typeof manifestFor>, merged: string[], kept: string[]): Record<string, unknown> {
  const result: Record<string, unknown> = { ...theirs };
  for (const key of ["name", "version", "private"] as const) {
    if (result[key] === undefined) {
      result[key] = ours[key];
      merged.push(key);
    }
  }
  for (const section of ["scripts", "dependencies", "devDependencies"] as const) {
    const existing = (theirs[section] ?? {}) as Record<string, string>;
    const next: Record<string, string> = { ...existing };
    for (const [key, value] of Object.entries(ours[section])) {
      const had = existing[key];
      if (had === undefined || (section === "scripts" && key === "test" && NPM_INIT_TEST.test(had))) {
        next[key] = value;
        merged.push(`${section}.${key}`);
      } else if (had !== value) {
        kept.push(`${section}.${key} (${had})`);
      }
    }
    result[section] = next;
  }
  return result;
}

/**
 * A Pulumi project name: "project names may only contain alphanumerics, hyphens, underscores, and periods" and
 * "must be less than 100 characters" (the Pulumi CLI's messages, pulumi/pulumi pkg/backend/filestate/store.go).
 */
function projectName(dir: string, given: string | undefined): string {
  if (given !== undefined) {
    if (!/^[A-Za-z0-9_.-]{1,99}$/.test(given)) {
      throw new InitError(`--name '${given}' is not a Pulumi project name: use up to 99 letters, digits, '-', '_' and '.'.`);
    }
    return given;
  }
  const fromDir = basename(dir)
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 99);
  return fromDir === "" ? "vm-backup" : fromDir;
}

export function runInit(target: string, options: InitOptions = {}): InitResult {
  const dir = resolve(target);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InitError(`${target} is a file, not a directory: give a new or empty directory.`);
  const present = existsSync(dir) ? readdirSync(dir) : [];
  const foreign = present.filter((f) => !NPM_FILES.has(f));
  if (foreign.length > 0 && options.force !== true) {
    const shown = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : "");
    throw new InitError(
      `${dir} is not empty (${shown}): give a new or empty directory, or --force to add the project's files there (each file replaced is named).`,
    );
  }
  const project = projectName(dir, options.name);
  const templates = templateDir();
  if (!existsSync(templates)) throw new Error(`The package's templates are missing (${templates}): reinstall pulumi-azure-vm-backup.`);
  mkdirSync(dir, { recursive: true });

  const created: string[] = [];
  const replaced: string[] = [];
  for (const file of readdirSync(templates).sort()) {
    const name = RENAMED[file] ?? file;
    const text = readFileSync(join(templates, file), "utf8").replaceAll("__PROJECT__", project);
    const path = join(dir, name);
    if (existsSync(path)) {
      if (readFileSync(path, "utf8") === text) continue;
      replaced.push(name);
    } else {
      created.push(name);
    }
    writeFileSync(path, text);
  }

  const merged: string[] = [];
  const kept: string[] = [];
  const manifestPath = join(dir, "package.json");
  const ours = manifestFor(project);
  if (existsSync(manifestPath)) {
    let theirs: unknown;
    try {
      theirs = JSON.parse(readFileSync(manifestPath, "utf8"));
    } catch (error) {
      throw new InitError(`${manifestPath} is not valid JSON (${(error as Error).message}): fix it, or remove it and run init again.`);
    }
    if (theirs === null || typeof theirs !== "object" || Array.isArray(theirs))
      throw new InitError(`${manifestPath} is not a JSON object: fix it, or remove it.`);
    writeFileSync(manifestPath, `${JSON.stringify(mergeManifest(theirs as Record<string, unknown>, ours, merged, kept), null, 2)}\n`);
  } else {
    writeFileSync(manifestPath, `${JSON.stringify(ours, null, 2)}\n`);
    created.push("package.json");
  }

  const where = relative(process.cwd(), dir);
  const lines = [`Created the Pulumi project '${project}' in ${where === "" ? "." : where}:`];
  for (const f of created) lines.push(`  created  ${f}`);
  for (const f of replaced) lines.push(`  replaced ${f}`);
  if (merged.length > 0) lines.push(`  package.json: added ${merged.join(", ")}`);
  if (kept.length > 0) lines.push(`  package.json: kept your ${kept.join(", ")}`);
  lines.push(
    "",
    "Next steps:",
    ...(where === "" ? [] : [`  cd ${where}`]),
    "  npm install",
    "  npm test                   # deploys index.ts to the built-in Azure emulator and checks every VM is protected",
    "  npm run preview:offline    # the preview, as `pulumi preview` shows it, with no Pulumi CLI and no Azure account",
    "  pulumi up                  # deploys to Azure, with the Pulumi CLI and `az login`",
    "",
  );
  return { dir, project, created, replaced, merged, kept, output: lines.join("\n") };
}
