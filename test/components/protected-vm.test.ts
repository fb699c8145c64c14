import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { BackupPolicy, BackupVault, ProtectedVm } from "../../src";
import { declare, stopEngine, SUB, T } from "./helpers";

afterAll(stopEngine);

class Marker extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Marker", name, {});
  }
}

const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-existing`;
const POLICY_ID = `/subscriptions/${SUB}/resourceGroups/rg-vaults/providers/Microsoft.RecoveryServices/vaults/rsv-shared/backupPolicies/nightly`;

function linuxVm(name: string, extra: Partial<compute.VirtualMachineArgs> = {}): compute.VirtualMachine {
  return new compute.VirtualMachine(name, {
    resourceGroupName: "rg-app",
    vmName: name,
    location: "westeurope",
    hardwareProfile: { vmSize: "Standard_D2s_v5" },
    storageProfile: {
      imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
      osDisk: { createOption: "FromImage", diskSizeGB: 64, managedDisk: { storageAccountType: "Premium_LRS" } },
      dataDisks: [
        { lun: 0, createOption: "Empty", diskSizeGB: 128, managedDisk: { storageAccountType: "Premium_LRS" } },
        { lun: 1, createOption: "Empty", diskSizeGB: 256 },
      ],
    },
    osProfile: { computerName: name, adminUsername: "azureuser", linuxConfiguration: { disablePasswordAuthentication: true } },
    ...extra,
  });
}

describe("ProtectedVm under Pulumi's mocks", () => {
  it("describes an azure-native VM's security type (securityProfile.securityType) for checks before it exists", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-app" });
      const policy = new BackupPolicy("nightly", { vault, schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 30 } } });
      const securityProfile = { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } };
      new ProtectedVm("web-tl", { vm: linuxVm("web-tl", { securityProfile }), policy });
      new ProtectedVm("web-std", { vm: linuxVm("web-std"), policy });
    });
    expect((d.one(T.protectedVm, "web-tl").inputs.vm as { securityType?: string }).securityType).toBe("TrustedLaunch");
    expect(d.one(T.protectedVm, "web-std").inputs.vm).not.toHaveProperty("securityType");
  });
  it("protects an azure-native VM: its id, its description for checks before it exists, and dependencies on VM, vault and policy", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-app" });
      const policy = new BackupPolicy("nightly", { vault, schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 30 } } });
      const vm = linuxVm("web-01");
      new ProtectedVm("web-01", { vm, policy });
    });
    const pvm = d.one(T.protectedVm, "web-01");
    expect(pvm.inputs).toMatchObject({
      vaultResourceGroupName: "rg-backup",
      vaultName: "rsv-app",
      vaultLocation: "westeurope",
      policyName: "nightly",
      policy: { schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 30 } } },
      vmId: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-01`,
      vm: {
        location: "westeurope",
        osType: "Linux",
        osImage: "Canonical:ubuntu-24_04-lts:server:latest",
        osDisk: { sizeGb: 64, storageType: "Premium_LRS" },
        dataDisks: [
          { lun: 0, sizeGb: 128, storageType: "Premium_LRS" },
          { lun: 1, sizeGb: 256 },
        ],
      },
      programChecks: [],
      // The provider's messages name the resource as the program does.
      componentName: "web-01",
    });
    // The vault is the policy's: no need to name it twice.
    expect(pvm.dependencies).toEqual(expect.arrayContaining([d.one(T.vault).urn, d.one(T.policy).urn, d.one("azure-native:compute:VirtualMachine").urn]));
    for (const key of ["onDestroy", "backupNowRetainUntil", "backupNowRetainDays", "waitForInitialBackup", "includeDiskLuns", "excludeDiskLuns"])
      expect(pvm.inputs).not.toHaveProperty(key);
  });

  it("defaults the policy to the vault's DefaultPolicy, and takes a VM by id", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-app" });
      new ProtectedVm("existing", { vm: VM_ID, vault });
    });
    const pvm = d.one(T.protectedVm);
    expect(pvm.inputs).toMatchObject({ policyName: "DefaultPolicy", vmId: VM_ID, vaultName: "rsv-app" });
    expect(pvm.inputs).not.toHaveProperty("vm");
    expect(pvm.inputs).not.toHaveProperty("policy");
    expect(pvm.dependencies).toEqual([d.one(T.vault).urn]);
  });

  it("takes a policy by id (its vault too), or by name in a vault given by id", async () => {
    const d = await declare(() => {
      new ProtectedVm("by-policy-id", { vm: VM_ID, policy: POLICY_ID });
      new ProtectedVm("by-name", { vm: VM_ID.replace("vm-existing", "vm-2"), vault: POLICY_ID.split("/backupPolicies/")[0]!, policy: "weekly" });
    });
    expect(d.one(T.protectedVm, "by-policy-id").inputs).toMatchObject({
      subscriptionId: SUB,
      vaultResourceGroupName: "rg-vaults",
      vaultName: "rsv-shared",
      policyName: "nightly",
    });
    expect(d.one(T.protectedVm, "by-name").inputs).toMatchObject({ vaultResourceGroupName: "rg-vaults", vaultName: "rsv-shared", policyName: "weekly" });
  });

  it("finds a policy the program declares when given by name: checked with it, and waiting for it", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv" });
      new BackupPolicy("nightly", { vault, schedule: { frequency: "Daily", time: "23:00" }, retention: { daily: { count: 7 } } });
      new ProtectedVm("by-name", { vm: VM_ID, vault, policy: "Nightly" });
    });
    const pvm = d.one(T.protectedVm);
    expect(pvm.inputs).toMatchObject({ policyName: "nightly", policy: { schedule: { frequency: "Daily", time: "23:00" } } });
    expect(pvm.dependencies).toEqual(expect.arrayContaining([d.one(T.policy).urn, d.one(T.vault).urn]));
  });

  it("asks for Backup now: true keeps the recovery point 30 days; a date is sent as ISO 8601", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      new ProtectedVm("thirty", { vm: VM_ID, vault, backupNow: true, waitForInitialBackup: true, onDestroy: "deleteBackupData", excludeDiskLuns: [1] });
      new ProtectedVm("dated", { vm: VM_ID.replace("vm-existing", "vm-b"), vault, backupNow: { retainUntil: new Date("2027-03-31T00:00:00Z") } });
      new ProtectedVm("days", { vm: VM_ID.replace("vm-existing", "vm-c"), vault, backupNow: { retainDays: 7 } });
      new ProtectedVm("none", { vm: VM_ID.replace("vm-existing", "vm-d"), vault, backupNow: false });
    });
    expect(d.one(T.protectedVm, "thirty").inputs).toMatchObject({
      backupNowRetainDays: 30,
      waitForInitialBackup: true,
      onDestroy: "deleteBackupData",
      excludeDiskLuns: [1],
    });
    expect(d.one(T.protectedVm, "dated").inputs).toMatchObject({ backupNowRetainUntil: "2027-03-31T00:00:00.000Z" });
    expect(d.one(T.protectedVm, "dated").inputs).not.toHaveProperty("backupNowRetainDays");
    expect(d.one(T.protectedVm, "days").inputs).toMatchObject({ backupNowRetainDays: 7 });
    expect(d.one(T.protectedVm, "none").inputs).not.toHaveProperty("backupNowRetainDays");
  });

  it("exposes protection state, last backup, size and whether it is an upper bound, billing units and initial backup hours", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      const p = new ProtectedVm("p", { vm: VM_ID, vault });
      return {
        state: p.protectionState,
        last: p.lastBackupStatus,
        gb: p.protectedInstanceGb,
        upperBound: p.protectedInstanceUpperBound,
        units: p.billingUnits,
        tier: p.billingTier,
        hours: p.initialBackupHours,
        vmId: p.vmId,
        policy: p.policyName,
      };
    });
    expect(d.outputs).toEqual({
      state: "IRPending",
      last: "",
      gb: 77,
      upperBound: true,
      units: 1,
      tier: "standard",
      hours: 1.5,
      vmId: VM_ID,
      policy: "DefaultPolicy",
    });
  });

  it("passes its options through", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      const marker = new Marker("marker");
      new ProtectedVm("p", { vm: VM_ID, vault }, { protect: true, retainOnDelete: true, dependsOn: [marker] });
    });
    const pvm = d.one(T.protectedVm);
    expect(pvm).toMatchObject({ protect: true, retainOnDelete: true });
    expect(pvm.dependencies).toEqual(expect.arrayContaining([d.one("test:index:Marker").urn, d.one(T.vault).urn]));
  });

  it("warns early that deleteBackupData deletes the VM's recovery points, with the rule's code", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      new ProtectedVm("gone", { vm: VM_ID, vault, onDestroy: "deleteBackupData", backupNow: true, waitForInitialBackup: true });
      new ProtectedVm("kept", { vm: VM_ID.replace("vm-existing", "vm-b"), vault, waitForInitialBackup: true });
    });
    const logged = (name: string) => d.logs.filter((l) => l.urn === d.one(T.ProtectedVm, name).urn).map((l) => `${l.severity} ${l.message.slice(0, 23)}`);
    expect(logged("gone")).toEqual(["warning [vm/delete-backup-data]"]);
    // An error (waitForInitialBackup without backupNow) is check()'s to report, not a log line.
    expect(logged("kept")).toEqual([]);
  });

  it("warns early about a VM the rules warn about (an OS backup does not support)", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope" });
      const vm = linuxVm("old-win", {
        storageProfile: {
          imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2003-Datacenter", version: "latest" },
          osDisk: { createOption: "FromImage", osType: "Windows" },
        },
        osProfile: { computerName: "old-win", adminUsername: "azureuser", windowsConfiguration: {} },
      });
      new ProtectedVm("old-win", { vm, vault });
    });
    expect(d.one(T.protectedVm).inputs.vm).toMatchObject({ osType: "Windows", osDisk: { sizeGb: 127 } });
    const warnings = d.logs.filter((l) => l.urn === d.one(T.ProtectedVm).urn && l.severity === "warning");
    expect(warnings.map((w) => w.message.slice(0, 22))).toEqual(["[vm/os-unsupported] Wi"]);
  });
});
