/**
 * pulumi-azure-vm-backup: declarative, safe Azure VM backup for Pulumi.
 *
 * Today the package exports its rules engine: every Azure Backup rule and limit as pure functions
 * (`validateVault`, `validatePolicy`, `validateProtectedVm`, `checkPlan`, `estimateProtectedInstance`)
 * and the limit profiles they use.
 */
export * from "./rules";
