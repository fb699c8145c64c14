/**
 * `azure-vm-backup offline` deploying examples/fleet, killed with SIGKILL late: one re-run converges and a
 * preview after it has nothing to do; and a destroy after a kill leaves only the retained vault.
 */
import { doneProtections, emulatorState, killAndRerun, killWhen, run, stackState, workDir } from "./interrupt-helpers";

// Three offline runs of 150 VMs each take about 100 s on CI's 2 cores: the limit leaves room for a loaded machine.
const THREE_RUNS_MS = 240_000;

describe("offline up of examples/fleet killed with SIGKILL, late", () => {
  it(
    "after 140 of 150 VMs are protected: one re-run converges, every VM protected once, and a preview after it has nothing to do",
    async () => killAndRerun(doneProtections, 140, true),
    THREE_RUNS_MS,
  );

  it("a destroy after a kill leaves only the vault kept by onDestroy 'retain', with its backups and no VM still protected", async () => {
    const dir = workDir();
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
