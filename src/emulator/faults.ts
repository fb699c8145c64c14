/**
 * Fault injection for reliability tests: rules that match requests and delay them, throttle them (429
 * with or without Retry-After), fail them (500, 503, ...), drop the connection, or make the long-running
 * operation they start end `Failed` or run slowly. Deterministic: a rule applies to the matching requests
 * it counts (`skip`, `times`), or by probability. A probabilistic decision depends only on the seed, the
 * rule and the request's identity (method, path, and how many times that method and path came before), not
 * on the order in which concurrent requests arrive: two runs that send the same requests, in any
 * interleaving, meet the same faults.
 *
 * `operation-limit` is the one fault that looks at the emulator's state: a protection request (protect or
 * change, stop, undelete: PUT of a protected item; delete backup data: its DELETE; Backup now: POST .../backup)
 * on a vault that already has `perVault` protection operations in progress is refused as Azure refuses a
 * throttled request: HTTP 429 with `ResourceRequestsThrottled` and a Retry-After
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling: "the response
 * includes a Retry-After value"; the code and message shape as Azure returns them, e.g. for Recovery Services'
 * `protectedItems/read` in hashicorp/terraform-provider-azurerm#26874 and Azure/azqr#34). Microsoft documents no
 * number of concurrent protection operations per Recovery Services vault: `perVault` is the test's choice. Enable it
 * with `emulator.faults.add({ action: { kind: "operation-limit", perVault: 5 } })` or
 * `POST /_emulator/faults {"action":{"kind":"operation-limit","perVault":5}}` (bench/scale.ts can do either).
 */
export type FaultAction =
  | { kind: "latency"; ms: number }
  | { kind: "throttle"; retryAfterSeconds?: number; retryAfterMs?: number }
  | { kind: "status"; status: number; code?: string; message?: string }
  | { kind: "drop" }
  | { kind: "fail-operation"; code?: string; message?: string }
  | { kind: "slow-operation"; extraPolls?: number; delayMs?: number }
  | OperationLimit;

/** Refuses a vault's protection requests while `perVault` of its protection operations are in progress (429, Retry-After: 10 s unless set). */
export interface OperationLimit {
  kind: "operation-limit";
  perVault: number;
  retryAfterSeconds?: number;
  retryAfterMs?: number;
}

/**
 * The default Retry-After of an `operation-limit` refusal, s. ARM's throttling answers ask for seconds to minutes
 * (Azure/azqr#34); the value Recovery Services sends for this refusal is not established: 10 is the emulator's choice.
 */
export const OPERATION_LIMIT_RETRY_AFTER_SECONDS = 10;

/**
 * The vault (`subscription/resourcegroup/vault`, lower case) of a protection request, or undefined for any
 * other request: PUT or DELETE of `.../protectionContainers/{c}/protectedItems/{i}`, POST of `.../protectedItems/{i}/backup`.
 */
export function protectionRequestVault(method: string, path: string): string | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)\/backupFabrics\/[^/]+\/protectionContainers\/[^/]+\/protectedItems\/[^/]+(\/backup)?\/?$/i.exec(
      path,
    );
  if (m === null) return undefined;
  const verb = method.toUpperCase();
  const isProtection = m[4] === undefined ? verb === "PUT" || verb === "DELETE" : verb === "POST";
  return isProtection ? `${m[1]}/${m[2]}/${m[3]}`.toLowerCase() : undefined;
}

export interface FaultRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the decoded request path: a RegExp, or a case-insensitive substring. */
  path?: string | RegExp;
  /** Let this many matching requests through first. */
  skip?: number;
  /** Apply to this many matching requests (default: all). */
  times?: number;
  /** Apply with this probability (0-1), drawn from the emulator's seeded generator. */
  probability?: number;
  action: FaultAction;
}

export interface ActiveFault extends FaultRule {
  id: number;
  /** Matching requests seen so far. */
  seen: number;
  /** Requests the fault applied to. */
  applied: number;
}

/** A number in [0, 1) from a seed and a text (FNV-1a over the text, finished by mulberry32's mixer). */
export function hashedRandom(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return seededRandom(h)();
}

/** A small seeded generator (mulberry32), so that probabilistic faults repeat run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private rules: ActiveFault[] = [];
  private nextId = 1;
  /** Attempts so far of each method and path, per rule: a request's identity for probabilistic faults. */
  private readonly attempts = new Map<number, Map<string, number>>();

  constructor(private readonly seed = 1) {}

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, seen: 0, applied: 0 });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
    this.attempts.delete(id);
  }

  clear(): void {
    this.rules = [];
    this.attempts.clear();
  }

  list(): readonly ActiveFault[] {
    return this.rules;
  }

  /**
   * The actions that apply to this request, in the order the rules were added. At most one answers it
   * (throttle, status, drop, operation-limit): rules after it are not counted as applied, so they wait for later
   * requests. `refuses` says whether an operation limit refuses this request (the server knows the vault's operations).
   */
  match(method: string, path: string, refuses: (limit: OperationLimit) => boolean = () => false): FaultAction[] {
    const actions: FaultAction[] = [];
    let answered = false;
    for (const rule of this.rules) {
      const answers = rule.action.kind === "throttle" || rule.action.kind === "status" || rule.action.kind === "drop" || rule.action.kind === "operation-limit";
      if (answers && answered) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        const hit = typeof rule.path === "string" ? path.toLowerCase().includes(rule.path.toLowerCase()) : rule.path.test(path);
        if (!hit) continue;
      }
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      if (rule.probability !== undefined && this.draw(rule, method, path) >= rule.probability) continue;
      // An operation limit applies only to the requests it refuses (it counts only those as applied).
      if (rule.action.kind === "operation-limit" && !refuses(rule.action)) continue;
      rule.applied++;
      actions.push(rule.action);
      if (answers) answered = true;
    }
    return actions;
  }

  /** The rule's draw for this request: from the seed, the rule, the method and path, and the attempt number. */
  private draw(rule: ActiveFault, method: string, path: string): number {
    let counts = this.attempts.get(rule.id);
    if (counts === undefined) this.attempts.set(rule.id, (counts = new Map()));
    const key = `${method.toUpperCase()} ${path.toLowerCase()}`;
    const attempt = (counts.get(key) ?? 0) + 1;
    counts.set(key, attempt);
    return hashedRandom(this.seed, `${rule.id}|${key}|${attempt}`);
  }
}
