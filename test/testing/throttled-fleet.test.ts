/**
 * examples/fleet (30 VMs in one vault) through an emulator that refuses a vault's protection requests beyond 5
 * operations in progress (the `operation-limit` fault; 2 emulated seconds per request, so that a 31 s configure
 * operation overlaps many requests): with our bound at 5 (the default) no request is ever
 * refused; with it above the limit the refusals are retried (Retry-After honoured) and every VM is still protected.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { OfflineStack } from "../../src/testing";
import fleet = require("../../examples/fleet/index");

const FLEET = { "fleet:webVms": "10", "fleet:appVms": "10", "fleet:dbVms": "10", "azure-vm-backup:retryDelayMs": "5" };

describe("examples/fleet under a per-vault operation limit", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ clock: { speed: 0, stepMs: 2_000 }, seed: 7 });
    emulator.faults.add({ action: { kind: "operation-limit", perVault: 5, retryAfterMs: 20 } });
  });
  afterEach(async () => emulator.stop());

  async function up(config: Record<string, string>): Promise<{ ok: boolean; errors: number }> {
    const stack = await OfflineStack.start({ emulator, project: "backup-fleet", config: { ...FLEET, ...config } });
    try {
      const result = await stack.up(fleet);
      return { ok: result.ok, errors: result.errors.length + result.failures.length };
    } finally {
      await stack.stop();
    }
  }

  /** The most configure operations that ran at once in the vault, on the emulator's clock. */
  function peakOverlap(): number {
    const ops = emulator.state.operations.filter((o) => o.kind === "item-put");
    return Math.max(0, ...ops.map((o) => ops.filter((p) => p.startTime <= o.startTime && (p.endTime ?? Infinity) > o.startTime).length));
  }

  function expectAllProtected(): void {
    const vault = emulator.model.vault("00000000-0000-0000-0000-00000000aaaa", "rg-fleet", "rsv-fleet-weu")!;
    expect(new Set(vault.items.map((i) => i.friendlyName)).size).toBe(30);
    for (const item of vault.items) expect(["IRPending", "Protected"]).toContain(item.protectionState);
  }

  it("with our bound at the default (5, the fault's limit): no request refused, at most 5 configure operations at once", async () => {
    expect(await up({})).toEqual({ ok: true, errors: 0 });
    expectAllProtected();
    expect(emulator.log.list().filter((e) => e.status === 429)).toEqual([]);
    expect(peakOverlap()).toBeLessThanOrEqual(5);
    expect(peakOverlap()).toBeGreaterThan(1);
  }, 120_000);

  it("with our bound above the fault's limit (20): refusals happen, are retried, and every VM is protected", async () => {
    expect(await up({ "azure-vm-backup:maxConcurrentProtections": "20" })).toEqual({ ok: true, errors: 0 });
    expectAllProtected();
    expect(emulator.log.list().filter((e) => e.fault === "operation-limit").length).toBeGreaterThan(0);
    expect(peakOverlap()).toBeLessThanOrEqual(5);
  }, 120_000);
});
