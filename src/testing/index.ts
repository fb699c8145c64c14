/**
 * Run a Pulumi program that uses this package offline: in a test suite (jest, mocha) or from the CLI,
 * with the providers' real `check()` and operations, against the ARM emulator. See `OfflineStack`.
 */
export { OfflineStack } from "./stack";
export {
  OFFLINE_SUBSCRIPTION,
  type Failure,
  type OfflineStackOptions,
  type OperationError,
  type Program,
  type RecordedInputs,
  type RunResult,
  type Step,
  type StepOp,
} from "./types";
export type { StateResource, StackState } from "./state";
export type { LogEntry, LogSeverity } from "./engine";
export { ProviderHost, type CheckFailure, type HostDiff, type HostError, type HostOptions, type HostUsage } from "./host";
