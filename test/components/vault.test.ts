import * as pulumi from "@pulumi/pulumi";
import { BackupVault, ProtectedVm } from "../../src";
import { declare, stopEngine, T } from "./helpers";

afterAll(stopEngine);

describe("BackupVault under Pulumi's mocks", () => {
  it("declares one Vault resource named after the component, with the vault name defaulting to it", async () => {
    const d = await declare(() => {
      new BackupVault("rsv-app", { resourceGroupName: "rg-backup", location: "westeurope" });
    });
    const component = d.one(T.BackupVault, "rsv-app");
    const vault = d.one(T.vault, "rsv-app");
    expect(vault.parent).toBe(component.urn);
    expect(vault.urn).toMatch(/azure-vm-backup:index:BackupVault\$pulumi-nodejs:dynamic\/azure-vm-backup:Vault::rsv-app$/);
    expect(vault.inputs).toMatchObject({ name: "rsv-app", resourceGroupName: "rg-backup", location: "westeurope", programChecks: [] });
    // Defaults are the provider's to apply (and to report): nothing is sent for what the program left out.
    for (const key of ["redundancy", "crossRegionRestore", "softDelete", "immutability", "onDestroy", "subscriptionId"])
      expect(vault.inputs).not.toHaveProperty(key);
    expect(typeof vault.inputs.__provider).toBe("string");
    expect(String(vault.inputs.__provider).length).toBeLessThan(4096);
  });

  it("passes every setting through", async () => {
    const d = await declare(() => {
      new BackupVault("v", {
        resourceGroupName: "rg",
        location: "eastus",
        vaultName: "rsv-eus",
        subscriptionId: "11111111-2222-3333-4444-555555555555",
        redundancy: "LocallyRedundant",
        crossRegionRestore: false,
        softDelete: { state: "Enabled", retentionDays: 30 },
        immutability: "Unlocked",
        tags: { team: "platform" },
        onDestroy: "purge",
      });
    });
    expect(d.one(T.vault).inputs).toMatchObject({
      name: "rsv-eus",
      location: "eastus",
      subscriptionId: "11111111-2222-3333-4444-555555555555",
      redundancy: "LocallyRedundant",
      crossRegionRestore: false,
      softDelete: { state: "Enabled", retentionDays: 30 },
      immutability: "Unlocked",
      tags: { team: "platform" },
      onDestroy: "purge",
    });
  });

  it("exposes the provider's outputs", async () => {
    const d = await declare(() => {
      const v = new BackupVault("v", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-out" });
      return { id: v.id, name: v.vaultName, redundancy: v.redundancy, storageLocked: v.storageLocked, onDestroy: v.onDestroy, softDelete: v.softDelete };
    });
    expect(d.outputs).toEqual({
      id: "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-out",
      name: "rsv-out",
      redundancy: "GeoRedundant",
      storageLocked: false,
      onDestroy: "retain",
      softDelete: { state: "Enabled", retentionDays: 14 },
    });
  });

  it("passes its options through: protect and parent are inherited, dependsOn and retainOnDelete handed on", async () => {
    const d = await declare(() => {
      const parent = new pulumi.ComponentResource("test:index:Platform", "platform");
      const before = new BackupVault("first", { resourceGroupName: "rg", location: "westeurope" });
      new BackupVault("v", { resourceGroupName: "rg", location: "westeurope" }, { parent, protect: true, retainOnDelete: true, dependsOn: [before] });
    });
    const component = d.one(T.BackupVault, "v");
    expect(component.parent).toBe(d.one("test:index:Platform").urn);
    expect(component.protect).toBe(true);
    const vault = d.one(T.vault, "v");
    expect(vault.protect).toBe(true);
    expect(vault.retainOnDelete).toBe(true);
    expect(vault.dependencies).toContain(d.one(T.vault, "first").urn);
    expect(d.one(T.vault, "first").protect).toBe(false);
  });

  it("says early what the rules warn about, and that purge deletes backups", async () => {
    const d = await declare(() => {
      new BackupVault("v", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-locked", immutability: "Locked", onDestroy: "purge" });
    });
    const urn = d.one(T.BackupVault).urn;
    const mine = d.logs.filter((l) => l.urn === urn);
    expect(mine.map((l) => l.severity)).toEqual(["warning", "warning"]);
    expect(mine[0]!.message).toMatch(/^\[vault\/immutability-locked\]/);
    expect(mine[1]!.message).toContain(`onDestroy is "purge": destroying vault 'rsv-locked' deletes the backup data of the VMs this program protects in it`);
    expect(mine[1]!.message).toContain("Backups of VMs this program does not protect are never deleted");
    // The same rule as check() and the CLI: its code, and what the vault's own settings do to the purge.
    expect(mine[1]!.message).toMatch(/^\[vault\/purge\] /);
    expect(mine[1]!.message).toContain("This vault is immutable (Locked)");
  });

  it("tells its vault resource the VMs the program protects in it, the only backups a purge may delete", async () => {
    const mine = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-01";
    const elsewhere = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/db-01";
    const d = await declare(() => {
      const vault = new BackupVault("owner", { resourceGroupName: "rg", location: "westeurope", onDestroy: "purge" });
      const other = new BackupVault("other", { resourceGroupName: "rg", location: "westeurope" });
      new ProtectedVm("web-01", { vm: mine, vault });
      new ProtectedVm("db-01", { vm: elsewhere, vault: other });
    });
    expect(d.one(T.vault, "owner").inputs.ownedVmIds).toEqual([mine]);
    expect(d.one(T.vault, "other").inputs.ownedVmIds).toEqual([elsewhere]);
  });

  it("in a preview, sends what is known and leaves the rest unknown", async () => {
    const d = await declare(
      () => {
        const first = new BackupVault("first", { resourceGroupName: "rg", location: "westeurope" });
        // A value that exists only once "first" does: unknown in a preview.
        new BackupVault("v", { resourceGroupName: first.id.apply(() => "rg-after"), location: "westeurope", vaultName: "rsv-v" });
        return { id: first.id };
      },
      { preview: true },
    );
    const inputs = d.one(T.vault, "v").inputs;
    expect(inputs).toMatchObject({ name: "rsv-v", location: "westeurope" });
    expect(pulumi.isUnknown(inputs.resourceGroupName)).toBe(true);
    expect(d.outputs.id).toBeUndefined();
  });
});
