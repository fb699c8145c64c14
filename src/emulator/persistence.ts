/**
 * Saving and loading the emulator's state, so that a second run continues where the first stopped: the same
 * vaults, items, jobs and operations, and the same emulated time (the state records the emulated time it was
 * saved at; the clock resumes from there, so a job started before a restart finishes after it).
 *
 * Writes are proportional to the change (issue 13): each change is appended to a journal beside the state
 * file (`<state>.journal`, one JSON line per request that changed something: the records it changed, from
 * journal.ts), written before the response is sent. The journal is replayed on load (a line cut short by a
 * kill is the change that never landed) and folded into the state file, written whole to a temporary file
 * and renamed over it, when it has grown past a multiple of the state's size, at stop, and at a start that
 * found one. The state file names its journal (`journalBase`), so a journal already folded in by a compaction
 * that was killed before it could remove it is recognised and dropped, never applied twice. State files
 * written before the journal existed (no `journalBase`) load as they are.
 */
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { applyOps, type JournalOp, type JournalTop } from "./journal";
import { emptyState, type EmulatorState, type OperationRecord, type VmFixture } from "./state";
import { parseVmFixtures } from "./vm-schema";

/** The journal is folded into the state file once it is this many times the state file's size... */
const COMPACT_FACTOR = 2;
/** ... or this many bytes, whichever is more (small states are not rewritten after every few requests). */
const COMPACT_MIN_BYTES = 256 * 1024;

interface JournalLine {
  at: number;
  ops?: Array<JournalOp | JournalTop>;
}

export const journalPath = (statePath: string) => `${statePath}.journal`;

/** The saved state, its journal replayed, or undefined when there is none. */
export function loadState(path: string | undefined): EmulatorState | undefined {
  return path === undefined ? undefined : readState(path).state;
}

function readState(path: string): { state: EmulatorState | undefined; base: string | null; journal: "none" | "stale" | "replayed" } {
  let state: EmulatorState | undefined;
  let base: string | null = null;
  if (existsSync(path)) {
    let parsed: EmulatorState & { journalBase?: string };
    try {
      parsed = JSON.parse(readFileSync(path, "utf8")) as EmulatorState & { journalBase?: string };
    } catch (error) {
      throw new Error(`State file '${path}' is not JSON (${(error as Error).message}); move it away to start afresh.`);
    }
    if (parsed.version !== 1) throw new Error(`State file '${path}' has version ${String(parsed.version)}; this emulator reads version 1.`);
    base = parsed.journalBase ?? null;
    delete parsed.journalBase;
    // States saved before operations had a due time: due at once.
    for (const op of parsed.operations as Array<OperationRecord & { notBefore?: number }>) op.dueAt ??= op.notBefore ?? op.startTime;
    state = parsed;
  }
  if (!existsSync(journalPath(path))) return { state, base, journal: "none" };
  const lines = readFileSync(journalPath(path), "utf8").split("\n");
  let header: { base?: string | null } | undefined;
  try {
    header = JSON.parse(lines[0] ?? "") as { base?: string | null };
  } catch {
    header = undefined;
  }
  if (header === undefined || (header.base ?? null) !== base) return { state, base, journal: "stale" };
  for (const text of lines.slice(1)) {
    if (text.trim() === "") continue;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      break; // cut short by a kill: that change never landed (and was never acknowledged)
    }
    state ??= emptyState(line.at);
    applyOps(state, line.ops ?? []);
    state.savedAt = line.at;
  }
  return { state, base, journal: "replayed" };
}

/** The state file and its journal, for one running emulator. */
export class StateStore {
  /** Bytes written to the state file and the journal since start (for benchmarks and tests). */
  bytesWritten = 0;
  compactions = 0;
  private base: string | null = null;
  private fd: number | undefined;
  private journalBytes = 0;
  private stateBytes = 0;

  constructor(readonly path: string) {}

  /** Reads the state; a journal found is folded in at once by `start` (it may end with a cut line). */
  load(): { state: EmulatorState | undefined; compact: boolean } {
    const { state, base, journal } = readState(this.path);
    this.base = base;
    if (journal === "stale") rmSync(journalPath(this.path), { force: true });
    return { state, compact: journal === "replayed" };
  }

  /** Appends one change (before the response that acknowledges it is sent); compacts when the journal has grown enough. */
  append(ops: Array<JournalOp | JournalTop>, at: number, state: EmulatorState): void {
    if (this.fd === undefined) {
      this.fd = openSync(journalPath(this.path), "w");
      this.write(`${JSON.stringify({ base: this.base })}\n`);
    }
    this.write(`${JSON.stringify(ops.length > 0 ? { at, ops } : { at })}\n`);
    if (this.journalBytes > COMPACT_FACTOR * Math.max(this.stateBytes, COMPACT_MIN_BYTES)) this.compact(state, at);
  }

  /** Writes the whole state atomically (a half-written file never replaces a good one), then drops the journal. */
  compact(state: EmulatorState, at: number): void {
    state.savedAt = at;
    this.base = randomUUID();
    const text = `${JSON.stringify({ ...state, journalBase: this.base })}\n`;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, this.path);
    this.bytesWritten += Buffer.byteLength(text);
    this.stateBytes = Buffer.byteLength(text);
    this.compactions++;
    this.close();
    rmSync(journalPath(this.path), { force: true });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.journalBytes = 0;
  }

  private write(text: string): void {
    const bytes = Buffer.from(text);
    writeSync(this.fd!, bytes);
    this.bytesWritten += bytes.length;
    this.journalBytes += bytes.length;
  }
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

/**
 * Adds VMs to the state, replacing those with the same id at their place (an identical VM is left as it is): a change
 * the size of the VMs given in the journal, so that adding VMs one by one stays O(n) in bytes written. The state gets
 * a new array rather than an element replaced in place: the model's VM index (model/index.ts `vmIndex`) is rebuilt
 * when the array or its length changes, and would otherwise keep serving the VM as it was.
 */
export function mergeVms(state: EmulatorState, vms: readonly VmFixture[]): void {
  const next = state.vms.slice();
  const at = new Map(next.map((vm, i) => [vm.id.toLowerCase(), i]));
  let changed = false;
  for (const vm of vms) {
    const i = at.get(vm.id.toLowerCase());
    if (i === undefined) {
      at.set(vm.id.toLowerCase(), next.length);
      next.push(vm);
      changed = true;
    } else if (JSON.stringify(next[i]) !== JSON.stringify(vm)) {
      next[i] = vm;
      changed = true;
    }
  }
  if (changed) state.vms = next;
}
