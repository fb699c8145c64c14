/**
 * Conformance and behaviour of the emulator's restores (api 2023-06-01), through the real SDK clients: the spec's
 * TriggerRestore examples (test/fixtures/arm/restore-trigger-*.json) sent as they are (our ids in place of theirs),
 * the Restore job they start on the emulated clock, what it creates, and what Azure refuses.
 */
import type { RestoreRequestResource } from "@azure/arm-recoveryservicesbackup";
import { DAY, HOUR, MINUTE } from "../../src/emulator";
import {
  armError,
  CONTAINER,
  createVault,
  dailyPolicyBody,
  ITEM,
  OTHER_SUB,
  protect,
  settle,
  SUB,
  VAULT_RG,
  vmFixture,
  vmId,
  world,
  type TestWorld,
} from "./harness";
import { decodedPath, expectOperationHeaders, expectShape, fixture, fixtureResponse, recorder, type Exclusion } from "./conformance-helpers";

const VAULT = "rsv-restore";
const POLICY = "daily";
const STORAGE = `/subscriptions/${SUB}/resourceGroups/rg-staging/providers/Microsoft.Storage/storageAccounts/stagingsa`;
const vaultPath = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;
const itemPath = `${vaultPath}/backupFabrics/Azure/protectionContainers/${CONTAINER("vm1")}/protectedItems/${ITEM("vm1")}`;

/** The example's request, with our VM, recovery point and staging account in place of the example's. */
function exampleRequest(name: string, rp: string, extra: Record<string, unknown> = {}): RestoreRequestResource {
  const body = fixture(name).parameters.parameters as { properties: Record<string, unknown> };
  const properties: Record<string, unknown> = { ...body.properties, recoveryPointId: rp, sourceResourceId: vmId("vm1"), region: "westeurope", ...extra };
  if (properties.storageAccountId !== undefined) properties.storageAccountId = STORAGE;
  if (properties.identityBasedRestoreDetails !== undefined) properties.identityBasedRestoreDetails = { targetStorageAccountId: STORAGE };
  return { properties } as unknown as RestoreRequestResource;
}

/** Key paths of GetJobDetails.json (a Backup job) that a Restore job does not have. */
const JOB_EXCLUSIONS: Exclusion[] = [
  {
    path: "properties.extendedInfo.propertyBag.VM Name",
    reason: "a Backup job's key; the restore job's bag as `az backup job show` prints it (learn.microsoft.com/azure/backup/tutorial-restore-disk) has none",
  },
];

describe("emulator: restores", () => {
  let w: TestWorld;
  let rp: string;

  /** Follows a trigger's operation to the job it started. */
  async function jobOf(operation: string): Promise<string> {
    const status = await settle(() => w.backup.protectedItemOperationStatuses.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), operation));
    expect(status.status).toBe("Succeeded");
    return (status as { properties?: { jobId?: string } }).properties!.jobId!;
  }
  const job = (id: string) => w.backup.jobDetails.get(VAULT, VAULT_RG, id);

  beforeAll(async () => {
    w = await world({ vms: [vmFixture("vm1"), vmFixture("vm2")] });
    await createVault(w, VAULT);
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, POLICY, dailyPolicyBody());
    await protect(w, VAULT, "vm1", POLICY);
    w.emulator.clock.advance(MINUTE);
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { properties: { objectType: "IaasVMBackupRequest" } } as never);
    w.emulator.clock.advance(2 * HOUR); // snapshot taken and transferred: the point is in both tiers
    const points: string[] = [];
    for await (const p of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"))) points.push(p.name!);
    expect(points).toHaveLength(1);
    rp = points[0]!;
  });
  afterAll(async () => w.stop());

  it("restores disks: 202 with the item's Location, Azure-AsyncOperation and Retry-After as TriggerRestore_RestoreDisks_*.json; a Restore job that creates managed disks", async () => {
    const example = fixture("restore-trigger-restore-disks");
    const rec = recorder();
    const target = `/subscriptions/${SUB}/resourceGroups/rg-restored`;
    await w.backup.restores.beginTrigger(
      VAULT,
      VAULT_RG,
      "Azure",
      CONTAINER("vm1"),
      ITEM("vm1"),
      rp,
      exampleRequest("restore-trigger-restore-disks", rp, { targetResourceGroupId: target }),
      {
        onResponse: rec.onResponse,
        updateIntervalInMs: 1,
      },
    );
    const trigger = rec.exchanges[0]!;
    expect(Object.keys(example.responses)).toEqual(["202"]);
    expect(trigger.method).toBe("POST");
    expect(trigger.status).toBe(202);
    const opId = expectOperationHeaders(trigger, example.responses["202"]!, w.emulator.endpoint);
    expect(decodedPath(trigger.headers["azure-asyncoperation"]!).toLowerCase()).toBe(`${itemPath}/operationsStatus/${opId}`.toLowerCase());
    expect(decodedPath(trigger.headers.location!).toLowerCase()).toBe(`${itemPath}/operationResults/${opId}`.toLowerCase());

    const jobId = await jobOf(opId);
    // The running Restore job has the structure of GetJobDetails.json (a running job), but for its property bag.
    const jobRec = recorder();
    await w.backup.jobDetails.get(VAULT, VAULT_RG, jobId, { onResponse: jobRec.onResponse });
    expectShape(jobRec.last().json, fixtureResponse("job-get", 200).body, JOB_EXCLUSIONS);
    const running = await job(jobId);
    expect(running.properties).toMatchObject({ operation: "Restore", status: "InProgress", entityFriendlyName: "vm1" });
    const info = (
      running.properties as { extendedInfo: { tasksList: Array<{ taskId: string }>; progressPercentage?: number; propertyBag: Record<string, string> } }
    ).extendedInfo;
    expect(info.tasksList.map((t) => t.taskId)).toEqual(["Transfer data from vault"]);
    expect(info.progressPercentage).toEqual(expect.any(Number));
    expect(info.propertyBag).toMatchObject({ "Job Type": "Recover disks", "Target Storage Account Name": "stagingsa", "Target resource group": "rg-restored" });

    w.emulator.clock.advance(HOUR);
    const done = await job(jobId);
    expect(done.properties?.status).toBe("Completed");
    const bag = (done.properties as { extendedInfo: { propertyBag: Record<string, string>; progressPercentage?: number } }).extendedInfo;
    expect(bag.progressPercentage).toBeUndefined();
    expect(Object.keys(bag.propertyBag).sort()).toEqual(
      [
        "Config Blob Container Name",
        "Config Blob Name",
        "Config Blob Uri",
        "Job Type",
        "Recovery point time ",
        "Target Storage Account Name",
        "Target resource group",
        "Template Blob Uri",
      ].sort(),
    );
    expect(bag.propertyBag["Template Blob Uri"]).toMatch(/^https:\/\/stagingsa\.blob\.core\.windows\.net\/.+\/azuredeploy.+\.json$/);
    // The restored managed disks are in the target resource group (Disks_Get).
    const disks: string[] = [];
    for (const name of [`vm1-osdisk-`, `vm1-datadisk-0-`]) {
      const stamp = new Date(done.properties!.endTime!).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
      const disk = await w.compute.disks.get("rg-restored", `${name}${stamp}`);
      expect(disk.creationData?.createOption).toBe("Restore");
      disks.push(disk.name!);
    }
    expect(disks).toHaveLength(2);
  });

  it("a restore from the snapshot is faster than one from the vault (seed 000), the vault's timed by the VM's used data", async () => {
    const durations: Record<string, number> = {};
    for (const [label, extra] of [
      ["snapshot", { targetResourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-restored` }],
      ["vault", {}], // unmanaged disks: no instant restore (azure-cli restore_disks)
    ] as const) {
      const c: { headers?: Record<string, string> } = {};
      await w.backup.restores.beginTrigger(
        VAULT,
        VAULT_RG,
        "Azure",
        CONTAINER("vm1"),
        ITEM("vm1"),
        rp,
        exampleRequest("restore-trigger-restore-disks", rp, extra),
        {
          onResponse: (r) => (c.headers ??= r.headers.toJSON()),
          updateIntervalInMs: 1,
        },
      );
      const jobId = await jobOf(new URL(c.headers!["azure-asyncoperation"]!).pathname.split("/").pop()!);
      w.emulator.clock.advance(DAY);
      const done = await job(jobId);
      expect(done.properties?.status).toBe("Completed");
      durations[label] = done.properties!.endTime!.getTime() - done.properties!.startTime!.getTime();
    }
    expect(durations.snapshot).toBeLessThan(durations.vault!);
  });

  it("creates a new VM (AlternateLocation, as TriggerRestore_ALR_*.json): GET on the VM answers with the disks of the recovery point", async () => {
    const target = vmId("vm1-restored", "rg-restored");
    const c: { headers?: Record<string, string>; status?: number } = {};
    await w.backup.restores.beginTrigger(
      VAULT,
      VAULT_RG,
      "Azure",
      CONTAINER("vm1"),
      ITEM("vm1"),
      rp,
      exampleRequest("restore-trigger-alternate-location", rp, {
        targetVirtualMachineId: target,
        targetResourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-restored`,
        virtualNetworkId: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet`,
        subnetId: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default`,
      }),
      { onResponse: (r) => ((c.status ??= r.status), (c.headers ??= r.headers.toJSON())), updateIntervalInMs: 1 },
    );
    expect(c.status).toBe(202);
    const jobId = await jobOf(new URL(c.headers!["azure-asyncoperation"]!).pathname.split("/").pop()!);
    expect(await armError(w.compute.virtualMachines.get("rg-restored", "vm1-restored"))).toMatchObject({ statusCode: 404 });
    w.emulator.clock.advance(HOUR);
    expect((await job(jobId)).properties?.status).toBe("Completed");
    const vm = await w.compute.virtualMachines.get("rg-restored", "vm1-restored");
    expect(vm.location).toBe("westeurope");
    expect(vm.storageProfile?.dataDisks?.map((d) => d.diskSizeGB)).toEqual([128]);
    expect(vm.storageProfile?.osDisk?.managedDisk?.id).toMatch(/\/resourceGroups\/rg-restored\/providers\/Microsoft\.Compute\/disks\/vm1-osdisk-/);
  });

  it("replaces the disks of the original VM (OriginalLocation): the VM keeps its id and gets restored disks", async () => {
    const before = await w.compute.virtualMachines.get("rg-app", "vm1");
    const c: { headers?: Record<string, string> } = {};
    await w.backup.restores.beginTrigger(
      VAULT,
      VAULT_RG,
      "Azure",
      CONTAINER("vm1"),
      ITEM("vm1"),
      rp,
      {
        properties: {
          objectType: "IaasVMRestoreRequest",
          recoveryPointId: rp,
          recoveryType: "OriginalLocation",
          sourceResourceId: vmId("vm1"),
          storageAccountId: STORAGE,
          region: "westeurope",
          originalStorageAccountOption: false,
          createNewCloudService: false,
        },
      },
      { onResponse: (r) => (c.headers ??= r.headers.toJSON()), updateIntervalInMs: 1 },
    );
    const jobId = await jobOf(new URL(c.headers!["azure-asyncoperation"]!).pathname.split("/").pop()!);
    w.emulator.clock.advance(HOUR);
    expect((await job(jobId)).properties?.status).toBe("Completed");
    const after = await w.compute.virtualMachines.get("rg-app", "vm1");
    expect(after.id).toBe(before.id);
    expect(after.storageProfile?.osDisk?.managedDisk?.id).not.toBe(before.storageProfile?.osDisk?.managedDisk?.id);
    expect(after.storageProfile?.osDisk?.managedDisk?.id).toMatch(/\/resourceGroups\/rg-app\/providers\/Microsoft\.Compute\/disks\/vm1-osdisk-/);
    expect((await w.compute.disks.get("rg-app", after.storageProfile!.osDisk!.name!)).creationData?.createOption).toBe("Restore");
  });

  it("refuses what Azure refuses: an unknown recovery point, a new VM that exists, a cross-subscription restore from the snapshot only", async () => {
    const body = exampleRequest("restore-trigger-restore-disks", "1");
    expect(await armError(w.backup.restores.beginTrigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), "1", body))).toMatchObject({
      statusCode: 404,
      code: "BMSUserErrorRecoveryPointNotFound",
    });
    const alr = exampleRequest("restore-trigger-alternate-location", rp, {
      targetVirtualMachineId: vmId("vm2"),
      targetResourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-app`,
      subnetId: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default`,
    });
    expect(await armError(w.backup.restores.beginTrigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), rp, alr))).toMatchObject({
      statusCode: 400,
      code: "BMSUserErrorInvalidInput",
    });
    // vm2's first backup (all its used data): after 11 minutes its point is a snapshot, not yet in the vault.
    await protect(w, VAULT, "vm2", POLICY);
    w.emulator.clock.advance(MINUTE);
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"), { properties: { objectType: "IaasVMBackupRequest" } } as never);
    w.emulator.clock.advance(11 * MINUTE);
    const points: Array<{ name: string; tiers: string[] }> = [];
    for await (const p of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"))) {
      points.push({
        name: p.name!,
        tiers: ((p.properties as { recoveryPointTierDetails?: Array<{ type: string }> }).recoveryPointTierDetails ?? []).map((t) => t.type),
      });
    }
    expect(points).toEqual([{ name: expect.any(String), tiers: ["InstantRP"] }]);
    const fresh = points[0]!;
    const cross = exampleRequest("restore-trigger-restore-disks", fresh.name, {
      sourceResourceId: vmId("vm2"),
      targetResourceGroupId: `/subscriptions/${OTHER_SUB}/resourceGroups/rg-other`,
    });
    expect(await armError(w.backup.restores.beginTrigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"), fresh.name, cross))).toMatchObject({
      statusCode: 400,
      code: "UserErrorCrossSubscriptionRestoreNotSuppportedFromSnapshot",
    });
  });
});
