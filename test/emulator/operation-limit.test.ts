/**
 * The `operation-limit` fault through the real SDK client: a vault's protection requests beyond `perVault`
 * operations in progress are refused with 429 ResourceRequestsThrottled and a Retry-After (src/emulator/faults.ts
 * cites Azure's shape); other requests and other vaults pass; the SDK's retry policy honours the Retry-After and
 * the request goes through once an operation has ended.
 */
import { capture, CONTAINER, createVault, dailyPolicyBody, ITEM, protect, SUB, VAULT_RG, world, type TestWorld } from "./harness";
import { vmFixture, vmId } from "./harness";

const policyId = (vault: string) =>
  `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${vault}/backupPolicies/daily`;

async function put(w: TestWorld, vault: string, vm: string) {
  const c = capture();
  await w.backup.protectedItems.createOrUpdate(
    vault,
    VAULT_RG,
    "Azure",
    CONTAINER(vm),
    ITEM(vm),
    { properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vmId(vm), policyId: policyId(vault) } } as never,
    { onResponse: c.onResponse },
  );
  return c;
}

async function refusal(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  throw new Error("expected the request to be refused");
}

describe("operation-limit fault", () => {
  let w: TestWorld;
  afterEach(async () => w.stop());

  async function setUp(maxRetries: number): Promise<void> {
    w = await world({ vms: [vmFixture("vm1"), vmFixture("vm2"), vmFixture("vm3")] }, { maxRetries, retryDelayInMs: 5 });
    for (const vault of ["rsv1", "rsv2"]) {
      await createVault(w, vault);
      await w.backup.protectionPolicies.createOrUpdate(vault, VAULT_RG, "daily", dailyPolicyBody());
    }
  }

  it("refuses a vault's protection request beyond perVault operations in progress, as Azure throttles: 429 with Retry-After", async () => {
    await setUp(0);
    w.emulator.faults.add({ action: { kind: "operation-limit", perVault: 1 } });
    expect((await put(w, "rsv1", "vm1")).status).toBe(202);
    // vm1's configure operation (31 emulated seconds) is still in progress: the next one in rsv1 is refused.
    const mark = w.emulator.log.mark();
    const error = await refusal(put(w, "rsv1", "vm2"));
    expect(error).toMatchObject({ statusCode: 429, code: "ResourceRequestsThrottled" });
    expect(error.message).toContain("exceeded the limit of '1'");
    const [entry] = w.emulator.log.list(mark);
    expect(entry).toMatchObject({ method: "PUT", status: 429, fault: "operation-limit" });
    // Reads pass, and so does another vault's protection.
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv1")).name).toBe("rsv1");
    expect((await put(w, "rsv2", "vm3")).status).toBe(202);
    // Once vm1's operation has ended, rsv1 takes the request.
    w.emulator.clock.advance(60_000);
    expect((await put(w, "rsv1", "vm2")).status).toBe(202);
    expect(w.emulator.faults.list()[0]!.applied).toBe(1);
  });

  it("the header says how long to wait (Retry-After: 10 s by default, or retry-after-ms when set)", async () => {
    await setUp(0);
    const id = w.emulator.faults.add({ action: { kind: "operation-limit", perVault: 1 } });
    await put(w, "rsv1", "vm1");
    const first = (await refusal(put(w, "rsv1", "vm2"))) as { response?: { headers: { get(name: string): string | undefined } } };
    expect(first.response?.headers.get("retry-after")).toBe("10");
    w.emulator.faults.remove(id);
    w.emulator.faults.add({ action: { kind: "operation-limit", perVault: 1, retryAfterMs: 30 } });
    const error = (await refusal(put(w, "rsv1", "vm2"))) as { response?: { headers: { get(name: string): string | undefined } } };
    expect(error.response?.headers.get("retry-after-ms")).toBe("30");
  });

  it("the SDK's retry policy honours the Retry-After and gets through once the operation in progress has ended", async () => {
    await setUp(3);
    w.emulator.faults.add({ action: { kind: "operation-limit", perVault: 1, retryAfterMs: 20 } });
    await put(w, "rsv1", "vm1");
    const mark = w.emulator.log.mark();
    // Each request moves the test clock 15 s: vm1's 31 s operation ends after two refused attempts.
    expect((await put(w, "rsv1", "vm2")).status).toBe(202);
    const puts = w.emulator.log.list(mark).filter((e) => e.method === "PUT");
    expect(puts.map((e) => e.status)).toEqual([429, 429, 202]);
    expect((await protect(w, "rsv1", "vm3", "daily")).status).toBe("Succeeded");
  });
});
