import { StackV2Registration } from "../../src";
import { declare, stopEngine, SUB, T } from "./helpers";

afterAll(stopEngine);

describe("StackV2Registration under Pulumi's mocks", () => {
  it("declares the registration for the configured subscription by default, or for the one given", async () => {
    const d = await declare(() => {
      const byDefault = new StackV2Registration("stack-v2");
      new StackV2Registration("other", { subscriptionId: "11111111-2222-3333-4444-555555555555" }, { protect: true });
      return { state: byDefault.state, feature: byDefault.feature, subscriptionId: byDefault.subscriptionId };
    });
    expect(d.one(T.stackV2, "stack-v2").inputs).not.toHaveProperty("subscriptionId");
    expect(d.one(T.stackV2, "stack-v2").parent).toBe(d.one(T.StackV2Registration, "stack-v2").urn);
    expect(d.one(T.stackV2, "other")).toMatchObject({ inputs: { subscriptionId: "11111111-2222-3333-4444-555555555555" }, protect: true });
    expect(d.outputs).toEqual({ state: "Registered", feature: "Microsoft.RecoveryServices/InstantBackupandRecovery", subscriptionId: SUB });
  });
});
