/**
 * The emulator's lists at fleet scale, through the real SDK clients: the compute VM lists (VirtualMachines_List and
 * VirtualMachines_ListAll of virtualMachine.json), paging with nextLink and a skip token on the VM and Recovery
 * Services lists (the SDKs follow it), and the lookups that indexes now answer, kept right across changes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { CONTAINER, ITEM, SUB, VAULT_RG, createVault, protect, vmFixture, vmId, world, type TestWorld } from "./harness";
import { startEmulator } from "../../src/emulator";

const names = (n: number, prefix = "vm") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** The list requests the emulator answered since `mark`: path and query. */
function listRequests(w: TestWorld, mark: number, pathEnd: string): string[] {
  return w.emulator.log
    .list(mark)
    .filter((e) => e.method === "GET" && e.path.toLowerCase().endsWith(pathEnd.toLowerCase()))
    .map((e) => decodeURIComponent(e.query));
}

describe("compute VM lists (virtualMachines.list, listAll)", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world({
      vms: [
        ...names(5).map((n) => vmFixture(n)),
        { ...vmFixture("db1"), id: vmId("db1", "rg-data") },
        { ...vmFixture("far"), id: vmId("far", "rg-app", "00000000-0000-0000-0000-00000000bbbb") },
      ],
      resourceGroups: ["rg-app", "rg-data", VAULT_RG],
      listPageSize: 2,
    });
  });
  afterAll(() => w.stop());

  it("list(rg) answers the group's VMs, as the single GET renders them without instance view, over pages the client follows", async () => {
    const mark = w.emulator.log.mark();
    const listed = [];
    for await (const vm of w.compute.virtualMachines.list("rg-app")) listed.push(vm);
    expect(listed.map((v) => v.name).sort()).toEqual(names(5));
    // 5 VMs in pages of 2: three requests, the later two with the skip token of the nextLink before.
    const queries = listRequests(w, mark, "/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines");
    expect(queries).toHaveLength(3);
    expect(queries.slice(1).every((q) => /[?&]\$skiptoken=/.test(q) && /api-version=2026-03-01/.test(q))).toBe(true);
    const single = await w.compute.virtualMachines.get("rg-app", "vm3");
    expect(listed.find((v) => v.name === "vm3")).toEqual(single);
    expect(listed.every((v) => v.instanceView === undefined)).toBe(true);
  });

  it("listAll() answers every VM of the subscription, other groups included, other subscriptions not", async () => {
    const ids = [];
    for await (const vm of w.compute.virtualMachines.listAll()) ids.push(vm.id);
    expect(ids).toHaveLength(6);
    expect(ids).toContain(vmId("db1", "rg-data"));
    expect(ids.some((id) => id?.includes("00000000bbbb"))).toBe(false);
  });

  it("a resource group that does not exist answers 404 ResourceGroupNotFound", async () => {
    const list = async () => {
      for await (const _ of w.compute.virtualMachines.list("rg-missing"));
    };
    await expect(list()).rejects.toMatchObject({ statusCode: 404, code: "ResourceGroupNotFound" });
  });

  it("an existing group without VMs answers an empty list", async () => {
    const listed = [];
    for await (const vm of w.compute.virtualMachines.list(VAULT_RG)) listed.push(vm);
    expect(listed).toEqual([]);
  });

  it("statusOnly=true adds each VM's instance view; $expand=instanceView without $filter is refused", async () => {
    const listed = [];
    for await (const vm of w.compute.virtualMachines.listAll({ statusOnly: "true" })) listed.push(vm);
    expect(listed).toHaveLength(6);
    expect(listed.every((v) => v.instanceView?.statuses?.some((s) => s.code === "PowerState/running"))).toBe(true);
    const expand = async () => {
      for await (const _ of w.compute.virtualMachines.list("rg-app", { expand: "instanceView" }));
    };
    await expect(expand()).rejects.toMatchObject({ statusCode: 400, code: "BadRequest" });
  });

  it("$filter: a scale-set filter matches no VM (the emulator has no scale sets); another filter is refused", async () => {
    const vmss = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachineScaleSets/ss1`;
    const listed = [];
    for await (const vm of w.compute.virtualMachines.list("rg-app", { filter: `'virtualMachineScaleSet/id' eq '${vmss}'`, expand: "instanceView" }))
      listed.push(vm);
    expect(listed).toEqual([]);
    const bad = async () => {
      for await (const _ of w.compute.virtualMachines.listAll({ filter: "name eq 'vm1'" }));
    };
    await expect(bad()).rejects.toMatchObject({ statusCode: 400, code: "InvalidParameter" });
  });

  it("a skip token the emulator did not hand out answers 400 InvalidParameter", async () => {
    const url = `${w.emulator.endpoint}/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines?api-version=2026-03-01&$skiptoken=garbage`;
    const response = await w.raw.sendRequest(createPipelineRequest({ url, method: "GET" }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.bodyAsText ?? "{}")).toEqual({
      error: { code: "InvalidParameter", message: "The request URL is not valid.", target: "$skiptoken" },
    });
  });

  it("VMs added and removed after start show in the lists and the single GET at once (the VM index follows them)", async () => {
    w.emulator.addVms([vmFixture("late")]);
    await expect(w.compute.virtualMachines.get("rg-app", "late")).resolves.toMatchObject({ name: "late" });
    w.emulator.removeVms([vmId("vm0")]);
    await expect(w.compute.virtualMachines.get("rg-app", "vm0")).rejects.toMatchObject({ statusCode: 404 });
    const listed = [];
    for await (const vm of w.compute.virtualMachines.list("rg-app")) listed.push(vm.name);
    expect(listed.sort()).toEqual(["late", "vm1", "vm2", "vm3", "vm4"]);
  });
});

describe("Recovery Services lists page with $skipToken when a page size is set", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world({ vms: names(5).map((n) => vmFixture(n)), listPageSize: 2 });
    await createVault(w);
    await w.backup.protectionContainers.refresh("rsv1", VAULT_RG, "Azure");
    w.emulator.clock.advance(2 * 60_000); // discovery takes 2 emulated minutes (durations.ts)
  });
  afterAll(() => w.stop());

  it("protectable items: all five over three pages, and each protected VM leaves the list (the protection index follows protect)", async () => {
    const mark = w.emulator.log.mark();
    const before = [];
    for await (const item of w.backup.backupProtectableItems.list("rsv1", VAULT_RG)) before.push(item.name);
    expect(before).toHaveLength(5);
    const queries = listRequests(w, mark, "/backupProtectableItems");
    expect(queries).toHaveLength(3);
    expect(queries.slice(1).every((q) => /[?&]\$skipToken=/.test(q))).toBe(true);

    for (const vm of ["vm0", "vm1", "vm2"]) expect((await protect(w, "rsv1", vm, "DefaultPolicy")).status).toBe("Succeeded");
    const after = [];
    for await (const item of w.backup.backupProtectableItems.list("rsv1", VAULT_RG)) after.push(item.name);
    expect(after.sort()).toEqual(["iaasvmcontainerv2;rg-app;vm3", "iaasvmcontainerv2;rg-app;vm4"]);
  });

  it("protected items and jobs: the SDK's for-await follows nextLink to the last record", async () => {
    const items = [];
    const first = w.emulator.log.mark();
    for await (const item of w.backup.backupProtectedItems.list("rsv1", VAULT_RG)) items.push(item.name?.toLowerCase());
    expect(items.sort()).toEqual([ITEM("vm0"), ITEM("vm1"), ITEM("vm2")]);
    expect(listRequests(w, first, "/backupProtectedItems")).toHaveLength(2);
    const jobs = [];
    for await (const job of w.backup.backupJobs.list("rsv1", VAULT_RG)) jobs.push(job.properties?.operation);
    expect(jobs.filter((op) => op === "ConfigureBackup")).toHaveLength(3);
    const filtered = [];
    const mark = w.emulator.log.mark();
    for await (const job of w.backup.backupJobs.list("rsv1", VAULT_RG, { filter: "operation eq 'ConfigureBackup'" })) filtered.push(job.name);
    expect(filtered).toHaveLength(3);
    // The filter travels in the nextLink: the second page is filtered too.
    expect(listRequests(w, mark, "/backupJobs")[1]).toMatch(/\$filter=operation(\+| )eq(\+| )'ConfigureBackup'/);
  });

  it("policies: DefaultPolicy and two more, over two pages, each once", async () => {
    const policy = (await w.backup.protectionPolicies.get("rsv1", VAULT_RG, "DefaultPolicy")) as never;
    for (const name of ["pol-one", "pol-two"])
      await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, name, { properties: (policy as { properties: unknown }).properties } as never);
    const listed = [];
    for await (const p of w.backup.backupPolicies.list("rsv1", VAULT_RG)) listed.push(p.name);
    expect(listed).toHaveLength(new Set(listed).size);
    expect(listed).toEqual(expect.arrayContaining(["DefaultPolicy", "pol-one", "pol-two"]));
  });

  it("a stopped-and-deleted item is still the VM's protection until it is undeleted or purged (index follows delete)", async () => {
    await w.backup.protectedItems.delete("rsv1", VAULT_RG, "Azure", CONTAINER("vm2"), ITEM("vm2"));
    const protectable = [];
    for await (const item of w.backup.backupProtectableItems.list("rsv1", VAULT_RG)) protectable.push(item.name);
    // Soft-deleted (secure by default), so vm2 is not protectable again in another vault or this one.
    expect(protectable).not.toContain("iaasvmcontainerv2;rg-app;vm2");
  });
});

describe("listPageSize", () => {
  it("must be a whole number of 1 or more", async () => {
    await expect(startEmulator({ listPageSize: 0 })).rejects.toThrow(/listPageSize/);
  });
});

describe("indexes after a restart from a state file", () => {
  it("a restarted emulator answers VM and protection lookups from the loaded state", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lists-"));
    const statePath = join(dir, "state.json");
    try {
      const first = await world({ statePath, vms: names(3).map((n) => vmFixture(n)) });
      await createVault(first);
      await first.backup.protectionContainers.refresh("rsv1", VAULT_RG, "Azure");
      first.emulator.clock.advance(2 * 60_000);
      expect((await protect(first, "rsv1", "vm1", "DefaultPolicy")).status).toBe("Succeeded");
      await first.stop();

      const second = await world({ statePath, vms: [] });
      try {
        await expect(second.compute.virtualMachines.get("rg-app", "vm2")).resolves.toMatchObject({ name: "vm2" });
        const protectable = [];
        for await (const item of second.backup.backupProtectableItems.list("rsv1", VAULT_RG)) protectable.push(item.name);
        expect(protectable.sort()).toEqual(["iaasvmcontainerv2;rg-app;vm0", "iaasvmcontainerv2;rg-app;vm2"]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
