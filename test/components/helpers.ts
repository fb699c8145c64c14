/**
 * Runs a program under Pulumi's mocks (no provider host): what each resource was registered with
 * (inputs, parent, dependencies, options), what the components logged, and their outputs, with the
 * dynamic resources answering as their providers would.
 */
import * as pulumi from "@pulumi/pulumi";
import { simulate } from "../../src/testing/azure-native";
import { FakeEngine, type LogEntry } from "../../src/testing/engine";
import { useMocks, type Registration } from "../../src/testing/runtime";

export const SUB = "00000000-0000-0000-0000-00000000aaaa";

export interface Registered extends Registration {
  inputs: Record<string, unknown>;
}

export interface Declared {
  resources: Registered[];
  logs: LogEntry[];
  /** The one resource of this type (and name), failing the test otherwise. */
  one(type: string, name?: string): Registered;
  all(type: string): Registered[];
}

/** Outputs the dynamic resources' providers would add, by type. */
const PROVIDER_OUTPUTS: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "pulumi-nodejs:dynamic/azure-vm-backup:Vault": (i) => ({
    redundancy: i.redundancy ?? "GeoRedundant",
    crossRegionRestore: false,
    softDelete: { state: "Enabled", retentionDays: 14 },
    immutability: "Disabled",
    storageLocked: false,
    subscriptionId: i.subscriptionId ?? SUB,
    onDestroy: i.onDestroy ?? "retain",
  }),
  "pulumi-nodejs:dynamic/azure-vm-backup:BackupPolicy": () => ({
    policyType: "V1",
    timeZone: "UTC",
    schedule: { frequency: "Daily", time: "20:30" },
    protectedItemsCount: 0,
  }),
  "pulumi-nodejs:dynamic/azure-vm-backup:ProtectedVm": () => ({
    protectionState: "IRPending",
    lastBackupStatus: "",
    protectedInstanceGb: 77,
    protectedInstanceUpperBound: true,
    billingUnits: 1,
    billingTier: "standard",
    initialBackupHours: 1.5,
  }),
  "pulumi-nodejs:dynamic/azure-vm-backup:StackV2Registration": (i) => ({
    subscriptionId: i.subscriptionId ?? SUB,
    feature: "Microsoft.RecoveryServices/InstantBackupandRecovery",
    state: "Registered",
  }),
};

function idOf(type: string, inputs: Record<string, unknown>, name: string): string {
  if (type.endsWith(":Vault"))
    return `/subscriptions/${SUB}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.RecoveryServices/vaults/${String(inputs.name)}`;
  if (type.endsWith(":BackupPolicy"))
    return `/subscriptions/${SUB}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.RecoveryServices/vaults/${String(inputs.vaultName)}/backupPolicies/${String(inputs.name)}`;
  return `${name}-id`;
}

let engine: FakeEngine | undefined;

export async function declare(
  program: () => unknown,
  options: { preview?: boolean; config?: Record<string, string> } = {},
): Promise<Declared & { outputs: Record<string, unknown> }> {
  engine ??= await FakeEngine.start();
  engine.take();
  const resources: Registered[] = [];
  const runtime = await useMocks(
    {
      newResource: (args) => {
        const reg = runtime.current()!;
        const inputs = args.inputs as Record<string, unknown>;
        resources.push({ ...reg, inputs });
        if (!args.custom) return { id: undefined, state: {} };
        if (args.type.startsWith("azure-native:")) {
          const s = simulate(args.type, args.name, inputs, { subscriptionId: SUB, defaultLocation: "westeurope", resourceGroupLocation: () => undefined });
          return { id: options.preview ? "" : s.id, state: s.outputs };
        }
        const extra = PROVIDER_OUTPUTS[args.type]?.(inputs) ?? {};
        return { id: options.preview ? "" : idOf(args.type, inputs, args.name), state: { ...inputs, ...extra } };
      },
      call: () => ({}),
    },
    {
      project: "components",
      stack: "test",
      preview: options.preview ?? false,
      config: { "azure-native:subscriptionId": SUB, ...(options.config ?? {}) },
      engineAddress: engine.address,
    },
  );
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => (await program()) as Record<string, unknown>)) ?? {};
  await pulumi.runtime.disconnect();
  const all = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    logs: engine.take(),
    outputs,
    all,
    one(type, name) {
      const found = all(type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one ${type}${name === undefined ? "" : ` named ${name}`}, found ${found.length}: ${resources.map((r) => `${r.type}::${r.name}`).join(", ")}`,
        );
      return found[0]!;
    },
  };
}

export async function stopEngine(): Promise<void> {
  await engine?.stop();
  engine = undefined;
}

export const T = {
  vault: "pulumi-nodejs:dynamic/azure-vm-backup:Vault",
  policy: "pulumi-nodejs:dynamic/azure-vm-backup:BackupPolicy",
  protectedVm: "pulumi-nodejs:dynamic/azure-vm-backup:ProtectedVm",
  stackV2: "pulumi-nodejs:dynamic/azure-vm-backup:StackV2Registration",
  BackupVault: "azure-vm-backup:index:BackupVault",
  BackupPolicy: "azure-vm-backup:index:BackupPolicy",
  ProtectedVm: "azure-vm-backup:index:ProtectedVm",
  StackV2Registration: "azure-vm-backup:index:StackV2Registration",
};
