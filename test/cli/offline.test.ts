/**
 * `azure-vm-backup offline`: the command line a user runs (and `npm run demo` runs on this repository's
 * root project, examples/basic), as a separate process, sources loaded through tsx.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts"), ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("azure-vm-backup offline (the demo)", () => {
  const work = mkdtempSync(join(tmpdir(), "avb-offline-"));

  it("previews and deploys the root project: a vault, a policy and a protected VM, with outputs", async () => {
    const { code, stdout, stderr } = await cli("offline", ".", "--work-dir", work);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Previewing update (azure-vm-backup-demo/dev)");
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:Vault +vault/);
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:BackupPolicy daily/);
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:ProtectedVm +web-01-backup/);
    expect(stdout).toContain("+ 11 to create");
    expect(stdout).toContain("+ 11 created");
    expect(stdout).toMatch(/protectionState +: "Protected"/);
    expect(stdout).toMatch(/lastBackupStatus +: "Completed"/);
    expect(stdout).toMatch(/vaultId +: "\/subscriptions\/[^"]+\/vaults\/rsv-backup-basic"/);
  }, 60_000);

  it("reports no changes when run again", async () => {
    const { code, stdout } = await cli("offline", ".", "--work-dir", work);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/\d+ to create/);
    expect(stdout.match(/no changes/g)).toHaveLength(2);
  }, 60_000);

  it("destroys, keeping the backup data, and says where it is", async () => {
    const { code, stdout } = await cli("offline", ".", "--work-dir", work, "--destroy");
    expect(code).toBe(0);
    expect(stdout).toContain("- 11 deleted");
    expect(stdout).toContain("Backup data kept in Azure (destroy never deletes it unless asked):");
    expect(stdout).toContain("vault 'rsv-backup-basic' (resource group rg-backup-basic): the backups of 1 VM(s), 1 recovery point(s)");
  }, 60_000);

  it("refuses a plan Azure would refuse (exit 1), showing the failure under its resource", async () => {
    const { code, stdout } = await cli("offline", "examples/basic", "--work-dir", mkdtempSync(join(tmpdir(), "avb-offline-")), "--preview", "--config", "basic:location=west_europe");
    expect(code).toBe(1);
    expect(stdout).toMatch(/pulumi-nodejs:dynamic\/azure-vm-backup:Vault \(vault\):\n {4}error: property 'location': \[vault\/location\]/);
    expect(stdout).toContain("(failed)");
  }, 60_000);

  it("protects existing VMs served from a fixture file (examples/existing)", async () => {
    const { code, stdout } = await cli("offline", "examples/existing", "--vms", "examples/emulator-vms.json", "--work-dir", mkdtempSync(join(tmpdir(), "avb-offline-")));
    expect(code).toBe(0);
    expect(stdout).toContain("+ 12 created");
    expect(stdout).toMatch(/"web-01": "IRPending",\n\s+"web-02": "IRPending",\n\s+"app-01": "IRPending",\n\s+"app-02": "IRPending"/);
    expect(stdout).toMatch(/vaultId +: "\/subscriptions\/3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01\/resourceGroups\/rg-backup\/providers\/Microsoft.RecoveryServices\/vaults\/rsv-existing"/);
  }, 60_000);

  it("prints the runs as JSON when asked", async () => {
    const { code, stdout } = await cli("offline", "examples/existing", "--vms", "examples/emulator-vms.json", "--preview", "--format", "json", "--work-dir", mkdtempSync(join(tmpdir(), "avb-offline-")));
    expect(code).toBe(0);
    const runs = JSON.parse(stdout) as Array<{ kind: string; ok: boolean; summary: Record<string, number> }>;
    expect(runs.map((r) => [r.kind, r.ok, r.summary.create])).toEqual([["preview", true, 13]]);
  }, 60_000);

  it("says in one line what is wrong with the project", async () => {
    const empty = mkdtempSync(join(tmpdir(), "avb-empty-"));
    const none = await cli("offline", empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`azure-vm-backup: No Pulumi.yaml in ${empty}: give the directory of a Pulumi project.\n`);
    writeFileSync(join(empty, "Pulumi.yaml"), "name: p\nruntime: python\n");
    const python = await cli("offline", empty);
    expect(python.code).toBe(2);
    expect(python.stderr).toContain("offline runs take Node.js programs");
    writeFileSync(join(empty, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    writeFileSync(join(empty, "Pulumi.dev.yaml"), "config:\n  p:password:\n    secure: AAABAxyz\n");
    writeFileSync(join(empty, "index.ts"), "export {};\n");
    const secret = await cli("offline", empty);
    expect(secret.stderr).toContain("'p:password' is a secret, which only the Pulumi CLI can decrypt. Give its value with --config p:password=<value>.");
  }, 60_000);
});
