/**
 * Azure Policy guardrails for the vault provider: the preview asks Azure Policy whether the planned vault would be
 * denied (checkPolicyRestrictions, src/azure/policy-restrictions.ts) and reports each Deny assignment as an error
 * naming the BackupVault argument to change (src/rules/guardrails.ts); a deployment that Azure refuses anyway (403
 * RequestDisallowedByPolicy) fails with the same explanation.
 */
import type * as pulumi from "@pulumi/pulumi";
import { armBody, AzureOperationError, checkVaultRestrictions, type AzureClients, type VaultRef, type VaultState } from "../azure";
import { describeDiagnostic, validateVaultPolicyDenials, type RuleOptions, type Vault } from "../rules";
import { failures } from "./context";

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
  // The body create() would PUT (an existing vault's customer-managed key kept, as putVault does).
  const body = armBody(vault, tags, current?.immutability, current?.settings.encryption);
  const result = await checkVaultRestrictions(c, ref, body);
  if (!result.checked) {
    console.warn(
      `warning: azure-vm-backup: BackupVault '${ref.vaultName}': the preview could not ask Azure Policy whether the vault is allowed (${result.reason}). ` +
        "If a Deny assignment refuses it, the deployment fails and names the assignment and the argument to change.",
    );
    return [];
  }
  return failures(validateVaultPolicyDenials(ref.vaultName, result.violations, current === undefined, options));
}

/** A 403 RequestDisallowedByPolicy, explained in the user's words; any other error as it is. */
export function explainPolicyDenial(error: unknown, vaultName: string, creating: boolean, options: RuleOptions): unknown {
  if (!(error instanceof AzureOperationError) || error.code !== "RequestDisallowedByPolicy" || (error.policyViolations ?? []).length === 0) return error;
  const explained = validateVaultPolicyDenials(vaultName, error.policyViolations!, creating, options)
    .map((d) => describeDiagnostic(d))
    .join(" ");
  const mapped = new AzureOperationError(error.operation, error.resource, error.code, `${explained} Nothing was changed by this request.`, error.statusCode);
  mapped.policyViolations = error.policyViolations!;
  return mapped;
}
