/** The request log: what the emulator was asked and what it answered, for tests and benchmarks. */
export interface LogEntry {
  seq: number;
  /** Real time of the request. */
  at: string;
  method: string;
  /** Decoded path, without the query. */
  path: string;
  query: string;
  status: number;
  /** The request's body as sent (writes only, first 4 KB): lets a test check what a client asked, e.g. that nothing disables soft delete. */
  body?: string;
  /** The fault that answered or delayed the request, if any. */
  fault?: string;
  durationMs: number;
}

export class RequestLog {
  private readonly entries: LogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 100_000) {}

  add(entry: Omit<LogEntry, "seq">): LogEntry {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  /** Entries in order, optionally only those after sequence number `since`. */
  list(since = 0): LogEntry[] {
    return this.entries.filter((e) => e.seq > since);
  }

  /** The last sequence number handed out (a bookmark for `list(since)`). */
  mark(): number {
    return this.seq;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Segments that name a resource: the name that follows is shown as `{name}` in a request's kind. */
const NAMED =
  /\b(vaults|backupPolicies|backupFabrics|protectionContainers|protectedItems|operationsStatus|operationResults|operationStatus|backupOperations|backupJobs|locations|virtualMachines|resourceGroups|privateEndpoints|resourceGuards|features|subscriptions)\/[^/]+/gi;

/**
 * What kind of request an entry is, with names and ids left out, e.g. `GET vaults/{name}/backupFabrics/{name}/protectionContainers/{name}/protectedItems/{name}`
 * (one item) or `GET vaults/{name}/backupProtectedItems` (a list): how benchmarks and tests count calls per VM by kind.
 */
export function requestKind(entry: Pick<LogEntry, "method" | "path">): string {
  const path = entry.path.replace(/^.*\/providers\/Microsoft\.[A-Za-z]+\//, "").replace(NAMED, "$1/{name}");
  return `${entry.method} ${path}`;
}

/** Requests counted by kind, most frequent first. */
export function countByKind(entries: readonly Pick<LogEntry, "method" | "path">[]): Array<[kind: string, count: number]> {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const kind = requestKind(e);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
