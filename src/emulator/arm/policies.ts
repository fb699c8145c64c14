/**
 * Backup policies (api 2023-06-01): PUT, GET, DELETE, list, and the policy `operations` and
 * `operationResults`. A new policy, or one no item uses, is saved at once (200, as the real service
 * answers); changing a policy that protects items is a long-running operation (202) because the service
 * re-applies it to every item. A policy with items cannot be deleted. An immutable vault refuses a change that
 * keeps recovery points for less time (policy-checks.ts).
 */
import { ArmError, badRequest, notFound, ok, prop, type EmulatorRequest } from "../http";
import type { PolicyRecord, VaultRecord } from "../state";
import { checkImmutableRetention, checkPolicyBody, retentionReduction } from "./policy-checks";
import { keepConfiguredTiering } from "./policy-tiering-checks";
import { enforceGuard } from "./resource-guards";
import { asyncHeaders, backupVaultId, pageOf, renderOperationStatus, renderPolicy, vaultId } from "./render";
import { VAULT_PATH, type Services } from "./services";

const POLICY_NAME = /^[a-zA-Z][-_!a-zA-Z0-9]{2,149}$/;

export function registerPolicies(s: Services): void {
  const { router, model } = s;
  const retry = s.retryAfterSeconds;
  const policyPath = `${VAULT_PATH}/backupPolicies/{policyName}`;

  const findVault = (r: EmulatorRequest): VaultRecord => {
    const v = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (v === undefined) throw notFound("Microsoft.RecoveryServices/vaults", r.params.vaultName!, r.params.resourceGroupName!);
    return v;
  };
  const findPolicy = (vault: VaultRecord, name: string): PolicyRecord | undefined => vault.policies.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const inUse = (vault: VaultRecord, name: string) => vault.items.some((i) => i.policyName?.toLowerCase() === name.toLowerCase());
  const policyUrls = (vault: VaultRecord, name: string, opId: string) => ({
    location: `${backupVaultId(vault)}/backupPolicies/${name}/operationResults/${opId}`,
    asyncOperation: `${backupVaultId(vault)}/backupPolicies/${name}/operations/${opId}`,
  });

  router.add("GET", policyPath, (r) => {
    const vault = findVault(r);
    const policy = findPolicy(vault, r.params.policyName!);
    if (policy === undefined) throw notFound("Microsoft.RecoveryServices/vaults/backupPolicies", r.params.policyName!, r.params.resourceGroupName!);
    return ok(renderPolicy(vault, policy));
  });

  router.add("PUT", policyPath, (r) => {
    const vault = findVault(r);
    const name = r.params.policyName!;
    if (!POLICY_NAME.test(name))
      throw badRequest("BMSUserErrorInvalidPolicyName", `Policy name '${name}' is invalid: 3-150 letters, digits, '-', '_' or '!', starting with a letter.`);
    const existing = findPolicy(vault, name);
    const checked = checkPolicyBody(r.body, existing === undefined ? undefined : ((existing.properties.policyType as "V1" | "V2" | undefined) ?? "V1"));
    if (existing !== undefined) {
      checkImmutableRetention(vault.immutability, existing.properties, checked.properties, `policy '${existing.name}'`);
      checked.properties = keepConfiguredTiering(existing.properties, checked.properties);
      // Multi-user authorization: an update that reduces retention needs the vault's Resource Guard (resource-guards.ts).
      if (guardSeesReduction(existing.properties, checked.properties)) {
        enforceGuard(model, r, vault, "updatePolicy", prop(r.body, "properties", "resourceGuardOperationRequests"));
      }
    }
    if (existing === undefined) {
      const policy = { name, properties: checked.properties };
      vault.policies.push(policy);
      return ok(renderPolicy(vault, policy));
    }
    if (!inUse(vault, name) && r.faults.length === 0) {
      existing.properties = checked.properties;
      return ok(renderPolicy(vault, existing));
    }
    // Updating a policy in use re-configures every item it protects: accepted, then tracked.
    const op = model.startOperation("policy-update", vault, r.faults, { policyName: existing.name, payload: { properties: checked.properties } });
    return ok(undefined, 202, asyncHeaders(r, retry, policyUrls(vault, existing.name, op.id)));
  });

  router.add("DELETE", policyPath, (r) => {
    const vault = findVault(r);
    const policy = findPolicy(vault, r.params.policyName!);
    if (policy === undefined) return ok(undefined, 204);
    if (inUse(vault, policy.name)) {
      throw badRequest(
        "BMSUserErrorPolicyObjectInUse",
        `Policy '${policy.name}' cannot be deleted: backup items are protected with it. Move them to another policy or stop their protection first.`,
      );
    }
    if (r.faults.length === 0) {
      vault.policies = vault.policies.filter((p) => p !== policy);
      return ok(undefined, 200); // real service: 200, empty body (recording_protectionpolicies_delete_test.json)
    }
    const op = model.startOperation("policy-delete", vault, r.faults, { policyName: policy.name });
    return ok(undefined, 202, asyncHeaders(r, retry, policyUrls(vault, policy.name, op.id)));
  });

  router.add("GET", `${VAULT_PATH}/backupPolicies`, (r) => {
    const vault = findVault(r);
    const filter = r.query.get("$filter") ?? "";
    const type = /backupManagementType eq '([^']+)'/i.exec(filter)?.[1];
    const policies = vault.policies.filter((p) => type === undefined || String(p.properties.backupManagementType).toLowerCase() === type.toLowerCase());
    return ok(pageOf(r, policies, (p) => renderPolicy(vault, p), s.pageSize, "$skipToken"));
  });

  const findOperation = (r: EmulatorRequest, vault: VaultRecord) => {
    const op = model.operation(r.params.operationId!);
    if (op === undefined || op.vaultKey !== vault.key || op.policyName?.toLowerCase() !== r.params.policyName!.toLowerCase()) {
      throw notFound("backupPolicies/operations", r.params.operationId!, r.params.resourceGroupName!);
    }
    return model.observe(op);
  };
  router.add("GET", `${policyPath}/operations/{operationId}`, (r) => {
    const vault = findVault(r);
    const op = findOperation(r, vault);
    return ok(renderOperationStatus(op, `${vaultId(vault)}/backupPolicies/${op.policyName}/operations/${op.id}`));
  });
  // operationResults answers only 200 (the SDK accepts nothing else): the policy as it stands.
  router.add("GET", `${policyPath}/operationResults/{operationId}`, (r) => {
    const vault = findVault(r);
    const op = findOperation(r, vault);
    if (op.status === "Failed") throw new ArmError(400, op.failure!.code, op.failure!.message);
    const policy = findPolicy(vault, r.params.policyName!);
    if (policy === undefined) throw notFound("Microsoft.RecoveryServices/vaults/backupPolicies", r.params.policyName!, r.params.resourceGroupName!);
    return ok(renderPolicy(vault, policy));
  });
}

/** Reduced retention, for the guard: any retention block shorter or removed, or fewer instant-restore days. */
function guardSeesReduction(previous: Record<string, unknown>, next: Record<string, unknown>): boolean {
  const before = previous.instantRpRetentionRangeInDays;
  const after = next.instantRpRetentionRangeInDays;
  return retentionReduction(previous, next) !== undefined || (typeof before === "number" && typeof after === "number" && after < before);
}
