/**
 * Helpers of the SIGKILL tests (interrupted*.test.ts). Interrupted deploys converge: `azure-vm-backup
 * offline` deploying examples/fleet (150 protected VMs, 463 resources) is killed with SIGKILL at different points, as a CI runner that times out or a laptop that
 * sleeps would stop `pulumi up`. The stack checkpoints every step and the emulator keeps Azure's clock and
 * state, so one re-run protects every declared VM exactly once, and a destroy after a kill leaves only the
 * vault that onDestroy "retain" keeps, with its backups.
 *
 * Kill points are found by watching the stack's journal (one line per step), not by sleeping.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, watch } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorState } from "../../src/emulator";
import { loadState } from "../../src/emulator/persistence";
import type { StackState } from "../../src/testing/state";

const ROOT = join(__dirname, "../..");
const PROTECTED_VM = "dynamic/azure-vm-backup:ProtectedVm";
const TIERS: Record<string, string> = { web: "web-backup", app: "app-backup", db: "db-backup" };

export function start(work: string, ...extra: string[]) {
  return spawn(
    process.execPath,
    [
      "--conditions=azure-vm-backup-source",
      "--import",
      require.resolve("tsx"),
      join(ROOT, "src/cli/main.ts"),
      "offline",
      "examples/fleet",
      "--work-dir",
      work,
      ...extra,
    ],
    { cwd: ROOT },
  );
}

export function run(work: string, ...extra: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = start(work, ...extra);
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
}

/** Starts an up and kills it (SIGKILL) as soon as the journal holds `enough` lines that `counts`. */
export function killWhen(work: string, counts: (line: string) => boolean, enough: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // The up skips its preview (`--skip-preview`): the kill lands in the up, and a fleet preview costs seconds.
    const child = start(work, "--skip-preview");
    const journal = join(work, "stack-state.json.journal");
    let offset = 0;
    let partial = "";
    let seen = 0;
    let killed = false;
    const scan = () => {
      if (killed || !existsSync(journal)) return;
      const size = statSync(journal).size;
      if (size <= offset) return;
      const fd = openSync(journal, "r");
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      closeSync(fd);
      offset = size;
      const lines = (partial + buffer.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      seen += lines.filter(counts).length;
      if (seen >= enough) {
        killed = true;
        child.kill("SIGKILL");
      }
    };
    const watcher = watch(work, () => scan());
    child.on("exit", (_code, signal) => {
      watcher.close();
      if (signal === "SIGKILL") resolve(seen);
      else reject(new Error(`the up ended before the kill point (${seen} of ${enough} steps seen)`));
    });
  });
}

export const doneProtections = (line: string) => line.startsWith('{"done":') && line.includes(PROTECTED_VM);
export const startedProtections = (line: string) => line.startsWith('{"pending":{"kind":"creating"') && line.includes(PROTECTED_VM);
/** The emulator's state as a restart would read it: the state file with its journal replayed (persistence.ts). */
export const emulatorState = (work: string): EmulatorState => loadState(join(work, "emulator-state.json"))!;
export const stackState = (work: string) => JSON.parse(readFileSync(join(work, "stack-state.json"), "utf8")) as StackState;

/** Every declared VM protected once, on its tier's policy; the stack whole, nothing pending. */
export function expectConverged(work: string): void {
  const vault = emulatorState(work).vaults.find((v) => v.name === "rsv-fleet-weu")!;
  const vms = vault.items.map((i) => i.friendlyName).sort();
  expect(vms).toHaveLength(150);
  expect(new Set(vms).size).toBe(150);
  for (const item of vault.items) {
    expect(item.policyName).toBe(TIERS[item.friendlyName.split("-")[0]!]);
    expect(["IRPending", "Protected"]).toContain(item.protectionState);
  }
  const stack = stackState(work);
  expect(stack.pendingOperations).toBeUndefined();
  expect(stack.resources).toHaveLength(463 + 1); // and the stack itself
  expect(existsSync(join(work, "stack-state.json.journal"))).toBe(false);
}

export const workDir = () => mkdtempSync(join(tmpdir(), "avb-killed-"));

/** Kills an up at a point, re-runs it once and checks that it converged (then, if asked, that a preview has nothing to do). */
export async function killAndRerun(counts: (line: string) => boolean, enough: number, previewAfter: boolean): Promise<void> {
  const dir = workDir();
  await killWhen(dir, counts, enough);
  const again = await run(dir, "--skip-preview");
  expect(again.stdout).not.toContain("**failed**");
  expect(again.stdout).not.toContain("Previewing update");
  expect(again.stdout).toContain("Updating (backup-fleet/dev)");
  expect(again.code).toBe(0);
  expectConverged(dir);
  if (previewAfter) {
    const third = await run(dir, "--preview");
    expect(third.stdout.match(/no changes/g)).toHaveLength(1);
  }
}
