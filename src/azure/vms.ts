/** A VM as the rules describe it, read from Microsoft.Compute: region, OS, security type, disks and their sizes and types. */
import type { DiskEncryptionSettings, VirtualMachine } from "@azure/arm-compute";
import type { DataDiskArgs, DiskArgs, DiskEncryptionArgs, VmArgs } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, isNotFound } from "./errors";
import type { ItemNames } from "./ids";
import { lookups } from "./lookups";

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

/**
 * Azure Disk Encryption as the VM's model shows it: the OS disk's encryptionSettings (`DiskEncryptionSettings` of the
 * compute API: diskEncryptionKey {secretUrl, sourceVault.id}, keyEncryptionKey {keyUrl, sourceVault.id}, enabled;
 * https://learn.microsoft.com/rest/api/compute/virtual-machines/get). Read from the VM already read (its group's list or
 * its GET), so an unencrypted VM costs no call. Undefined when absent, disabled or without a secret.
 */
export function diskEncryptionOf(settings: DiskEncryptionSettings | undefined): DiskEncryptionArgs | undefined {
  const secret = settings?.diskEncryptionKey;
  if (settings === undefined || settings.enabled === false || secret?.secretUrl === undefined || secret.sourceVault?.id === undefined) return undefined;
  const kek = settings.keyEncryptionKey;
  return {
    secret: { keyVaultId: secret.sourceVault.id, secretUrl: secret.secretUrl },
    ...(kek?.keyUrl === undefined || kek.sourceVault?.id === undefined ? {} : { keyEncryptionKey: { keyVaultId: kek.sourceVault.id, keyUrl: kek.keyUrl } }),
  };
}

export function toVmArgs(vm: VirtualMachine): VmArgs {
  const storage = vm.storageProfile;
  const image = storage?.imageReference;
  const args: VmArgs = {
    id: vm.id ?? "",
    location: vm.location,
    osDisk: diskArgs(storage?.osDisk ?? {}),
    dataDisks: (storage?.dataDisks ?? []).map((d): DataDiskArgs => ({ lun: d.lun, ...diskArgs(d) })),
  };
  if (storage?.osDisk?.osType !== undefined) args.osType = storage.osDisk.osType;
  if (image?.publisher !== undefined) args.osImage = [image.publisher, image.offer, image.sku, image.version].join(":");
  // Absent for a standard VM; "TrustedLaunch" or "ConfidentialVM" otherwise (compute API securityProfile.securityType).
  if (vm.securityProfile?.securityType !== undefined) args.securityType = vm.securityProfile.securityType;
  const ade = diskEncryptionOf(storage?.osDisk?.encryptionSettings);
  if (ade !== undefined) args.diskEncryption = ade;
  return args;
}

/**
 * The VMs of a resource group, listed once per process: a fleet's checks and creates read their VMs from one list
 * per resource group instead of one GET per VM (the list returns each VM's model as GET does, without its instance
 * view: "Virtual Machines - List", https://learn.microsoft.com/rest/api/compute/virtual-machines/list). A list the
 * caller may not make (403: read access on the VMs alone) or that fails is remembered as unavailable: each VM is then
 * read on its own.
 */
function groupVms(c: AzureClients, resourceGroup: string): Promise<Map<string, VirtualMachine> | undefined> {
  return lookups.get(`vms:${c.subscriptionId}/${resourceGroup}`.toLowerCase(), async () => {
    try {
      const vms = new Map<string, VirtualMachine>();
      for await (const vm of c.compute.virtualMachines.list(resourceGroup)) if (vm.name !== undefined) vms.set(vm.name.toLowerCase(), vm);
      return vms;
    } catch {
      return undefined;
    }
  });
}

/**
 * The VM, or undefined when it does not exist (yet). From its resource group's list when the list has it and `current`
 * takes it as current; else (a VM created after the list was read, a VM the list shows as it was before the program
 * changed it, or no list) read on its own.
 */
export async function getVm(c: AzureClients, names: ItemNames, current: (listed: VmArgs) => boolean = () => true): Promise<VmArgs | undefined> {
  const entry = (await groupVms(c, names.vm.resourceGroup))?.get(names.vm.name.toLowerCase());
  const listed = entry === undefined ? undefined : toVmArgs(entry);
  if (listed !== undefined && current(listed)) return listed;
  try {
    return toVmArgs(await c.compute.virtualMachines.get(names.vm.resourceGroup, names.vm.name));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return attempt("Reading", `VM '${names.vm.name}'`, () => Promise.reject(error));
  }
}
