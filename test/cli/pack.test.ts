/**
 * The first hour from npm, for real: this package packed (`npm pack`), installed from the tarball in an
 * empty directory with the Pulumi SDKs it is tested with, `init`, `npm install`, then the scaffolded
 * project's `npm test` and the offline preview, as a user runs them. npm installs from its cache where it can
 * (--prefer-offline), but this still takes minutes: it runs when AZURE_VM_BACKUP_PACK_TEST=1, which .ci/run sets.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const OWN = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; devDependencies: Record<string, string> };
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund"];

interface Ran {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(cwd: string, command: string, ...args: string[]): Promise<Ran> {
  // The child sees the user's environment, not this jest worker's.
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("JEST_") || key === "NODE_OPTIONS") delete env[key];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ command: [command, ...args].join(" "), code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** The run, with its output when it failed, so that a failure shows why. */
const outcome = (r: Ran) => (r.code === 0 ? { command: r.command, code: 0 } : r);
/** npm's warnings about this package's own engines or peer dependencies (not about its dependencies'). */
const ownWarnings = (r: Ran) => `${r.stdout}\n${r.stderr}`.split("\n").filter((line) => /EBADENGINE|ERESOLVE|peer/i.test(line) && line.includes(OWN.name));

const enabled = process.env.AZURE_VM_BACKUP_PACK_TEST === "1";

(enabled ? describe : describe.skip)("from the packed tarball (AZURE_VM_BACKUP_PACK_TEST=1)", () => {
  const base = mkdtempSync(join(tmpdir(), "avb-pack-"));
  const app = join(base, "vm-backup");
  const timings: string[] = [];
  const step = async (cwd: string, command: string, ...args: string[]) => {
    const ran = await run(cwd, command, ...args);
    timings.push(`${ran.seconds.toFixed(1)} s  ${ran.command}`);
    return ran;
  };
  afterAll(() => process.stdout.write(`pack test steps:\n${timings.join("\n")}\n`));

  it(
    "installs clean, scaffolds with init, and the project's npm test and offline preview pass",
    async () => {
      const packed = join(base, "tarball");
      mkdirSync(packed);
      mkdirSync(app);
      const pack = await step(ROOT, "npm", "pack", "--pack-destination", packed);
      expect(outcome(pack)).toEqual({ command: pack.command, code: 0 });
      const tarball = readdirSync(packed).filter((f) => f.endsWith(".tgz"));
      expect(tarball).toHaveLength(1);

      // As a user starts: the package and the Pulumi SDKs, in an empty directory.
      const sdks = ["@pulumi/pulumi", "@pulumi/azure-native"].map((p) => `${p}@${OWN.devDependencies[p]}`);
      const install = await step(app, "npm", "install", join(packed, tarball[0]!), ...sdks, ...NPM_FLAGS);
      expect(outcome(install)).toEqual({ command: install.command, code: 0 });
      expect(ownWarnings(install)).toEqual([]);

      const init = await step(app, "npx", "--no", "azure-vm-backup", "init", ".");
      expect(outcome(init)).toEqual({ command: init.command, code: 0 });
      expect(init.stdout).toContain("Next steps:");
      expect(readdirSync(app)).toEqual(
        expect.arrayContaining(["Pulumi.yaml", "index.ts", "index.test.ts", "jest.config.js", "tsconfig.json", "emulator-vms.json"]),
      );

      const complete = await step(app, "npm", "install", ...NPM_FLAGS);
      expect(outcome(complete)).toEqual({ command: complete.command, code: 0 });
      expect(ownWarnings(complete)).toEqual([]);

      // The program and its test against the types the tarball ships.
      const typecheck = await step(app, "npm", "run", "typecheck");
      expect(outcome(typecheck)).toEqual({ command: typecheck.command, code: 0 });

      const test = await step(app, "npm", "test");
      expect(outcome(test)).toEqual({ command: test.command, code: 0 });
      // jest prints its summary on stderr; ts-jest's warnings (isolatedModules with node16) would be there too.
      expect(test.stderr).toMatch(/Tests: +3 passed, 3 total/);
      expect(test.stderr).not.toMatch(/ts-jest\[[^\]]+\] \(WARN\)/);

      const preview = await step(app, "npx", "--no", "azure-vm-backup", "offline", ".", "--preview");
      expect(outcome(preview)).toEqual({ command: preview.command, code: 0 });
      expect(preview.stdout).toMatch(/\+ +\S*ProtectedVm +web-01-backup/);
      expect(preview.stdout).toMatch(/\+ \d+ to create/);
    },
    20 * 60_000,
  );
});
