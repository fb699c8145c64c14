/**
 * A policy with archive tiering and crash-consistent snapshots through Pulumi's real provider host against the
 * emulator: created, read back with no diff, changed in place, tiering turned off, and refused in preview where
 * Azure does not allow it.
 */
import { hostWorld, SUB, type HostWorld } from "./harness";

const ARCHIVE = {
  resourceGroupName: "rg-backup",
  vaultName: "rsv-tier",
  name: "enhanced-archive",
  policyType: "V2",
  schedule: { frequency: "Daily", time: "22:00" },
  retention: {
    daily: { count: 30 },
    monthly: { count: 24, weekdays: ["Sunday"], weeks: ["First"] },
    yearly: { count: 10, months: ["January"], weekdays: ["Sunday"], weeks: ["First"] },
  },
  tiering: { mode: "tierafter", duration: 4 },
  snapshotConsistency: "OnlyCrashConsistent",
};

describe("policy tiering and snapshot consistency through the real provider host", () => {
  let w: HostWorld;
  let id: string;
  let outs: Record<string, unknown>;
  const stored = () => w.emulator.model.vault(SUB, "rg-backup", "rsv-tier")!.policies.find((p) => p.name === "enhanced-archive")!.properties;
  beforeAll(async () => {
    w = await hostWorld({ vms: [] });
    const vault = await w.host.check("vault", { resourceGroupName: "rg-backup", name: "rsv-tier", location: "westeurope" });
    await w.host.create("vault", vault.inputs);
  });
  afterAll(async () => w.stop());

  it("creates the policy with tiering and crash-consistent snapshots in Azure", async () => {
    const { inputs, failures } = await w.host.check("policy", ARCHIVE);
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ tiering: { mode: "TierAfter", duration: 4, durationType: "Months" }, snapshotConsistency: "OnlyCrashConsistent" });
    ({ id, outs } = await w.host.create("policy", inputs));
    expect(stored()).toMatchObject({
      policyType: "V2",
      snapshotConsistencyType: "OnlyCrashConsistent",
      tieringPolicy: { ArchivedRP: { tieringMode: "TierAfter", duration: 4, durationType: "Months" } },
    });
    expect(outs).toMatchObject({ tiering: { mode: "TierAfter", duration: 4 }, snapshotConsistency: "OnlyCrashConsistent" });
  });

  it("reads it back with no diff", async () => {
    const read = await w.host.read("policy", id, outs);
    expect(read.props).toMatchObject({ tiering: outs.tiering, snapshotConsistency: "OnlyCrashConsistent" });
    const { inputs } = await w.host.check("policy", ARCHIVE);
    expect((await w.host.diff("policy", id, read.props, inputs)).changes).toBe("none");
  });

  it("changes tiering and consistency in place", async () => {
    const { inputs } = await w.host.check("policy", { ...ARCHIVE, tiering: { mode: "TierRecommended" }, snapshotConsistency: "Default" });
    expect(await w.host.diff("policy", id, outs, inputs)).toMatchObject({ changes: "some", replaces: [] });
    outs = await w.host.update("policy", id, outs, inputs);
    expect(stored().tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "TierRecommended" } });
    expect(stored().snapshotConsistencyType).toBeUndefined();
    expect(outs.snapshotConsistency).toBeUndefined();
    expect((await w.host.read("policy", id, outs)).props).toMatchObject({ tiering: { mode: "TierRecommended" } });
  });

  it("turns tiering off when it is removed (a PUT without it would keep it)", async () => {
    const { tiering: _tiering, ...withoutTiering } = ARCHIVE;
    const { inputs } = await w.host.check("policy", { ...withoutTiering, snapshotConsistency: "Default" });
    expect((await w.host.diff("policy", id, outs, inputs)).changes).toBe("some");
    outs = await w.host.update("policy", id, outs, inputs);
    expect(stored().tieringPolicy).toEqual({ ArchivedRP: { tieringMode: "DoNotTier" } });
    const read = await w.host.read("policy", id, outs);
    expect(read.props.tiering).toBeUndefined();
    expect((await w.host.diff("policy", id, read.props, inputs)).changes).toBe("none");
  });

  it("refuses in preview what Azure does not allow, naming the argument, rule and source", async () => {
    const mark = w.emulator.log.mark();
    const v1 = await w.host.check("policy", { ...ARCHIVE, name: "standard-crash", policyType: "V1", instantRestoreRetentionDays: 2 });
    expect(v1.failures.map((f) => f.property)).toEqual(["snapshotConsistency"]);
    expect(v1.failures[0]!.reason).toContain("[policy/crash-consistent-needs-enhanced]");
    expect(v1.failures[0]!.reason).toContain("Enhanced VM backup policy only");
    const short = await w.host.check("policy", {
      ...ARCHIVE,
      name: "short-archive",
      retention: { daily: { count: 30 }, monthly: { count: 8, weekdays: ["Sunday"], weeks: ["First"] } },
      tiering: { mode: "TierRecommended" },
    });
    expect(short.failures.map((f) => f.property)).toEqual(["tiering"]);
    expect(short.failures[0]!.reason).toContain("[policy/tiering-never-moves]");
    const daily = await w.host.check("policy", { ...ARCHIVE, name: "daily-archive", retention: { daily: { count: 30 } } });
    expect(daily.failures[0]!.reason).toContain("[policy/tiering-needs-long-term-retention]");
    expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET")).toEqual([]);
  });
});
