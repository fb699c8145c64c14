import { analyzePlan, checkPlan, type Plan, type PlanPolicy, type PlanVm } from "../../src";
import { bySeverity, errors, only, planVm, SUB, vm, vmId, warnings } from "./helpers";

const VAULT = { name: "rsv-weu", location: "westeurope", subscriptionId: SUB };
const daily = (name: string, time: string, extra: Partial<PlanPolicy> = {}): PlanPolicy => ({
  vault: "rsv-weu",
  name,
  schedule: { frequency: "Daily", time },
  retention: { daily: { count: 30 } },
  ...extra,
});
const vms = (count: number, policy: string, prefix = policy, vault = "rsv-weu"): PlanVm[] =>
  Array.from({ length: count }, (_, i) => planVm(`${prefix}-${i}`, policy, vault));
const plan = (policies: PlanPolicy[], list: PlanVm[], extra: Partial<Plan> = {}): Plan => ({ vaults: [VAULT], policies, vms: list, ...extra });

describe("checkPlan", () => {
  it("accepts a valid plan", () => {
    expect(checkPlan(plan([daily("pol1", "20:30")], vms(3, "pol1")))).toEqual([]);
  });

  describe("VMs per schedule in one vault: 100 (seed 001)", () => {
    it("accepts 100 VMs starting together", () => {
      expect(errors(checkPlan(plan([daily("pol1", "20:30")], vms(100, "pol1"))))).toEqual([]);
    });
    it("rejects 101, naming the vault, the schedule, the count and the limit, at the 101st VM", () => {
      const d = only(checkPlan(plan([daily("pol1", "20:30")], vms(101, "pol1"))), "plan/vms-per-schedule");
      expect(d.severity).toBe("error");
      expect(d.path).toBe("vms[100].policy");
      expect(d.message).toContain("Vault 'rsv-weu'");
      expect(d.message).toContain("101 VMs start their backup at 20:30 UTC every day");
      expect(d.message).toContain("policy 'pol1' (daily at 20:30 UTC: 101 VMs)");
      expect(d.message).toContain("at most 100 VMs");
      expect(d.limit).toEqual({ key: "vmsPerSchedule", value: 100, profile: "stack-v2-2018" });
      expect(d.source).toContain("Don't schedule backups for more than 100 VMs from one vault");
    });
    it("counts VMs across policies that start at the same time", () => {
      const policies = [daily("pol1", "20:30"), daily("pol2", "20:30")];
      expect(errors(checkPlan(plan(policies, [...vms(50, "pol1"), ...vms(50, "pol2")])))).toEqual([]);
      const d = only(checkPlan(plan(policies, [...vms(50, "pol1"), ...vms(51, "pol2")])), "plan/vms-per-schedule");
      expect(d.message).toContain("policies 'pol1' (daily at 20:30 UTC: 50 VMs) and 'pol2' (daily at 20:30 UTC: 51 VMs)");
    });
    it("blames the VM that takes the count over the limit in the plan's order, when the policies' VMs are interleaved", () => {
      // VMs of two policies that start together, alternating in the plan: the 101st VM of the plan (vms[100]) is the one over
      // the limit, whichever policy it is on; grouping VMs by policy must not change which one is blamed.
      const policies = [daily("pol1", "20:30"), daily("pol2", "20:30")];
      const a = vms(60, "pol1");
      const b = vms(60, "pol2");
      const interleaved = a.flatMap((vm, i) => [vm, b[i]!]);
      const d = only(checkPlan(plan(policies, interleaved)), "plan/vms-per-schedule");
      expect(d.path).toBe("vms[100].policy");
      expect(d.message).toContain("120 VMs start their backup at 20:30 UTC");
    });
    it("does not count policies that start at other times", () => {
      const policies = [daily("pol1", "20:30"), daily("pol2", "21:00")];
      expect(errors(checkPlan(plan(policies, [...vms(100, "pol1"), ...vms(100, "pol2")])))).toEqual([]);
    });
    it("compares start times in UTC: 20:30 in India is not 20:30 in UTC", () => {
      const policies = [daily("pol1", "20:30"), daily("pol2", "20:30", { timeZone: "India Standard Time" })];
      expect(errors(checkPlan(plan(policies, [...vms(60, "pol1"), ...vms(60, "pol2")])))).toEqual([]);
    });
    it("counts 02:00 India Standard Time with 20:30 UTC the day before", () => {
      const policies = [daily("pol1", "20:30"), daily("pol2", "02:00", { timeZone: "India Standard Time" })];
      const d = only(checkPlan(plan(policies, [...vms(60, "pol1"), ...vms(41, "pol2")])), "plan/vms-per-schedule");
      expect(d.message).toContain("20:30 UTC every day");
    });
    it("does not follow daylight saving time: 21:30 Berlin time may be 20:30 UTC all year", () => {
      // Azure Backup keeps one UTC time all year (support matrix, "Daylight saving time support"); whether at
      // CET (+1, 20:30 UTC) or CEST (+2, 19:30 UTC) is not documented, so the crowd is possible.
      const policies = [daily("pol1", "20:30"), daily("pol2", "21:30", { timeZone: "W. Europe Standard Time" })];
      const d = only(checkPlan(plan(policies, [...vms(60, "pol1"), ...vms(41, "pol2")])), "plan/vms-per-schedule");
      expect(d.message).toContain("101 VMs start their backup at 20:30 UTC every day, from policies");
      expect(d.message).toContain("not adjusted for daylight saving time, and does not document which offset of W. Europe Standard Time it keeps");
      expect(d.message).toContain("daily at 21:30 W. Europe Standard Time: 41 VMs");
    });
    it("counts two zones at their fixed offsets together, though their daylight saving seasons never let them meet", () => {
      // 21:00 in Berlin and 06:00 in Sydney are both 20:00 UTC at their standard offsets (CET +1, AEST +10) and
      // both 19:00 UTC at their daylight-saving ones (CEST +2, AEDT +11). Applying daylight saving time they never
      // meet, since Berlin is on CET while Sydney is on AEDT and the other way round. Azure keeps each at one
      // offset all year, so they may start together every day.
      const policies = [daily("berlin", "21:00", { timeZone: "W. Europe Standard Time" }), daily("sydney", "06:00", { timeZone: "AUS Eastern Standard Time" })];
      const d = only(checkPlan(plan(policies, [...vms(60, "berlin"), ...vms(41, "sydney")])), "plan/vms-per-schedule");
      expect(d.message).toContain("101 VMs start their backup at 19:00 / 20:00 UTC every day, from policies");
      expect(d.message).toContain("which offset of AUS Eastern Standard Time and W. Europe Standard Time it keeps");
      expect(errors(checkPlan(plan(policies, [...vms(60, "berlin"), ...vms(40, "sydney")])))).toEqual([]);
    });
    it("keeps the policies of one zone at one offset: 20:00 and 21:00 Berlin time never start together", () => {
      const cet = { timeZone: "W. Europe Standard Time" };
      const policies = [daily("web", "20:00", cet), daily("app", "21:00", cet)];
      expect(errors(checkPlan(plan(policies, [...vms(60, "web"), ...vms(50, "app")])))).toEqual([]);
    });
    it("counts a zone without daylight saving time at its one offset, without a condition", () => {
      const policies = [daily("pol1", "20:30"), daily("pol2", "02:00", { timeZone: "India Standard Time" })];
      const d = only(checkPlan(plan(policies, [...vms(60, "pol1"), ...vms(41, "pol2")])), "plan/vms-per-schedule");
      expect(d.message).not.toContain("does not document which offset");
    });
    it("counts a weekly policy only on its days", () => {
      const weekly = (name: string, day: string): PlanPolicy => ({
        vault: "rsv-weu",
        name,
        schedule: { frequency: "Weekly", time: "20:30", weekdays: [day] },
        retention: { weekly: { count: 8, weekdays: [day] } },
      });
      expect(errors(checkPlan(plan([weekly("mon", "Monday"), weekly("tue", "Tuesday")], [...vms(60, "mon"), ...vms(60, "tue")])))).toEqual([]);
      const d = only(checkPlan(plan([daily("pol1", "20:30"), weekly("sun", "Sunday")], [...vms(60, "pol1"), ...vms(41, "sun")])), "plan/vms-per-schedule");
      expect(d.message).toContain("20:30 UTC on Sunday");
    });
    it("counts every start of an hourly policy", () => {
      const hourly: PlanPolicy = {
        vault: "rsv-weu",
        name: "hourly",
        policyType: "V2",
        schedule: { frequency: "Hourly", time: "08:00", hourInterval: 4, hourWindow: 12 },
        retention: { daily: { count: 30 } },
      };
      expect(errors(checkPlan(plan([hourly, daily("pol1", "20:00")], [...vms(60, "hourly"), ...vms(60, "pol1")])))).toEqual([]);
      const d = only(checkPlan(plan([hourly, daily("pol1", "16:00")], [...vms(60, "hourly"), ...vms(60, "pol1")])), "plan/vms-per-schedule");
      expect(d.message).toContain("16:00 UTC");
    });
    it("counts each vault on its own", () => {
      const twoVaults: Plan = {
        vaults: [VAULT, { ...VAULT, name: "rsv-weu-2" }],
        policies: [daily("pol1", "20:30"), { ...daily("pol1", "20:30"), vault: "rsv-weu-2" }],
        vms: [...vms(100, "pol1", "a"), ...vms(100, "pol1", "b", "rsv-weu-2")],
      };
      expect(errors(checkPlan(twoVaults))).toEqual([]);
    });
    it("counts VMs already protected in the vault", () => {
      const existingItems = Array.from({ length: 60 }, (_, i) => ({ vmId: vmId(`old-${i}`), vault: "rsv-weu", policy: "pol1" }));
      const d = only(checkPlan(plan([daily("pol1", "20:30")], vms(41, "pol1"), { existingItems })), "plan/vms-per-schedule");
      expect(d.message).toContain("101 VMs");
      expect(d.path).toBe("vms[40].policy");
    });
    it("counts VMs already protected with the vault's DefaultPolicy (daily at 20:30)", () => {
      const existingItems = Array.from({ length: 60 }, (_, i) => ({ vmId: vmId(`old-${i}`), vault: "rsv-weu", policy: "DefaultPolicy" }));
      expect(errors(checkPlan(plan([daily("pol1", "20:30")], vms(40, "pol1"), { existingItems })))).toEqual([]);
      expect(errors(checkPlan(plan([daily("pol1", "20:30")], vms(41, "pol1"), { existingItems })))).toEqual(["plan/vms-per-schedule"]);
    });
    it("is a warning in the azure-2025 profile (a retired best practice)", () => {
      const diagnostics = checkPlan(plan([daily("pol1", "20:30")], vms(101, "pol1")), { profile: "azure-2025" });
      expect(errors(diagnostics)).toEqual([]);
      expect(warnings(diagnostics)).toEqual(["plan/vms-per-policy", "plan/vms-per-schedule"]);
    });
    it("reports the busiest start in the vault summary", () => {
      const report = analyzePlan(plan([daily("pol1", "20:30"), daily("pol2", "03:00")], [...vms(7, "pol1"), ...vms(3, "pol2")]));
      expect(report.vaults[0]?.busiestStart).toEqual({
        vms: 7,
        timeUtc: "20:30",
        weekdays: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
      });
    });
  });

  describe("VMs per vault", () => {
    const spread = (count: number) => {
      const policies = Array.from({ length: 11 }, (_, i) => daily(`pol${i}`, `${String(i).padStart(2, "0")}:00`));
      return plan(
        policies,
        Array.from({ length: count }, (_, i) => planVm(`vm-${i}`, `pol${i % 11}`)),
      );
    };
    it("accepts 1000 and rejects 1001 (stack-v2-2018)", () => {
      expect(errors(checkPlan(spread(1000)))).toEqual([]);
      const d = only(checkPlan(spread(1001)), "plan/vms-per-vault");
      expect(d.path).toBe("vms[1000].vault");
      expect(d.message).toContain("1001 VMs");
    });
    it("moves with the limit (classic-2015 has 100 per vault)", () => {
      expect(errors(checkPlan(spread(101), { limits: { vmsPerVault: 100 } }))).toEqual(["plan/vms-per-vault"]);
      expect(errors(checkPlan(spread(100), { limits: { vmsPerVault: 100 } }))).toEqual([]);
    });
  });

  describe("unmanaged disks per storage account per schedule: 20 (seed 001)", () => {
    const unmanaged = (name: string, policy: string, disks: number, account = "sa1"): PlanVm => ({
      ...planVm(name, policy),
      osDisk: { sizeGb: 64, managed: false, storageAccount: account },
      dataDisks: Array.from({ length: disks }, (_, lun) => ({ lun, sizeGb: 64, managed: false, storageAccount: account })),
    });
    it("accepts 20 disks of one account on one schedule", () => {
      expect(errors(checkPlan(plan([daily("pol1", "20:30")], [unmanaged("a", "pol1", 9), unmanaged("b", "pol1", 9)])))).toEqual([]);
    });
    it("rejects 21, naming the account", () => {
      const d = only(
        checkPlan(plan([daily("pol1", "20:30")], [unmanaged("a", "pol1", 9), unmanaged("b", "pol1", 10)])),
        "plan/unmanaged-disks-per-storage-account",
      );
      expect(d.message).toContain("21 unmanaged disks of storage account 'sa1'");
      expect(d.path).toBe("vms[1].dataDisks[9].storageAccount");
    });
    it("accepts 21 spread over two schedules or two accounts, or with a disk excluded", () => {
      const policies = [daily("pol1", "20:30"), daily("pol2", "22:00")];
      expect(errors(checkPlan(plan(policies, [unmanaged("a", "pol1", 9), unmanaged("b", "pol2", 10)])))).toEqual([]);
      expect(errors(checkPlan(plan(policies, [unmanaged("a", "pol1", 9), unmanaged("b", "pol1", 10, "sa2")])))).toEqual([]);
      expect(errors(checkPlan(plan(policies, [unmanaged("a", "pol1", 9), { ...unmanaged("b", "pol1", 10), excludeDiskLuns: [0] }])))).toEqual([]);
    });
  });

  describe("policies per vault: 200", () => {
    const many = (n: number) =>
      plan(
        Array.from({ length: n }, (_, i) => daily(`policy-${i}`, "20:30")),
        [],
      );
    it("accepts 200 and rejects 201", () => {
      expect(errors(checkPlan(many(200)))).toEqual([]);
      expect(only(checkPlan(many(201)), "plan/policies-per-vault").path).toBe("policies[200]");
    });
  });

  describe("one vault and one policy per VM", () => {
    it("rejects a VM listed twice (ids compared case-insensitively)", () => {
      const twice = [planVm("a", "pol1"), { ...planVm("a", "pol1"), id: vmId("a").toUpperCase() }];
      const d = only(checkPlan(plan([daily("pol1", "20:30")], twice)), "plan/duplicate-vm");
      expect(d.path).toBe("vms[1].id");
    });
    it("rejects a VM already protected in another vault", () => {
      const d = only(
        checkPlan(plan([daily("pol1", "20:30")], [planVm("a", "pol1")], { existingItems: [{ vmId: vmId("a"), vault: "rsv-old" }] })),
        "plan/vm-in-other-vault",
      );
      expect(d.path).toBe("vms[0].vault");
      expect(d.message).toContain("rsv-old");
    });
    it("explains a policy change of a VM already protected in the vault", () => {
      const diagnostics = checkPlan(
        plan([daily("pol1", "20:30")], [planVm("a", "pol1")], { existingItems: [{ vmId: vmId("a"), vault: "rsv-weu", policy: "old" }] }),
      );
      expect(bySeverity(diagnostics, "info")).toEqual(["plan/vm-policy-change"]);
    });
  });

  describe("references", () => {
    it("rejects an unknown vault with a suggestion", () => {
      const d = only(checkPlan(plan([daily("pol1", "20:30")], [planVm("a", "pol1", "rsv-wue")])), "plan/vault-unknown");
      expect(d.path).toBe("vms[0].vault");
      expect(d.message).toContain("did you mean 'rsv-weu'?");
    });
    it("rejects an unknown policy with a suggestion", () => {
      const d = only(checkPlan(plan([daily("daily-2030", "20:30")], [planVm("a", "daily-2003")])), "plan/policy-unknown");
      expect(d.message).toContain("did you mean 'daily-2030'?");
    });
    it("knows every vault's DefaultPolicy (the seeds' default policy)", () => {
      expect(errors(checkPlan(plan([], [planVm("a", "DefaultPolicy")])))).toEqual([]);
    });
    it("rejects duplicate vaults and policies", () => {
      const diagnostics = checkPlan({ vaults: [VAULT, VAULT], policies: [daily("pol1", "20:30"), daily("POL1", "21:00")], vms: [] });
      expect(errors(diagnostics)).toEqual(["plan/duplicate-vault", "plan/duplicate-policy"]);
    });
    it("rejects a policy in an unknown vault", () => {
      expect(errors(checkPlan(plan([{ ...daily("pol1", "20:30"), vault: "nope" }], [])))).toEqual(["plan/vault-unknown"]);
    });
  });

  it("checks every VM against its vault's region and its policy's type", () => {
    const ultra = { ...planVm("a", "pol1"), location: "eastus", dataDisks: [{ lun: 0, sizeGb: 64, storageType: "UltraSSD_LRS" }] };
    const diagnostics = checkPlan(plan([daily("pol1", "20:30")], [ultra]));
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.path])).toEqual([
      ["vm/location", "vms[0].location"],
      ["vm/disk-needs-enhanced-policy", "vms[0].dataDisks[0].storageType"],
    ]);
  });

  it("reports every policy and vault problem under its path in the plan", () => {
    const diagnostics = checkPlan({
      vaults: [{ ...VAULT, redundancy: "LRS" }],
      policies: [daily("pol1", "20:15")],
      vms: [{ ...planVm("a", "pol1"), dataDisks: Array.from({ length: 17 }, (_, lun) => ({ lun, sizeGb: 8 })) }],
    });
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.path)).toEqual([
      "vaults[0].redundancy",
      "policies[0].schedule.time",
      "vms[0].dataDisks[16]",
    ]);
  });

  describe("security type in a plan file", () => {
    const UAE = { name: "rsv-uae", location: "uaenorth", subscriptionId: SUB, redundancy: "GeoRedundant", crossRegionRestore: true };
    const cvm = (policy: string) => planVm("cvm", policy, "rsv-uae", { location: "uaenorth", securityType: "ConfidentialVM" });
    it("accepts Trusted Launch VMs on the vault's DefaultPolicy, with a note", () => {
      const diagnostics = checkPlan(plan([], [planVm("tl", "DefaultPolicy", "rsv-weu", { securityType: "TrustedLaunch" })]));
      expect(diagnostics.map((d) => [d.severity, d.code, d.path])).toEqual([["info", "vm/trusted-launch-standard-policy", "vms[0].securityType"]]);
    });
    it("refuses a Confidential VM on a standard policy and warns about its vault's cross-region restore", () => {
      const diagnostics = checkPlan({ vaults: [UAE], policies: [], vms: [cvm("DefaultPolicy")] });
      expect(errors(diagnostics)).toEqual(["vm/confidential-needs-enhanced-policy"]);
      expect(warnings(diagnostics)).toEqual(["vm/confidential-preview", "vm/confidential-cross-region-restore"]);
      const v2 = checkPlan({ vaults: [UAE], policies: [daily("enhanced", "20:30", { vault: "rsv-uae", policyType: "V2" })], vms: [cvm("enhanced")] });
      expect(errors(v2)).toEqual([]);
    });
  });

  describe("backup window (seed 001: 160 Mbps initial, 640 Mbps incremental, 24 hours)", () => {
    const withUsed = (usedGb: number, sizeGb = 4095) => ({ ...planVm("a", "pol1"), dataDisks: [{ lun: 0, sizeGb, usedGb }] });
    it("warns when the first backup takes longer than 24 hours", () => {
      expect(warnings(checkPlan(plan([daily("pol1", "20:30")], [withUsed(1500)])))).toEqual([]);
      const d = only(checkPlan(plan([daily("pol1", "20:30")], [withUsed(2000)])), "plan/initial-backup-window");
      expect(d.message).toContain("about 29.8 hours");
      expect(d.path).toBe("vms[0]");
    });
    it("warns when a fully changed disk cannot be sent within the window (azure-2025 disks)", () => {
      const options = { profile: "azure-2025" };
      expect(warnings(checkPlan(plan([daily("pol1", "20:30")], [withUsed(4800, 8192)]), options))).toEqual(["plan/initial-backup-window"]);
      expect(warnings(checkPlan(plan([daily("pol1", "20:30")], [withUsed(4900, 8192)]), options))).toEqual([
        "plan/initial-backup-window",
        "plan/incremental-backup-window",
      ]);
    });
  });

  it("estimates every VM and sums them per vault", () => {
    const report = analyzePlan(plan([daily("pol1", "20:30")], [planVm("a", "pol1"), planVm("b", "pol1")]));
    expect(report.vms.map((v) => [v.name, v.protectedInstanceGb, v.billing])).toEqual([
      ["a", 22, { tier: "small", units: 1 }],
      ["b", 22, { tier: "small", units: 1 }],
    ]);
    expect(report.vaults).toEqual([
      expect.objectContaining({ name: "rsv-weu", location: "westeurope", vms: 2, policies: 1, protectedInstanceGb: 44, billingUnits: 2, smallInstances: 2 }),
    ]);
  });

  it("rejects a plan that is not one", () => {
    expect(errors(checkPlan(undefined as never))).toEqual(["input/required"]);
    expect(errors(checkPlan({ vaults: {}, policies: [], vms: [] } as never))).toEqual(["input/type"]);
  });

  it("handles a VM vault-less or policy-less without throwing", () => {
    const loose = { ...vm("a"), policy: "pol1" } as unknown as PlanVm;
    expect(errors(checkPlan(plan([daily("pol1", "20:30")], [loose])))).toEqual(["input/required"]);
  });
});
