// A JavaScript program, as a user of the installed package writes it: a vault, a weekday policy and two
// existing VMs of the emulator's fixture (vms.json, copied from examples/emulator-vms.json), protected
// with a first backup. .ci/peers runs it with `azure-vm-backup offline` and checks its outputs.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { BackupPolicy, BackupVault, ProtectedVm } = require("pulumi-azure-vm-backup");

const GROUPS = "/subscriptions/3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01/resourceGroups";
const VMS = [`${GROUPS}/rg-web-prod/providers/Microsoft.Compute/virtualMachines/web-01`, `${GROUPS}/rg-web-prod/providers/Microsoft.Compute/virtualMachines/web-02`];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

module.exports = () => {
  const vault = new BackupVault("vault", {
    resourceGroupName: "rg-backup",
    location: "westeurope",
    vaultName: "rsv-peer-smoke",
    subscriptionId: "3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01",
  });
  const policy = new BackupPolicy("weekdays", {
    vault,
    policyName: "weekdays-2100",
    timeZone: "W. Europe Standard Time",
    schedule: { frequency: "Weekly", time: "21:00", weekdays: WEEKDAYS },
    retention: { weekly: { count: 12, weekdays: WEEKDAYS } },
  });
  const protectedVms = VMS.map((id) => new ProtectedVm(`${id.split("/").pop()}-backup`, { vm: id, policy, backupNow: { retainDays: 14 } }));
  return {
    pulumiVersion: require("@pulumi/pulumi/package.json").version,
    protectionStates: pulumi.all(protectedVms.map((p) => p.protectionState)),
  };
};
