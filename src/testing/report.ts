/**
 * What a run reports: its steps (one per resource, as `pulumi preview` lists them), the check failures and
 * operation errors, its own notes, and the `RunResult` made of them with the engine's log.
 */
import type { LogEntry } from "./engine";
import type { Failure, OperationError, RunResult, Step, StepOp } from "./types";
import type { Props } from "./wire";

/** What a step names of its resource. */
type StepSubject = { urn: string; type: string; name: string; custom: boolean; parent: string };

export class RunReport {
  readonly steps: Step[] = [];
  readonly failures: Failure[] = [];
  readonly errors: OperationError[] = [];
  /** What the run itself has to say (pending operations found), shown with the engine's log. */
  readonly notes: LogEntry[] = [];
  /** The program itself threw. */
  programError: string | undefined;

  step(op: StepOp, r: StepSubject): void {
    this.steps.push({ op, urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent });
  }

  /** The step of a resource whose check or operation failed. */
  markFailed(r: StepSubject, op: StepOp): void {
    const step = this.steps.find((s) => s.urn === r.urn);
    if (step !== undefined) step.failed = true;
    else this.steps.push({ op, urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent, failed: true });
  }

  /** A check failed or an operation failed. */
  get failed(): boolean {
    return this.errors.length > 0 || this.failures.length > 0;
  }

  result(kind: RunResult["kind"], outputs: Props, started: number, engineLogs: LogEntry[]): RunResult {
    const logs = [...this.notes, ...engineLogs];
    const summary: Record<StepOp, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0, read: 0 };
    for (const s of this.steps) summary[s.op]++;
    const ok = this.failures.length === 0 && this.errors.length === 0 && this.programError === undefined && !logs.some((l) => l.severity === "error");
    return {
      kind,
      ok,
      steps: this.steps,
      failures: this.failures,
      errors: this.errors,
      logs,
      outputs,
      summary,
      ...(this.programError === undefined ? {} : { programError: this.programError }),
      durationMs: Date.now() - started,
    };
  }
}
