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
        /^\[vault\/on-destroy\] onDestroy must be "retain" \(keep the vault and its backups, the default\) or "purge" \(delete every backup in the vault, then the vault\); got "delete"\. Fix: .* Source: Delete an Azure Backup Recovery Services vault \(Microsoft Learn\) <https:\/\/learn\.microsoft\.com\/azure\/backup\/backup-azure-delete-vault/,
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
      expect(outs).toMatchObject({
        name: "rsv-host",
        subscriptionId: SUB,
        redundancy: "GeoRedundant",
        softDelete: { state: "Enabled", retentionDays: 30 },
        onDestroy: "retain",
        storageLocked: false,
      });
      const vault = w.emulator.model.vault(SUB, "rg-backup", "rsv-host")!;
      expect(vault.softDelete.retentionDays).toBe(30);
      expect(vault.tags).toEqual({ team: "platform" });
    });
    it("reads it back", async () => {
      const read = await w.host.read("vault", id, outs);
      expect(read.id).toBe(id);
      expect(read.props).toMatchObject({ redundancy: "GeoRedundant", softDelete: { retentionDays: 30 }, tags: { team: "platform" } });
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
    it("deletes an empty vault", async () => {
      await w.host.delete("vault", id, outs);
      expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-host")).toBeUndefined();
      const gone = await w.host.read("vault", id, outs);
      expect(gone.id).toBe("");
    });
  });
});
