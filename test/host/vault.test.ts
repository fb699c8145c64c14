import { vmFixture, vmId } from "../emulator/harness";
import { hostWorld, SUB, UNKNOWN, type HostWorld } from "./harness";

const VAULT = { resourceGroupName: "rg-backup", name: "rsv-host", location: "West Europe" };

describe("vault resource through the real provider host", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [] });
  });
  afterAll(async () => w.stop());

  describe("check", () => {
    it("accepts valid inputs and returns them in canonical form", async () => {
      const { inputs, failures } = await w.host.check("vault", { ...VAULT, redundancy: "georedundant" });
      expect(failures).toEqual([]);
      expect(inputs).toMatchObject({
        location: "westeurope",
        redundancy: "GeoRedundant",
        crossRegionRestore: false,
        softDelete: { state: "Enabled", retentionDays: 14 },
      });
    });
    it("reports invalid inputs with their property path, the rule, the limit's source and the fix", async () => {
      const { failures } = await w.host.check("vault", {
        ...VAULT,
        name: "1-vault",
        redundancy: "LocallyRedundant",
        crossRegionRestore: true,
        softDelete: { retentionDays: 200 },
      });
      expect(failures.map((f) => f.property)).toEqual(["name", "crossRegionRestore", "softDelete.retentionDays"]);
      expect(failures[2]!.reason).toMatch(
        /^\[vault\/soft-delete-retention\] Soft-deleted backup data is kept 14 to 180 days; 200 is out of range\. Limit softDeleteRetentionMaxDays = 180 \(stack-v2-2018\)\. Fix: Use 14 to 180 days\. Source: /,
      );
    });
    it("checks the resource group name and onDestroy, and reports both in one check", async () => {
      const { failures } = await w.host.check("vault", { ...VAULT, resourceGroupName: "rg/bad", onDestroy: "delete" });
      expect(failures.map((f) => f.property)).toEqual(["resourceGroupName", "onDestroy"]);
      expect(failures[1]!.reason).toMatch(
        /^\[vault\/on-destroy\] onDestroy must be "retain" \(keep the vault and its backups, the default\) or "purge" \(delete the backups of the VMs this program protects in the vault, then the vault\); got "delete"\. Fix: .* Source: Delete an Azure Backup Recovery Services vault \(Microsoft Learn\) <https:\/\/learn\.microsoft\.com\/azure\/backup\/backup-azure-delete-vault/,
      );
      // A purge is the user's choice: a warning, no failure.
      expect((await w.host.check("vault", { ...VAULT, onDestroy: "purge" })).failures).toEqual([]);
      const rg = await w.host.check("vault", { ...VAULT, resourceGroupName: "rg/bad" });
      expect(rg.failures.map((f) => f.property)).toEqual(["resourceGroupName"]);
    });
    it("fails on the problems the program found across resources, with whatever else is wrong", async () => {
      const programChecks = [{ property: "", reason: "[plan/policies-per-vault] Vault 'rsv-host' has more than 200 policies." }];
      expect((await w.host.check("vault", { ...VAULT, programChecks })).failures).toEqual(programChecks);
      const both = await w.host.check("vault", { ...VAULT, name: "1-vault", programChecks });
      expect(both.failures.map((f) => f.property)).toEqual(["name", ""]);
    });
    it("judges nothing that is still unknown in a preview", async () => {
      const { failures } = await w.host.check("vault", {
        resourceGroupName: UNKNOWN,
        name: "rsv-later",
        location: UNKNOWN,
        redundancy: "ZoneRedundant",
        crossRegionRestore: true,
      });
      expect(failures.map((f) => f.property)).toEqual(["crossRegionRestore"]);
      expect((await w.host.check("vault", { resourceGroupName: UNKNOWN, name: UNKNOWN, location: UNKNOWN })).failures).toEqual([]);
    });
  });

  describe("create, read, diff, update, delete", () => {
    let id: string;
    let outs: Record<string, unknown>;
    it("creates the vault in Azure", async () => {
      const { inputs } = await w.host.check("vault", { ...VAULT, softDelete: { retentionDays: 30 }, tags: { team: "platform" } });
      ({ id, outs } = await w.host.create("vault", inputs));
      expect(id).toBe(`/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-host`);
      // Azure makes new vaults AlwaysON (secure by default): the output shows Azure's state, stronger than asked.
      expect(outs).toMatchObject({
        name: "rsv-host",
        subscriptionId: SUB,
        redundancy: "GeoRedundant",
        softDelete: { state: "AlwaysOn", retentionDays: 30 },
        onDestroy: "retain",
        storageLocked: false,
      });
      const vault = w.emulator.model.vault(SUB, "rg-backup", "rsv-host")!;
      expect(vault.softDelete).toMatchObject({ state: "AlwaysON", retentionDays: 30 });
      expect(vault.tags).toEqual({ team: "platform" });
    });
    it("reads it back", async () => {
      const read = await w.host.read("vault", id, outs);
      expect(read.id).toBe(id);
      expect(read.props).toMatchObject({ redundancy: "GeoRedundant", softDelete: { retentionDays: 30 }, tags: { team: "platform" } });
    });
    it("takes the AlwaysON soft delete Azure enforces as no drift: refresh shows it, diff finds nothing to change", async () => {
      const read = await w.host.read("vault", id, outs);
      expect(read.props).toMatchObject({ softDelete: { state: "AlwaysOn", retentionDays: 30 } });
      const { inputs } = await w.host.check("vault", { ...VAULT, softDelete: { retentionDays: 30 }, tags: { team: "platform" } }, read.props);
      expect(await w.host.diff("vault", id, read.props, inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: true });
    });
    it("fails the preview of softDelete.state Disabled, which Azure refuses on every vault today", async () => {
      const { failures } = await w.host.check("vault", { ...VAULT, softDelete: { state: "Disabled" } });
      expect(failures.map((f) => f.property)).toEqual(["softDelete.state"]);
      expect(failures[0]!.reason).toMatch(
        /^\[vault\/soft-delete-disabled\] .*BMSUserErrorDisablingSoftDeleteStateNotAllowed.*Source: Secure by default with soft delete for Azure Backup/,
      );
    });
    it("finds no difference for the same inputs, spelt differently", async () => {
      const { inputs } = await w.host.check("vault", {
        ...VAULT,
        name: "RSV-HOST",
        location: "westeurope",
        softDelete: { retentionDays: 30, state: "enabled" },
        tags: { team: "platform" },
      });
      expect(await w.host.diff("vault", id, outs, inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: true });
    });
    it("updates redundancy and soft delete in place, replaces on a new region", async () => {
      const { inputs } = await w.host.check("vault", {
        ...VAULT,
        redundancy: "LocallyRedundant",
        softDelete: { retentionDays: 20 },
        tags: { team: "platform" },
      });
      expect(await w.host.diff("vault", id, outs, inputs)).toMatchObject({ changes: "some", replaces: [] });
      outs = await w.host.update("vault", id, outs, inputs);
      expect(outs).toMatchObject({ redundancy: "LocallyRedundant", softDelete: { retentionDays: 20 } });
      expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-host")!.redundancy).toBe("LocallyRedundant");
      const moved = await w.host.check("vault", {
        ...VAULT,
        location: "northeurope",
        redundancy: "LocallyRedundant",
        softDelete: { retentionDays: 20 },
        tags: { team: "platform" },
      });
      expect(await w.host.diff("vault", id, outs, moved.inputs)).toMatchObject({ changes: "some", replaces: ["location"], deleteBeforeReplace: true });
    });
    it("adopts an identical vault that already exists instead of failing", async () => {
      const { inputs } = await w.host.check("vault", {
        ...VAULT,
        redundancy: "LocallyRedundant",
        softDelete: { retentionDays: 20 },
        tags: { team: "platform" },
      });
      const mark = w.emulator.log.mark();
      const adopted = await w.host.create("vault", inputs);
      expect(adopted.id).toBe(id);
      expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET")).toEqual([]);
    });
    it("never sent a request that disables soft delete, and updated the retention without weakening AlwaysON", async () => {
      const writes = w.emulator.log.list().filter((e) => e.body !== undefined && /softDelete/i.test(e.body));
      expect(writes.length).toBeGreaterThan(0);
      for (const e of writes) expect(e.body).not.toMatch(/"soft-?delete(FeatureState|State)":"(Disabled|Enabled)"|"enhancedSecurityState":"Disabled"/i);
    });
    it("deletes an empty vault", async () => {
      await w.host.delete("vault", id, outs);
      expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-host")).toBeUndefined();
      const gone = await w.host.read("vault", id, outs);
      expect(gone.id).toBe("");
    });
  });

  describe("destroy with onDestroy purge: only what the stack owns", () => {
    let p: HostWorld;
    const PURGE_VAULT = { resourceGroupName: "rg-backup", name: "rsv-purge", location: "westeurope", onDestroy: "purge" };
    const POLICY = {
      resourceGroupName: "rg-backup",
      vaultName: "rsv-purge",
      name: "daily-2030",
      schedule: { frequency: "Daily", time: "20:30" },
      retention: { daily: { count: 30 } },
    };
    const protectVm = async (vm: string) => {
      const { inputs } = await p.host.check("protected-vm", {
        vaultResourceGroupName: "rg-backup",
        vaultName: "rsv-purge",
        policyName: "daily-2030",
        vmId: vmId(vm),
      });
      return p.host.create("protected-vm", inputs);
    };
    const items = () => p.emulator.model.vault(SUB, "rg-backup", "rsv-purge")?.items ?? [];
    beforeAll(async () => {
      p = await hostWorld({ vms: [vmFixture("vm-mine"), vmFixture("vm-theirs")] });
    });
    afterAll(async () => p.stop());

    it("takes the VMs the program protects in the vault (purge is a warning, no failure)", async () => {
      const { failures, inputs } = await p.host.check("vault", { ...PURGE_VAULT, ownedVmIds: [vmId("vm-mine")] });
      expect(failures).toEqual([]);
      expect(inputs.ownedVmIds).toEqual([vmId("vm-mine")]);
    });

    it("keeps the backups of a VM protected outside the program, and says why the vault stays", async () => {
      const { inputs } = await p.host.check("vault", { ...PURGE_VAULT, ownedVmIds: [vmId("vm-mine")] });
      const vault = await p.host.create("vault", inputs);
      await p.host.create("policy", (await p.host.check("policy", POLICY)).inputs);
      const mine = await protectVm("vm-mine");
      // Protected outside the program (by hand, or by another stack), in the same vault.
      await protectVm("vm-theirs");
      // The program's ProtectedVm is destroyed first, with its default onDestroy: protection stopped, data kept.
      await p.host.delete("protected-vm", mine.id, mine.outs);
      const mark = p.emulator.log.mark();
      const stderr = p.host.stderr().length;
      await p.host.delete("vault", vault.id, vault.outs);

      const theirs = items().find((i) => i.friendlyName === "vm-theirs")!;
      expect(theirs).toMatchObject({ protectionState: "IRPending" });
      expect(theirs.deferredDeleteAt).toBeUndefined();
      expect(items().find((i) => i.friendlyName === "vm-mine")!.deferredDeleteAt).toBeDefined();
      expect(p.emulator.model.vault(SUB, "rg-backup", "rsv-purge")).toBeDefined();
      const said = p.host.stderr().slice(stderr);
      expect(said).toContain("Vault 'rsv-purge' (resource group rg-backup) stays in Azure and leaves the stack");
      expect(said).toContain("VMs this stack does not protect, which a purge never deletes: VM 'vm-theirs' (protected)");
      expect(said).toContain("The backup data of VM 'vm-mine' was deleted; it stays soft-deleted, and can be undeleted, for 14 days.");
      const requests = p.emulator.log.list(mark);
      expect(requests.filter((e) => e.method === "DELETE").map((e) => e.path.split("/").pop())).toEqual(["VM;iaasvmcontainerv2;rg-app;vm-mine"]);
      for (const e of requests) expect(e.body ?? "").not.toMatch(/Disabled|softDelete/i);
    });

    it("deletes the vault when it holds nothing but the stack's own soft-deleted data (Azure soft-deletes the vault)", async () => {
      const { inputs } = await p.host.check("vault", { ...PURGE_VAULT, name: "rsv-purge2", ownedVmIds: [vmId("vm-mine")] });
      const vault = await p.host.create("vault", inputs);
      await p.host.create("policy", (await p.host.check("policy", { ...POLICY, vaultName: "rsv-purge2" })).inputs);
      // vm-mine is soft-deleted in rsv-purge: undelete is not ours to do; protect a fresh VM instead.
      p.emulator.addVms([vmFixture("vm-mine2")]);
      const { inputs: pvm } = await p.host.check("protected-vm", {
        vaultResourceGroupName: "rg-backup",
        vaultName: "rsv-purge2",
        policyName: "daily-2030",
        vmId: vmId("vm-mine2"),
      });
      await p.host.create("protected-vm", pvm);
      const outs = { ...vault.outs, ownedVmIds: [vmId("vm-mine2")] };
      await p.host.delete("vault", vault.id, outs);
      expect(p.emulator.model.vault(SUB, "rg-backup", "rsv-purge2")).toBeUndefined();
      expect(p.emulator.state.deletedVaults?.map((d) => d.vault.name)).toContain("rsv-purge2");
    });
  });
});
