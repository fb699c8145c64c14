/**
 * Azure VM backup: two Linux VMs declared with @pulumi/azure-native, a Recovery Services vault, a backup
 * policy, and each VM protected by the policy with a first backup taken right away. Every Azure Backup rule
 * and limit is checked in preview, before anything is created.
 *
 * Config (all optional):
 *   location        Azure region of the resource group, the VMs and the vault (default westeurope)
 *   sshPublicKey    the VMs' admin SSH key (set your own for a real deployment)
 *   existingVmIds   a JSON list of resource ids of VMs that already exist, to protect as well (in the vault's
 *                   region). The test protects the VM of emulator-vms.json this way.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupPolicy, BackupVault, ProtectedVm } from "pulumi-azure-vm-backup";

// The program is a function: Pulumi calls it and exports what it returns, and a test can run it again.
export = () => {
  const config = new pulumi.Config();
  const location = config.get("location") ?? "westeurope";
  const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoKeyReplaceMeWithYourOwnPublicKey000000 demo";
  const existingVmIds = config.getObject<string[]>("existingVmIds") ?? [];

  const group = new resources.ResourceGroup("rg", { resourceGroupName: "rg-vm-backup", location });
  const vnet = new network.VirtualNetwork("vnet", { resourceGroupName: group.name, location, addressSpace: { addressPrefixes: ["10.30.0.0/16"] } });
  const subnet = new network.Subnet("snet", { resourceGroupName: group.name, virtualNetworkName: vnet.name, addressPrefix: "10.30.1.0/24" });

  // The VMs to back up. Any compute.VirtualMachine works, whatever else the program declares around it.
  const vms = ["web-01", "web-02"].map((name) => {
    const nic = new network.NetworkInterface(`${name}-nic`, {
      resourceGroupName: group.name,
      location,
      ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnet.id } }],
    });
    const vm = new compute.VirtualMachine(name, {
      resourceGroupName: group.name,
      vmName: name,
      location,
      hardwareProfile: { vmSize: "Standard_B2s" },
      osProfile: {
        computerName: name,
        adminUsername: "azureuser",
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
        },
      },
      storageProfile: {
        imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
        osDisk: { createOption: "FromImage", diskSizeGB: 64, managedDisk: { storageAccountType: "Premium_LRS" } },
      },
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
    });
    return { name, vm };
  });

  // The vault, in the VMs' region (a VM in another region is refused in preview: rule vm/location); geo-redundant by default.
  const vault = new BackupVault("vault", { resourceGroupName: group.name, location, vaultName: "rsv-vm-backup" });

  // Daily at 21:00 Central European time; daily points kept 30 days, Sunday's 12 weeks.
  const policy = new BackupPolicy("daily", {
    vault,
    policyName: "daily-2100",
    timeZone: "W. Europe Standard Time",
    schedule: { frequency: "Daily", time: "21:00" },
    retention: { daily: { count: 30 }, weekly: { count: 12, weekdays: ["Sunday"] } },
  });

  // Protect each VM with the policy and take a first backup now, kept 14 days. A VM is given as the
  // resource or as the id of a VM that already exists.
  const existing = existingVmIds.map((id) => ({ name: id.split("/").pop()!, vm: id }));
  const protectedVms = [...vms, ...existing].map(({ name, vm }) => new ProtectedVm(`${name}-backup`, { vm, policy, backupNow: { retainDays: 14 } }));

  return {
    vaultId: vault.id,
    policyId: policy.id,
    // VM name -> "Protected" once a VM's protection is configured.
    protectionStates: pulumi
      .all(protectedVms.map((p) => pulumi.all([p.vmId, p.protectionState])))
      .apply((pairs) => Object.fromEntries(pairs.map(([id, state]) => [id.split("/").pop()!, state]))),
  };
};
