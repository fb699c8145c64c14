/**
 * Every use of @pulumi/pulumi beyond its documented API, in one place, so that an upgrade that changes
 * them breaks here (test/components/pulumi-internals.test.ts is the canary) rather than across the package.
 *
 * - An `Output`'s `resources()`, `isKnown` and `promise()` tell, without waiting for a deployment, which
 *   resources a value comes from and whether it is known in a preview. They are members of the class
 *   `OutputImpl` in @pulumi/pulumi's output.ts (public since 2019, not part of the typed `Output` interface):
 *   https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/output.ts
 * - `runtime.getMonitor()` identifies the current run (each `pulumi up`, and each `setMocks`, has its own
 *   resource monitor): https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/runtime/settings.ts
 * - When a program has finished declaring its resources is not announced by the Node.js runtime: the
 *   program's top level runs synchronously, and resources declared inside `apply` or after `await` come later.
 *   `afterDeclarations` waits until no component has been declared for two turns of the event loop; what
 *   comes later is checked with what was declared before it (see program.ts).
 *
 * Where an internal is missing (a future @pulumi/pulumi), the helpers degrade to "unknown": the
 * program-wide checks then see less, and each resource's own check still runs.
 */
import * as pulumi from "@pulumi/pulumi";

interface OutputInternals<T> {
  isKnown?: Promise<boolean>;
  promise?: () => Promise<T>;
  resources?: () => Set<pulumi.Resource>;
}

function internals<T>(o: pulumi.Output<T>): OutputInternals<T> {
  return o as unknown as OutputInternals<T>;
}

/** Whether an `Output` has the members this module relies on (the canary test asserts it of the installed Pulumi). */
export function hasOutputInternals(o: pulumi.Output<unknown>): boolean {
  const i = internals(o);
  return typeof i.resources === "function" && typeof i.promise === "function" && i.isKnown instanceof Promise;
}

/** The resources a value comes from (those it was computed from); empty when Pulumi does not say. */
export function resourcesOf(o: pulumi.Output<unknown>): ReadonlySet<pulumi.Resource> {
  const resources = internals(o).resources;
  return typeof resources === "function" ? resources.call(o) : new Set();
}

/** The value when it is known (an `up`, or a preview of a value not computed by a resource); undefined otherwise. */
export async function knownValue<T>(o: pulumi.Output<T>): Promise<T | undefined> {
  const i = internals(o);
  if (!(i.isKnown instanceof Promise) || typeof i.promise !== "function") return undefined;
  return (await i.isKnown) ? await i.promise.call(o) : undefined;
}

/** The current run's identity: a new run (a new resource monitor) starts anew. */
export function currentRun(): unknown {
  return pulumi.runtime.getMonitor();
}

/** Calls `callback` once the program has stopped declaring for two turns of the event loop (see the module comment). */
export function afterDeclarations(callback: () => void): () => void {
  let generation = 0;
  return () => {
    const mine = ++generation;
    setImmediate(() =>
      setImmediate(() => {
        if (mine === generation) callback();
      }),
    );
  };
}
