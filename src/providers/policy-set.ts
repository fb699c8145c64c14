/**
 * A BackupPolicySet's assignment: which start time each of its VMs has. No Azure object: it lives only in the stack's
 * state, so that a later run keeps each VM on its start time. A Pulumi program cannot read its previous state, but a
 * dynamic provider's `check(olds, news)` receives the resource's previous inputs: check keeps the assignment found in
 * `olds`, places only the VMs that are new (src/rules/stagger.ts) and returns the result as its checked inputs. Those are
 * what create and update store, and what a preview shows the program as the resource's outputs (a provider that does
 * not support previews gets its checked inputs handed back as outputs: pulumi/pulumi
 * sdk/go/common/resource/plugin/provider_plugin.go, Create and Update, "If the provider does not support previews,
 * return the inputs as the state"; the dynamic-provider host advertises no preview support).
 *
 * Each VM's estimate comes from its disks: as the program declares them (a VM resource of the program), else as Azure
 * describes the VM (read once per process, src/azure/vms.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { getVm, itemNamesFor } from "../azure";
import { armIdKey, describeDiagnostic, estimateBackupHours, parseVmId, staggerPolicies, type EstimateBasis, type VmArgs } from "../rules";
import { lookups } from "../azure/lookups";
import { clients, failures, hasUnknown, lower, ruleOptions } from "./context";
import type { PolicySetInputs, PolicySetOutputs } from "./types";

const BASES: readonly EstimateBasis[] = ["initial", "incremental"];

/** The VM's disks: as declared, else as Azure describes it (undefined when it does not exist). */
async function vmArgsOf(entry: PolicySetInputs["vms"][number], subscriptionId: string | undefined): Promise<VmArgs | undefined> {
  if (entry.vm !== undefined && entry.vm !== null) return { ...entry.vm, id: entry.id } as VmArgs;
  const names = itemNamesFor(entry.id);
  const c = clients(subscriptionId);
  const vmClients = lower(names.vm.subscriptionId) === lower(c.subscriptionId) ? c : clients(names.vm.subscriptionId);
  const key = `vm:${names.vm.subscriptionId}/${names.vm.resourceGroup}/${names.vm.name}`.toLowerCase();
  const vm = await lookups.get(key, () => getVm(vmClients, names));
  if (vm === undefined) lookups.forget(key);
  return vm;
}

export const policySetProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<PolicySetOutputs>, news: PolicySetInputs): Promise<pulumi.dynamic.CheckResult> {
    const who = `BackupPolicySet '${news.componentName ?? "?"}'`;
    const { assignment: _a, slots: _s, warnings: _w, ...given } = news;
    // VMs still being created (their ids unknown in a preview): nothing to place yet; the outputs stay unknown.
    if (hasUnknown(given.vms) || hasUnknown(given.window) || hasUnknown(given.estimate)) return { inputs: given, failures: [] };
    const basis = given.estimate ?? "initial";
    if (!BASES.includes(basis)) {
      return {
        inputs: given,
        failures: [{ property: "estimate", reason: `${who}: estimate must be "initial" or "incremental", not ${JSON.stringify(basis)}.` }],
      };
    }
    const vms = Array.isArray(given.vms) ? given.vms : [];
    const problems: pulumi.dynamic.CheckFailure[] = [];
    const options = ruleOptions();
    const planned = await Promise.all(
      vms.map(async (entry, index) => {
        if (typeof entry?.id !== "string" || parseVmId(entry.id) === undefined) {
          problems.push({
            property: `vms[${index}]`,
            reason: `${who}: vms[${index}] ${JSON.stringify(entry?.id)} is not the resource id of a virtual machine.`,
          });
          return undefined;
        }
        const vm = await vmArgsOf(entry, given.subscriptionId);
        if (vm === undefined) {
          problems.push({
            property: `vms[${index}]`,
            reason: `${who}: VM '${entry.id}' does not exist, so its backup cannot be estimated. Fix: create it first, or pass the VM resource that creates it.`,
          });
          return undefined;
        }
        return { key: armIdKey(entry.id), label: parseVmId(entry.id)!.name, estimateHours: estimateBackupHours(vm, basis, options), id: entry.id };
      }),
    );
    if (problems.length > 0) return { inputs: given, failures: problems };
    const placed = planned.filter((p): p is NonNullable<typeof p> => p !== undefined);
    const previous = olds.assignment !== null && typeof olds.assignment === "object" && !Array.isArray(olds.assignment) ? olds.assignment : undefined;
    const result = staggerPolicies({ vms: placed, window: given.window, path: "vms", ...(previous === undefined ? {} : { previous }) }, options);
    const errors = failures(result.diagnostics).map((f) => ({ ...f, reason: `${who}: ${f.reason}` }));
    if (errors.length > 0) return { inputs: given, failures: errors };
    const idOf = new Map(placed.map((p) => [p.key, p.id]));
    const checked: PolicySetInputs = {
      ...given,
      assignment: result.assignment,
      slots: result.slots.map((s) => ({ time: s.time, vmIds: s.vmKeys.map((k) => idOf.get(k)!) })),
      warnings: result.diagnostics.filter((d) => d.severity === "warning").map((d) => describeDiagnostic(d)),
    };
    return { inputs: checked, failures: [] };
  },

  async diff(_id: string, olds: PolicySetOutputs, news: PolicySetInputs): Promise<pulumi.dynamic.DiffResult> {
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const changed = !same(olds.assignment, news.assignment) || !same(olds.slots, news.slots) || !same(olds.window, news.window) || !same(olds.vms, news.vms);
    return { changes: changed, replaces: [] };
  },

  async create(inputs: PolicySetInputs): Promise<pulumi.dynamic.CreateResult> {
    return { id: `policy-set/${inputs.componentName ?? "set"}`, outs: inputs };
  },

  async read(id: string, props: PolicySetOutputs): Promise<pulumi.dynamic.ReadResult> {
    return { id, props };
  },

  async update(_id: string, _olds: PolicySetOutputs, news: PolicySetInputs): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: news };
  },

  /** Nothing in Azure: the policies and protected VMs are the set's other resources. */
  async delete(): Promise<void> {},
};
