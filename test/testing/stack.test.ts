/**
 * What an offline stack does as the engine would: changes and replacements, resources leaving the
 * program, a failed operation that stops the run (and the next run converging), a failed check in an
 * `up`, protect and retainOnDelete.
 */
import { BackupPolicy, BackupVault, ProtectedVm, type BackupPolicyArgs, type ProtectedVmArgs } from "../../src";
import { startEmulator, type Emulator } from "../../src/emulator";
import { OfflineStack, type RunResult } from "../../src/testing";
import { SUB, vmFixture, vmId } from "../emulator/harness";

const changes = (r: RunResult) =>
  r.steps.filter((s) => s.op !== "same" && s.type.startsWith("pulumi-nodejs:dynamic/")).map((s) => `${s.op} ${s.type.split(":").pop()} ${s.name}`);

interface Shape {
  vaultName?: string;
  policy?: Partial<BackupPolicyArgs>;
  vms?: string[];
  protectedVm?: Partial<ProtectedVmArgs>;
  options?: { protect?: boolean; retainOnDelete?: boolean };
}

/** A program: a vault, a policy, and protected VMs (existing VMs, by id). */
const program =
  (shape: Shape = {}) =>
  () => {
    const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: shape.vaultName ?? "rsv-stack" });
    const policy = new BackupPolicy("policy", {
      vault,
      policyName: "nightly",
      schedule: { frequency: "Daily", time: "22:00" },
      retention: { daily: { count: 30 } },
      ...shape.policy,
    });
    for (const vm of shape.vms ?? ["vm1"]) new ProtectedVm(vm, { vm: vmId(vm), policy, ...shape.protectedVm }, shape.options);
    return { vault: vault.vaultName };
  };

describe("an offline stack runs as the engine would", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  const vault = (name = "rsv-stack") => emulator.model.vault(SUB, "rg-backup", name);

  beforeEach(async () => {
    emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, vms: ["vm1", "vm2", "vm3"].map((n) => vmFixture(n)) });
    stack = await OfflineStack.start({ emulator, config: { "azure-vm-backup:pollIntervalMs": "1", "azure-vm-backup:retryDelayMs": "5" } });
  });
  afterEach(async () => {
    await stack.stop();
    await emulator.stop();
  });

  it("updates in place what Azure changes in place, and replaces what it cannot", async () => {
    expect((await stack.up(program())).ok).toBe(true);
    const longer = await stack.preview(program({ policy: { retention: { daily: { count: 60 } } } }));
    expect(changes(longer)).toEqual(["update BackupPolicy policy"]);
    expect((await stack.up(program({ policy: { retention: { daily: { count: 60 } } } }))).ok).toBe(true);
    expect(vault()!.policies.find((p) => p.name === "nightly")!.properties).toMatchObject({
      retentionPolicy: { dailySchedule: { retentionDuration: { count: 60 } } },
    });

    const renamed = await stack.preview(program({ vaultName: "rsv-renamed", policy: { retention: { daily: { count: 60 } } } }));
    expect(changes(renamed)).toEqual(expect.arrayContaining(["replace Vault vault"]));
  }, 90_000);

  it("stops protection of a VM that leaves the program, keeping its backups", async () => {
    await stack.up(program({ vms: ["vm1", "vm2"] }));
    const up = await stack.up(program({ vms: ["vm1"] }));
    expect(up.ok).toBe(true);
    // The vault no longer owns vm2's backups (ownedVmIds): a later purge keeps them. No request reaches Azure for it.
    expect(changes(up)).toEqual(["update Vault vault", "delete ProtectedVm vm2"]);
    // Concurrent protections finish in the order Azure started them: compare by VM, not by position.
    expect(
      vault()!
        .items.map((i) => [i.friendlyName, i.protectionState])
        .sort(),
    ).toEqual([
      ["vm1", "IRPending"],
      ["vm2", "ProtectionStopped"],
    ]);
  }, 90_000);

  it("stops at an operation that fails, reports it, saves what was done; the next run converges with no duplicate", async () => {
    emulator.faults.add({
      method: "PUT",
      path: "/protectedItems/",
      times: 1,
      action: {
        kind: "fail-operation",
        code: "UserErrorGuestAgentStatusUnavailable",
        message: "VM agent is unable to communicate with the Azure Backup Service.",
      },
    });
    const failed = await stack.up(program({ vms: ["vm1"] }));
    expect(failed.ok).toBe(false);
    expect(failed.errors.map((e) => [e.op, e.name])).toEqual([["create", "vm1"]]);
    expect(failed.errors[0]!.message).toContain("Protecting VM 'vm1' in vault 'rsv-stack' failed (UserErrorGuestAgentStatusUnavailable)");
    const deployed = stack
      .resources()
      .filter((r) => r.custom)
      .map((r) => r.type.split(":").pop());
    expect(deployed).toEqual(["Vault", "BackupPolicy"]);

    const again = await stack.up(program({ vms: ["vm1"] }));
    expect(again.ok).toBe(true);
    expect(changes(again)).toEqual(["create ProtectedVm vm1"]);
    expect(vault()!.items.map((i) => i.friendlyName)).toEqual(["vm1"]);
  }, 90_000);

  it("a check that fails in an up creates nothing that depends on it", async () => {
    const up = await stack.up(program({ policy: { schedule: { frequency: "Daily", time: "22:15" } } }));
    expect(up.ok).toBe(false);
    expect(up.failures.map((f) => [f.name, f.property])).toEqual([["policy", "schedule.time"]]);
    expect(up.failures[0]!.reason).toMatch(/^\[policy\/time-half-hour\] /);
    expect(vault()!.policies.map((p) => p.name)).toEqual(["DefaultPolicy"]);
    expect(vault()!.items).toEqual([]);
  }, 90_000);

  it("honours protect (destroy refuses) and retainOnDelete (destroy leaves the VM protected, so Azure keeps its policy)", async () => {
    await stack.up(program({ vms: ["vm1"], options: { protect: true } }));
    const refused = await stack.destroy();
    expect(refused.ok).toBe(false);
    expect(refused.errors[0]!.message).toMatch(/is protected: it cannot be deleted/);
    expect(vault()!.items.map((i) => i.protectionState)).toEqual(["IRPending"]);

    await stack.up(program({ vms: ["vm1"], options: { retainOnDelete: true } }));
    const destroyed = await stack.destroy();
    // The protected VM leaves the stack without a call to Azure; the policy it still uses cannot be deleted.
    expect(destroyed.errors.map((e) => [e.op, e.name])).toEqual([["delete", "policy"]]);
    expect(destroyed.errors[0]!.message).toContain("Deleting policy 'nightly' in vault 'rsv-stack' failed (BMSUserErrorPolicyObjectInUse, HTTP 400)");
    expect(
      stack
        .resources()
        .filter((r) => r.custom)
        .map((r) => r.type.split(":").pop()),
    ).toEqual(["Vault", "BackupPolicy"]);
    expect(vault()!.items.map((i) => i.protectionState)).toEqual(["IRPending"]);
  }, 90_000);
});
