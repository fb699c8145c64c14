import { normalizeVault, softDeleteSatisfies, validateVault, type VaultArgs } from "../../src";
import { bySeverity, errors, only, SUB, warnings } from "./helpers";

const vault = (extra: Partial<VaultArgs> = {}): VaultArgs => ({ name: "rsv-prod-weu", location: "westeurope", ...extra });

describe("validateVault", () => {
  it("accepts a minimal vault and applies the seeds' defaults (GeoRedundant)", () => {
    expect(validateVault(vault())).toEqual([]);
    expect(normalizeVault(vault()).vault).toEqual({
      name: "rsv-prod-weu",
      location: "westeurope",
      redundancy: "GeoRedundant",
      crossRegionRestore: false,
      softDelete: { state: "Enabled", retentionDays: 14 },
      immutability: "Disabled",
    });
  });

  describe("name: 2-50 letters, digits, hyphens, starting with a letter", () => {
    it.each(["ab", "a".repeat(50), "rsv-1", "Vault2"])("accepts %s", (name) => {
      expect(errors(validateVault(vault({ name })))).toEqual([]);
    });
    it.each(["a", "a".repeat(51), "1vault", "-vault", "my_vault", "my vault"])("rejects %s", (name) => {
      const d = only(validateVault(vault({ name })), "vault/name");
      expect(d.path).toBe("name");
      expect(d.severity).toBe("error");
    });
    it("requires a name", () => {
      expect(errors(validateVault({ location: "westeurope" } as VaultArgs))).toEqual(["input/required"]);
    });
  });

  describe("location", () => {
    it("normalises display names", () => {
      expect(normalizeVault(vault({ location: "West Europe" })).vault?.location).toBe("westeurope");
    });
    it("rejects what cannot be a region", () => {
      expect(only(validateVault(vault({ location: "west-europe!" })), "vault/location").path).toBe("location");
    });
    it("requires a location", () => {
      const d = only(validateVault({ name: "rsv" } as VaultArgs), "input/required");
      expect(d.path).toBe("location");
    });
  });

  it("checks the subscription id is a GUID", () => {
    expect(errors(validateVault(vault({ subscriptionId: SUB })))).toEqual([]);
    expect(errors(validateVault(vault({ subscriptionId: "prod-subscription" })))).toEqual(["vault/subscription-id"]);
  });

  describe("redundancy", () => {
    it.each(["LocallyRedundant", "GeoRedundant", "ZoneRedundant", "georedundant"])("accepts %s", (redundancy) => {
      expect(errors(validateVault(vault({ redundancy })))).toEqual([]);
    });
    it("canonicalises the case", () => {
      expect(normalizeVault(vault({ redundancy: "zoneredundant" })).vault?.redundancy).toBe("ZoneRedundant");
    });
    it("rejects other values with a suggestion", () => {
      const d = only(validateVault(vault({ redundancy: "GeoRedundent" })), "vault/redundancy");
      expect(d.message).toContain("did you mean 'GeoRedundant'?");
      expect(d.remedy).toContain("LocallyRedundant, GeoRedundant, ZoneRedundant");
    });
  });

  describe("cross-region restore", () => {
    it("is allowed with GeoRedundant storage (the default), with a note that it is irreversible", () => {
      const diagnostics = validateVault(vault({ crossRegionRestore: true }));
      expect(errors(diagnostics)).toEqual([]);
      expect(bySeverity(diagnostics, "info")).toEqual(["vault/cross-region-restore-irreversible"]);
    });
    it.each(["LocallyRedundant", "ZoneRedundant"])("is refused with %s storage", (redundancy) => {
      const d = only(validateVault(vault({ redundancy, crossRegionRestore: true })), "vault/cross-region-restore-requires-grs");
      expect(d.path).toBe("crossRegionRestore");
      expect(d.message).toContain(redundancy);
    });
    it("is refused by the classic-2015 profile (2015 documentation: cross-region restore is not supported)", () => {
      const d = only(validateVault(vault({ crossRegionRestore: true }), { profile: "classic-2015" }), "vault/cross-region-restore-unsupported");
      expect(d.source).toContain("articles/backup-azure-vms-introduction.md");
      expect(d.source).toContain("Cross-region backup and restore is not supported");
    });
    it("needs a boolean", () => {
      expect(errors(validateVault(vault({ crossRegionRestore: "yes" as never })))).toEqual(["input/type"]);
    });
  });

  describe("soft delete", () => {
    it.each([14, 15, 179, 180])("accepts %i retention days", (retentionDays) => {
      expect(errors(validateVault(vault({ softDelete: { retentionDays } })))).toEqual([]);
    });
    it.each([13, 181, 0])("rejects %i retention days", (retentionDays) => {
      const d = only(validateVault(vault({ softDelete: { retentionDays } })), "vault/soft-delete-retention");
      expect(d.path).toBe("softDelete.retentionDays");
      expect(d.limit?.value).toBe(retentionDays < 14 ? 14 : 180);
    });
    it("notes the cost above 14 days", () => {
      expect(bySeverity(validateVault(vault({ softDelete: { retentionDays: 15 } })), "info")).toEqual(["vault/soft-delete-retention-cost"]);
      expect(bySeverity(validateVault(vault({ softDelete: { retentionDays: 14 } })), "info")).toEqual([]);
    });
    it("refuses Disabled, which Azure refuses on every vault today (secure by default), and notes retention set while disabled", () => {
      expect(errors(validateVault(vault({ softDelete: { state: "Disabled" } })))).toEqual(["vault/soft-delete-disabled"]);
      const d = only(validateVault(vault({ softDelete: { state: "disabled" } })), "vault/soft-delete-disabled");
      expect(d).toMatchObject({ severity: "error", path: "softDelete.state" });
      expect(d.message).toContain("BMSUserErrorDisablingSoftDeleteStateNotAllowed");
      expect(d.source).toContain("https://learn.microsoft.com/azure/backup/secure-by-default");
      expect(warnings(validateVault(vault({ softDelete: { state: "Disabled", retentionDays: 30 } })))).toEqual(["vault/soft-delete-retention-ignored"]);
      expect(normalizeVault(vault({ softDelete: { state: "Disabled" } })).vault).toBeUndefined();
    });
    it("takes a stronger soft delete held by Azure as satisfying the one asked (no drift)", () => {
      expect(softDeleteSatisfies({ state: "Enabled", retentionDays: 14 }, { state: "AlwaysOn", retentionDays: 14 })).toBe(true);
      expect(softDeleteSatisfies({ state: "Enabled", retentionDays: 14 }, { state: "AlwaysON", retentionDays: 14 })).toBe(true);
      expect(softDeleteSatisfies({ state: "Enabled", retentionDays: 30 }, { state: "AlwaysOn", retentionDays: 14 })).toBe(false);
      expect(softDeleteSatisfies({ state: "AlwaysOn", retentionDays: 14 }, { state: "Enabled", retentionDays: 14 })).toBe(false);
    });
    it("warns that AlwaysOn cannot be undone", () => {
      expect(warnings(validateVault(vault({ softDelete: { state: "alwayson" } })))).toEqual(["vault/soft-delete-always-on"]);
      expect(normalizeVault(vault({ softDelete: { state: "alwayson" } })).vault?.softDelete.state).toBe("AlwaysOn");
    });
    it("rejects unknown states", () => {
      expect(errors(validateVault(vault({ softDelete: { state: "On" } })))).toEqual(["vault/soft-delete-state"]);
    });
  });

  describe("immutability", () => {
    it.each(["Disabled", "Unlocked"])("accepts %s silently", (immutability) => {
      expect(validateVault(vault({ immutability }))).toEqual([]);
    });
    it("warns that Locked is irreversible", () => {
      expect(warnings(validateVault(vault({ immutability: "Locked" })))).toEqual(["vault/immutability-locked"]);
    });
    it("rejects unknown states", () => {
      expect(errors(validateVault(vault({ immutability: "ReadOnly" })))).toEqual(["vault/immutability"]);
    });
  });

  it("warns about properties it does not know, with a suggestion", () => {
    const d = only(validateVault({ ...vault(), redundency: "GeoRedundant" } as VaultArgs), "input/unknown-property");
    expect(d.path).toBe("redundency");
    expect(d.message).toContain("did you mean 'redundancy'?");
  });

  it("refuses a normalised vault when there are errors", () => {
    const result = normalizeVault(vault({ name: "x" }));
    expect(result.vault).toBeUndefined();
    expect(errors(result.diagnostics)).toEqual(["vault/name"]);
  });
});
