/**
 * Multi-user authorization through the real provider host against the emulator: a vault associated with a
 * Resource Guard in another tenant (BackupVault `resourceGuard`, the tenant in `azure-vm-backup:auxiliaryTenantIds`)
 * round-trips with no diff; a policy update that shortens retention is announced by the preview and succeeds with
 * the guard's request and the auxiliary token; removing the argument removes the guard, itself announced.
 */
import { ServiceClient } from "@azure/core-client";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { hostWorld, SUB, type HostWorld } from "./harness";

const GUARD_TENANT = "00000000-0000-0000-0000-0000000000dd";
const GUARD = `/subscriptions/${SUB}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards/guard-mua`;
const VAULT = { resourceGroupName: "rg-backup", name: "rsv-mua", location: "westeurope" };
const POLICY = { resourceGroupName: "rg-backup", vaultName: "rsv-mua", name: "daily", schedule: { frequency: "Daily", time: "20:30" } };

describe("resourceGuard through the real provider host", () => {
  let w: HostWorld;
  let vaultId = "";
  let vaultOuts: Record<string, unknown> = {};
  beforeAll(async () => {
    w = await hostWorld({ vms: [] }, {}, { "azure-vm-backup:auxiliaryTenantIds": JSON.stringify([GUARD_TENANT]) });
    // The security admin's guard, created in its own tenant (a token of that tenant).
    const client = new ServiceClient({ tlsOptions: { ca: w.emulator.ca } } as never);
    const response = await client.sendRequest(
      createPipelineRequest({
        url: `${w.emulator.endpoint}${GUARD}?api-version=2025-07-01`,
        method: "PUT",
        headers: createHttpHeaders({ authorization: `Bearer security-admin;tenant=${GUARD_TENANT}`, "content-type": "application/json" }),
        body: JSON.stringify({ location: "westeurope", properties: { vaultCriticalOperationExclusionList: [] } }),
      }),
    );
    expect(response.status).toBe(201);
  });
  afterAll(async () => w.stop());

  it("creates a vault associated with the guard, reads it back with no diff", async () => {
    const { inputs, failures } = await w.host.check("vault", { ...VAULT, resourceGuard: GUARD.toLowerCase() });
    expect(failures).toEqual([]);
    const created = await w.host.create("vault", inputs);
    vaultId = created.id;
    expect(created.outs.resourceGuard).toBe(GUARD);
    const read = await w.host.read("vault", created.id, created.outs);
    expect(read.props.resourceGuard).toBe(GUARD);
    vaultOuts = read.props;
    const diff = await w.host.diff("vault", created.id, read.props, inputs);
    expect(diff.changes).toBe("none");
    expect(w.emulator.state.vaults.find((v) => v.name === "rsv-mua")?.guardProxies?.[0]).toMatchObject({ name: "VaultProxy", resourceGuardResourceId: GUARD });
  });

  it("refuses a resourceGuard that is not a guard's id", async () => {
    const { failures } = await w.host.check("vault", { ...VAULT, resourceGuard: "guard-mua" });
    expect(failures).toEqual([expect.objectContaining({ property: "resourceGuard", reason: expect.stringContaining("[vault/resource-guard-id]") })]);
  });

  it("a policy update that shortens retention: the preview names the guard's approval, and the update succeeds with the guard's request and token", async () => {
    const created = await w.host.create("policy", (await w.host.check("policy", { ...POLICY, retention: { daily: { count: 30 } } })).inputs);
    const before = w.host.stderr().length;
    const shorter = await w.host.check("policy", { ...POLICY, retention: { daily: { count: 10 } } });
    expect(shorter.failures).toEqual([]);
    const note = w.host.stderr().slice(before);
    expect(note).toContain("[vault/resource-guard-approval]");
    expect(note).toContain("daily retention 30 -> 10 days");
    expect(note).toContain("Resource Guard 'guard-mua'");

    const outs = await w.host.update("policy", created.id, created.outs, shorter.inputs);
    expect(outs.retention).toEqual({ daily: { count: 10 } });
    const sent = w.emulator.log.list(0).filter((e) => e.method === "PUT" && /backupPolicies\/daily/i.test(e.path));
    expect(sent.length).toBeGreaterThanOrEqual(2);

    // A longer retention is no critical operation: no note.
    const quiet = w.host.stderr().length;
    await w.host.check("policy", { ...POLICY, retention: { daily: { count: 20 } } });
    expect(w.host.stderr().slice(quiet)).not.toContain("resource-guard-approval");
  });

  it("removing resourceGuard is announced, and removes the guard (unlockDelete, then delete, with the token)", async () => {
    const before = w.host.stderr().length;
    const { inputs, failures } = await w.host.check("vault", VAULT);
    expect(failures).toEqual([]);
    expect(w.host.stderr().slice(before)).toContain("removing resourceGuard");
    const diff = await w.host.diff("vault", vaultId, vaultOuts, inputs);
    expect(diff.changes).toBe("some");
    expect(diff.replaces).toEqual([]);
    const outs = await w.host.update("vault", vaultId, vaultOuts, inputs);
    expect(outs.resourceGuard).toBeUndefined();
    expect(w.emulator.state.vaults.find((v) => v.name === "rsv-mua")?.guardProxies ?? []).toEqual([]);
    const read = await w.host.read("vault", vaultId, outs);
    expect(read.props.resourceGuard).toBeUndefined();
  });
});
