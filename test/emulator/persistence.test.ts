/**
 * The emulator keeps Azure's time across restarts: its clock continues from the saved state, a job started
 * before a restart finishes after it, changes a timeline completes while serving a read are saved at once,
 * and writes are atomic.
 */
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { HOUR, MINUTE, startEmulator, type Emulator, type EmulatorState } from "../../src/emulator";
import { CONTAINER, credential, dailyPolicyBody, ITEM, SUB, VAULT_RG, vmFixture, vmId } from "./harness";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { StateWrites } from "../../bench/state-writes";
import { loadState } from "../../src/emulator/persistence";

const START = Date.parse("2026-11-24T10:00:00Z");

function clients(e: Emulator) {
  const common = { endpoint: e.endpoint, tlsOptions: { ca: e.ca }, retryOptions: { maxRetries: 0 } };
  return { vaults: new RecoveryServicesClient(credential, SUB, common), backup: new RecoveryServicesBackupClient(credential, SUB, common) };
}

/** What a restart would read: the state file with its journal replayed. */
const saved = (path: string) => loadState(path)!;

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

  describe("writes proportional to the change (issue 13)", () => {
    const N = 200;
    /** The state as a restart must see it: plain data, without the time of the last save (the clock is checked on its own). */
    const plain = (state: EmulatorState) => {
      const { savedAt: _savedAt, ...rest } = JSON.parse(JSON.stringify(state)) as EmulatorState;
      return rest;
    };

    it("writes a small multiple of the final state for many protections, and a copy taken at any acknowledged write restarts to the same state", async () => {
      // Bytes written, counted on disk: after every HTTP response and every addVms/removeVms, a state file with a new inode
      // (written whole and renamed) counts its whole size, a journal its growth.
      const journal = `${statePath}.journal`;
      const writes = new StateWrites([statePath, journal]);
      const account = () => writes.account();
      const counting = writes.policy;
      const e = await startEmulator({ statePath, clock: { speed: 0, start: START, stepMs: 30_000 } });
      const common = {
        endpoint: e.endpoint,
        tlsOptions: { ca: e.ca },
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [{ policy: counting, position: "perCall" as const }],
      };
      const backup = new RecoveryServicesBackupClient(credential, SUB, common);
      const vaults = new RecoveryServicesClient(credential, SUB, common);
      // Copies of the files as a kill right after an acknowledged write would leave them, with the state the client was told of.
      const copies: Array<{ dir: string; state: ReturnType<typeof plain>; clock: number }> = [];
      const copy = () => {
        const to = mkdtempSync(join(tmpdir(), "avb-persist-copy-"));
        for (const file of readdirSync(dir)) copyFileSync(join(dir, file), join(to, file));
        copies.push({ dir: to, state: plain(e.state), clock: e.clock.now() });
      };
      try {
        // VMs arrive one by one, as the offline runner adds each VM it deploys.
        for (let i = 0; i < N + 20; i++) {
          e.addVms([vmFixture(`vm${i}`)]);
          account();
        }
        for (let i = N; i < N + 20; i++) {
          e.removeVms([vmId(`vm${i}`)]);
          account();
        }
        copy();
        await vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv1", { location: "westeurope", sku: { name: "Standard" }, properties: {} } as never, {
          updateIntervalInMs: 1,
        });
        await backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily", dailyPolicyBody());
        await backup.protectionContainers.refresh("rsv1", VAULT_RG, "Azure");
        e.clock.advance(MINUTE);
        for (let i = 0; i < N; i++) {
          await backup.protectedItems.createOrUpdate("rsv1", VAULT_RG, "Azure", CONTAINER(`vm${i}`), ITEM(`vm${i}`), {
            properties: {
              protectedItemType: "Microsoft.Compute/virtualMachines",
              sourceResourceId: vmId(`vm${i}`),
              policyId: `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/rsv1/backupPolicies/daily`,
            },
          } as never);
          e.clock.advance(MINUTE); // the protection completes on its own (durations.ts)
          await backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER(`vm${i}`), ITEM(`vm${i}`));
          if (i % 10 === 9) {
            // A backup now, and a protection stopped (soft-deleted): jobs, recovery points and deletions go to the journal too.
            await backup.backups.trigger("rsv1", VAULT_RG, "Azure", CONTAINER(`vm${i - 5}`), ITEM(`vm${i - 5}`), {
              properties: { objectType: "IaasVMBackupRequest" } as never,
            });
            await backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER(`vm${i - 9}`), ITEM(`vm${i - 9}`));
          }
          if (i % 50 === 49) copy();
        }
        // The backups' jobs complete while serving reads: changes a GET journals.
        await backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm4"), ITEM("vm4"));
        e.clock.advance(3 * HOUR);
        // (The last request changed the state: a read that changed nothing writes nothing, so a kill after it resumes at the previous write's time.)
        for await (const _job of backup.backupJobs.list("rsv1", VAULT_RG)) void _job;
        copy();
        expect(e.persistence!.compactions).toBeGreaterThan(0); // the journal was folded in on the way, not only at stop
      } finally {
        await e.stop();
      }
      account();
      const finalSize = statSync(statePath).size;
      const final = plain(saved(statePath));
      expect(final).toEqual(copies[copies.length - 1]!.state);
      expect(final.vaults[0]!.items).toHaveLength(N);
      expect(final.vms).toHaveLength(N);
      // O(n): the whole run wrote a small multiple of the final state (it wrote ~150x before the journal, growing with n).
      expect(writes.written).toBeLessThanOrEqual(5 * finalSize);
      // What the emulator reports also counts journal lines a compaction removed before the files were looked at.
      expect(e.persistence!.bytesWritten).toBeGreaterThanOrEqual(writes.written);
      expect(e.persistence!.bytesWritten).toBeLessThanOrEqual(5 * finalSize);
      expect(readdirSync(dir)).toEqual(["state.json"]);

      // Each copy restarts to the state acknowledged when it was taken, clock included; a journal line cut short by the kill is ignored.
      for (const [n, c] of copies.entries()) {
        const path = join(c.dir, "state.json");
        if (n % 2 === 1 && existsSync(`${path}.journal`)) appendFileSync(`${path}.journal`, '{"at":1,"ops":[{"c":["vaults"],"rm":[0');
        const restarted = await startEmulator({ statePath: path, clock: { speed: 0 } });
        try {
          expect(plain(restarted.state)).toEqual(c.state);
          expect(restarted.clock.now()).toBe(c.clock);
        } finally {
          await restarted.stop();
        }
        expect(plain(saved(path))).toEqual(c.state);
      }
    });

    it("drops a journal that a compaction had already folded in, and loads state files written before the journal", async () => {
      const e = await startEmulator({ statePath, clock: { speed: 0, start: START, stepMs: 30_000 }, vms: [vmFixture("vm1"), vmFixture("vm2")] });
      const c = clients(e);
      await c.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv1", { location: "westeurope", sku: { name: "Standard" }, properties: {} } as never, {
        updateIntervalInMs: 1,
      });
      const journal = readFileSync(`${statePath}.journal`, "utf8");
      await e.stop();
      const state = plain(e.state);
      // Killed between the rename of the compacted state and the removal of its journal: the journal must not apply twice.
      writeFileSync(`${statePath}.journal`, journal);
      const again = await startEmulator({ statePath, clock: { speed: 0 } });
      expect(plain(again.state)).toEqual(state);
      await again.stop();
      expect(readdirSync(dir)).toEqual(["state.json"]);
      // A state file of an emulator before the journal: no journalBase, no journal.
      const { journalBase: _base, ...legacy } = JSON.parse(readFileSync(statePath, "utf8")) as EmulatorState & { journalBase?: string };
      writeFileSync(statePath, JSON.stringify(legacy));
      const old = await startEmulator({ statePath, clock: { speed: 0 } });
      expect(plain(old.state)).toEqual(state);
      expect(old.clock.now()).toBe(legacy.savedAt);
      await old.stop();
    });
  });
});
