/**
 * The review report of an offline preview (`offline --preview --format markdown|report-json`): the comment a reviewer
 * reads on a pull request. examples/fleet (150 VMs) previewed once in this process for the markdown's sections; its
 * `crowded` stack (101 web VMs on one start time) through the command, as JSON, for the error, its fix and the chart's bar
 * over the limit's line; the markdown of the JSON model is the same as of the model itself.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { formatOfflineMarkdown, COLLAPSE_ROWS, MAX_ROWS } from "../../src/cli/format-offline-markdown";
import { buildOfflineReport, parseDiagnosticText, type OfflineReport } from "../../src/cli/offline-report";
import { loadProject } from "../../src/cli/project";
import { OfflineStack } from "../../src/testing";
import fleet = require("../../examples/fleet/index");

const ROOT = join(__dirname, "..", "..");
// A preview of 150 (and of 201) VMs through the real provider host: a few seconds each, more on a loaded 2-core machine.
const FLEET_PREVIEW_MS = 300_000;

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts"), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A markdown section: from its heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) return "";
  const level = /^#+/.exec(heading)![0].length;
  const rest = markdown.slice(start + heading.length + 1);
  const next = new RegExp(`^#{1,${level}} `, "m").exec(rest);
  return next === null ? rest : rest.slice(0, next.index);
}

interface Chart {
  title: string;
  times: string[];
  bars: number[];
  line: number[];
}

/** The ```mermaid xychart-beta blocks of a markdown text, read back. */
function charts(markdown: string): Chart[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map(([, body]) => {
    expect(body!.split("\n")[0]).toBe("xychart-beta");
    const numbers = (key: string) => JSON.parse(new RegExp(`^ +${key} (\\[.*\\])$`, "m").exec(body!)![1]!) as number[];
    return {
      title: /^ +title "(.*)"$/m.exec(body!)![1]!,
      times: JSON.parse(/^ +x-axis "UTC" (\[.*\])$/m.exec(body!)![1]!) as string[],
      bars: numbers("bar"),
      line: numbers("line"),
    };
  });
}

describe("offline preview report", () => {
  describe("examples/fleet (150 VMs on three policies)", () => {
    let emulator: Emulator;
    let report: OfflineReport;
    let markdown: string;
    beforeAll(async () => {
      emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 } });
      const stack = await OfflineStack.start({ emulator, project: "backup-fleet", recordInputs: true });
      try {
        const result = await stack.preview(fleet);
        report = buildOfflineReport(result, { project: "backup-fleet", stack: "dev", config: {}, rules: {}, vms: [] });
        markdown = formatOfflineMarkdown(report);
      } finally {
        await stack.stop();
      }
    }, FLEET_PREVIEW_MS);
    afterAll(async () => emulator?.stop());

    it("has a title with the verdict and a summary line of the changes", () => {
      const [title, , summary] = markdown.split("\n");
      expect(title).toBe("### ✅ Azure VM backup preview of `backup-fleet/dev`: 0 errors, 0 warnings");
      // 150 VMs and their 150 protections, 3 policies, the vault, stack V2, the group, network and subnet.
      expect(summary).toBe("**308** to create. Limits: profile `stack-v2-2018`.");
      expect(report.counts).toMatchObject({ create: 308, update: 0, replace: 0, delete: 0, errors: 0, warnings: 0 });
      expect(markdown).not.toContain("#### ❌ Must fix");
    });

    it("lists the changes in the user's words: by type, then each component, collapsed as the fleet is long", () => {
      const changes = section(markdown, "#### Changes");
      expect(changes).toContain("| ProtectedVm | 150 |  |  |  |");
      expect(changes).toContain("| BackupPolicy | 3 |  |  |  |");
      expect(changes).toContain("| BackupVault | 1 |  |  |  |");
      expect(changes).toContain("| azure-native:compute:VirtualMachine | 150 |  |  |  |");
      // Each change, collapsed after the estimates: the fleet's 308 would bury them.
      expect(changes).not.toContain("| ➕ create | ProtectedVm | web-001-backup |");
      const all = markdown.slice(markdown.indexOf("<details><summary>All 308 changes</summary>"));
      expect(markdown.indexOf("<details><summary>All 308 changes</summary>")).toBeGreaterThan(markdown.indexOf("#### Estimates"));
      expect(all).toContain("| ➕ create | ProtectedVm | web-001-backup |");
      // This package's own dynamic resources speak through their components.
      expect(changes).not.toMatch(/pulumi-nodejs:dynamic/);
      expect(report.changes.length).toBeGreaterThan(COLLAPSE_ROWS);
    });

    it("estimates the vault (totals) and each VM (collapsed)", () => {
      const estimates = section(markdown, "#### Estimates");
      // web: 64 GB OS disk; app: 128 + 256 GB; db: 128 + 2 x 512 GB (sizes: nothing is measured before a backup).
      const gb = 60 * 64 + 50 * 384 + 40 * 1152;
      expect(report.vaults).toEqual([expect.objectContaining({ name: "rsv-fleet-weu", vms: 150, policies: 3, protectedInstanceGb: gb })]);
      expect(estimates).toMatch(/^\| rsv-fleet-weu \| westeurope \| 150 \| 3 \| 67\.5 TB \| \d+ \(0 small\) \| 19:00, 60 VMs \|$/m);
      expect(estimates).toContain("<details><summary>Per VM (150 VMs)</summary>");
      expect(estimates).toContain("| db-001 | rsv-fleet-weu | db-backup | 1.1 TB (size) | 3 standard | 7.6 h |");
      expect(report.vms.find((v) => v.name === "web-001")).toMatchObject({ component: "web-001-backup", policy: "web-backup", protectedInstanceGb: 64 });
      expect(report.notEstimated).toEqual([]);
    });

    it("charts the vault's start times: a bar per UTC start, the limit as the line", () => {
      const [chart, ...more] = charts(markdown);
      expect(more).toEqual([]);
      expect(chart!.title).toContain("rsv-fleet-weu");
      // January (W. Europe = UTC+1): web at 20:00 -> 19:00, app at 21:00 -> 20:00, db every 4 hours from 08:00 for 12 hours -> 07, 11, 15.
      expect(Object.fromEntries(chart!.times.map((t, i) => [t, chart!.bars[i]]))).toEqual({ "07:00": 40, "11:00": 40, "15:00": 40, "19:00": 60, "20:00": 50 });
      // Every VM is a bar once per start of its policy: a daily policy's VMs once, the db policy's three times a day.
      expect(chart!.bars.reduce((a, b) => a + b, 0)).toBe(60 + 50 + 40 * 3);
      expect(new Set(chart!.line)).toEqual(new Set([100]));
      expect(chart!.line).toHaveLength(chart!.bars.length);
      expect(markdown).toContain("Busiest: 60 VMs at 19:00 UTC, limit 100.");
    });
  });

  it(
    "reports the crowded fleet (101 VMs at one start time): the error with its fix and source in Must fix, the bar over the line; exit 1",
    async () => {
      const { code, stdout, stderr } = await cli(
        "offline",
        "examples/fleet",
        "--stack",
        "crowded",
        "--preview",
        "--skip-type-check",
        "--format",
        "report-json",
        "--work-dir",
        mkdtempSync(join(tmpdir(), "avb-report-")),
      );
      expect(stderr).toBe("");
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as OfflineReport;
      expect(loadProject(join(ROOT, "examples/fleet"), "crowded", {}).config["fleet:webVms"]).toBe("101");
      expect(report).toMatchObject({ project: "backup-fleet", stack: "crowded", run: "preview", verdict: "errors", profile: "stack-v2-2018" });
      expect(report.counts).toMatchObject({ create: 390, errors: 1, warnings: 0 });
      expect(report.errors).toEqual([
        {
          resource: "BackupVault 'fleet-vault'",
          code: "plan/vms-per-schedule",
          message: expect.stringMatching(/^Vault 'rsv-fleet-weu': 101 VMs start their backup at 18:00 \/ 19:00 UTC every day, from policy 'web-backup'/),
          limit: "vmsPerSchedule = 100 (stack-v2-2018)",
          fix: "Move 1 or more of these VMs to a policy that starts at another time (e.g. 30 minutes later).",
          source: {
            title: "Plan your VM backup infrastructure in Azure (Microsoft Docs, 2018-08-29)",
            url: expect.stringMatching(/^https:\/\/github\.com\/MicrosoftDocs\/azure-docs\/blob\/[0-9a-f]{40}\/articles\/backup\/[a-z-]+\.md$/),
            quote: expect.stringContaining("100 VMs"),
          },
        },
      ]);
      expect(report.changes.find((c) => c.type === "BackupVault")).toEqual({ op: "create", name: "fleet-vault", type: "BackupVault", failed: true });

      // The JSON is the model: the markdown of it is the comment.
      const markdown = formatOfflineMarkdown(report);
      expect(markdown.split("\n")[0]).toBe("### ❌ Azure VM backup preview of `backup-fleet/crowded`: 1 error, 0 warnings");
      const mustFix = section(markdown, "#### ❌ Must fix");
      expect(mustFix).toContain("| Resource | Argument | Rule | Problem | Fix | Source |");
      expect(mustFix).toMatch(
        /^\| BackupVault 'fleet-vault' \| {2}\| `plan\/vms-per-schedule` \| Vault 'rsv-fleet-weu': 101 VMs start .* \(limit `vmsPerSchedule = 100 \(stack-v2-2018\)`\) \| Move 1 or more of these VMs to a policy that starts at another time \(e\.g\. 30 minutes later\)\. \| \[Plan your VM backup infrastructure in Azure \(Microsoft Docs, 2018-08-29\)\]\(https:\/\/github\.com\/MicrosoftDocs\/[^)]+\): .*100 VMs.* \|$/m,
      );
      const [chart] = charts(markdown);
      const over = chart!.times.filter((_, i) => chart!.bars[i]! > chart!.line[i]!);
      expect(over).toEqual(["19:00"]);
      expect(chart!.bars[chart!.times.indexOf("19:00")]).toBe(101);
      expect(markdown).toContain("❌ 101 VMs at 19:00 UTC: over the limit of 100 VMs starting at one time in a vault.");
    },
    FLEET_PREVIEW_MS,
  );

  it("splits a diagnostic's line into its rule, message, limit, fix and source", () => {
    expect(
      parseDiagnosticText(
        "[plan/vms-per-vault] Vault 'v' would protect 1001 VMs; a vault protects at most 1000. Limit vmsPerVault = 1000 (azure-2025). Fix: Spread the VMs over 2 vaults. Source: Azure Backup support matrix <https://learn.microsoft.com/azure/backup/backup-support-matrix>.",
      ),
    ).toEqual({
      code: "plan/vms-per-vault",
      message: "Vault 'v' would protect 1001 VMs; a vault protects at most 1000.",
      limit: "vmsPerVault = 1000 (azure-2025)",
      fix: "Spread the VMs over 2 vaults.",
      source: { title: "Azure Backup support matrix", url: "https://learn.microsoft.com/azure/backup/backup-support-matrix" },
    });
    expect(parseDiagnosticText('[a/b] M. Source: T <https://x.example/p>: "it says".')).toEqual({
      code: "a/b",
      message: "M.",
      source: { title: "T", url: "https://x.example/p", quote: '"it says"' },
    });
    expect(parseDiagnosticText("create failed: the vault is locked")).toEqual({ message: "create failed: the vault is locked" });
  });

  it("keeps a 1,000-VM fleet's comment within GitHub's 65,536 characters: long lists collapsed and cut, the charts whole", () => {
    const vms = Array.from({ length: 1000 }, (_, i) => `vm-${String(i).padStart(4, "0")}`);
    const report: OfflineReport = {
      project: "big",
      stack: "dev",
      run: "preview",
      verdict: "errors",
      counts: { create: 2000, update: 0, replace: 0, delete: 0, unchanged: 0, errors: 1000, warnings: 0 },
      changes: vms.flatMap((name) => [
        { op: "create" as const, name, type: "azure-native:compute:VirtualMachine" },
        { op: "create" as const, name: `${name}-backup`, type: "ProtectedVm", failed: true },
      ]),
      errors: vms.map((name) => ({ resource: `ProtectedVm '${name}-backup'`, argument: "vm", code: "vm/x", message: "A problem of this VM.", fix: "Fix it." })),
      warnings: [],
      profile: "azure-2025",
      vaults: [
        {
          name: "rsv",
          location: "westeurope",
          vms: 1000,
          policies: 10,
          protectedInstanceGb: 64_000,
          billingUnits: 1000,
          smallInstances: 0,
          startLoad: { date: "2026-01-15", limit: 100, starts: Array.from({ length: 10 }, (_, i) => ({ timeUtc: `${10 + i}:00`, vms: 100 })) },
        },
      ],
      vms: vms.map((name) => ({
        name,
        component: `${name}-backup`,
        vault: "rsv",
        policy: "p",
        protectedInstanceGb: 64,
        usedDataEstimated: true,
        billing: { tier: "standard", units: 1 },
        initialBackupHours: 1,
      })),
      notEstimated: [],
    };
    const markdown = formatOfflineMarkdown(report);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toContain(`… and ${1000 - MAX_ROWS} more: \`--format report-json\` lists them all.`);
    expect(markdown).toContain(`… and ${2000 - MAX_ROWS} more: \`--format report-json\` lists them all.`);
    expect(markdown).toContain("<details><summary>1000 errors</summary>");
    expect(markdown).toContain("<details><summary>All 2000 changes</summary>");
    expect(charts(markdown)[0]!.bars).toHaveLength(10);
  });

  it("shows a short change list in place, and says when nothing changes", () => {
    const base: OfflineReport = {
      project: "p",
      stack: "dev",
      run: "preview",
      verdict: "warnings",
      counts: { create: 0, update: 1, replace: 1, delete: 0, unchanged: 4, errors: 0, warnings: 1 },
      changes: [
        { op: "update", name: "daily", type: "BackupPolicy" },
        { op: "replace", name: "web-01-backup", type: "ProtectedVm" },
      ],
      errors: [],
      warnings: [{ resource: "ProtectedVm 'web-01-backup'", code: "vm/x", message: "Careful.", fix: "Look." }],
      profile: "azure-2025",
      vaults: [],
      vms: [],
      notEstimated: ["db-01-backup"],
    };
    const markdown = formatOfflineMarkdown(base);
    expect(markdown.split("\n").slice(0, 3)).toEqual([
      "### ⚠️ Azure VM backup preview of `p/dev`: 0 errors, 1 warning",
      "",
      "**1** to update · **1** to replace · 4 unchanged. Limits: profile `azure-2025`.",
    ]);
    expect(section(markdown, "#### ⚠️ Warnings")).toContain("| ProtectedVm 'web-01-backup' |  | `vm/x` | Careful. | Look. |  |");
    expect(section(markdown, "#### Changes")).toContain("| 🔁 replace | ProtectedVm | web-01-backup |");
    expect(markdown).not.toContain("<details>");
    expect(markdown).toContain("Not estimated (the VM's disks are not known): `db-01-backup`.");
    expect(
      formatOfflineMarkdown({
        ...base,
        verdict: "ok",
        changes: [],
        warnings: [],
        notEstimated: [],
        counts: { ...base.counts, update: 0, replace: 0, warnings: 0 },
      }).split("\n")[2],
    ).toBe("No changes · 4 unchanged. Limits: profile `azure-2025`.");
  });
});
