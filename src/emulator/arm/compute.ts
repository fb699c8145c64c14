/**
 * `Microsoft.Compute/virtualMachines/{vm}` GET (api 2026-03-01), served from the VM fixtures in the shape
 * the compute SDK reads: storageProfile with the OS and data disks, their sizes and storage types, and the
 * securityProfile of a Trusted Launch or Confidential VM (absent for a standard VM, as Azure answers), and the
 * OS disk's encryptionSettings of a VM encrypted with Azure Disk Encryption.
 *
 * And the two VM lists (VirtualMachines_List in a resource group, VirtualMachines_ListAll in the subscription),
 * as Azure/azure-rest-api-specs specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01/
 * virtualMachine.json and its examples (virtualMachineExamples/VirtualMachine_List_*.json, VirtualMachine_ListAll_*.json)
 * give them, at the api-version @azure/arm-compute 24.1.0 sends (2026-03-01, any dated version served: api-versions.ts):
 * `{value: [VM, ...], nextLink}`, each VM rendered as the single GET renders it without instance view.
 * Query parameters:
 * - `$filter`: the one value the spec allows is `'virtualMachineScaleSet/id' eq '{vmss id}'` (azure-cli builds it so:
 *   Azure/azure-cli#24813, `az vm list --vmss`); the emulator models no scale sets, so no VM matches it (an empty
 *   list). Anything else is refused, 400 InvalidParameter naming `$filter` (Azure answers a bad filter with 400:
 *   Azure/azure-sdk-for-go#21682).
 * - `$expand=instanceView`: "this can only be specified if a valid $filter option is specified" (the spec); without
 *   one Azure answers 400 BadRequest "Expand Instance View is only supported when Virtual Machine Scale Set resource
 *   filter is applied" (observed body in semicons/java_oci_manage#46; Azure/azure-rest-api-specs#42411 asks to lift it).
 * - `statusOnly=true` (ListAll only): "enables fetching run time status of all Virtual Machines in the subscription",
 *   so each VM comes with its instance view.
 * Paging: nextLink with `$skiptoken` (the Compute RP's token name: Azure/azure-sdk-for-java#27991), page size an
 * emulator option (render.ts pageOf: Azure documents none). A resource group the emulator was told does not exist
 * (EmulatorOptions.resourceGroups) answers 404 ResourceGroupNotFound, as ARM answers a list under a missing group.
 *
 * Azure Disk Encryption (a fixture's `diskEncryption`), as Azure shows it today:
 * - the VM carries the ADE extension among its child extensions, the VirtualMachine model's read-only `resources`
 *   (VirtualMachineExtension: publisher "Microsoft.Azure.Security", type "AzureDiskEncryption" on Windows or
 *   "AzureDiskEncryptionForLinux"; the names az CLI gives it, azure-cli command_modules/vm/disk_encryption.py
 *   `vm_extension_info`; schemas in https://learn.microsoft.com/azure/virtual-machines/extensions/azure-disk-enc-linux
 *   and .../azure-disk-enc-windows). A GET renders the extension whole; a list renders only its id, as Azure's list
 *   does (Azure/azure-sdk-for-net#13378: "Inner.Resources only has partial data (only the extension ID, no name,
 *   type, etc)"; Azure/azure-sdk-for-python#2165);
 * - "dual pass" ADE (extension 0.1 Linux / 1.1 Windows, with a Microsoft Entra app) stamps the settings on the VM
 *   (osDisk.encryptionSettings); today's "single pass" (1.1 Linux / 2.2 Windows, the fixture's `singlePass`) stamps
 *   them on the managed disks instead, `encryptionSettingsCollection` of Microsoft.Compute/disks ("If ADE single-pass is
 *   used, the extension process stamps the encryption settings on the disk object itself. If ADE dual-pass is used,
 *   encryption settings are stamped on the VM object":
 *   https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/how-to-display-encryption-settings-in-azure-vms).
 * `Microsoft.Compute/disks/{disk}` GET serves the fixtures' managed disks, under the ids their VMs' storageProfile
 * gives them, in the shape of specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable/2024-03-02/
 * examples/diskExamples/Disk_Get.json (encryptionSettingsCollection {enabled, encryptionSettings[{diskEncryptionKey
 * {sourceVault.id, secretUrl}, keyEncryptionKey {sourceVault.id, keyUrl}}], encryptionSettingsVersion "1.1"}).
 */
import { createHash } from "node:crypto";
import { ArmError, notFound, ok, type EmulatorRequest } from "../http";
import { pageOf } from "./render";
import { renderRestoredDisk } from "./restore";
import type { FixtureDisk, FixtureDiskEncryption, VmFixture } from "../state";
import type { Services } from "./services";

function guid(text: string): string {
  const h = createHash("sha1").update(text.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function diskBody(vm: VmFixture, disk: FixtureDisk, name: string): Record<string, unknown> {
  const group = /resourceGroups\/([^/]+)/i.exec(vm.id)?.[1] ?? "";
  const sub = /subscriptions\/([^/]+)/i.exec(vm.id)?.[1] ?? "";
  const body: Record<string, unknown> = { name, caching: "ReadWrite", diskSizeGB: disk.sizeGb };
  if (disk.managed === false) {
    body.vhd = { uri: `https://${disk.storageAccount ?? "unknownaccount"}.blob.core.windows.net/vhds/${name}.vhd` };
  } else {
    body.managedDisk = {
      id: `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Compute/disks/${name}`,
      storageAccountType: disk.storageType ?? "Premium_LRS",
    };
  }
  return body;
}

/**
 * Azure Disk Encryption as the compute API shows it on the VM's OS disk (`DiskEncryptionSettings`: virtualMachine.json
 * in specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01, the @azure/arm-compute 24
 * model): the BEK as a Key Vault secret reference and, when the secret is wrapped, the KEK as a key reference.
 */
function encryptionSettings(ade: FixtureDiskEncryption): Record<string, unknown> {
  return {
    diskEncryptionKey: { secretUrl: ade.secretUrl, sourceVault: { id: ade.keyVaultId } },
    ...(ade.keyEncryptionKey === undefined
      ? {}
      : { keyEncryptionKey: { keyUrl: ade.keyEncryptionKey.keyUrl, sourceVault: { id: ade.keyEncryptionKey.keyVaultId } } }),
    enabled: true,
  };
}

/** The ADE extension's type on the VM's OS (its name too, as az CLI and the portal name it). */
function adeExtensionType(vm: VmFixture): string {
  return vm.osType === "Windows" ? "AzureDiskEncryption" : "AzureDiskEncryptionForLinux";
}

/** The ADE extension as a VM GET shows it in `resources` (a list shows its id alone). */
function adeExtension(vm: VmFixture, ade: FixtureDiskEncryption, listed: boolean): Record<string, unknown> {
  const type = adeExtensionType(vm);
  const id = `${vm.id}/extensions/${type}`;
  if (listed) return { id };
  const vaultUrl = (url: string) => /^https:\/\/[^/]+/.exec(url)?.[0] ?? url;
  const windows = vm.osType === "Windows";
  return {
    id,
    name: type,
    type: "Microsoft.Compute/virtualMachines/extensions",
    location: vm.location,
    properties: {
      autoUpgradeMinorVersion: true,
      provisioningState: "Succeeded",
      publisher: "Microsoft.Azure.Security",
      type,
      typeHandlerVersion: ade.singlePass === true ? (windows ? "2.2" : "1.1") : windows ? "1.1" : "0.1",
      settings: {
        EncryptionOperation: "EnableEncryption",
        KeyVaultURL: vaultUrl(ade.secretUrl),
        KeyVaultResourceId: ade.keyVaultId,
        ...(ade.keyEncryptionKey === undefined
          ? {}
          : { KeyEncryptionKeyURL: ade.keyEncryptionKey.keyUrl, KekVaultResourceId: ade.keyEncryptionKey.keyVaultId, KeyEncryptionAlgorithm: "RSA-OAEP" }),
        VolumeType: "All",
      },
    },
  };
}

/** The managed disk's `encryptionSettingsCollection` of a single-pass ADE VM (the module comment cites the shape). */
function encryptionSettingsCollection(ade: FixtureDiskEncryption): Record<string, unknown> {
  return {
    enabled: true,
    encryptionSettings: [
      {
        diskEncryptionKey: { sourceVault: { id: ade.keyVaultId }, secretUrl: ade.secretUrl },
        ...(ade.keyEncryptionKey === undefined
          ? {}
          : { keyEncryptionKey: { sourceVault: { id: ade.keyEncryptionKey.keyVaultId }, keyUrl: ade.keyEncryptionKey.keyUrl } }),
      },
    ],
    encryptionSettingsVersion: "1.1",
  };
}

/** The managed disks of a VM, by the names its storageProfile gives them (unmanaged disks are blobs, not disk resources). */
function managedDisks(vm: VmFixture): Array<{ name: string; disk: FixtureDisk; os: boolean }> {
  const name = vm.id.split("/").pop()!;
  const all = [
    { name: vm.osDisk.name ?? `${name}_OsDisk`, disk: vm.osDisk, os: true },
    ...(vm.dataDisks ?? []).map((d) => ({ name: d.name ?? `${name}_DataDisk_${d.lun}`, disk: d as FixtureDisk, os: false })),
  ];
  return all.filter((d) => d.disk.managed !== false);
}

function renderDisk(vm: VmFixture, found: { name: string; disk: FixtureDisk; os: boolean }): Record<string, unknown> {
  const group = /resourceGroups\/([^/]+)/i.exec(vm.id)?.[1] ?? "";
  const sub = /subscriptions\/([^/]+)/i.exec(vm.id)?.[1] ?? "";
  const ade = vm.diskEncryption?.singlePass === true ? vm.diskEncryption : undefined;
  return {
    id: `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Compute/disks/${found.name}`,
    name: found.name,
    type: "Microsoft.Compute/disks",
    location: vm.location,
    ...(vm.zones === undefined ? {} : { zones: vm.zones }),
    managedBy: vm.id,
    sku: { name: found.disk.storageType ?? "Premium_LRS" },
    properties: {
      ...(found.os ? { osType: vm.osType ?? "Linux" } : {}),
      creationData: { createOption: found.os ? "FromImage" : "Empty" },
      diskSizeGB: found.disk.sizeGb,
      ...(ade === undefined ? {} : { encryptionSettingsCollection: encryptionSettingsCollection(ade) }),
      encryption: { type: "EncryptionAtRestWithPlatformKey" },
      diskState: "Attached",
      provisioningState: "Succeeded",
    },
  };
}

export function renderVm(vm: VmFixture, expandInstanceView: boolean, listed = false): Record<string, unknown> {
  const name = vm.id.split("/").pop()!;
  const [publisher, offer, sku, version] = (vm.image ?? "").split(":");
  const properties: Record<string, unknown> = {
    vmId: guid(vm.id),
    hardwareProfile: { vmSize: vm.vmSize ?? "Standard_D2s_v3" },
    provisioningState: "Succeeded",
    storageProfile: {
      ...(publisher === undefined || publisher === "" ? {} : { imageReference: { publisher, offer, sku, version: version ?? "latest" } }),
      osDisk: {
        osType: vm.osType ?? "Linux",
        createOption: "FromImage",
        ...diskBody(vm, vm.osDisk, vm.osDisk.name ?? `${name}_OsDisk`),
        ...(vm.diskEncryption === undefined || vm.diskEncryption.singlePass === true ? {} : { encryptionSettings: encryptionSettings(vm.diskEncryption) }),
      },
      dataDisks: (vm.dataDisks ?? []).map((d) => ({ lun: d.lun, createOption: "Empty", ...diskBody(vm, d, d.name ?? `${name}_DataDisk_${d.lun}`) })),
    },
  };
  if (vm.securityType === "TrustedLaunch" || vm.securityType === "ConfidentialVM") {
    // Both security types run with secure boot and a vTPM (VirtualMachine.securityProfile in the compute API).
    properties.securityProfile = { securityType: vm.securityType, uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } };
  }
  if (expandInstanceView) {
    properties.instanceView = {
      statuses: [
        { code: "ProvisioningState/succeeded", level: "Info", displayStatus: "Provisioning succeeded" },
        vm.powerState === "deallocated"
          ? { code: "PowerState/deallocated", level: "Info", displayStatus: "VM deallocated" }
          : { code: "PowerState/running", level: "Info", displayStatus: "VM running" },
      ],
    };
  }
  return {
    id: vm.id,
    name,
    type: "Microsoft.Compute/virtualMachines",
    location: vm.location,
    ...(vm.tags === undefined ? {} : { tags: vm.tags }),
    ...(vm.zones === undefined ? {} : { zones: vm.zones }),
    properties,
    ...(vm.diskEncryption === undefined ? {} : { resources: [adeExtension(vm, vm.diskEncryption, listed)] }),
  };
}

export function registerCompute(s: Services): void {
  s.router.add("GET", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}", (r) => {
    const id = `/subscriptions/${r.params.subscriptionId}/resourceGroups/${r.params.resourceGroupName}/providers/Microsoft.Compute/virtualMachines/${r.params.vmName}`;
    const vm = s.model.vm(id);
    if (vm === undefined) throw notFound("Microsoft.Compute/virtualMachines", r.params.vmName!, r.params.resourceGroupName!);
    return ok(renderVm(vm, (r.query.get("$expand") ?? "").toLowerCase() === "instanceview"));
  });

  // One route for Disks_Get (the router answers with the first route of a path): the disks restores created (restore.ts),
  // then the fixtures' managed disks. A restored disk that replaced a VM's disk bears the name the VM's storageProfile
  // now gives, so it is looked up first.
  s.router.add("GET", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/disks/{diskName}", (r) => {
    const group = r.params.resourceGroupName!;
    // A disk a restore created (arm/restore.ts) first: a VM whose disks were replaced names them.
    const id = `/subscriptions/${r.params.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/disks/${r.params.diskName}`.toLowerCase();
    const restored = (s.model.state.disks ?? []).find((d) => d.id.toLowerCase() === id);
    if (restored !== undefined) return ok(renderRestoredDisk(restored));
    const prefix = `/subscriptions/${r.params.subscriptionId}/resourceGroups/${group}/providers/microsoft.compute/virtualmachines/`.toLowerCase();
    for (const vm of s.model.vmsUnder(prefix)) {
      const found = managedDisks(vm).find((d) => d.name.toLowerCase() === r.params.diskName!.toLowerCase());
      if (found !== undefined) return ok(renderDisk(vm, found));
    }
    throw notFound("Microsoft.Compute/disks", r.params.diskName!, group);
  });

  /** The VMs a list answers, or its refusal of the query (see the module comment). */
  const listed = (r: EmulatorRequest, vms: () => VmFixture[]): { vms: VmFixture[]; instanceView: boolean } => {
    const filter = r.query.get("$filter");
    const expand = r.query.get("$expand");
    if (filter !== undefined && !SCALE_SET_FILTER.test(filter.trim())) {
      throw new ArmError(400, "InvalidParameter", `The value of parameter '$filter' is invalid: ${filter}`, "$filter");
    }
    if (expand !== undefined && expand.toLowerCase() !== "instanceview") {
      throw new ArmError(400, "InvalidParameter", `The value of parameter '$expand' is invalid: ${expand}`, "$expand");
    }
    if (expand !== undefined && filter === undefined) {
      throw new ArmError(400, "BadRequest", "Expand Instance View is only supported when Virtual Machine Scale Set resource filter is applied");
    }
    // No VM of the emulator belongs to a scale set: a valid scale-set filter matches none.
    if (filter !== undefined) return { vms: [], instanceView: false };
    return { vms: vms(), instanceView: (r.query.get("statusonly") ?? "").toLowerCase() === "true" };
  };

  s.router.add("GET", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines", (r) => {
    const group = r.params.resourceGroupName!;
    if (s.resourceGroups !== undefined && !s.resourceGroups.has(group.toLowerCase())) {
      throw new ArmError(404, "ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
    }
    const prefix = `/subscriptions/${r.params.subscriptionId}/resourceGroups/${group}/providers/microsoft.compute/virtualmachines/`.toLowerCase();
    const { vms, instanceView } = listed(r, () => s.model.vmsUnder(prefix));
    return ok(pageOf(r, vms, (vm) => renderVm(vm, instanceView, true), s.pageSize, "$skiptoken"));
  });

  s.router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines", (r) => {
    const prefix = `/subscriptions/${r.params.subscriptionId}/`.toLowerCase();
    const { vms, instanceView } = listed(r, () => s.model.vmsUnder(prefix));
    return ok(pageOf(r, vms, (vm) => renderVm(vm, instanceView, true), s.pageSize, "$skiptoken"));
  });
}

/** `'virtualMachineScaleSet/id' eq '/subscriptions/.../virtualMachineScaleSets/{name}'` (quotes optional around the id, as the spec's text shows it without). */
const SCALE_SET_FILTER =
  /^'?virtualMachineScaleSet\/id'?\s+eq\s+'?\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/[^/']+'?$/i;
