/**
 * `azure-vm-backup init`: the files it writes from templates/init, what it refuses, how it completes the
 * package.json `npm install` left, and that the scaffolded program and test type-check against this
 * package's sources. (test/cli/pack.test.ts runs the scaffold for real, from the packed tarball.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { runInit } from "../../src/cli/init";

const ROOT = join(__dirname, "../..");
const OWN = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
const FILES = [".gitignore", "Pulumi.yaml", "emulator-vms.json", "index.test.ts", "index.ts", "jest.config.js", "package.json", "tsconfig.json"];

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, ["--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts"), ...args], { encoding: "utf8", cwd });
}
const fresh = () => mkdtempSync(join(tmpdir(), "avb-init-"));
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const manifest = (dir: string) => JSON.parse(read(dir, "package.json")) as Record<string, Record<string, string>>;

describe("azure-vm-backup init", () => {
  it("creates the project in a new directory and prints the next steps", () => {
    const base = fresh();
    const { status, stdout, stderr } = cli(base, "init", "my-backup");
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const dir = join(base, "my-backup");
    expect(readdirSync(dir).sort()).toEqual(FILES);
    expect(stdout).toContain("Created the Pulumi project 'my-backup' in my-backup:");
    expect(stdout).toMatch(/Next steps:\n {2}cd my-backup\n {2}npm install\n {2}npm test/);

    expect(read(dir, "Pulumi.yaml")).toMatch(/^name: my-backup$/m);
    expect(read(dir, "Pulumi.yaml")).toMatch(/^runtime:\n {2}name: nodejs$/m);
    expect(read(dir, "index.test.ts")).toContain('const PROJECT = "my-backup";');
    expect(read(dir, "index.test.ts")).toContain('from "pulumi-azure-vm-backup/testing"');
    expect(read(dir, "index.ts")).toContain("new compute.VirtualMachine(");
    expect(read(dir, ".gitignore")).toContain(".azure-vm-backup/");
    // The fixture is the emulator's VM format, in the subscription offline stacks deploy to.
    const vms = JSON.parse(read(dir, "emulator-vms.json")) as Array<{ id: string }>;
    expect(vms.map((v) => v.id)).toEqual([
      "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/app-01",
    ]);

    expect(manifest(dir)).toEqual({
      name: "my-backup",
      version: "0.1.0",
      private: true,
      scripts: { "preview:offline": "azure-vm-backup offline . --preview", "up:offline": "azure-vm-backup offline .", typecheck: "tsc --noEmit", test: "jest" },
      dependencies: {
        "pulumi-azure-vm-backup": `^${OWN.version}`,
        "@pulumi/pulumi": `^${OWN.devDependencies["@pulumi/pulumi"]}`,
        "@pulumi/azure-native": `^${OWN.devDependencies["@pulumi/azure-native"]}`,
      },
      devDependencies: {
        typescript: OWN.devDependencies.typescript,
        jest: `^${OWN.devDependencies.jest}`,
        "ts-jest": `^${OWN.devDependencies["ts-jest"]}`,
        "@types/jest": `^${OWN.devDependencies["@types/jest"]}`,
        "@types/node": OWN.devDependencies["@types/node"],
      },
    });
  });

  it("completes the package.json `npm install` left, keeping the user's versions", () => {
    const dir = fresh();
    const tarball = "file:../pulumi-azure-vm-backup-0.1.0.tgz";
    writeFileSync(join(dir, "package.json"), JSON.stringify({ dependencies: { "pulumi-azure-vm-backup": tarball, "@pulumi/pulumi": "^3.200.0" } }));
    writeFileSync(join(dir, "package-lock.json"), "{}");
    mkdirSync(join(dir, "node_modules"));
    const { status, stdout } = cli(dir, "init", ".", "--name", "fleet-backup");
    expect(status).toBe(0);
    const pkg = manifest(dir);
    expect(pkg.dependencies).toMatchObject({ "pulumi-azure-vm-backup": tarball, "@pulumi/pulumi": "^3.200.0" });
    expect(pkg.dependencies!["@pulumi/azure-native"]).toBe(`^${OWN.devDependencies["@pulumi/azure-native"]}`);
    expect(pkg.scripts).toMatchObject({ test: "jest", "preview:offline": "azure-vm-backup offline . --preview" });
    expect(pkg.name as unknown).toBe("fleet-backup");
    expect(stdout).toContain("package.json: added name, version, private, scripts.preview:offline");
    expect(stdout).toContain(`package.json: kept your dependencies.pulumi-azure-vm-backup (${tarball}), dependencies.@pulumi/pulumi (^3.200.0)`);
    expect(stdout).not.toContain("cd ");
    expect(read(dir, "package-lock.json")).toBe("{}");
  });

  it("refuses a directory that holds other files (exit 2, one line), and writes nothing", () => {
    const dir = fresh();
    writeFileSync(join(dir, "index.ts"), "// mine\n");
    const { status, stdout, stderr } = cli(dir, "init");
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toEqual([
      `azure-vm-backup: ${dir} is not empty (index.ts): give a new or empty directory, or --force to add the project's files there (each file replaced is named).`,
    ]);
    expect(readdirSync(dir)).toEqual(["index.ts"]);
  });

  it("refuses a project name Pulumi would refuse, and a file given as the directory", () => {
    const dir = fresh();
    expect(cli(dir, "init", "x", "--name", "my backup")).toMatchObject({
      status: 2,
      stderr: "azure-vm-backup: --name 'my backup' is not a Pulumi project name: use up to 99 letters, digits, '-', '_' and '.'.\n",
    });
    writeFileSync(join(dir, "file"), "");
    expect(cli(dir, "init", "file")).toMatchObject({ status: 2, stderr: "azure-vm-backup: file is a file, not a directory: give a new or empty directory.\n" });
  });

  it("with --force, writes into a non-empty directory, naming each file it replaces and keeping the others", () => {
    const dir = fresh();
    writeFileSync(join(dir, "index.ts"), "// mine\n");
    writeFileSync(join(dir, "notes.md"), "mine\n");
    const { status, stdout } = cli(dir, "init", ".", "--force");
    expect(status).toBe(0);
    expect(stdout).toMatch(/^ {2}replaced index\.ts$/m);
    expect(stdout).not.toMatch(/created +index\.ts/);
    expect(stdout).toMatch(/^ {2}created {2}Pulumi\.yaml$/m);
    expect(read(dir, "index.ts")).toContain("new BackupVault(");
    expect(read(dir, "notes.md")).toBe("mine\n");
  });

  it("the scaffolded program and test type-check with its tsconfig.json against this package's sources", () => {
    const dir = join(fresh(), "typed");
    runInit(dir);
    // The project's node_modules: this repository's, as `npm install` would give it.
    mkdirSync(join(dir, "node_modules"));
    for (const entry of readdirSync(join(ROOT, "node_modules"))) {
      if (!entry.startsWith(".")) symlinkSync(join(ROOT, "node_modules", entry), join(dir, "node_modules", entry));
    }
    const parsed = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    expect(parsed?.errors).toEqual([]);
    expect(parsed!.fileNames.map((f) => f.slice(dir.length + 1)).sort()).toEqual(["index.test.ts", "index.ts"]);
    // The package by its name, as its exports map resolves it once installed, but from the sources (dist may not be built).
    const paths = {
      "pulumi-azure-vm-backup": [join(ROOT, "src/index.ts")],
      "pulumi-azure-vm-backup/*": [join(ROOT, "src/*/index.ts")],
    };
    const program = ts.createProgram(parsed!.fileNames, { ...parsed!.options, paths, noEmit: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
    // And resolved where it should be: the sources, not a copy.
    expect(program.getSourceFile(join(ROOT, "src/testing/index.ts"))).toBeDefined();
    expect(existsSync(join(ROOT, "templates/init/index.ts"))).toBe(true);
  }, 180_000);
});
