/**
 * Existing VMs, given by resource id, backed up in a new vault in their subscription and region: a
 * weekday policy at 21:00 Central European time kept 12 weeks, and a first backup now kept 14 days.
 *
 * Config (all optional): existing:vmIds (a JSON list of VM ids; default: four VMs of the emulator's
 * examples/emulator-vms.json), existing:location (westeurope), existing:resourceGroupName (rg-backup).
 */
import * as pulumi from "@pulumi/pulumi";
import { BackupPolicy, BackupVault, ProtectedVm } from "pulumi-azure-vm-backup";

const FIXTURES = "/subscriptions/3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01/resourceGroups";
const DEFAULT_VMS = [
  `${FIXTURES}/rg-web-prod/providers/Microsoft.Compute/virtualMachines/web-01`,
  `${FIXTURES}/rg-web-prod/providers/Microsoft.Compute/virtualMachines/web-02`,
  `${FIXTURES}/rg-app-prod/providers/Microsoft.Compute/virtualMachines/app-01`,
  `${FIXTURES}/rg-app-prod/providers/Microsoft.Compute/virtualMachines/app-02`,
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

export = () => {
  const config = new pulumi.Config("existing");
  const vmIds = config.getObject<string[]>("vmIds") ?? DEFAULT_VMS;
  // A vault protects VMs of its own subscription and region.
  const subscriptionId = vmIds[0]?.split("/")[2];

  const vault = new BackupVault("vault", {
    resourceGroupName: config.get("resourceGroupName") ?? "rg-backup",
    location: config.get("location") ?? "westeurope",
    vaultName: "rsv-existing",
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
  });
  const policy = new BackupPolicy("weekdays", {
    vault,
    policyName: "weekdays-2100",
    timeZone: "W. Europe Standard Time",
    schedule: { frequency: "Weekly", time: "21:00", weekdays: WEEKDAYS },
    retention: { weekly: { count: 12, weekdays: WEEKDAYS } },
  });
  const protectedVms = vmIds.map((id) => new ProtectedVm(`${id.split("/").pop()}-backup`, { vm: id, policy, backupNow: { retainDays: 14 } }));

  return {
    vaultId: vault.id,
    protectionStates: pulumi
      .all(protectedVms.map((p) => pulumi.all([p.vmId, p.protectionState])))
      .apply((pairs) => Object.fromEntries(pairs.map(([id, state]) => [id.split("/").pop()!, state]))),
    billingUnits: pulumi.all(protectedVms.map((p) => p.billingUnits)).apply((units) => units.reduce((a, b) => a + b, 0)),
  };
};
