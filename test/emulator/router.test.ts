/** The emulator's router: one handler per method and path (a second one would never be reached). */
import { Router } from "../../src/emulator/router";

describe("emulator router", () => {
  it("refuses a second handler for a method and path, whatever its parameters are named or its literals' case", () => {
    const router = new Router();
    router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/disks/{diskName}", () => ({ status: 200 }));
    expect(() => router.add("get", "/subscriptions/{sub}/providers/microsoft.compute/disks/{name}", () => ({ status: 200 }))).toThrow(/registered twice/);
    // Another method, or another path, is another route.
    expect(() => router.add("PUT", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/disks/{diskName}", () => ({ status: 200 }))).not.toThrow();
    expect(() => router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/snapshots/{name}", () => ({ status: 200 }))).not.toThrow();
  });
});
