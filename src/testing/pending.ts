/**
 * Operations a run leaves pending: the journal entry written before each provider call, so that a run killed
 * mid-call leaves a trace; what the next run does with the traces it finds; and which of them stay pending.
 */
import type { LogEntry } from "./engine";
import type { ProviderHost } from "./host";
import type { JournalEntry, PendingOperation, StackState, StateResource } from "./state";
import { DYNAMIC, errorText, type Props } from "./wire";

/** The journal entry that says an operation on a resource has started and not yet finished. */
export function pendingEntry(
  kind: PendingOperation["kind"],
  r: { urn: string; type: string; name: string; custom: boolean; parent: string; dependencies: string[] },
  inputs: Props,
): JournalEntry {
  return { pending: { kind, urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent, inputs, dependencies: r.dependencies } };
}

/**
 * Operations an earlier run left pending (it was killed while a provider worked). Updates and deletes are
 * simply done again (the resource is still in the state). A pending create has no id in the state: as
 * `pulumi refresh --import-pending-creates` would, it is read back from Azure by its inputs (this package's
 * providers find a vault, policy or protected VM by name) and kept when it exists, so that an up updates it
 * and a destroy deletes it; otherwise it is dropped and an up creates it.
 *
 * Adopted resources join `state.resources` and `old` (the run's view of the state); what is left pending
 * stays in `state.pendingOperations`. Returns what the run has to say about it.
 */
export async function adoptPending(
  state: StackState,
  old: Map<string, StateResource>,
  host: Pick<ProviderHost, "read">,
  checkpoint: (entry: JournalEntry) => void,
): Promise<LogEntry[]> {
  const notes: LogEntry[] = [];
  const pending = state.pendingOperations ?? [];
  if (pending.length === 0) return notes;
  const adopted: string[] = [];
  const unresolved: PendingOperation[] = [];
  for (const op of pending) {
    if (op.kind !== "creating" || !op.type.startsWith(DYNAMIC) || old.has(op.urn)) {
      checkpoint({ failed: op.urn });
      continue;
    }
    let read: { id: string; props: Props };
    try {
      read = await host.read(op.urn, "", op.inputs);
    } catch (error) {
      // Azure could not be asked: keep the pending create for a later run rather than forget what it made.
      unresolved.push(op);
      notes.push({ severity: "warning", urn: op.urn, message: `The pending create of ${op.name} could not be read back: ${errorText(error)}` });
      continue;
    }
    if (read.id === "") {
      checkpoint({ failed: op.urn });
      continue;
    }
    const resource: StateResource = {
      urn: op.urn,
      type: op.type,
      name: op.name,
      custom: op.custom,
      parent: op.parent,
      id: read.id,
      inputs: op.inputs,
      outputs: read.props,
      dependencies: op.dependencies,
    };
    state.resources.push(resource);
    old.set(op.urn, resource);
    checkpoint({ done: resource });
    adopted.push(op.name);
  }
  if (unresolved.length > 0) state.pendingOperations = unresolved;
  else delete state.pendingOperations;
  notes.push({
    severity: "warning",
    urn: "",
    message: `${pending.length} operation(s) of an interrupted run were pending: ${pending.map((p) => `${p.kind} ${p.name}`).join(", ")}. ${adopted.length > 0 ? `Found in Azure and kept in the stack: ${adopted.join(", ")}. ` : ""}The others are done again by this run.`,
  });
  return notes;
}

/** Pending operations of an earlier run that this run neither resolved nor did again (`settled` says which it did). */
export function stillPending(previous: StackState, settled: (urn: string) => boolean): Pick<StackState, "pendingOperations"> {
  const left = (previous.pendingOperations ?? []).filter((p) => !settled(p.urn));
  return left.length === 0 ? {} : { pendingOperations: left };
}
