import {
  validatePolicyChange,
  validatePolicyRetentionChange,
  validateResourceGroupName,
  validateVaultChange,
  validateVmPolicyMove,
  type Retention,
  type VaultCurrent,
} from "../../src";
import { errors, only } from "./helpers";

const current = (extra: Partial<VaultCurrent> = {}): VaultCurrent => ({
  location: "westeurope",
  redundancy: "GeoRedundant",
  crossRegionRestore: true,
  immutability: "Disabled",
  softDeleteState: "Enabled",
  storageLocked: true,
  ...extra,
});

describe("validateVaultChange", () => {
  it("accepts what Azure can change", () => {
    expect(
      validateVaultChange(current(), {
        location: "West Europe",
        redundancy: "GeoRedundant",
        crossRegionRestore: true,
        immutability: "Unlocked",
        softDeleteState: "Disabled",
      }),
    ).toEqual([]);
  });
  it("refuses a redundancy change once VMs are protected, allows it before", () => {
    const d = only(validateVaultChange(current(), { redundancy: "LocallyRedundant" }), "vault/redundancy-locked");
    expect(d.path).toBe("redundancy");
    expect(d.message).toContain("from GeoRedundant to LocallyRedundant");
    expect(validateVaultChange(current({ storageLocked: false }), { redundancy: "LocallyRedundant" })).toEqual([]);
  });
  it("refuses turning cross-region restore off once VMs are protected", () => {
    expect(errors(validateVaultChange(current(), { crossRegionRestore: false }))).toEqual(["vault/cross-region-restore-locked"]);
    expect(validateVaultChange(current({ storageLocked: false }), { crossRegionRestore: false })).toEqual([]);
  });
  it("refuses moving a vault with backups", () => {
    expect(errors(validateVaultChange(current(), { location: "northeurope" }))).toEqual(["vault/location-change"]);
    expect(validateVaultChange(current({ storageLocked: false }), { location: "northeurope" })).toEqual([]);
  });
  it("refuses undoing Locked immutability and AlwaysOn soft delete", () => {
    expect(errors(validateVaultChange(current({ immutability: "Locked" }), { immutability: "Unlocked" }))).toEqual(["vault/immutability-irreversible"]);
    expect(errors(validateVaultChange(current({ softDeleteState: "AlwaysOn" }), { softDeleteState: "Disabled" }))).toEqual([
      "vault/soft-delete-always-on-irreversible",
    ]);
    // "Enabled" asked of a vault Azure holds AlwaysOn (new vaults are, today) is satisfied: no error, no change.
    expect(validateVaultChange(current({ softDeleteState: "AlwaysOn" }), { softDeleteState: "Enabled" })).toEqual([]);
    expect(
      validateVaultChange(current({ immutability: "Locked", softDeleteState: "AlwaysOn" }), { immutability: "Locked", softDeleteState: "AlwaysOn" }),
    ).toEqual([]);
  });
});

describe("validatePolicyChange", () => {
  it("allows the same type", () => {
    expect(validatePolicyChange({ policyType: "V1", protectedItems: 5 }, { policyType: "V1" })).toEqual([]);
  });
  it("never turns V2 into V1", () => {
    expect(errors(validatePolicyChange({ policyType: "V2", protectedItems: 0 }, { policyType: "V1" }))).toEqual(["policy/type-change"]);
  });
  it("turns an unused V1 policy into V2 (by replacement), not one in use", () => {
    expect(validatePolicyChange({ policyType: "V1", protectedItems: 0 }, { policyType: "V2" })).toEqual([]);
    const d = only(validatePolicyChange({ policyType: "V1", protectedItems: 3 }, { policyType: "V2" }), "policy/type-change");
    expect(d.message).toContain("protects 3 VMs");
  });
});

describe("validateResourceGroupName", () => {
  it.each(["rg", "rg-backup_prod.(1)", "a".repeat(90)])("accepts %s", (name) => expect(validateResourceGroupName(name)).toEqual([]));
  it.each(["rg/backup", "rg.", "a".repeat(91), "rg backup"])("rejects %s", (name) =>
    expect(errors(validateResourceGroupName(name))).toEqual(["input/resource-group-name"]),
  );
  it("requires one", () => expect(errors(validateResourceGroupName(""))).toEqual(["input/required"]));
});

describe("what an immutable vault refuses: shorter retention", () => {
  const kept: Retention = {
    daily: { count: 35 },
    weekly: { count: 12, weekdays: ["Sunday"] },
    monthly: { count: 12, format: "Weekly", weekdays: ["Sunday"], weeks: ["First"], days: [], includeLastDays: false },
  };
  const vault = (immutability: "Disabled" | "Unlocked" | "Locked") => ({ name: "rsv1", immutability });

  it("refuses a lower count or a dropped block in a policy (policy/immutable-retention), on Unlocked and Locked vaults", () => {
    for (const state of ["Unlocked", "Locked"] as const) {
      const d = only(validatePolicyRetentionChange(vault(state), "daily", kept, { ...kept, daily: { count: 30 } }), "policy/immutable-retention");
      expect(d).toMatchObject({ severity: "error", path: "retention.daily.count" });
      expect(d.message).toBe(
        `Policy 'daily' in vault 'rsv1' would keep daily points 35 -> 30 days, and the vault is immutable (${state}): Azure refuses any change that shortens retention there.`,
      );
      expect(d.remedy).toContain("Keep retention.daily.count at 35 or more");
      expect(d.source).toContain("backup-azure-immutable-vault-concept#restricted-operations");
    }
    const { monthly: _dropped, ...withoutMonthly } = kept;
    expect(only(validatePolicyRetentionChange(vault("Locked"), "daily", kept, withoutMonthly), "policy/immutable-retention").path).toBe("retention.monthly");
  });

  it("accepts longer retention, new blocks, and anything on a vault that is not immutable", () => {
    expect(validatePolicyRetentionChange(vault("Locked"), "daily", kept, { ...kept, daily: { count: 36 }, yearly: undefined })).toEqual([]);
    expect(validatePolicyRetentionChange(vault("Unlocked"), "daily", { daily: { count: 30 } }, kept)).toEqual([]);
    expect(validatePolicyRetentionChange(vault("Disabled"), "daily", kept, { daily: { count: 7 } })).toEqual([]);
  });

  it("refuses moving a VM to a policy that keeps any point for less time (vm/immutable-retention)", () => {
    const d = only(
      validateVmPolicyMove(
        vault("Unlocked"),
        "vm1",
        { name: "gold", retention: kept },
        { name: "silver", retention: { ...kept, weekly: { count: 4, weekdays: ["Sunday"] } } },
      ),
      "vm/immutable-retention",
    );
    expect(d).toMatchObject({ severity: "error", path: "policyName" });
    expect(d.message).toContain("VM 'vm1' would move from policy 'gold' to 'silver', which keeps weekly points 12 -> 4 weeks");
    expect(d.remedy).toContain("Keep policyName 'gold'");
    expect(validateVmPolicyMove(vault("Unlocked"), "vm1", { name: "silver", retention: { daily: { count: 30 } } }, { name: "gold", retention: kept })).toEqual(
      [],
    );
    expect(validateVmPolicyMove(vault("Disabled"), "vm1", { name: "gold", retention: kept }, { name: "silver", retention: { daily: { count: 7 } } })).toEqual(
      [],
    );
  });
});
