/**
 * Multi-user authorization through the real provider host against the emulator: a vault associated with a
 * Resource Guard in another tenant (BackupVault `resourceGuard`, the tenant in `azure-vm-backup:auxiliaryTenantIds`)
 * round-trips with no diff; a policy update that shortens retention is announced by the preview and succeeds with
 * the guard's request and the auxiliary token; removing the argument removes the guard, itself announced. A guard
 * the program never declared (set by a security admin outside the stack) is kept: by create (adopting), diff, update
 * and refresh. A new customer-managed key and immutability Unlocked -> Disabled on a guarded vault are announced and
 * carry the guard's request and token.
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
  let vaultInputs: Record<string, unknown> = {};
  let client: ServiceClient;
  /** The security admin associates a vault with the guard outside the stack (PUT VaultProxy, bms.json ResourceGuardProxy_Put). */
  async function guardOutsideTheStack(vault: string): Promise<void> {
    const response = await client.sendRequest(
      createPipelineRequest({
        url: `${w.emulator.endpoint}/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${vault}/backupResourceGuardProxies/VaultProxy?api-version=2025-08-01`,
        method: "PUT",
        headers: createHttpHeaders({ authorization: "Bearer security-admin", "content-type": "application/json" }),
        body: JSON.stringify({ properties: { resourceGuardResourceId: GUARD } }),
      }),
    );
    expect(response.status).toBeLessThan(300);
  }
  /** A vault made outside the stack (PUT, Vaults_CreateOrUpdate). */
  async function vaultOutsideTheStack(vault: string): Promise<void> {
    const put = await client.sendRequest(
      createPipelineRequest({
        url: `${w.emulator.endpoint}/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${vault}?api-version=2024-04-01`,
        method: "PUT",
        headers: createHttpHeaders({ authorization: "Bearer security-admin", "content-type": "application/json" }),
        body: JSON.stringify({ location: "westeurope", sku: { name: "Standard" }, properties: {} }),
      }),
    );
    expect(put.status).toBe(201);
  }
  const proxiesOf = (vault: string) => w.emulator.state.vaults.find((v) => v.name === vault)?.guardProxies ?? [];
  beforeAll(async () => {
    w = await hostWorld({ vms: [] }, {}, { "azure-vm-backup:auxiliaryTenantIds": JSON.stringify([GUARD_TENANT]) });
    // The security admin's guard, created in its own tenant (a token of that tenant).
    client = new ServiceClient({ tlsOptions: { ca: w.emulator.ca } } as never);
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
    vaultInputs = inputs;
    const created = await w.host.create("vault", inputs);
    vaultId = created.id;
    expect(created.outs.resourceGuard).toBe(GUARD);
    const read = await w.host.read("vault", created.id, created.outs);
    expect(read.props.resourceGuard).toBe(GUARD);
    vaultOuts = read.props;
    const diff = await w.host.diff("vault", created.id, read.props, inputs);
    expect(diff.changes).toBe("none");
    expect(w.emulator.state.vaults.find((v) => v.name === "rsv-mua")?.guardProxies?.[0]).toMatchObject({ name: "VaultProxy", resourceGuardResourceId: GUARD });
    expect(read.props.resourceGuardDeclared).toBe(GUARD);
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

  it("removing resourceGuard after declaring it is announced, and removes the guard (unlockDelete, then delete, with the token)", async () => {
    const before = w.host.stderr().length;
    const { inputs, failures } = await w.host.check("vault", VAULT, vaultInputs);
    expect(failures).toEqual([]);
    expect(w.host.stderr().slice(before)).toContain("removing the resourceGuard argument (declared before)");
    const diff = await w.host.diff("vault", vaultId, vaultOuts, inputs);
    expect(diff.changes).toBe("some");
    expect(diff.replaces).toEqual([]);
    const outs = await w.host.update("vault", vaultId, vaultOuts, inputs);
    expect(outs.resourceGuard).toBeUndefined();
    expect(w.emulator.state.vaults.find((v) => v.name === "rsv-mua")?.guardProxies ?? []).toEqual([]);
    const read = await w.host.read("vault", vaultId, outs);
    expect(read.props.resourceGuard).toBeUndefined();
    expect(read.props.resourceGuardDeclared).toBeUndefined();
  });

  describe("a guard the program does not declare (set outside the stack) is kept", () => {
    const OUTSIDE = { ...VAULT, name: "rsv-outside" };
    let id = "";
    let outs: Record<string, unknown> = {};
    let inputs: Record<string, unknown> = {};

    it("a create that adopts a vault the security admin guarded keeps its guard, without recording it as declared", async () => {
      // The vault and its association, made outside the stack (before the provider first reads them: it reads a vault's guard once per run).
      await vaultOutsideTheStack("rsv-outside");
      await guardOutsideTheStack("rsv-outside");
      inputs = (await w.host.check("vault", OUTSIDE)).inputs;
      const created = await w.host.create("vault", inputs);
      id = created.id;
      outs = created.outs;
      expect(created.outs.resourceGuard).toBe(GUARD);
      expect(created.outs.resourceGuardDeclared).toBeUndefined();
      expect(proxiesOf("rsv-outside")).toEqual([expect.objectContaining({ resourceGuardResourceId: GUARD })]);
    });

    it("refresh reports it, the preview announces no removal, and diff finds nothing to change", async () => {
      const read = await w.host.read("vault", id, outs);
      expect(read.props.resourceGuard).toBe(GUARD);
      expect(read.props.resourceGuardDeclared).toBeUndefined();
      outs = read.props;
      const before = w.host.stderr().length;
      const checked = await w.host.check("vault", OUTSIDE, inputs);
      expect(checked.failures).toEqual([]);
      expect(w.host.stderr().slice(before)).not.toContain("resourceGuard");
      expect((await w.host.diff("vault", id, outs, checked.inputs)).changes).toBe("none");
    });

    it("an update of another argument keeps it, and a second refresh still does not count it as declared", async () => {
      const checked = await w.host.check("vault", { ...OUTSIDE, tags: { team: "backup" } }, inputs);
      expect((await w.host.diff("vault", id, outs, checked.inputs)).changes).toBe("some");
      const updated = await w.host.update("vault", id, outs, checked.inputs);
      expect(updated.resourceGuard).toBe(GUARD);
      expect(proxiesOf("rsv-outside")).toEqual([expect.objectContaining({ resourceGuardResourceId: GUARD })]);
      const read = await w.host.read("vault", id, updated);
      expect(read.props.resourceGuardDeclared).toBeUndefined();
      expect((await w.host.diff("vault", id, read.props, checked.inputs)).changes).toBe("none");
      const removals = w.emulator.log.list(0).filter((e) => e.method === "DELETE" && /rsv-outside\/backupResourceGuardProxies/i.test(e.path));
      expect(removals).toEqual([]);
      outs = read.props;
      inputs = checked.inputs;
    });

    it("declaring it then records it as declared, without touching Azure's association", async () => {
      const checked = await w.host.check("vault", { ...OUTSIDE, resourceGuard: GUARD }, inputs);
      expect((await w.host.diff("vault", id, outs, checked.inputs)).changes).toBe("some");
      const updated = await w.host.update("vault", id, outs, checked.inputs);
      expect(updated).toMatchObject({ resourceGuard: GUARD, resourceGuardDeclared: GUARD });
      expect(proxiesOf("rsv-outside")).toHaveLength(1);
    });
  });

  it("a create that would adopt a vault with another guard than declared fails, and leaves its guard", async () => {
    await vaultOutsideTheStack("rsv-guarded");
    await guardOutsideTheStack("rsv-guarded");
    const other = GUARD.replace("guard-mua", "guard-other");
    const { inputs } = await w.host.check("vault", { ...VAULT, name: "rsv-guarded", resourceGuard: other });
    await expect(w.host.create("vault", inputs)).rejects.toThrow(/VaultHasAnotherResourceGuard.*Resource Guard 'guard-mua'.*never does/s);
    expect(proxiesOf("rsv-guarded")).toEqual([expect.objectContaining({ resourceGuardResourceId: GUARD })]);
  });

  describe("vault PATCHes the guard protects (Azure CLI operation_name_map)", () => {
    const KEY = "https://kv-mua.vault.azure.net/keys/backup-key";
    const KEY2 = "https://kv-mua.vault.azure.net/keys/backup-key-2";
    const CMK = { ...VAULT, name: "rsv-mua-cmk", identity: { systemAssigned: true }, resourceGuard: GUARD, immutability: "Unlocked" };

    it("a new customer-managed key and immutability Unlocked -> Disabled: announced, then sent with the guard's requests and the auxiliary token", async () => {
      const created = await w.host.create("vault", (await w.host.check("vault", { ...CMK, encryption: { keyId: KEY } })).inputs);
      const olds = (await w.host.check("vault", { ...CMK, encryption: { keyId: KEY } })).inputs;
      const before = w.host.stderr().length;
      const { inputs, failures } = await w.host.check("vault", { ...CMK, encryption: { keyId: KEY2 }, immutability: "Disabled" }, olds);
      expect(failures).toEqual([]);
      const notes = w.host.stderr().slice(before);
      expect(notes).toContain(`changes the customer-managed key (${KEY} -> ${KEY2})`);
      expect(notes).toContain("disables immutability (Unlocked -> Disabled)");
      expect(notes).toContain("Resource Guard 'guard-mua'");

      const start = w.emulator.log.mark();
      const outs = await w.host.update("vault", created.id, created.outs, inputs);
      expect(outs).toMatchObject({ immutability: "Disabled", encryption: { keyId: KEY2 }, resourceGuard: GUARD });
      const vault = w.emulator.model.vault(SUB, "rg-backup", "rsv-mua-cmk");
      expect(vault?.encryption?.keyUri).toBe(KEY2);
      expect(vault?.immutability).toBe("Disabled");
      const patches = w.emulator.log.list(start).filter((e) => e.method === "PATCH" && /vaults\/rsv-mua-cmk$/i.test(e.path));
      expect(patches.map((e) => e.status)).toEqual([202, 202]);
      expect(patches.map((e) => e.body ?? "").join("\n")).toMatch(/reduceImmutabilityStateRequests\/default[\s\S]*modifyEncryptionSettingsRequests\/default/);
    });
  });
});
