/**
 * `azure-vm-backup offline` on a user's own project, as a user runs it from that project's directory: a
 * JavaScript or TypeScript program that requires this package by its name (linked into the project's
 * node_modules, loaded through the `azure-vm-backup-source` condition as in test/cli/offline.test.ts).
 * - A misspelt component argument in a JavaScript program is reported with its "did you mean" before
 *   anything is created (input/unknown-argument, src/components/arguments.ts).
 * - A TypeScript program is type-checked first, as the Pulumi CLI's runtime does: a type error stops the run
 *   (exit 1, nothing previewed, the emulator never started); --skip-type-check runs it as it is.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

interface Cli {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Cli> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts"), ...args], {
      cwd,
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "", PULUMI_NODEJS_TSCONFIG_PATH: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

interface ProjectSpec {
  /** The entry file's name and text. */
  main: [string, string];
  /** Link `typescript` and `@types` into the project's node_modules, as a TypeScript project's devDependencies. */
  typescript?: boolean;
  tsconfig?: Record<string, unknown>;
  /** Pulumi.yaml's runtime options. */
  runtimeOptions?: string;
}

/** A user's project: Pulumi.yaml, package.json, the program, and this package in node_modules under its name. */
function project(spec: ProjectSpec): string {
  const dir = mkdtempSync(join(tmpdir(), "avb-user-"));
  const options = spec.runtimeOptions === undefined ? "" : `  options:\n${spec.runtimeOptions}`;
  writeFileSync(join(dir, "Pulumi.yaml"), `name: user-backup\nruntime:\n  name: nodejs\n${options}main: ${spec.main[0]}\n`);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-backup", private: true, dependencies: { "pulumi-azure-vm-backup": "*" } }));
  writeFileSync(join(dir, spec.main[0]), spec.main[1]);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "pulumi-azure-vm-backup"), "dir");
  if (spec.typescript === true) {
    symlinkSync(join(ROOT, "node_modules", "typescript"), join(dir, "node_modules", "typescript"), "dir");
    symlinkSync(join(ROOT, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
  }
  if (spec.tsconfig !== undefined) writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(spec.tsconfig, null, 2));
  return dir;
}

/** A tsconfig as a TypeScript Pulumi project has one (strict, Node's module resolution). */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "node16",
    moduleResolution: "node16",
    types: ["node"],
    skipLibCheck: true,
  },
};

const JS_PROGRAM = `const { BackupPolicy, BackupVault } = require("pulumi-azure-vm-backup");

const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-user" });
new BackupPolicy("nightly", {
  vault,
  policyName: "nightly-30",
  retension: { daily: { count: 30 } },
});
`;

const TS_PROGRAM = `import { BackupPolicy, BackupVault } from "pulumi-azure-vm-backup";

const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-user" });
new BackupPolicy("nightly", {
  vault,
  policyName: "nightly-30",
  retension: { daily: { count: 30 } },
});
`;

const DID_YOU_MEAN = "[input/unknown-argument] BackupPolicy 'nightly': 'retension' is not an argument of BackupPolicy (did you mean 'retention'?)";

/** The vaults and policies the emulator saved: what was written to "Azure". */
function written(work: string): unknown[] {
  const file = join(work, "emulator-state.json");
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, "utf8")) as { vaults: unknown[] }).vaults;
}

describe("azure-vm-backup offline on a user's project", () => {
  it("a JavaScript program's misspelt argument is reported with 'did you mean' in the preview; nothing is written", async () => {
    const dir = project({ main: ["index.js", JS_PROGRAM] });
    const work = join(dir, "work");
    const { code, stdout, stderr } = await cli(dir, ["offline", ".", "--preview", "--work-dir", work]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(DID_YOU_MEAN);
    expect(stdout).toContain("Rename 'retension' to 'retention'");
    // A JavaScript program has no type check to announce.
    expect(stdout).not.toContain("type check");
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:BackupPolicy nightly/);
    expect(written(work)).toEqual([]);
  }, 180_000);

  it("with azure-vm-backup:unknownArguments=error, the up of that JavaScript program stops before anything is created", async () => {
    const dir = project({ main: ["index.js", JS_PROGRAM] });
    const work = join(dir, "work");
    const { code, stdout } = await cli(dir, ["offline", ".", "--work-dir", work, "--config", "azure-vm-backup:unknownArguments=error"]);
    expect(code).toBe(1);
    expect(stdout).toContain("(did you mean 'retention'?)");
    expect(stdout).not.toMatch(/\d+ created/);
    expect(written(work)).toEqual([]);
  }, 180_000);

  it("a TypeScript program with a type error fails the type check as tsc prints it: exit 1, nothing previewed, the emulator never started", async () => {
    const dir = project({ main: ["index.ts", TS_PROGRAM], typescript: true, tsconfig: TSCONFIG });
    const work = join(dir, "work");
    const { code, stdout } = await cli(dir, ["offline", ".", "--preview", "--work-dir", work]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^ {2}type check: index\.ts and \d+ more file\(s\) of the program, TypeScript \d+\.\d+\.\d+, tsconfig\.json, as the Pulumi CLI does before running a TypeScript program; [\d.]+ s: 1 error\(s\)\.$/m,
    );
    expect(stdout).toMatch(
      /^index\.ts:7:3 - error TS2561: Object literal may only specify known properties, but 'retension' does not exist in type 'BackupPolicyArgs'\. Did you mean to write 'retention'\?$/m,
    );
    expect(stdout).toContain("Found 1 type error(s). Nothing was previewed or deployed.");
    expect(stdout).toContain("--skip-type-check (with the Pulumi CLI: PULUMI_NODEJS_TRANSPILE_ONLY=true)");
    expect(stdout).not.toContain("Previewing");
    expect(stdout).not.toContain("emulator https://");
    expect(existsSync(work)).toBe(false);
  }, 180_000);

  it("--format json: the type errors go to stderr, stdout holds no run", async () => {
    const dir = project({ main: ["index.ts", TS_PROGRAM], typescript: true, tsconfig: TSCONFIG });
    const { code, stdout, stderr } = await cli(dir, ["offline", ".", "--preview", "--format", "json", "--work-dir", join(dir, "work")]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([]);
    expect(stderr).toMatch(/^index\.ts:7:3 - error TS2561: /m);
  }, 180_000);

  it("--skip-type-check runs the TypeScript program as written, and it warns as the JavaScript one does", async () => {
    const dir = project({ main: ["index.ts", TS_PROGRAM], typescript: true, tsconfig: TSCONFIG });
    const work = join(dir, "work");
    const { code, stdout } = await cli(dir, ["offline", ".", "--preview", "--skip-type-check", "--work-dir", work]);
    expect(code).toBe(0);
    expect(stdout).toContain("  type check: skipped: --skip-type-check (the Pulumi CLI's PULUMI_NODEJS_TRANSPILE_ONLY=true).");
    expect(stdout).toContain(DID_YOU_MEAN);
    expect(written(work)).toEqual([]);
  }, 180_000);

  it("skips the check as the Pulumi CLI does: PULUMI_NODEJS_TRANSPILE_ONLY=true, or the runtime option typescript: false", async () => {
    const dir = project({ main: ["index.ts", TS_PROGRAM], typescript: true, tsconfig: TSCONFIG });
    const env = await cli(dir, ["offline", ".", "--preview", "--work-dir", join(dir, "w1")], { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    expect(env.code).toBe(0);
    expect(env.stdout).toContain("  type check: skipped: PULUMI_NODEJS_TRANSPILE_ONLY=true.");

    const off = project({ main: ["index.ts", TS_PROGRAM], typescript: true, tsconfig: TSCONFIG, runtimeOptions: "    typescript: false\n" });
    const option = await cli(off, ["offline", ".", "--preview", "--work-dir", join(off, "w2")]);
    expect(option.code).toBe(0);
    expect(option.stdout).toContain("  type check: skipped: Pulumi.yaml sets the runtime option 'typescript: false'");
  }, 240_000);

  it("without the typescript package in the project, says the check was skipped and why, and runs the program", async () => {
    const dir = project({ main: ["index.ts", TS_PROGRAM] });
    const { code, stdout } = await cli(dir, ["offline", ".", "--preview", "--work-dir", join(dir, "work")]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "  type check: skipped: the 'typescript' package is not installed in . (the Pulumi CLI would check with its bundled TypeScript 3.8.3)",
    );
    expect(stdout).toContain("npm install --save-dev typescript");
    expect(stdout).toContain(DID_YOU_MEAN);
  }, 180_000);

  it("a type-correct TypeScript program passes the check, with the runtime option 'tsconfig' naming the file", async () => {
    const dir = project({
      main: ["index.ts", TS_PROGRAM.replace("retension", "retention")],
      typescript: true,
      runtimeOptions: "    tsconfig: tsconfig.pulumi.json\n",
    });
    writeFileSync(join(dir, "tsconfig.pulumi.json"), JSON.stringify(TSCONFIG));
    const { code, stdout } = await cli(dir, ["offline", ".", "--preview", "--work-dir", join(dir, "work")]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ {2}type check: index\.ts and \d+ more file\(s\) of the program, TypeScript [\d.]+, tsconfig\.pulumi\.json, .*: no errors\./);
    expect(stdout).toContain("+ 4 to create");

    writeFileSync(join(dir, "Pulumi.yaml"), "name: user-backup\nruntime:\n  name: nodejs\n  options:\n    tsconfig: missing.json\nmain: index.ts\n");
    const missing = await cli(dir, ["offline", ".", "--preview"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("azure-vm-backup: tsconfig path was set to missing.json but the file was not found");
  }, 240_000);
});
