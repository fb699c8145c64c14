import { startEmulator } from "../../src/emulator";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { capture, CONTAINER, createVault, credential, dailyPolicyBody, ITEM, operationId, protect, SUB, VAULT_RG, world, type TestWorld } from "./harness";

const VAULT_PATH = "/providers/Microsoft.RecoveryServices/vaults/rsv1";

async function failure(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  throw new Error("expected the call to fail");
}

describe("fault injection, and what the real SDK does with each fault", () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await world();
    await createVault(w);
  });
  afterEach(async () => w.stop());

  const vaultGets = (since: number) => w.emulator.log.list(since).filter((e) => e.method === "GET" && e.path.endsWith("/vaults/rsv1"));

  it("latency delays the answer", async () => {
    w.emulator.faults.add({ method: "GET", path: VAULT_PATH, times: 1, action: { kind: "latency", ms: 300 } });
    const mark = w.emulator.log.mark();
    await w.vaults.vaults.get(VAULT_RG, "rsv1");
    const [entry] = vaultGets(mark);
    expect(entry).toMatchObject({ status: 200, fault: "latency" });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(290);
  });

  it("a 429 with Retry-After: 1 is retried once, after about a second", async () => {
    w.emulator.faults.add({ method: "GET", path: VAULT_PATH, times: 1, action: { kind: "throttle", retryAfterSeconds: 1 } });
    const mark = w.emulator.log.mark();
    const vault = await w.vaults.vaults.get(VAULT_RG, "rsv1");
    expect(vault.name).toBe("rsv1");
    const entries = vaultGets(mark);
    expect(entries.map((e) => e.status)).toEqual([429, 200]);
    const gap = Date.parse(entries[1]!.at) - Date.parse(entries[0]!.at);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(3000);
  });

  it("a 429 without Retry-After is not retried: the SDK reports it at once", async () => {
    w.emulator.faults.add({ method: "GET", path: VAULT_PATH, times: 1, action: { kind: "throttle" } });
    const mark = w.emulator.log.mark();
    const e = await failure(w.vaults.vaults.get(VAULT_RG, "rsv1"));
    expect(e).toMatchObject({ statusCode: 429, code: "ResourceRequestsThrottled" });
    expect(vaultGets(mark).map((x) => x.status)).toEqual([429]);
  });

  it("a burst of 503s is retried until the service answers", async () => {
    w.emulator.faults.add({ method: "GET", path: VAULT_PATH, times: 2, action: { kind: "status", status: 503 } });
    const mark = w.emulator.log.mark();
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv1")).name).toBe("rsv1");
    expect(vaultGets(mark).map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it("a lasting 500 fails after the SDK's 3 retries (4 attempts)", async () => {
    w.emulator.faults.add({ method: "GET", path: VAULT_PATH, action: { kind: "status", status: 500, code: "InternalServerError" } });
    const mark = w.emulator.log.mark();
    const e = await failure(w.vaults.vaults.get(VAULT_RG, "rsv1"));
    expect(e.statusCode).toBe(500);
    expect(vaultGets(mark).map((x) => x.status)).toEqual([500, 500, 500, 500]);
  });

  it("a dropped connection is retried", async () => {
    w.emulator.faults.add({ method: "GET", path: VAULT_PATH, times: 1, action: { kind: "drop" } });
    const mark = w.emulator.log.mark();
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv1")).name).toBe("rsv1");
    expect(vaultGets(mark).map((e) => [e.status, e.fault])).toEqual([
      [0, "drop"],
      [200, undefined],
    ]);
  });

  it("a long-running operation that ends Failed surfaces as the poller's error, and changes nothing", async () => {
    w.emulator.faults.add({
      method: "PATCH",
      path: VAULT_PATH,
      times: 1,
      action: { kind: "fail-operation", code: "InternalOperationError", message: "Injected failure." },
    });
    const e = await failure(
      w.vaults.vaults.beginUpdateAndWait(
        VAULT_RG,
        "rsv1",
        { properties: { redundancySettings: { standardTierStorageRedundancy: "LocallyRedundant" } } },
        { updateIntervalInMs: 1 },
      ),
    );
    expect(e.message).toBe("The long-running operation has failed. InternalOperationError. Injected failure.");
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv1")).properties?.redundancySettings?.standardTierStorageRedundancy).toBe("GeoRedundant");
  });

  it("a failed protection operation reports its error and job, and protects nothing", async () => {
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2030", dailyPolicyBody());
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
    const status = await protect(w, "rsv1", "vm1", "daily-2030");
    expect(status).toMatchObject({ status: "Failed", error: { code: "UserErrorGuestAgentStatusUnavailable" } });
    const job = await w.backup.jobDetails.get("rsv1", VAULT_RG, (status as { properties?: { jobId?: string } }).properties!.jobId!);
    expect(job.properties?.status).toBe("Failed");
    expect((await failure(w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1")))).statusCode).toBe(404);
    // A second attempt, without the fault, converges.
    expect((await protect(w, "rsv1", "vm1", "daily-2030")).status).toBe("Succeeded");
  });

  it("a slow operation reports InProgress for more reads past its time, or until the clock reaches a later time", async () => {
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2030", dailyPolicyBody());
    w.emulator.faults.add({ method: "PUT", path: "/protectedItems/", times: 1, action: { kind: "slow-operation", extraPolls: 3 } });
    const status = await protect(w, "rsv1", "vm1", "daily-2030");
    expect(status).toMatchObject({ status: "Succeeded", reads: 5 });

    w.emulator.faults.add({ method: "POST", path: "/backup", times: 1, action: { kind: "slow-operation", delayMs: 600_000 } });
    const c = capture();
    await w.backup.backups.trigger(
      "rsv1",
      VAULT_RG,
      "Azure",
      CONTAINER("vm1"),
      ITEM("vm1"),
      { properties: { objectType: "IaasVMBackupRequest" } as never },
      { onResponse: c.onResponse },
    );
    const id = operationId(c.headers["azure-asyncoperation"]);
    const read = () => w.backup.protectedItemOperationStatuses.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), id);
    for (let i = 0; i < 5; i++) expect((await read()).status).toBe("InProgress");
    w.emulator.clock.advance(600_000);
    expect((await read()).status).toBe("Succeeded");
  });

  it("probabilistic faults repeat run after run for the same seed", async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      const e = await startEmulator({ clock: { speed: 0 }, seed });
      try {
        const client = new RecoveryServicesClient(credential, SUB, { endpoint: e.endpoint, tlsOptions: { ca: e.ca }, retryOptions: { maxRetries: 0 } });
        e.faults.add({ method: "GET", action: { kind: "status", status: 500 }, probability: 0.5 });
        for (let i = 0; i < 16; i++) await client.vaults.get(VAULT_RG, "none").catch(() => undefined);
        return e.log.list().map((x) => x.status);
      } finally {
        await e.stop();
      }
    };
    const first = await pattern(42);
    expect(first).toEqual(await pattern(42));
    expect(new Set(first)).toEqual(new Set([500, 404]));
    expect(first).not.toEqual(await pattern(7));
  });
});
