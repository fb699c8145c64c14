/**
 * What a diagnostic is about, in the user's words. A plan's diagnostics carry a path (`vms[3].dataDisks[16]`)
 * that only a plan file's author can read; a subject says which vault, policy or protected VM it is about
 * (by the name the user gave the resource, `ProtectedVm 'web-01'`, when the plan comes from a program) and
 * which argument (`vm`, where a provider's plan says `id`). Every consumer (the components' program-wide
 * check, the providers' checks, the CLI's report) routes on the subject; paths are parsed here only.
 */
import type { Diagnostic } from "./diagnostics";

/** The kinds of plan entry a diagnostic can be about. */
export type SubjectKind = "vault" | "policy" | "vm" | "existingItem";

export interface DiagnosticSubject {
  kind: SubjectKind;
  /** The entry's position in its list of the plan (`vms[index]`). */
  index: number;
  /** How messages name the entry: `ProtectedVm 'web-01'` from a program, `vms[3]` in a plan file. */
  label: string;
  /** The entry's own field the diagnostic is about, as the plan spells it (`dataDisks[16]`); "" for the whole entry. */
  field: string;
  /** That field as the user wrote it (`vm` for a ProtectedVm's disks); "" for the whole entry. */
  argument: string;
}

/** How one plan entry is named to its user: a label and, per field, the argument the user wrote. */
export interface EntryName {
  label: string;
  /** The argument for a field of the entry (its first segment, e.g. `dataDisks`); the field itself when absent or undefined. */
  argument?: (field: string) => string | undefined;
}

/** Names of a plan's entries, per kind and position; entries without one are named by their plan path. */
export type PlanNames = Partial<Record<SubjectKind, ReadonlyArray<EntryName | undefined>>>;

const LISTS: Readonly<Record<SubjectKind, string>> = { vault: "vaults", policy: "policies", vm: "vms", existingItem: "existingItems" };
const KINDS: ReadonlyMap<string, SubjectKind> = new Map(Object.entries(LISTS).map(([kind, list]) => [list, kind as SubjectKind]));

/** The plan's list an entry kind lives in: `vms`. */
export function planListOf(kind: SubjectKind): string {
  return LISTS[kind];
}

/** The plan path of an entry: `vms[3]`. */
export function entryPath(kind: SubjectKind, index: number): string {
  return `${LISTS[kind]}[${index}]`;
}

/** How messages name an entry of the plan. */
export function labelOf(names: PlanNames | undefined, kind: SubjectKind, index: number): string {
  return names?.[kind]?.[index]?.label ?? entryPath(kind, index);
}

/** The first key of a field path: `dataDisks` of `dataDisks[16].sizeGb`. */
export function headOf(field: string): string {
  const end = field.search(/[.[]/);
  return end < 0 ? field : field.slice(0, end);
}

/** The entry a plan path is under, and the rest of the path; undefined for paths outside the entries (`options.limits.x`). */
export function subjectOf(path: string, names?: PlanNames): DiagnosticSubject | undefined {
  const open = path.indexOf("[");
  const close = path.indexOf("]", open);
  if (open <= 0 || close < 0) return undefined;
  const kind = KINDS.get(path.slice(0, open));
  const index = Number(path.slice(open + 1, close));
  if (kind === undefined || !Number.isInteger(index) || index < 0) return undefined;
  const field = path.slice(close + 1).replace(/^\./, "");
  const name = names?.[kind]?.[index];
  const argument = field === "" ? "" : (name?.argument?.(headOf(field)) ?? field);
  return { kind, index, label: name?.label ?? entryPath(kind, index), field, argument };
}

/** Sets each diagnostic's subject from its path (the plan's rules report paths; this names them). */
export function attachSubjects(diagnostics: Diagnostic[], names?: PlanNames): void {
  for (const d of diagnostics) {
    if (d.subject !== undefined) continue;
    const subject = subjectOf(d.path, names);
    if (subject !== undefined) d.subject = subject;
  }
}

/** "ProtectedVm 'web-01', argument 'vm'", or the label alone for the whole entry. */
export function describeSubject(subject: DiagnosticSubject): string {
  return subject.argument === "" ? subject.label : `${subject.label}, argument '${subject.argument}'`;
}
