/** Markdown report, the comment a CI job posts on a pull request. */
import type { Diagnostic, VaultSummary } from "../rules";
import { startChart } from "./format-chart";
import { formatGb, formatHours, plural, type ReportModel } from "./report-model";

const ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;

/** Table cells cannot hold pipes or newlines. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function row(d: Diagnostic, title: string): string {
  const limit = d.limit === undefined ? "" : ` (limit \`${d.limit.key}\` = ${String(d.limit.value)}, ${d.limit.profile})`;
  return `| ${ICON[d.severity]} | ${cell(title)}<br>\`${cell(d.path || "(plan)")}\` | \`${d.code}\` | ${cell(d.message + limit)} | ${cell(d.remedy ?? "")} |`;
}

export function formatMarkdown(model: ReportModel): string {
  const { report, counts } = model;
  const verdict = counts.error > 0 ? `❌ ${plural(counts.error, "error")}` : "✅ no errors";
  const out: string[] = [
    `### Azure VM backup check: ${verdict}, ${plural(counts.warning, "warning")}`,
    "",
    `Plan \`${cell(model.file)}\` checked against limit profile \`${report.profile}\`.` +
      (counts.error > 0 ? " Azure would refuse this plan; fix the errors before merging." : ""),
    "",
  ];
  const all = model.groups.flatMap((g) => g.diagnostics.map((d) => ({ d, title: g.title })));
  const shown = all.filter(({ d }) => d.severity !== "info");
  if (shown.length > 0) {
    out.push("| | Where | Rule | Problem | Fix |", "|---|---|---|---|---|");
    for (const { d, title } of shown) out.push(row(d, title));
    out.push("");
  }
  const notes = all.filter(({ d }) => d.severity === "info");
  if (notes.length > 0) {
    out.push(`<details><summary>${plural(notes.length, "note")}</summary>`, "");
    for (const { d, title } of notes) out.push(`- ${title} \`${d.path || "(plan)"}\`: ${d.message}`);
    out.push("", "</details>", "");
  }
  const cited = [...new Set(all.map(({ d }) => d.source).filter((s): s is string => s !== undefined))];
  if (cited.length > 0) {
    out.push("<details><summary>Sources of the limits and rules</summary>", "");
    for (const source of cited) out.push(`- ${source}`);
    out.push("", "</details>", "");
  }
  out.push(...formatEstimates(report.vaults, report.vms));
  return out.join("\n");
}

/** What the per-VM table shows of a VM's estimate (a plan's `VmEstimate`, an offline report's `ReportVm`). */
export interface VmEstimateRow {
  name: string;
  vault: string;
  policy: string;
  protectedInstanceGb: number;
  usedDataEstimated: boolean;
  billing: { tier: string; units: number };
  initialBackupHours: number;
}

/**
 * The estimates: a row per vault (VMs, policies, protected data, billing units, busiest start), a chart per vault of the
 * VMs starting at each UTC time against the `vmsPerSchedule` limit, and the per-VM table, collapsed.
 */
export function formatEstimates(vaults: readonly VaultSummary[], vms: readonly VmEstimateRow[], options: { maxVms?: number; more?: string } = {}): string[] {
  const out: string[] = [];
  if (vaults.length > 0) {
    out.push(
      "#### Estimates",
      "",
      "| Vault | Region | VMs | Policies | Protected data | Billing units | Busiest start (UTC) |",
      "|---|---|---:|---:|---:|---:|---|",
    );
    for (const v of vaults) {
      // The busiest start as the chart below shows it (one offset per zone) when there is one, else the rules' worst case over the zones' offsets.
      const charted = v.startLoad?.starts.reduce<{ timeUtc: string; vms: number } | undefined>((a, b) => (a === undefined || b.vms > a.vms ? b : a), undefined);
      const start = charted ?? v.busiestStart;
      const busiest = start === undefined ? "" : `${start.timeUtc}, ${plural(start.vms, "VM")}`;
      out.push(
        `| ${cell(v.name)} | ${v.location} | ${v.vms} | ${v.policies} | ${formatGb(v.protectedInstanceGb)} | ${v.billingUnits} (${v.smallInstances} small) | ${busiest} |`,
      );
    }
    out.push("");
    for (const v of vaults) if (v.startLoad !== undefined && v.startLoad.starts.length > 0) out.push(...startChart(v.name, v.startLoad));
  }
  if (vms.length > 0) {
    out.push(`<details><summary>Per VM (${plural(vms.length, "VM")})</summary>`, "");
    out.push("| VM | Vault | Policy | Protected data | Billing | First backup |", "|---|---|---|---:|---|---:|");
    const listed = options.maxVms === undefined ? vms : vms.slice(0, options.maxVms);
    for (const vm of listed) {
      out.push(
        `| ${cell(vm.name)} | ${cell(vm.vault)} | ${cell(vm.policy)} | ${formatGb(vm.protectedInstanceGb)}${vm.usedDataEstimated ? " (size)" : ""} | ${vm.billing.units} ${vm.billing.tier} | ${formatHours(vm.initialBackupHours)} |`,
      );
    }
    if (listed.length < vms.length) out.push("", `… and ${vms.length - listed.length} more${options.more ?? ""}.`);
    out.push("", "</details>", "");
  }
  return out;
}
