/**
 * Saving and loading the emulator's state as JSON, so that a second run continues where the first stopped:
 * the same vaults, items, jobs and operations, and the same emulated time (the state records the emulated
 * time it was saved at; the clock resumes from there, so a job started before a restart finishes after it).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { EmulatorState, OperationRecord, VmFixture } from "./state";
import { parseVmFixtures } from "./vm-schema";

/** The saved state, or undefined when there is none. */
export function loadState(path: string | undefined): EmulatorState | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  let parsed: EmulatorState;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as EmulatorState;
  } catch (error) {
    throw new Error(`State file '${path}' is not JSON (${(error as Error).message}); move it away to start afresh.`);
  }
  if (parsed.version !== 1) throw new Error(`State file '${path}' has version ${String(parsed.version)}; this emulator reads version 1.`);
  // States saved before operations had a due time: due at once.
  for (const op of parsed.operations as Array<OperationRecord & { notBefore?: number }>) op.dueAt ??= op.notBefore ?? op.startTime;
  return parsed;
}

/** Writes atomically: a half-written file never replaces a good one. */
export function saveState(path: string, state: EmulatorState, now: number): void {
  state.savedAt = now;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, path);
}

export function loadVms(path: string): VmFixture[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (error) {
    throw new Error(`VM file '${path}' cannot be read as JSON: ${(error as Error).message}`);
  }
  return parseVmFixtures(parsed, `VM file '${path}'`);
}

/** Adds VMs to the state, replacing those with the same id. */
export function mergeVms(state: EmulatorState, vms: readonly VmFixture[]): void {
  const incoming = new Map(vms.map((vm) => [vm.id.toLowerCase(), vm]));
  state.vms = state.vms.filter((v) => !incoming.has(v.id.toLowerCase()));
  state.vms.push(...incoming.values());
}
