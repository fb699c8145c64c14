/**
 * The VM backup policy resource. `check` runs every policy rule and returns the canonical policy (so
 * that diffs compare like with like); for a policy that exists, it checks that its type does not change in
 * a way Azure refuses, and, on an immutable vault, that no retention gets shorter. Schedule and retention
 * change in place; the name, vault and type replace it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { deletePolicy, getPolicy, getVault, putPolicy, AzureOperationError, type PolicyRef } from "../azure";
import {
  normalizePolicy,
  validatePolicy,
  validatePolicyChange,
  validatePolicyRetentionChange,
  validateResourceGroupName,
  sameValue,
  UNKNOWN_SENTINEL,
  type Diagnostic,
  type Policy,
  type PolicyArgs,
  POLICY_KEYS,
} from "../rules";
import { clients, failures, hasUnknown, lower, programFailures, ruleOptions, settings } from "./context";
import { policyGuardNotes } from "./resource-guard";
import type { PolicyInputs, PolicyOutputs } from "./types";

function policyArgs(inputs: PolicyInputs): PolicyArgs {
  const args: Record<string, unknown> = {};
  for (const key of POLICY_KEYS) if (inputs[key] !== undefined) args[key] = inputs[key];
  return args as PolicyArgs;
}

function canonical(inputs: PolicyInputs): Policy {
  const { policy, diagnostics } = normalizePolicy(policyArgs(inputs), ruleOptions());
  if (policy === undefined)
    throw new Error(
      `The policy's inputs are not valid: ${diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.message)
        .join(" ")}`,
    );
  return policy;
}

function refOf(inputs: { subscriptionId?: string; resourceGroupName: string; vaultName: string; name: string }): PolicyRef {
  const c = clients(inputs.subscriptionId);
  return { subscriptionId: c.subscriptionId, resourceGroupName: inputs.resourceGroupName, vaultName: inputs.vaultName, policyName: inputs.name };
}

/** The policy's definition without its name: what must match for two policies to be the same. */
function definition(policy: Policy): Omit<Policy, "name"> {
  const { name: _name, ...rest } = policy;
  return rest;
}

function outputs(ref: PolicyRef, id: string, policy: Policy, protectedItemsCount: number): PolicyOutputs {
  return {
    id,
    subscriptionId: ref.subscriptionId,
    resourceGroupName: ref.resourceGroupName,
    vaultName: ref.vaultName,
    name: ref.policyName,
    policyType: policy.policyType,
    timeZone: policy.timeZone,
    schedule: policy.schedule,
    retention: policy.retention,
    instantRestoreRetentionDays: policy.instantRestoreRetentionDays,
    ...(policy.instantRestoreResourceGroup === undefined ? {} : { instantRestoreResourceGroup: policy.instantRestoreResourceGroup }),
    ...(policy.tiering === undefined ? {} : { tiering: policy.tiering }),
    ...(policy.snapshotConsistency === undefined ? {} : { snapshotConsistency: policy.snapshotConsistency }),
    protectedItemsCount,
  };
}

/**
 * An immutable vault (Unlocked or Locked) refuses a policy change that keeps recovery points for less time
 * (DOCS.immutableVaultRestricted): the live vault's immutability and the live policy decide, before Azure does.
 */
async function retentionOnImmutableVault(news: PolicyInputs, live: Policy, desired: Policy): Promise<Diagnostic[]> {
  const c = clients(news.subscriptionId);
  const vault = await getVault(c, { subscriptionId: c.subscriptionId, resourceGroupName: news.resourceGroupName, vaultName: news.vaultName });
  if (vault === undefined) return [];
  return validatePolicyRetentionChange({ name: news.vaultName, immutability: vault.immutability }, news.name, live.retention, desired.retention, ruleOptions());
}

export const policyProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: PolicyInputs, news: PolicyInputs): Promise<pulumi.dynamic.CheckResult> {
    const options = ruleOptions();
    const diagnostics = [
      ...validatePolicy(policyArgs(news), options),
      ...(news.resourceGroupName === UNKNOWN_SENTINEL ? [] : validateResourceGroupName(news.resourceGroupName, "resourceGroupName", options)),
    ];
    const program = programFailures(news.programChecks);
    if (typeof news.vaultName !== "string" || news.vaultName === "") {
      return {
        inputs: news,
        failures: [...failures(diagnostics), { property: "vaultName", reason: "[input/required] The policy's vault name is required." }, ...program],
      };
    }
    if (typeof news.name !== "string" || news.name === "") {
      return { inputs: news, failures: [...failures(diagnostics), { property: "name", reason: "[input/required] The policy name is required." }, ...program] };
    }
    const errors = [...failures(diagnostics), ...program];
    if (errors.length > 0 || hasUnknown(news)) return { inputs: news, failures: errors };
    const policy = canonical(news);
    const current = await getPolicy(clients(news.subscriptionId), refOf(news));
    const change =
      current === undefined
        ? []
        : [
            ...validatePolicyChange({ policyType: current.policy.policyType, protectedItems: current.protectedItemsCount }, policy, options),
            ...(await retentionOnImmutableVault(news, current.policy, policy)),
          ];
    // Multi-user authorization: a retention reduction the vault's guard will ask approval for.
    if (current !== undefined) await policyGuardNotes(clients(news.subscriptionId), refOf(news), news.name, current.policy, policy, options);
    const inputs: PolicyInputs = {
      ...news,
      policyType: policy.policyType,
      timeZone: policy.timeZone,
      schedule: policy.schedule,
      retention: policy.retention as PolicyInputs["retention"],
      instantRestoreRetentionDays: policy.instantRestoreRetentionDays,
    };
    // Canonical: "DoNotTier" and "Default" are written as nothing, so that they diff like omitted values.
    if (policy.tiering === undefined) delete inputs.tiering;
    else inputs.tiering = policy.tiering;
    if (policy.snapshotConsistency === undefined) delete inputs.snapshotConsistency;
    else inputs.snapshotConsistency = policy.snapshotConsistency;
    return { inputs, failures: failures(change) };
  },

  async diff(_id: string, olds: PolicyOutputs, news: PolicyInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (news.subscriptionId !== undefined && lower(news.subscriptionId) !== lower(olds.subscriptionId)) replaces.push("subscriptionId");
    for (const key of ["resourceGroupName", "vaultName", "name"] as const) if (lower(news[key]) !== lower(olds[key])) replaces.push(key);
    if (hasUnknown(news)) return { changes: true, replaces };
    const policy = canonical(news);
    if (policy.policyType !== olds.policyType) replaces.push("policyType");
    const updates =
      policy.timeZone !== olds.timeZone ||
      !sameValue(policy.schedule, olds.schedule) ||
      !sameValue(policy.retention, olds.retention) ||
      policy.instantRestoreRetentionDays !== olds.instantRestoreRetentionDays ||
      !sameValue(policy.instantRestoreResourceGroup, olds.instantRestoreResourceGroup) ||
      // Tiering and snapshot consistency change in place (Microsoft Learn use-archive-tier-support "Modify a policy";
      // backup-azure-vms-agentless-multi-disk-crash-consistent "Option 2: Modify the backup policy").
      !sameValue(policy.tiering, olds.tiering) ||
      policy.snapshotConsistency !== olds.snapshotConsistency;
    // protectedItemsCount is an output only: a count that changed is no change to make (reporting one would update the
    // policy on every up after VMs join or leave it). It is read again at update and refresh (read()).
    return { changes: replaces.length > 0 || updates, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: PolicyInputs): Promise<pulumi.dynamic.CreateResult> {
    const s = settings();
    const c = clients(inputs.subscriptionId);
    const ref = refOf(inputs);
    const policy = canonical(inputs);
    const existing = await getPolicy(c, ref);
    if (existing !== undefined && sameValue(definition(existing.policy), definition(policy))) {
      return { id: existing.id, outs: outputs(ref, existing.id, policy, existing.protectedItemsCount) };
    }
    if (existing !== undefined && existing.protectedItemsCount > 0) {
      throw new AzureOperationError(
        "Creating",
        `policy '${ref.policyName}' in vault '${ref.vaultName}'`,
        "PolicyExistsInUse",
        `a policy of this name already exists with another schedule or retention and protects ${existing.protectedItemsCount} VM(s). What to do: import it (\`pulumi import\`) or choose another name.`,
      );
    }
    const state = await putPolicy(c, ref, policy, s.pollIntervalMs, s.operationTimeoutMs, {
      turnOffTiering: existing?.policy.tiering !== undefined && policy.tiering === undefined,
    });
    return { id: state.id, outs: outputs(ref, state.id, policy, state.protectedItemsCount) };
  },

  /** `pulumi refresh`: the policy as Azure holds it, with its current protectedItemsCount. */
  async read(id: string, props: PolicyOutputs): Promise<pulumi.dynamic.ReadResult> {
    const c = clients(props.subscriptionId);
    const ref: PolicyRef = { subscriptionId: c.subscriptionId, resourceGroupName: props.resourceGroupName, vaultName: props.vaultName, policyName: props.name };
    const state = await getPolicy(c, ref);
    if (state === undefined) return { id: "", props: {} };
    // An empty id reads a create that was interrupted before its id was recorded (Pulumi's pending create): by name.
    const found = id === "" ? state.id : id;
    return { id: found, props: outputs(ref, found, state.policy, state.protectedItemsCount) };
  },

  async update(_id: string, olds: PolicyOutputs, news: PolicyInputs): Promise<pulumi.dynamic.UpdateResult> {
    const s = settings();
    const ref: PolicyRef = { subscriptionId: olds.subscriptionId, resourceGroupName: olds.resourceGroupName, vaultName: olds.vaultName, policyName: olds.name };
    const policy = canonical(news);
    // A PUT without a tiering policy keeps the tier's configured one ("If the policy is not specified for a given target
    // tier, service retains the existing configured tiering policy for that tier": TieringPolicy, bms.json 2025-08-01), so
    // tiering that was removed is turned off explicitly.
    const state = await putPolicy(clients(olds.subscriptionId), ref, policy, s.pollIntervalMs, s.operationTimeoutMs, {
      turnOffTiering: olds.tiering !== undefined && policy.tiering === undefined,
    });
    return { outs: outputs(ref, state.id, policy, state.protectedItemsCount) };
  },

  async delete(_id: string, props: PolicyOutputs): Promise<void> {
    const ref: PolicyRef = {
      subscriptionId: props.subscriptionId,
      resourceGroupName: props.resourceGroupName,
      vaultName: props.vaultName,
      policyName: props.name,
    };
    const c = clients(props.subscriptionId);
    if ((await getPolicy(c, ref)) === undefined) return;
    await deletePolicy(c, ref, settings().pollIntervalMs);
  },
};
