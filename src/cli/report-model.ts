/**
 * What every report format shows: diagnostics grouped by the vault, policy or VM they are about
 * (as a reviewer reads a plan), errors first, and the estimates.
 */
import { sortDiagnostics, type Diagnostic, type PlanReport, type Severity } from "../rules";

export interface DiagnosticGroup {
  /** "Vault 'rsv-weu'", "Policy 'daily' in vault 'rsv-weu'", "VM 'web-01'", or "Plan". */
  title: string;
  /** The path prefix of the group, e.g. `vms[3]`. */
  path: string;
  diagnostics: Diagnostic[];
}

export interface ReportModel {
  file: string;
  report: PlanReport;
  counts: Record<Severity, number>;
  groups: DiagnosticGroup[];
}

const ENTRY = /^(vaults|policies|vms|existingItems)\[(\d+)\]/;

function entryTitle(plan: unknown, list: string, index: number): string {
  const entries = (plan as Record<string, unknown> | undefined)?.[list];
  const entry = Array.isArray(entries) ? (entries[index] as Record<string, unknown> | undefined) : undefined;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  switch (list) {
    case "vaults":
      return `Vault '${text(entry?.name) ?? `#${index}`}'`;
    case "policies":
      return `Policy '${text(entry?.name) ?? `#${index}`}'${text(entry?.vault) === undefined ? "" : ` in vault '${text(entry?.vault)}'`}`;
    case "vms": {
      const id = text(entry?.id);
      return `VM '${id === undefined ? `#${index}` : id.split("/").pop()}'`;
    }
    default:
      return `Existing item ${text(entry?.vmId)?.split("/").pop() ?? `#${index}`}`;
  }
}

export function buildModel(file: string, plan: unknown, report: PlanReport): ReportModel {
  const groups = new Map<string, DiagnosticGroup>();
  for (const diagnostic of sortDiagnostics(report.diagnostics)) {
    const match = ENTRY.exec(diagnostic.path);
    const key = match === null ? "" : match[0];
    let group = groups.get(key);
    if (group === undefined) {
      group = { title: match === null ? "Plan" : entryTitle(plan, match[1]!, Number(match[2])), path: key, diagnostics: [] };
      groups.set(key, group);
    }
    group.diagnostics.push(diagnostic);
  }
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of report.diagnostics) counts[d.severity]++;
  const rank = (g: DiagnosticGroup) => Math.min(...g.diagnostics.map((d) => ({ error: 0, warning: 1, info: 2 })[d.severity]));
  return { file, report, counts, groups: [...groups.values()].sort((a, b) => rank(a) - rank(b)) };
}

export function formatGb(gb: number): string {
  return gb >= 1024 ? `${(gb / 1024).toFixed(1)} TB` : `${Math.round(gb).toLocaleString("en-US")} GB`;
}

export function formatHours(hours: number): string {
  return hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : `${hours.toFixed(1)} h`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
