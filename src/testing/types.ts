/**
 * The shapes of an offline stack and its runs, as a caller sees them: the stack's options, a program, and
 * what a preview, up, destroy or refresh reports (its steps, check failures and operation errors).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "../emulator";
import type { LogEntry } from "./engine";
import type { HostUsage } from "./host";

/** The subscription an offline stack deploys to unless its config names one. */
export const OFFLINE_SUBSCRIPTION = "00000000-0000-0000-0000-00000000aaaa";

export interface OfflineStackOptions {
  /** The emulator to deploy to (see `startEmulator` in `pulumi-azure-vm-backup/emulator`). */
  emulator: Emulator;
  /** Default "offline". */
  project?: string;
  /** Default "dev". */
  stack?: string;
  /** Stack config, keyed `namespace:key` (e.g. `azure-vm-backup:limitProfile`); given to the program and to the providers. */
  config?: Record<string, string>;
  /** Keep the stack's state in this JSON file between runs (default: in memory only). */
  statePath?: string;
  /** Where the provider host runs and the emulator's CA is written (default: a temporary directory). */
  workDir?: string;
  /**
   * Keep each resource's inputs in the run's result (`RunResult.inputs`): what a report of the run (`offline --format markdown`)
   * reads the policies' schedules and the VMs' disks from. Off by default: a 1,000-VM run's result stays small.
   */
  recordInputs?: boolean;
  /** Mocks for other providers' resources and calls; return undefined to get the built-in simulation. */
  mocks?: {
    newResource?(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult | undefined;
    call?(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult | Promise<pulumi.runtime.MockCallResult>;
  };
}

/** A Pulumi program: declares resources, and may return the stack's outputs. */
export type Program = () => unknown;

export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** The parent's URN ("" for the stack itself). */
  parent: string;
  /** Its check or its operation failed. */
  failed?: boolean;
}

/** A check failure, as `pulumi preview` prints it: the resource, the property, the reason. */
export interface Failure {
  urn: string;
  type: string;
  name: string;
  property: string;
  reason: string;
}

/** An operation that failed (create, update, delete): what the provider said. */
export interface OperationError {
  urn: string;
  type: string;
  name: string;
  op: StepOp | "check";
  message: string;
}

/** A resource's inputs as a run registered them (`recordInputs`). */
export interface RecordedInputs {
  inputs: Record<string, unknown>;
  /** The URNs of the resources it depends on. */
  dependencies: string[];
}

export interface RunResult {
  /** "refresh" reads every resource back from Azure (`pulumi refresh`); "destroy-preview" is `pulumi destroy --preview-only`. */
  kind: "preview" | "up" | "destroy" | "destroy-preview" | "refresh" | "refresh-preview";
  ok: boolean;
  steps: Step[];
  failures: Failure[];
  errors: OperationError[];
  logs: LogEntry[];
  outputs: Record<string, unknown>;
  /** Steps by operation (components included). */
  summary: Record<StepOp, number>;
  /** The program itself threw. */
  programError?: string;
  durationMs: number;
  /**
   * With `recordInputs`: each registered custom resource's inputs by URN (after its check, for this package's resources) and
   * the resources it depends on.
   */
  inputs?: Record<string, RecordedInputs>;
  /** The run's provider host: its CPU time and peak memory (Linux only). */
  providerHost?: HostUsage;
}
