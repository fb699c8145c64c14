/**
 * The one way a plan is assembled from what a program or a provider knows (a plan file is read as it is).
 * Each entry is added with the name its user knows it by, so that `analyze` returns diagnostics whose
 * subjects say `ProtectedVm 'web-01'` and argument `vm` rather than `vms[0].dataDisks[16]`.
 */
import type { RuleOptions } from "./context";
import type { ExistingItem, Plan, PlanPolicy, PlanReport, PlanVm } from "./plan-types";
import { analyzePlan } from "./plan";
import type { PolicyArgs } from "./policy-types";
import type { EntryName, PlanNames, SubjectKind } from "./subjects";
import type { VaultArgs } from "./vault";
import type { VmArgs } from "./vm";

/** The component each kind of plan entry is declared with in a Pulumi program. */
const COMPONENTS: Readonly<Record<Exclude<SubjectKind, "existingItem">, string>> = { vault: "BackupVault", policy: "BackupPolicy", vm: "ProtectedVm" };

/** The components' argument for each field of a plan entry (see their Args interfaces in src/components). */
const COMPONENT_ARGUMENTS: Readonly<Record<Exclude<SubjectKind, "existingItem">, (field: string) => string | undefined>> = {
  vault: (field) => (field === "name" ? "vaultName" : undefined),
  policy: (field) => (field === "name" ? "policyName" : undefined),
  // A ProtectedVm takes the VM itself (`vm`: a VirtualMachine or its id); its disks, region and OS are the VM's.
  vm: (field) =>
    field === "vault"
      ? "vault"
      : field === "policy" || field === "policies"
        ? "policy"
        : field === "includeDiskLuns" || field === "excludeDiskLuns"
          ? undefined
          : "vm",
};

/** How a plan entry declared by a component is named: `ProtectedVm 'web-01'`, with the component's arguments. */
export function componentEntry(kind: Exclude<SubjectKind, "existingItem">, resourceName: string): EntryName {
  return { label: `${COMPONENTS[kind]} '${resourceName}'`, argument: COMPONENT_ARGUMENTS[kind] };
}

/** A plan built entry by entry; see the module comment. */
export class PlanBuilder {
  private readonly vaults: VaultArgs[] = [];
  private readonly policies: PlanPolicy[] = [];
  private readonly vms: PlanVm[] = [];
  private readonly existingItems: ExistingItem[] = [];
  private readonly names: Record<Exclude<SubjectKind, "existingItem">, Array<EntryName | undefined>> = { vault: [], policy: [], vm: [] };

  /** A vault (its `name` is how policies and VMs refer to it). */
  vault(vault: VaultArgs, name?: EntryName): this {
    this.vaults.push(vault);
    this.names.vault.push(name);
    return this;
  }

  /** A policy of the vault named `vault`. */
  policy(vault: string, policyName: string, args: PolicyArgs, name?: EntryName): this {
    this.policies.push({ ...args, name: policyName, vault });
    this.names.policy.push(name);
    return this;
  }

  /** A VM to protect in the vault named `vault` with its policy named `policy` (an undeclared `DefaultPolicy` is the vault's own). */
  vm(vault: string, policy: string, vm: VmArgs, selection: Pick<PlanVm, "includeDiskLuns" | "excludeDiskLuns"> = {}, name?: EntryName): this {
    this.vms.push({ ...vm, vault, policy, ...selection });
    this.names.vm.push(name);
    return this;
  }

  /** A VM already protected in Azure, counted in its vault's limits. */
  existing(item: ExistingItem): this {
    this.existingItems.push(item);
    return this;
  }

  /** The plan as `analyzePlan` and plan files take it. */
  build(): Plan {
    return {
      vaults: [...this.vaults],
      policies: [...this.policies],
      vms: [...this.vms],
      ...(this.existingItems.length === 0 ? {} : { existingItems: [...this.existingItems] }),
    };
  }

  /** The entries' names, for `analyzePlan`. */
  entryNames(): PlanNames {
    return { vault: [...this.names.vault], policy: [...this.names.policy], vm: [...this.names.vm] };
  }

  analyze(options?: RuleOptions): PlanReport {
    return analyzePlan(this.build(), options, this.entryNames());
  }
}
