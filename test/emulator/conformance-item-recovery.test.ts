/**
 * Conformance of the emulator's file recovery (item-level recovery connections) with Microsoft's examples
 * Provision_Ilr.json and Revoke_Ilr.json (test/fixtures/arm/ilr-*.json; SOURCES.md says what each holds), sent through
 * the real SDK client (`itemLevelRecoveryConnections.provision` / `revoke`): 202 with item-scoped Location and
 * Azure-AsyncOperation, the operation status carrying the scripts (OperationStatusProvisionILRExtendedInfo), the
 * recovery point's `isInstantIlrSessionActive` while the session lasts: until revoked, or 12 emulated hours.
 */
import { RecoveryServicesBackupClient, type ILRRequestResource, type OperationStatusProvisionILRExtendedInfo } from "@azure/arm-recoveryservicesbackup";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HOUR, MINUTE, startEmulator } from "../../src/emulator";
import { armError, credential, CONTAINER, createVault, dailyPolicyBody, ITEM, protect, VAULT_RG, vmFixture, vmId, world, type TestWorld } from "./harness";
import { expectOperationHeaders, fixture, fixtureResponse, recorder } from "./conformance-helpers";

const VAULT = "rsv-files";
const POLICY = "daily";
const args = (vm: string) => [VAULT, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm)] as const;

/** Provision_Ilr.json's request body, for one of our VMs (its recoveryPointId kept: the example sends another than its path's). */
function provisionBody(vm: string): ILRRequestResource {
  const body = fixture("ilr-provision").parameters.parameters as { properties: Record<string, unknown> };
  return { properties: { ...body.properties, virtualMachineId: vmId(vm) } } as ILRRequestResource;
}

describe("conformance: file recovery (item-level recovery)", () => {
  let w: TestWorld;
  const points: Record<string, string> = {};

  const backUp = async (vm: string): Promise<string> => {
    await w.backup.backups.trigger(...args(vm), { properties: { objectType: "IaasVMBackupRequest" } } as never);
    w.emulator.clock.advance(2 * HOUR); // the snapshot, then the transfer (README: backup jobs)
    const list: string[] = [];
    for await (const rp of w.backup.recoveryPoints.list(...args(vm))) list.push(rp.name!);
    expect(list.length).toBe(1);
    return list[0]!;
  };
  const sessionActive = async (vm: string): Promise<boolean> => {
    const rp = await w.backup.recoveryPoints.get(...args(vm), points[vm]!);
    return (rp.properties as { isInstantIlrSessionActive?: boolean }).isInstantIlrSessionActive === true;
  };

  beforeAll(async () => {
    w = await world({
      vms: [vmFixture("vm1"), vmFixture("win1", { osType: "Windows", image: "MicrosoftWindowsServer:WindowsServer:2022-datacenter:latest" })],
    });
    await createVault(w, VAULT);
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, POLICY, dailyPolicyBody());
    await w.backup.protectionContainers.refresh(VAULT, VAULT_RG, "Azure");
    w.emulator.clock.advance(2 * MINUTE);
    for (const vm of ["vm1", "win1"]) {
      expect((await protect(w, VAULT, vm, POLICY)).status).toBe("Succeeded");
      points[vm] = await backUp(vm);
    }
  });
  afterAll(async () => w.stop());

  it("provision answers 202 with item-scoped Location, Azure-AsyncOperation and Retry-After, as Provision_Ilr.json; the status carries the Linux script", async () => {
    expect(await sessionActive("vm1")).toBe(false);
    const rec = recorder();
    await w.backup.itemLevelRecoveryConnections.provision(...args("vm1"), points.vm1!, provisionBody("vm1"), { onResponse: rec.onResponse });
    expect(rec.last().method).toBe("POST");
    expect(rec.last().status).toBe(202);
    expect(rec.last().text).toBe("");
    const id = expectOperationHeaders(rec.last(), fixtureResponse("ilr-provision", 202), w.emulator.endpoint);

    const status = await w.backup.protectedItemOperationStatuses.get(...args("vm1"), id);
    expect(status.status).toBe("Succeeded");
    const info = status.properties as OperationStatusProvisionILRExtendedInfo;
    expect(info.objectType).toBe("OperationStatusProvisionILRExtendedInfo");
    const scripts = info.recoveryTarget?.clientScripts ?? [];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatchObject({ osType: "Linux", scriptExtension: ".py" });
    // The name begins <VM>_<region>_<GUID>, and the password sits 33 characters after the last "_" (Azure CLI custom.py).
    const suffix = scripts[0]!.scriptNameSuffix!;
    expect(suffix).toMatch(/^vm1_westeurope_[0-9a-f]{32}[A-Za-z0-9]{15}$/);
    const password = suffix.slice(suffix.lastIndexOf("_") + 33, suffix.lastIndexOf("_") + 48);
    expect(Buffer.from(scripts[0]!.scriptContent!, "base64").toString("utf8")).toContain(`TargetPassword="${password}"`);
    // The vault-scoped status the Azure CLI reads (custom_help.py track_backup_operation) says the same.
    const vaultScoped = await w.backup.backupOperationStatuses.get(VAULT, VAULT_RG, id);
    expect((vaultScoped.properties as OperationStatusProvisionILRExtendedInfo).recoveryTarget?.clientScripts?.[0]?.scriptNameSuffix).toBe(suffix);

    expect(await sessionActive("vm1")).toBe(true);
  });

  it("revoke answers 202 as Revoke_Ilr.json and ends the session", async () => {
    const rec = recorder();
    await w.backup.itemLevelRecoveryConnections.revoke(...args("vm1"), points.vm1!, { onResponse: rec.onResponse });
    expect(rec.last().status).toBe(202);
    const id = expectOperationHeaders(rec.last(), fixtureResponse("ilr-revoke", 202), w.emulator.endpoint);
    const status = await w.backup.protectedItemOperationStatuses.get(...args("vm1"), id);
    expect(status.status).toBe("Succeeded");
    expect(status.properties).toBeUndefined();
    expect(await sessionActive("vm1")).toBe(false);
  });

  it("a session ends by itself 12 emulated hours after the provision", async () => {
    await w.backup.itemLevelRecoveryConnections.provision(...args("vm1"), points.vm1!, provisionBody("vm1"));
    w.emulator.clock.advance(11 * HOUR);
    expect(await sessionActive("vm1")).toBe(true);
    w.emulator.clock.advance(HOUR);
    expect(await sessionActive("vm1")).toBe(false);
  });

  it("a Windows VM gets a script and an executable to download, in the order the Azure CLI reads them", async () => {
    const c: { headers: Record<string, string> } = { headers: {} };
    await w.backup.itemLevelRecoveryConnections.provision(...args("win1"), points.win1!, provisionBody("win1"), {
      onResponse: (r) => (c.headers = r.headers.toJSON()),
    });
    const id = new URL(c.headers["azure-asyncoperation"]!).pathname.split("/").pop()!;
    const status = await w.backup.protectedItemOperationStatuses.get(...args("win1"), id);
    const scripts = (status.properties as OperationStatusProvisionILRExtendedInfo).recoveryTarget?.clientScripts ?? [];
    expect(scripts.map((s) => [s.osType, s.scriptExtension])).toEqual([
      ["Windows", ".ps1"],
      ["Windows", ".exe"],
    ]);
    expect(scripts[1]!.url).toMatch(/^https:\/\//);
  });

  it("refuses an unknown recovery point and a request that is not an IaaS VM ILR request", async () => {
    expect(await armError(w.backup.itemLevelRecoveryConnections.provision(...args("vm1"), "999", provisionBody("vm1")))).toMatchObject({
      statusCode: 404,
      code: "BMSUserErrorRecoveryPointNotFound",
    });
    expect(
      await armError(
        w.backup.itemLevelRecoveryConnections.provision(...args("vm1"), points.vm1!, {
          properties: { objectType: "AzureFileShareProvisionILRRequest" },
        } as ILRRequestResource),
      ),
    ).toMatchObject({ statusCode: 400, code: "BMSUserErrorInvalidInput" });
    expect(await armError(w.backup.itemLevelRecoveryConnections.revoke(...args("vm2"), points.vm1!))).toMatchObject({
      statusCode: 404,
      code: "BMSUserErrorObjectNotFound",
    });
  });

  it("a session is saved with the state: it survives a restart, and so does its revocation", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ilr-state-"));
    try {
      const statePath = join(dir, "state.json");
      const state = JSON.parse(JSON.stringify(w.emulator.state)) as typeof w.emulator.state;
      writeFileSync(statePath, JSON.stringify(state));
      const first = await startEmulator({ statePath, clock: { speed: 0, stepMs: 1000 } });
      const item = first.state.vaults[0]!.items.find((i) => i.friendlyName === "win1")!;
      expect(item.recoveryPoints[0]!.ilrSession).toBeDefined(); // provisioned by the Windows test above
      await first.stop();
      // Revoke through a running emulator with a state file, then read the state back after a restart.
      const second = await startEmulator({ statePath, clock: { speed: 0, stepMs: 1000 } });
      const client = new RecoveryServicesBackupClient(credential, state.vaults[0]!.subscriptionId, {
        endpoint: second.endpoint,
        tlsOptions: { ca: second.ca },
      });
      await client.itemLevelRecoveryConnections.revoke(...args("win1"), points.win1!);
      await client.recoveryPoints.get(...args("win1"), points.win1!); // a request after the operation's due time finishes it
      await second.stop();
      const third = await startEmulator({ statePath, clock: { speed: 0 } });
      expect(third.state.vaults[0]!.items.find((i) => i.friendlyName === "win1")!.recoveryPoints[0]!.ilrSession).toBeUndefined();
      await third.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("records no job for file recovery", async () => {
    const operations: string[] = [];
    for await (const job of w.backup.backupJobs.list(VAULT, VAULT_RG)) operations.push(String((job.properties as { operation?: string }).operation));
    expect(new Set(operations)).toEqual(new Set(["ConfigureBackup", "Backup"]));
  });
});
