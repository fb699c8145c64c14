import { vmFixture, vmId } from "../emulator/harness";
import { hostWorld, type HostWorld } from "./harness";

const VMS = ["vm1", "vm2", "vm3", "vm4", "vm5"];

describe("check of a protected VM: a bounded number of ARM calls, shared lookups once per host process", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: VMS.map((vm) => vmFixture(vm)) });
    await w.host.create("vault", (await w.host.check("vault", { resourceGroupName: "rg-backup", name: "rsv-calls", location: "westeurope" })).inputs);
    await w.host.create("policy", (await w.host.check("policy", { resourceGroupName: "rg-backup", vaultName: "rsv-calls", name: "daily-2030" })).inputs);
  });
  afterAll(async () => w.stop());

  it("asks Azure where each VM is protected, and for the VMs of its resource group, the vault, its VMs and policies once", async () => {
    const perCheck: string[][] = [];
    for (const vm of VMS) {
      const mark = w.emulator.log.mark();
      const { failures } = await w.host.check("protected-vm", {
        vaultResourceGroupName: "rg-backup",
        vaultName: "rsv-calls",
        policyName: "daily-2030",
        vmId: vmId(vm),
      });
      expect(failures).toEqual([]);
      perCheck.push(w.emulator.log.list(mark).map((e) => `${e.method} ${e.path.split("/").slice(-2).join("/")}`));
    }
    expect(perCheck[0]).toEqual([
      // The VMs of the resource group, in one list (src/azure/vms.ts).
      "GET Microsoft.Compute/virtualMachines",
      "GET vaults/rsv-calls",
      "GET backupstorageconfig/vaultstorageconfig",
      "GET rsv-calls/backupProtectedItems",
      "GET rsv-calls/backupPolicies",
      "POST westeurope/backupStatus",
    ]);
    for (const calls of perCheck.slice(1)) expect(calls).toEqual(["POST westeurope/backupStatus"]);
  });
});
