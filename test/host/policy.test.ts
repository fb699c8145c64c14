import { hostWorld, SUB, UNKNOWN, type HostWorld } from "./harness";

const BASE = { resourceGroupName: "rg-backup", vaultName: "rsv-pol", name: "daily-2030" };
const DAILY = {
  ...BASE,
  timeZone: "W. Europe Standard Time",
  schedule: { frequency: "Daily", time: "20:30" },
  retention: { daily: { count: 30 }, weekly: { count: 12, weekdays: ["sunday"] } },
};

describe("policy resource through the real provider host", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [] });
    const vault = await w.host.check("vault", { resourceGroupName: "rg-backup", name: "rsv-pol", location: "westeurope" });
    await w.host.create("vault", vault.inputs);
  });
  afterAll(async () => w.stop());

  describe("check", () => {
    it("returns the canonical policy: names spelt as Azure spells them, defaults applied", async () => {
      const { inputs, failures } = await w.host.check("policy", DAILY);
      expect(failures).toEqual([]);
      expect(inputs).toMatchObject({
        policyType: "V1",
        instantRestoreRetentionDays: 2,
        schedule: { frequency: "Daily", time: "20:30", weekdays: [] },
        retention: { daily: { count: 30 }, weekly: { count: 12, weekdays: ["Sunday"] } },
      });
    });
    it("applies the seeds' default policy when schedule and retention are omitted", async () => {
      const { inputs } = await w.host.check("policy", BASE);
      expect(inputs).toMatchObject({ schedule: { frequency: "Daily", time: "20:30" }, retention: { daily: { count: 180 } } });
    });
    it("reports every broken rule with its property path", async () => {
      const { failures } = await w.host.check("policy", {
        ...BASE,
        schedule: { frequency: "Hourly", time: "20:15", hourInterval: 5, hourWindow: 16 },
        retention: { daily: { count: 6 } },
      });
      expect(failures.map((f) => f.property)).toEqual(["schedule.time", "schedule.frequency", "schedule.hourInterval", "retention.daily.count"]);
      expect(failures[1]!.reason).toContain("[policy/hourly-requires-v2]");
    });
    it("uses the limit profile and overrides from stack config", async () => {
      const strict = await hostWorld({ vms: [] }, {}, { "azure-vm-backup:limits": JSON.stringify({ dailyRetentionMinDays: 40 }) });
      try {
        const { failures } = await strict.host.check("policy", DAILY);
        expect(failures.map((f) => f.property)).toEqual(["retention.daily.count"]);
        expect(failures[0]!.reason).toContain("Limit dailyRetentionMinDays = 40 (override)");
      } finally {
        await strict.stop();
      }
      const wrong = await hostWorld({ vms: [] }, {}, { "azure-vm-backup:limitProfile": "azure-2052" });
      try {
        const { failures } = await wrong.host.check("policy", DAILY);
        expect(failures.map((f) => f.property)).toEqual(["options.profile"]);
        expect(failures[0]!.reason).toContain("did you mean 'azure-2025'?");
      } finally {
        await wrong.stop();
      }
    }, 60_000);
    it("fails on the problems the program found across resources", async () => {
      const programChecks = [{ property: "name", reason: "[plan/duplicate-policy] Vault 'rsv-policy' already has a policy 'daily'." }];
      expect((await w.host.check("policy", { ...DAILY, programChecks })).failures).toEqual(programChecks);
    });
    it("judges nothing that is still unknown", async () => {
      expect((await w.host.check("policy", { ...DAILY, vaultName: UNKNOWN, schedule: { frequency: "Daily", time: UNKNOWN } })).failures).toEqual([]);
    });
  });

  describe("create, read, diff, update, delete", () => {
    let id: string;
    let outs: Record<string, unknown>;
    it("creates the policy in Azure", async () => {
      const { inputs } = await w.host.check("policy", DAILY);
      ({ id, outs } = await w.host.create("policy", inputs));
      expect(id.toLowerCase()).toBe(
        `/subscriptions/${SUB}/resourcegroups/rg-backup/providers/microsoft.recoveryservices/vaults/rsv-pol/backuppolicies/daily-2030`,
      );
      const stored = w.emulator.model.vault(SUB, "rg-backup", "rsv-pol")!.policies.find((p) => p.name === "daily-2030")!;
      expect(stored.properties).toMatchObject({ timeZone: "W. Europe Standard Time", instantRpRetentionRangeInDays: 2, policyType: "V1" });
      expect(JSON.stringify(stored.properties.schedulePolicy)).toContain("T20:30:00Z");
    });
    it("reads it back into the same canonical form", async () => {
      const read = await w.host.read("policy", id, outs);
      expect(read.props).toMatchObject({ schedule: outs.schedule, retention: outs.retention, timeZone: "W. Europe Standard Time" });
    });
    it("finds no difference for the same policy written differently", async () => {
      const { inputs } = await w.host.check("policy", {
        ...DAILY,
        name: "DAILY-2030",
        schedule: { frequency: "daily", time: "20:30" },
        instantRestoreRetentionDays: 2,
      });
      expect((await w.host.diff("policy", id, outs, inputs)).changes).toBe("none");
    });
    it("changes schedule and retention in place, and replaces for another type", async () => {
      const { inputs } = await w.host.check("policy", { ...DAILY, schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 45 } } });
      expect(await w.host.diff("policy", id, outs, inputs)).toMatchObject({ changes: "some", replaces: [] });
      outs = await w.host.update("policy", id, outs, inputs);
      expect(outs).toMatchObject({ schedule: { time: "22:00" }, retention: { daily: { count: 45 } } });
      const v2 = await w.host.check("policy", { ...DAILY, policyType: "V2" });
      expect((await w.host.diff("policy", id, outs, v2.inputs)).replaces).toEqual(["policyType"]);
    });
    it("adopts an identical policy that exists", async () => {
      const { inputs } = await w.host.check("policy", { ...DAILY, schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 45 } } });
      const mark = w.emulator.log.mark();
      expect((await w.host.create("policy", inputs)).id).toBe(id);
      expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET")).toEqual([]);
    });
    it("deletes it", async () => {
      await w.host.delete("policy", id, outs);
      expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-pol")!.policies.map((p) => p.name)).toEqual(["DefaultPolicy"]);
      expect((await w.host.read("policy", id, outs)).id).toBe("");
    });
  });
});
