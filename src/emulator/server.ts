/**
 * The emulator's HTTPS server: an offline Azure Resource Manager for the operations this package uses,
 * which the real `@azure/arm-*` clients talk to unchanged (paths and bodies of Azure/azure-rest-api-specs).
 *
 * Each request: decode the path and query; apply injected faults; require a bearer token (401) and an
 * api-version (400); bring the emulated timelines up to the clock; route; answer JSON with ARM's headers
 * and error body; log; and save the state when it changed and a state file is set.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { registerCompute } from "./arm/compute";
import { registerItemRecovery } from "./arm/item-recovery";
import { registerJobs } from "./arm/jobs";
import { registerKeyVaults, seedKeyVaults, type KeyVaultFixture } from "./arm/key-vaults";
import { registerPolicies } from "./arm/policies";
import { registerPolicyRestrictions } from "./arm/policy-guardrails";
import { registerResourceGuards } from "./arm/resource-guards";
import { registerProtection } from "./arm/protection";
import { registerRestore } from "./arm/restore";
import { KNOWN_FEATURES, registerRegistrations } from "./arm/registrations";
import type { Services } from "./arm/services";
import { registerSubscriptions } from "./arm/subscriptions";
import { registerVaults } from "./arm/vaults";
import { handleAdmin } from "./admin";
import { handleGraph, isGraphPath } from "./graph";
import { resourceTypeOf, serves, unsupportedApiVersion } from "./api-versions";
import { createCertificates } from "./certificates";
import { Clock, type ClockOptions } from "./clock";
import { Faults, OPERATION_LIMIT_RETRY_AFTER_SECONDS, protectionRequestVault, type FaultAction, type OperationLimit } from "./faults";
import { ArmError, type EmulatorRequest, type EmulatorResponse } from "./http";
import { RequestLog } from "./log";
import { Model, type ModelOptions } from "./model";
import { StateTracker } from "./journal";
import { loadVms, mergeVms, StateStore } from "./persistence";
import { Router } from "./router";
import { emptyState, type EmulatorState, type FeatureState, type VmFixture } from "./state";
import { parseVmFixtures } from "./vm-schema";

export interface EmulatorOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /**
   * Save state here, and resume from it at start, emulated time included. Each change is appended to a journal
   * beside it (`<statePath>.journal`) before the response is sent, and folded into the file (written whole,
   * atomically) when the journal has grown past twice its size and at stop: persistence.ts.
   */
  statePath?: string;
  /** Write the CA certificate (PEM) here. */
  caPath?: string;
  /** VMs the compute API serves (added to those of the state file). */
  vms?: VmFixture[];
  /** A JSON file of VMs (`[...]` or `{ "vms": [...] }`). */
  vmsPath?: string;
  clock?: ClockOptions;
  /** Seed for probabilistic faults (default 1). */
  seed?: number;
  /** Retry-After on 202 and status answers, seconds (default 0; the real service says 60). */
  retryAfterSeconds?: number;
  /** Azure's timing and limits; see ModelOptions. */
  model?: ModelOptions;
  /**
   * Records per page of the paged lists (VMs, protected and protectable items, jobs, policies): a list longer than
   * this answers with a nextLink carrying a skip token. Default: one page, whatever its length. Azure documents no
   * page size for these lists (see arm/render.ts pageOf), so this exists for tests that make clients follow pages.
   */
  listPageSize?: number;
  /** Resource groups that exist; without it, every resource group exists. */
  resourceGroups?: string[];
  /** Initial state of features, by `Namespace/Feature` (default NotRegistered). */
  features?: Record<string, Extract<FeatureState, "NotRegistered" | "Registered">>;
  /** Subscriptions `GET /subscriptions` lists besides those the state uses (default: 00000000-0000-0000-0000-00000000aaaa). */
  subscriptions?: string[];
  /** Request log entries kept (default 100,000). */
  logLimit?: number;
  /** Key Vaults the VMs' disk encryption settings point at (arm/key-vaults.ts); added to those of the state file. */
  keyVaults?: KeyVaultFixture[];
}

export interface Emulator {
  /** `https://127.0.0.1:<port>`: the ARM endpoint to give the SDK clients. */
  endpoint: string;
  port: number;
  /** The CA certificate (PEM) clients must trust. */
  ca: string;
  caPath?: string;
  clock: Clock;
  faults: Faults;
  log: RequestLog;
  state: EmulatorState;
  model: Model;
  addVms(vms: readonly VmFixture[]): void;
  /** Removes VMs by id (as deleting them in Azure would); their backups stay in their vaults. */
  removeVms(ids: readonly string[]): void;
  /** Stops listening and closes connections; saves the state when a state file is set. */
  stop(): Promise<void>;
  /** With a state file: bytes written to it and its journal since start, and how many times the journal was folded in. */
  persistence?: { readonly bytesWritten: number; readonly compactions: number };
}

const MUTATING = new Set(["PUT", "PATCH", "POST", "DELETE"]);

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = options.statePath === undefined ? undefined : new StateStore(options.statePath);
  const saved = store?.load();
  // Emulated time continues from the saved state (unless a start is given), as Azure's would have.
  const clock = new Clock({ ...options.clock, ...(options.clock?.start === undefined && saved?.state !== undefined ? { start: saved.state.savedAt } : {}) });
  const raw = saved?.state ?? emptyState(clock.now());
  // With a state file, the model sees the state through a tracker that notes which records each request changes
  // (journal.ts), so that a save writes those and not the whole state.
  const tracker = store === undefined ? undefined : new StateTracker(raw);
  const state = tracker?.state ?? raw;
  if (store !== undefined && saved?.compact === true) store.compact(raw, clock.now());
  if (options.vmsPath !== undefined) mergeVms(state, loadVms(options.vmsPath));
  if (options.vms !== undefined) mergeVms(state, parseVmFixtures(options.vms, "The emulator's vms option"));
  const model = new Model(state, clock, options.model);
  const faults = new Faults(options.seed ?? 1);
  const log = new RequestLog(options.logLimit);
  const router = new Router();
  const featureDefaults = new Map<string, "NotRegistered" | "Registered">();
  for (const [key, value] of Object.entries(options.features ?? {})) {
    if (!KNOWN_FEATURES.includes(key.toLowerCase())) throw new Error(`Unknown feature '${key}'; the emulator knows ${KNOWN_FEATURES.join(", ")}.`);
    featureDefaults.set(key.toLowerCase(), value);
  }
  if (options.listPageSize !== undefined && !(Number.isInteger(options.listPageSize) && options.listPageSize > 0)) {
    throw new Error(`The emulator's listPageSize must be a whole number of 1 or more, not ${String(options.listPageSize)}.`);
  }
  const services: Services = {
    model,
    ...(options.listPageSize === undefined ? {} : { pageSize: options.listPageSize }),
    router,
    retryAfterSeconds: options.retryAfterSeconds ?? 0,
    featureDefaults,
    ...(options.subscriptions === undefined ? {} : { subscriptions: options.subscriptions }),
    ...(options.resourceGroups === undefined ? {} : { resourceGroups: new Set(options.resourceGroups.map((g) => g.toLowerCase())) }),
  };
  registerVaults(services);
  registerPolicies(services);
  registerProtection(services);
  registerJobs(services);
  registerRegistrations(services);
  registerCompute(services);
  registerSubscriptions(services);
  registerPolicyRestrictions(services);
  registerResourceGuards(services);
  registerItemRecovery(services);
  registerKeyVaults(services);
  if (options.keyVaults !== undefined) seedKeyVaults(model, options.keyVaults);
  registerRestore(services);

  const certificates = await createCertificates();
  if (options.caPath !== undefined) writeFileSync(options.caPath, certificates.ca);
  /** Journals what changed (a line even when nothing did, if `always`: the clock a write was acknowledged at). */
  const save = (always = true) => {
    model.dirty = false;
    if (store === undefined || tracker === undefined) return;
    const ops = tracker.flush();
    if (ops.length > 0 || always) store.append(ops, clock.now(), raw);
  };
  if (tracker?.pending() === true) save();

  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
    void handle(req, res);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const emulator: Emulator = {
    endpoint: "",
    port: 0,
    ca: certificates.ca,
    ...(options.caPath === undefined ? {} : { caPath: options.caPath }),
    clock,
    faults,
    log,
    state,
    model,
    ...(store === undefined ? {} : { persistence: store }),
    addVms: (vms) => {
      mergeVms(state, parseVmFixtures(vms, "The VMs given"));
      save();
    },
    removeVms: (ids) => {
      const gone = new Set(ids.map((id) => id.toLowerCase()));
      state.vms = state.vms.filter((v) => !gone.has(v.id.toLowerCase()));
      save();
    },
    stop: async () => {
      model.tick();
      save(false);
      store?.compact(raw, clock.now());
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const body = await readBody(req);
    const origin = `https://${req.headers.host ?? `127.0.0.1:${emulator.port}`}`;
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    let path = url.pathname;
    let faultName: string | undefined;
    const finish = (response: EmulatorResponse) => {
      send(res, response, req, clock.now());
      log.add({
        at: new Date(started).toISOString(),
        method,
        path,
        query: url.search,
        status: response.status,
        durationMs: Date.now() - started,
        ...(method === "GET" || body.length === 0 ? {} : { body: body.slice(0, 4096) }),
        ...(faultName === undefined ? {} : { fault: faultName }),
      });
    };
    try {
      let segments: string[];
      try {
        path = decodeURIComponent(url.pathname);
        segments = url.pathname
          .split("/")
          .filter((s) => s !== "")
          .map((s) => decodeURIComponent(s));
      } catch {
        throw new ArmError(400, "InvalidRequestUri", `The request path '${url.pathname}' is not correctly encoded.`);
      }
      if (segments[0] === "_emulator") {
        const answer = handleAdmin(method, segments.slice(1), url, body, emulator);
        if (model.dirty || tracker?.pending() === true) save(); // seeded Key Vaults
        finish(answer);
        return;
      }
      // Time passes on the service's side with each request (a test clock's stepMs), then faults apply.
      clock.step();
      const operationFaults: FaultAction[] = [];
      for (const action of faults.match(method, path, (limit) => operationsInProgress(method, path) >= limit.perVault)) {
        if (action.kind === "operation-limit") {
          faultName = "operation-limit";
          finish(operationLimitRefusal(action, path));
          return;
        } else if (action.kind === "latency") {
          faultName = "latency";
          await new Promise((resolve) => setTimeout(resolve, action.ms));
        } else if (action.kind === "drop") {
          faultName = "drop";
          log.add({ at: new Date(started).toISOString(), method, path, query: url.search, status: 0, durationMs: Date.now() - started, fault: "drop" });
          req.socket.destroy();
          return;
        } else if (action.kind === "throttle") {
          faultName = "throttle";
          const headers: Record<string, string> = {};
          if (action.retryAfterSeconds !== undefined) headers["retry-after"] = String(action.retryAfterSeconds);
          if (action.retryAfterMs !== undefined) headers["retry-after-ms"] = String(action.retryAfterMs);
          finish({
            status: 429,
            headers,
            body: {
              error: { code: "ResourceRequestsThrottled", message: "Number of requests for this operation exceeded the limit. Please try again later." },
            },
          });
          return;
        } else if (action.kind === "status") {
          faultName = `status ${action.status}`;
          finish({
            status: action.status,
            body: {
              error: {
                code: action.code ?? (action.status >= 500 ? "InternalServerError" : "BadRequest"),
                message: action.message ?? `Injected fault: HTTP ${action.status}.`,
              },
            },
          });
          return;
        } else {
          faultName = action.kind;
          operationFaults.push(action);
        }
      }
      // Microsoft Graph's one request the package makes (graph.ts): Graph's errors, no api-version.
      if (isGraphPath(segments)) {
        finish(handleGraph(method, segments, url, req.headers, origin));
        return;
      }
      const auth = req.headers.authorization;
      if (auth === undefined || !/^Bearer\s+\S+/i.test(auth)) {
        throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
      }
      const query = new Map<string, string>();
      for (const [k, v] of url.searchParams) query.set(k.toLowerCase(), v);
      const apiVersion = query.get("api-version");
      if (apiVersion === undefined || apiVersion === "") {
        throw new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
      }
      let json: unknown;
      if (body.length > 0) {
        try {
          json = JSON.parse(body);
        } catch {
          throw new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
        }
      }
      model.tick();
      const found = router.find(method, segments);
      if (found === undefined) {
        throw new ArmError(404, "InvalidResourceType", `The resource type could not be found for path '${path}'.`);
      }
      // ARM refuses an api-version the resource type does not register, whatever the method (api-versions.ts).
      const resourceType = resourceTypeOf(segments);
      if (!serves(resourceType, apiVersion)) throw unsupportedApiVersion(resourceType, apiVersion, locationOf(segments, json), []);
      if ("allowed" in found) {
        finish({
          status: 405,
          headers: { allow: found.allowed.join(", ") },
          body: { error: { code: "MethodNotAllowed", message: `The method '${method}' is not allowed on '${path}'.` } },
        });
        return;
      }
      const request: EmulatorRequest = {
        method,
        segments,
        query,
        headers: req.headers,
        body: json,
        origin,
        apiVersion,
        params: found.params,
        faults: operationFaults,
      };
      let response: EmulatorResponse;
      try {
        response = found.handler(request);
      } finally {
        // Every change is saved: a write's, and a timeline's that completed while serving a read.
        if (MUTATING.has(method) || model.dirty || tracker?.pending() === true) save(MUTATING.has(method));
      }
      finish(response);
    } catch (error) {
      if (model.dirty || tracker?.pending() === true) save(false);
      if (error instanceof ArmError) {
        finish({ status: error.status, body: error.toBody() });
      } else {
        process.stderr.write(`azure-vm-backup emulator: ${method} ${path} failed: ${(error as Error).stack ?? String(error)}\n`);
        finish({ status: 500, body: { error: { code: "InternalServerError", message: "The emulator failed to handle the request; see its log." } } });
      }
    }
  }

  /** The protection operations in progress on the vault of a protection request (0 for any other request). */
  function operationsInProgress(method: string, path: string): number {
    const vault = protectionRequestVault(method, path);
    if (vault === undefined) return 0;
    model.tick(); // operations that fell due by now have ended
    return state.operations.filter(
      (o) => o.status === "InProgress" && o.vaultKey.toLowerCase() === vault && (o.kind === "item-put" || o.kind === "item-delete" || o.kind === "item-backup"),
    ).length;
  }

  /** A refusal under an operation limit, as Azure answers a throttled request (faults.ts cites the shape). */
  function operationLimitRefusal(limit: OperationLimit, path: string): EmulatorResponse {
    const seconds = limit.retryAfterMs === undefined ? (limit.retryAfterSeconds ?? OPERATION_LIMIT_RETRY_AFTER_SECONDS) : Math.ceil(limit.retryAfterMs / 1000);
    const headers: Record<string, string> =
      limit.retryAfterMs === undefined ? { "retry-after": String(seconds) } : { "retry-after-ms": String(limit.retryAfterMs) };
    const vault = /\/vaults\/([^/]+)/i.exec(path)?.[1] ?? "";
    return {
      status: 429,
      headers,
      body: {
        error: {
          code: "ResourceRequestsThrottled",
          message: `Number of concurrent protection operations in vault '${vault}' exceeded the limit of '${limit.perVault}'. Please try again after '${seconds}' seconds.`,
        },
      },
    };
  }

  /** The location ARM routes a request by: the vault's or VM's, a PUT body's, or a `locations/{region}` segment. */
  function locationOf(segments: readonly string[], body: unknown): string | undefined {
    const lower = segments.map((s) => s.toLowerCase());
    const at = (name: string) => {
      const i = lower.indexOf(name);
      return i >= 0 ? segments[i + 1] : undefined;
    };
    const vaultName = lower.includes("microsoft.recoveryservices") ? at("vaults") : undefined;
    if (vaultName !== undefined) {
      const [sub, rg] = [at("subscriptions")?.toLowerCase(), at("resourcegroups")?.toLowerCase()];
      const vault = state.vaults.find(
        (v) => v.subscriptionId.toLowerCase() === sub && v.resourceGroup.toLowerCase() === rg && v.name.toLowerCase() === vaultName.toLowerCase(),
      );
      if (vault !== undefined) return vault.location;
    }
    if (lower.includes("virtualmachines")) {
      const id = `/${segments.slice(0, lower.indexOf("virtualmachines") + 2).join("/")}`.toLowerCase();
      const vm = model.vm(id);
      if (vm !== undefined) return vm.location;
    }
    const location = body !== null && typeof body === "object" ? (body as { location?: unknown }).location : undefined;
    return typeof location === "string" ? location : at("locations");
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  emulator.port = port;
  emulator.endpoint = `https://${options.host === undefined || options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`;
  return emulator;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** `now`: the emulated time, sent as the Date header, as ARM's answers carry the service's time (RFC 9110 §6.6.1). */
function send(res: ServerResponse, response: EmulatorResponse, req: IncomingMessage, now: number): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = {
    date: new Date(now).toUTCString(),
    "x-ms-request-id": randomUUID(),
    "x-ms-correlation-request-id": String(req.headers["x-ms-client-request-id"] ?? randomUUID()),
    "cache-control": "no-cache",
    ...response.headers,
  };
  if (response.body === undefined) {
    res.writeHead(response.status, { ...headers, "content-length": "0" });
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}
