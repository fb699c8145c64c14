import * as pulumi from "@pulumi/pulumi";
import { BackupPolicy, BackupVault } from "../../src";
import { declare, stopEngine, SUB, T } from "./helpers";

afterAll(stopEngine);

class Marker extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Marker", name, {});
  }
}

const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-existing/providers/Microsoft.RecoveryServices/vaults/rsv-existing`;

describe("BackupPolicy under Pulumi's mocks", () => {
  it("belongs to its vault: the vault's names, and a dependency on the vault's resource", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-app" });
      new BackupPolicy("nightly", { vault, schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 30 } } });
    });
    const policy = d.one(T.policy, "nightly");
    expect(policy.parent).toBe(d.one(T.BackupPolicy, "nightly").urn);
    expect(policy.inputs).toMatchObject({
      vaultName: "rsv-app",
      resourceGroupName: "rg-backup",
      name: "nightly",
      schedule: { frequency: "Daily", time: "22:00" },
      retention: { daily: { count: 30 } },
      programChecks: [],
    });
    expect(policy.dependencies).toContain(d.one(T.vault, "vault").urn);
  });

  it("with no schedule and retention, sends none (the seeds' default applies) and says so", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      new BackupPolicy("default", { vault, policyName: "seeds-default" });
    });
    const policy = d.one(T.policy);
    expect(policy.inputs.name).toBe("seeds-default");
    for (const key of ["schedule", "retention", "policyType", "timeZone", "instantRestoreRetentionDays"]) expect(policy.inputs).not.toHaveProperty(key);
    const notes = d.logs.filter((l) => l.urn === d.one(T.BackupPolicy).urn);
    expect(notes.map((l) => [l.severity, l.message.slice(0, 25)])).toEqual([["info", "[policy/default-applied] "]]);
    expect(notes[0]!.message).toContain("daily at 20:30, recovery points kept 180 days");
  });

  it("takes an existing vault by its id, and the id of a vault of the program", async () => {
    const d = await declare(() => {
      new BackupPolicy("on-existing", {
        vault: VAULT_ID,
        policyName: "weekly",
        schedule: { frequency: "Weekly", time: "01:00", weekdays: ["Sunday"] },
        retention: { weekly: { count: 12, weekdays: ["Sunday"] } },
      });
      const vault = new BackupVault("vault", { resourceGroupName: "rg-new", location: "westeurope", vaultName: "rsv-new" });
      new BackupPolicy("on-id", { vault: vault.id });
    });
    const existing = d.one(T.policy, "on-existing");
    expect(existing.inputs).toMatchObject({ subscriptionId: SUB, resourceGroupName: "rg-existing", vaultName: "rsv-existing", name: "weekly" });
    expect(existing.dependencies).toEqual([]);
    // vault.id is recognised as the program's vault: its declared names, and a dependency on it.
    const byId = d.one(T.policy, "on-id");
    expect(byId.inputs).toMatchObject({ resourceGroupName: "rg-new", vaultName: "rsv-new" });
    expect(byId.dependencies).toContain(d.one(T.vault, "vault").urn);
  });

  it("hands an id that is not a vault's to check as empty names (check names the input)", async () => {
    const d = await declare(() => {
      new BackupPolicy("lost", { vault: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa" });
    });
    expect(d.one(T.policy).inputs).toMatchObject({ vaultName: "", resourceGroupName: "" });
  });

  it("exposes the provider's outputs", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv" });
      const p = new BackupPolicy("p", { vault, policyName: "daily-2030" });
      return { id: p.id, name: p.policyName, vault: p.vaultName, type: p.policyType, schedule: p.schedule, count: p.protectedItemsCount };
    });
    expect(d.outputs).toEqual({
      id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv/backupPolicies/daily-2030`,
      name: "daily-2030",
      vault: "rsv",
      type: "V1",
      schedule: { frequency: "Daily", time: "20:30" },
      count: 0,
    });
  });

  it("passes its options through", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      const marker = new Marker("marker");
      new BackupPolicy("p", { vault }, { protect: true, dependsOn: marker, retainOnDelete: true });
    });
    const policy = d.one(T.policy);
    expect(policy).toMatchObject({ protect: true, retainOnDelete: true });
    expect(policy.dependencies).toEqual(expect.arrayContaining([d.one("test:index:Marker").urn, d.one(T.vault).urn]));
    expect(d.one(T.BackupPolicy).protect).toBe(true);
  });

  it("warns early about what the rules warn about", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      new BackupPolicy("p", {
        vault,
        schedule: { frequency: "Daily", time: "02:00" },
        retention: { daily: { count: 9999 }, weekly: { count: 10, weekdays: ["Sunday"] } },
      });
    });
    const warnings = d.logs.filter((l) => l.urn === d.one(T.BackupPolicy).urn && l.severity === "warning");
    expect(warnings.map((w) => w.message.slice(0, 27))).toEqual(["[policy/recovery-points] Th"]);
  });
});
