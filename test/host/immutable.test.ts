/**
 * Immutable vaults through the real provider host against the emulator, as a user meets them: a vault
 * declared Locked is created Unlocked and locked in a second request (Azure refuses Locked at creation:
 * UserErrorUnsupportedVaultImmutabilityStateChange, Azure/azure-cli#27785), and an interrupted create converges;
 * the preview refuses what an immutable vault refuses (shorter retention, a VM moved to a policy that keeps
 * less, deleteBackupData), which the apply would otherwise meet as Azure's error; onDestroy "suspendBackups"
 * stops backups and keeps the points as per policy (BackupsSuspended).
 */
import { vmFixture, vmId } from "../emulator/harness";
import { hostWorld, SUB, type HostWorld } from "./harness";

const RG = "rg-backup";
const vaultPath = (name: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.RecoveryServices/vaults/${name}`;
const daily = (vaultName: string, name: string, count: number) => ({
  resourceGroupName: RG,
  vaultName,
  name,
  schedule: { frequency: "Daily", time: "20:30" },
  retention: { daily: { count } },
});
const protection = (vaultName: string, vm: string, policyName: string, extra: Record<string, unknown> = {}) => ({
  vaultResourceGroupName: RG,
  vaultName,
  policyName,
  vmId: vmId(vm),
  ...extra,
});

describe("immutable vaults through the real provider host", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [vmFixture("vm1"), vmFixture("vm2"), vmFixture("vm3")] });
  });
  afterAll(async () => w.stop());
  const vaultRequests = (mark: number, name: string) =>
    w.emulator.log
      .list(mark)
      .filter((e) => e.method !== "GET" && e.path === vaultPath(name))
      .map((e) => `${e.method} ${e.status}`);

  describe("a vault declared Locked", () => {
    it("is created Unlocked, then locked in a second request", async () => {
      const { inputs, failures } = await w.host.check("vault", { resourceGroupName: RG, name: "rsv-locked", location: "westeurope", immutability: "Locked" });
      expect(failures).toEqual([]);
      const mark = w.emulator.log.mark();
      const { outs } = await w.host.create("vault", inputs);
      expect(outs).toMatchObject({ immutability: "Locked" });
      expect(w.emulator.model.vault(SUB, RG, "rsv-locked")!.immutability).toBe("Locked");
      expect(vaultRequests(mark, "rsv-locked")).toEqual(["PUT 201", "PATCH 202"]);
      // Nothing left to do: the same inputs show no change.
      expect((await w.host.diff("vault", String(outs.id), outs, inputs)).changes).toBe("none");
    });

    it("converges when the create was interrupted after the vault was put Unlocked", async () => {
      const { inputs } = await w.host.check("vault", { resourceGroupName: RG, name: "rsv-interrupted", location: "westeurope", immutability: "Locked" });
      w.emulator.faults.add({ method: "PATCH", path: vaultPath("rsv-interrupted"), times: 1, action: { kind: "fail-operation", code: "InternalServerError" } });
      await expect(w.host.create("vault", inputs)).rejects.toThrow(/Locking the immutability of vault 'rsv-interrupted'/);
      expect(w.emulator.model.vault(SUB, RG, "rsv-interrupted")!.immutability).toBe("Unlocked");
      // The next run creates again: it finds the vault Unlocked and locks it, without a PUT that Azure would refuse.
      const { outs } = await w.host.create("vault", inputs);
      expect(outs).toMatchObject({ immutability: "Locked" });
      expect(w.emulator.model.vault(SUB, RG, "rsv-interrupted")!.immutability).toBe("Locked");
      // A run after that adopts it as it is.
      const mark = w.emulator.log.mark();
      await w.host.create("vault", inputs);
      expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET")).toEqual([]);
    });

    it("locks an existing Disabled vault in two steps, Unlocked then Locked", async () => {
      const plain = await w.host.check("vault", { resourceGroupName: RG, name: "rsv-later", location: "westeurope" });
      const { id, outs } = await w.host.create("vault", plain.inputs);
      const locked = await w.host.check("vault", { resourceGroupName: RG, name: "rsv-later", location: "westeurope", immutability: "Locked" });
      const mark = w.emulator.log.mark();
      const updated = await w.host.update("vault", id, outs, locked.inputs);
      expect(updated).toMatchObject({ immutability: "Locked" });
      expect(vaultRequests(mark, "rsv-later")).toEqual(["PATCH 202", "PATCH 202"]);
    });
  });

  describe("what an immutable vault refuses, refused in the preview", () => {
    let vm1: { id: string; outs: Record<string, unknown> };
    beforeAll(async () => {
      const vault = await w.host.check("vault", { resourceGroupName: RG, name: "rsv-imm", location: "westeurope", immutability: "Unlocked" });
      await w.host.create("vault", vault.inputs);
      for (const [name, count] of [
        ["keep35", 35],
        ["keep30", 30],
        ["keep60", 60],
      ] as const) {
        await w.host.create("policy", (await w.host.check("policy", daily("rsv-imm", name, count))).inputs);
      }
      const checked = await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep35"));
      expect(checked.failures).toEqual([]);
      vm1 = await w.host.create("protected-vm", checked.inputs);
    });

    it("a policy change that shortens retention fails the preview; the apply would meet Azure's refusal", async () => {
      const shorter = await w.host.check("policy", daily("rsv-imm", "keep35", 30));
      expect(shorter.failures.map((f) => f.property)).toEqual(["retention.daily.count"]);
      expect(shorter.failures[0]!.reason).toMatch(
        /^\[policy\/immutable-retention\] Policy 'keep35' in vault 'rsv-imm' would keep daily points 35 -> 30 days, and the vault is immutable \(Unlocked\): Azure refuses any change that shortens retention there\. Fix: Keep retention\.daily\.count at 35 or more;.* Source: Immutable vault for Azure Backup: restricted operations/,
      );
      const live = await w.host.check("policy", daily("rsv-imm", "keep35", 35));
      const created = await w.host.create("policy", live.inputs);
      await expect(w.host.update("policy", created.id, created.outs, shorter.inputs)).rejects.toThrow(/UserErrorRetentionReductionNotAllowedOnImmutableVault/);
      // Longer retention passes both.
      const longer = await w.host.check("policy", daily("rsv-imm", "keep35", 40));
      expect(longer.failures).toEqual([]);
    });

    it("moving a VM to a policy that keeps less fails the preview; to one that keeps more passes", async () => {
      const less = await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep30"));
      expect(less.failures.map((f) => f.property)).toEqual(["policyName"]);
      expect(less.failures[0]!.reason).toContain(
        "[vm/immutable-retention] VM 'vm1' would move from policy 'keep35' to 'keep30', which keeps daily points 35 -> 30 days; vault 'rsv-imm' is immutable (Unlocked)",
      );
      await expect(w.host.update("protected-vm", vm1.id, vm1.outs, less.inputs)).rejects.toThrow(/UserErrorRetentionReductionNotAllowedOnImmutableVault/);
      // The program's own declaration of the target policy is what it will be: declared longer, it passes.
      const declared = await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep30", { policy: daily("rsv-imm", "keep30", 45) }));
      expect(declared.failures).toEqual([]);
      expect((await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep60"))).failures).toEqual([]);
    });

    it("deleteBackupData on destroy fails the preview; suspendBackups passes", async () => {
      const del = await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep35", { onDestroy: "deleteBackupData" }));
      expect(del.failures.map((f) => f.reason.slice(0, 34))).toEqual(["[vm/delete-backup-data-immutable] "]);
      expect(del.failures[0]!.property).toBe("onDestroy");
      expect((await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep35", { onDestroy: "suspendBackups" }))).failures).toEqual([]);
    });

    it("onDestroy suspendBackups stops backups and keeps the points as per policy (BackupsSuspended)", async () => {
      const checked = await w.host.check("protected-vm", protection("rsv-imm", "vm1", "keep35", { onDestroy: "suspendBackups" }));
      const outs = await w.host.update("protected-vm", vm1.id, vm1.outs, checked.inputs);
      expect(outs).toMatchObject({ onDestroy: "suspendBackups" });
      await w.host.delete("protected-vm", vm1.id, outs);
      const item = w.emulator.model.vault(SUB, RG, "rsv-imm")!.items.find((i) => i.friendlyName === "vm1")!;
      expect(item).toMatchObject({ protectionState: "BackupsSuspended", policyName: "keep35" });
      expect(item.deferredDeleteAt).toBeUndefined();
      // Destroying again sends nothing.
      const mark = w.emulator.log.mark();
      await w.host.delete("protected-vm", vm1.id, outs);
      expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET")).toEqual([]);
    });
  });

  describe("suspendBackups on a vault that is not immutable", () => {
    it("fails the preview, and a destroy says what to do and changes nothing", async () => {
      await w.host.create("vault", (await w.host.check("vault", { resourceGroupName: RG, name: "rsv-plain", location: "westeurope" })).inputs);
      await w.host.create("policy", (await w.host.check("policy", daily("rsv-plain", "keep30", 30))).inputs);
      const checked = await w.host.check("protected-vm", protection("rsv-plain", "vm2", "keep30", { onDestroy: "suspendBackups" }));
      expect(checked.failures.map((f) => [f.property, f.reason.slice(0, 42)])).toEqual([["onDestroy", "[vm/suspend-backups-needs-immutable-vault]"]]);
      // Declared before the rule existed (or the vault changed since): the destroy refuses clearly.
      const { id, outs } = await w.host.create("protected-vm", checked.inputs);
      await expect(w.host.delete("protected-vm", id, outs)).rejects.toThrow(/VaultNotImmutable.*What to do: set onDestroy "stopProtectionRetainData"/);
      expect(w.emulator.model.vault(SUB, RG, "rsv-plain")!.items[0]!.protectionState).not.toBe("ProtectionStopped");
    });
  });
});
