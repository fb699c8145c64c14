/**
 * `azure-vm-backup offline` deploying examples/fleet, killed with SIGKILL late: one re-run converges and a
 * preview after it has nothing to do; and a destroy after a kill leaves only the retained vault.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { doneProtections, emulatorState, expectConverged, killWhen, run, stackState } from "./interrupt-helpers";

describe("offline up of examples/fleet killed with SIGKILL, late", () => {
  const work = () => mkdtempSync(join(tmpdir(), "avb-killed-"));

  it.each([
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
