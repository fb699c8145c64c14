/**
 * The shapes of a backup plan (what `analyzePlan` takes and returns) and the entries its checks share.
 */
import type { ProtectedInstanceEstimate } from "./estimates";
import type { ParsedPolicy, PolicyArgs } from "./policy-types";
import type { Weekday } from "./calendar";
import type { VaultOnDestroy, VmLifecycleArgs } from "./destroy";
import type { Diagnostic } from "./diagnostics";
import type { UtcRuns } from "./schedule-slots";
import type { ParsedVault, VaultArgs } from "./vault";
import type { ParsedVm, VmArgs } from "./vm";

/** Azure creates a policy of this name in every new vault. */
export const DEFAULT_POLICY_NAME = "DefaultPolicy";

export interface PlanVault extends VaultArgs {
  /** What destroy does with the vault's backups (default "retain"). */
  onDestroy?: VaultOnDestroy;
}

export interface PlanPolicy extends PolicyArgs {
  /** Name of the vault (in `vaults`) the policy belongs to. */
  vault: string;
  name: string;
}

export interface PlanVm extends VmArgs, VmLifecycleArgs {
  vault: string;
  /** Policy name in the VM's vault; `DefaultPolicy` when not declared means the 2017 portal's default policy (DOCS.vmBackupTutorial2017). */
  policy: string;
  includeDiskLuns?: number[];
  excludeDiskLuns?: number[];
}

/** A VM already protected in Azure. */
export interface ExistingItem {
  vmId: string;
  vault: string;
  policy?: string;
}

export interface Plan {
  vaults: PlanVault[];
  policies: PlanPolicy[];
  vms: PlanVm[];
  existingItems?: ExistingItem[];
}

export interface VmEstimate extends ProtectedInstanceEstimate {
  path: string;
  id: string;
  name: string;
  vault: string;
  policy: string;
}

export interface VaultSummary {
  name: string;
  location: string;
  /** VMs protected in the vault after the plan: the plan's and those already there. */
  vms: number;
  policies: number;
  protectedInstanceGb: number;
  billingUnits: number;
  smallInstances: number;
  /** The most VMs starting a backup at one time, and when (UTC). */
  busiestStart?: { vms: number; timeUtc: string; weekdays: Weekday[] };
  /** VMs starting a backup at each UTC time of day (`startLoad`), for a chart against `vmsPerSchedule`. */
  startLoad?: StartLoad;
}

/**
 * The VMs of a vault that start a backup at each UTC time of day, each time zone at its offset on `date` (Azure keeps
 * one offset all year: schedule-slots.ts), the busiest day of the week counted; and the limit they are held to.
 */
export interface StartLoad {
  /** The date whose UTC offsets place the zones' start times (ISO date). */
  date: string;
  /** The `vmsPerSchedule` limit of the profile that applied. */
  limit: number;
  /** Ascending by time; only times at which some VM starts. */
  starts: Array<{ timeUtc: string; vms: number }>;
}

export interface PlanReport {
  profile: string;
  diagnostics: Diagnostic[];
  vaults: VaultSummary[];
  vms: VmEstimate[];
}

export interface VaultEntry {
  index: number;
  name: string;
  parsed: ParsedVault;
  policies: Map<string, PolicyEntry>;
}

export interface PolicyEntry {
  /** Index in `plan.policies`, or -1 for an undeclared DefaultPolicy. */
  index: number;
  name: string;
  parsed: ParsedPolicy;
  /** Cached by `policyRuns`. */
  runs?: UtcRuns[];
}

/** One VM protected in a vault: from the plan (`index`) or already in Azure (`existing`). */
export interface Member {
  vmId: string;
  label: string;
  path: string;
  policy: PolicyEntry | undefined;
  vm?: ParsedVm;
  planIndex?: number;
}
