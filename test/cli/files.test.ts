/**
 * `azure-vm-backup files mount|unmount` against the emulator, through main() (what a user sees and the exit code),
 * the library's settings coming from the environment as for a user (AZURE_VM_BACKUP_ENDPOINT, AZURE_VM_BACKUP_CA_FILE);
 * and in a process of its own for a refusal (exit 2, one line per argument, no stack trace).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { HOUR } from "../../src/emulator";
import { filesWorld, VAULT_ID, type FilesWorld } from "../operations/files-world";

const ROOT = join(__dirname, "../..");

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const saved = process.exitCode;
  process.exitCode = 0;
  try {
    await main(["node", "azure-vm-backup", ...args]);
    return { code: Number(process.exitCode), stdout, stderr };
  } finally {
    process.exitCode = saved;
    out.mockRestore();
    err.mockRestore();
  }
}

describe("azure-vm-backup files", () => {
  let f: FilesWorld;
  let dir: string;
  const env = { ...process.env };

  beforeAll(async () => {
    f = await filesWorld();
    dir = mkdtempSync(join(tmpdir(), "files-cli-"));
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, f.w.emulator.ca);
    Object.assign(process.env, f.env, { AZURE_VM_BACKUP_CA_FILE: ca });
  });
  afterAll(async () => {
    process.env = env;
    await f.w.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("mount writes the script, prints where it is, how to run it and when the mount ends; unmount ends it", async () => {
    const out = join(dir, "out");
    mkdirSync(out);
    const mounted = await run("files", "mount", "--vault", VAULT_ID, "--vm", "vm1", "--out", out);
    expect(mounted.stderr).toBe("");
    expect(mounted.code).toBe(0);
    const script = /^Script: +(\S+)$/m.exec(mounted.stdout)?.[1];
    expect(script).toBeDefined();
    expect(readFileSync(script!, "utf8")).toBe(Buffer.from(f.lastScripts()[0]!.scriptContent, "base64").toString("utf8"));
    expect(statSync(script!).mode & 0o777).toBe(0o700);
    expect(mounted.stdout).toContain(`python3 ${script}`);
    expect(mounted.stdout).toMatch(/The mount ends at \S+Z \(12 hours after Azure provisioned it\)/);
    expect(mounted.stdout).toContain(`Password: `);
    expect(mounted.stdout).toContain("learn.microsoft.com/azure/backup/backup-azure-restore-files-from-vm");
    expect(await f.sessionActive("vm1")).toBe(true);

    const unmounted = await run("files", "unmount", "--vault", VAULT_ID, "--vm", "vm1", "--format", "json");
    expect(unmounted.code).toBe(0);
    expect(JSON.parse(unmounted.stdout)).toMatchObject({ unmounted: [f.points.vm1] });
    expect(await f.sessionActive("vm1")).toBe(false);
  });

  it("--format json gives the mount as the library returns it; after 12 emulated hours it has ended without unmount", async () => {
    const mounted = await run("files", "mount", "--vault", VAULT_ID, "--vm", "vm1", "--recovery-point", f.points.vm1!, "--out", dir, "--format", "json");
    expect(mounted.code).toBe(0);
    const r = JSON.parse(mounted.stdout) as { scriptPath: string; osType: string; expiresAt: string; recoveryPoint: { name: string } };
    expect(r).toMatchObject({ osType: "Linux", recoveryPoint: { name: f.points.vm1 } });
    expect(new Date(r.expiresAt).getTime()).toBeGreaterThan(f.w.emulator.clock.now());
    f.w.emulator.clock.advance(12 * HOUR);
    expect(await f.sessionActive("vm1")).toBe(false);
    expect((await run("files", "unmount", "--vault", VAULT_ID, "--vm", "vm1")).stdout).toContain("nothing to unmount");
  });

  it("exits 2 naming the VM it cannot find", async () => {
    const result = await run("files", "mount", "--vault", VAULT_ID, "--vm", "vm9", "--out", dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("azure-vm-backup files mount: argument 'vm': VM 'vm9' is not protected in vault 'rsv-files'");
  });

  it("in a process of its own: bad arguments exit 2, one line per argument, no stack trace", () => {
    const result = spawnSync(
      process.execPath,
      [
        "--conditions=azure-vm-backup-source",
        "--import",
        require.resolve("tsx"),
        join(ROOT, "src/cli/main.ts"),
        "files",
        "mount",
        "--vault",
        "rsv-files",
        "--vm",
        "vm1",
        "--recovery-point",
        "yesterday",
      ],
      { encoding: "utf8", cwd: dir, env: { ...env, AZURE_VM_BACKUP_ENDPOINT: "https://127.0.0.1:9" } },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("argument 'vault': [vault/id]");
    expect(result.stderr).toContain("argument 'recoveryPoint': [vm/recovery-point]");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
