import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_PROFILE, limitProfiles, validatePolicy, validateProtectedVm, type LimitKey } from "../../src";
import { errors, only, vm, warnings } from "./helpers";

describe("limit profiles", () => {
  it("has the seeds' stack-v2-2018 profile as the default, plus classic-2015 and azure-2025", () => {
    expect(DEFAULT_PROFILE).toBe("stack-v2-2018");
    expect(Object.keys(limitProfiles).sort()).toEqual(["azure-2025", "classic-2015", "stack-v2-2018"]);
  });

  it("gives every limit of every profile a value and a non-empty source", () => {
    const keys = Object.keys(limitProfiles["stack-v2-2018"]!.limits).sort();
    for (const profile of Object.values(limitProfiles)) {
      expect(Object.keys(profile.limits).sort()).toEqual(keys);
      for (const [key, spec] of Object.entries(profile.limits)) {
        expect({ key, hasSource: spec.source.length > 10 }).toEqual({ key, hasSource: true });
      }
    }
  });

  it.each([
    ["stack-v2-2018", 16, 4095, 1000],
    ["classic-2015", 16, 1023, 100],
    ["azure-2025", 32, 32767, 1000],
  ])("%s: %i data disks, %i GB per disk, %i VMs per vault", (name, disks, diskGb, vmsPerVault) => {
    const limits = limitProfiles[name]!.limits;
    expect([limits.dataDisksPerVm.value, limits.diskSizeGb.value, limits.vmsPerVault.value]).toEqual([disks, diskGb, vmsPerVault]);
  });

  it("cites the 2015-2018 documentation for the default profile's headline limits", () => {
    const limits = limitProfiles["stack-v2-2018"]!.limits;
    expect(limits.dataDisksPerVm.source).toContain("includes/azure-backup-limits.md");
    expect(limits.diskSizeGb.source).toContain("backup-upgrade-to-vm-backup-stack-v2.md");
    expect(limits.vmsPerSchedule.source).toContain("99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md");
    expect(limits.vmsPerSchedule.severity).toBe("error");
    expect(limitProfiles["azure-2025"]!.limits.vmsPerSchedule.severity).toBe("warning");
  });

  it("decides the rule by profile: 20 data disks fail on stack-v2-2018 and pass on azure-2025", () => {
    const args = { vm: vm("big", 20), vault: { location: "westeurope" } };
    expect(errors(validateProtectedVm(args))).toEqual(["vm/data-disk-count"]);
    expect(errors(validateProtectedVm(args, { profile: "azure-2025" }))).toEqual([]);
  });

  it("azure-2025 warns at 32 data disks (the docs do not say whether the OS disk counts) and fails at 33", () => {
    const at32 = validateProtectedVm({ vm: vm("big", 32), vault: { location: "westeurope" } }, { profile: "azure-2025" });
    expect(errors(at32)).toEqual([]);
    expect(warnings(at32)).toEqual(["vm/data-disk-count-boundary"]);
    const at31 = validateProtectedVm({ vm: vm("big", 31), vault: { location: "westeurope" } }, { profile: "azure-2025" });
    expect(warnings(at31)).toEqual([]);
    const at33 = validateProtectedVm({ vm: vm("big", 33), vault: { location: "westeurope" } }, { profile: "azure-2025" });
    expect(errors(at33)).toEqual(["vm/data-disk-count"]);
  });

  it("applies a per-limit override and names it in the diagnostic", () => {
    const args = { vm: vm("big", 20), vault: { location: "westeurope" } };
    expect(errors(validateProtectedVm(args, { limits: { dataDisksPerVm: 24 } }))).toEqual([]);
    const d = only(validateProtectedVm(args, { limits: { dataDisksPerVm: 18 } }), "vm/data-disk-count");
    expect(d.limit).toEqual({ key: "dataDisksPerVm", value: 18, profile: "override" });
    expect(d.source).toContain("override options.limits.dataDisksPerVm");
    expect(d.source).toContain("profile stack-v2-2018: 16");
  });

  it("combines a profile and an override", () => {
    const args = { vm: vm("big", 33), vault: { location: "westeurope" } };
    expect(errors(validateProtectedVm(args, { profile: "azure-2025", limits: { dataDisksPerVm: 64 } }))).toEqual([]);
  });

  it("reports an unknown profile, suggests the right one, and falls back to the default", () => {
    const diagnostics = validatePolicy({}, { profile: "azure-2052" });
    const d = only(diagnostics, "options/profile-unknown");
    expect(d.path).toBe("options.profile");
    expect(d.message).toContain("did you mean 'azure-2025'?");
    expect(d.remedy).toContain("stack-v2-2018");
  });

  it("reports unknown limit names and wrongly typed overrides", () => {
    const diagnostics = validatePolicy({}, { limits: { dataDiskPerVm: 3, diskSizeGb: -1, minimumWindowsServer: "2003" } as never });
    expect(errors(diagnostics)).toEqual(["options/limit-unknown", "options/limit-type", "options/limit-type"]);
    expect(only(diagnostics, "options/limit-unknown").message).toContain("did you mean 'dataDisksPerVm'?");
  });

  it("accepts null to lift a nullable limit", () => {
    expect(errors(validatePolicy({}, { limits: { vmSizeGb: null } }))).toEqual([]);
  });

  it("lets a team change a rule's severity or silence it", () => {
    const args = { vm: vm("big", 17), vault: { location: "westeurope" } };
    expect(warnings(validateProtectedVm(args, { severities: { "vm/data-disk-count": "warning" } }))).toEqual(["vm/data-disk-count"]);
    expect(validateProtectedVm(args, { severities: { "vm/data-disk-count": "off" } })).toEqual([]);
  });

  it("every limit key is referenced by some rule", () => {
    // A limit nobody reads would be dead data; keep the profile and the rules in step.
    const dir = join(__dirname, "../../src/rules");
    const code = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && f !== "profiles.ts")
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    const unused = (Object.keys(limitProfiles["stack-v2-2018"]!.limits) as LimitKey[]).filter((k) => !code.includes(`"${k}"`));
    expect(unused).toEqual([]);
  });
});
