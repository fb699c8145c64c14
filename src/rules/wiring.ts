/**
 * How a protected VM is wired to its vault and policy in a program: what a ProtectedVm's `vault` and
 * `policy` arguments must agree on. Azure protects a VM in one vault with a policy of that vault: the
 * protected item's `policyId` names a policy under the item's own vault (Recovery Services REST API,
 * Protected Items - Create Or Update: https://learn.microsoft.com/rest/api/backup/protected-items/create-or-update).
 */
import { RULES } from "./catalog";
import type { Diagnostic } from "./diagnostics";
import { componentEntry } from "./plan-builder";
import { subjectOf } from "./subjects";

/** The ProtectedVm's subject for one of its arguments. */
function about(resourceName: string, field: string): Diagnostic["subject"] {
  return subjectOf(`vms[0].${field}`, { vm: [componentEntry("vm", resourceName)] });
}

/** A ProtectedVm given a vault and a policy of another vault. */
export function policyOfOtherVault(resourceName: string, policyVault: string, vault: string): Diagnostic {
  const rule = RULES["plan/policy-other-vault"];
  return {
    code: "plan/policy-other-vault",
    severity: rule.severity,
    path: "vms[0].policy",
    subject: about(resourceName, "policy"),
    message: `The policy given belongs to vault '${policyVault}', but the VM is to be protected in vault '${vault}'; a VM is protected with a policy of its own vault.`,
    remedy: `Use a policy of vault '${vault}', or leave vault out to use the policy's.`,
    ...(rule.source === undefined ? {} : { source: rule.source }),
  };
}

/** A ProtectedVm given neither a vault nor a policy that names one. */
export function vmWithoutVault(resourceName: string): Diagnostic {
  return {
    code: "input/required",
    severity: "error",
    path: "vms[0].vault",
    subject: about(resourceName, "vault"),
    message: "No vault: a protected VM needs the vault it is protected in.",
    remedy: "Give vault (a BackupVault or a vault's resource id), or a policy that belongs to one (a BackupPolicy or a policy's resource id).",
  };
}
