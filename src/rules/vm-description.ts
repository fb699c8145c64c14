/**
 * A VM declared with `@pulumi/azure-native` (`compute.VirtualMachine`), described the way the rules take it: region, OS,
 * image, security type and disks, from the VM's properties (azure-native's `StorageProfile`, `OSProfile` and
 * `SecurityProfile`, the compute API's shapes: https://learn.microsoft.com/rest/api/compute/virtual-machines/get). Pure:
 * the components describe a VM of the program with it, the policy pack (src/policy) a VM of the stack.
 */
import type { DataDiskArgs, DiskArgs, VmArgs } from "./vm";

export interface ManagedDiskLike {
  storageAccountType?: string;
}

export interface OsDiskLike {
  osType?: string;
  diskSizeGB?: number;
  managedDisk?: ManagedDiskLike;
  vhd?: { uri?: string };
}

export interface DataDiskLike {
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

export type VmDescription = Omit<VmArgs, "id">;

/**
 * OS disk size when the program leaves it to the image: Azure's marketplace Windows Server images have a
 * 127 GiB OS disk and its Linux images 30 GiB. Only used before the VM exists.
 */
const IMAGE_OS_DISK_GB = { Windows: 127, Linux: 30 } as const;

/**
 * A disk as ARM describes it (the compute SDK's VM, or an azure-native VM's storage profile), as the rules
 * take it; `fallbackGb` when ARM gives no size.
 */
export function diskArgs(d: { diskSizeGB?: number; managedDisk?: { storageAccountType?: string }; vhd?: { uri?: string } }, fallbackGb = 0): DiskArgs {
  const out: DiskArgs = { sizeGb: d.diskSizeGB ?? fallbackGb };
  if (d.managedDisk?.storageAccountType !== undefined) out.storageType = d.managedDisk.storageAccountType;
  if (d.vhd?.uri !== undefined) {
    out.managed = false;
    const account = /^https:\/\/([^.]+)\./.exec(d.vhd.uri)?.[1];
    if (account !== undefined) out.storageAccount = account;
  }
  return out;
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
