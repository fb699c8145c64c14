/**
 * examples/fleet (40 VMs, the same program with smaller tiers) deployed through faults that used to leave
 * protections stuck `InProgress` forever: every protected-item status poll dropped, and 30% of all requests
 * answering 503 (seeded). The up fails; the operations Azure accepted still finish on its clock; one re-run
 * after the faults are removed converges: every VM protected once, on its tier's policy.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { OfflineStack } from "../../src/testing";
import fleet = require("../../examples/fleet/index");

const CONFIG = { "fleet:webVms": "20", "fleet:appVms": "10", "fleet:dbVms": "10", "azure-vm-backup:retryDelayMs": "5" };
const TIERS: Record<string, string> = { web: "web-backup", app: "app-backup", db: "db-backup" };

describe("examples/fleet through faults, then one clean re-run", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, seed: 42 });
  });
  afterEach(async () => emulator.stop());

  async function up(): Promise<{ ok: boolean; errors: number }> {
    const stack = await OfflineStack.start({ emulator, project: "backup-fleet", config: CONFIG, statePath: statePath() });
    try {
      const result = await stack.up(fleet);
      return { ok: result.ok, errors: result.errors.length + result.failures.length };
    } finally {
      await stack.stop();
    }
  }
  let statePath: () => string;
  beforeEach(() => {
    const file = join(mkdtempSync(join(tmpdir(), "avb-faulty-")), "stack-state.json");
    statePath = () => file;
  });

  function expectConverged(): void {
    const vault = emulator.model.vault("00000000-0000-0000-0000-00000000aaaa", "rg-fleet", "rsv-fleet-weu")!;
    const names = vault.items.map((i) => i.friendlyName);
    expect(names).toHaveLength(40);
    expect(new Set(names).size).toBe(40);
    for (const item of vault.items) {
      expect(item.policyName).toBe(TIERS[item.friendlyName.split("-")[0]!]);
      expect(["IRPending", "Protected"]).toContain(item.protectionState);
    }
    expect(emulator.state.operations.filter((o) => o.kind === "item-put" && o.status === "InProgress")).toEqual([]);
  }

  it("with every protected-item poll dropped", async () => {
    emulator.faults.add({ method: "GET", path: /\/protectedItems\/[^/]+\/operationsStatus\//i, action: { kind: "drop" } });
    const first = await up();
    expect(first.ok).toBe(false);
    expect(emulator.log.list().filter((e) => e.fault === "drop").length).toBeGreaterThan(0);
    emulator.faults.clear();
    const second = await up();
    expect(second).toEqual({ ok: true, errors: 0 });
    expectConverged();
  }, 120_000);

  it("with 30% of requests answering 503 (seeded)", async () => {
    emulator.faults.add({ action: { kind: "status", status: 503 }, probability: 0.3 });
    await up();
    expect(emulator.log.list().filter((e) => e.status === 503).length).toBeGreaterThan(10);
    emulator.faults.clear();
    const second = await up();
    expect(second).toEqual({ ok: true, errors: 0 });
    expectConverged();
  }, 120_000);
});
