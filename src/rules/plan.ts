/**
 * Plan checks: every vault, policy and VM of a backup plan (and the items already protected in Azure),
 * and the rules that span them: one vault and one policy per VM, VMs per vault, VMs per schedule in a
 * vault, unmanaged disks per storage account per schedule, policies per vault, and backup windows.
 */
import { armIdKey, parseVmId } from "./arm-id";
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { checkVaultLifecycle, checkVmLifecycle, VAULT_LIFECYCLE_KEYS, VM_LIFECYCLE_KEYS } from "./destroy";
import { estimateDisks } from "./estimates";
import { readArray, readObject, readString } from "./input";
import { checkBackupWindow, checkSchedules, checkStorageAccounts, checkVmsPerPolicy, checkVmsPerVault, startLoad, summarizeVault } from "./plan-capacity";
import { DEFAULT_POLICY_NAME, type Member, type Plan, type PlanReport, type PolicyEntry, type VaultEntry } from "./plan-types";
import { checkPolicy } from "./policy";
import { checkDisksForCrashConsistent } from "./policy-tiering";
import { suggest } from "./suggest";
import { attachSubjects, entryPath, labelOf, subjectOf, type PlanNames } from "./subjects";
import { isKnown } from "./unknown";
import { checkVault } from "./vault";
import { applyDiskSelection, checkDiskTypesForPolicy, checkPlacement, checkSecurityType, checkVm } from "./vm";

export * from "./plan-types";

const PLAN_VM_KEYS = ["vault", "policy", "includeDiskLuns", "excludeDiskLuns", ...VM_LIFECYCLE_KEYS] as const;

/** Checks a whole backup plan; see `Plan`. */
export function checkPlan(plan: Plan, options?: RuleOptions, names?: PlanNames): Diagnostic[] {
  return analyzePlan(plan, options, names).diagnostics;
}

/**
 * Checks a plan and returns its diagnostics with per-VM and per-vault estimates. Each diagnostic about an
 * entry of the plan carries its subject, named by `names` (the resources of a program, the properties of
 * a provider; see `PlanBuilder`) or else by the entry's path in the plan.
 */
export function analyzePlan(plan: Plan, options?: RuleOptions, names?: PlanNames): PlanReport {
  const ctx = createContext(options);
  const report: PlanReport = { profile: ctx.limits.profile, diagnostics: ctx.diagnostics, vaults: [], vms: [] };
  const raw = readObject(ctx, plan, "", ["vaults", "policies", "vms", "existingItems"], { required: true, what: "the plan" });
  if (!isKnown(raw)) return report;

  const vaults = readVaults(ctx, raw.vaults, names);
  readPolicies(ctx, raw.policies, vaults, names);
  const members = new Map<VaultEntry, Member[]>([...vaults.values()].map((v) => [v, []]));
  const planVms = readVms(ctx, raw.vms, vaults, members, report, names);
  readExistingItems(ctx, raw.existingItems, vaults, members, planVms);

  for (const vault of vaults.values()) {
    const list = members.get(vault) ?? [];
    const summary = summarizeVault(vault, list, report.vms);
    checkVmsPerVault(ctx, vault, list);
    checkVmsPerPolicy(ctx, vault, list);
    const busiest = checkSchedules(ctx, vault, list);
    if (busiest !== undefined) summary.busiestStart = busiest;
    if (busiest !== undefined) summary.startLoad = startLoad(ctx, list);
    report.vaults.push(summary);
  }
  checkStorageAccounts(ctx, [...members.values()].flat());
  attachSubjects(report.diagnostics, names);
  return report;
}

function readVaults(ctx: RuleContext, value: unknown, names: PlanNames | undefined): Map<string, VaultEntry> {
  const vaults = new Map<string, VaultEntry>();
  const list = readArray(ctx, value, "vaults", { required: true, what: "vaults" });
  if (!isKnown(list)) return vaults;
  list.forEach((entry, index) => {
    const path = joinPath("vaults", index);
    const parsed = checkVault(ctx, entry, path, VAULT_LIFECYCLE_KEYS);
    checkVaultLifecycle(ctx, entry, path);
    if (!isKnown(parsed.name)) return;
    const key = parsed.name.toLowerCase();
    const other = vaults.get(key);
    if (other !== undefined) {
      ctx.report("plan/duplicate-vault", joinPath(path, "name"), `Vault '${parsed.name}' is declared twice (also ${labelOf(names, "vault", other.index)}).`, {
        remedy: "Give each vault its own name.",
      });
      return;
    }
    vaults.set(key, { index, name: parsed.name, parsed, policies: new Map() });
  });
  return vaults;
}

function findVault(ctx: RuleContext, vaults: Map<string, VaultEntry>, name: unknown, path: string, what: string): VaultEntry | undefined {
  const text = readString(ctx, name, path, { required: true, what: `${what}'s vault` });
  if (!isKnown(text)) return undefined;
  const vault = vaults.get(text.toLowerCase());
  if (vault === undefined) {
    const names = [...vaults.values()].map((v) => v.name);
    ctx.report("plan/vault-unknown", path, `Vault '${text}' is not in the plan${suggest(text, names)}.`, {
      remedy: names.length === 0 ? "Declare the vault under vaults." : `Use one of: ${names.join(", ")}; or declare the vault under vaults.`,
    });
  }
  return vault;
}

function readPolicies(ctx: RuleContext, value: unknown, vaults: Map<string, VaultEntry>, names: PlanNames | undefined): void {
  const list = readArray(ctx, value, "policies", { what: "policies" });
  if (!isKnown(list)) return;
  list.forEach((entry, index) => {
    const path = joinPath("policies", index);
    const parsed = checkPolicy(ctx, entry, path, ["vault"]);
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as Record<string, unknown>;
    const name = readString(ctx, record.name, joinPath(path, "name"), { required: true, what: "policy name" });
    const vault = findVault(ctx, vaults, record.vault, joinPath(path, "vault"), "policy");
    if (!isKnown(name) || vault === undefined) return;
    const other = vault.policies.get(name.toLowerCase());
    if (other !== undefined) {
      ctx.report(
        "plan/duplicate-policy",
        joinPath(path, "name"),
        `Vault '${vault.name}' already has a policy '${name}' (${labelOf(names, "policy", other.index)}).`,
        {
          remedy: "Give each policy in a vault its own name.",
        },
      );
      return;
    }
    vault.policies.set(name.toLowerCase(), { index, name, parsed });
    const max = ctx.limit("policiesPerVault");
    if (max !== null && vault.policies.size === max + 1) {
      ctx.report("plan/policies-per-vault", path, `Vault '${vault.name}' has more than ${max} policies.`, {
        limit: "policiesPerVault",
        remedy: "Share policies between VMs with the same schedule and retention.",
      });
    }
  });
}

/**
 * The vault's policy of this name; an undeclared `DefaultPolicy` is the vault's built-in one, modelled as
 * the 2017 portal's default policy (DOCS.vmBackupTutorial2017) and registered on first use.
 */
function policyNamed(ctx: RuleContext, vault: VaultEntry, name: string): PolicyEntry | undefined {
  const key = name.toLowerCase();
  const declared = vault.policies.get(key);
  if (declared !== undefined || key !== DEFAULT_POLICY_NAME.toLowerCase()) return declared;
  const scratch = createContext({ profile: ctx.limits.profile, limits: ctx.limits.all() });
  const entry: PolicyEntry = { index: -1, name: DEFAULT_POLICY_NAME, parsed: checkPolicy(scratch, {}) };
  vault.policies.set(key, entry);
  return entry;
}

function findPolicy(ctx: RuleContext, vault: VaultEntry, name: unknown, path: string): PolicyEntry | undefined {
  const text = readString(ctx, name, path, { required: true, what: "the VM's policy" });
  if (!isKnown(text)) return undefined;
  const policy = policyNamed(ctx, vault, text);
  if (policy !== undefined) return policy;
  const names = [...vault.policies.values()].filter((p) => p.index >= 0).map((p) => p.name);
  ctx.report("plan/policy-unknown", path, `Vault '${vault.name}' has no policy '${text}'${suggest(text, names)}.`, {
    remedy: `Use one of: ${[...names, DEFAULT_POLICY_NAME].join(", ")}; or declare the policy with vault '${vault.name}'.`,
  });
  return undefined;
}

/** The plan's VMs by `armIdKey` of their id. */
type PlannedVms = Map<string, { index: number; vault: VaultEntry | undefined; policy: PolicyEntry | undefined }>;

function readVms(
  ctx: RuleContext,
  value: unknown,
  vaults: Map<string, VaultEntry>,
  members: Map<VaultEntry, Member[]>,
  report: PlanReport,
  names: PlanNames | undefined,
): PlannedVms {
  const seen: PlannedVms = new Map();
  const list = readArray(ctx, value, "vms", { what: "vms" });
  if (!isKnown(list)) return seen;
  list.forEach((entry, index) => {
    const path = joinPath("vms", index);
    const vctx = ctx.nested(path);
    const vm = checkVm(vctx, entry, PLAN_VM_KEYS);
    checkVmLifecycle(vctx, entry);
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as Record<string, unknown>;
    applyDiskSelection(vctx, vm, { includeDiskLuns: record.includeDiskLuns, excludeDiskLuns: record.excludeDiskLuns }, "");
    const vault = findVault(vctx, vaults, record.vault, "vault", "VM");
    const policy = vault === undefined ? undefined : findPolicy(vctx, vault, record.policy, "policy");
    if (vault !== undefined) {
      checkPlacement(vctx, vm, { name: vault.name, location: vault.parsed.location, subscriptionId: vault.parsed.subscriptionId }, "");
    }
    if (policy !== undefined) {
      checkDiskTypesForPolicy(vctx, vm, policy.parsed.policyType, policy.index >= 0 ? `policies[${policy.index}].policyType` : "policy");
      checkDisksForCrashConsistent(vctx, vm, policy.parsed.snapshotConsistency, policy.index >= 0 ? `policies[${policy.index}].snapshotConsistency` : "policy");
    }
    checkSecurityType(
      vctx,
      vm,
      policy?.parsed.policyType,
      policy === undefined || policy.index < 0 ? "policy" : `policies[${policy.index}].policyType`,
      vault === undefined ? undefined : { name: vault.name, crossRegionRestore: vault.parsed.vault?.crossRegionRestore },
    );
    if (!isKnown(vm.id)) return;
    const key = armIdKey(vm.id);
    const duplicate = seen.get(key);
    if (duplicate !== undefined) {
      const first = subjectOf(joinPath(entryPath("vm", duplicate.index), "id"), names)!;
      const again = subjectOf(joinPath(path, "id"), names)!;
      ctx.report(
        "plan/duplicate-vm",
        joinPath(path, "id"),
        `This VM is already protected by ${first.label} (argument '${first.argument}'); ${again.label} protects it again, and a VM has one vault and one policy.`,
        { remedy: "Remove one of the two protections.", related: [first] },
      );
      return;
    }
    seen.set(key, { index, vault, policy });
    if (vault === undefined) return;
    const name = vm.idParts?.name ?? vm.id;
    members.get(vault)!.push({ vmId: vm.id, label: name, path, policy, vm, planIndex: index });
    if (isKnown(vm.disks)) {
      const estimate = estimateDisks(ctx, vm.disks);
      report.vms.push({ ...estimate, path, id: vm.id, name, vault: vault.name, policy: policy?.name ?? String(record.policy) });
      checkBackupWindow(vctx, estimate, policy);
    }
  });
  return seen;
}

function readExistingItems(ctx: RuleContext, value: unknown, vaults: Map<string, VaultEntry>, members: Map<VaultEntry, Member[]>, planVms: PlannedVms): void {
  const list = readArray(ctx, value, "existingItems", { what: "existingItems" });
  if (!isKnown(list)) return;
  list.forEach((entry, index) => {
    const path = joinPath("existingItems", index);
    const raw = readObject(ctx, entry, path, ["vmId", "vault", "policy"], { what: "an existing item" });
    if (!isKnown(raw)) return;
    const vmId = readString(ctx, raw.vmId, joinPath(path, "vmId"), { required: true, what: "vmId" });
    const vaultName = readString(ctx, raw.vault, joinPath(path, "vault"), { required: true, what: "the item's vault" });
    const policyName = readString(ctx, raw.policy, joinPath(path, "policy"), { what: "the item's policy" });
    if (!isKnown(vmId) || !isKnown(vaultName)) return;
    const planned = planVms.get(armIdKey(vmId));
    if (planned !== undefined) {
      if (planned.vault !== undefined && planned.vault.name.toLowerCase() !== vaultName.toLowerCase()) {
        ctx.report(
          "plan/vm-in-other-vault",
          joinPath(joinPath("vms", planned.index), "vault"),
          `This VM is already protected in vault '${vaultName}'; a VM can be protected in only one vault at a time.`,
          { remedy: `Keep it in '${vaultName}', or stop its protection there first (retaining the data) and then protect it in '${planned.vault.name}'.` },
        );
      } else if (planned.policy !== undefined && isKnown(policyName) && planned.policy.name.toLowerCase() !== policyName.toLowerCase()) {
        ctx.report(
          "plan/vm-policy-change",
          joinPath(joinPath("vms", planned.index), "policy"),
          `This VM is protected with policy '${policyName}' today; it will move to '${planned.policy.name}' (its recovery points are kept).`,
        );
      }
      return;
    }
    const vault = vaults.get(vaultName.toLowerCase());
    if (vault === undefined) return; // protected in a vault outside the plan: nothing here counts it
    const policy = isKnown(policyName) ? policyNamed(ctx, vault, policyName) : undefined;
    const label = parseVmId(vmId)?.name ?? vmId;
    members.get(vault)!.push({ vmId, label, path, policy });
  });
}
