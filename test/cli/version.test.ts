import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const MANIFEST = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** Runs the real command line (source through tsx) and captures what a user sees. */
function cli(...args: string[]) {
  const result = spawnSync(TSX, [join(ROOT, "src/cli/main.ts"), ...args], { encoding: "utf8", cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("azure-vm-backup --version", () => {
  it("prints the version in package.json, alone on its line, and exits 0", () => {
    for (const flag of ["--version", "-V"]) {
      const { code, stdout, stderr } = cli(flag);
      expect({ flag, code, stdout, stderr }).toEqual({ flag, code: 0, stdout: `${MANIFEST.version}\n`, stderr: "" });
    }
  });

  it("is listed in the help", () => {
    const { code, stdout } = cli("--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(/-V, --version +print the version of pulumi-azure-vm-backup/);
  });
});
