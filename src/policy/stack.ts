/**
 * The rules over one resource and over a whole stack of `@pulumi/azure-native` resources, without Azure: what the
 * policies of ./index.ts report, here as plain diagnostics so that they can be judged apart from @pulumi/policy.
 *
 * A resource alone: its vault, policy or protected-item rules (validateVault, validatePolicy, validateProtectedVm with
 * what the item says). A stack: every VM (optionally only those with a given tag) has a protected item
 * (plan/vm-unprotected), and each protected item of a VM declared in the stack is judged with that VM (its region, OS,
 * disks and security type from the VM's properties, as a ProtectedVm describes a VM of its program), its vault and its
 * policy when they are in the stack, as one plan (PlanBuilder: vms-per-schedule, vms-per-vault, duplicate VMs, ...).
 *
 * Which VM an item protects: the VM its `properties.sourceResourceId` names (by id, or resource group and name), or the
 * one its container's or item's name names; while the id is not known (a preview of a new VM), the one VM among the
 * item's dependencies (azure-native records the VM as a dependency when the id is the VM's output).
 */
import {
  DEFAULT_POLICY_NAME,
  describeVirtualMachine,
  policyOfOtherVault,
  PlanBuilder,
  sameArmId,
  UNKNOWN_SENTINEL,
  validatePolicy,
  validateProtectedVm,
  validateVault,
  vmSelected,
  vmUnprotected,
  type ContainerVm,
  type Diagnostic,
  type EntryName,
  type OsProfileLike,
  type PolicyArgs,
  type ProtectedVmArgs,
  type RuleOptions,
  type SecurityProfileLike,
  type StorageProfileLike,
  type VaultArgs,
  type VmArgs,
  type VmSelection,
} from "../rules";
import {
  isVmItem,
  isVmPolicy,
  kindOf,
  policyArgsOf,
  protectedItemOf,
  vaultArgsOf,
  vmIdentityOf,
  type AzureNativeKind,
  type ProtectedItemFacts,
  type VmIdentity,
} from "./azure-native";

type Props = Record<string, unknown>;

/** A resource as the analyzer gives it: type token, name, URN, properties (unknowns as UNKNOWN_SENTINEL) and dependencies (URNs). */
export interface StackResource {
  type: string;
  name: string;
  urn: string;
  props: Props;
  dependencies?: readonly string[];
}

/** A diagnostic and the resource it is about. */
export interface Finding {
  diagnostic: Diagnostic;
  urn: string;
}

const U = UNKNOWN_SENTINEL;
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && v !== U ? v : undefined);
const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

const LABELS: Record<AzureNativeKind, string> = {
  vault: "recoveryservices.Vault",
  policy: "recoveryservices.ProtectionPolicy",
  protectedItem: "recoveryservices.ProtectedItem",
  vm: "compute.VirtualMachine",
};

/** How messages name a resource: `recoveryservices.ProtectionPolicy 'daily'` (the azure-native class and the resource's name). */
export function labelOf(kind: AzureNativeKind, name: string): string {
  return `${LABELS[kind]} '${name}'`;
}

/** The rules of one resource, or undefined when no rule applies to it (another type, another workload's policy or item). */
export function resourceDiagnostics(type: string, name: string, props: Props, options?: RuleOptions): Diagnostic[] | undefined {
  const kind = kindOf(type);
  if (kind === "vault") return validateVault(vaultArgsOf(props, name), options);
  if (kind === "policy") {
    const args = policyArgsOf(props, name);
    return isVmPolicy(args) ? validatePolicy(args, options) : undefined;
  }
  if (kind === "protectedItem") {
    const facts = protectedItemOf(props);
    return isVmItem(facts) ? itemDiagnostics(name, facts, options) : undefined;
  }
  return undefined;
}

/** A protected item on its own: its VM id, and its policy of its own vault. What needs the VM is judged with the stack. */
function itemDiagnostics(
  name: string,
  facts: ProtectedItemFacts,
  options: RuleOptions | undefined,
  vm?: VmArgs,
  vault?: VaultArgs,
  policy?: PolicyArgs,
): Diagnostic[] {
  const args = {
    vm: vm ?? { id: facts.sourceResourceId, location: U, osDisk: U, dataDisks: U },
    vault: {
      name: facts.vaultName,
      location: vault?.location ?? U,
      ...(vault?.crossRegionRestore === undefined ? {} : { crossRegionRestore: vault.crossRegionRestore }),
    },
    policy: policy ?? U,
  };
  const diagnostics = validateProtectedVm(args as unknown as ProtectedVmArgs, options);
  const vaultName = text(facts.vaultName);
  if (facts.policy !== undefined && vaultName !== undefined && !same(facts.policy.vaultName, vaultName)) {
    diagnostics.push(policyOfOtherVault(name, facts.policy.vaultName, vaultName));
  }
  return diagnostics;
}

interface VmEntry {
  resource: StackResource;
  identity: VmIdentity;
}

interface ItemEntry {
  resource: StackResource;
  facts: ProtectedItemFacts;
}

function matches(vm: VmIdentity, named: { resourceGroup: string; name: string } | undefined, id: string | undefined): boolean {
  if (id !== undefined && vm.id !== undefined) return sameArmId(id, vm.id);
  if (named === undefined || !same(named.name, vm.name)) return false;
  return vm.resourceGroup === undefined || same(named.resourceGroup, vm.resourceGroup);
}

/** The VM of the stack an item protects (see the module comment), or undefined. */
function vmOfItem(item: ItemEntry, vms: readonly VmEntry[]): VmEntry | undefined {
  const id = text(item.facts.sourceResourceId);
  const named: ContainerVm | { resourceGroup: string; name: string } | undefined = item.facts.vm ?? item.facts.namedVm;
  if (id !== undefined || named !== undefined) return vms.find((vm) => matches(vm.identity, named, id));
  const dependencies = new Set(item.resource.dependencies ?? []);
  const candidates = vms.filter((vm) => dependencies.has(vm.resource.urn));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** The VM as the rules take it, from its properties (location unknown when absent: the resource group's). */
function vmArgsOf(vm: VmEntry, item: ItemEntry): VmArgs {
  const p = vm.resource.props;
  const location = text(p.location);
  const description = describeVirtualMachine(
    location ?? U,
    p.storageProfile as StorageProfileLike | undefined,
    p.osProfile as OsProfileLike | undefined,
    p.securityProfile as SecurityProfileLike | undefined,
  );
  return { ...description, id: text(item.facts.sourceResourceId) ?? vm.identity.id ?? U };
}

export interface StackOptions {
  rules?: RuleOptions;
  /** Only VMs with this tag must be protected (all VMs when absent). */
  selection?: VmSelection;
}

/** Every VM selected has a protected item (plan/vm-unprotected). A VM whose tags are not known yet is not judged. */
export function protectionFindings(resources: readonly StackResource[], options: StackOptions = {}): Finding[] {
  const { vms, items } = collect(resources);
  const protectedVms = new Set(items.map((item) => vmOfItem(item, vms)).filter((vm): vm is VmEntry => vm !== undefined));
  const findings: Finding[] = [];
  for (const vm of vms) {
    const tags = vm.resource.props.tags;
    if (tags === U || protectedVms.has(vm)) continue;
    if (!vmSelected(tags as Record<string, unknown> | undefined, options.selection)) continue;
    findings.push({ diagnostic: vmUnprotected(labelOf("vm", vm.resource.name), options.selection), urn: vm.resource.urn });
  }
  return findings;
}

function collect(resources: readonly StackResource[]) {
  const vaults: Array<{ resource: StackResource; args: VaultArgs; name: string | undefined }> = [];
  const policies: Array<{ resource: StackResource; args: PolicyArgs; vaultName: string | undefined; name: string | undefined }> = [];
  const vms: VmEntry[] = [];
  const items: ItemEntry[] = [];
  for (const resource of resources) {
    const kind = kindOf(resource.type);
    if (kind === "vault") {
      const args = vaultArgsOf(resource.props, resource.name);
      vaults.push({ resource, args, name: text(args.name) });
    } else if (kind === "policy") {
      const args = policyArgsOf(resource.props, resource.name);
      if (isVmPolicy(args)) policies.push({ resource, args, vaultName: text(resource.props.vaultName), name: text(args.name) });
    } else if (kind === "vm") {
      vms.push({ resource, identity: vmIdentityOf(resource.props) });
    } else if (kind === "protectedItem") {
      const facts = protectedItemOf(resource.props);
      if (isVmItem(facts)) items.push({ resource, facts });
    }
  }
  return { vaults, policies, vms, items };
}

/**
 * The protected items of VMs declared in the stack, judged with their VM, vault and policy: as one plan when the vault
 * (and the policy, unless it is the vault's DefaultPolicy) is in the stack, else item by item with what the stack has.
 * Only what a single resource's check cannot see is returned: the VM entries' and the plan's diagnostics (a vault's
 * or a policy's own are the resource policies').
 */
export function planFindings(resources: readonly StackResource[], options: StackOptions = {}): Finding[] {
  const { vaults, policies, vms, items } = collect(resources);
  const builder = new PlanBuilder();
  const urns: Record<"vault" | "policy" | "vm", string[]> = { vault: [], policy: [], vm: [] };
  for (const vault of vaults) {
    if (vault.name === undefined) continue;
    builder.vault(vault.args, { label: labelOf("vault", vault.resource.name) });
    urns.vault.push(vault.resource.urn);
  }
  for (const policy of policies) {
    if (policy.name === undefined || policy.vaultName === undefined || !vaults.some((v) => same(v.name, policy.vaultName))) continue;
    builder.policy(policy.vaultName, policy.name, policy.args, { label: labelOf("policy", policy.resource.name) });
    urns.policy.push(policy.resource.urn);
  }
  const findings: Finding[] = [];
  for (const item of items) {
    const vm = vmOfItem(item, vms);
    if (vm === undefined) continue;
    const vmArgs = vmArgsOf(vm, item);
    const vaultName = text(item.facts.vaultName);
    const policyName = item.facts.policy?.policyName;
    const vault = vaults.find((v) => same(v.name, vaultName));
    const policy = policies.find((p) => same(p.vaultName, vaultName) && same(p.name, policyName));
    const name: EntryName = { label: labelOf("protectedItem", item.resource.name) };
    if (vault !== undefined && vaultName !== undefined && policyName !== undefined && (policy !== undefined || same(policyName, DEFAULT_POLICY_NAME))) {
      builder.vm(vaultName, policy?.name ?? DEFAULT_POLICY_NAME, vmArgs, {}, name);
      urns.vm.push(item.resource.urn);
      continue;
    }
    // What the item's own check reports already is not reported twice.
    const alone = new Set(itemDiagnostics(item.resource.name, item.facts, options.rules).map((d) => `${d.code} ${d.path}`));
    for (const diagnostic of itemDiagnostics(item.resource.name, item.facts, options.rules, vmArgs, vault?.args, policy?.args)) {
      if (!alone.has(`${diagnostic.code} ${diagnostic.path}`)) findings.push({ diagnostic, urn: item.resource.urn });
    }
  }
  if (urns.vm.length === 0) return findings;
  for (const diagnostic of builder.analyze(options.rules).diagnostics) {
    const subject = diagnostic.subject;
    const kind = subject?.kind;
    // A vault's or a policy's own rules are the resource policies', as is an item's VM id.
    if ((kind !== "vm" && !diagnostic.code.startsWith("plan/")) || diagnostic.code === "vm/id") continue;
    const urn = kind === "vault" || kind === "policy" || kind === "vm" ? urns[kind][subject!.index] : undefined;
    findings.push({ diagnostic, urn: urn ?? "" });
  }
  return findings;
}
