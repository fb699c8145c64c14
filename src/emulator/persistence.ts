/** Saving and loading the emulator's state as JSON, so that a second run continues where the first stopped. */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { emptyState, type EmulatorState, type VmFixture } from "./state";

export function loadState(path: string | undefined, now: number): EmulatorState {
  if (path === undefined || !existsSync(path)) return emptyState(now);
  const parsed = JSON.parse(readFileSync(path, "utf8")) as EmulatorState;
  if (parsed.version !== 1) throw new Error(`State file '${path}' has version ${String(parsed.version)}; this emulator reads version 1.`);
  return parsed;
}

/** Writes atomically: a half-written file never replaces a good one. */
export function saveState(path: string, state: EmulatorState, now: number): void {
  state.savedAt = now;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, path);
}

export function loadVms(path: string): VmFixture[] {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  const list = Array.isArray(parsed) ? parsed : (parsed as { vms?: unknown }).vms;
  if (!Array.isArray(list)) throw new Error(`VM file '${path}' must hold a list of VMs (or { "vms": [...] }).`);
  for (const [i, vm] of list.entries()) {
    const v = vm as Partial<VmFixture>;
    if (typeof v.id !== "string" || typeof v.location !== "string" || typeof v.osDisk?.sizeGb !== "number") {
      throw new Error(`VM ${i} in '${path}' needs id, location and osDisk.sizeGb.`);
    }
  }
  return list as VmFixture[];
}

/** Adds VMs to the state, replacing those with the same id. */
export function mergeVms(state: EmulatorState, vms: readonly VmFixture[]): void {
  for (const vm of vms) {
    const key = vm.id.toLowerCase();
    state.vms = state.vms.filter((v) => v.id.toLowerCase() !== key);
    state.vms.push(vm);
  }
}
