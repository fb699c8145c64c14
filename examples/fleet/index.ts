/**
 * 150 VMs in three tiers, declared with @pulumi/azure-native, backed up in one vault with a policy per
 * tier. Azure starts the backups of at most 100 VMs of one vault at the same time (https://github.com/MicrosoftDocs/azure-docs/blob/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md), so each
 * tier's policy starts at its own time: web at 20:00, app at 21:00 (both Central European time), and the
 * databases every 4 hours from 08:00 with an enhanced (V2) policy, which their Premium SSD v2 disks need.
 *
 * Config (all optional): fleet:location (default westeurope), fleet:webVms (60), fleet:appVms (50),
 * fleet:dbVms (40), fleet:sshPublicKey. Put 101 VMs in one tier and the preview fails before anything is
 * created, naming the vault, the start time, the count and the limit.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupPolicy, BackupVault, ProtectedVm, StackV2Registration, type BackupPolicyArgs } from "pulumi-azure-vm-backup";

interface Tier {
  name: string;
  count: number;
  vmSize: string;
  osDiskGb: number;
  dataDisks: Array<{ sizeGb: number; storageType: string }>;
  zone?: string;
  policy: Omit<BackupPolicyArgs, "vault">;
}

export = () => {
  const config = new pulumi.Config("fleet");
  const location = config.get("location") ?? "westeurope";
  const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoKeyReplaceMeWithYourOwnPublicKey000000 fleet";
  const cet = "W. Europe Standard Time";

  const tiers: Tier[] = [
    {
      name: "web",
      count: config.getNumber("webVms") ?? 60,
      vmSize: "Standard_B2s",
      osDiskGb: 64,
      dataDisks: [],
      policy: { timeZone: cet, schedule: { frequency: "Daily", time: "20:00" }, retention: { daily: { count: 30 } } },
    },
    {
      name: "app",
      count: config.getNumber("appVms") ?? 50,
      vmSize: "Standard_D4s_v5",
      osDiskGb: 128,
      dataDisks: [{ sizeGb: 256, storageType: "Premium_LRS" }],
      policy: {
        timeZone: cet,
        schedule: { frequency: "Daily", time: "21:00" },
        instantRestoreRetentionDays: 5,
        retention: { daily: { count: 30 }, weekly: { count: 12, weekdays: ["Sunday"] }, monthly: { count: 12, weeks: ["First"], weekdays: ["Sunday"] } },
      },
    },
    {
      name: "db",
      count: config.getNumber("dbVms") ?? 40,
      vmSize: "Standard_E8s_v5",
      osDiskGb: 128,
      dataDisks: [
        { sizeGb: 512, storageType: "PremiumV2_LRS" },
        { sizeGb: 512, storageType: "PremiumV2_LRS" },
      ],
      zone: "1",
      policy: {
        policyType: "V2",
        timeZone: cet,
        schedule: { frequency: "Hourly", time: "08:00", hourInterval: 4, hourWindow: 12 },
        instantRestoreRetentionDays: 7,
        retention: {
          daily: { count: 35 },
          weekly: { count: 26, weekdays: ["Sunday"] },
          yearly: { count: 7, months: ["January"], weeks: ["First"], weekdays: ["Sunday"] },
        },
      },
    },
  ];

  const group = new resources.ResourceGroup("rg-fleet", { resourceGroupName: "rg-fleet", location });
  const vnet = new network.VirtualNetwork("vnet-fleet", { resourceGroupName: group.name, location, addressSpace: { addressPrefixes: ["10.30.0.0/16"] } });
  const subnet = new network.Subnet("snet-fleet", { resourceGroupName: group.name, virtualNetworkName: vnet.name, addressPrefix: "10.30.0.0/20" });

  // The subscription's upgrade to backup stack V2 (https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md: instant restore, 4 TB disks), before the vault.
  const stackV2 = new StackV2Registration("stack-v2");
  const vault = new BackupVault(
    "fleet-vault",
    { resourceGroupName: group.name, location, vaultName: "rsv-fleet-weu", softDelete: { state: "Enabled", retentionDays: 14 } },
    { dependsOn: [stackV2] },
  );

  const protectedVms: ProtectedVm[] = [];
  for (const tier of tiers) {
    const policy = new BackupPolicy(`${tier.name}-policy`, { vault, policyName: `${tier.name}-backup`, ...tier.policy });
    for (let i = 1; i <= tier.count; i++) {
      const name = `${tier.name}-${String(i).padStart(3, "0")}`;
      const vm = new compute.VirtualMachine(name, {
        resourceGroupName: group.name,
        vmName: name,
        location,
        ...(tier.zone === undefined ? {} : { zones: [tier.zone] }),
        hardwareProfile: { vmSize: tier.vmSize },
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
          osDisk: { createOption: "FromImage", diskSizeGB: tier.osDiskGb, managedDisk: { storageAccountType: "Premium_LRS" } },
          dataDisks: tier.dataDisks.map((d, lun) => ({ lun, createOption: "Empty", diskSizeGB: d.sizeGb, managedDisk: { storageAccountType: d.storageType } })),
        },
        // The VM creates its own network interface (and deletes it with the VM).
        networkProfile: {
          networkApiVersion: "2020-11-01",
          networkInterfaceConfigurations: [
            { name: `nic-${name}`, primary: true, deleteOption: "Delete", ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnet.id } }] },
          ],
        },
      });
      protectedVms.push(new ProtectedVm(`${name}-backup`, { vm, policy }));
    }
  }

  return {
    stackV2: stackV2.state,
    vaultId: vault.id,
    protectedVms: protectedVms.length,
    protectedInstanceGb: pulumi.all(protectedVms.map((p) => p.protectedInstanceGb)).apply((sizes) => sizes.reduce((a, b) => a + b, 0)),
    billingUnits: pulumi.all(protectedVms.map((p) => p.billingUnits)).apply((units) => units.reduce((a, b) => a + b, 0)),
  };
};
