import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCheck } from "../../src/cli/check";

const ROOT = join(__dirname, "../..");
const EXAMPLE = join(ROOT, "examples/plan.json");
const INVALID = join(ROOT, "examples/plan-invalid.json");
const TSX = join(ROOT, "node_modules/.bin/tsx");

/** Runs the real command line (source through tsx) and captures what a user sees. */
function cli(...args: string[]) {
  const result = spawnSync(TSX, [join(ROOT, "src/cli/main.ts"), ...args], { encoding: "utf8", cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("azure-vm-backup check", () => {
  it("passes the example plan with warnings and estimates (exit 0)", () => {
    const { output, exitCode } = runCheck(EXAMPLE, { format: "text", failOn: "error" });
    expect(exitCode).toBe(0);
    expect(output).toContain("0 errors, 3 warnings");
    expect(output).toContain("[plan/initial-backup-window]");
    expect(output).toContain("[vm/os-unsupported]");
    expect(output).toMatch(/rsv-prod-weu \(westeurope\): 9 VMs, 4 policies/);
    expect(output).toContain("Estimates per VM");
  });

  it("fails the invalid plan (exit 1), grouping errors by vault, policy and VM with paths and sources", () => {
    const { output, exitCode } = runCheck(INVALID, { format: "text", failOn: "error" });
    expect(exitCode).toBe(1);
    expect(output).toContain("Policy 'daily-2015' in vault 'rsv-prod-weu' (policies[0])");
    expect(output).toContain("VM 'app-01' (vms[0])");
    expect(output).toContain("error   vms[0].dataDisks[16]  [vm/data-disk-count]");
    expect(output).toContain("limit:  dataDisksPerVm = 16 (stack-v2-2018)");
    expect(output).toContain(
      "source: Azure Backup limits table (Microsoft Azure documentation, 2015-09-16) <https://github.com/MicrosoftDocs/azure-docs/blob/",
    );
  });

  it("fails on warnings when asked", () => {
    expect(runCheck(EXAMPLE, { format: "text", failOn: "warning" }).exitCode).toBe(1);
  });

  it("applies the chosen profile", () => {
    const { output, exitCode } = runCheck(INVALID, { format: "json", failOn: "error", profile: "azure-2025" });
    const report = JSON.parse(output) as { profile: string; diagnostics: Array<{ code: string }> };
    expect(exitCode).toBe(1);
    expect(report.profile).toBe("azure-2025");
    // 17 data disks and a 4096 GB disk are within today's limits.
    expect(report.diagnostics.map((d) => d.code)).not.toContain("vm/data-disk-count");
    expect(report.diagnostics.map((d) => d.code)).not.toContain("vm/disk-size");
  });

  it("writes markdown a CI job can post on a pull request", () => {
    const { output } = runCheck(INVALID, { format: "markdown", failOn: "error" });
    expect(output).toMatch(/^### Azure VM backup check: ❌ \d+ errors, 0 warnings/);
    expect(output).toContain("| | Where | Rule | Problem | Fix |");
    expect(output).toContain("| ❌ | VM 'app-01'<br>`vms[0].dataDisks[16]` | `vm/data-disk-count` |");
    expect(output).toContain("<summary>Sources of the limits and rules</summary>");
    expect(output).toContain("#### Estimates");
    const ok = runCheck(EXAMPLE, { format: "markdown", failOn: "error" }).output;
    expect(ok).toMatch(/^### Azure VM backup check: ✅ no errors, 3 warnings/);
  });

  it("escapes pipes in markdown cells", () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-"));
    const file = join(dir, "plan.json");
    writeFileSync(file, JSON.stringify({ vaults: [{ name: "bad|name", location: "westeurope" }], policies: [], vms: [] }));
    const { output } = runCheck(file, { format: "markdown", failOn: "error" });
    expect(output).toContain("Vault 'bad\\|name'");
  });

  it("writes JSON with counts, diagnostics and estimates", () => {
    const report = JSON.parse(runCheck(EXAMPLE, { format: "json", failOn: "error" }).output) as {
      counts: Record<string, number>;
      vms: Array<{ name: string; protectedInstanceGb: number }>;
    };
    expect(report.counts).toEqual({ error: 0, warning: 3, info: 3 });
    expect(report.vms.find((v) => v.name === "web-01")?.protectedInstanceGb).toBe(33);
  });

  it("reads YAML plans", () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-"));
    const file = join(dir, "plan.yaml");
    const plan = JSON.parse(require("node:fs").readFileSync(INVALID, "utf8")) as unknown;
    writeFileSync(file, stringify(plan));
    expect(runCheck(file, { format: "json", failOn: "error" }).output).toBe(
      runCheck(INVALID, { format: "json", failOn: "error" }).output.replace(INVALID, file),
    );
  });
});

describe("the azure-vm-backup command line", () => {
  it("exits 0 on the example and 1 on the invalid plan", () => {
    expect(cli("check", EXAMPLE).code).toBe(0);
    const invalid = cli("check", INVALID, "--format", "markdown");
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain("### Azure VM backup check: ❌");
  });

  it("checks onDestroy, backupNow and waitForInitialBackup in a YAML plan with the providers' rules", () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-"));
    const file = join(dir, "plan.yaml");
    const vm = {
      id: "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/app-01",
      location: "westeurope",
      osDisk: { sizeGb: 64 },
      dataDisks: [],
    };
    writeFileSync(
      file,
      stringify({
        vaults: [{ name: "rsv-weu", location: "westeurope", onDestroy: "purge" }],
        policies: [],
        vms: [
          { ...vm, vault: "rsv-weu", policy: "DefaultPolicy", onDestroy: "deleteBackupdata", waitForInitialBackup: true },
          { ...vm, id: vm.id.replace("app-01", "app-02"), vault: "rsv-weu", policy: "DefaultPolicy", backupNow: { retainDays: 7 }, waitForInitialBackup: true },
        ],
      }),
    );
    const { code, stdout } = cli("check", file);
    expect(code).toBe(1);
    expect(stdout).toContain("error   vms[0].onDestroy  [vm/on-destroy]");
    expect(stdout).toContain("(did you mean 'deleteBackupData'?)");
    expect(stdout).toContain("error   vms[0].waitForInitialBackup  [vm/wait-for-initial-backup]");
    expect(stdout).toContain("warning vaults[0].onDestroy  [vault/purge]");
    expect(stdout).toContain(
      "source: Secure by default with soft delete for Azure Backup (Microsoft Learn, 2025-11-10) <https://learn.microsoft.com/azure/backup/secure-by-default>",
    );
    expect(stdout).not.toContain("vms[1].waitForInitialBackup");
    expect(stdout).not.toContain("input/unknown-property");
  });

  it("reports a missing or broken plan file in one line, without a stack trace (exit 2)", () => {
    const missing = cli("check", "nope.json");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("azure-vm-backup: Plan file 'nope.json' does not exist.\n");
    const dir = mkdtempSync(join(tmpdir(), "avb-"));
    writeFileSync(join(dir, "bad.yaml"), "vaults: [\n  - name: x\n");
    const broken = cli("check", join(dir, "bad.yaml"));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/is not valid YAML \(line \d+, column \d+\)/);
    expect(broken.stderr).not.toContain("    at ");
  });

  it("rejects an unknown profile or format before reading the plan (exit 2)", () => {
    const profile = cli("check", EXAMPLE, "--profile", "azure-2052");
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain("unknown profile; use one of: stack-v2-2018, classic-2015, azure-2025");
    const format = cli("check", EXAMPLE, "--format", "html");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("Allowed choices are text, markdown, json");
  });

  it("lists limits with sources, and rules", () => {
    const limits = cli("limits", "--profile", "azure-2025");
    expect(limits.code).toBe(0);
    expect(limits.stdout).toContain("dataDisksPerVm = 32");
    expect(limits.stdout).toContain("vmsPerSchedule = 100 (warning)");
    const rules = cli("rules");
    expect(rules.stdout).toMatch(/plan\/vms-per-schedule\s+error/);
  });
});
