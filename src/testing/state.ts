/**
 * The offline stack's state: what `pulumi` keeps in its backend, as one JSON file: each resource's URN,
 * type, id, inputs, outputs, and the options that matter for later operations (dependencies for delete
 * order, protect, retainOnDelete).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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

export interface StackState {
  version: 1;
  project: string;
  stack: string;
  resources: StateResource[];
  outputs: Record<string, unknown>;
}

export function emptyState(project: string, stack: string): StackState {
  return { version: 1, project, stack, resources: [], outputs: {} };
}

export function loadStackState(path: string | undefined, project: string, stack: string): StackState {
  if (path === undefined || !existsSync(path)) return emptyState(project, stack);
  const state = JSON.parse(readFileSync(path, "utf8")) as StackState;
  if (state.version !== 1 || !Array.isArray(state.resources)) throw new Error(`${path} is not an offline stack state (version 1).`);
  return state;
}

/** Written whole, then renamed, so that an interrupted run never leaves half a file. */
export function saveStackState(path: string | undefined, state: StackState): void {
  if (path === undefined) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
