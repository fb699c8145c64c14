/** Backup policies: read, list (once per process per vault), create or update, delete. */
import type { ProtectionPolicyResource } from "@azure/arm-recoveryservicesbackup";
import { policyRetentionReductions, type Policy } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError, isNotFound } from "./errors";
import { operationIdOf, policyId, type PolicyRef, type VaultRef } from "./ids";
import { lookups } from "./lookups";
import { fromArmPolicy, policyExtraProperties, toArmPolicy, type ToArmOptions } from "./policy-body";
import { withPolicyProperties } from "./policy-properties";
import { pollUntilDone, withRaw } from "./poll";
import { getGuardProxy, guardRequest, withGuard, type GuardedRequest } from "./resource-guard";

export interface PolicyState {
  id: string;
  name: string;
  policy: Policy;
  protectedItemsCount: number;
}

const label = (ref: PolicyRef) => `policy '${ref.policyName}' in vault '${ref.vaultName}'`;
const vaultKey = (ref: VaultRef) => `${ref.subscriptionId}/${ref.resourceGroupName}/${ref.vaultName}`.toLowerCase();
export const policiesKey = (ref: VaultRef) => `policies:${vaultKey(ref)}`;

function toState(ref: PolicyRef, resource: ProtectionPolicyResource): PolicyState {
  const properties = resource.properties as { protectedItemsCount?: number } | undefined;
  return {
    id: resource.id ?? policyId(ref),
    name: resource.name ?? ref.policyName,
    policy: fromArmPolicy(resource.name ?? ref.policyName, resource.properties),
    protectedItemsCount: properties?.protectedItemsCount ?? 0,
  };
}

export async function getPolicy(c: AzureClients, ref: PolicyRef): Promise<PolicyState | undefined> {
  try {
    return toState(ref, await c.backup.protectionPolicies.get(ref.vaultName, ref.resourceGroupName, ref.policyName));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return attempt("Reading", label(ref), () => Promise.reject(error));
  }
}

/** The vault's VM policies, once per process. */
export function listPolicies(c: AzureClients, ref: VaultRef): Promise<PolicyState[]> {
  return lookups.get(policiesKey(ref), () =>
    attempt("Listing the policies of", `vault '${ref.vaultName}'`, async () => {
      const out: PolicyState[] = [];
      for await (const p of c.backup.backupPolicies.list(ref.vaultName, ref.resourceGroupName, { filter: "backupManagementType eq 'AzureIaasVM'" })) {
        out.push(toState({ ...ref, policyName: p.name ?? "" }, p));
      }
      return out;
    }),
  );
}

/** Creates or updates a policy; an update of a policy in use is a tracked operation (202). */
export async function putPolicy(
  c: AzureClients,
  ref: PolicyRef,
  policy: Policy,
  pollIntervalMs: number,
  timeoutMs: number,
  body: ToArmOptions = {},
): Promise<PolicyState> {
  const guard = await policyGuard(c, ref, policy);
  const properties = { ...toArmPolicy(policy, body), ...(guard === undefined ? {} : { resourceGuardOperationRequests: guard.resourceGuardOperationRequests }) };
  const raw = await attempt("Creating or updating", label(ref), () =>
    withRaw((options) =>
      c.backup.protectionPolicies.createOrUpdate(
        ref.vaultName,
        ref.resourceGroupName,
        ref.policyName,
        { properties },
        withGuard(withPolicyProperties(options, policyExtraProperties(policy)), guard),
      ),
    ),
  );
  if (raw.status === 202) {
    const id = operationIdOf(raw.headers["azure-asyncoperation"] ?? raw.headers.location);
    if (id === undefined) throw new AzureOperationError("Updating", label(ref), undefined, "Azure accepted the update but gave no operation to follow.");
    const status = await pollUntilDone(
      async () => {
        const step = await attempt("Following the update of", label(ref), () =>
          withRaw((options) => c.backup.protectionPolicyOperationStatuses.get(ref.vaultName, ref.resourceGroupName, ref.policyName, id, options)),
        );
        return { done: step.value.status !== "InProgress", value: step.value, headers: step.headers };
      },
      { intervalMs: pollIntervalMs, timeoutMs, operation: "Updating", resource: label(ref) },
    );
    if (status.status !== "Succeeded")
      throw new AzureOperationError("Updating", label(ref), status.error?.code, status.error?.message ?? `the operation ended ${status.status}.`);
  }
  const state = raw.status === 200 && raw.value.properties !== undefined ? toState(ref, raw.value) : await getPolicy(c, ref);
  if (state === undefined) throw new AzureOperationError("Creating", label(ref), "ResourceNotFound", "the policy is missing after it was saved.");
  await lookups.update<PolicyState[]>(policiesKey(ref), (list) => [...list.filter((p) => p.name.toLowerCase() !== ref.policyName.toLowerCase()), state]);
  return state;
}

/**
 * On a vault with a Resource Guard, an update that reduces retention carries the guard's request (and the auxiliary
 * token), as the Azure CLI decides it (`is_retention_duration_decreased`; src/azure/resource-guard.ts). Other updates
 * and new policies are sent as before.
 */
async function policyGuard(c: AzureClients, ref: PolicyRef, policy: Policy): Promise<GuardedRequest | undefined> {
  if ((await getGuardProxy(c, ref)) === undefined) return undefined;
  const current = await getPolicy(c, ref);
  if (current === undefined || policyRetentionReductions(current.policy, policy).length === 0) return undefined;
  return guardRequest(c, ref, "updatePolicy", "Updating");
}

export async function deletePolicy(c: AzureClients, ref: PolicyRef, pollIntervalMs: number): Promise<void> {
  await attempt("Deleting", label(ref), () =>
    c.backup.protectionPolicies.beginDeleteAndWait(ref.vaultName, ref.resourceGroupName, ref.policyName, { updateIntervalInMs: pollIntervalMs }),
  );
  await lookups.update<PolicyState[]>(policiesKey(ref), (list) => list.filter((p) => p.name.toLowerCase() !== ref.policyName.toLowerCase()));
}
