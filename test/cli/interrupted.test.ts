/**
 * `azure-vm-backup offline` deploying examples/fleet, killed with SIGKILL early and halfway: one re-run
 * converges (helpers and the why: interrupt-helpers.ts). The late kill and the destroy after a kill are in
 * interrupted-late.test.ts, so that jest's two workers share them.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { doneProtections, expectConverged, killWhen, run, startedProtections } from "./interrupt-helpers";

describe("offline up of examples/fleet killed with SIGKILL", () => {
  const work = () => mkdtempSync(join(tmpdir(), "avb-killed-"));

  it.each([
    ["while the first protections are being sent", startedProtections, 1, false],
    ["after 60 of 150 VMs are protected", doneProtections, 60, false],
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

});
