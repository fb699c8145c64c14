/**
 * Checks that need the whole program. A resource's own `check()` sees one VM; Azure's limits on what
 * shares a vault (at most 100 VMs starting their backup at the same time, VMs and policies per vault)
 * and mistakes such as two policies of one name only show across resources. So every component registers
 * what it declares here; once the program has declared its resources, the plan rules of `src/rules` run
 * over all of them, and each problem is handed to the resource that must fail (`programChecks`), whose
 * `check()` then stops `pulumi preview` and `pulumi up` before anything is created:
 *
 * - the vault's own resource when the vault is declared in the program (every policy and protected VM in
 *   it depends on the vault, so nothing in it is created);
 * - otherwise (a vault given by id) the policies and protected VMs involved.
 *
 * What is counted: the policies and protected VMs of this program (VMs already protected in Azure are
 * counted by each protected VM's own check), with the schedules the program declares. Components
 * declared after the program settles (inside an `apply`, after an `await`) are checked with everything
 * declared so far, and their problems land on their own resources.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  componentEntry,
  DEFAULT_POLICY_NAME,
  describeDiagnostic,
  formatVmId,
  parsePolicyId,
  parseVaultId,
  PlanBuilder,
  policyOfOtherVault,
  vmWithoutVault,
  type PolicyArgs,
} from "../rules";
import type { ProgramCheck } from "../providers/types";
import { programRuleOptions } from "./config";
import { afterDeclarations, currentRun, knownValue, resourcesOf } from "./pulumi-internals";

/** The plan rules that need the whole program. */
const PROGRAM_CODES = new Set([
  "plan/duplicate-vault",
  "plan/duplicate-policy",
  "plan/duplicate-vm",
  "plan/vms-per-vault",
  "plan/vms-per-schedule",
  "plan/policies-per-vault",
  "plan/vms-per-policy",
]);

/** Those about a vault as a whole rather than one resource in it. */
const VAULT_WIDE = new Set(["plan/vms-per-vault", "plan/vms-per-schedule", "plan/policies-per-vault", "plan/vms-per-policy"]);

export type VaultRefInput = { vault: object } | { id: pulumi.Input<string> };
export type PolicyRefInput = { policy: object } | { idOrName: pulumi.Input<string> };
export type VmRefInput = { resource: object } | { id: pulumi.Input<string> };

interface Entry {
  key: object;
  /** The component's Pulumi name, for messages. */
  label: string;
  /** Claimed by a settle; its checks are then resolved. */
  settled: boolean;
  resolve(checks: ProgramCheck[]): void;
}

interface VaultEntry extends Entry {
  name: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string> | undefined;
}

interface PolicyEntry extends Entry {
  vault: VaultRefInput;
  name: pulumi.Input<string>;
  /** The name when the program gave it as plain text (known at once). */
  nameText: string | undefined;
  args: pulumi.Input<PolicyArgs>;
}

interface ProtectedVmEntry extends Entry {
  vault: VaultRefInput | undefined;
  policy: PolicyRefInput | undefined;
  vm: VmRefInput;
  /** The VM's ARM id as the ProtectedVm passes it to Azure: what its vault owns (see `ownedVmIds`). */
  vmId: pulumi.Input<string>;
}

/** A vault as the analysis sees it: declared in the program, or named by an id. */
interface VaultNode {
  entry: VaultEntry | undefined;
  label: string;
  name: string | undefined;
  resourceGroupName: string | undefined;
  subscriptionId: string | undefined;
  location: string | undefined;
  planName: string;
  policies: PolicyEntry[];
  vms: ProtectedVmEntry[];
}

const PLACEHOLDER_LOCATION = "westeurope";
const PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

class ProgramPlan {
  private readonly vaults: VaultEntry[] = [];
  private readonly policies: PolicyEntry[] = [];
  private readonly vms: ProtectedVmEntry[] = [];
  /** Each component's dynamic resources, to recognise values that come from them. */
  private readonly owners = new WeakMap<pulumi.Resource, object>();
  private readonly syntheticVmIds = new WeakMap<object, string>();
  private readonly warned = new Set<string>();
  /** Vaults waiting to learn which VMs the program protects in them (`ownedVmIds`). */
  private readonly ownership = new Map<object, (ids: pulumi.Input<string>[]) => void>();
  private vmCount = 0;
  /** Settles once the program has stopped declaring components (see `afterDeclarations`). */
  private readonly schedule = afterDeclarations(() => void this.settle());

  constructor(readonly run: unknown) {}

  own(resource: pulumi.Resource, component: object): void {
    this.owners.set(resource, component);
  }

  addVault(entry: Omit<VaultEntry, "settled" | "resolve">): pulumi.Output<ProgramCheck[]> {
    return this.add(this.vaults, entry);
  }

  /**
   * The ARM ids of the VMs the program protects in this declared vault (its ProtectedVm resources), known once the
   * program has declared its resources: the only backups the vault's onDestroy "purge" may delete. A ProtectedVm
   * declared after the program settles is not counted: its backups then keep the vault (never lost).
   */
  ownedVmIds(vault: object): pulumi.Output<string[]> {
    const ids = new Promise<pulumi.Input<string>[]>((resolve) => this.ownership.set(vault, resolve));
    return pulumi.output(ids).apply((list) => pulumi.all(list as pulumi.Input<string>[]));
  }

  addPolicy(entry: Omit<PolicyEntry, "settled" | "resolve">): pulumi.Output<ProgramCheck[]> {
    return this.add(this.policies, entry);
  }

  addProtectedVm(entry: Omit<ProtectedVmEntry, "settled" | "resolve">): pulumi.Output<ProgramCheck[]> {
    return this.add(this.vms, entry);
  }

  /**
   * The BackupPolicy declared so far in this vault under this name (a protected VM given its policy by
   * name), so that the VM waits for it and is checked with it.
   */
  policyNamed(vault: object, name: string): object | undefined {
    return this.policies.find((p) => "vault" in p.vault && p.vault.vault === vault && p.nameText?.toLowerCase() === name.toLowerCase())?.key;
  }

  private add<E extends Entry>(list: E[], fields: Omit<E, "settled" | "resolve">): pulumi.Output<ProgramCheck[]> {
    let resolve!: (checks: ProgramCheck[]) => void;
    const promise = new Promise<ProgramCheck[]>((r) => (resolve = r));
    list.push({ ...fields, settled: false, resolve } as E);
    this.schedule();
    return pulumi.output(promise);
  }

  private async settle(): Promise<void> {
    const pending = [...this.vaults, ...this.policies, ...this.vms].filter((e) => !e.settled);
    for (const e of pending) e.settled = true;
    if (pending.length === 0) return;
    let routed = new Map<Entry, ProgramCheck[]>();
    const owned = new Map<object, pulumi.Input<string>[]>();
    try {
      routed = await this.analyze(new Set(pending), owned);
    } catch (error) {
      void pulumi.log.warn(`azure-vm-backup could not check the program as a whole (each resource is still checked on its own): ${(error as Error).message}`);
    }
    for (const e of pending) e.resolve(routed.get(e) ?? []);
    // A vault owns the VMs found in it (none when the analysis failed: a purge then deletes nothing).
    for (const e of pending) {
      const resolve = this.ownership.get(e.key);
      if (resolve === undefined) continue;
      this.ownership.delete(e.key);
      resolve(owned.get(e.key) ?? []);
    }
  }

  /** The component whose resource a value comes from (`vault.id` passed where an id is taken). */
  componentOf(o: pulumi.Output<unknown>): object | undefined {
    for (const r of resourcesOf(o)) {
      const owner = this.owners.get(r);
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  /** A value once known; undefined when unknown (a preview) or when it waits on this package's own resources. */
  private async value<T>(input: pulumi.Input<T> | undefined): Promise<T | undefined> {
    if (input === undefined) return undefined;
    const output = pulumi.output(input) as pulumi.Output<T>;
    if (this.componentOf(output) !== undefined) return undefined;
    return knownValue(output);
  }

  private async analyze(pending: ReadonlySet<Entry>, owned: Map<object, pulumi.Input<string>[]>): Promise<Map<Entry, ProgramCheck[]>> {
    const routed = new Map<Entry, ProgramCheck[]>();
    const route = (entry: Entry | undefined, check: ProgramCheck): void => {
      if (entry === undefined || !pending.has(entry)) return;
      const list = routed.get(entry) ?? [];
      if (!list.some((c) => c.reason === check.reason && c.property === check.property)) list.push(check);
      routed.set(entry, list);
    };

    // Vaults declared in the program, then those the program names by id.
    const nodes: VaultNode[] = [];
    const byEntry = new Map<object, VaultNode>();
    for (const entry of this.vaults) {
      const [name, resourceGroupName, location, subscriptionId] = await Promise.all([
        this.value(entry.name),
        this.value(entry.resourceGroupName),
        this.value(entry.location),
        this.value(entry.subscriptionId),
      ]);
      const node: VaultNode = { entry, label: entry.label, name, resourceGroupName, location, subscriptionId, planName: "", policies: [], vms: [] };
      nodes.push(node);
      byEntry.set(entry.key, node);
    }
    const vaultFromId = (id: string | undefined): VaultNode | undefined => {
      const ref = id === undefined ? undefined : (parseVaultId(id) ?? parsePolicyId(id));
      if (ref === undefined) return undefined;
      const same = (n: VaultNode): boolean =>
        n.name?.toLowerCase() === ref.vaultName.toLowerCase() &&
        n.resourceGroupName?.toLowerCase() === ref.resourceGroupName.toLowerCase() &&
        (n.subscriptionId === undefined || n.subscriptionId.toLowerCase() === ref.subscriptionId.toLowerCase());
      let node = nodes.find(same);
      if (node === undefined) {
        node = {
          entry: undefined,
          label: ref.vaultName,
          name: ref.vaultName,
          resourceGroupName: ref.resourceGroupName,
          subscriptionId: ref.subscriptionId,
          location: undefined,
          planName: "",
          policies: [],
          vms: [],
        };
        nodes.push(node);
      }
      return node;
    };
    const resolveVault = async (ref: VaultRefInput | undefined): Promise<VaultNode | undefined> => {
      if (ref === undefined) return undefined;
      if ("vault" in ref) return byEntry.get(ref.vault);
      if (pulumi.Output.isInstance(ref.id)) {
        const owner = this.componentOf(ref.id);
        if (owner !== undefined) return byEntry.get(owner);
      }
      return vaultFromId(await this.value(ref.id));
    };

    // Policies.
    const policyNode = new Map<PolicyEntry, VaultNode>();
    const policyName = new Map<PolicyEntry, string>();
    const policyArgs = new Map<PolicyEntry, PolicyArgs>();
    for (const entry of this.policies) {
      const node = await resolveVault(entry.vault);
      const [name, args] = await Promise.all([this.value(entry.name), this.value(entry.args)]);
      if (node === undefined || name === undefined) continue;
      node.policies.push(entry);
      policyNode.set(entry, node);
      policyName.set(entry, name);
      if (args !== undefined) policyArgs.set(entry, args);
    }
    const policyByComponent = new Map<object, PolicyEntry>(this.policies.map((p) => [p.key, p]));

    // Protected VMs: their vault (given, or the policy's) and their policy's name.
    const vmPolicy = new Map<ProtectedVmEntry, string>();
    const vmNode = new Map<ProtectedVmEntry, VaultNode>();
    for (const entry of this.vms) {
      let node = await resolveVault(entry.vault);
      let name: string | undefined = DEFAULT_POLICY_NAME;
      let policyVault: VaultNode | undefined;
      let policyEntry: PolicyEntry | undefined;
      if (entry.policy !== undefined && "policy" in entry.policy) {
        policyEntry = policyByComponent.get(entry.policy.policy);
      } else if (entry.policy !== undefined) {
        const ref = entry.policy.idOrName;
        const owner = pulumi.Output.isInstance(ref) ? this.componentOf(ref) : undefined;
        policyEntry = owner === undefined ? undefined : policyByComponent.get(owner);
        if (policyEntry === undefined) {
          const text = await this.value(ref);
          const parsed = text === undefined ? undefined : parsePolicyId(text);
          name = parsed?.policyName ?? (text !== undefined && !text.includes("/") ? text : undefined);
          policyVault = parsed === undefined ? undefined : vaultFromId(text);
        }
      }
      if (policyEntry !== undefined) {
        name = policyName.get(policyEntry);
        policyVault = policyNode.get(policyEntry);
      }
      if (node !== undefined && policyVault !== undefined && node !== policyVault) {
        route(entry, {
          property: "policyName",
          reason: describeDiagnostic(policyOfOtherVault(entry.label, policyVault.name ?? policyVault.label, node.name ?? node.label), { subject: true }),
        });
        continue;
      }
      node = node ?? policyVault;
      if (node === undefined) {
        if (entry.vault === undefined && (entry.policy === undefined || "idOrName" in entry.policy)) {
          route(entry, { property: "vaultName", reason: describeDiagnostic(vmWithoutVault(entry.label), { subject: true }) });
        }
        continue;
      }
      node.vms.push(entry);
      vmNode.set(entry, node);
      if (node.entry !== undefined) owned.set(node.entry.key, [...(owned.get(node.entry.key) ?? []), entry.vmId]);
      if (name !== undefined) vmPolicy.set(entry, name);
    }

    // The plan: real names, placeholder VMs (their own checks judge their disks and regions).
    const taken = new Map<string, VaultNode>();
    for (const node of nodes) {
      let planName = node.name ?? node.label;
      const other = taken.get(planName.toLowerCase());
      if (
        other !== undefined &&
        (other.resourceGroupName?.toLowerCase() !== node.resourceGroupName?.toLowerCase() ||
          other.subscriptionId?.toLowerCase() !== node.subscriptionId?.toLowerCase())
      ) {
        planName = `${planName} (${node.resourceGroupName ?? node.label})`;
      }
      node.planName = planName;
      taken.set(planName.toLowerCase(), node);
    }
    const builder = new PlanBuilder();
    for (const node of nodes) {
      builder.vault(
        { name: node.planName, location: node.location ?? PLACEHOLDER_LOCATION },
        node.entry === undefined ? { label: `vault '${node.label}'` } : componentEntry("vault", node.label),
      );
    }
    const policyAt: PolicyEntry[] = [];
    for (const [entry, node] of policyNode) {
      const args = policyArgs.get(entry);
      if (args === undefined) continue;
      builder.policy(node.planName, policyName.get(entry)!, args, componentEntry("policy", entry.label));
      policyAt.push(entry);
    }
    const vmAt: ProtectedVmEntry[] = [];
    for (const [entry, node] of vmNode) {
      const policy = vmPolicy.get(entry);
      const id = await this.vmIdOf(entry.vm);
      if (policy === undefined || id === undefined) continue;
      // A placeholder VM: each protected VM's own check judges its disks and region.
      builder.vm(
        node.planName,
        policy,
        { id, location: node.location ?? PLACEHOLDER_LOCATION, osDisk: { sizeGb: 1 }, dataDisks: [] },
        {},
        componentEntry("vm", entry.label),
      );
      vmAt.push(entry);
    }
    const report = builder.analyze(programRuleOptions());

    for (const d of report.diagnostics) {
      const subject = d.subject;
      if (!PROGRAM_CODES.has(d.code) || d.severity === "info" || subject === undefined) continue;
      const own: Entry | undefined = subject.kind === "policy" ? policyAt[subject.index] : subject.kind === "vm" ? vmAt[subject.index] : undefined;
      const node =
        subject.kind === "vault"
          ? nodes[subject.index]
          : subject.kind === "policy"
            ? policyNode.get(policyAt[subject.index]!)
            : subject.kind === "vm"
              ? vmNode.get(vmAt[subject.index]!)
              : undefined;
      if (node === undefined) continue;
      const text = describeDiagnostic(d);
      if (d.severity === "warning") {
        if (!this.warned.has(text)) void pulumi.log.warn(text, node.entry?.key as pulumi.Resource | undefined);
        this.warned.add(text);
        continue;
      }
      if (node.entry !== undefined && pending.has(node.entry)) {
        route(node.entry, { property: "", reason: text });
      } else if (VAULT_WIDE.has(d.code)) {
        for (const e of [...node.policies, ...node.vms]) route(e, { property: "", reason: text });
      } else if (own !== undefined) {
        route(own, { property: subject.kind === "policy" ? "name" : "vmId", reason: text });
      } else {
        route(node.entry, { property: "name", reason: text });
      }
    }
    return routed;
  }

  private async vmIdOf(ref: VmRefInput): Promise<string | undefined> {
    let key: object | undefined = "resource" in ref ? ref.resource : undefined;
    if (key === undefined && "id" in ref && pulumi.Output.isInstance(ref.id)) {
      // `vm.id` of a VM declared in the program: the VM is its identity, no need to wait for its creation.
      const resources = [...resourcesOf(ref.id as pulumi.Output<unknown>)];
      if (resources.length === 1 && pulumi.CustomResource.isInstance(resources[0])) key = resources[0];
    }
    if (key !== undefined) {
      let id = this.syntheticVmIds.get(key);
      if (id === undefined) {
        id = formatVmId({ subscriptionId: PLACEHOLDER_SUBSCRIPTION, resourceGroup: "program", name: `vm-${++this.vmCount}`, kind: "arm" });
        this.syntheticVmIds.set(key, id);
      }
      return id;
    }
    return "id" in ref ? await this.value(ref.id) : undefined;
  }
}

let current: ProgramPlan | undefined;

/**
 * The plan of the program being run. One per Pulumi run: a new run (a new resource monitor, as each
 * `setMocks` or engine run has) starts a new plan.
 */
export function programPlan(): ProgramPlan {
  const run = currentRun();
  if (current === undefined || current.run !== run) current = new ProgramPlan(run);
  return current;
}
