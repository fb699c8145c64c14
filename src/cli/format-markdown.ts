/** Markdown report, the comment a CI job posts on a pull request. */
import type { Diagnostic } from "../rules";
import { formatGb, formatHours, plural, type ReportModel } from "./report-model";

const ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;

/** Table cells cannot hold pipes or newlines. */
function cell(text: string): string {
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
  if (report.vaults.length > 0) {
    out.push(
      "#### Estimates",
      "",
      "| Vault | Region | VMs | Policies | Protected data | Billing units | Busiest start (UTC) |",
      "|---|---|---:|---:|---:|---:|---|",
    );
    for (const v of report.vaults) {
      const busiest = v.busiestStart === undefined ? "" : `${v.busiestStart.timeUtc}, ${plural(v.busiestStart.vms, "VM")}`;
      out.push(
        `| ${cell(v.name)} | ${v.location} | ${v.vms} | ${v.policies} | ${formatGb(v.protectedInstanceGb)} | ${v.billingUnits} (${v.smallInstances} small) | ${busiest} |`,
      );
    }
    out.push("");
  }
  if (report.vms.length > 0) {
    out.push(`<details><summary>Per VM (${plural(report.vms.length, "VM")})</summary>`, "");
    out.push("| VM | Vault | Policy | Protected data | Billing | First backup |", "|---|---|---|---:|---|---:|");
    for (const vm of report.vms) {
      out.push(
        `| ${cell(vm.name)} | ${cell(vm.vault)} | ${cell(vm.policy)} | ${formatGb(vm.protectedInstanceGb)}${vm.usedDataEstimated ? " (size)" : ""} | ${vm.billing.units} ${vm.billing.tier} | ${formatHours(vm.initialBackupHours)} |`,
      );
    }
    out.push("", "</details>", "");
  }
  return out.join("\n");
}
