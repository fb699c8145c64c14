/**
 * The emulator's control endpoints (`/_emulator/...`), which tools in another process use: health, the
 * clock, fault rules, the request log, the state and the VM fixtures.
 */
import { request } from "node:https";
import { startEmulator, type Emulator } from "../../src/emulator";
import { vmFixture, vmId } from "./harness";

function call(e: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, e.endpoint);
    const text = body === undefined ? "" : JSON.stringify(body);
    const req = request(url, { method, ca: e.ca, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } }, (res) => {
      let answer = "";
      res.on("data", (d: Buffer) => (answer += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: answer === "" ? {} : (JSON.parse(answer) as Record<string, unknown>) }));
    });
    req.on("error", reject);
    req.end(text);
  });
}

describe("the emulator's control endpoints", () => {
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator({ clock: { speed: 0, start: Date.parse("2026-11-24T10:00:00Z") }, vms: [vmFixture("vm1")] });
  });
  afterAll(async () => e.stop());

  it("health names the endpoint and the emulated time; the clock moves forward on request", async () => {
    expect(await call(e, "GET", "/_emulator/health")).toEqual({ status: 200, body: { endpoint: e.endpoint, now: "2026-11-24T10:00:00.000Z" } });
    expect(await call(e, "POST", "/_emulator/clock", { advanceMs: 3_600_000 })).toEqual({ status: 200, body: { now: "2026-11-24T11:00:00.000Z" } });
    expect((await call(e, "POST", "/_emulator/clock", { advanceMs: -1 })).status).toBe(400);
  });

  it("sets where Azure enforces soft delete (secure by default): every region, none, or those listed", async () => {
    expect(e.model.softDeleteEnforced("westeurope")).toBe(true);
    expect(await call(e, "POST", "/_emulator/secure-by-default", { regions: ["East US"] })).toEqual({ status: 200, body: { regions: ["East US"] } });
    expect([e.model.softDeleteEnforced("eastus"), e.model.softDeleteEnforced("westeurope")]).toEqual([true, false]);
    expect((await call(e, "POST", "/_emulator/secure-by-default", { regions: "all" })).status).toBe(400);
    expect((await call(e, "POST", "/_emulator/secure-by-default", { regions: true })).status).toBe(200);
    expect(e.model.softDeleteEnforced("westeurope")).toBe(true);
  });

  it("adds a fault rule, by path text or by pattern, and clears them", async () => {
    const added = await call(e, "POST", "/_emulator/faults", {
      method: "GET",
      path: { regex: "virtualMachines/vm1$" },
      times: 1,
      action: { kind: "status", status: 503 },
    });
    expect(added.status).toBe(200);
    expect(typeof added.body.id).toBe("number");
    expect((await call(e, "POST", "/_emulator/faults", { path: "x" })).status).toBe(400);
    expect(e.faults.list()).toHaveLength(1);
    expect((await call(e, "DELETE", "/_emulator/faults")).status).toBe(204);
    expect(e.faults.list()).toEqual([]);
  });

  it("adds and removes VMs, and reports the state and the request log", async () => {
    expect(await call(e, "POST", "/_emulator/vms", [vmFixture("vm2"), vmFixture("vm3")])).toEqual({ status: 200, body: { vms: 3 } });
    expect(await call(e, "DELETE", "/_emulator/vms", [vmId("VM2")])).toEqual({ status: 200, body: { vms: 2 } });
    expect(e.state.vms.map((v) => v.id)).toEqual([vmId("vm1"), vmId("vm3")]);
    expect((await call(e, "DELETE", "/_emulator/vms", { id: "x" })).status).toBe(400);
    const state = await call(e, "GET", "/_emulator/state");
    expect((state.body.vms as unknown[]).length).toBe(2);
    const log = await call(e, "GET", "/_emulator/log?since=0");
    expect((log.body.entries as Array<{ path: string }>).some((x) => x.path.startsWith("/_emulator/vms"))).toBe(true);
    expect((await call(e, "GET", "/_emulator/nothing")).status).toBe(404);
  });
});
