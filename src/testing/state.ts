/**
 * The offline stack's state: what `pulumi` keeps in its backend: each resource's URN, type, id, inputs,
 * outputs, and the options that matter for later operations (dependencies for delete order, protect,
 * retainOnDelete), and the operations that were under way when a run was interrupted.
 *
 * Like Pulumi's engine, a run checkpoints after every step, so that a run killed at any point leaves a state
 * the next run and a destroy can use: before a provider call the step is recorded as a pending operation
 * ("creating", "updating", "deleting", as Pulumi's checkpoints name them), after it the resource as it now is.
 * Steps go to an append-only journal beside the state file (one JSON line each: a write proportional to the
 * step, not to the whole state), which is replayed on load and folded into the state file, written whole and
 * renamed, at the end of each run.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface StateResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
}

/** An operation a provider was asked to do and had not answered when the run stopped. */
export interface PendingOperation {
  kind: "creating" | "updating" | "deleting";
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** The inputs the provider was given (for a create: what a later run can find the resource by). */
  inputs: Record<string, unknown>;
  dependencies: string[];
}

export interface StackState {
  version: 1;
  project: string;
  stack: string;
  resources: StateResource[];
  outputs: Record<string, unknown>;
  pendingOperations?: PendingOperation[];
}

/** One checkpointed step. */
export type JournalEntry = { pending: PendingOperation } | { done: StateResource } | { deleted: string } | { failed: string };

export function emptyState(project: string, stack: string): StackState {
  return { version: 1, project, stack, resources: [], outputs: {} };
}

const journalOf = (path: string) => `${path}.journal`;

/** Applies one step to a state (a done resource keeps its place, or joins the end: after its dependencies). */
export function applyEntry(state: StackState, entry: JournalEntry): void {
  const urn = "pending" in entry ? entry.pending.urn : "done" in entry ? entry.done.urn : "deleted" in entry ? entry.deleted : entry.failed;
  const pending = (state.pendingOperations ?? []).filter((p) => p.urn !== urn);
  if ("pending" in entry) pending.push(entry.pending);
  if (pending.length > 0) state.pendingOperations = pending;
  else delete state.pendingOperations;
  if ("done" in entry) {
    const at = state.resources.findIndex((r) => r.urn === urn);
    if (at >= 0) state.resources[at] = entry.done;
    else state.resources.push(entry.done);
  } else if ("deleted" in entry) {
    state.resources = state.resources.filter((r) => r.urn !== urn);
  }
}

export function loadStackState(path: string | undefined, project: string, stack: string): StackState {
  if (path === undefined) return emptyState(project, stack);
  let state = emptyState(project, stack);
  if (existsSync(path)) {
    state = JSON.parse(readFileSync(path, "utf8")) as StackState;
    if (state.version !== 1 || !Array.isArray(state.resources)) throw new Error(`${path} is not an offline stack state (version 1).`);
  }
  if (existsSync(journalOf(path))) {
    // A run that did not finish: replay its steps. A line cut short by the kill is the step that never landed.
    for (const line of readFileSync(journalOf(path), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        break;
      }
      applyEntry(state, entry);
    }
  }
  return state;
}

/** Records one step of a running `up` or `destroy` (appended: a write the size of the step). */
export function checkpoint(path: string | undefined, entry: JournalEntry): void {
  if (path === undefined) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(journalOf(path), `${JSON.stringify(entry)}\n`);
}

/** Writes the whole state, then renames it into place and drops the journal it folds in. */
export function saveStackState(path: string | undefined, state: StackState): void {
  if (path === undefined) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  rmSync(journalOf(path), { force: true });
}
