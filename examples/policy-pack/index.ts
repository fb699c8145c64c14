/**
 * A CrossGuard policy pack for programs that use @pulumi/azure-native's Recovery Services resources directly: each
 * recoveryservices.Vault, ProtectionPolicy (of Azure VMs) and ProtectedItem is judged by pulumi-azure-vm-backup's rules,
 * and the stack as a whole: every VM has a protected item, and each protected item fits its VM, vault and policy.
 *
 *   npm init -y && npm install @pulumi/policy pulumi-azure-vm-backup   # @pulumi/policy reads the pack's version from package.json
 *   pulumi preview --policy-pack ./policy-pack
 *
 * A violation reads as the package's components report it, e.g.
 *   [policy/time-half-hour] Backups start on the hour or the half hour; 22:15 is neither. Fix: Use 22:00 or 22:30. Source: ...
 * Rules of severity error are mandatory (they stop the update), warnings advisory.
 *
 * To require backups only of VMs with a given tag, give the pack a config (`pulumi preview --policy-pack-config config.json`):
 *   { "azure-vm-backup-vms-protected": { "tagKey": "backup", "tagValue": "daily" } }
 * or pass `vmSelection` below. `rules` takes the package's rule options (limit profile, per-rule severities).
 */
import { PolicyPack } from "@pulumi/policy";
import { azureVmBackupPolicies } from "pulumi-azure-vm-backup/policy";

new PolicyPack("azure-vm-backup", {
  policies: azureVmBackupPolicies({
    // vmSelection: { tagKey: "backup" },
    // rules: { profile: "azure-2025" },
  }),
});
