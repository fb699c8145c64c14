/**
 * A CrossGuard policy pack (`pulumi-azure-vm-backup/policy`, with `@pulumi/policy`) for programs that use `@pulumi/azure-native`'s
 * recoveryservices resources directly: the package's rules (src/rules), with the same codes, messages and sources.
 */
export {};
