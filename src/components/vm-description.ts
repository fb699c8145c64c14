/**
 * A VM declared with `@pulumi/azure-native` (`compute.VirtualMachine`), described the way the rules take
 * it: region, OS, image, security type and disks. In a preview of a VM that does not exist yet, this description is all
 * a protected VM's check has; once the VM exists, the provider reads the VM from Azure instead.
 */
import * as pulumi from "@pulumi/pulumi";
import { diskArgs } from "../azure/vms";
import type { DataDiskArgs, VmArgs } from "../rules";

interface ManagedDiskLike {
  storageAccountType?: string;
}

interface OsDiskLike {
  osType?: string;
  diskSizeGB?: number;
  managedDisk?: ManagedDiskLike;
  vhd?: { uri?: string };
}

interface DataDiskLike {
  lun: number;
  diskSizeGB?: number;
  managedDisk?: ManagedDiskLike;
  vhd?: { uri?: string };
}

/** The part of azure-native's `StorageProfileResponse` the rules need. */
export interface StorageProfileLike {
  osDisk?: OsDiskLike;
  dataDisks?: DataDiskLike[];
  imageReference?: { publisher?: string; offer?: string; sku?: string; version?: string };
}

/** azure-native's `SecurityProfileResponse`: "TrustedLaunch" or "ConfidentialVM"; a VM without one is standard. */
export interface SecurityProfileLike {
  securityType?: string;
}

export interface OsProfileLike {
  windowsConfiguration?: unknown;
  linuxConfiguration?: unknown;
}

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

export type VmDescription = Omit<VmArgs, "id">;

/**
 * OS disk size when the program leaves it to the image: Azure's marketplace Windows Server images have a
 * 127 GiB OS disk and its Linux images 30 GiB. Only used before the VM exists.
 */
const IMAGE_OS_DISK_GB = { Windows: 127, Linux: 30 } as const;

export function isVirtualMachine(value: unknown): value is VirtualMachineLike {
  return pulumi.CustomResource.isInstance(value) && "storageProfile" in value && "location" in value;
}

function osTypeOf(storage: StorageProfileLike | undefined, os: OsProfileLike | undefined): "Windows" | "Linux" {
  const declared = storage?.osDisk?.osType;
  if (declared !== undefined) return declared.toLowerCase() === "windows" ? "Windows" : "Linux";
  if (os?.windowsConfiguration !== undefined && os.windowsConfiguration !== null) return "Windows";
  if (os?.linuxConfiguration !== undefined && os.linuxConfiguration !== null) return "Linux";
  return /windows/i.test(`${storage?.imageReference?.publisher ?? ""} ${storage?.imageReference?.offer ?? ""}`) ? "Windows" : "Linux";
}

/** Describes a VM from the properties of an azure-native VirtualMachine. */
export function describeVirtualMachine(
  location: string,
  storage: StorageProfileLike | undefined,
  os?: OsProfileLike,
  security?: SecurityProfileLike,
): VmDescription {
  const osType = osTypeOf(storage, os);
  const image = storage?.imageReference;
  const osImage = image?.publisher === undefined ? undefined : [image.publisher, image.offer, image.sku, image.version ?? "latest"].join(":");
  const dataDisks: DataDiskArgs[] = (storage?.dataDisks ?? []).map((d) => ({ lun: d.lun, ...diskArgs(d) }));
  return {
    location,
    osType,
    ...(osImage === undefined ? {} : { osImage }),
    osDisk: diskArgs(storage?.osDisk ?? {}, IMAGE_OS_DISK_GB[osType]),
    dataDisks,
    ...(security?.securityType === undefined || security.securityType === null ? {} : { securityType: security.securityType }),
  };
}

/** The description of a VM resource, as an Output (unknown in a preview while any part is unknown). */
export function vmDescriptionOf(vm: VirtualMachineLike): pulumi.Output<VmDescription> {
  return pulumi
    .all([vm.location, vm.storageProfile, vm.osProfile ?? pulumi.output(undefined), vm.securityProfile ?? pulumi.output(undefined)])
    .apply(([location, storage, os, security]) => describeVirtualMachine(location, storage, os, security));
}
