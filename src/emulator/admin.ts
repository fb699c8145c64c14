/**
 * `/_emulator/...`: control of a running emulator for tools in another process (the CLI's emulator, a
 * user's test suite): the clock, fault rules, the request log, the state and the VM fixtures.
 *
 *   GET    /_emulator/health                  → { endpoint, now }
 *   POST   /_emulator/clock  { advanceMs }    → { now }
 *   GET    /_emulator/log?since=N             → { entries }
 *   POST   /_emulator/faults { ...FaultRule } → { id }   (path as a string, or { regex: "..." }; an operation limit per
 *                                             vault: { "action": { "kind": "operation-limit", "perVault": 5 } }, faults.ts)
 *   DELETE /_emulator/faults                  → clears every fault
 *   GET    /_emulator/state                   → the state (JSON)
 *   POST   /_emulator/vms    [VmFixture...]   → adds or replaces VMs
 *   DELETE /_emulator/vms    [VM id...]       → removes VMs
 *   POST   /_emulator/secure-by-default { regions: true | false | ["westeurope", ...] }
 *                                             → where soft delete is enforced (ModelOptions.secureByDefault)
 *   GET    /_emulator/guardrails              → { assignments }  (Azure Policy assignments that guard vaults)
 *   POST   /_emulator/guardrails [Assignment...] → replaces them (ModelOptions.guardrails; model/guardrails.ts)
 *   DELETE /_emulator/guardrails              → removes them
 *   GET    /_emulator/key-vaults              → { keyVaults, backupManagementServiceObjectId }
 *   POST   /_emulator/key-vaults [{ id, location?, enableRbacAuthorization?, accessPolicies?: [{ objectId, permissions:
 *          { keys?, secrets? } }] }...]     → adds or replaces Key Vaults (those a VM's diskEncryption names:
 *                                             arm/key-vaults.ts; the Backup Management Service's object id is
 *                                             backupManagementServiceObjectId)
 */
import { BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, seedKeyVaults } from "./arm/key-vaults";
import type { FaultRule } from "./faults";
import { GuardrailRejected, parseGuardrails } from "./model/guardrails";
import type { EmulatorResponse } from "./http";
import type { Emulator } from "./server";
import type { VmFixture } from "./state";

function parse(body: string): unknown {
  try {
    return body === "" ? undefined : (JSON.parse(body) as unknown);
  } catch {
    return undefined;
  }
}

const bad = (message: string): EmulatorResponse => ({ status: 400, body: { error: { code: "BadRequest", message } } });

export function handleAdmin(method: string, segments: string[], url: URL, body: string, emulator: Emulator): EmulatorResponse {
  const [what] = segments;
  const json = parse(body) as Record<string, unknown> | undefined;
  if (what === "health" && method === "GET") return { status: 200, body: { endpoint: emulator.endpoint, now: emulator.clock.date().toISOString() } };
  if (what === "clock" && method === "POST") {
    const ms = json?.advanceMs;
    if (typeof ms !== "number" || ms < 0) return bad('Send { "advanceMs": <milliseconds> }.');
    emulator.clock.advance(ms);
    return { status: 200, body: { now: emulator.clock.date().toISOString() } };
  }
  if (what === "log" && method === "GET") return { status: 200, body: { entries: emulator.log.list(Number(url.searchParams.get("since") ?? 0)) } };
  if (what === "faults" && method === "POST") {
    if (json === undefined || typeof json.action !== "object")
      return bad("Send a fault rule: { method?, path?, skip?, times?, probability?, action: { kind, ... } }.");
    const action = json.action as { kind?: unknown; perVault?: unknown };
    if (action.kind === "operation-limit" && !(typeof action.perVault === "number" && Number.isInteger(action.perVault) && action.perVault >= 1))
      return bad('An operation limit needs "perVault", a whole number of 1 or more: { "action": { "kind": "operation-limit", "perVault": 5 } }.');
    const rule = { ...json } as unknown as FaultRule;
    const path: unknown = json.path;
    if (typeof path === "object" && path !== null && typeof (path as { regex?: unknown }).regex === "string") {
      rule.path = new RegExp((path as { regex: string }).regex, "i");
    }
    return { status: 200, body: { id: emulator.faults.add(rule) } };
  }
  if (what === "faults" && method === "DELETE") {
    emulator.faults.clear();
    return { status: 204 };
  }
  if (what === "state" && method === "GET") return { status: 200, body: emulator.state };
  if (what === "vms" && method === "POST") {
    if (!Array.isArray(json)) return bad("Send a list of VMs.");
    try {
      emulator.addVms(json as VmFixture[]);
    } catch (error) {
      return bad((error as Error).message);
    }
    return { status: 200, body: { vms: emulator.state.vms.length } };
  }
  if (what === "vms" && method === "DELETE") {
    if (!Array.isArray(json) || !json.every((id) => typeof id === "string")) return bad("Send a list of VM ids.");
    emulator.removeVms(json as string[]);
    return { status: 200, body: { vms: emulator.state.vms.length } };
  }
  if (what === "secure-by-default" && method === "POST") {
    const regions = json?.regions;
    if (typeof regions !== "boolean" && !(Array.isArray(regions) && regions.every((r) => typeof r === "string")))
      return bad('Send { "regions": true } (every region), false (none) or a list of regions.');
    emulator.model.secureByDefault = regions as boolean | string[];
    return { status: 200, body: { regions } };
  }
  if (what === "guardrails" && method === "GET") return { status: 200, body: { assignments: emulator.model.guardrails } };
  if (what === "guardrails" && method === "POST") {
    try {
      emulator.model.guardrails = parseGuardrails(json);
    } catch (error) {
      if (!(error instanceof GuardrailRejected)) throw error;
      return { status: 400, body: { error: { code: error.code, message: error.message } } };
    }
    return { status: 200, body: { assignments: emulator.model.guardrails } };
  }
  if (what === "guardrails" && method === "DELETE") {
    emulator.model.guardrails = [];
    return { status: 204 };
  }
  if (what === "key-vaults" && method === "GET")
    return { status: 200, body: { keyVaults: emulator.state.keyVaults ?? [], backupManagementServiceObjectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID } };
  if (what === "key-vaults" && method === "POST") {
    if (!Array.isArray(json)) return bad("Send a list of Key Vaults: [{ id, enableRbacAuthorization?, accessPolicies? }].");
    try {
      seedKeyVaults(emulator.model, json);
    } catch (error) {
      return bad((error as Error).message);
    }
    return { status: 200, body: { keyVaults: (emulator.state.keyVaults ?? []).length } };
  }
  return { status: 404, body: { error: { code: "NotFound", message: `No emulator control at /_emulator/${segments.join("/")}.` } } };
}
