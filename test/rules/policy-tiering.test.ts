import { checkPlan, normalizePolicy, UNKNOWN_SENTINEL, validatePolicy, validateProtectedVm, type PolicyArgs } from "../../src";
import { errors, only, SUB, vm, warnings } from "./helpers";

/** Daily points kept 30 days, monthly ones `months` months (first Sunday), yearly ones `years` years (January) when given. */
const longTerm = (months?: number, years?: number, extra: Partial<PolicyArgs> = {}): PolicyArgs => ({
  name: "archive",
  schedule: { frequency: "Daily", time: "20:30" },
  retention: {
    daily: { count: 30 },
    ...(months === undefined ? {} : { monthly: { count: months, weekdays: ["Sunday"], weeks: ["First"] } }),
    ...(years === undefined ? {} : { yearly: { count: years, months: ["January"], weekdays: ["Sunday"], weeks: ["First"] } }),
  },
  ...extra,
});

describe("policy tiering (archive tier)", () => {
  it("accepts smart tiering (TierRecommended) on monthly retention of 9 months or more, in any case", () => {
    const { policy, diagnostics } = normalizePolicy(longTerm(12, undefined, { tiering: { mode: "tierrecommended" } }));
    expect(errors(diagnostics)).toEqual([]);
    expect(warnings(diagnostics)).toEqual([]);
    expect(policy?.tiering).toEqual({ mode: "TierRecommended" });
  });
  it("canonicalises TierAfter, defaulting the unit to months, and notes its cost", () => {
    const { policy, diagnostics } = normalizePolicy(longTerm(60, 10, { tiering: { mode: "TierAfter", duration: 6 } }));
    expect(errors(diagnostics)).toEqual([]);
    expect(policy?.tiering).toEqual({ mode: "TierAfter", duration: 6, durationType: "Months" });
    const note = only(diagnostics, "policy/tiering-after-cost");
    expect(note.severity).toBe("info");
    expect(note.source).toContain("can increase your overall costs");
  });
  it("writes DoNotTier as no tiering, so that it diffs like an omitted tiering", () => {
    expect(normalizePolicy(longTerm(12, undefined, { tiering: { mode: "DoNotTier" } })).policy).toEqual(normalizePolicy(longTerm(12)).policy);
  });
  it("refuses an unknown mode with a suggestion", () => {
    const d = only(validatePolicy(longTerm(12, undefined, { tiering: { mode: "TierAftr" } })), "policy/tiering-mode");
    expect(d.path).toBe("tiering.mode");
    expect(d.message).toContain("did you mean 'TierAfter'?");
  });
  it("needs a duration for TierAfter and none for the other modes", () => {
    expect(only(validatePolicy(longTerm(12, undefined, { tiering: { mode: "TierAfter" } })), "policy/tiering-duration").path).toBe("tiering.duration");
    const d = only(validatePolicy(longTerm(12, undefined, { tiering: { mode: "TierRecommended", duration: 4 } })), "policy/tiering-duration");
    expect(d.path).toBe("tiering.duration");
    expect(d.message).toContain("TierRecommended takes no duration");
  });
  it.each<[number, string]>([
    [2, "Months"],
    [89, "Days"],
    [12, "Weeks"],
  ])("refuses tiering after %s %s: points spend at least 3 months in the standard tier", (duration, durationType) => {
    const d = only(validatePolicy(longTerm(60, undefined, { tiering: { mode: "TierAfter", duration, durationType } })), "policy/tiering-duration");
    expect(d.message).toContain("at least 3 months in the standard tier");
    expect(d.source).toContain("must range from 3 to (Retention - 6) months");
  });
  it("accepts 90 days and 1 year", () => {
    expect(errors(validatePolicy(longTerm(60, undefined, { tiering: { mode: "TierAfter", duration: 90, durationType: "days" } })))).toEqual([]);
    expect(errors(validatePolicy(longTerm(60, undefined, { tiering: { mode: "TierAfter", duration: 1, durationType: "Years" } })))).toEqual([]);
  });
  it("needs monthly or yearly retention: daily and weekly points never move", () => {
    const d = only(validatePolicy(longTerm(undefined, undefined, { tiering: { mode: "TierRecommended" } })), "policy/tiering-needs-long-term-retention");
    expect(d.severity).toBe("error");
    expect(d.path).toBe("tiering");
    expect(d.source).toContain("only monthly and yearly recovery points");
  });
  it("refuses tiering where no point would have 6 months of retention left when it could move", () => {
    // TierAfter 6 months: monthly points kept 11 months have 5 left.
    const d = only(validatePolicy(longTerm(11, undefined, { tiering: { mode: "TierAfter", duration: 6 } })), "policy/tiering-never-moves");
    expect(d.message).toContain("at least 12 months; the longest here is 11 months");
    expect(d.remedy).toContain("duration 3 to 5 months");
    // Smart tiering: 3 months in the standard tier + 6 months left = 9.
    expect(only(validatePolicy(longTerm(8, undefined, { tiering: { mode: "TierRecommended" } })), "policy/tiering-never-moves").message).toContain(
      "at least 9 months",
    );
    expect(errors(validatePolicy(longTerm(9, undefined, { tiering: { mode: "TierRecommended" } })))).toEqual([]);
    expect(errors(validatePolicy(longTerm(12, undefined, { tiering: { mode: "TierAfter", duration: 6 } })))).toEqual([]);
  });
  it("warns about the block whose points would never move when another block's do", () => {
    const diagnostics = validatePolicy(longTerm(6, 5, { tiering: { mode: "TierRecommended" } }));
    expect(errors(diagnostics)).toEqual([]);
    const d = only(diagnostics, "policy/tiering-block-never-moves");
    expect(d.severity).toBe("warning");
    expect(d.path).toBe("retention.monthly.count");
    expect(d.message).toContain("monthly recovery points (kept 6 months) would never move");
  });
  it("judges nothing unknown", () => {
    expect(validatePolicy(longTerm(12, undefined, { tiering: { mode: UNKNOWN_SENTINEL, duration: 2 } }))).toEqual([]);
    expect(normalizePolicy(longTerm(12, undefined, { tiering: UNKNOWN_SENTINEL as unknown as PolicyArgs["tiering"] })).policy).toBeUndefined();
  });
});

describe("snapshot consistency (crash-consistent snapshots)", () => {
  const v2 = (extra: Partial<PolicyArgs> = {}): PolicyArgs => longTerm(undefined, undefined, { policyType: "V2", ...extra });
  it("keeps OnlyCrashConsistent on an enhanced (V2) policy and writes Default as nothing", () => {
    expect(normalizePolicy(v2({ snapshotConsistency: "onlycrashconsistent" })).policy?.snapshotConsistency).toBe("OnlyCrashConsistent");
    expect(normalizePolicy(v2({ snapshotConsistency: "Default" })).policy).toEqual(normalizePolicy(v2()).policy);
  });
  it("refuses OnlyCrashConsistent on a standard (V1) policy", () => {
    const d = only(validatePolicy(longTerm(undefined, undefined, { snapshotConsistency: "OnlyCrashConsistent" })), "policy/crash-consistent-needs-enhanced");
    expect(d.path).toBe("snapshotConsistency");
    expect(d.source).toContain("Enhanced VM backup policy only");
    expect(d.remedy).toContain('policyType to "V2"');
  });
  it("refuses another value", () => {
    expect(only(validatePolicy(v2({ snapshotConsistency: "CrashConsistent" })), "policy/snapshot-consistency").path).toBe("snapshotConsistency");
  });
});

describe("a crash-consistent policy and the VM's disks", () => {
  const crash: PolicyArgs = { policyType: "V2", snapshotConsistency: "OnlyCrashConsistent" };
  const vault = { name: "rsv-weu", location: "westeurope", subscriptionId: SUB };
  it("refuses a VM with an Ultra or Premium SSD v2 disk", () => {
    const ultra = vm("vm1", 2, 128);
    ultra.dataDisks[1]!.storageType = "UltraSSD_LRS";
    const d = only(validateProtectedVm({ vm: ultra, vault, policy: crash }), "vm/crash-consistent-disk");
    expect(d.path).toBe("vm.dataDisks[1].storageType");
    expect(d.message).toContain("does not support Ultra disks");
    expect(d.source).toContain("Premium SSD v2, Ephemeral OS disks, Shared disks");
    const v2disk = vm("vm2", 0, 128, { osDisk: { sizeGb: 64, storageType: "PremiumV2_LRS" } });
    expect(only(validateProtectedVm({ vm: v2disk, vault, policy: crash }), "vm/crash-consistent-disk").path).toBe("vm.osDisk.storageType");
  });
  it("accepts the same VM on an application-consistent enhanced policy, and Premium SSD disks on a crash-consistent one", () => {
    const ultra = vm("vm1", 1, 128);
    ultra.dataDisks[0]!.storageType = "UltraSSD_LRS";
    expect(errors(validateProtectedVm({ vm: ultra, vault, policy: { policyType: "V2" } }))).toEqual([]);
    expect(errors(validateProtectedVm({ vm: vm("vm3"), vault, policy: crash }))).toEqual([]);
  });
  it("is checked in a plan against the VM's policy", () => {
    const ultra = { ...vm("vm1", 1, 128), vault: "rsv-weu", policy: "crash" };
    ultra.dataDisks[0]!.storageType = "PremiumV2_LRS";
    const diagnostics = checkPlan({
      vaults: [vault],
      policies: [{ ...longTerm(undefined, undefined, crash), vault: "rsv-weu", name: "crash" }],
      vms: [ultra],
    });
    const d = only(diagnostics, "vm/crash-consistent-disk");
    expect(d.path).toBe("vms[0].dataDisks[0].storageType");
    expect(d.message).toContain("policies[0].snapshotConsistency");
  });
});
