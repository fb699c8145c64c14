/** Plain-text report for terminals and CI logs. */
import type { Diagnostic } from "../rules";
import { formatGb, formatHours, plural, type ReportModel } from "./report-model";

const LABEL = { error: "error  ", warning: "warning", info: "info   " } as const;

function diagnosticLines(d: Diagnostic): string[] {
  const lines = [`  ${LABEL[d.severity]} ${d.path === "" ? "(plan)" : d.path}  [${d.code}]`, `      ${d.message}`];
  if (d.limit !== undefined) lines.push(`      limit:  ${d.limit.key} = ${String(d.limit.value)} (${d.limit.profile})`);
  if (d.source !== undefined) lines.push(`      source: ${d.source}`);
  if (d.remedy !== undefined) lines.push(`      fix:    ${d.remedy}`);
  return lines;
}

export function formatText(model: ReportModel): string {
  const { report, counts } = model;
  const out: string[] = [];
  out.push(`azure-vm-backup check ${model.file} (limit profile ${report.profile})`);
  out.push(`${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${plural(counts.info, "note")}`);
  for (const group of model.groups) {
    out.push("", `${group.title}${group.path === "" ? "" : ` (${group.path})`}`);
    for (const d of group.diagnostics) out.push(...diagnosticLines(d));
  }
  if (report.vaults.length > 0) {
    out.push("", "Estimates per vault");
    for (const v of report.vaults) {
      const busiest = v.busiestStart === undefined ? "" : `; busiest start ${v.busiestStart.timeUtc} UTC with ${plural(v.busiestStart.vms, "VM")}`;
      out.push(
        `  ${v.name} (${v.location}): ${plural(v.vms, "VM")}, ${plural(v.policies, "policy", "policies")}, ` +
          `${formatGb(v.protectedInstanceGb)} protected, ${plural(v.billingUnits, "billing unit")} (${v.smallInstances} small)${busiest}`,
      );
    }
  }
  if (report.vms.length > 0) {
    out.push("", "Estimates per VM (protected instance = used data on backed-up disks)");
    const rows = [["VM", "Vault", "Policy", "Protected", "Billing", "First backup"]];
    for (const vm of report.vms) {
      rows.push([
        vm.name,
        vm.vault,
        vm.policy,
        `${formatGb(vm.protectedInstanceGb)}${vm.usedDataEstimated ? "*" : ""}`,
        `${vm.billing.units} ${vm.billing.tier}`,
        formatHours(vm.initialBackupHours),
      ]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) out.push(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
    if (report.vms.some((v) => v.usedDataEstimated)) out.push("  * disk size counted where used data was not given (an upper bound)");
  }
  out.push("");
  return out.join("\n");
}
