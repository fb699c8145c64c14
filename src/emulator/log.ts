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
