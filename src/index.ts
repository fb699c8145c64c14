/**
 * pulumi-azure-vm-backup: declarative, safe Azure VM backup for Pulumi.
 *
 * The components (`BackupVault`, `BackupPolicy`, `ProtectedVm`, `StackV2Registration`) and the rules
 * engine they check with: every Azure Backup rule and limit as pure functions (`validateVault`,
 * `validatePolicy`, `validateProtectedVm`, `checkPlan`, `estimateProtectedInstance`) and the limit
 * profiles they use (also importable alone, without Pulumi, from `pulumi-azure-vm-backup/rules`).
 */
export * from "./rules";
export * from "./components";
// Both layers have "ProtectedVmArgs": the component's args win at the root; the rules' input to
// `validateProtectedVm` is `ProtectedVmRuleArgs` here (and `ProtectedVmArgs` in `/rules`).
export type { ProtectedVmArgs } from "./components";
export type { ProtectedVmArgs as ProtectedVmRuleArgs } from "./rules";
