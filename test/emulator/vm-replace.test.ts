/**
 * A VM given again with other disks (addVms, POST /_emulator/vms, the offline runner's azure-native VM after the
 * program changed it) replaces the one the emulator held: the single GET and the lists serve the new one, never
 * the old one the VM index kept (with a state file, so that the state is seen through the journal's proxies).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vmFixture, world, type TestWorld } from "./harness";

const twoDisks = vmFixture("vm1", {
  dataDisks: [
    { lun: 0, sizeGb: 128, usedGb: 30, storageType: "Premium_LRS" },
    { lun: 1, sizeGb: 256, usedGb: 10, storageType: "Premium_LRS" },
  ],
});

describe("a VM replaced by addVms", () => {
  let dir: string;
  let w: TestWorld;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "avb-vm-replace-"));
    w = await world({ statePath: join(dir, "state.json") });
  });
  afterAll(async () => {
    await w.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is served with its new disks by the GET and the resource group's list", async () => {
    // A first read: the VM index is built with the VM as it was.
    expect((await w.compute.virtualMachines.get("rg-app", "vm1")).storageProfile?.dataDisks).toHaveLength(1);
    w.emulator.addVms([twoDisks]);
    const got = await w.compute.virtualMachines.get("rg-app", "vm1");
    expect(got.storageProfile?.dataDisks?.map((d) => [d.lun, d.diskSizeGB])).toEqual([
      [0, 128],
      [1, 256],
    ]);
    const listed = [];
    for await (const vm of w.compute.virtualMachines.list("rg-app")) if (vm.name === "vm1") listed.push(vm);
    expect(listed.map((v) => v.storageProfile?.dataDisks?.length)).toEqual([2]);
    expect(w.emulator.state.vms.filter((v) => v.id === twoDisks.id)).toHaveLength(1);
  });
});
