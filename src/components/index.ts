/** The Pulumi surface: the components users declare. */
export { BackupVault, type BackupVaultArgs } from "./vault";
export { BackupPolicy, type BackupPolicyArgs } from "./policy";
export { ProtectedVm, type BackupNowInput, type ProtectedVmArgs } from "./protected-vm";
export { StackV2Registration, type StackV2RegistrationArgs } from "./stack-v2";
export { describeVirtualMachine, type OsProfileLike, type StorageProfileLike, type VirtualMachineLike, type VmDescription } from "./vm-description";
export { BackupPolicySet, type BackupPolicySetArgs } from "./policy-set";
