/**
 * examples/basic through an offline stack: the real provider host against the emulator, as `pulumi
 * preview`, `pulumi up` (twice) and `pulumi destroy` would run it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { OFFLINE_SUBSCRIPTION as SUB, OfflineStack, type RunResult } from "../../src/testing";
import basic = require("../../examples/basic/index");

const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-backup-basic/providers/Microsoft.Compute/virtualMachines/web-01`;
/** Requests that may change Azure: not GETs, nor the preview's Azure Policy query (a POST that changes nothing). */
const mutations = (e: Emulator, since: number) => e.log.list(since).filter((x) => x.method !== "GET" && !/\/checkPolicyRestrictions$/i.test(x.path));
const ops = (r: RunResult) => r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.type.split(":").pop()} ${s.name}`);

describe("examples/basic, offline", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  const dir = mkdtempSync(join(tmpdir(), "avb-basic-"));
  const statePath = join(dir, "state.json");
  const vault = () => emulator.model.vault(SUB, "rg-backup-basic", "rsv-backup-basic");

  beforeAll(async () => {
    // An hour of emulated time per second: the first backup completes in about a second.
    emulator = await startEmulator({ clock: { speed: 3600 } });
    stack = await OfflineStack.start({ emulator, project: "backup-basic", statePath, workDir: dir });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.stop();
  });

  it("previews: every resource to create, the rules' notes, and nothing created", async () => {
    const preview = await stack.preview(basic);
    expect(preview.ok).toBe(true);
    expect(preview.summary).toMatchObject({ create: 12, update: 0, delete: 0 });
    expect(ops(preview)).toEqual(
      expect.arrayContaining([
        "create BackupVault vault",
        "create Vault vault",
        "create BackupPolicy daily",
        "create ProtectedVm web-01-backup",
        "create VirtualMachine web-01",
      ]),
    );
    // The default policy's note, and the Trusted Launch VM's (a Standard policy needs backup API 2025-01-01+, which the package calls).
    expect(preview.logs.map((l) => l.message.slice(0, l.message.indexOf("]") + 1)).sort()).toEqual([
      "[policy/default-applied]",
      "[vm/trusted-launch-standard-policy]",
    ]);
    expect(emulator.state.vaults).toEqual([]);
    expect(emulator.state.vms).toEqual([]);
    expect(mutations(emulator, 0)).toEqual([]);
  });

  it("deploys: the vault, the policy, the VM protected with its first backup, and the outputs", async () => {
    const up = await stack.up(basic);
    expect(up.errors).toEqual([]);
    expect(up.failures).toEqual([]);
    expect(up.ok).toBe(true);
    expect(vault()).toMatchObject({ redundancy: "GeoRedundant", storageLocked: true });
    expect(vault()!.policies.map((p) => p.name)).toEqual(expect.arrayContaining(["DefaultPolicy", "daily-default"]));
    expect(vault()!.items.map((i) => [i.vmId.toLowerCase(), i.policyName, i.protectionState, i.recoveryPoints.length])).toEqual([
      [VM_ID.toLowerCase(), "daily-default", "Protected", 1],
    ]);
    expect(emulator.state.vms.map((v) => v.id)).toEqual([VM_ID]);
    expect(up.outputs).toMatchObject({
      vaultRedundancy: "GeoRedundant",
      policySchedule: { frequency: "Daily", time: "20:30" },
      protectionState: "Protected",
      lastBackupStatus: "Completed",
      protectedInstanceGb: 128,
      billingUnits: 1,
    });
    expect(String(up.outputs.vaultId)).toMatch(/\/vaults\/rsv-backup-basic$/);
    const saved = JSON.parse(readFileSync(statePath, "utf8")) as { resources: Array<{ type: string }> };
    expect(saved.resources).toHaveLength(12);
  });

  it("a second up changes nothing: every resource the same, and not one write to Azure", async () => {
    const before = emulator.log.list().length;
    const again = await stack.up(basic);
    expect(again.ok).toBe(true);
    expect(again.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, same: 12 });
    expect(mutations(emulator, before)).toEqual([]);
  });

  it("the state file carries the stack to another run", async () => {
    const resumed = await OfflineStack.start({ emulator, project: "backup-basic", statePath, workDir: dir });
    try {
      const preview = await resumed.preview(basic);
      expect(preview.summary).toMatchObject({ create: 0, same: 12 });
    } finally {
      await resumed.stop();
    }
  });

  it("destroy stops protection and keeps the backups, and the vault that holds them", async () => {
    const destroy = await stack.destroy();
    expect(destroy.errors).toEqual([]);
    expect(destroy.summary.delete).toBe(12);
    expect(stack.resources()).toEqual([]);
    // The VM is gone; its recovery point is not.
    expect(emulator.state.vms).toEqual([]);
    expect(vault()!.items.map((i) => [i.protectionState, i.policyName, i.recoveryPoints.length, i.deferredDeleteAt])).toEqual([
      ["ProtectionStopped", undefined, 1, undefined],
    ]);
    expect(vault()!.policies.map((p) => p.name)).toEqual(["DefaultPolicy"]);
  });

  it("deploying again adopts the kept vault and protects the VM again", async () => {
    const up = await stack.up(basic);
    expect(up.errors).toEqual([]);
    expect(up.ok).toBe(true);
    expect(emulator.state.vaults).toHaveLength(1);
    expect(vault()!.items.map((i) => [i.protectionState, i.policyName])).toEqual([["Protected", "daily-default"]]);
  });
});
