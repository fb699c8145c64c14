import { hostWorld, SUB, UNKNOWN, type HostWorld } from "./harness";

describe("stack V2 registration through the real provider host", () => {
  let w: HostWorld;
  afterEach(async () => w.stop());

  it("registers InstantBackupandRecovery, waits through Registering, and re-registers the provider (seed 000)", async () => {
    w = await hostWorld({ vms: [] });
    expect((await w.host.check("stack-v2", {})).failures).toEqual([]);
    const { id, outs } = await w.host.create("stack-v2", {});
    expect(id).toBe(`/subscriptions/${SUB}/providers/Microsoft.Features/providers/Microsoft.RecoveryServices/features/InstantBackupandRecovery`);
    expect(outs).toMatchObject({ subscriptionId: SUB, feature: "Microsoft.RecoveryServices/InstantBackupandRecovery", state: "Registered" });
    const calls = w.emulator.log.list().map((e) => `${e.method} ${e.path.replace(`/subscriptions/${SUB}`, "")}`);
    const feature = "/providers/Microsoft.Features/providers/Microsoft.RecoveryServices/features/InstantBackupandRecovery";
    // Registering lasts 5 emulated minutes (durations.ts); the test clock moves 15 s a request: 20 reads.
    expect(calls).toEqual([
      `GET ${feature}`,
      `POST ${feature}/register`,
      ...Array<string>(20).fill(`GET ${feature}`),
      "POST /providers/Microsoft.RecoveryServices/register",
    ]);
    expect((await w.host.read("stack-v2", id, outs)).props).toMatchObject({ state: "Registered" });
    expect(await w.host.diff("stack-v2", id, outs, { subscriptionId: SUB.toUpperCase() })).toMatchObject({ changes: "none" });
    expect((await w.host.diff("stack-v2", id, outs, { subscriptionId: "00000000-0000-0000-0000-00000000cccc" })).replaces).toEqual(["subscriptionId"]);
    expect(await w.host.update("stack-v2", id, outs, {})).toMatchObject({ state: "Registered", subscriptionId: SUB });
    // Destroy leaves the subscription upgraded: the upgrade is one-directional.
    await w.host.delete("stack-v2", id, outs);
    expect(w.emulator.state.registrations.find((r) => r.name === "InstantBackupandRecovery")?.state).toBe("Registered");
  });

  it("treats a subscription already upgraded as success, registering nothing", async () => {
    w = await hostWorld({ vms: [], features: { "Microsoft.RecoveryServices/InstantBackupandRecovery": "Registered" } });
    const { outs } = await w.host.create("stack-v2", {});
    expect(outs.state).toBe("Registered");
    expect(w.emulator.log.list().map((e) => e.method)).toEqual(["GET"]);
  });

  it("checks the subscription id, unless it is not known yet", async () => {
    w = await hostWorld({ vms: [] });
    expect((await w.host.check("stack-v2", { subscriptionId: "prod" })).failures.map((f) => f.property)).toEqual(["subscriptionId"]);
    expect((await w.host.check("stack-v2", { subscriptionId: UNKNOWN })).failures).toEqual([]);
  });
});
