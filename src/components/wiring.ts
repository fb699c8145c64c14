/**
 * What one component needs of another (a policy of its vault, a protected VM of both): the dynamic
 * resource to depend on and the values the program declared, which are known in a preview even while
 * the resources are still to be created. Kept off the components' public surface.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyArgs } from "../rules";

export interface VaultWiring {
  resource: pulumi.Resource;
  vaultName: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  location: pulumi.Output<string>;
  subscriptionId: pulumi.Output<string | undefined>;
}

export interface PolicyWiring {
  resource: pulumi.Resource;
  /** The vault component, when the policy was given one. */
  vault: object | undefined;
  policyName: pulumi.Output<string>;
  vaultName: pulumi.Output<string>;
  vaultResourceGroupName: pulumi.Output<string>;
  vaultLocation: pulumi.Output<string | undefined>;
  subscriptionId: pulumi.Output<string | undefined>;
  /** The policy as declared (schedule, retention, ...). */
  definition: pulumi.Output<PolicyArgs>;
}

export const vaultWiring = new WeakMap<object, VaultWiring>();
export const policyWiring = new WeakMap<object, PolicyWiring>();
