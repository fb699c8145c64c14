/**
 * What real clients need beyond this package's own calls: the Azure CLI's `az login` reads subscriptions and
 * tenants first (SubscriptionClient), and its `az backup` flows list a vault's Resource Guard proxies before
 * changing a policy or deleting backup data. Bad fixtures and bad requests get clear errors, never a 500.
 * Probabilistic faults depend on the request, not on the order concurrent requests arrive in.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request } from "node:https";
import { join } from "node:path";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { startEmulator } from "../../src/emulator";
import { createVault, credential, OTHER_SUB, SUB, VAULT_RG, vmFixture, vmId, world, type TestWorld } from "./harness";

const GUARD = `/subscriptions/${OTHER_SUB}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards/guard1`;

describe("endpoints real clients call", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world({ vms: [vmFixture("vm1"), { ...vmFixture("other"), id: vmId("other", "rg-app", OTHER_SUB) }] });
    await createVault(w, "rsv-clients");
  });
  afterAll(async () => w.stop());

  it("lists and gets subscriptions and lists tenants, as az login does (SubscriptionClient)", async () => {
    const client = new SubscriptionClient(credential, { endpoint: w.emulator.endpoint, tlsOptions: { ca: w.emulator.ca } } as never);
    const subscriptions = [];
    for await (const s of client.subscriptions.list()) subscriptions.push(s);
    // The default subscription and every subscription the state uses (here, one VM's).
    expect(subscriptions.map((s) => s.subscriptionId).sort()).toEqual([SUB, OTHER_SUB].sort());
    expect(subscriptions[0]).toMatchObject({ state: "Enabled", tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await client.subscriptions.get(SUB)).subscriptionId).toBe(SUB);
    await expect(client.subscriptions.get("11111111-1111-1111-1111-111111111111")).rejects.toMatchObject({ statusCode: 404, code: "SubscriptionNotFound" });
    const tenants = [];
    for await (const t of client.tenants.list()) tenants.push(t);
    expect(tenants).toHaveLength(1);
    expect(tenants[0]!.tenantId).toBe(subscriptions[0]!.tenantId);
  });

  it("lists a vault's Resource Guard proxies (empty by default), and puts, gets and deletes one as the spec defines", async () => {
    const proxies = async () => {
      const list = [];
      for await (const p of w.backup.resourceGuardProxies.list("rsv-clients", VAULT_RG)) list.push(p);
      return list;
    };
    expect(await proxies()).toEqual([]);
    await expect(w.backup.resourceGuardProxy.get("rsv-clients", VAULT_RG, "VaultProxy")).rejects.toMatchObject({ statusCode: 404 });

    const put = await w.backup.resourceGuardProxy.put("rsv-clients", VAULT_RG, "VaultProxy", { properties: { resourceGuardResourceId: GUARD } });
    expect(put).toMatchObject({
      name: "VaultProxy",
      type: "Microsoft.RecoveryServices/vaults/backupResourceGuardProxies",
      properties: { resourceGuardResourceId: GUARD },
    });
    // PutResourceGuardProxy.json: the guard's requests for each critical operation, the operation named as the live
    // service names it (Azure/azure-cli#33749's recording; custom_help.py operation_name_map).
    expect(put.properties?.resourceGuardOperationDetails?.map((d) => d.vaultCriticalOperation)).toContain(
      "Microsoft.RecoveryServices/vaults/backupconfig/write",
    );
    expect(put.properties?.resourceGuardOperationDetails?.[0]?.defaultResourceRequest?.startsWith(`${GUARD}/`)).toBe(true);
    expect((await proxies()).map((p) => p.name)).toEqual(["VaultProxy"]);
    expect((await w.backup.resourceGuardProxy.get("rsv-clients", VAULT_RG, "vaultproxy")).properties?.resourceGuardResourceId).toBe(GUARD);

    await expect(
      w.backup.resourceGuardProxy.put("rsv-clients", VAULT_RG, "VaultProxy", { properties: { resourceGuardResourceId: "not-a-guard" } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    // Removing the guard is itself protected: unlockDelete with the guard's request first, as the Azure CLI does.
    const request = put.properties?.resourceGuardOperationDetails?.find((d) => d.vaultCriticalOperation?.endsWith("backupResourceGuardProxies/delete"));
    await w.backup.resourceGuardProxy.unlockDelete("rsv-clients", VAULT_RG, "VaultProxy", {
      resourceGuardOperationRequests: [request!.defaultResourceRequest!],
      resourceToBeDeleted: put.id!,
    });
    await w.backup.resourceGuardProxy.delete("rsv-clients", VAULT_RG, "VaultProxy");
    expect(await proxies()).toEqual([]);
  });
});

describe("bad fixtures and bad requests", () => {
  it("refuses a malformed VM fixture at start, naming the VM and the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-fixture-"));
    const file = join(dir, "vms.json");
    writeFileSync(
      file,
      JSON.stringify([
        { ...vmFixture("vm1"), image: 42 },
        { ...vmFixture("vm2"), osDisk: { sizeGb: "big" } },
      ]),
    );
    const error = await startEmulator({ vmsPath: file }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain("is not a valid VM fixture");
    expect(error?.message).toContain("\n  VM [0] 'vm1', image: must be a string; got 42");
    expect(error?.message).toContain("\n  VM [1] 'vm2', osDisk.sizeGb: must be a number; got \"big\"");
    await expect(startEmulator({ vms: [{ id: "vm1", location: "westeurope", osDisk: { sizeGb: 1 } }] })).rejects.toThrow(
      /VM \[0\] 'vm1', id: must be the VM's ARM id/,
    );
  });

  it("answers 400, not 500, to bad VMs sent to its control endpoint", async () => {
    const w = await world();
    try {
      const body = JSON.stringify([{ id: vmId("x"), location: "westeurope", osDisk: { sizeGb: 8 }, powerState: "sleeping" }]);
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          `${w.emulator.endpoint}/_emulator/vms`,
          { method: "POST", ca: w.emulator.ca, headers: { "content-type": "application/json" } },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('VM [0] \'x\', powerState: must be one of \\"running\\", \\"deallocated\\"; got \\"sleeping\\"');
      expect(w.emulator.state.vms.some((vm) => vm.id === vmId("x"))).toBe(false);
    } finally {
      await w.stop();
    }
  });

  it("writes its CA certificate as a PEM file ending with a newline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-ca-"));
    const e = await startEmulator({ caPath: join(dir, "ca.pem") });
    expect(e.ca.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
    await e.stop();
  });
});

describe("seeded faults under concurrency", () => {
  it("hit the same requests whatever order concurrent requests arrive in", async () => {
    const run = async (order: string[]): Promise<string[]> => {
      const e = await startEmulator({ clock: { speed: 0 }, seed: 7 });
      try {
        const client = new RecoveryServicesClient(credential, SUB, { endpoint: e.endpoint, tlsOptions: { ca: e.ca }, retryOptions: { maxRetries: 0 } });
        e.faults.add({ method: "GET", action: { kind: "status", status: 503 }, probability: 0.3 });
        // Each vault is read three times; the requests of one round go out together.
        for (let round = 0; round < 3; round++) await Promise.all(order.map((name) => client.vaults.get(VAULT_RG, name).catch(() => undefined)));
        return e.log
          .list()
          .filter((x) => x.status === 503)
          .map((x) => x.path.split("/").pop()!)
          .sort();
      } finally {
        await e.stop();
      }
    };
    const names = Array.from({ length: 12 }, (_, i) => `v${i}`);
    const forward = await run(names);
    const backward = await run([...names].reverse());
    expect(forward.length).toBeGreaterThan(0);
    expect(forward.length).toBeLessThan(36);
    expect(backward).toEqual(forward);
  });
});
