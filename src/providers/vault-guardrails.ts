/**
 * Azure Policy guardrails for the vault provider: the preview asks Azure Policy whether the planned vault would be
 * denied (checkPolicyRestrictions, src/azure/policy-restrictions.ts) and reports each Deny assignment as an error
 * naming the BackupVault argument to change (src/rules/guardrails.ts); a deployment that Azure refuses anyway (403
 * RequestDisallowedByPolicy) fails with the same explanation.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Vault as ArmVault } from "@azure/arm-recoveryservices";
import {
  armBody,
  AzureOperationError,
  checkVaultRestrictions,
  getVaultBody,
  immutabilitySteps,
  mergeVaultPatch,
  vaultPatchBody,
  type AzureClients,
  type PolicyViolation,
  type VaultRef,
  type VaultState,
} from "../azure";
import { describeDiagnostic, validateVaultPolicyDenials, type RuleOptions, type Vault, type VaultStage } from "../rules";
import { failures } from "./context";
import { plannedPatch } from "./vault-patch";

/** Where a vault stands for the remedies: new, existing with no item ever registered, or with items (storage type Locked). */
export function vaultStage(existing: { storageLocked: boolean } | undefined): VaultStage {
  return existing === undefined ? "new" : existing.storageLocked ? "registered" : "empty";
}

/**
 * The vaults Azure Policy will judge, one per request. A new vault: the body create() PUTs. A vault that exists: the
 * requests update() (or create(), converging it) sends are PATCHes, which Azure judges as the stored vault with the
 * PATCH merged in (src/azure/vault-patch.ts): the vault's GET body, then each immutability step (a PATCH each:
 * setImmutability), then the PATCH of the other changes. None when nothing is sent.
 */
async function judgedVaults(c: AzureClients, ref: VaultRef, vault: Vault, tags: Record<string, string>, current: VaultState | undefined): Promise<object[]> {
  const stored = current === undefined ? undefined : await getVaultBody(c, ref);
  if (current === undefined || stored === undefined) return [armBody(vault, tags, undefined)];
  const judged: object[] = [];
  let held: ArmVault = stored;
  for (const state of immutabilitySteps(current.immutability, vault.immutability)) {
    held = mergeVaultPatch(held, { properties: { securitySettings: { immutabilitySettings: { state } } } });
    judged.push(held);
  }
  const patch = vaultPatchBody(plannedPatch(vault, tags, current));
  if (patch !== undefined) judged.push(mergeVaultPatch(held, patch));
  return judged;
}

/**
 * The preview's policy check of the vault as it will be sent: errors for each Deny assignment it breaks. When Azure
 * cannot be asked (no permission to call checkPolicyRestrictions, or a failure), says so and reports nothing: the
 * deployment's own 403 still names the assignment.
 */
export async function vaultPolicyFailures(
  c: AzureClients,
  ref: VaultRef,
  vault: Vault,
  tags: Record<string, string>,
  current: VaultState | undefined,
  options: RuleOptions,
): Promise<pulumi.dynamic.CheckFailure[]> {
  const violations: PolicyViolation[] = [];
  for (const body of await judgedVaults(c, ref, vault, tags, current)) {
    const result = await checkVaultRestrictions(c, ref, body);
    if (!result.checked) {
      console.warn(
        `warning: azure-vm-backup: BackupVault '${ref.vaultName}': the preview could not ask Azure Policy whether the vault is allowed (${result.reason}). ` +
          "If a Deny assignment refuses it, the deployment fails and names the assignment and the argument to change.",
      );
      return [];
    }
    const known = (v: PolicyViolation) =>
      violations.some((w) => w.policyAssignmentId === v.policyAssignmentId && w.policyDefinitionId === v.policyDefinitionId);
    violations.push(...result.violations.filter((v) => !known(v)));
  }
  return failures(validateVaultPolicyDenials(ref.vaultName, violations, vaultStage(current), options));
}

/** A 403 RequestDisallowedByPolicy, explained in the user's words; any other error as it is. */
export function explainPolicyDenial(error: unknown, vaultName: string, stage: VaultStage, options: RuleOptions): unknown {
  if (!(error instanceof AzureOperationError) || error.code !== "RequestDisallowedByPolicy" || (error.policyViolations ?? []).length === 0) return error;
  const explained = validateVaultPolicyDenials(vaultName, error.policyViolations!, stage, options)
    .map((d) => describeDiagnostic(d))
    .join(" ");
  const mapped = new AzureOperationError(error.operation, error.resource, error.code, `${explained} Nothing was changed by this request.`, error.statusCode);
  mapped.policyViolations = error.policyViolations!;
  return mapped;
}
