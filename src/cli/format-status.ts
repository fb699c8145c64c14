/**
 * `azure-vm-backup status` in text (a table per vault), Markdown (a CI job's summary, e.g. GitHub's step summary) and
 * JSON (the report of src/operations/status.ts as it is: `{ at, ok, counts, vaults: [{ id, name, resourceGroup,
 * subscriptionId, vms: [...], jobs: { since, until, counts, failed } }] }`, documented by its types).
 */
import type { BackupStatusReport, VaultBackupStatus, VmBackupStatus } from "../operations";
import { JOB_STATUSES } from "../operations";

const VERDICT_TEXT: Record<VmBackupStatus["verdict"], string> = {
  ok: "ok",
  failed: "FAILED",
  overdue: "OVERDUE",
  "pending-first-backup": "pending first backup",
  "not-scheduled": "not scheduled",
};
const VERDICT_ICON: Record<VmBackupStatus["verdict"], string> = {
  ok: "✅",
  failed: "❌",
  overdue: "❌",
  "pending-first-backup": "⏳",
  "not-scheduled": "⏸️",
};

/** "2026-03-04T08:10:00.000Z" → "2026-03-04 08:10 UTC". */
function when(iso: string | undefined): string {
  if (iso === undefined || iso === "") return "-";
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function point(vm: VmBackupStatus): string {
  const rp = vm.latestRecoveryPoint;
  if (rp === undefined) return "-";
  return rp.consistency === "" ? when(rp.time) : `${when(rp.time)} ${rp.consistency}`;
}

function summary(report: BackupStatusReport): string {
  const { counts } = report;
  const parts = [`${counts.vms} protected VM${counts.vms === 1 ? "" : "s"}`, `${counts.failed} failed`, `${counts.overdue} overdue`];
  if (counts.pendingFirstBackup > 0) parts.push(`${counts.pendingFirstBackup} pending first backup`);
  return parts.join(", ");
}

function jobCounts(vault: VaultBackupStatus): string {
  const c = vault.jobs.counts;
  const parts = JOB_STATUSES.map((s) => `${s} ${c[s]}`);
  if (c.Other > 0) parts.push(`other ${c.Other}`);
  return parts.join(", ");
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}

export function formatStatusText(report: BackupStatusReport): string {
  const out: string[] = [`Backup status at ${when(report.at)}: ${report.ok ? "all backed up" : "NOT all backed up"} (${summary(report)}).`, ""];
  for (const vault of report.vaults) {
    out.push(`Vault '${vault.name}' (resource group ${vault.resourceGroup})`);
    if (vault.vms.length === 0) out.push("  no protected VMs");
    else {
      const rows = [["VM", "STATUS", "PROTECTION", "HEALTH", "LAST BACKUP", "LATEST RECOVERY POINT", "POLICY"]];
      for (const vm of vault.vms) {
        rows.push([
          vm.vmName,
          VERDICT_TEXT[vm.verdict],
          vm.protectionState,
          vm.health || "-",
          `${vm.lastBackupStatus} ${when(vm.lastBackupTime)}`.replace(/ -$/, ""),
          point(vm),
          vm.policyName ?? "-",
        ]);
      }
      out.push(...table(rows).map((l) => `  ${l}`));
    }
    out.push(`  Jobs of the last 24 hours: ${jobCounts(vault)}`);
    for (const vm of vault.vms.filter((v) => v.finding !== undefined && v.finding.severity !== "info")) {
      out.push(`  ${vm.finding!.severity}  ${vm.vmName}  [${vm.finding!.code}]`, `      ${vm.finding!.message}`, `      what to do: ${vm.finding!.remedy}`);
      if (vm.finding!.source !== undefined) out.push(`      source: ${vm.finding!.source}`);
    }
    for (const job of vault.jobs.failed) {
      const error = job.errors.map((e) => `${e.code}: ${e.message}`).join("; ");
      out.push(
        `  failed job ${job.jobId}  ${job.operation} of ${job.vmName} at ${when(job.startTime)}${error === "" ? "" : `  ${error}`}`,
        `      what to do: ${job.whatToDo}`,
      );
    }
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Table cells cannot hold pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function formatStatusMarkdown(report: BackupStatusReport): string {
  const out: string[] = [
    `### Azure VM backup status: ${report.ok ? "✅ all backed up" : "❌ not all backed up"}`,
    "",
    `${summary(report)}, at ${when(report.at)}.`,
    "",
  ];
  for (const vault of report.vaults) {
    out.push(`#### Vault \`${cell(vault.name)}\` (resource group \`${cell(vault.resourceGroup)}\`)`, "");
    if (vault.vms.length === 0) out.push("No protected VMs.", "");
    else {
      out.push("| | VM | Protection | Health | Last backup | Latest recovery point | Consistency | Policy |", "|---|---|---|---|---|---|---|---|");
      for (const vm of vault.vms) {
        out.push(
          `| ${VERDICT_ICON[vm.verdict]} ${VERDICT_TEXT[vm.verdict].toLowerCase()} | \`${cell(vm.vmName)}\` | ${cell(vm.protectionState)} | ${cell(vm.health || "-")} | ${cell(
            `${vm.lastBackupStatus} ${when(vm.lastBackupTime)}`.replace(/ -$/, ""),
          )} | ${when(vm.latestRecoveryPoint?.time)} | ${cell(vm.latestRecoveryPoint?.consistency || "-")} | ${cell(vm.schedule === undefined ? (vm.policyName ?? "-") : `${vm.policyName ?? ""}: ${vm.schedule}`)} |`,
        );
      }
      out.push("");
    }
    out.push("**Jobs of the last 24 hours**", "", `| ${JOB_STATUSES.join(" | ")} |`, `|${JOB_STATUSES.map(() => "---").join("|")}|`);
    out.push(`| ${JOB_STATUSES.map((s) => String(vault.jobs.counts[s])).join(" | ")} |`, "");
    const findings = vault.vms.filter((v) => v.finding !== undefined && v.finding.severity !== "info");
    if (findings.length > 0) {
      out.push("**To fix**", "");
      for (const vm of findings) out.push(`- \`${cell(vm.vmName)}\` \`${vm.finding!.code}\`: ${vm.finding!.message} What to do: ${vm.finding!.remedy}`);
      out.push("");
    }
    if (vault.jobs.failed.length > 0) {
      out.push("**Failed jobs**", "", "| Job | VM | Operation | Started | Error | What to do |", "|---|---|---|---|---|---|");
      for (const job of vault.jobs.failed) {
        const error = job.errors.map((e) => `\`${e.code}\` ${e.message}`).join("; ");
        out.push(`| \`${job.jobId}\` | \`${cell(job.vmName)}\` | ${job.operation} | ${when(job.startTime)} | ${cell(error || "-")} | ${cell(job.whatToDo)} |`);
      }
      out.push("");
    }
  }
  const sources = [
    ...new Set(
      report.vaults
        .flatMap((v) => v.vms)
        .map((vm) => vm.finding?.source)
        .filter((s): s is string => s !== undefined),
    ),
  ];
  if (sources.length > 0) {
    out.push("<details><summary>Sources</summary>", "");
    for (const s of sources) out.push(`- ${s}`);
    out.push("", "</details>", "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export function formatStatusJson(report: BackupStatusReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
