/**
 * The markdown of an offline run's report (offline-report.ts): the comment a CI job posts on a pull request. The
 * verdict in the title, a summary line of the changes, what must be fixed, the warnings, the changes (collapsed when
 * long: a 1,000-VM fleet must still make a readable comment), and the estimates with a start-time chart per vault
 * (format-markdown.ts `formatEstimates`, shared with `check --format markdown`).
 */
import { cell, formatEstimates } from "./format-markdown";
import type { ChangeOp, OfflineReport, ReportFinding } from "./offline-report";
import { plural } from "./report-model";

/** Lists longer than this go in a collapsed block. */
export const COLLAPSE_ROWS = 20;

/**
 * Rows a list shows at most: GitHub refuses a comment of more than 65,536 characters ("Body is too long (maximum is 65536
 * characters)", e.g. runatlantis/atlantis#66, danger/danger#424), and a 1,000-VM fleet's changes and estimates would exceed it.
 */
export const MAX_ROWS = 200;

const MORE = ": `--format report-json` lists them all";

const SYMBOL: Record<ChangeOp, string> = { create: "➕", update: "✏️", replace: "🔁", delete: "➖" };
const WORD: Record<ChangeOp, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete" };
const OPS: readonly ChangeOp[] = ["create", "update", "replace", "delete"];
const RUN: Record<OfflineReport["run"], string> = {
  preview: "preview",
  up: "update",
  destroy: "destroy",
  "destroy-preview": "destroy preview",
  refresh: "refresh",
  "refresh-preview": "refresh",
};

function source(f: ReportFinding): string {
  if (f.source === undefined) return "";
  const title = f.source.url === undefined ? cell(f.source.title) : `[${cell(f.source.title).replace(/[[\]]/g, "")}](${f.source.url})`;
  return f.source.quote === undefined ? title : `${title}: ${cell(f.source.quote)}`;
}

/** The rows of a list, at most `MAX_ROWS`, then how many more there are. */
function capped(header: string[], rows: string[]): string[] {
  return rows.length <= MAX_ROWS ? [...header, ...rows] : [...header, ...rows.slice(0, MAX_ROWS), "", `… and ${rows.length - MAX_ROWS} more${MORE}.`];
}

function findingsTable(list: readonly ReportFinding[]): string[] {
  const out: string[] = [];
  for (const f of list) {
    const problem = f.limit === undefined ? f.message : `${f.message} (limit \`${f.limit}\`)`;
    out.push(
      `| ${cell(f.resource)} | ${f.argument === undefined ? "" : `\`${cell(f.argument)}\``} | ${f.code === undefined ? "" : `\`${f.code}\``} | ${cell(problem)} | ${cell(f.fix ?? "")} | ${source(f)} |`,
    );
  }
  return capped(["| Resource | Argument | Rule | Problem | Fix | Source |", "|---|---|---|---|---|---|"], out);
}

/** A block, collapsed with its summary when it has more than `COLLAPSE_ROWS` rows. */
function maybeCollapsed(summary: string, rows: number, lines: string[]): string[] {
  return rows > COLLAPSE_ROWS ? [`<details><summary>${summary}</summary>`, "", ...lines, "", "</details>", ""] : [...lines, ""];
}

export function formatOfflineMarkdown(report: OfflineReport): string {
  const { counts } = report;
  const icon = report.verdict === "errors" ? "❌" : report.verdict === "warnings" ? "⚠️" : "✅";
  const out: string[] = [
    `### ${icon} Azure VM backup ${RUN[report.run]} of \`${report.project}/${report.stack}\`: ${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}`,
    "",
  ];
  const changed = OPS.filter((op) => counts[op] > 0).map((op) => `**${counts[op]}** ${WORD[op]}`);
  out.push(
    `${changed.length === 0 ? "No changes" : changed.join(" · ")}${counts.unchanged > 0 ? ` · ${counts.unchanged} unchanged` : ""}. Limits: profile \`${report.profile}\`.` +
      (counts.errors > 0 ? " Azure would refuse this change: nothing was created; fix the errors before merging." : ""),
    "",
  );

  if (report.errors.length > 0) {
    out.push("#### ❌ Must fix", "");
    out.push(...maybeCollapsed(plural(report.errors.length, "error"), report.errors.length, findingsTable(report.errors)));
  }
  if (report.warnings.length > 0) {
    out.push("#### ⚠️ Warnings", "");
    out.push(...maybeCollapsed(plural(report.warnings.length, "warning"), report.warnings.length, findingsTable(report.warnings)));
  }

  if (report.changes.length > 0) {
    out.push("#### Changes", "");
    // By type first: what a reviewer reads of a large change at a glance.
    const types = [...new Set(report.changes.map((c) => c.type))];
    out.push(`| Type | ${OPS.map((op) => `${SYMBOL[op]} ${op}`).join(" | ")} |`, `|---|${OPS.map(() => "---:").join("|")}|`);
    for (const type of types) {
      const of = report.changes.filter((c) => c.type === type);
      out.push(`| ${cell(type)} | ${OPS.map((op) => of.filter((c) => c.op === op).length || "").join(" | ")} |`);
    }
    out.push("");
  }
  // Each change: here when the list is short; collapsed after the estimates when it is long (a 1,000-VM fleet).
  const rows = capped(
    ["| | Type | Name |", "|---|---|---|"],
    report.changes.map((c) => `| ${SYMBOL[c.op]} ${c.op} | ${cell(c.type)} | ${cell(c.name)}${c.failed === true ? " ❌" : ""} |`),
  );
  const long = report.changes.length > COLLAPSE_ROWS;
  if (report.changes.length > 0 && !long) out.push(...rows, "");

  out.push(...formatEstimates(report.vaults, report.vms, { maxVms: MAX_ROWS, more: MORE }));
  if (report.notEstimated.length > 0) {
    out.push(`Not estimated (the VM's disks are not known): ${report.notEstimated.map((n) => `\`${cell(n)}\``).join(", ")}.`, "");
  }
  if (long) out.push(...maybeCollapsed(`All ${plural(report.changes.length, "change")}`, report.changes.length, rows));
  return out.join("\n");
}
