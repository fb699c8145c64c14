/**
 * What every report format shows: diagnostics grouped by the vault, policy or VM they are about
 * (as a reviewer reads a plan), errors first, and the estimates.
 */
import { entryPath, parseVmId, planListOf, sortDiagnostics, type Diagnostic, type DiagnosticSubject, type PlanReport, type Severity } from "../rules";

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

/** A plan file's entry, read loosely: the file may be wrong in any way the report is about. */
function entryOf(plan: unknown, subject: DiagnosticSubject): Record<string, unknown> | undefined {
  const entries = (plan as Record<string, unknown> | undefined)?.[planListOf(subject.kind)];
  return Array.isArray(entries) ? (entries[subject.index] as Record<string, unknown> | undefined) : undefined;
}

/** A VM's name for titles: the last segment of a VM id, or the text as given when it is not one. */
function vmName(id: string): string {
  return parseVmId(id)?.name ?? id;
}

function entryTitle(plan: unknown, subject: DiagnosticSubject): string {
  const entry = entryOf(plan, subject);
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const index = `#${subject.index}`;
  switch (subject.kind) {
    case "vault":
      return `Vault '${text(entry?.name) ?? index}'`;
    case "policy":
      return `Policy '${text(entry?.name) ?? index}'${text(entry?.vault) === undefined ? "" : ` in vault '${text(entry?.vault)}'`}`;
    case "vm": {
      const id = text(entry?.id);
      return `VM '${id === undefined ? index : vmName(id)}'`;
    }
    case "existingItem": {
      const id = text(entry?.vmId);
      return `Existing item ${id === undefined ? index : vmName(id)}`;
    }
  }
}

export function buildModel(file: string, plan: unknown, report: PlanReport): ReportModel {
  const groups = new Map<string, DiagnosticGroup>();
  for (const diagnostic of sortDiagnostics(report.diagnostics)) {
    const subject = diagnostic.subject;
    const key = subject === undefined ? "" : entryPath(subject.kind, subject.index);
    let group = groups.get(key);
    if (group === undefined) {
      group = { title: subject === undefined ? "Plan" : entryTitle(plan, subject), path: key, diagnostics: [] };
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
