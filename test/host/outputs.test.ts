/**
 * Outputs that must not mislead, through the real provider host: a policy's protectedItemsCount read again from Azure by
 * refresh and update (and never a change to make), a protected VM's protectedInstanceGb from the used data Azure measured
 * at its first backup, with protectedInstanceUpperBound saying when it only counts disk sizes.
 */
import { HOUR } from "../../src/emulator";
import { vmFixture, vmId } from "../emulator/harness";
import { hostWorld, SUB, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-outs");
// The VM: 1,663 GB of disks holding 960 GB of data.
const BIG = vmFixture("vm-big", {
  osDisk: { sizeGb: 127, usedGb: 60, storageType: "Premium_LRS" },
  dataDisks: [
    { lun: 0, sizeGb: 1024, usedGb: 700, storageType: "Premium_LRS" },
    { lun: 1, sizeGb: 512, usedGb: 200, storageType: "Premium_LRS" },
  ],
});

describe("outputs read from Azure, through the real provider host", () => {
  let w: HostWorld;
  let policyId: string;
  let policyOuts: Record<string, unknown>;
  beforeAll(async () => {
    w = await hostWorld({
      vms: [
        vmFixture("vm1"),
        vmFixture("vm2"),
        vmFixture("vm3"),
        BIG,
        vmFixture("vm-sel"),
        vmFixture("twin"),
        { ...vmFixture("twin"), id: vmId("twin", "rg-other") },
      ],
    });
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    ({ id: policyId, outs: policyOuts } = await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs));
  });
  afterAll(async () => w.stop());

  describe("BackupPolicy.protectedItemsCount", () => {
    const protectedVms: Array<{ id: string; outs: Record<string, unknown> }> = [];
    it("is 0 at the policy's create, and refresh reads Azure's count once VMs are protected", async () => {
      expect(policyOuts.protectedItemsCount).toBe(0);
      for (const vm of ["vm1", "vm2", "vm3"]) protectedVms.push(await w.host.create("protected-vm", protection(vm)));
      const read = await w.host.read("policy", policyId, policyOuts);
      expect(read).toMatchObject({ id: policyId, props: { protectedItemsCount: 3 } });
    });
    it("a count that changed is no change to make: diff with the same inputs reports none", async () => {
      const read = await w.host.read("policy", policyId, policyOuts);
      const inputs = (await w.host.check("policy", POLICY, read.props)).inputs;
      expect(await w.host.diff("policy", policyId, policyOuts, inputs)).toMatchObject({ changes: "none", replaces: [] });
      expect(await w.host.diff("policy", policyId, read.props, inputs)).toMatchObject({ changes: "none", replaces: [] });
    });
    it("follows VMs that leave the policy: a stopped VM is not counted", async () => {
      const [first] = protectedVms;
      await w.host.delete("protected-vm", first!.id, first!.outs);
      expect((await w.host.read("policy", policyId, policyOuts)).props.protectedItemsCount).toBe(2);
    });
    it("an update of the policy reads the count back", async () => {
      const longer = (await w.host.check("policy", { ...POLICY, retention: { daily: { count: 60 } } }, policyOuts)).inputs;
      policyOuts = await w.host.update("policy", policyId, policyOuts, longer);
      expect(policyOuts).toMatchObject({ retention: { daily: { count: 60 } }, protectedItemsCount: 2 });
    });
  });

  describe("ProtectedVm.protectedInstanceGb", () => {
    const items = () => w.emulator.model.vault(SUB, "rg-backup", "rsv-outs")!.items;

    it("before the first backup, counts the disks' sizes (Azure's VM API has no used data) and says it is an upper bound", async () => {
      const { outs } = await w.host.create("protected-vm", protection("vm-big"));
      expect(outs).toMatchObject({ protectedInstanceGb: 1663, protectedInstanceUpperBound: true, billingUnits: 4, billingTier: "standard" });
    });

    it("after the first backup, is the data it sent (the job's Backup Size), and no longer an upper bound", async () => {
      // Backup now, and wait for it: the create's outputs already hold Azure's figure.
      const { outs } = await w.host.create("protected-vm", protection("vm2", { backupNowRetainDays: 30, waitForInitialBackup: true }));
      // vm2's disks: 64 + 128 GB holding 10 + 30 GB.
      expect(outs).toMatchObject({ protectedInstanceGb: 40, protectedInstanceUpperBound: false, billingUnits: 1, billingTier: "small" });
    });

    it("refresh reads the figure once the first backup completes, and keeps it when Azure no longer lists the job", async () => {
      const created = await w.host.create("protected-vm", protection("vm3", { backupNowRetainDays: 30 }));
      // The backup was started, not waited for: nothing measured yet.
      expect(created.outs).toMatchObject({ protectedInstanceGb: 192, protectedInstanceUpperBound: true });
      w.emulator.clock.advance(2 * HOUR);
      const read = await w.host.read("protected-vm", created.id, created.outs);
      expect(read.props).toMatchObject({ protectedInstanceGb: 40, protectedInstanceUpperBound: false, billingUnits: 1, billingTier: "small" });
      // Azure keeps jobs for a time only: with the jobs gone, the measured figure stays.
      w.emulator.model.vault(SUB, "rg-backup", "rsv-outs")!.jobs.length = 0;
      expect((await w.host.read("protected-vm", created.id, read.props)).props).toMatchObject({ protectedInstanceGb: 40, protectedInstanceUpperBound: false });
      // A diff never reports the figure as a change.
      expect(await w.host.diff("protected-vm", created.id, read.props, protection("vm3", { backupNowRetainDays: 30 }))).toMatchObject({ changes: "none" });
      // An update that keeps the same disks keeps the measured figure too.
      const news = protection("vm3", { backupNowRetainDays: 30, onDestroy: "deleteBackupData" });
      expect(await w.host.update("protected-vm", created.id, read.props, news)).toMatchObject({ protectedInstanceGb: 40, protectedInstanceUpperBound: false });
    });

    it("counts only the backed-up disks: an excluded disk's data is neither sent nor counted", async () => {
      const { id, outs } = await w.host.create("protected-vm", protection("vm-sel", { excludeDiskLuns: [0], backupNowRetainDays: 30 }));
      expect(outs).toMatchObject({ protectedInstanceGb: 64, protectedInstanceUpperBound: true });
      w.emulator.clock.advance(2 * HOUR);
      expect((await w.host.read("protected-vm", id, outs)).props).toMatchObject({ protectedInstanceGb: 10, protectedInstanceUpperBound: false });
    });

    it("measures nothing for two protected VMs of the same name (jobs name VMs by name only): an upper bound", async () => {
      await w.host.create("protected-vm", protection("twin", { vmId: vmId("twin", "rg-other") }));
      const { id, outs } = await w.host.create("protected-vm", protection("twin", { backupNowRetainDays: 30 }));
      w.emulator.clock.advance(2 * HOUR);
      expect((await w.host.read("protected-vm", id, outs)).props).toMatchObject({ protectedInstanceGb: 192, protectedInstanceUpperBound: true });
      // The backup did complete: one of the two has a recovery point, measured by a job that names only "twin".
      expect(
        items()
          .filter((i) => i.friendlyName === "twin")
          .map((i) => i.recoveryPoints.length),
      ).toEqual([0, 1]);
    });
  });
});
