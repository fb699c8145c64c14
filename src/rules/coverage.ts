/**
 * Backup coverage: every VM (optionally only those with a given tag) has a protected item. The requirement is Azure
 * Policy's built-in audit "Azure Backup should be enabled for Virtual Machines" (DOCS.vmBackupAuditPolicy: a VM
 * without a `Microsoft.RecoveryServices/backupprotecteditems` is non-compliant); its tag-scoped siblings select
 * VMs by `tags[name]` among given values (DOCS.vmBackupWithTagPolicy). Azure Policy compares tag names and string
 * values without case, and so does `vmSelected`.
 */
import { RULES } from "./catalog";
import type { Diagnostic } from "./diagnostics";

/** Which VMs must be protected: all (no selection), those carrying tag `tagKey`, or those whose `tagKey` is `tagValue`. */
export interface VmSelection {
  tagKey: string;
  /** The value the tag must have (any value when absent). */
  tagValue?: string;
}

/** Whether a VM with these tags must be protected under the selection. */
export function vmSelected(tags: Readonly<Record<string, unknown>> | undefined, selection?: VmSelection): boolean {
  if (selection === undefined || selection.tagKey === "") return true;
  const key = selection.tagKey.toLowerCase();
  const entry = Object.entries(tags ?? {}).find(([k]) => k.toLowerCase() === key);
  if (entry === undefined) return false;
  return selection.tagValue === undefined || String(entry[1]).toLowerCase() === selection.tagValue.toLowerCase();
}

/** The diagnostic for a VM (named `label`, e.g. `azure-native:compute:VirtualMachine 'web-01'`) that has no protected item. */
export function vmUnprotected(label: string, selection?: VmSelection): Diagnostic {
  const rule = RULES["plan/vm-unprotected"];
  const scope =
    selection === undefined || selection.tagKey === ""
      ? ""
      : selection.tagValue === undefined
        ? ` (it has tag '${selection.tagKey}')`
        : ` (its tag '${selection.tagKey}' is '${selection.tagValue}')`;
  return {
    code: "plan/vm-unprotected",
    severity: rule.severity,
    path: "",
    message: `${label}${scope} has no protected item: nothing backs it up.`,
    remedy:
      "Protect it: declare a recoveryservices.ProtectedItem whose sourceResourceId is the VM's id (or a ProtectedVm of pulumi-azure-vm-backup)" +
      (scope === "" ? "." : ", or change the VM's tags if it is not to be backed up."),
    ...(rule.source === undefined ? {} : { source: rule.source }),
  };
}
