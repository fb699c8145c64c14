/**
 * `azure-vm-backup status` against the emulator, through the real SDK clients: a VM backed up now shows its recovery
 * point and its consistency; a backup that fails (its VM removed through the emulator before the job runs) exits 1 and
 * lists the failed job with what to do; a VM protected two days ago and never backed up is overdue; one protected
 * today waits for its first backup. The command runs in a process of its own, as a user runs it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupNow, clientsFor, itemNamesFor, resolveSettings, type AzureClients } from "../../src/azure";
import { getBackupStatus, type BackupStatusReport } from "../../src/operations";
import { createVault, protect, SUB, VAULT_RG, vmFixture, vmId, world, type TestWorld } from "../emulator/harness";

const ROOT = join(__dirname, "../..");
const NODE_ARGS = ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts")];
const HOUR = 3_600_000;
/** Monday 2026-03-02 08:00 UTC. DefaultPolicy runs daily at 19:00 UTC. */
const START = Date.UTC(2026, 2, 2, 8, 0, 0);

const vaultArmId = (name: string) => `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${name}`;

describe("azure-vm-backup status", () => {
  let w: TestWorld;
  let c: AzureClients;
  let env: NodeJS.ProcessEnv;

  /** The command in its own process (the emulator answers from this one, so the call must not block it). */
  function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    w = await world({
      clock: { speed: 0, stepMs: 15_000, start: START },
      vms: [
        vmFixture("vm-ok"),
        vmFixture("vm-gone"),
        vmFixture("vm-late"),
        vmFixture("vm-new"),
        vmFixture("vm-win", { osType: "Windows", image: "MicrosoftWindowsServer:WindowsServer:2022-datacenter:latest" }),
      ],
    });
    const settings = resolveSettings(
      {
        get: (key) =>
          ({ "azure-vm-backup:endpoint": w.emulator.endpoint, "azure-vm-backup:caCertificate": w.emulator.ca, "azure-vm-backup:subscriptionId": SUB })[key],
      },
      {},
    );
    c = clientsFor(settings);
    const dir = mkdtempSync(join(tmpdir(), "avb-status-"));
    writeFileSync(join(dir, "ca.pem"), w.emulator.ca);
    env = { ...process.env, AZURE_VM_BACKUP_ENDPOINT: w.emulator.endpoint, AZURE_VM_BACKUP_CA_FILE: join(dir, "ca.pem"), AZURE_SUBSCRIPTION_ID: SUB };
    delete env.ARM_SUBSCRIPTION_ID;

    await createVault(w, "rsv-status");
    await createVault(w, "rsv-good");
    // Monday morning: three VMs protected in one vault, one in the other.
    for (const vm of ["vm-ok", "vm-gone", "vm-late"]) await protect(w, "rsv-status", vm, "DefaultPolicy");
    await protect(w, "rsv-good", "vm-win", "DefaultPolicy");
    // Wednesday morning: Tuesday's 19:00 run is due (the emulator runs no scheduled backups). vm-new is protected now.
    w.emulator.clock.advance(START + 48 * HOUR - w.emulator.clock.now());
    await protect(w, "rsv-status", "vm-new", "DefaultPolicy");
    const ref = (vaultName: string) => ({ subscriptionId: SUB, resourceGroupName: VAULT_RG, vaultName });
    const retain = new Date(w.emulator.clock.now() + 30 * 24 * HOUR);
    await backupNow(c, settings, ref("rsv-status"), itemNamesFor(vmId("vm-ok")), retain);
    await backupNow(c, settings, ref("rsv-status"), itemNamesFor(vmId("vm-gone")), retain);
    await backupNow(c, settings, ref("rsv-good"), itemNamesFor(vmId("vm-win")), retain);
    // vm-gone is deleted while its backup waits for its snapshot: the job fails (BCMV2VMNotFound).
    w.emulator.removeVms([vmId("vm-gone")]);
    w.emulator.clock.advance(2 * HOUR);
  }, 120_000);
  afterAll(async () => w?.stop());

  it("reads the vault's status through the library: each verdict, the consistency, the job counts", async () => {
    const report: BackupStatusReport = await getBackupStatus(c, { vaults: [vaultArmId("rsv-status")] });
    // Judged at the service's clock (its Date header), not this machine's.
    expect(Math.abs(Date.parse(report.at) - w.emulator.clock.now())).toBeLessThan(5 * 60_000);
    const vault = report.vaults[0]!;
    const byName = Object.fromEntries(vault.vms.map((vm) => [vm.vmName, vm]));
    expect(byName["vm-ok"]).toMatchObject({ verdict: "ok", lastBackupStatus: "Completed", latestRecoveryPoint: { consistency: "FileSystemConsistent" } });
    expect(byName["vm-ok"]!.dueRun).toBe("2026-03-03T19:00:00.000Z");
    expect(byName["vm-gone"]).toMatchObject({ verdict: "failed", finding: { code: "status/last-backup-failed", severity: "error" } });
    expect(byName["vm-gone"]!.finding!.remedy).toContain("Make sure the virtual machine exists");
    expect(byName["vm-late"]).toMatchObject({ verdict: "overdue", finding: { code: "status/backup-overdue" } });
    expect(byName["vm-late"]!.finding!.message).toContain("2026-03-03T19:00:00.000Z");
    expect(byName["vm-new"]).toMatchObject({ verdict: "pending-first-backup", finding: { code: "status/first-backup-pending", severity: "info" } });
    // Jobs of the last 24 hours (Wednesday): vm-new's ConfigureBackup, two Backups (one failed); Monday's are older.
    expect(vault.jobs.counts).toMatchObject({ Completed: 2, Failed: 1, InProgress: 0, CompletedWithWarnings: 0, Cancelled: 0 });
    expect(vault.jobs.failed).toHaveLength(1);
    expect(vault.jobs.failed[0]).toMatchObject({ vmName: "vm-gone", operation: "Backup", errors: [{ code: "BCMV2VMNotFound" }] });
    expect(report).toMatchObject({ ok: false, counts: { vms: 4, failed: 1, overdue: 1, pendingFirstBackup: 1 } });
  });

  it("reads each newest recovery point with one filtered list per VM, not the whole list", async () => {
    const mark = w.emulator.log.mark();
    await getBackupStatus(c, { vaults: [vaultArmId("rsv-status")] });
    const points = w.emulator.log.list(mark).filter((e) => e.method === "GET" && /\/recoveryPoints$/i.test(e.path));
    // vm-ok has a point; vm-gone's failed before its snapshot; vm-late and vm-new have none.
    expect(points).toHaveLength(1);
    expect(decodeURIComponent(points[0]!.query)).toMatch(/startDate eq '2026-03-04 \d\d:\d\d:\d\d AM' and endDate eq/);
  });

  it("exits 0 for a vault whose VMs are backed up, and shows the recovery point's consistency (text and json)", async () => {
    const text = await cli("status", "--vault", vaultArmId("rsv-good"));
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("all backed up (1 protected VM, 0 failed, 0 overdue)");
    expect(text.stdout).toMatch(/vm-win\s+ok\s+Protected\s+Passed\s+Completed 2026-03-04 08:\d\d UTC\s+2026-03-04 08:\d\d UTC AppConsistent\s+DefaultPolicy/);
    const json = await cli("status", "--vault", vaultArmId("rsv-good"), "--format", "json");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as BackupStatusReport;
    expect(report.vaults[0]!.vms[0]).toMatchObject({ vmName: "vm-win", verdict: "ok", latestRecoveryPoint: { consistency: "AppConsistent" } });
  }, 60_000);

  it("exits 1 on a failed or overdue VM, listing the failed job and what to do (text and markdown)", async () => {
    const text = await cli("status", "--vault", vaultArmId("rsv-status"));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("NOT all backed up (4 protected VMs, 1 failed, 1 overdue, 1 pending first backup)");
    expect(text.stdout).toContain("error  vm-gone  [status/last-backup-failed]");
    expect(text.stdout).toContain("error  vm-late  [status/backup-overdue]");
    expect(text.stdout).toMatch(/failed job \S+ {2}Backup of vm-gone at 2026-03-04 08:\d\d UTC {2}BCMV2VMNotFound: The virtual machine doesn't exist/);
    expect(text.stdout).toContain("what to do: Make sure the virtual machine exists, or select a different virtual machine.");
    expect(text.stdout).toContain("Jobs of the last 24 hours: Completed 2, CompletedWithWarnings 0, Failed 1, InProgress 0, Cancelled 0");
    const md = await cli("status", "--format", "markdown");
    expect(md.code).toBe(1);
    expect(md.stdout).toContain("### Azure VM backup status: ❌ not all backed up");
    expect(md.stdout).toContain("#### Vault `rsv-status` (resource group `rg-backup`)");
    expect(md.stdout).toContain("#### Vault `rsv-good` (resource group `rg-backup`)");
    expect(md.stdout).toContain("| Completed | CompletedWithWarnings | Failed | InProgress | Cancelled |");
    expect(md.stdout).toContain("**Failed jobs**");
    expect(md.stdout).toContain("**To fix**");
    expect(md.stdout).toMatch(/\| ❌ overdue \| `vm-late` \|/);
  }, 60_000);

  it("exits 2 with one line for a vault id that is not one, or a vault that does not exist", async () => {
    const bad = await cli("status", "--vault", "rsv-status");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^azure-vm-backup: --vault 'rsv-status' is not the ARM id of a Recovery Services vault/);
    const missing = await cli("status", "--vault", vaultArmId("rsv-nowhere"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("vault 'rsv-nowhere'");
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
