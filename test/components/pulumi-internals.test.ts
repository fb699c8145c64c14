/**
 * The canary for src/components/pulumi-internals.ts: every member of @pulumi/pulumi the package uses
 * beyond the documented API, asserted of the installed version. A Pulumi upgrade that renames or drops
 * one fails here, by name, rather than making the program-wide checks silently see less.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterDeclarations, currentRun, hasOutputInternals, knownValue, resourcesOf } from "../../src/components/pulumi-internals";

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, address: `${args.name}.example` } }),
  call: (args) => args.inputs,
};

class Thing extends pulumi.CustomResource {
  declare readonly address: pulumi.Output<string>;
  constructor(name: string) {
    super("test:index:Thing", name, { address: undefined });
  }
}

describe("the Pulumi internals the components rely on (canary for @pulumi/pulumi upgrades)", () => {
  it("an Output has resources(), isKnown and promise()", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const thing = new Thing("a");
    expect(hasOutputInternals(thing.address)).toBe(true);
    expect(hasOutputInternals(pulumi.output(1))).toBe(true);
  });

  it("resourcesOf names the resource a value comes from, through apply", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const a = new Thing("a");
    const b = new Thing("b");
    const derived = a.address.apply((x) => `${x}/path`);
    expect([...resourcesOf(derived)]).toEqual([a]);
    expect([...resourcesOf(pulumi.all([a.address, b.address]))]).toEqual(expect.arrayContaining([a, b]));
    expect(resourcesOf(pulumi.output("plain")).size).toBe(0);
  });

  it("knownValue gives a known value, and nothing for an unknown one", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    expect(await knownValue(new Thing("a").address)).toBe("a.example");
    expect(await knownValue(pulumi.output(pulumi.unknown))).toBeUndefined();
  });

  it("currentRun differs between runs (each setMocks has its own monitor)", async () => {
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const first = currentRun();
    expect(first).toBeDefined();
    expect(currentRun()).toBe(first);
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    expect(currentRun()).not.toBe(first);
  });

  it("afterDeclarations calls back once, after the last of a burst of declarations", async () => {
    let calls = 0;
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    const trigger = afterDeclarations(() => {
      calls++;
      resolve();
    });
    trigger();
    trigger();
    // A declaration a turn later (inside an apply, say) restarts the wait.
    setImmediate(trigger);
    await done;
    // Let any stray callback run before counting.
    await new Promise<void>((r) => setImmediate(() => setImmediate(() => setImmediate(r))));
    expect(calls).toBe(1);
  });
});
