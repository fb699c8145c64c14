import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { CONTAINER, credential, ITEM, vmFixture, vmId } from "../emulator/harness";
import { hostWorld, SUB, type HostWorld } from "./harness";

const VAULT = { resourceGroupName: "rg-backup", name: "rsv-rel", location: "westeurope" };
const POLICY = { resourceGroupName: "rg-backup", vaultName: "rsv-rel", name: "daily-2030" };
const protection = (vm: string) => ({ vaultResourceGroupName: "rg-backup", vaultName: "rsv-rel", policyName: "daily-2030", vmId: vmId(vm) });

describe("faults: reported clearly, and a second run converges", () => {
  let w: HostWorld;
  beforeEach(async () => {
    w = await hostWorld({ vms: [vmFixture("vm1"), vmFixture("vm2")] });
  });
  afterEach(async () => w.stop());

  const setup = async () => {
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs);
  };
  const items = () => w.emulator.model.vault(SUB, "rg-backup", "rsv-rel")!.items;

  it("rides out a burst of 429s with Retry-After through the SDK's retry policy", async () => {
    await setup();
    w.emulator.faults.add({ method: "PUT", path: "/protectedItems/", times: 2, action: { kind: "throttle", retryAfterMs: 50 } });
    const { outs } = await w.host.create("protected-vm", protection("vm1"));
    expect(outs.protectionState).toBe("IRPending");
    const puts = w.emulator.log.list().filter((e) => e.method === "PUT" && e.path.includes("/protectedItems/"));
    expect(puts.map((e) => e.status)).toEqual([429, 429, 202]);
    expect(items()).toHaveLength(1);
  });

  it("rides out a burst of 503s and dropped connections while following the operation", async () => {
    await setup();
    w.emulator.faults.add({ method: "GET", path: "/operationsStatus/", times: 2, action: { kind: "status", status: 503 } });
    w.emulator.faults.add({ method: "GET", path: "/operationsStatus/", times: 1, action: { kind: "drop" } });
    const { outs } = await w.host.create("protected-vm", protection("vm1"));
    expect(outs.protectionState).toBe("IRPending");
    expect(
      w.emulator.log
        .list()
        .filter((e) => e.fault !== undefined)
        .map((e) => e.fault),
    ).toEqual(["status 503", "status 503", "drop"]);
  });

  it("reports a lasting 500 with the operation, the resource and ARM's code", async () => {
    await setup();
    w.emulator.faults.add({
      method: "PUT",
      path: "/protectedItems/",
      action: { kind: "status", status: 500, code: "InternalServerError", message: "Backup service unavailable." },
    });
    await expect(w.host.create("protected-vm", protection("vm1"))).rejects.toMatchObject({
      details: "Protecting VM 'vm1' in vault 'rsv-rel' failed (InternalServerError, HTTP 500): Backup service unavailable.",
    });
  });

  it("reports a protection operation that ends Failed, and the next run protects the VM once", async () => {
    await setup();
    w.emulator.faults.add({
      method: "PUT",
      path: "/protectedItems/",
      times: 1,
      action: {
        kind: "fail-operation",
        code: "UserErrorGuestAgentStatusUnavailable",
        message: "VM agent is unable to communicate with the Azure Backup Service.",
      },
    });
    const failure = w.host.create("protected-vm", protection("vm1"));
    await expect(failure).rejects.toMatchObject({
      details: expect.stringContaining(
        "failed (UserErrorGuestAgentStatusUnavailable): VM agent is unable to communicate with the Azure Backup Service. What to do: The VM agent is not ready",
      ),
    });
    expect(items()).toHaveLength(0);
    await w.host.create("protected-vm", protection("vm1"));
    expect(items().map((i) => i.friendlyName)).toEqual(["vm1"]);
  });

  it("a protection interrupted after Azure accepted it is adopted by the next run, not duplicated", async () => {
    await setup();
    // The first run's status reads all fail (the operation itself completes in Azure).
    w.emulator.faults.add({ method: "GET", path: "/operationsStatus/", action: { kind: "status", status: 500 } });
    await expect(w.host.create("protected-vm", protection("vm1"))).rejects.toMatchObject({ details: expect.stringContaining("HTTP 500") });
    w.emulator.faults.clear();
    // Nobody reads its status again, yet the operation finishes on Azure's clock: the next run finds the item.
    const mark = w.emulator.log.mark();
    const { outs } = await w.host.create("protected-vm", protection("vm1"));
    expect(outs.protectionState).toBe("IRPending");
    expect(items()).toHaveLength(1);
    expect(w.emulator.log.list(mark).filter((e) => e.method === "PUT")).toEqual([]);
  });

  it("a run that meets a previous run's protection still running (BMSUserErrorConflictingProtectionOperation) waits for it and adopts its result", async () => {
    await setup();
    // A previous run sent the protection and was killed: its operation runs 10 minutes longer than usual.
    w.emulator.faults.add({ method: "PUT", path: "/protectedItems/", times: 1, action: { kind: "slow-operation", delayMs: 10 * 60_000 } });
    const backup = new RecoveryServicesBackupClient(credential, SUB, { endpoint: w.emulator.endpoint, tlsOptions: { ca: w.emulator.ca } });
    await backup.protectedItems.createOrUpdate("rsv-rel", "rg-backup", "Azure", CONTAINER("vm1"), ITEM("vm1"), {
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: vmId("vm1"),
        policyId: `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-rel/backupPolicies/daily-2030`,
      },
    } as never);
    const { outs } = await w.host.create("protected-vm", protection("vm1"));
    expect(outs).toMatchObject({ protectionState: "IRPending", policyName: "daily-2030" });
    expect(items()).toHaveLength(1);
    // One protection accepted (the earlier run's), one refused while it ran; the provider waited for its job.
    const puts = w.emulator.log.list().filter((e) => e.method === "PUT" && e.path.includes("/protectedItems/"));
    expect(puts.map((e) => e.status)).toEqual([202, 400]);
    expect(w.emulator.log.list().some((e) => e.method === "GET" && /\/backupJobs\/[0-9a-f-]{36}$/i.test(e.path))).toBe(true);
    expect(w.emulator.state.vaults[0]!.jobs.filter((j) => j.operation === "ConfigureBackup").map((j) => j.status)).toEqual(["Completed"]);
  });

  it("reports a vault creation that ends Failed, and the next run converges on one vault", async () => {
    w.emulator.faults.add({
      method: "PUT",
      path: "/vaults/rsv-rel",
      times: 1,
      action: { kind: "fail-operation", code: "InternalOperationError", message: "Vault provisioning failed." },
    });
    const inputs = (await w.host.check("vault", VAULT)).inputs;
    await expect(w.host.create("vault", inputs)).rejects.toMatchObject({
      details: expect.stringContaining("failed (InternalOperationError): Vault provisioning failed."),
    });
    const { outs } = await w.host.create("vault", inputs);
    expect(outs.name).toBe("rsv-rel");
    expect(w.emulator.state.vaults.filter((v) => v.name === "rsv-rel").map((v) => v.provisioningState)).toEqual(["Succeeded"]);
  });
});
