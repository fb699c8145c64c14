/**
 * The resource group's VM list is read once per provider process (at the first VM of the group), while a program
 * that declares its VMs may change one of them in the same run, before that VM's ProtectedVm is checked (the engine
 * checks a resource once its inputs, the VM's outputs, are known). The check must judge the VM as it is then, not as
 * the list showed it: a data disk added with its LUN included is accepted. Through the real provider host and the
 * emulator, in the engine's order: another VM's check (the list is read), the VM's update, its ProtectedVm's check.
 */
import { vmFixture, vmId } from "../emulator/harness";
import { hostWorld, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-fresh");

const disk = (lun: number, sizeGb: number) => ({ lun, sizeGb, usedGb: 10, storageType: "Premium_LRS" });

describe("a VM the program changes after its resource group's list was read", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [vmFixture("web1", { dataDisks: [disk(0, 128)] }), vmFixture("web2")] });
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs);
  });
  afterAll(async () => w.stop());

  it("is checked with the disks it has now", async () => {
    // Another VM of the group first: the provider reads rg-app's VM list (web1 with one data disk).
    expect((await w.host.check("protected-vm", protection("web2"))).failures).toEqual([]);
    // The program's own VM resource adds a data disk at LUN 1 (azure-native's update, as the offline runner applies it).
    const updated = vmFixture("web1", { dataDisks: [disk(0, 128), disk(1, 512)] });
    w.emulator.addVms([updated]);
    // Its ProtectedVm backs up that disk only, and declares the VM as the resource's outputs describe it.
    const declared = {
      location: "westeurope",
      osType: "Linux",
      osDisk: { sizeGb: 64 },
      dataDisks: [
        { lun: 0, sizeGb: 128 },
        { lun: 1, sizeGb: 512 },
      ],
    };
    const checked = await w.host.check("protected-vm", protection("web1", { includeDiskLuns: [1], vm: declared }));
    expect(checked.failures).toEqual([]);
    const { outs } = await w.host.create("protected-vm", checked.inputs);
    // The estimate counts the VM's disks as they are now: the OS disk and LUN 1 (512 GB), not LUN 0 alone.
    expect(outs.protectedInstanceGb).toBeGreaterThanOrEqual(64 + 512);
    expect(w.emulator.model.protectionOf(vmId("web1"))?.item.protectionState).toMatch(/Protected|IRPending/);
  });
});
