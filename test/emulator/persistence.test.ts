/**
 * The emulator keeps Azure's time across restarts: its clock continues from the saved state, a job started
 * before a restart finishes after it, changes a timeline completes while serving a read are saved at once,
 * and writes are atomic.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { HOUR, MINUTE, startEmulator, type Emulator, type EmulatorState } from "../../src/emulator";
import { CONTAINER, credential, dailyPolicyBody, ITEM, SUB, VAULT_RG, vmFixture, vmId } from "./harness";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";

const START = Date.parse("2026-11-24T10:00:00Z");

function clients(e: Emulator) {
  const common = { endpoint: e.endpoint, tlsOptions: { ca: e.ca }, retryOptions: { maxRetries: 0 } };
  return { vaults: new RecoveryServicesClient(credential, SUB, common), backup: new RecoveryServicesBackupClient(credential, SUB, common) };
}

const saved = (path: string) => JSON.parse(readFileSync(path, "utf8")) as EmulatorState;

describe("the emulator's clock and state persist", () => {
  let dir: string;
  let statePath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "avb-persist-"));
    statePath = join(dir, "state.json");
  });

  it("continues the clock from the saved time on restart, and a job started before the restart finishes after it", async () => {
    const first = await startEmulator({ statePath, clock: { speed: 0, start: START, stepMs: 1000 }, vms: [vmFixture("vm1")] });
    const c1 = clients(first);
    await c1.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv1", { location: "westeurope", sku: { name: "Standard" }, properties: {} } as never, {
      updateIntervalInMs: 1,
    });
    first.clock.stepMs = 0;
    first.clock.advance(MINUTE);
    await c1.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily", dailyPolicyBody());
    await c1.backup.protectedItems.createOrUpdate("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), {
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: vmId("vm1"),
        policyId: `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/rsv1/backupPolicies/daily`,
      },
    } as never);
    // Nobody polls the protection: it completes on its own after 31 emulated seconds.
    first.clock.advance(MINUTE);
    await c1.backup.backups.trigger("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { properties: { objectType: "IaasVMBackupRequest" } as never });
    const before = first.clock.now();
    await first.stop();
    expect(saved(statePath).savedAt).toBe(before);

    // Restarted hours later (real time does not matter): emulated time resumes where it stopped.
    const second = await startEmulator({ statePath, clock: { speed: 0 } });
    try {
      expect(second.clock.now()).toBe(before);
      const c2 = clients(second);
      const item = await c2.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
      expect(item.properties).toMatchObject({ protectionState: "IRPending" });
      // createdAt lies in the past of the resumed clock, never in its future.
      expect(second.state.vaults[0]!.items[0]!.createdAt).toBeLessThanOrEqual(second.clock.now());
      const running = [];
      for await (const j of c2.backup.backupJobs.list("rsv1", VAULT_RG, { filter: "operation eq 'Backup'" })) running.push(j.properties?.status);
      expect(running).toEqual(["InProgress"]);
      // The first backup of vm1 (40 GB in use) takes under two hours on the emulated clock (seed 001's rates).
      second.clock.advance(2 * HOUR);
      const done = [];
      for await (const j of c2.backup.backupJobs.list("rsv1", VAULT_RG, { filter: "operation eq 'Backup'" })) done.push(j.properties?.status);
      expect(done).toEqual(["Completed"]);
      // That completion happened while serving a GET, and is saved at once, not at the next write.
      const job = saved(statePath).vaults[0]!.jobs.find((j) => j.operation === "Backup")!;
      expect(job.status).toBe("Completed");
      expect(saved(statePath).vaults[0]!.items[0]!.protectionState).toBe("Protected");
    } finally {
      await second.stop();
    }
    // Atomic writes leave no temporary file behind.
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("an explicit start still overrides the saved time", async () => {
    const first = await startEmulator({ statePath, clock: { speed: 0, start: START } });
    await first.stop();
    const later = START + 7 * 24 * HOUR;
    const second = await startEmulator({ statePath, clock: { speed: 0, start: later } });
    expect(second.clock.now()).toBe(later);
    await second.stop();
  });
});
