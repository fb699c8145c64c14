import { describeSubject, entryPath, type DiagnosticSubject } from "./subjects";

/**
 * Diagnostics: what every rule returns. A diagnostic names the input (`path`), the rule (`code`,
 * stable across releases), the limit and where it comes from (`limit`, `source`), and what to do
 * (`remedy`). `error` blocks a deployment, `warning` informs, `info` explains a default or estimate.
 */
export type Severity = "error" | "warning" | "info";

export interface DiagnosticLimit {
  /** The limit's key in `Limits` (e.g. `dataDisksPerVm`). */
  key: string;
  /** The value that applied. */
  value: number | string | boolean | null;
  /** The limit profile it came from, or `override` when set through `options.limits`. */
  profile: string;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  /** Where in the input, e.g. `retention.daily.count`, `vms[3].dataDisks[16]`. Empty for the whole input. */
  path: string;
  /** What the diagnostic is about in the user's words (which vault, policy or VM, and argument); set for a plan's entries. */
  subject?: DiagnosticSubject;
  /** Other entries the diagnostic names (the first protection of a VM protected twice). */
  related?: DiagnosticSubject[];
  message: string;
  limit?: DiagnosticLimit;
  source?: string;
  remedy?: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; stable within a severity. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity] || a.i - b.i)
    .map(({ d }) => d);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/**
 * A diagnostic on one line, as a preview shows it: the rule, the message, the limit and its profile, the
 * fix and the source. Providers' check failures and the components' warnings use it; with `subject`, it
 * starts with what the diagnostic is about when the user named it (`ProtectedVm 'web-01', argument 'vm'`).
 */
export function describeDiagnostic(d: Diagnostic, options: { subject?: boolean } = {}): string {
  const about =
    options.subject === true && d.subject !== undefined && d.subject.label !== entryPath(d.subject.kind, d.subject.index)
      ? `${describeSubject(d.subject)}: `
      : "";
  const limit = d.limit === undefined ? "" : ` Limit ${d.limit.key} = ${String(d.limit.value)} (${d.limit.profile}).`;
  const remedy = d.remedy === undefined ? "" : ` Fix: ${d.remedy}`;
  const source = d.source === undefined ? "" : ` Source: ${d.source}.`;
  return `[${d.code}] ${about}${d.message}${limit}${remedy}${source}`;
}

/** Joins an input path and a property name or array index: `join("vms[0]", "policy")`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}
