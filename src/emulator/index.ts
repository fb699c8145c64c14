/**
 * The offline Azure Resource Manager: `startEmulator()` serves the Recovery Services, Features, Resources
 * and Compute APIs this package uses over HTTPS, for tests, the demo, and users trying the package without
 * a subscription (like Azurite for Azure Storage).
 */
export { startEmulator, type Emulator, type EmulatorOptions } from "./server";
export { Clock, DAY, HOUR, MINUTE, type ClockOptions } from "./clock";
export type { FaultAction, FaultRule } from "./faults";
export { countByKind, requestKind, type LogEntry } from "./log";
export type { ModelOptions } from "./model";
export { GuardrailRejected, parseGuardrails, type GuardrailAssignment, type GuardrailEffect } from "./model/guardrails";
export type { EmulatorState, FixtureDisk, VmFixture } from "./state";
export { parseVmFixtures, VM_FIXTURE_SCHEMA_PATH, vmFixtureProblems, vmFixtureSchema, vmFixtureSchemaPathForHelp } from "./vm-schema";
export { loadVms } from "./persistence";
