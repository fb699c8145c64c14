/**
 * Conformance of the emulator's protection operations (api 2023-06-01) with Microsoft's examples
 * (test/fixtures/arm) and reference/ARM-API.md §4.5-4.10, driven through the real SDK clients: discovery,
 * protectable items, protected items and the four endpoints that track their operations, Backup now, jobs,
 * recovery points and backup status.
 *
 * The tests of this file run in order on one vault and follow one VM (vm1) through its life: discovered,
 * protected, backed up, listed, deleted (soft delete). The emulator's clock is a test clock (each request moves
 * it 15 s); the tests move it further where an operation must be seen running, then done.
 */
import type { BackupRequestResource, ProtectedItemResource } from "@azure/arm-recoveryservicesbackup";
import { HOUR, MINUTE } from "../../src/emulator";
import { CONTAINER, createVault, dailyPolicyBody, ITEM, protect, settle, SUB, VAULT_RG, vmId, world, type TestWorld } from "./harness";
import { decodedPath, expectOperationHeaders, expectShape, fixture, fixtureResponse, recorder, type Exclusion } from "./conformance-helpers";

const VAULT = "rsv-protection";
const POLICY = "daily-2030";
const vaultPath = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;
const itemPath = (vm: string) => `${vaultPath}/backupFabrics/Azure/protectionContainers/${CONTAINER(vm)}/protectedItems/${ITEM(vm)}`;
const policyId = `${vaultPath}/backupPolicies/${POLICY}`;

/** Key paths of the protection examples that the emulator does not model. */
const PROTECTABLE_WORKLOAD_TYPE: Exclusion = {
  path: "value[0].properties.workloadType",
  reason: "the example is a classic VM; ARM-API.md §4.6 gives the ARM-VM body (docs), which the emulator follows and which has no workloadType",
};
const RP_ARCHIVE: Exclusion = { path: "properties.recoveryPointMoveReadinessInfo", reason: "the archive tier (moving points to it) is not modelled" };
const RP_ZONES: Exclusion = { path: "properties.zones", reason: "written for zonal VMs only; the VMs under test have no zones" };
const RP_PRIVATE_ACCESS: Exclusion = { path: "properties.isPrivateAccessEnabledOnAnyDisk", reason: "disk private access (private endpoints) is not modelled" };

/** The request of ConfigureProtection.json, for one of our VMs and policies. */
function configureRequest(vm: string): ProtectedItemResource {
  const body = fixture("protected-item-configure").parameters.parameters as { properties: Record<string, unknown> };
  return { properties: { ...body.properties, sourceResourceId: vmId(vm), policyId } } as ProtectedItemResource;
}

describe("conformance: protection", () => {
  let w: TestWorld;
  let origin: string;
  const ids: { refresh?: string; put?: string; backup?: string; backupJob?: string; configureJob?: string; delete?: string; recoveryPoint?: string } = {};
  const op = (key: keyof typeof ids): string => {
    const id = ids[key];
    if (id === undefined) throw new Error(`${key} was not set by an earlier test of this file`);
    return id;
  };

  beforeAll(async () => {
    w = await world();
    origin = w.emulator.endpoint;
    await createVault(w, VAULT);
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, POLICY, dailyPolicyBody());
  });
  afterAll(async () => w.stop());

  // ---- discovery ----------------------------------------------------------------------------

  it("refreshContainers answers 202 with Location (and Retry-After) only, as RefreshContainers.json", async () => {
    const before: string[] = [];
    for await (const p of w.backup.backupProtectableItems.list(VAULT, VAULT_RG, { filter: "backupManagementType eq 'AzureIaasVM'" })) before.push(p.name!);
    expect(before).toEqual([]);

    const rec = recorder();
    await w.backup.protectionContainers.refresh(VAULT, VAULT_RG, "Azure", { onResponse: rec.onResponse });
    expect(rec.last().method).toBe("POST");
    expect(rec.last().status).toBe(202);
    expect(rec.last().text).toBe("");
    ids.refresh = expectOperationHeaders(rec.last(), fixtureResponse("refresh-containers", 202), origin);
    expect(rec.last().headers["azure-asyncoperation"]).toBeUndefined();
    expect(decodedPath(rec.last().headers.location!).toLowerCase()).toBe(`${vaultPath}/backupFabrics/Azure/operationResults/${ids.refresh}`.toLowerCase());
  });

  it("the fabric's operationResults answers 202 with Location while discovery runs, then 204 (never 200)", async () => {
    expect(Object.keys(fixture("refresh-containers-operation-result").responses).sort()).toEqual(["202", "204"]);
    const running = recorder();
    await w.backup.protectionContainerRefreshOperationResults.get(VAULT, VAULT_RG, "Azure", op("refresh"), { onResponse: running.onResponse });
    expect(running.last().status).toBe(202);
    expect(expectOperationHeaders(running.last(), fixtureResponse("refresh-containers-operation-result", 202), origin)).toBe(op("refresh"));

    // Discovery takes 2 emulated minutes (durations.ts), whether or not anyone reads its result.
    w.emulator.clock.advance(2 * MINUTE);
    const done = recorder();
    await w.backup.protectionContainerRefreshOperationResults.get(VAULT, VAULT_RG, "Azure", op("refresh"), { onResponse: done.onResponse });
    expect(done.last().status).toBe(204);
    expect(done.last().text).toBe("");
  });

  it("backupProtectableItems lists the vault region's VMs after discovery, with the structure of BackupProtectableItems_List.json", async () => {
    const example = fixture("protectable-items-list");
    const rec = recorder();
    const names: string[] = [];
    for await (const p of w.backup.backupProtectableItems.list(VAULT, VAULT_RG, { filter: example.parameters.$filter as string, onResponse: rec.onResponse }))
      names.push(p.name!);
    expect(rec.last().status).toBe(200);
    expect(names.sort()).toEqual(["iaasvmcontainerv2;rg-app;vm1", "iaasvmcontainerv2;rg-app;vm2"]);
    expectShape(rec.last().json, example.responses["200"]!.body, [PROTECTABLE_WORKLOAD_TYPE]);
    // The ARM-VM body of ARM-API.md §4.6 (docs): container and item names are derived from the item's id.
    const vm1 = (rec.last().json as { value: Array<{ id: string; name: string; properties: Record<string, unknown> }> }).value.find((p) =>
      p.name.endsWith(";vm1"),
    )!;
    expect(vm1.properties).toMatchObject({
      virtualMachineId: vmId("vm1"),
      virtualMachineVersion: "Compute",
      resourceGroup: "rg-app",
      backupManagementType: "AzureIaasVM",
      protectableItemType: "Microsoft.Compute/virtualMachines",
      friendlyName: "vm1",
      protectionState: "NotProtected",
    });
    expect(vm1.id.toLowerCase()).toBe(
      `${vaultPath}/backupFabrics/Azure/protectionContainers/${CONTAINER("vm1")}/protectableItems/${ITEM("vm1")}`.toLowerCase(),
    );
  });

  // ---- enable protection and the four tracking endpoints ------------------------------------

  it("protected item PUT answers 202 with item-scoped Location (operationResults) and Azure-AsyncOperation (operationsStatus), Retry-After, one operation id", async () => {
    // Keep this operation running 10 emulated minutes longer, so that each tracking endpoint can be seen while it runs.
    w.emulator.faults.add({ method: "PUT", path: "/protectedItems/", times: 1, action: { kind: "slow-operation", delayMs: 10 * MINUTE } });
    const rec = recorder();
    const result = await w.backup.protectedItems.createOrUpdate(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), configureRequest("vm1"), {
      onResponse: rec.onResponse,
    });
    expect(rec.last().status).toBe(202);
    expect(rec.last().text).toBe("");
    expect(result.properties).toBeUndefined();
    ids.put = expectOperationHeaders(rec.last(), fixtureResponse("protected-item-configure", 202), origin);
    expect(rec.last().headers["retry-after"]).toMatch(/^\d+$/);
    expect(decodedPath(rec.last().headers.location!).toLowerCase()).toBe(`${itemPath("vm1")}/operationResults/${ids.put}`.toLowerCase());
    expect(decodedPath(rec.last().headers["azure-asyncoperation"]!).toLowerCase()).toBe(`${itemPath("vm1")}/operationsStatus/${ids.put}`.toLowerCase());
  });

  it("while the PUT runs: item operationsStatus and vault backupOperations answer 200 InProgress; item operationResults and vault backupOperationResults answer 202", async () => {
    const inProgress = fixtureResponse("protected-item-delete-operation-status", 200).body as { status: string; endTime: string };
    expect(inProgress.status).toBe("InProgress");

    const itemStatus = recorder();
    const s1 = await w.backup.protectedItemOperationStatuses.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), op("put"), {
      onResponse: itemStatus.onResponse,
    });
    expect(itemStatus.last().status).toBe(200);
    expect(s1.status).toBe("InProgress");
    expectShape(itemStatus.last().json, inProgress);
    // While running, endTime is .NET's DateTime.MinValue, written as in the example.
    expect((itemStatus.last().json as { endTime: string }).endTime).toBe(inProgress.endTime);

    const itemResult = recorder();
    await w.backup.protectedItemOperationResults.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), op("put"), { onResponse: itemResult.onResponse });
    expect(itemResult.last().status).toBe(202);
    expect(expectOperationHeaders(itemResult.last(), fixtureResponse("protected-item-operation-result", 202), origin)).toBe(op("put"));

    const vaultStatus = recorder();
    const s2 = await w.backup.backupOperationStatuses.get(VAULT, VAULT_RG, op("put"), { onResponse: vaultStatus.onResponse });
    expect(vaultStatus.last().status).toBe(200);
    expect(s2.status).toBe("InProgress");
    expectShape(vaultStatus.last().json, inProgress);

    const vaultResult = recorder();
    await w.backup.backupOperationResults.get(VAULT, VAULT_RG, op("put"), { onResponse: vaultResult.onResponse });
    expect(vaultResult.last().status).toBe(202);
    expect(expectOperationHeaders(vaultResult.last(), fixtureResponse("protected-item-delete-operation-result", 202), origin)).toBe(op("put"));
  });

  it("when the PUT is done: operationsStatus Succeeded with the ConfigureBackup job id, operationResults 200 with the item, backupOperations Succeeded, backupOperationResults 204", async () => {
    w.emulator.clock.advance(11 * MINUTE);
    const itemStatus = recorder();
    const status = await w.backup.protectedItemOperationStatuses.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), op("put"), {
      onResponse: itemStatus.onResponse,
    });
    expect(status.status).toBe("Succeeded");
    expectShape(itemStatus.last().json, fixtureResponse("protected-item-operation-status", 200).body);
    const properties = (itemStatus.last().json as { properties: { objectType: string; jobId: string } }).properties;
    expect(properties.objectType).toBe("OperationStatusJobExtendedInfo");
    ids.configureJob = properties.jobId;
    expect((await w.backup.jobDetails.get(VAULT, VAULT_RG, properties.jobId)).properties).toMatchObject({ operation: "ConfigureBackup", status: "Completed" });

    const itemResult = recorder();
    await w.backup.protectedItemOperationResults.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), op("put"), { onResponse: itemResult.onResponse });
    expect(itemResult.last().status).toBe(200);
    expectShape(itemResult.last().json, fixtureResponse("protected-item-operation-result", 200).body);
    expect((itemResult.last().json as { id: string }).id.toLowerCase()).toBe(itemPath("vm1").toLowerCase());

    const vaultStatus = recorder();
    const same = await w.backup.backupOperationStatuses.get(VAULT, VAULT_RG, op("put"), { onResponse: vaultStatus.onResponse });
    expect(same.status).toBe("Succeeded");
    expectShape(vaultStatus.last().json, fixtureResponse("protected-item-operation-status", 200).body);
    expect((vaultStatus.last().json as { properties: { jobId: string } }).properties.jobId).toBe(properties.jobId);

    const vaultResult = recorder();
    await w.backup.backupOperationResults.get(VAULT, VAULT_RG, op("put"), { onResponse: vaultResult.onResponse });
    expect(Object.keys(fixture("protected-item-delete-operation-result").responses)).toContain("204");
    expect(vaultResult.last().status).toBe(204);
    expect(vaultResult.last().text).toBe("");
  });

  it("GET of the protected item before its first backup answers 200: IRPending, lastBackupTime 2001-01-01 (ARM-API.md §4.7.4)", async () => {
    const rec = recorder();
    await w.backup.protectedItems.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expect((rec.last().json as { properties: unknown }).properties).toMatchObject({
      protectionState: "IRPending",
      lastBackupStatus: "",
      lastBackupTime: "2001-01-01T00:00:00Z",
      extendedInfo: { recoveryPointCount: 0, policyInconsistent: false },
      policyName: POLICY,
    });
  });

  // ---- Backup now, jobs, recovery points ----------------------------------------------------

  it("Backup now answers 202 with item-scoped Location, Azure-AsyncOperation and Retry-After, as TriggerBackup_Post.json", async () => {
    w.emulator.clock.advance(MINUTE); // so that the Backup job starts after the ConfigureBackup job
    const example = fixture("backup-trigger");
    const rec = recorder();
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), example.parameters.parameters as BackupRequestResource, {
      onResponse: rec.onResponse,
    });
    expect(Object.keys(example.responses)).toEqual(["202"]);
    expect(rec.last().method).toBe("POST");
    expect(rec.last().status).toBe(202);
    ids.backup = expectOperationHeaders(rec.last(), example.responses["202"]!, origin);
    expect(decodedPath(rec.last().headers["azure-asyncoperation"]!).toLowerCase()).toBe(`${itemPath("vm1")}/operationsStatus/${ids.backup}`.toLowerCase());

    const status = await settle(() => w.backup.protectedItemOperationStatuses.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), op("backup")));
    expect(status.status).toBe("Succeeded");
    ids.backupJob = (status as { properties?: { jobId?: string } }).properties?.jobId;
    expect(ids.backupJob).toEqual(expect.any(String));
  });

  it("jobDetails.get answers 200 with the structure of GetJobDetails.json for the running backup", async () => {
    const example = fixtureResponse("job-get", 200).body as {
      type: string;
      properties: { extendedInfo: { tasksList: Array<{ taskId: string; status: string }> } };
    };
    const rec = recorder();
    const job = await w.backup.jobDetails.get(VAULT, VAULT_RG, op("backupJob"), { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expect(job.name).toBe(op("backupJob"));
    expect(job.type).toBe(example.type);
    // The example is a backup that has just started, as this one: the snapshot is being taken, nothing transferred yet.
    const raw = rec.last().json as typeof example;
    expect(raw.properties).toMatchObject({
      jobType: "AzureIaaSVMJob",
      operation: "Backup",
      status: "InProgress",
      entityFriendlyName: "vm1",
      backupManagementType: "AzureIaasVM",
    });
    expect(raw.properties.extendedInfo.tasksList.map((t) => [t.taskId, t.status])).toEqual(
      example.properties.extendedInfo.tasksList.map((t) => [t.taskId, t.status]),
    );
    expectShape(raw, example);
  });

  it("backupJobs list answers 200 with the structure of ListJobs.json: the running Backup job, then the completed ConfigureBackup job", async () => {
    const example = fixtureResponse("jobs-list", 200).body as { value: Array<{ properties: { operation: string } }> };
    const rec = recorder();
    const jobs: string[] = [];
    for await (const j of w.backup.backupJobs.list(VAULT, VAULT_RG, { onResponse: rec.onResponse })) jobs.push(j.name!);
    expect(rec.last().status).toBe(200);
    expect(jobs).toEqual([op("backupJob"), op("configureJob")]);
    expectShape(rec.last().json, example);
    const page = (rec.last().json as typeof example).value;
    expect(page.map((j) => j.properties.operation)).toEqual(example.value.map((j) => j.properties.operation));
    // The completed job has the structure of the example's completed one (with endTime).
    expectShape(page[1], example.value[1]);
  });

  it("recoveryPoints list answers 200 with the structure of RecoveryPoints_List.json once the backup job completes", async () => {
    w.emulator.clock.advance(2 * HOUR);
    expect((await w.backup.jobDetails.get(VAULT, VAULT_RG, op("backupJob"))).properties?.status).toBe("Completed");
    const rec = recorder();
    const names: string[] = [];
    for await (const rp of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: rec.onResponse }))
      names.push(rp.name!);
    expect(rec.last().status).toBe(200);
    expect(names).toHaveLength(1);
    ids.recoveryPoint = names[0];
    // Recovery point names are numeric strings (ARM-API.md §4.10).
    expect(names[0]).toMatch(/^\d+$/);
    expectShape(rec.last().json, fixtureResponse("recovery-points-list", 200).body, [{ ...RP_ARCHIVE, path: `value[0].${RP_ARCHIVE.path}` }]);
  });

  it("recoveryPoints get answers 200 with the structure of RecoveryPoints_Get.json", async () => {
    const rec = recorder();
    const rp = await w.backup.recoveryPoints.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), op("recoveryPoint"), { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    expect(rp.name).toBe(op("recoveryPoint"));
    expect((rp.id ?? "").toLowerCase()).toBe(`${itemPath("vm1")}/recoveryPoints/${op("recoveryPoint")}`.toLowerCase());
    const raw = rec.last().json as { properties: { objectType: string; recoveryPointTierDetails: Array<{ type: string; status: string }> } };
    expect(raw.properties.objectType).toBe("IaasVMRecoveryPoint");
    // Two hours after the backup the point is both a snapshot and in the vault.
    expect(raw.properties.recoveryPointTierDetails).toEqual(
      expect.arrayContaining([
        { type: "InstantRP", status: "Valid" },
        { type: "HardenedRP", status: "Valid" },
      ]),
    );
    expectShape(raw, fixtureResponse("recovery-point-get", 200).body, [RP_ARCHIVE, RP_ZONES, RP_PRIVATE_ACCESS]);
  });

  it("GET of the protected item after its first backup answers 200 with the structure of Compute_ProtectedItem_Get.json", async () => {
    const rec = recorder();
    const item = await w.backup.protectedItems.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(200);
    const example = fixtureResponse("protected-item-get", 200).body as { type: string };
    expectShape(rec.last().json, example);
    expect(item.type).toBe(example.type);
    expect(item.name?.toLowerCase()).toBe(ITEM("vm1"));
    expect(item.properties).toMatchObject({
      protectionState: "Protected",
      lastBackupStatus: "Completed",
      protectedItemType: "Microsoft.Compute/virtualMachines",
      workloadType: "VM",
    });
    expect((rec.last().json as { properties: { containerName: string } }).properties.containerName.toLowerCase()).toBe("iaasvmcontainerv2;rg-app;vm1");
  });

  it("backupProtectedItems list answers 200 with the structure of BackupProtectedItems_List.json", async () => {
    const example = fixture("protected-items-list");
    const rec = recorder();
    const names: string[] = [];
    for await (const i of w.backup.backupProtectedItems.list(VAULT, VAULT_RG, { filter: example.parameters.$filter as string, onResponse: rec.onResponse }))
      names.push(i.name!.toLowerCase());
    expect(rec.last().status).toBe(200);
    expect(names).toEqual([ITEM("vm1")]);
    expectShape(rec.last().json, example.responses["200"]!.body);
  });

  it("backupStatus answers 200 with the structure of GetBackupStatus.json for the protected VM, and NotProtected for another", async () => {
    const example = fixture("backup-status");
    const rec = recorder();
    const status = await w.backup.backupStatus.get("westeurope", { resourceId: vmId("vm1"), resourceType: "VM" }, { onResponse: rec.onResponse });
    expect(rec.last().method).toBe("POST");
    expect(rec.last().status).toBe(200);
    expect(status).toMatchObject({ protectionStatus: "Protected", fabricName: "Azure", policyName: POLICY, errorCode: "Success" });
    expect(status.containerName?.toLowerCase()).toBe(CONTAINER("vm1"));
    expect(status.protectedItemName?.toLowerCase()).toBe(ITEM("vm1"));
    expect(status.vaultId?.toLowerCase()).toBe(vaultPath.toLowerCase());

    const other = await w.backup.backupStatus.get("westeurope", { resourceId: vmId("vm2"), resourceType: "VM" });
    expect(other.protectionStatus).toBe("NotProtected");

    expectShape(rec.last().json, example.responses["200"]!.body);
  });

  // ---- stop protection, delete --------------------------------------------------------------

  it("stop protection (PUT ProtectionStopped) answers 202 with the item-scoped headers of StopProtection.json; the item then has its 200 structure", async () => {
    expect((await protect(w, VAULT, "vm2", POLICY)).status).toBe("Succeeded");
    const example = fixture("protected-item-stop-protection");
    const request = example.parameters.parameters as { properties: Record<string, unknown> };
    const rec = recorder();
    await w.backup.protectedItems.createOrUpdate(
      VAULT,
      VAULT_RG,
      "Azure",
      CONTAINER("vm2"),
      ITEM("vm2"),
      { properties: { ...request.properties, sourceResourceId: vmId("vm2") } } as ProtectedItemResource,
      { onResponse: rec.onResponse },
    );
    expect(rec.last().status).toBe(202);
    const id = expectOperationHeaders(rec.last(), example.responses["202"]!, origin);
    expect((await settle(() => w.backup.protectedItemOperationStatuses.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"), id))).status).toBe(
      "Succeeded",
    );

    const result = recorder();
    await w.backup.protectedItemOperationResults.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"), id, { onResponse: result.onResponse });
    expect(result.last().status).toBe(200);
    expectShape(result.last().json, example.responses["200"]!.body);
    expect((result.last().json as { properties: { protectionState: string } }).properties.protectionState).toBe("ProtectionStopped");
  });

  it("protected item DELETE answers 202 with vault-scoped Location (backupOperationResults) and Azure-AsyncOperation (backupOperations), as ProtectedItem_Delete.json", async () => {
    w.emulator.faults.add({ method: "DELETE", path: "/protectedItems/", times: 1, action: { kind: "slow-operation", extraPolls: 1 } });
    const rec = recorder();
    await w.backup.protectedItems.delete(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { onResponse: rec.onResponse });
    expect(rec.last().method).toBe("DELETE");
    expect(rec.last().status).toBe(202);
    expect(rec.last().text).toBe("");
    ids.delete = expectOperationHeaders(rec.last(), fixtureResponse("protected-item-delete", 202), origin);
    expect(decodedPath(rec.last().headers.location!).toLowerCase()).toBe(`${vaultPath}/backupOperationResults/${ids.delete}`.toLowerCase());
    expect(decodedPath(rec.last().headers["azure-asyncoperation"]!).toLowerCase()).toBe(`${vaultPath}/backupOperations/${ids.delete}`.toLowerCase());
  });

  it("the delete is tracked at vault scope: backupOperations InProgress then Succeeded with the DeleteBackupData job; backupOperationResults 202 then 204; the item is soft-deleted", async () => {
    const running = recorder();
    expect((await w.backup.backupOperationStatuses.get(VAULT, VAULT_RG, op("delete"), { onResponse: running.onResponse })).status).toBe("InProgress");
    expectShape(running.last().json, fixtureResponse("protected-item-delete-operation-status", 200).body);

    const resultRunning = recorder();
    await w.backup.backupOperationResults.get(VAULT, VAULT_RG, op("delete"), { onResponse: resultRunning.onResponse });
    expect(resultRunning.last().status).toBe(202);
    expect(expectOperationHeaders(resultRunning.last(), fixtureResponse("protected-item-delete-operation-result", 202), origin)).toBe(op("delete"));

    const done = recorder();
    const status = await w.backup.backupOperationStatuses.get(VAULT, VAULT_RG, op("delete"), { onResponse: done.onResponse });
    expect(status.status).toBe("Succeeded");
    expectShape(done.last().json, fixtureResponse("protected-item-operation-status", 200).body);
    const jobId = (done.last().json as { properties: { jobId: string } }).properties.jobId;
    expect((await w.backup.jobDetails.get(VAULT, VAULT_RG, jobId)).properties).toMatchObject({ operation: "DeleteBackupData", status: "Completed" });

    const resultDone = recorder();
    await w.backup.backupOperationResults.get(VAULT, VAULT_RG, op("delete"), { onResponse: resultDone.onResponse });
    expect(resultDone.last().status).toBe(204);

    // Soft delete is on by default: the item stays, stopped and scheduled for deletion (ARM-API.md §4.7.5).
    const item = await w.backup.protectedItems.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
    expect(item.properties).toMatchObject({ protectionState: "ProtectionStopped", isScheduledForDeferredDelete: true });
  });

  it("a VM soft-deleted in this vault stays tied to it: backupStatus names the vault (NotProtected), and another vault refuses to protect it", async () => {
    // Soft-delete FAQ (Microsoft Learn): reprotecting a soft-deleted item in a new vault within the retention needs
    // Microsoft support. BackupStatusResponse has no soft-deleted value; see the emulator's backupStatus route.
    const status = await w.backup.backupStatus.get("westeurope", { resourceId: vmId("vm1"), resourceType: "VM" });
    expect(status.protectionStatus).toBe("NotProtected");
    expect(status.vaultId?.toLowerCase()).toBe(vaultPath.toLowerCase());
    const item = await w.backup.protectedItems.get(VAULT, VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
    const props = item.properties as { deferredDeleteTimeInUTC?: Date; softDeleteRetentionPeriodInDays?: number };
    expect(props.deferredDeleteTimeInUTC).toBeInstanceOf(Date);
    expect(props.softDeleteRetentionPeriodInDays).toBe(14);

    await createVault(w, "rsv-elsewhere");
    await w.backup.protectionPolicies.createOrUpdate("rsv-elsewhere", VAULT_RG, POLICY, dailyPolicyBody());
    await expect(protect(w, "rsv-elsewhere", "vm1", POLICY)).rejects.toMatchObject({ statusCode: 400, code: "BMSUserErrorVMAlreadyProtected" });
  });
});
