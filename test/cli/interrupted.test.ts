/**
 * `azure-vm-backup offline` deploying examples/fleet, killed with SIGKILL early and halfway: one re-run
 * converges (helpers and the why: interrupt-helpers.ts). The late kill and the destroy after a kill are in
 * interrupted-late.test.ts, so that jest's two workers share them.
 */
import { doneProtections, killAndRerun, startedProtections } from "./interrupt-helpers";

describe("offline up of examples/fleet killed with SIGKILL", () => {
  it.each([
    ["while the first protections are being sent", startedProtections, 1],
    ["after 60 of 150 VMs are protected", doneProtections, 60],
  ])("%s: one re-run converges, every VM protected once", async (_when, counts, enough) => killAndRerun(counts, enough, false), 120_000);
});
