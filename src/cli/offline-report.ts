/**
 * The review report of an offline run (`azure-vm-backup offline --preview --format markdown|report-json`): what a
 * reviewer reads on a pull request. Built from the run's result (its steps, check failures, operation errors and
 * log) and the inputs of its resources (`recordInputs`): the changes in the user's words (component names and
 * types), the errors and warnings with their rule, fix and source, and the estimates of `analyzePlan` over a plan
 * made of the program's vaults, policies and protected VMs (each VM's disks as the program declares them, or as the
 * emulator serves them): protected-instance size, billing units, first-backup hours, and per vault the VMs starting
 * at each UTC time against the profile's `vmsPerSchedule`.
 *
 * The JSON form is this model (`OfflineReport`) as it is.
 */
import type { VmFixture } from "../emulator";
import {
  analyzePlan,
  describeVirtualMachine,
  formatVmId,
  type StorageProfileLike,
  type Plan,
  type PlanPolicy,
  type PlanVm,
  type RuleOptions,
  type VaultSummary,
  type VmArgs,
} from "../rules";
import { OFFLINE_SUBSCRIPTION, type RunResult, type Step, type StepOp } from "../testing";
import type { VmEstimateRow } from "./format-markdown";

/** The unknown value of a preview (an output not known until the resource exists). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DYNAMIC = "pulumi-nodejs:dynamic/azure-vm-backup:";
const COMPONENT = "azure-vm-backup:index:";

export type ChangeOp = Exclude<StepOp, "same" | "read">;

export interface ReportChange {
  op: ChangeOp;
  /** The component's or resource's name in the program. */
  name: string;
  /** `BackupVault`, `ProtectedVm`, ... for this package's components; the Pulumi type of other resources. */
  type: string;
  /** Its check or its operation failed. */
  failed?: boolean;
}

/** A check failure, an operation error or a logged warning, split into what a diagnostic says. */
export interface ReportFinding {
  /** `BackupVault 'fleet-vault'`, `VirtualMachine 'web-001'`, or `program`. */
  resource: string;
  /** The argument (input property) at fault, when the check named one. */
  argument?: string;
  /** The rule's catalog code (`plan/vms-per-schedule`), when the message carries one. */
  code?: string;
  message: string;
  /** `vmsPerSchedule = 100 (stack-v2-2018)`. */
  limit?: string;
  fix?: string;
  /** The public source of the rule or limit: its title, its address when it has one, and the words it says. */
  source?: { title: string; url?: string; quote?: string };
}

/** A VM's estimate as the per-VM table shows it (`name`: from its ARM id; `usedDataEstimated`: the disks' size was counted, their used data is not known before the first backup). */
export interface ReportVm extends VmEstimateRow {
  /** The ProtectedVm component's name. */
  component: string;
}

export interface OfflineReport {
  project: string;
  stack: string;
  /** The run reported on: "preview", "up", ... */
  run: RunResult["kind"];
  verdict: "errors" | "warnings" | "ok";
  counts: Record<ChangeOp, number> & { unchanged: number; errors: number; warnings: number };
  changes: ReportChange[];
  errors: ReportFinding[];
  warnings: ReportFinding[];
  /** The limit profile the estimates and start times were computed with. */
  profile: string;
  /** Per vault: VMs, policies, protected data, billing units, busiest start, and `startLoad` (VMs per UTC start time, the limit). */
  vaults: VaultSummary[];
  vms: ReportVm[];
  /** Protected VMs left out of the estimates: their VM's disks are not known (neither declared nor served by the emulator). */
  notEstimated: string[];
}

export interface ReportContext {
  project: string;
  stack: string;
  /** The stack's config (for the subscription of VMs declared in the program). */
  config: Record<string, string>;
  rules: RuleOptions;
  /** The VMs the emulator serves (existing VMs, `--vms`). */
  vms: readonly VmFixture[];
}

type Props = Record<string, unknown>;

function known(value: unknown): boolean {
  return value !== undefined && value !== null && value !== UNKNOWN;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== UNKNOWN ? value : undefined;
}

/** The inputs of a resource without what is Pulumi's or this package's plumbing, and without unknown values. */
function args(inputs: Props, drop: readonly string[]): Props {
  return Object.fromEntries(Object.entries(inputs).filter(([k, v]) => !k.startsWith("__") && !drop.includes(k) && known(v)));
}

/** `urn:...::a$b$c::name` → `c`. */
function typeOfUrn(urn: string): string {
  const chain = urn.split("::")[2] ?? "";
  return chain.split("$").pop() ?? chain;
}

function shortType(type: string): string {
  return type.startsWith(COMPONENT) ? type.slice(COMPONENT.length) : type;
}

/** Which component a resource belongs to, in the user's words: a dynamic resource of this package speaks for its component. */
function subjectOf(urn: string, steps: ReadonlyMap<string, Step>): string {
  if (urn === "") return "program";
  let step = steps.get(urn);
  if (step?.type.startsWith(DYNAMIC) === true && steps.has(step.parent)) step = steps.get(step.parent);
  const type = step?.type ?? typeOfUrn(urn);
  const name = step?.name ?? urn.split("::")[3] ?? urn;
  return `${shortType(type).split(":").pop()} '${name}'`;
}

const RANK: Record<StepOp, number> = { same: 0, read: 0, create: 1, delete: 1, update: 2, replace: 3 };

/** The changes as a reviewer reads them: each component once, with the strongest change of its own resources; other providers' resources as they are. */
export function changesOf(result: RunResult): ReportChange[] {
  const children = new Map<string, Step[]>();
  for (const s of result.steps) if (s.type.startsWith(DYNAMIC)) children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
  const changes: ReportChange[] = [];
  for (const s of result.steps) {
    if (s.type === "pulumi:pulumi:Stack" || s.type.startsWith(DYNAMIC)) continue;
    let op = s.op;
    let failed = s.failed === true;
    for (const child of children.get(s.urn) ?? []) {
      if (RANK[child.op] > RANK[op] || (op === "same" && child.op !== "same")) op = child.op;
      failed ||= child.failed === true;
    }
    if (op === "same" || op === "read") continue;
    changes.push({ op, name: s.name, type: shortType(s.type), ...(failed ? { failed: true } : {}) });
  }
  // A dynamic resource without its component (a stack made with an older program) still shows.
  const components = new Set(result.steps.map((s) => s.urn));
  for (const s of result.steps) {
    if (!s.type.startsWith(DYNAMIC) || components.has(s.parent) || s.op === "same" || s.op === "read") continue;
    changes.push({ op: s.op, name: s.name, type: s.type.slice(DYNAMIC.length), ...(s.failed === true ? { failed: true } : {}) });
  }
  return changes;
}

/**
 * Splits a diagnostic as `describeDiagnostic` (src/rules/diagnostics.ts) writes it on one line:
 * `[code] message Limit key = value (profile). Fix: remedy Source: title <url>.`
 */
export function parseDiagnosticText(line: string): Omit<ReportFinding, "resource" | "argument"> {
  let rest = line.trim();
  const out: Omit<ReportFinding, "resource" | "argument"> = { message: "" };
  const code = /^\[([a-z0-9-]+\/[a-z0-9-]+)\]\s*/i.exec(rest);
  if (code !== null) {
    out.code = code[1]!;
    rest = rest.slice(code[0].length);
  }
  const source = / Source: (.*?)\.?$/.exec(rest);
  if (source !== null) {
    // `title <url>`, `title <url>: "what it says"`, a bare address, or a title alone.
    const link = /^(.*?)\s*<(https?:\/\/[^>\s]+)>(?::\s*(.*))?$/.exec(source[1]!);
    if (link !== null) out.source = { title: link[1]!, url: link[2]!, ...(link[3] === undefined || link[3] === "" ? {} : { quote: link[3] }) };
    else out.source = /^https?:\/\/\S+$/.test(source[1]!) ? { title: source[1]!, url: source[1]! } : { title: source[1]! };
    rest = rest.slice(0, source.index);
  }
  const fix = / Fix: (.*)$/.exec(rest);
  if (fix !== null) {
    out.fix = fix[1]!.trim();
    rest = rest.slice(0, fix.index);
  }
  const limit = / Limit (\S+ = .*? \(.*?\))\.$/.exec(rest);
  if (limit !== null) {
    out.limit = limit[1]!;
    rest = rest.slice(0, limit.index);
  }
  out.message = rest.trim();
  return out;
}

function findings(result: RunResult, steps: ReadonlyMap<string, Step>): { errors: ReportFinding[]; warnings: ReportFinding[] } {
  const errors: ReportFinding[] = [];
  const warnings: ReportFinding[] = [];
  for (const f of result.failures) {
    errors.push({ resource: subjectOf(f.urn, steps), ...(f.property === "" ? {} : { argument: f.property }), ...parseDiagnosticText(f.reason) });
  }
  for (const e of result.errors) errors.push({ resource: subjectOf(e.urn, steps), ...parseDiagnosticText(`${e.op} failed: ${e.message}`) });
  if (result.programError !== undefined) errors.push({ resource: "program", message: `The program failed: ${result.programError}` });
  for (const l of result.logs) {
    if (l.severity === "error") errors.push({ resource: subjectOf(l.urn, steps), ...parseDiagnosticText(l.message) });
    else if (l.severity === "warning") warnings.push({ resource: subjectOf(l.urn, steps), ...parseDiagnosticText(l.message) });
  }
  return { errors, warnings };
}

/** A VM the emulator serves, as the rules describe a VM. */
function fixtureVm(vm: VmFixture): VmArgs {
  const disk = (d: VmFixture["osDisk"]) => ({
    sizeGb: d.sizeGb,
    ...(d.usedGb === undefined ? {} : { usedGb: d.usedGb }),
    ...(d.storageType === undefined ? {} : { storageType: d.storageType }),
    ...(d.managed === undefined ? {} : { managed: d.managed }),
    ...(d.storageAccount === undefined ? {} : { storageAccount: d.storageAccount }),
  });
  return {
    id: vm.id,
    location: vm.location,
    ...(vm.osType === undefined ? {} : { osType: vm.osType }),
    ...(vm.image === undefined ? {} : { osImage: vm.image }),
    osDisk: disk(vm.osDisk),
    dataDisks: (vm.dataDisks ?? []).map((d) => ({ lun: d.lun, ...disk(d) })),
    ...(vm.securityType === undefined ? {} : { securityType: vm.securityType }),
  };
}

/** The plan the program declares: its vaults, policies, and protected VMs with their disks; and the VMs that could not be described. */
export function planOf(result: RunResult, context: ReportContext): { plan: Plan; components: Map<string, string>; notEstimated: string[] } {
  const recorded = Object.entries(result.inputs ?? {});
  const steps = new Map(result.steps.map((s) => [s.urn, s]));
  const of = (kind: string) => recorded.filter(([urn]) => steps.get(urn)?.type === `${DYNAMIC}${kind}` || typeOfUrn(urn) === `${DYNAMIC}${kind}`);
  const subscription = context.config["azure-native:subscriptionId"] ?? OFFLINE_SUBSCRIPTION;
  const fixtures = new Map(context.vms.map((v) => [v.id.toLowerCase(), v]));
  const declaredVms = new Map(recorded.filter(([urn]) => typeOfUrn(urn) === "azure-native:compute:VirtualMachine"));

  const plan: Plan = { vaults: [], policies: [], vms: [] };
  for (const [, { inputs }] of of("Vault")) {
    const name = text(inputs.name);
    const location = text(inputs.location);
    if (name === undefined || location === undefined) continue;
    plan.vaults.push({ name, location, ...(text(inputs.subscriptionId) === undefined ? {} : { subscriptionId: text(inputs.subscriptionId)! }) });
  }
  for (const [, { inputs }] of of("BackupPolicy")) {
    const vault = text(inputs.vaultName);
    const name = text(inputs.name);
    if (vault === undefined || name === undefined) continue;
    const policy = args(inputs, ["name", "vaultName", "resourceGroupName", "subscriptionId", "programChecks", "onDestroy"]);
    plan.policies.push({ ...(policy as unknown as PlanPolicy), vault, name });
  }
  // The ProtectedVm components' names by VM id, for the per-VM table.
  const components = new Map<string, string>();
  const notEstimated: string[] = [];
  for (const [urn, { inputs, dependencies }] of of("ProtectedVm")) {
    const component = text(inputs.componentName) ?? urn.split("::")[3] ?? urn;
    const vault = text(inputs.vaultName);
    const policy = text(inputs.policyName);
    if (vault === undefined || policy === undefined) {
      notEstimated.push(component);
      continue;
    }
    let vm: VmArgs | undefined;
    const id = text(inputs.vmId);
    const description = inputs.vm;
    if (id !== undefined && description !== null && typeof description === "object") vm = { ...(description as Omit<VmArgs, "id">), id };
    if (vm === undefined && id !== undefined && fixtures.has(id.toLowerCase())) vm = fixtureVm(fixtures.get(id.toLowerCase())!);
    if (vm === undefined) {
      // A VM the program declares (azure-native), not created yet: described from its inputs, as the component describes it.
      const declared = dependencies.map((d) => declaredVms.get(d)).find((d) => d !== undefined)?.inputs;
      const location = text(declared?.location);
      const resourceGroup = text(declared?.resourceGroupName);
      const name = text(declared?.vmName) ?? text(declared?.name);
      if (declared !== undefined && location !== undefined && resourceGroup !== undefined && name !== undefined) {
        const description = describeVirtualMachine(
          location,
          declared.storageProfile as StorageProfileLike | undefined,
          declared.osProfile as never,
          declared.securityProfile as never,
        );
        vm = { ...description, id: id ?? formatVmId({ subscriptionId: subscription, resourceGroup, name, kind: "arm" }) };
      }
    }
    if (vm === undefined) {
      notEstimated.push(component);
      continue;
    }
    components.set(vm.id.toLowerCase(), component);
    const selection = args(inputs, ["vaultName", "policyName", "vmId", "vm"]);
    plan.vms.push({
      ...vm,
      vault,
      policy,
      ...(Array.isArray(selection.includeDiskLuns) ? { includeDiskLuns: selection.includeDiskLuns as number[] } : {}),
      ...(Array.isArray(selection.excludeDiskLuns) ? { excludeDiskLuns: selection.excludeDiskLuns as number[] } : {}),
    } as PlanVm);
  }
  return { plan, components, notEstimated };
}

/** The report of one run (the preview, for `offline --preview`). */
export function buildOfflineReport(result: RunResult, context: ReportContext): OfflineReport {
  const steps = new Map(result.steps.map((s) => [s.urn, s]));
  const changes = changesOf(result);
  const { errors, warnings } = findings(result, steps);
  const { plan, components, notEstimated } = planOf(result, context);
  // The estimates only: the run's own checks (the providers' check(), which ran on the same rules) decide what fails.
  const analysis = analyzePlan(plan, context.rules);
  const vms: ReportVm[] = analysis.vms.map((e) => ({
    name: e.name,
    component: components.get(e.id.toLowerCase()) ?? e.name,
    vault: e.vault,
    policy: e.policy,
    protectedInstanceGb: e.protectedInstanceGb,
    usedDataEstimated: e.usedDataEstimated,
    billing: e.billing,
    initialBackupHours: e.initialBackupHours,
  }));
  const count = (op: ChangeOp) => changes.filter((c) => c.op === op).length;
  const unchanged = result.steps.filter((s) => s.op === "same" && !s.type.startsWith(DYNAMIC) && s.type !== "pulumi:pulumi:Stack").length;
  return {
    project: context.project,
    stack: context.stack,
    run: result.kind,
    verdict: errors.length > 0 || !result.ok ? "errors" : warnings.length > 0 ? "warnings" : "ok",
    counts: {
      create: count("create"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
      unchanged,
      errors: errors.length,
      warnings: warnings.length,
    },
    changes,
    errors,
    warnings,
    profile: analysis.profile,
    vaults: analysis.vaults,
    vms,
    notEstimated,
  };
}
