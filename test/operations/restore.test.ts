/**
 * Restore, end to end against the emulator through the real SDK clients: the library (`restoreVm`) and the command
 * (`azure-vm-backup restore`, run in-process) restore disks and a new VM to completion, report progress, refuse bad
 * input before sending anything, report a failed job (exit 1) and Azure's refusals (exit 2), and warn about seed
 * 001's premium-storage advice. The emulator's clock moves with each request (15 s) and on each progress report.
 */
import { resolveSettings, type AzureSettings } from "../../src/azure";
import { runRestore, type RestoreCommandOptions } from "../../src/cli/restore";
import { HOUR, MINUTE } from "../../src/emulator";
import { restoreVm, RestoreInputError, type RestoreProgress } from "../../src/operations";
import { CONTAINER, createVault, dailyPolicyBody, ITEM, protect, SUB, VAULT_RG, vmFixture, world, type TestWorld } from "../emulator/harness";

const VAULT = "rsv-day2";
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;
const STAGING = `/subscriptions/${SUB}/resourceGroups/rg-staging/providers/Microsoft.Storage/storageAccounts/stagingsa`;
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default`;
/** A VM on premium unmanaged disks in storage account premsa (seed 001's advice is about it). */
const PREMIUM_VM = vmFixture("vmprem", {
  osDisk: { sizeGb: 128, usedGb: 20, storageType: "Premium_LRS", managed: false, storageAccount: "premsa" },
  dataDisks: [],
});

describe("restore: library and command against the emulator", () => {
  let w: TestWorld;
  let settings: AzureSettings;
  const sent = (mark: number) => w.emulator.log.list(mark).filter((e) => e.method === "POST" && /\/restore$/i.test(e.path)).length;
  /** Moves the emulator's clock on each progress report, as time passes between a client's reads. */
  const tick = () => w.emulator.clock.advance(2 * MINUTE);

  beforeAll(async () => {
    w = await world({ vms: [vmFixture("vm1"), vmFixture("vm2"), PREMIUM_VM] });
    settings = resolveSettings(
      {
        get: (key) =>
          ({ "azure-vm-backup:endpoint": w.emulator.endpoint, "azure-vm-backup:caCertificate": w.emulator.ca, "azure-vm-backup:subscriptionId": SUB })[key],
      },
      {},
    );
    await createVault(w, VAULT);
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "daily", dailyPolicyBody());
    for (const vm of ["vm1", "vmprem"]) {
      await protect(w, VAULT, vm, "daily");
      w.emulator.clock.advance(MINUTE);
      await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), { properties: { objectType: "IaasVMBackupRequest" } } as never);
    }
    w.emulator.clock.advance(2 * HOUR);
  });
  afterAll(async () => w.stop());

  it("restores disks from the latest point to completion, telling progress (library)", async () => {
    const progress: RestoreProgress[] = [];
    const result = await restoreVm(
      { vaultId: VAULT_ID, vm: "vm1", to: "disks", stagingStorageAccountId: STAGING, targetResourceGroup: "rg-restored" },
      { settings, onProgress: (p) => (progress.push(p), tick()) },
    );
    expect(result.status).toBe("Completed");
    expect(result.tier).toBe("azure-picks");
    expect(result.templateBlobUri).toMatch(/^https:\/\/stagingsa\.blob\.core\.windows\.net\/.+\.json$/);
    expect(result.details["Target resource group"]).toBe("rg-restored");
    expect(result.durationMs).toBeGreaterThan(2 * MINUTE); // the job's own (emulated) duration: queue and copy
    expect(progress[0]!.status).toBe("InProgress");
    expect(progress.some((p) => p.percent > 0 && p.percent < 100)).toBe(true);
    expect(progress.map((p) => p.percent)).toEqual([...progress.map((p) => p.percent)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ status: "Completed", percent: 100 });
  });

  it("creates a new VM from a chosen point, from the vault tier (library): the VM exists with the restored disks", async () => {
    const points: string[] = [];
    for await (const p of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"))) points.push(p.name!);
    const result = await restoreVm(
      {
        vaultId: VAULT_ID,
        vm: "vm1",
        to: "new-vm",
        recoveryPoint: points[0]!,
        tier: "vault",
        stagingStorageAccountId: STAGING,
        targetResourceGroup: "rg-new",
        newVmName: "vm1-copy",
        subnetId: SUBNET,
      },
      { settings, onProgress: tick },
    );
    expect(result).toMatchObject({ status: "Completed", tier: "vault", recoveryPoint: { name: points[0] } });
    expect(result.vmId).toBe(`/subscriptions/${SUB}/resourceGroups/rg-new/providers/Microsoft.Compute/virtualMachines/vm1-copy`);
    expect(result.diskIds).toHaveLength(2);
    const vm = await w.compute.virtualMachines.get("rg-new", "vm1-copy");
    expect(vm.storageProfile?.osDisk?.managedDisk?.id).toBe(result.diskIds![0]);
  });

  it("refuses bad input before sending anything, naming the arguments", async () => {
    const mark = w.emulator.log.mark();
    const error = await restoreVm({ vaultId: VAULT_ID, vm: "vm1", to: "new-vm", stagingStorageAccountId: "stagingsa" }, { settings }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreInputError);
    const paths = (error as RestoreInputError).diagnostics.map((d) => d.path).sort();
    expect(paths).toEqual(["new-vm-name", "staging-storage-account", "subnet", "target-resource-group"]);
    expect((error as Error).message).toContain("--subnet is required");
    expect(w.emulator.log.list(mark)).toEqual([]);
    // A point that is not in the tier asked for: refused with the rule's code, nothing sent.
    const tier = await restoreVm({ vaultId: VAULT_ID, vm: "vm1", to: "disks", recoveryPoint: "1", stagingStorageAccountId: STAGING }, { settings }).catch(
      (e: unknown) => e,
    );
    expect((tier as RestoreInputError).diagnostics[0]).toMatchObject({ path: "recovery-point" });
    expect(sent(mark)).toBe(0);
  });

  it("warns that a premium VM restored to its own storage account competes with its backups (seed 001), and restores", async () => {
    const warnings: string[] = [];
    const result = await restoreVm(
      {
        vaultId: VAULT_ID,
        vm: "vmprem",
        to: "disks",
        stagingStorageAccountId: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/premsa`,
      },
      { settings, onWarning: (d) => warnings.push(`${d.code} ${d.source ?? ""}`), onProgress: tick },
    );
    expect(warnings).toEqual([expect.stringMatching(/^restore\/premium-same-storage-account .*backup-azure-vms-introduction\.md/)]);
    expect(result.status).toBe("Completed");
    const clean = await restoreVm({ vaultId: VAULT_ID, vm: "vmprem", to: "disks", stagingStorageAccountId: STAGING }, { settings, onProgress: tick });
    expect(clean.warnings).toEqual([]);
  });

  describe("azure-vm-backup restore", () => {
    const options = (extra: Partial<RestoreCommandOptions>): RestoreCommandOptions => ({
      vault: VAULT_ID,
      vm: "vm1",
      to: "disks",
      stagingStorageAccount: STAGING,
      targetResourceGroup: "rg-cli",
      format: "text",
      wait: true,
      ...extra,
    });
    const run = async (extra: Partial<RestoreCommandOptions>) => {
      let out = "";
      let err = "";
      const code = await runRestore(options(extra), { write: (t) => (out += t), writeError: (t) => (err += t), tty: false, settings, afterProgress: tick });
      return { code, out, err };
    };

    it("restores disks to completion with plain progress lines (not a terminal): exit 0", async () => {
      const { code, out } = await run({});
      expect(code).toBe(0);
      expect(out).toMatch(/^restore job [-0-9a-f]+: InProgress \d+% \(Transfer data from vault\), \d\d:\d\d:\d\d left$/m);
      expect(out).toMatch(/^Restore job [-0-9a-f]+: Completed \(recovery point \d+ of .+, tier: azure-picks\)$/m);
      expect(out).toContain("deployment template: https://stagingsa.blob.core.windows.net/");
    });

    it("creates a new VM, JSON output: exit 0", async () => {
      const { code, out } = await run({ to: "new-vm", newVmName: "vm1-cli", subnet: SUBNET, format: "json" });
      expect(code).toBe(0);
      const result = JSON.parse(out) as { status: string; vmId: string };
      expect(result).toMatchObject({
        status: "Completed",
        vmId: `/subscriptions/${SUB}/resourceGroups/rg-cli/providers/Microsoft.Compute/virtualMachines/vm1-cli`,
      });
      expect((await w.compute.virtualMachines.get("rg-cli", "vm1-cli")).name).toBe("vm1-cli");
    });

    it("exit 2 when Azure refuses the restore (a new VM whose name is taken), with Azure's code", async () => {
      const { code, err } = await run({ to: "new-vm", newVmName: "vm1-cli", subnet: SUBNET });
      expect(code).toBe(2);
      expect(err).toMatch(/failed \(BMSUserErrorInvalidInput, HTTP 400\): .*already exists/);
    });

    it("exit 2 for bad arguments, nothing sent", async () => {
      const mark = w.emulator.log.mark();
      const { code, err } = await run({ stagingStorageAccount: undefined });
      expect(code).toBe(2);
      expect(err).toContain("--staging-storage-account is required");
      expect(sent(mark)).toBe(0);
    });

    it("exit 1 when the job fails, with Azure's error: unmanaged disks of a point not yet in the vault", async () => {
      // vm2's first backup: after 11 minutes its point is a snapshot only; restoring unmanaged disks reads the vault.
      await protect(w, VAULT, "vm2", "daily");
      w.emulator.clock.advance(MINUTE);
      await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"), { properties: { objectType: "IaasVMBackupRequest" } } as never);
      w.emulator.clock.advance(11 * MINUTE);
      const { code, out, err } = await run({ vm: "vm2", targetResourceGroup: undefined });
      expect(err).toBe("");
      expect(code).toBe(1);
      expect(out).toMatch(/^Restore job .+: Failed/m);
      expect(out).toContain("error UserErrorInstantRpNotFound: Restore failed because the snapshot of the VM was not found.");
    });
  });
});

describe("azure-vm-backup restore, the command line", () => {
  it("is registered with its options", () => {
    const { buildProgram } = require("../../src/cli/main") as typeof import("../../src/cli/main");
    const restore = buildProgram(() => undefined).commands.find((c) => c.name() === "restore");
    expect(restore?.options.map((o) => o.long)).toEqual(
      expect.arrayContaining([
        "--vault",
        "--vm",
        "--to",
        "--recovery-point",
        "--tier",
        "--staging-storage-account",
        "--target-resource-group",
        "--new-vm-name",
        "--subnet",
        "--format",
        "--no-wait",
      ]),
    );
  });
});
