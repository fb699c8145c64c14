/**
 * `azure-vm-backup offline`: the command line a user runs (and `npm run demo` runs on this repository's
 * root project, examples/basic), as a separate process, sources loaded through tsx.
 */
import { spawn } from "node:child_process";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { startEmulator } from "../../src/emulator";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

/**
 * The command, without the type check of the program (`--skip-type-check`): these tests are about the runs, and
 * the check of this repository's sources takes seconds; `checked` runs it as a user does.
 */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return checked(...args, ...(args[0] === "offline" ? ["--skip-type-check"] : []));
}

function checked(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts"), ...args], {
      cwd: ROOT,
    });
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
    const { code, stdout, stderr } = await checked("offline", ".", "--work-dir", work);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Previewing update (azure-vm-backup-demo/dev)");
    // A TypeScript program is type-checked first, with the project's tsconfig.json, as the Pulumi CLI does.
    expect(stdout).toMatch(
      /^ {2}type check: examples\/basic\/index\.ts and \d+ more file\(s\) of the program, TypeScript [\d.]+, tsconfig\.json, .*: no errors\.$/m,
    );
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:Vault +vault/);
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:BackupPolicy daily/);
    expect(stdout).toMatch(/\+ {4}pulumi-nodejs:dynamic\/azure-vm-backup:ProtectedVm +web-01-backup/);
    expect(stdout).toContain("+ 11 to create");
    expect(stdout).toContain("+ 11 created");
    expect(stdout).toMatch(/protectionState +: "Protected"/);
    expect(stdout).toMatch(/lastBackupStatus +: "Completed"/);
    expect(stdout).toMatch(/vaultId +: "\/subscriptions\/[^"]+\/vaults\/rsv-backup-basic"/);
  }, 180_000);

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
    const { code, stdout } = await cli(
      "offline",
      "examples/basic",
      "--work-dir",
      mkdtempSync(join(tmpdir(), "avb-offline-")),
      "--preview",
      "--config",
      "basic:location=west_europe",
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/pulumi-nodejs:dynamic\/azure-vm-backup:Vault \(vault\):\n {4}error: property 'location': \[vault\/location\]/);
    expect(stdout).toContain("(failed)");
  }, 60_000);

  it("protects existing VMs served from a fixture file (examples/existing)", async () => {
    const { code, stdout } = await cli(
      "offline",
      "examples/existing",
      "--vms",
      "examples/emulator-vms.json",
      "--work-dir",
      mkdtempSync(join(tmpdir(), "avb-offline-")),
    );
    expect(code).toBe(0);
    expect(stdout).toContain("+ 12 created");
    expect(stdout).toMatch(/"web-01": "IRPending",\n\s+"web-02": "IRPending",\n\s+"app-01": "IRPending",\n\s+"app-02": "IRPending"/);
    expect(stdout).toMatch(
      /vaultId +: "\/subscriptions\/3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01\/resourceGroups\/rg-backup\/providers\/Microsoft.RecoveryServices\/vaults\/rsv-existing"/,
    );
  }, 60_000);

  it("prints the runs as JSON when asked", async () => {
    const { code, stdout } = await cli(
      "offline",
      "examples/existing",
      "--vms",
      "examples/emulator-vms.json",
      "--preview",
      "--format",
      "json",
      "--work-dir",
      mkdtempSync(join(tmpdir(), "avb-offline-")),
    );
    expect(code).toBe(0);
    const runs = JSON.parse(stdout) as Array<{ kind: string; ok: boolean; summary: Record<string, number> }>;
    expect(runs.map((r) => [r.kind, r.ok, r.summary.create])).toEqual([["preview", true, 13]]);
  }, 60_000);

  it("--refresh shows a VM moved to another policy outside the program as an update, and the up restores the declared policy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-refresh-"));
    expect((await cli("offline", "examples/basic", "--work-dir", dir)).code).toBe(0);
    // Someone moves the VM to the vault's DefaultPolicy in the portal (here: the SDK, on the saved emulator).
    const statePath = join(dir, "emulator-state.json");
    const e = await startEmulator({ statePath, clock: { speed: 3600 } });
    const sub = e.state.vaults[0]!.subscriptionId;
    const item = e.state.vaults[0]!.items[0]!;
    const backup = new RecoveryServicesBackupClient({ getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) }, sub, {
      endpoint: e.endpoint,
      tlsOptions: { ca: e.ca },
      // Today's portal and CLI call a backup API of 2025-01-01 or later, which takes a Trusted Launch VM on a
      // Standard policy (examples/basic's VM is Trusted Launch); the SDK's own default, 2023-06-01, does not.
      apiVersion: "2025-08-01",
    });
    await backup.protectedItems.createOrUpdate("rsv-backup-basic", "rg-backup-basic", "Azure", item.containerName, item.name, {
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: item.vmId,
        policyId: `/subscriptions/${sub}/resourceGroups/rg-backup-basic/providers/Microsoft.RecoveryServices/vaults/rsv-backup-basic/backupPolicies/DefaultPolicy`,
      },
    } as never);
    e.clock.advance(60_000);
    await e.stop();
    expect(e.state.vaults[0]!.items[0]!.policyName).toBe("DefaultPolicy");

    // Without a refresh the stack does not see it; with one, the preview shows the update.
    expect((await cli("offline", "examples/basic", "--work-dir", dir, "--preview")).stdout.match(/no changes/g)).toHaveLength(1);
    const previewed = await cli("offline", "examples/basic", "--work-dir", dir, "--preview", "--refresh");
    expect(previewed.code).toBe(0);
    expect(previewed.stdout).toContain("Refreshing (for this preview only)");
    expect(previewed.stdout).toMatch(/~ {4}pulumi-nodejs:dynamic\/azure-vm-backup:ProtectedVm +web-01-backup/);
    expect(previewed.stdout).toContain("~ 1 to update");

    const restored = await cli("offline", "examples/basic", "--work-dir", dir, "--refresh");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("~ 1 updated");
    const after = JSON.parse(readFileSync(statePath, "utf8")) as { vaults: Array<{ items: Array<{ policyName?: string }> }> };
    expect(after.vaults[0]!.items[0]!.policyName).toBe("daily-default");
  }, 120_000);

  it("--preview --destroy previews the destroy and deletes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-destroy-preview-"));
    expect((await cli("offline", "examples/basic", "--work-dir", dir)).code).toBe(0);
    const before = readFileSync(join(dir, "stack-state.json"), "utf8");
    const previewed = await cli("offline", "examples/basic", "--work-dir", dir, "--preview", "--destroy");
    expect(previewed.code).toBe(0);
    expect(previewed.stdout).toContain("Previewing destroy");
    expect(previewed.stdout).toContain("- 11 to delete");
    expect(readFileSync(join(dir, "stack-state.json"), "utf8")).toBe(before);
  }, 60_000);

  it("resolves a relative --work-dir against the current directory", async () => {
    const base = mkdtempSync(join(tmpdir(), "avb-relative-"));
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          "--conditions=azure-vm-backup-source",
          "--import",
          require.resolve("tsx"),
          join(ROOT, "src/cli/main.ts"),
          "offline",
          join(ROOT, "examples/basic"),
          "--work-dir",
          "work",
          "--preview",
          "--skip-type-check",
        ],
        { cwd: base },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (c) => resolve({ code: c, stdout: out }));
    });
    expect(code).toBe(0);
    expect(stdout).toContain("+ 11 to create");
    expect(existsSync(join(base, "work", "emulator-state.json"))).toBe(true);
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
  it("--guardrails: the preview of the root project under a subscription's Deny guardrails fails naming each setting; nothing is created", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-guardrails-"));
    const file = join(dir, "guardrails.json");
    writeFileSync(
      file,
      JSON.stringify([
        { name: "deny-rsv-public-network", definition: "publicNetworkAccess", effect: "Deny" },
        { name: "deny-rsv-grs", definition: "redundancy", effect: "Deny", parameters: { BackupStorageRedundancy: "GeoRedundant" } },
      ]),
    );
    const { code, stdout } = await cli("offline", ".", "--preview", "--work-dir", join(dir, "work"), "--guardrails", file);
    expect(code).toBe(1);
    expect(stdout).toContain(
      "[vault/denied-by-policy] BackupVault 'rsv-backup-basic', argument 'publicNetworkAccess': Azure Policy assignment 'deny-rsv-public-network'",
    );
    expect(stdout).toContain("[vault/denied-by-policy] BackupVault 'rsv-backup-basic', argument 'redundancy': Azure Policy assignment 'deny-rsv-grs'");

    writeFileSync(file, JSON.stringify([{ name: "deny-soft-delete", definition: "softDelete", effect: "Deny" }]));
    const bad = await cli("offline", ".", "--preview", "--work-dir", join(dir, "work"), "--guardrails", file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^azure-vm-backup: --guardrails .*guardrails\.json: PolicyDefinitionNotFound: Assignment 'deny-soft-delete': the emulator knows the built-in definitions/,
    );
    expect(bad.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
  }, 90_000);
});
