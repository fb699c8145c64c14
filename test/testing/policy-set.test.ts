/**
 * BackupPolicySet through an offline stack (the real provider host against the emulator): 250 VMs get three or more
 * staggered policies, none of whose start times holds more than 100 VMs; a second up with 10 more VMs inserted in the
 * middle of the list keeps every VM on its policy and places the new ones, and the preview before it shows the assignment.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackupPolicySet, BackupVault } from "../../src";
import { startEmulator, type Emulator } from "../../src/emulator";
import { OFFLINE_SUBSCRIPTION as SUB, OfflineStack, type RunResult } from "../../src/testing";
import { vmFixture } from "../emulator/harness";

const FLEET = 250;
const name = (i: number) => `vm-${String(i).padStart(3, "0")}`;
const FIRST = Array.from({ length: FLEET }, (_, i) => name(i));
const ADDED = Array.from({ length: 10 }, (_, i) => `vm-${String(Math.floor(FLEET / 2)).padStart(3, "0")}-new-${i}`);
/** The 10 new VMs inserted in the middle of the list (sorted by name, as a user keeps such a list). */
const SECOND = [...FIRST, ...ADDED].sort();
const ids = (names: string[]) => names.map((n) => vmFixture(n).id);
/** Steps of this package's dynamic resources of a type (the components of the same name are not counted). */
const ops = (r: RunResult, op: string, type: string) => r.steps.filter((s) => s.op === op && s.type === `pulumi-nodejs:dynamic/azure-vm-backup:${type}`).length;

/** The VMs by id; `upper`: their ids in upper case (ARM ids are case-insensitive: the same VMs). */
const program =
  (vms: string[], upper = false) =>
  () => {
    const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-set" });
    const set = new BackupPolicySet("fleet", {
      vault,
      vms: ids(vms).map((id) => (upper ? id.toUpperCase() : id)),
      window: { start: "22:00", hours: 6 },
      timeZone: "W. Europe Standard Time",
      retention: { daily: { count: 30 } },
      namePrefix: "nightly",
    });
    return { assignment: set.assignment, policyNames: set.policyNames };
  };

describe("BackupPolicySet, offline", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  const dir = mkdtempSync(join(tmpdir(), "avb-policy-set-"));
  const statePath = join(dir, "state.json");
  const vault = () => emulator.model.vault(SUB, "rg-backup", "rsv-set")!;
  /** Each protected VM's policy, by VM name, from the emulator's state. */
  const policyOfVm = () => new Map(vault().items.map((i) => [i.friendlyName.toLowerCase(), i.policyName]));
  /** The VMs protected with each policy, and each policy's start time, from the emulator's state. */
  const perPolicy = () => {
    const counts = new Map<string, number>();
    for (const item of vault().items) counts.set(item.policyName!, (counts.get(item.policyName!) ?? 0) + 1);
    return counts;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, vms: [...FIRST, ...ADDED].map((n) => vmFixture(n)) });
    stack = await OfflineStack.start({
      emulator,
      statePath,
      workDir: dir,
      config: { "azure-vm-backup:pollIntervalMs": "1", "azure-vm-backup:retryDelayMs": "5", "azure-vm-backup:maxConcurrentProtections": "20" },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.stop();
  });

  let first: Map<string, string | undefined>;
  it(`up: ${FLEET} VMs on three or more policies, none over 100 VMs, at distinct start times`, async () => {
    const up = await stack.up(program(FIRST));
    expect(up.failures).toEqual([]);
    expect(up.errors).toEqual([]);
    first = policyOfVm();
    expect(first.size).toBe(FLEET);
    const counts = perPolicy();
    expect(counts.size).toBeGreaterThanOrEqual(3);
    for (const n of counts.values()) expect(n).toBeLessThanOrEqual(100);
    // One start time per policy, all in the window (22:00 to 04:00 W. Europe time).
    const policies = vault().policies.filter((p) => counts.has(p.name));
    const times = policies.map((p) => JSON.stringify(p.properties).match(/T(\d\d:\d\d):00/)?.[1]);
    expect(new Set(times).size).toBe(policies.length);
    for (const p of policies) expect(p.name).toMatch(/^nightly-(2[23]|0[0-3])[03]0$/);
    expect(up.outputs.assignment).toEqual(Object.fromEntries(ids(FIRST).map((id) => [id, first.get(id.split("/").pop()!)])));
  }, 300_000);

  it("a preview with 10 more VMs shows the assignment: the VMs on their policies, the new ones placed; nothing changed", async () => {
    const before = emulator.log.list().length;
    const preview = await stack.preview(program(SECOND, true));
    expect(preview.failures).toEqual([]);
    expect(preview.errors).toEqual([]);
    expect(ops(preview, "create", "ProtectedVm")).toBe(10);
    expect(ops(preview, "same", "ProtectedVm")).toBe(FLEET);
    expect(ops(preview, "update", "BackupPolicySetAssignment")).toBe(1);
    const assignment = preview.outputs.assignment as Record<string, string>;
    expect(Object.keys(assignment)).toHaveLength(FLEET + 10);
    for (const [vm, policy] of first) expect([vm, assignment[vmFixture(vm).id.toUpperCase()]]).toEqual([vm, policy]);
    for (const vm of ADDED) expect(assignment[vmFixture(vm).id.toUpperCase()]).toMatch(/^nightly-/);
    expect(new Set(Object.values(assignment))).toEqual(new Set(preview.outputs.policyNames as string[]));
    // Reads only, and the preview's queries that are POSTs and change nothing (Azure Policy, a VM's backup status).
    expect(emulator.log.list(before).filter((e) => e.method !== "GET" && !/\/(checkPolicyRestrictions|backupStatus)$/i.test(e.path))).toEqual([]);
  }, 300_000);

  it("a second up with 10 more VMs in the middle of the list (ids in another case) keeps every VM on its policy and places the new ones", async () => {
    const up = await stack.up(program(SECOND, true));
    expect(up.failures).toEqual([]);
    expect(up.errors).toEqual([]);
    expect(ops(up, "create", "ProtectedVm")).toBe(10);
    expect(ops(up, "update", "ProtectedVm") + ops(up, "replace", "ProtectedVm") + ops(up, "delete", "ProtectedVm")).toBe(0);
    const after = policyOfVm();
    for (const [vm, policy] of first) expect([vm, after.get(vm)]).toEqual([vm, policy]);
    for (const vm of ADDED) expect(after.get(vm)).toMatch(/^nightly-/);
    for (const n of perPolicy().values()) expect(n).toBeLessThanOrEqual(100);
  }, 300_000);
});

describe("BackupPolicySet, offline: a VM that fits no start time", () => {
  // Azure does not say how much of a disk is used: a VM read from Azure is estimated from its disks' sizes (4 TB here).
  it("fails the preview naming the set, the VM, its estimate and the window needed; nothing is sent", async () => {
    const big = vmFixture("db-big", { dataDisks: [{ lun: 0, sizeGb: 4096, usedGb: 2048, storageType: "Premium_LRS" }] });
    const emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, vms: [big, vmFixture("web-1")] });
    const stack = await OfflineStack.start({ emulator });
    try {
      const preview = await stack.preview(() => {
        new BackupPolicySet("fleet", {
          vault: new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope" }),
          vms: [vmFixture("web-1").id, big.id],
          window: { start: "22:00", hours: 6 },
        });
      });
      expect(preview.ok).toBe(false);
      expect(preview.failures).toEqual([
        expect.objectContaining({
          type: "pulumi-nodejs:dynamic/azure-vm-backup:BackupPolicySetAssignment",
          property: "vms[1]",
          reason: expect.stringMatching(
            /^BackupPolicySet 'fleet': \[plan\/stagger-vm-too-long\] VM 'db-big': its backup is estimated at 61\.1 hours, longer than the 6-hour backup window.* Fix: Make the window at least 61\.5 hours long/,
          ),
        }),
      ]);
      expect(emulator.log.list().filter((e) => e.method !== "GET" && !/\/(checkPolicyRestrictions|backupStatus)$/i.test(e.path))).toEqual([]);
    } finally {
      await stack.stop();
      await emulator.stop();
    }
  }, 120_000);
});
