/**
 * One Linux Trusted Launch VM, declared with @pulumi/azure-native, backed up in a new Recovery Services vault with the
 * 2017 portal's default policy (daily at 20:30, kept 180 days), and a first backup taken right away and kept
 * 30 days (https://github.com/MicrosoftDocs/azure-docs/blob/077c272250fbf992d576acf8c53ba0f2bd4dde10/articles/virtual-machines/linux/tutorial-backup-vms.md). Nothing here is specific to the emulator: `pulumi up` deploys it to Azure.
 *
 * Config (all optional): basic:location (default westeurope), basic:sshPublicKey (set your own key for
 * a real deployment).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupPolicy, BackupVault, ProtectedVm } from "pulumi-azure-vm-backup";

// A program that is a function: Pulumi calls it and exports what it returns (and tests can run it again).
export = () => {
  const config = new pulumi.Config("basic");
  const location = config.get("location") ?? "westeurope";
  const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoKeyReplaceMeWithYourOwnPublicKey000000 demo";

  const group = new resources.ResourceGroup("rg-backup-basic", { resourceGroupName: "rg-backup-basic", location });

  const vnet = new network.VirtualNetwork("vnet-basic", {
    resourceGroupName: group.name,
    location,
    addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
  });
  const subnet = new network.Subnet("snet-app", { resourceGroupName: group.name, virtualNetworkName: vnet.name, addressPrefix: "10.20.1.0/24" });
  const nic = new network.NetworkInterface("nic-web-01", {
    resourceGroupName: group.name,
    location,
    ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnet.id } }],
  });

  const vm = new compute.VirtualMachine("web-01", {
    resourceGroupName: group.name,
    vmName: "web-01",
    location,
    hardwareProfile: { vmSize: "Standard_B2s" },
    osProfile: {
      computerName: "web-01",
      adminUsername: "azureuser",
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
      },
    },
    storageProfile: {
      imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
      osDisk: { createOption: "FromImage", diskSizeGB: 64, managedDisk: { storageAccountType: "Premium_LRS" } },
      dataDisks: [{ lun: 0, createOption: "Empty", diskSizeGB: 64, managedDisk: { storageAccountType: "Premium_LRS" } }],
    },
    networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
    // Trusted Launch, the portal's default security type for new Gen2 VMs. Its backup takes the standard policy
    // below since the backup REST API 2025-01-01 (learn.microsoft.com/azure/backup/backup-support-matrix-iaas).
    securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
  });

  // The vault: geo-redundant by default ("geo-redundant recovery vaults" in the 2017 VM backup tutorial), in the VM's region.
  const vault = new BackupVault("vault", { resourceGroupName: group.name, location, vaultName: "rsv-backup-basic" });

  // No schedule or retention: the 2017 portal's default policy, daily at 20:30 and kept 180 days.
  const policy = new BackupPolicy("daily", { vault, policyName: "daily-default" });

  // Protect the VM and take its first backup now, kept 30 days; wait until it is in the vault.
  const webBackup = new ProtectedVm("web-01-backup", { vm, policy, backupNow: { retainDays: 30 }, waitForInitialBackup: true });

  return {
    vaultId: vault.id,
    vaultRedundancy: vault.redundancy,
    policyId: policy.id,
    policySchedule: policy.schedule,
    protectionState: webBackup.protectionState,
    lastBackupStatus: webBackup.lastBackupStatus,
    protectedInstanceGb: webBackup.protectedInstanceGb,
    billingUnits: webBackup.billingUnits,
    initialBackupHours: webBackup.initialBackupHours,
  };
};
