/**
 * Test harness for the emulator: starts it with a frozen clock and gives the real SDK clients, configured
 * as DESIGN §1 says (endpoint, trusted CA, a bearer token), plus small helpers to follow operations.
 */
import { FeatureClient } from "@azure/arm-features";
import { ComputeManagementClient } from "@azure/arm-compute";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { ServiceClient } from "@azure/core-client";
import type { TokenCredential } from "@azure/core-auth";
import { startEmulator, type Emulator, type EmulatorOptions, type VmFixture } from "../../src/emulator";

export const SUB = "00000000-0000-0000-0000-00000000aaaa";
export const OTHER_SUB = "00000000-0000-0000-0000-00000000bbbb";
export const VAULT_RG = "rg-backup";

/** A bearer token for the emulator (it checks that one is sent, not what it says). */
export const credential: TokenCredential = {
  getToken: async () => ({ token: "emulator-test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** What an SDK call threw: ARM's code and status. */
export async function armError(call: Promise<unknown>): Promise<{ code?: string; statusCode?: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: string; statusCode?: number; message: string };
    return { code: e.code, statusCode: e.statusCode, message: e.message };
  }
  throw new Error("expected the call to fail");
}

export function vmId(name: string, rg = "rg-app", sub = SUB): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

export function vmFixture(name: string, extra: Partial<VmFixture> = {}): VmFixture {
  return {
    id: vmId(name),
    location: "westeurope",
    osType: "Linux",
    image: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
    osDisk: { sizeGb: 64, usedGb: 10, storageType: "Premium_LRS" },
    dataDisks: [{ lun: 0, sizeGb: 128, usedGb: 30, storageType: "Premium_LRS" }],
    ...extra,
  };
}

export interface TestWorld {
  emulator: Emulator;
  vaults: RecoveryServicesClient;
  backup: RecoveryServicesBackupClient;
  features: FeatureClient;
  compute: ComputeManagementClient;
  /** The SDKs' own pipeline, for the provider API that has no client package. */
  raw: ServiceClient;
  stop(): Promise<void>;
}

export async function world(options: EmulatorOptions = {}, clientOptions: { retryDelayInMs?: number; maxRetries?: number } = {}): Promise<TestWorld> {
  // A test clock: frozen, moved 15 emulated seconds by each request, so operations finish on their own timelines.
  const emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, vms: [vmFixture("vm1"), vmFixture("vm2")], ...options });
  const common = {
    endpoint: emulator.endpoint,
    tlsOptions: { ca: emulator.ca },
    retryOptions: {
      retryDelayInMs: clientOptions.retryDelayInMs ?? 20,
      maxRetryDelayInMs: 200,
      ...(clientOptions.maxRetries === undefined ? {} : { maxRetries: clientOptions.maxRetries }),
    },
  };
  const clients = {
    vaults: new RecoveryServicesClient(credential, SUB, common),
    backup: new RecoveryServicesBackupClient(credential, SUB, common),
    features: new FeatureClient(credential, SUB, common),
    compute: new ComputeManagementClient(credential, SUB, common),
    raw: new ServiceClient({ ...common, credential, credentialScopes: [`${emulator.endpoint}/.default`] }),
  };
  return { emulator, ...clients, stop: () => emulator.stop() };
}

/** The operation id in an Azure-AsyncOperation or Location header: the URL's last path segment. */
export function operationId(url: string | undefined): string {
  if (url === undefined) throw new Error("no operation URL in the response");
  return new URL(url).pathname.split("/").pop()!;
}

/** Captures the raw headers and status of an SDK call (reference/ARM-API.md §3.5: onResponse). */
export function capture(): {
  onResponse: (r: { status: number; headers: { toJSON(): Record<string, string> } }) => void;
  status?: number;
  headers: Record<string, string>;
} {
  const box: { status?: number; headers: Record<string, string>; onResponse: (r: { status: number; headers: { toJSON(): Record<string, string> } }) => void } =
    {
      headers: {},
      onResponse: (r) => {
        box.status = r.status;
        box.headers = r.headers.toJSON();
      },
    };
  return box;
}

/**
 * Polls an operation status until it is no longer InProgress (at most `limit` reads). Time passes by the test
 * clock's step with each read; `between` moves it where a test has stopped the steps.
 */
export async function settle(read: () => Promise<{ status?: string }>, limit = 10, between?: () => void): Promise<{ status?: string; reads: number }> {
  for (let reads = 1; reads <= limit; reads++) {
    const result = await read();
    if (result.status !== "InProgress") return { ...result, reads };
    between?.();
  }
  throw new Error(`operation still InProgress after ${limit} reads`);
}

export const CONTAINER = (vm: string, rg = "rg-app") => `iaasvmcontainer;iaasvmcontainerv2;${rg};${vm}`;
export const ITEM = (vm: string, rg = "rg-app") => `vm;iaasvmcontainerv2;${rg};${vm}`;

/** A valid daily V1 policy body, as the SDK takes it. */
export function dailyPolicyBody(time = "2024-01-01T20:30:00Z", count = 30): never {
  return {
    properties: {
      backupManagementType: "AzureIaasVM",
      timeZone: "UTC",
      schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: [new Date(time)] },
      retentionPolicy: {
        retentionPolicyType: "LongTermRetentionPolicy",
        dailySchedule: { retentionTimes: [new Date(time)], retentionDuration: { count, durationType: "Days" } },
      },
    },
  } as never;
}

export async function createVault(w: TestWorld, name = "rsv1", extra: Record<string, unknown> = {}): Promise<void> {
  await w.vaults.vaults.beginCreateOrUpdateAndWait(VAULT_RG, name, { location: "westeurope", sku: { name: "Standard" }, properties: {}, ...extra } as never, {
    updateIntervalInMs: 1,
  });
}

/** Protects `vm` in `vault` with `policy` and follows the operation to its end; returns the operation status. */
export async function protect(w: TestWorld, vault: string, vm: string, policy: string, extraProperties: Record<string, unknown> = {}) {
  const c = capture();
  await w.backup.protectedItems.createOrUpdate(
    vault,
    VAULT_RG,
    "Azure",
    CONTAINER(vm),
    ITEM(vm),
    {
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: vmId(vm),
        policyId: `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${vault}/backupPolicies/${policy}`,
        ...extraProperties,
      },
    } as never,
    { onResponse: c.onResponse },
  );
  const id = operationId(c.headers["azure-asyncoperation"]);
  const between = () => {
    if (w.emulator.clock.stepMs === 0) w.emulator.clock.advance(15_000);
  };
  return settle(() => w.backup.protectedItemOperationStatuses.get(vault, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), id), 10, between);
}
