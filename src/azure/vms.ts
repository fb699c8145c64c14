/** A VM as the rules describe it, read from Microsoft.Compute: region, OS, security type, disks and their sizes and types. */
import type { Disk, DiskEncryptionSettings, VirtualMachine, VirtualMachineExtension } from "@azure/arm-compute";
import { diskArgs, resourceNameOf, type DataDiskArgs, type DiskEncryptionArgs, type VmArgs } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, isNotFound } from "./errors";
import type { ItemNames } from "./ids";
import { lookups } from "./lookups";

/** A disk as the rules take it (src/rules/vm-description.ts). */
export { diskArgs };

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

/**
 * A VM as read from Azure: what the rules take, and where today's Azure Disk Encryption keeps its settings when the
 * VM's model does not show them: `adeDisks`, the ids of its managed disks, set when the VM carries the ADE extension
 * without osDisk.encryptionSettings (diskEncryptionOfVm reads them).
 */
export interface AzureVm extends VmArgs {
  adeDisks?: string[];
}

/**
 * The Azure Disk Encryption extension (VM extension publisher "Microsoft.Azure.Security", type "AzureDiskEncryption" on
 * Windows, "AzureDiskEncryptionForLinux" on Linux: https://learn.microsoft.com/azure/virtual-machines/extensions/azure-disk-enc-windows
 * and .../azure-disk-enc-linux), among the VM's child extensions (the VirtualMachine model's read-only `resources`,
 * specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01/virtualMachine.json). A VM list
 * gives each extension's id alone (Azure/azure-sdk-for-net#13378, Azure/azure-sdk-for-python#2165): then the
 * extension's name tells, which az CLI and PowerShell set to the type (azure-cli command_modules/vm/disk_encryption.py
 * `vm_extension_info`). An extension renamed by hand is seen when the VM is read on its own (GET).
 */
const ADE_EXTENSION_TYPES = new Set(["azurediskencryption", "azurediskencryptionforlinux"]);

export function hasAdeExtension(extensions: readonly VirtualMachineExtension[] | undefined): boolean {
  return (extensions ?? []).some((e) => {
    if (e.publisher !== undefined || e.typePropertiesType !== undefined) {
      return (e.publisher ?? "").toLowerCase() === "microsoft.azure.security" && ADE_EXTENSION_TYPES.has((e.typePropertiesType ?? "").toLowerCase());
    }
    const name = e.name ?? (e.id === undefined ? "" : resourceNameOf(e.id));
    return ADE_EXTENSION_TYPES.has(name.toLowerCase());
  });
}

export function toVmArgs(vm: VirtualMachine): AzureVm {
  const storage = vm.storageProfile;
  const image = storage?.imageReference;
  const args: AzureVm = {
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
  else if (hasAdeExtension(vm.resources)) {
    const disks = [storage?.osDisk?.managedDisk?.id, ...(storage?.dataDisks ?? []).map((d) => d.managedDisk?.id)].filter(
      (id): id is string => id !== undefined,
    );
    if (disks.length > 0) args.adeDisks = disks;
  }
  return args;
}

/**
 * A managed disk's Azure Disk Encryption (`encryptionSettingsCollection` of Microsoft.Compute/disks, where today's
 * "single pass" ADE stamps it: "If ADE single-pass is used, the extension process stamps the encryption settings on the
 * disk object itself. If ADE dual-pass is used, encryption settings are stamped on the VM object",
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/how-to-display-encryption-settings-in-azure-vms;
 * shape: DiskRP/stable/2024-03-02/examples/diskExamples/Disk_Get.json). Undefined when absent or disabled.
 */
export function diskEncryptionOfDisk(disk: Disk): DiskEncryptionArgs | undefined {
  const collection = disk.encryptionSettingsCollection;
  if (collection === undefined || collection.enabled === false) return undefined;
  for (const element of collection.encryptionSettings ?? []) {
    const secret = element.diskEncryptionKey;
    if (secret?.secretUrl === undefined || secret.sourceVault?.id === undefined) continue;
    const kek = element.keyEncryptionKey;
    return {
      secret: { keyVaultId: secret.sourceVault.id, secretUrl: secret.secretUrl },
      ...(kek?.keyUrl === undefined || kek.sourceVault?.id === undefined ? {} : { keyEncryptionKey: { keyVaultId: kek.sourceVault.id, keyUrl: kek.keyUrl } }),
    };
  }
  return undefined;
}

const MANAGED_DISK_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/disks\/([^/]+)$/i;

/**
 * The VM's Azure Disk Encryption: from its model (osDisk.encryptionSettings) or, for a VM with the ADE extension and no
 * settings in its model, from its managed disks, read once per process each (OS disk first, then the data disks until
 * one has settings). No call for a VM without the extension. `c`: clients of the VM's subscription.
 */
export async function diskEncryptionOfVm(c: AzureClients, vm: AzureVm): Promise<DiskEncryptionArgs | undefined> {
  if (vm.diskEncryption !== undefined) return vm.diskEncryption;
  for (const id of vm.adeDisks ?? []) {
    const m = MANAGED_DISK_ID.exec(id);
    if (m === null) continue;
    const ade = await lookups.get(`disk-ade:${id}`.toLowerCase(), async () => {
      try {
        return diskEncryptionOfDisk(await c.compute.disks.get(m[1]!, m[2]!));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        return attempt("Reading", `managed disk '${m[2]}' of VM '${resourceNameOf(vm.id)}'`, () => Promise.reject(error));
      }
    });
    if (ade !== undefined) return ade;
  }
  return undefined;
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
export async function getVm(c: AzureClients, names: ItemNames, current: (listed: VmArgs) => boolean = () => true): Promise<AzureVm | undefined> {
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
