/**
 * The dynamic resources the components are built of. Each kind's provider is the tiny shim of
 * `providers/shim` (one object per kind, so Pulumi serializes it once per program), and each resource
 * declares the outputs its provider returns so that the components can read them.
 */
import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../providers/shim";
import type { Kind } from "../providers/types";

/** The module of the dynamic resources' types: `pulumi-nodejs:dynamic/azure-vm-backup:<Type>`. */
export const DYNAMIC_MODULE = "azure-vm-backup";

/** Their type names. They are part of every URN in users' stacks: never rename them. */
export const DYNAMIC_TYPES: Readonly<Record<Kind, string>> = {
  vault: "Vault",
  policy: "BackupPolicy",
  "protected-vm": "ProtectedVm",
  "stack-v2": "StackV2Registration",
  "policy-set": "BackupPolicySetAssignment",
};

const shims = new Map<Kind, pulumi.dynamic.ResourceProvider>();

function shimFor(kind: Kind): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (shim === undefined) {
    shim = makeShim(kind);
    shims.set(kind, shim);
  }
  return shim;
}

/** A dynamic resource of one kind whose outputs `O` are read by name. */
export class BackupResource<O extends object> extends pulumi.dynamic.Resource {
  constructor(kind: Kind, name: string, props: Record<string, unknown>, outputs: ReadonlyArray<keyof O & string>, opts: pulumi.CustomResourceOptions) {
    // An input left out (undefined) is not sent: it is not named either, for Pulumi makes an output (and a promise that
    // captures a stack trace) of every property named, the cost that dominates a preview of a thousand VMs (bench/scale.ts).
    const all: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) if (value !== undefined) all[key] = value;
    // An output the provider computes must be named among the props for Pulumi to expose it.
    for (const key of outputs) if (!(key in all) && key !== "id") all[key] = undefined;
    super(shimFor(kind), name, all, opts, DYNAMIC_MODULE, DYNAMIC_TYPES[kind]);
  }

  /** The provider's output `key`. */
  out<K extends keyof O & string>(key: K): pulumi.Output<O[K]> {
    return (this as unknown as Record<string, pulumi.Output<O[K]>>)[key]!;
  }
}

/**
 * The options a component's dynamic resources take on, besides being its children: Pulumi does not make
 * a component's children wait for the component's `dependsOn`, so it is passed on, with `retainOnDelete`,
 * `customTimeouts` and `deletedWith` (`protect`, `providers` and transforms are inherited from the parent).
 */
export function childOptions(
  parent: pulumi.ComponentResource,
  opts: pulumi.ComponentResourceOptions | undefined,
  dependsOn: pulumi.Resource[],
): pulumi.CustomResourceOptions {
  return {
    parent,
    dependsOn: withDependencies(opts?.dependsOn, dependsOn),
    ...(opts?.retainOnDelete === undefined ? {} : { retainOnDelete: opts.retainOnDelete }),
    ...(opts?.customTimeouts === undefined ? {} : { customTimeouts: opts.customTimeouts }),
    ...(opts?.deletedWith === undefined ? {} : { deletedWith: opts.deletedWith }),
  };
}

type DependsOn = pulumi.ComponentResourceOptions["dependsOn"];

function withDependencies(given: DependsOn, extra: pulumi.Resource[]): DependsOn {
  if (given === undefined) return extra;
  if (Array.isArray(given)) return [...given, ...extra];
  if (pulumi.Resource.isInstance(given)) return [given, ...extra];
  // An Output or a promise of one resource or a list of them.
  return pulumi
    .output(given as pulumi.Input<pulumi.Resource | pulumi.Input<pulumi.Resource>[]>)
    .apply((d) => [...(Array.isArray(d) ? d : [d]), ...extra]) as DependsOn;
}
