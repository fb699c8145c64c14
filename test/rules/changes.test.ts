import { validatePolicyChange, validateResourceGroupName, validateVaultChange, type VaultCurrent } from "../../src";
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
