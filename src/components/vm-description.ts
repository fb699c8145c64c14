/**
 * A VM declared with `@pulumi/azure-native` (`compute.VirtualMachine`), described the way the rules take
 * it: region, OS, image, security type and disks. In a preview of a VM that does not exist yet, this description is all
 * a protected VM's check has; once the VM exists, the provider reads the VM from Azure instead.
 */
import * as pulumi from "@pulumi/pulumi";
import { describeVirtualMachine, type OsProfileLike, type SecurityProfileLike, type StorageProfileLike, type VmDescription } from "../rules";

export { describeVirtualMachine, type OsProfileLike, type SecurityProfileLike, type StorageProfileLike, type VmDescription };

/**
 * What ProtectedVm needs of a VM resource. `compute.VirtualMachine` of `@pulumi/azure-native` has all of
 * it (the package is an optional peer dependency, so it is described here rather than imported).
 */
export interface VirtualMachineLike extends pulumi.CustomResource {
  readonly location: pulumi.Output<string>;
  readonly storageProfile: pulumi.Output<StorageProfileLike | undefined>;
  readonly osProfile?: pulumi.Output<OsProfileLike | undefined>;
  readonly securityProfile?: pulumi.Output<SecurityProfileLike | undefined>;
}

export function isVirtualMachine(value: unknown): value is VirtualMachineLike {
  return pulumi.CustomResource.isInstance(value) && "storageProfile" in value && "location" in value;
}

/** The description of a VM resource, as an Output (unknown in a preview while any part is unknown). */
export function vmDescriptionOf(vm: VirtualMachineLike): pulumi.Output<VmDescription> {
  return pulumi
    .all([vm.location, vm.storageProfile, vm.osProfile ?? pulumi.output(undefined), vm.securityProfile ?? pulumi.output(undefined)])
    .apply(([location, storage, os, security]) => describeVirtualMachine(location, storage, os, security));
}
