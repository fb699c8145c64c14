/**
 * `Microsoft.Compute/virtualMachines/{vm}` GET (api 2026-03-01), served from the VM fixtures in the shape
 * the compute SDK reads: storageProfile with the OS and data disks, their sizes and storage types, and the
 * securityProfile of a Trusted Launch or Confidential VM (absent for a standard VM, as Azure answers).
 */
import { createHash } from "node:crypto";
import { notFound, ok } from "../http";
import type { FixtureDisk, VmFixture } from "../state";
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

export function renderVm(vm: VmFixture, expandInstanceView: boolean): Record<string, unknown> {
  const name = vm.id.split("/").pop()!;
  const [publisher, offer, sku, version] = (vm.image ?? "").split(":");
  const properties: Record<string, unknown> = {
    vmId: guid(vm.id),
    hardwareProfile: { vmSize: vm.vmSize ?? "Standard_D2s_v3" },
    provisioningState: "Succeeded",
    storageProfile: {
      ...(publisher === undefined || publisher === "" ? {} : { imageReference: { publisher, offer, sku, version: version ?? "latest" } }),
      osDisk: { osType: vm.osType ?? "Linux", createOption: "FromImage", ...diskBody(vm, vm.osDisk, vm.osDisk.name ?? `${name}_OsDisk`) },
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
  };
}

export function registerCompute(s: Services): void {
  s.router.add("GET", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}", (r) => {
    const id = `/subscriptions/${r.params.subscriptionId}/resourceGroups/${r.params.resourceGroupName}/providers/Microsoft.Compute/virtualMachines/${r.params.vmName}`;
    const vm = s.model.vm(id);
    if (vm === undefined) throw notFound("Microsoft.Compute/virtualMachines", r.params.vmName!, r.params.resourceGroupName!);
    return ok(renderVm(vm, (r.query.get("$expand") ?? "").toLowerCase() === "instanceview"));
  });
}
