/**
 * The providers' implementations, by kind (one dispatch table, as pulumi-eks does). The serialized shim
 * in each resource's state requires this module by its package path at call time and delegates here, so
 * that stacks always run the installed version of this code.
 */
import type * as pulumi from "@pulumi/pulumi";
import { configure } from "./context";
import { policyProvider } from "./policy";
import { policySetProvider } from "./policy-set";
import { protectedVmProvider } from "./protected-vm";
import { stackV2Provider } from "./stack-v2";
import type { Kind } from "./types";
import { vaultProvider } from "./vault";

const PROVIDERS: Record<Kind, pulumi.dynamic.ResourceProvider> = {
  vault: vaultProvider,
  policy: policyProvider,
  "protected-vm": protectedVmProvider,
  "stack-v2": stackV2Provider,
  "policy-set": policySetProvider,
};

/** The implementation for a kind of resource; `configure` receives the stack config for all kinds. */
export function provider(kind: string): pulumi.dynamic.ResourceProvider {
  const implementation = PROVIDERS[kind as Kind];
  if (implementation === undefined) throw new Error(`azure-vm-backup has no provider for '${kind}'; the state was written by an incompatible version.`);
  return { ...implementation, configure };
}

export type * from "./types";
