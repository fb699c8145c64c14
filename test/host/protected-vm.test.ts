import { HOUR } from "../../src/emulator";
import { OTHER_SUB, vmFixture, vmId } from "../emulator/harness";
import { hostWorld, SUB, UNKNOWN, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-pvm");

describe("protected-VM resource through the real provider host", () => {
  let w: HostWorld;
  let vaultOuts: Record<string, unknown>;
  let vaultId: string;
  beforeAll(async () => {
    w = await hostWorld({
      vms: [
        vmFixture("vm1"),
        vmFixture("vm2"),
        vmFixture("vm3"),
        vmFixture("vm4"),
        vmFixture("vm-eus", { location: "eastus" }),
        vmFixture("vm-wide", { dataDisks: Array.from({ length: 17 }, (_, lun) => ({ lun, sizeGb: 64 })) }),
        vmFixture("vm-ultra", { dataDisks: [{ lun: 0, sizeGb: 256, storageType: "UltraSSD_LRS" }] }),
        vmFixture("vm-tl", { securityType: "TrustedLaunch" }),
        { ...vmFixture("vm-xsub"), id: vmId("vm-xsub", "rg-app", OTHER_SUB) },
      ],
    });
    const vault = await w.host.check("vault", VAULT);
    ({ id: vaultId, outs: vaultOuts } = await w.host.create("vault", vault.inputs));
    const policy = await w.host.check("policy", POLICY);
    await w.host.create("policy", policy.inputs);
  });
  afterAll(async () => w.stop());

  const items = () => w.emulator.model.vault(SUB, "rg-backup", "rsv-pvm")!.items;

  describe("check, with the live facts only Azure knows", () => {
    it("accepts a VM that can be protected", async () => {
      expect((await w.host.check("protected-vm", protection("vm1"))).failures).toEqual([]);
    });
    it("reads the VM's region and disks from Azure", async () => {
      const region = await w.host.check("protected-vm", protection("vm-eus"));
      expect(region.failures.map((f) => [f.property, f.reason.slice(0, 14)])).toEqual([["vmId", "[vm/location] "]]);
      const disks = await w.host.check("protected-vm", protection("vm-wide"));
      expect(disks.failures.map((f) => f.property)).toEqual(["vmId"]);
      expect(disks.failures[0]!.reason).toContain("[vm/data-disk-count] This VM has 17 data disks; backup supports at most 16");
    });
    it("names the ProtectedVm resource and its `vm` argument when a component declared it", async () => {
      const disks = await w.host.check("protected-vm", protection("vm-wide", { componentName: "web-wide" }));
      expect(disks.failures.map((f) => f.property)).toEqual(["vmId"]);
      expect(disks.failures[0]!.reason).toContain("[vm/data-disk-count] ProtectedVm 'web-wide', argument 'vm': This VM has 17 data disks");
      const wide = { location: "westeurope", osDisk: { sizeGb: 64 }, dataDisks: Array.from({ length: 17 }, (_, lun) => ({ lun, sizeGb: 64 })) };
      const preview = await w.host.check("protected-vm", protection("vm-new", { vmId: UNKNOWN, vm: wide, componentName: "web-new" }));
      expect(preview.failures).toHaveLength(1);
      expect(preview.failures[0]!.reason).toMatch(/^\[vm\/data-disk-count\] ProtectedVm 'web-new', argument 'vm': This VM has 17 data disks/);
    });
    it("checks the policy the VM gets: an Ultra disk needs an enhanced policy", async () => {
      const { failures } = await w.host.check("protected-vm", protection("vm-ultra"));
      expect(failures.map((f) => f.reason.slice(0, 35))).toEqual(["[vm/disk-needs-enhanced-policy] Dat"]);
    });
    it("accepts a Trusted Launch VM (read from Azure) with the standard policy, which the backup API takes since 2025-01-01", async () => {
      expect((await w.host.check("protected-vm", protection("vm-tl"))).failures).toEqual([]);
    });
    it("fails the preview of a Confidential VM on a standard policy, naming the ProtectedVm and its argument", async () => {
      const cvm = { location: "westeurope", osDisk: { sizeGb: 64 }, dataDisks: [], securityType: "ConfidentialVM" };
      const preview = await w.host.check(
        "protected-vm",
        protection("cvm-new", { vmId: UNKNOWN, vm: cvm, componentName: "secret-01", policy: { schedule: POLICY.schedule, retention: POLICY.retention } }),
      );
      expect(preview.failures.map((f) => [f.property, f.reason.slice(0, f.reason.indexOf("]") + 1)])).toEqual([
        ["vmId", "[vm/confidential-needs-enhanced-policy]"],
        ["vmId", "[vm/confidential-region]"],
      ]);
      expect(preview.failures[0]!.reason).toContain(
        "ProtectedVm 'secret-01', argument 'vm': This is a Confidential VM; only an enhanced (V2) policy can protect it, and its policy is standard (V1).",
      );
      expect(preview.failures[0]!.reason).toContain('policyType is "V2"');
    });
    it("refuses a policy the vault does not have, and LUNs the VM does not have", async () => {
      const policy = await w.host.check("protected-vm", protection("vm1", { policyName: "daily-2003" }));
      expect(policy.failures.map((f) => f.property)).toEqual(["policyName"]);
      expect(policy.failures[0]!.reason).toContain("did you mean 'daily-2030'?");
      const luns = await w.host.check("protected-vm", protection("vm1", { excludeDiskLuns: [4] }));
      expect(luns.failures.map((f) => f.property)).toEqual(["excludeDiskLuns[0]"]);
    });
    it("checks what the program declares when the VM is not created yet (preview)", async () => {
      const wide = { location: "westeurope", osDisk: { sizeGb: 64 }, dataDisks: Array.from({ length: 17 }, (_, lun) => ({ lun, sizeGb: 64 })) };
      const preview = await w.host.check("protected-vm", protection("vm-new", { vmId: UNKNOWN, vm: wide }));
      expect(preview.failures.map((f) => f.reason.slice(0, 22))).toEqual(["[vm/data-disk-count] T"]);
      expect((await w.host.check("protected-vm", protection("vm-new", { vmId: UNKNOWN }))).failures).toEqual([]);
    });
    it("reports bad inputs without asking Azure", async () => {
      const { failures } = await w.host.check("protected-vm", protection("vm1", { vmId: "vm1", onDestroy: "forget", waitForInitialBackup: true }));
      expect(failures.map((f) => f.property)).toEqual(["onDestroy", "waitForInitialBackup", "vmId"]);
      expect(failures.map((f) => f.reason.slice(0, f.reason.indexOf("]") + 1))).toEqual(["[vm/on-destroy]", "[vm/wait-for-initial-backup]", "[vm/id]"]);
      expect(failures[0]!.reason).toContain(
        'onDestroy must be "stopProtectionRetainData" (stop backups and keep every recovery point, the default) or "suspendBackups" (stop backups and keep each recovery point until the policy expires it, on an immutable vault) or "deleteBackupData"',
      );
      expect(failures[1]!.reason).toContain("Fix: Set backupNow too");
    });
    it("reports onDestroy and waitForInitialBackup with what Azure's facts show, in the same check", async () => {
      // vm-eus is in another region than the vault: only the live check, which asks Azure, finds it.
      const { failures } = await w.host.check("protected-vm", protection("vm-eus", { onDestroy: "Delete", waitForInitialBackup: true }));
      expect(failures.map((f) => [f.property, f.reason.slice(0, f.reason.indexOf("]") + 1)])).toEqual([
        ["onDestroy", "[vm/on-destroy]"],
        ["waitForInitialBackup", "[vm/wait-for-initial-backup]"],
        ["vmId", "[vm/location]"],
      ]);
      // A warning is no failure: deleteBackupData is a choice the user made.
      expect((await w.host.check("protected-vm", protection("vm1", { onDestroy: "deleteBackupData" }))).failures).toEqual([]);
    });
    it("checks Backup now: a date after today, or a number of days", async () => {
      const past = await w.host.check("protected-vm", protection("vm1", { backupNowRetainUntil: "2020-01-01" }));
      expect(past.failures.map((f) => [f.property, f.reason.slice(0, 25)])).toEqual([["backupNowRetainUntil", "[backup-now/retain-until]"]]);
      const days = await w.host.check("protected-vm", protection("vm1", { backupNowRetainDays: 0 }));
      expect(days.failures.map((f) => f.property)).toEqual(["backupNowRetainDays"]);
      expect((await w.host.check("protected-vm", protection("vm1", { backupNowRetainDays: 30, waitForInitialBackup: true }))).failures).toEqual([]);
    });
    it("fails on the problems the program found across resources, even before the VM exists", async () => {
      const programChecks = [{ property: "", reason: "[plan/vms-per-schedule] Vault 'rsv-pvm': 101 VMs start their backup at 20:30 UTC" }];
      const { failures } = await w.host.check("protected-vm", protection("vm-new", { vmId: UNKNOWN, programChecks }));
      expect(failures).toEqual(programChecks);
      expect((await w.host.check("protected-vm", protection("vm1", { programChecks: [] }))).failures).toEqual([]);
    });
  });

  describe("create, read, diff, update, delete", () => {
    let id: string;
    let outs: Record<string, unknown>;
    it("protects the VM, with estimates", async () => {
      ({ id, outs } = await w.host.create("protected-vm", protection("vm1")));
      expect(id).toBe(
        `/Subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-pvm/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;vm1/protectedItems/VM;iaasvmcontainerv2;rg-app;vm1`,
      );
      expect(outs).toMatchObject({
        protectionState: "IRPending",
        containerName: "IaasVMContainer;iaasvmcontainerv2;rg-app;vm1",
        itemName: "VM;iaasvmcontainerv2;rg-app;vm1",
        onDestroy: "stopProtectionRetainData",
        billingTier: "standard",
        billingUnits: 1,
      });
      // Azure's VM API has no used-data figure: the estimate counts disk sizes (64 + 128 GB), an upper bound.
      expect(outs.protectedInstanceGb).toBe(192);
      expect(items().map((i) => [i.friendlyName, i.policyName])).toEqual([["vm1", "daily-2030"]]);
    });
    it("reads it", async () => {
      expect((await w.host.read("protected-vm", id, outs)).props).toMatchObject({ protectionState: "IRPending", policyName: "daily-2030" });
    });
    it("sees no change in an id that differs only in case", async () => {
      expect(await w.host.diff("protected-vm", id, outs, protection("vm1", { vmId: vmId("vm1").toUpperCase(), vaultName: "RSV-PVM" }))).toEqual({
        changes: "none",
        replaces: [],
        deleteBeforeReplace: true,
      });
    });
    it("changes the policy in place (no replacement, no lost backups), replaces for another vault", async () => {
      const other = await w.host.check("policy", { ...POLICY, name: "daily-2200", schedule: { frequency: "Daily", time: "22:00" } });
      await w.host.create("policy", other.inputs);
      const news = protection("vm1", { policyName: "daily-2200", excludeDiskLuns: [0] });
      expect(await w.host.diff("protected-vm", id, outs, news)).toMatchObject({ changes: "some", replaces: [] });
      outs = await w.host.update("protected-vm", id, outs, news);
      expect(outs).toMatchObject({ policyName: "daily-2200", excludeDiskLuns: [0], protectedInstanceGb: 64 });
      expect(items()[0]).toMatchObject({ policyName: "daily-2200", diskExclusion: { diskLunList: [0], isInclusionList: false } });
      expect((await w.host.diff("protected-vm", id, outs, { ...news, vaultName: "rsv-other" })).replaces).toEqual(["vaultName"]);
    });
    it("reports a redundancy change of the vault, now locked, before anything is deployed", async () => {
      const { failures } = await w.host.check("vault", { ...VAULT, redundancy: "LocallyRedundant" });
      expect(failures.map((f) => f.property)).toEqual(["redundancy"]);
      expect(failures[0]!.reason).toContain("[vault/redundancy-locked] Storage redundancy cannot change from GeoRedundant to LocallyRedundant");
      // With a wrong onDestroy as well: both, in one check.
      const both = await w.host.check("vault", { ...VAULT, redundancy: "LocallyRedundant", onDestroy: "delete" });
      expect(both.failures.map((f) => [f.property, f.reason.slice(0, f.reason.indexOf("]") + 1)])).toEqual([
        ["redundancy", "[vault/redundancy-locked]"],
        ["onDestroy", "[vault/on-destroy]"],
      ]);
    });
    it("by default, destroy stops protection and keeps the backup data", async () => {
      await w.host.delete("protected-vm", id, outs);
      expect(items()).toHaveLength(1);
      expect(items()[0]).toMatchObject({ protectionState: "ProtectionStopped" });
      expect(items()[0]!.deferredDeleteAt).toBeUndefined();
    });
    it("protects the stopped VM again on the next create (adopting it)", async () => {
      ({ id, outs } = await w.host.create("protected-vm", protection("vm1")));
      expect(items().map((i) => [i.protectionState, i.policyName])).toEqual([["IRPending", "daily-2030"]]);
    });
    it("destroying a vault that holds backups (onDestroy retain) leaves it in Azure with its backups", async () => {
      const before = items().length;
      await w.host.delete("vault", vaultId, vaultOuts);
      expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-pvm")).toBeDefined();
      expect(items()).toHaveLength(before);
      expect(w.emulator.log.list().filter((e) => e.method === "DELETE" && /vaults\/rsv-pvm(\?|$)/.test(e.path))).toEqual([]);
    });
  });

  describe("soft delete", () => {
    it("deletes the backup data only when asked, and undeletes a soft-deleted item on create", async () => {
      const created = await w.host.create("protected-vm", protection("vm2", { onDestroy: "deleteBackupData" }));
      await w.host.delete("protected-vm", created.id, created.outs);
      const soft = items().find((i) => i.friendlyName === "vm2")!;
      expect(soft.protectionState).toBe("ProtectionStopped");
      expect(soft.deferredDeleteAt).toBeDefined();
      expect((await w.host.read("protected-vm", created.id, created.outs)).id).toBe("");

      const again = await w.host.create("protected-vm", protection("vm2"));
      expect(again.outs).toMatchObject({ protectionState: "IRPending", policyName: "daily-2030" });
      const vm2 = items().filter((i) => i.friendlyName === "vm2");
      expect(vm2).toHaveLength(1);
      expect(vm2[0]!.deferredDeleteAt).toBeUndefined();
      const jobs = w.emulator.model
        .vault(SUB, "rg-backup", "rsv-pvm")!
        .jobs.filter((j) => j.friendlyName === "vm2")
        .map((j) => j.operation);
      expect(jobs).toEqual(["ConfigureBackup", "DeleteBackupData", "Undelete", "ConfigureBackup"]);
    });
  });

  it("fails the preview of a VM soft-deleted in another vault, naming that vault, the purge date and the fix, before anything is created", async () => {
    // vm1's backups are deleted in rsv-pvm (soft delete keeps them 14 days); the program now wants vm1 in a new vault.
    const created = await w.host.create("protected-vm", protection("vm1", { onDestroy: "deleteBackupData" }));
    await w.host.delete("protected-vm", created.id, created.outs);
    const soft = items().find((i) => i.friendlyName === "vm1")!;
    expect(soft.deferredDeleteAt).toBeDefined();
    const purge = new Date(soft.deferredDeleteAt!).toISOString().slice(0, 10);

    const mark = w.emulator.log.mark();
    const declared = { name: POLICY.name, schedule: POLICY.schedule, retention: POLICY.retention };
    const elsewhere = protection("vm1", { vaultName: "rsv-new", vaultLocation: "westeurope", componentName: "web-1", policy: declared });
    const { failures } = await w.host.check("protected-vm", elsewhere);
    expect(failures.map((f) => f.property)).toEqual(["vmId"]);
    const reason = failures[0]!.reason;
    expect(reason).toMatch(
      /^\[plan\/vm-soft-deleted-in-other-vault\] ProtectedVm 'web-1', argument 'vm': VM 'vm1' has soft-deleted backups in vault 'rsv-pvm' of resource group 'rg-backup'/,
    );
    expect(reason).toContain(`purged on ${purge}`);
    expect(reason).toContain("undelete its backup item there");
    expect(reason).not.toContain("stop its protection there");
    expect(reason).toContain("soft-delete-azure-backup-faq");
    // Only reads (and the backupStatus question) were sent: nothing was created.
    expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET" && !e.path.endsWith("/backupStatus"))).toEqual([]);
    expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-new")).toBeUndefined();

    // An up without the preview (--skip-preview) gets the same advice from create, and nothing is protected.
    const other = await w.host.check("vault", { ...VAULT, name: "rsv-other" });
    await w.host.create("vault", other.inputs);
    const before = w.emulator.log.mark();
    await expect(
      w.host.create("protected-vm", protection("vm1", { vaultName: "rsv-other", policyName: "DefaultPolicy", componentName: "web-1" })),
    ).rejects.toThrow(/plan\/vm-soft-deleted-in-other-vault.*ProtectedVm 'web-1', argument 'vm': VM 'vm1' has soft-deleted backups in vault 'rsv-pvm'/s);
    expect(w.emulator.log.list(before).filter((e) => e.method === "PUT")).toEqual([]);
  });

  it("protects a VM of another subscription in the vault's region (cross-subscription backup): the preview passes, the up protects it", async () => {
    const inputs = protection("vm-xsub", { vmId: vmId("vm-xsub", "rg-app", OTHER_SUB) });
    const { failures } = await w.host.check("protected-vm", inputs);
    expect(failures).toEqual([]);
    const { outs } = await w.host.create("protected-vm", inputs);
    expect(outs).toMatchObject({ protectionState: "IRPending", policyName: "daily-2030" });
    expect(
      items()
        .find((i) => i.friendlyName === "vm-xsub")
        ?.vmId.toLowerCase(),
    ).toBe(vmId("vm-xsub", "rg-app", OTHER_SUB).toLowerCase());
  });

  describe("Backup now", () => {
    it("takes a backup with a retain-until date and waits for it when asked", async () => {
      const fast = await hostWorld({ vms: [vmFixture("vm1")], clock: { speed: 100_000 } });
      try {
        await fast.host.create("vault", (await fast.host.check("vault", VAULT)).inputs);
        await fast.host.create("policy", (await fast.host.check("policy", POLICY)).inputs);
        const until = new Date(fast.emulator.clock.now() + 7 * 24 * HOUR).toISOString();
        const { outs } = await fast.host.create("protected-vm", protection("vm1", { backupNowRetainUntil: until, waitForInitialBackup: true }));
        expect(outs).toMatchObject({ protectionState: "Protected", lastBackupStatus: "Completed" });
        expect(typeof outs.lastBackupJobId).toBe("string");
        const item = fast.emulator.model.vault(SUB, "rg-backup", "rsv-pvm")!.items[0]!;
        expect(item.recoveryPoints).toHaveLength(1);
        expect(new Date(item.recoveryPoints[0]!.expiresAt!).toISOString()).toBe(until);
      } finally {
        await fast.stop();
      }
    }, 20000);
  });

  it("refuses to protect a VM already protected in another vault", async () => {
    await w.host.create("vault", (await w.host.check("vault", { ...VAULT, name: "rsv-second" })).inputs);
    await w.host.create("policy", (await w.host.check("policy", { ...POLICY, vaultName: "rsv-second" })).inputs);
    const inputs = protection("vm3");
    await w.host.create("protected-vm", inputs);
    const elsewhere = { ...inputs, vaultName: "rsv-second" };
    const { failures } = await w.host.check("protected-vm", elsewhere);
    expect(failures.map((f) => [f.property, f.reason.slice(0, 24)])).toEqual([["vaultName", "[plan/vm-in-other-vault]"]]);
    await expect(w.host.create("protected-vm", elsewhere)).rejects.toMatchObject({ details: expect.stringContaining("already protected in vault 'rsv-pvm'") });
  });

  it("tells a same-named vault of another resource group from its own: the VM protected there is refused before anything is sent", async () => {
    // The vault id is compared whole, not by its last segment (a VM protected in rg-other/rsv-pvm is not ours).
    const other = { ...VAULT, resourceGroupName: "rg-other" };
    await w.host.create("vault", (await w.host.check("vault", other)).inputs);
    await w.host.create("policy", (await w.host.check("policy", { ...POLICY, resourceGroupName: "rg-other" })).inputs);
    await w.host.create("protected-vm", { ...protection("vm4"), vaultResourceGroupName: "rg-other" });
    // Preview already says so: the plan is told the other vault by where it is, not by its name alone.
    const { failures } = await w.host.check("protected-vm", protection("vm4"));
    expect(failures.map((f) => [f.property, f.reason.slice(0, 24)])).toEqual([["vaultName", "[plan/vm-in-other-vault]"]]);
    expect(failures[0]!.reason).toContain("already protected in vault 'rsv-pvm (resource group rg-other)'");
    const mark = w.emulator.log.mark();
    await expect(w.host.create("protected-vm", protection("vm4"))).rejects.toMatchObject({
      details: expect.stringMatching(/VmProtectedInAnotherVault.*already protected in vault 'rsv-pvm' of resource group 'rg-other'/),
    });
    expect(w.emulator.log.list(mark).filter((e) => e.method !== "GET" && !e.path.endsWith("/backupStatus"))).toEqual([]);
  });

  describe("a Trusted Launch VM (the portal's default for Gen2 VMs)", () => {
    it("is protected with the standard policy: the backup API takes it since 2025-01-01", async () => {
      const vault = await w.host.check("vault", { ...VAULT, name: "rsv-tl" });
      await w.host.create("vault", vault.inputs);
      const policy = await w.host.check("policy", { ...POLICY, vaultName: "rsv-tl" });
      await w.host.create("policy", policy.inputs);
      const inputs = protection("vm-tl", { vaultName: "rsv-tl" });
      expect((await w.host.check("protected-vm", inputs)).failures).toEqual([]);
      const { outs } = await w.host.create("protected-vm", inputs);
      expect(outs).toMatchObject({ protectionState: "IRPending", policyName: "daily-2030" });
      expect(w.emulator.model.vault(SUB, "rg-backup", "rsv-tl")!.items.map((i) => [i.friendlyName, i.policyName])).toEqual([["vm-tl", "daily-2030"]]);
    });
  });
});
