/**
 * Interrupted deploys converge: `azure-vm-backup offline` deploying examples/fleet (150 protected VMs, 463
 * resources) is killed with SIGKILL at different points, as a CI runner that times out or a laptop that
 * sleeps would stop `pulumi up`. The stack checkpoints every step and the emulator keeps Azure's clock and
 * state, so one re-run protects every declared VM exactly once, and a destroy after a kill leaves only the
 * vault that onDestroy "retain" keeps, with its backups.
 *
 * Kill points are found by watching the stack's journal (one line per step), not by sleeping.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, statSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorState } from "../../src/emulator";
import type { StackState } from "../../src/testing/state";

const ROOT = join(__dirname, "../..");
const PROTECTED_VM = "dynamic/azure-vm-backup:ProtectedVm";
const TIERS: Record<string, string> = { web: "web-backup", app: "app-backup", db: "db-backup" };

function start(work: string, ...extra: string[]) {
  return spawn(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts"), "offline", "examples/fleet", "--work-dir", work, ...extra], { cwd: ROOT });
}

function run(work: string, ...extra: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = start(work, ...extra);
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
}

/** Starts an up and kills it (SIGKILL) as soon as the journal holds `enough` lines that `counts`. */
function killWhen(work: string, counts: (line: string) => boolean, enough: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = start(work);
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

const doneProtections = (line: string) => line.startsWith('{"done":') && line.includes(PROTECTED_VM);
const startedProtections = (line: string) => line.startsWith('{"pending":{"kind":"creating"') && line.includes(PROTECTED_VM);
const emulatorState = (work: string) => JSON.parse(readFileSync(join(work, "emulator-state.json"), "utf8")) as EmulatorState;
const stackState = (work: string) => JSON.parse(readFileSync(join(work, "stack-state.json"), "utf8")) as StackState;

/** Every declared VM protected once, on its tier's policy; the stack whole, nothing pending. */
function expectConverged(work: string): void {
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

describe("offline up of examples/fleet killed with SIGKILL", () => {
  const work = () => mkdtempSync(join(tmpdir(), "avb-killed-"));

  it.each([
    ["while the first protections are being sent", startedProtections, 1, false],
    ["after 60 of 150 VMs are protected", doneProtections, 60, false],
    ["after 140 of 150 VMs are protected", doneProtections, 140, true],
  ])("%s: one re-run converges, every VM protected once", async (_when, counts, enough, previewAfter) => {
    const dir = work();
    await killWhen(dir, counts, enough);
    const again = await run(dir);
    expect(again.stdout).not.toContain("**failed**");
    expect(again.code).toBe(0);
    expectConverged(dir);
    if (previewAfter) {
      // And a run after that has nothing left to do (once is enough: each fleet run costs seconds).
      const third = await run(dir, "--preview");
      expect(third.stdout.match(/no changes/g)).toHaveLength(1);
    }
  }, 120_000);

  it("a destroy after a kill leaves only the vault kept by onDestroy 'retain', with its backups and no VM still protected", async () => {
    const dir = work();
    await killWhen(dir, doneProtections, 75);
    const destroyed = await run(dir, "--destroy");
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout).toContain("Backup data kept in Azure");
    expect(stackState(dir).resources).toEqual([]);
    const state = emulatorState(dir);
    expect(state.vaults.map((v) => v.name)).toEqual(["rsv-fleet-weu"]);
    const vault = state.vaults[0]!;
    expect(vault.items.length).toBeGreaterThanOrEqual(75);
    expect(new Set(vault.items.map((i) => i.friendlyName)).size).toBe(vault.items.length);
    // Protection stopped everywhere, data kept; the program's policies are gone; its VMs too.
    expect(vault.items.filter((i) => i.protectionState !== "ProtectionStopped")).toEqual([]);
    expect(vault.policies.map((p) => p.name)).toEqual(["DefaultPolicy"]);
    expect(state.vms).toEqual([]);
  }, 120_000);
});
