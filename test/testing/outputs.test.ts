/**
 * The outputs a user reads, through an offline stack (the real provider host, as the engine runs it): a policy's
 * protectedItemsCount is current after `pulumi refresh` and the next `up` exports it without updating anything; a
 * protected VM's protectedInstanceGb says whether it is an upper bound, and becomes Azure's figure after its first backup.
 */
import { BackupPolicy, BackupVault, ProtectedVm } from "../../src";
import { HOUR, startEmulator, type Emulator } from "../../src/emulator";
import { OfflineStack, type RunResult } from "../../src/testing";
import { vmFixture, vmId } from "../emulator/harness";

const VMS = ["vm1", "vm2", "vm3"];
const changes = (r: RunResult) => r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.type.split(":").pop()} ${s.name}`);

/** A vault, a policy, and the VMs protected with it; exports the policy's count and the first VM's protected instance. */
const program =
  (vms: string[], backupNow = false) =>
  () => {
    const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-outputs" });
    const policy = new BackupPolicy("policy", {
      vault,
      policyName: "nightly",
      schedule: { frequency: "Daily", time: "22:00" },
      retention: { daily: { count: 30 } },
    });
    const protectedVms = vms.map((vm) => new ProtectedVm(vm, { vm: vmId(vm), policy, ...(backupNow ? { backupNow: { retainDays: 30 } } : {}) }));
    return {
      protectedItemsCount: policy.protectedItemsCount,
      protectedInstanceGb: protectedVms[0]!.protectedInstanceGb,
      protectedInstanceUpperBound: protectedVms[0]!.protectedInstanceUpperBound,
    };
  };

describe("outputs of an offline stack", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  beforeEach(async () => {
    emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, vms: VMS.map((n) => vmFixture(n)) });
    stack = await OfflineStack.start({ emulator, config: { "azure-vm-backup:pollIntervalMs": "1", "azure-vm-backup:retryDelayMs": "5" } });
  });
  afterEach(async () => {
    await stack.stop();
    await emulator.stop();
  });
  const policyState = () => stack.resources().find((r) => r.custom && r.type.endsWith(":BackupPolicy"))!;

  it("protectedItemsCount: 0 from the policy's create, N after refresh, exported by the next up with no update", async () => {
    const up = await stack.up(program(VMS));
    expect(up.ok).toBe(true);
    // The policy was created before its VMs were protected: its outputs are from then.
    expect(up.outputs.protectedItemsCount).toBe(0);

    const refresh = await stack.refresh();
    expect(refresh.ok).toBe(true);
    expect(policyState().outputs.protectedItemsCount).toBe(VMS.length);
    expect(changes(refresh)).toContain("update BackupPolicy policy");

    // An output that changed is not a change to make: the next up changes nothing, and exports the count.
    const again = await stack.up(program(VMS));
    expect(again.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(again.outputs.protectedItemsCount).toBe(VMS.length);

    // A VM that leaves the program stops its protection; the next refresh counts one fewer.
    expect((await stack.up(program(VMS.slice(1)))).ok).toBe(true);
    await stack.refresh();
    expect(policyState().outputs.protectedItemsCount).toBe(VMS.length - 1);
  }, 180_000);

  it("protectedInstanceGb: disk sizes and an upper bound before the first backup, Azure's figure after it (refresh)", async () => {
    const up = await stack.up(program(["vm1"], true));
    expect(up.ok).toBe(true);
    // vm1: 64 + 128 GB of disks holding 10 + 30 GB; Backup now was started, not waited for.
    expect(up.outputs).toMatchObject({ protectedInstanceGb: 192, protectedInstanceUpperBound: true });
    emulator.clock.advance(2 * HOUR);
    await stack.refresh();
    const again = await stack.up(program(["vm1"], true));
    expect(again.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(again.outputs).toMatchObject({ protectedInstanceGb: 40, protectedInstanceUpperBound: false });
  }, 120_000);
});
