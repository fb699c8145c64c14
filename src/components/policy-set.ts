/**
 * BackupPolicySet: a fleet of VMs backed up within a window by as many daily policies as needed, each starting at its
 * own time on the hour or half hour, so that no start time holds more VMs than the limit profile's `vmsPerSchedule`
 * ("Don't schedule backups for more than 100 VMs from one vault, at the same time": DOCS.vmBackupPlanning2018) and each
 * VM's estimated backup ends within the window (src/rules/stagger.ts).
 *
 * Which VM starts when is kept in the stack's state by a small dynamic resource (src/providers/policy-set.ts), so a VM
 * stays on its policy from one run to the next: adding VMs, anywhere in the list, places only the new ones. Its policies
 * are named from their start time (`${namePrefix}-2230`), so that a policy's identity does not change when others are
 * added, and its protected VMs from their VM (resource group and name), not from their position in the list.
 *
 * The policies and protected VMs are declared once the assignment is known: in a preview, as soon as the VMs' ids are
 * (not before VMs the same program creates exist), and in every `up`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicySetOutputs } from "../providers/types";
import { armIdKey, parseVmId, type PolicyType, type RetentionArgs, type VmOnDestroy } from "../rules";
import { checkArguments } from "./arguments";
import { BackupResource, childOptions } from "./dynamic";
import { BackupPolicy } from "./policy";
import { ProtectedVm } from "./protected-vm";
import type { BackupVault } from "./vault";
import { isVirtualMachine, vmDescriptionOf, type VirtualMachineLike } from "./vm-description";

export interface BackupPolicySetArgs {
  /** The vault: a BackupVault, or an existing vault's resource id. */
  vault: BackupVault | pulumi.Input<string>;
  /** The VMs: `@pulumi/azure-native` `compute.VirtualMachine` resources, or existing VMs' resource ids (in any case). */
  vms: Array<VirtualMachineLike | pulumi.Input<string>>;
  /** When backups may run: `{ start: "22:00", hours: 6 }` (a start on the hour or half hour, in `timeZone`). */
  window: pulumi.Input<{ start: string; hours: number }>;
  /** The Windows time-zone id of the window and the policies, e.g. "W. Europe Standard Time"; default "UTC". */
  timeZone?: pulumi.Input<string>;
  /** The policies' retention, as BackupPolicy takes it; default 180 daily points. */
  retention?: pulumi.Input<RetentionArgs>;
  /** "V1" (standard, default) or "V2" (enhanced). */
  policyType?: pulumi.Input<PolicyType>;
  /** Days snapshots are kept for instant restore (BackupPolicy's instantRestoreRetentionDays). */
  instantRestoreRetentionDays?: pulumi.Input<number>;
  /** The policies' names are `${namePrefix}-HHMM`; default: this resource's name. */
  namePrefix?: string;
  /**
   * What a VM's estimated backup is, to fit the window: "initial" (default) its first, full backup, "incremental" an
   * incremental backup of its largest disk fully changed (DOCS.vmBackupPlanning2018's throughputs, src/rules/estimates.ts).
   */
  estimate?: pulumi.Input<"initial" | "incremental">;
  /** The protected VMs' onDestroy (ProtectedVm's): default "stopProtectionRetainData". */
  onDestroy?: pulumi.Input<VmOnDestroy>;
}

interface VmEntry {
  resource: VirtualMachineLike | undefined;
  id: pulumi.Output<string>;
}

/** "22:30" -> "2230". */
const compact = (time: string): string => time.replace(":", "");

export class BackupPolicySet extends pulumi.ComponentResource {
  /** Each VM's policy: VM id (as given) -> policy name. */
  declare readonly assignment: pulumi.Output<Record<string, string>>;
  /** The policies' names, in the window's order. */
  declare readonly policyNames: pulumi.Output<string[]>;
  /** The start times in use and their VMs (ids as given). */
  declare readonly slots: pulumi.Output<Array<{ time: string; vmIds: string[] }>>;

  constructor(name: string, args: BackupPolicySetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-vm-backup:index:BackupPolicySet", name, {}, opts);
    checkArguments(this, "BackupPolicySet", name, args);
    const prefix = args.namePrefix ?? name;
    const entries: VmEntry[] = args.vms.map((vm) =>
      isVirtualMachine(vm) ? { resource: vm, id: vm.id } : { resource: undefined, id: pulumi.output(vm as pulumi.Input<string>) },
    );
    const resources = entries.map((e) => e.resource).filter((r): r is VirtualMachineLike => r !== undefined);
    const vmInputs = args.vms.map((vm, i) =>
      isVirtualMachine(vm) ? pulumi.all([entries[i]!.id, vmDescriptionOf(vm)]).apply(([id, d]) => ({ id, vm: d })) : { id: entries[i]!.id },
    );
    const plan = new BackupResource<PolicySetOutputs>(
      "policy-set",
      name,
      { vms: vmInputs, window: args.window, estimate: args.estimate, componentName: name },
      ["assignment", "slots", "warnings"],
      childOptions(this, opts, resources),
    );
    const slots = plan.out("slots");
    plan.out("warnings").apply((warnings) => {
      for (const w of warnings ?? []) void pulumi.log.warn(w, this);
    });

    // The policies and protected VMs, once the assignment is known (see the module's comment).
    const byKey = new Map<string, VmEntry>();
    const declared = pulumi.all([slots, pulumi.all(entries.map((e) => e.id))]).apply(([known, ids]) => {
      ids.forEach((id, i) => byKey.set(armIdKey(id), entries[i]!));
      const names: Record<string, string> = {};
      for (const slot of known ?? []) {
        const policyName = `${prefix}-${compact(slot.time)}`;
        const policy = new BackupPolicy(
          `${name}-${compact(slot.time)}`,
          {
            vault: args.vault,
            policyName,
            schedule: { frequency: "Daily", time: slot.time },
            ...(args.timeZone === undefined ? {} : { timeZone: args.timeZone }),
            ...(args.retention === undefined ? {} : { retention: args.retention }),
            ...(args.policyType === undefined ? {} : { policyType: args.policyType }),
            ...(args.instantRestoreRetentionDays === undefined ? {} : { instantRestoreRetentionDays: args.instantRestoreRetentionDays }),
          },
          { parent: this },
        );
        for (const vmId of slot.vmIds) {
          const entry = byKey.get(armIdKey(vmId));
          const ref = parseVmId(vmId);
          new ProtectedVm(
            `${name}-${(ref?.resourceGroup ?? "vm").toLowerCase()}-${(ref?.name ?? vmId).toLowerCase()}`,
            {
              vm: entry?.resource ?? vmId,
              vault: args.vault,
              policy,
              ...(args.onDestroy === undefined ? {} : { onDestroy: args.onDestroy }),
            },
            { parent: this },
          );
          names[vmId] = policyName;
        }
      }
      return names;
    });

    this.assignment = declared;
    this.slots = slots;
    this.policyNames = slots.apply((s) => (s ?? []).map((slot) => `${prefix}-${compact(slot.time)}`));
    this.registerOutputs({ assignment: this.assignment, slots: this.slots, policyNames: this.policyNames });
  }
}
