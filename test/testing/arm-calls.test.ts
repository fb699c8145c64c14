/**
 * ARM calls per protected VM (issue 13's goals, counted, never timed): a preview of new VMs asks per VM only what no
 * list can answer (where Azure Backup protects it: backupStatus); an up makes at most 3 calls per VM plus its
 * operations' polls; a no-change up makes no per-VM call at all. Vault-wide and resource-group-wide lists are made
 * once per vault or group per provider process. A small fleet (24 VMs by id in 3 resource groups) through the real
 * provider host against the emulator, whose request log is counted by kind.
 */
import * as pulumi from "@pulumi/pulumi";
import { countByKind, startEmulator, type Emulator, type LogEntry, type VmFixture } from "../../src/emulator";
import { BackupPolicy, BackupVault, ProtectedVm } from "../../src/index";
import { OfflineStack, type RunResult } from "../../src/testing";

const SUBSCRIPTION = "3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01";
const VMS = 24;
const GROUPS = 3;
/**
 * Calls a run makes for the vault and its two policies, whatever the number of VMs: the vault and its settings, the
 * policies, the protected-item list, the Resource Guard proxies, the Azure Policy query (a preview makes 6 of them).
 */
const VAULT_WIDE = 10;

const vmId = (i: number) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-calls-${i % GROUPS}/providers/Microsoft.Compute/virtualMachines/vm-${i}`;

function fixtures(): VmFixture[] {
  return Array.from({ length: VMS }, (_, i) => ({
    id: vmId(i),
    location: "westeurope",
    osType: "Linux" as const,
    osDisk: { sizeGb: 64, usedGb: 10 },
    dataDisks: [0, 1, 2, 3].map((lun) => ({ lun, sizeGb: 128, usedGb: 20 })),
  }));
}

function program(): Record<string, unknown> {
  const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-calls", subscriptionId: SUBSCRIPTION });
  const policies = [20, 21].map(
    (hour) =>
      new BackupPolicy(`daily-${hour}`, {
        vault,
        policyName: `daily-${hour}00`,
        timeZone: "UTC",
        schedule: { frequency: "Daily", time: `${hour}:00` },
        retention: { daily: { count: 7 } },
      }),
  );
  const vms = Array.from({ length: VMS }, (_, i) => new ProtectedVm(`vm-${i}`, { vm: vmId(i), policy: policies[i % 2]! }));
  return { states: pulumi.all(vms.map((v) => v.protectionState)) };
}

/** A request about one VM or one protected item (its path names it), or backupStatus, which is asked per VM. */
function perVm(e: Pick<LogEntry, "method" | "path">): boolean {
  return /\/virtualMachines\/[^/]+$/i.test(e.path) || /\/protectedItems\/[^/]+$/i.test(e.path) || /\/backupStatus$/i.test(e.path);
}

/** A poll of an operation's status or result. */
function poll(e: Pick<LogEntry, "method" | "path">): boolean {
  return e.method === "GET" && /\/(operationsStatus|operationResults|operationStatus|backupOperations)\//i.test(e.path);
}

describe("ARM calls per protected VM", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  const runs: Record<string, { result: RunResult; requests: LogEntry[] }> = {};

  beforeAll(async () => {
    emulator = await startEmulator({ clock: { speed: 3600 }, vms: fixtures() });
    stack = await OfflineStack.start({ emulator, project: "arm-calls", config: { "azure-vm-backup:pollIntervalMs": "20" } });
    for (const [name, run] of [
      ["preview", () => stack.preview(program)],
      ["up", () => stack.up(program)],
      ["second up", () => stack.up(program)],
    ] as const) {
      const mark = emulator.log.mark();
      const result = await run();
      runs[name] = { result, requests: emulator.log.list(mark) };
    }
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    await emulator?.stop();
  });

  it("runs the fleet without a failure", () => {
    for (const { result } of Object.values(runs))
      expect({ kind: result.kind, ok: result.ok, failures: result.failures, errors: result.errors }).toEqual({
        kind: result.kind,
        ok: true,
        failures: [],
        errors: [],
      });
    expect(emulator.state.vaults[0]!.items.filter((i) => i.protectionState === "Protected" || i.protectionState === "IRPending")).toHaveLength(VMS);
  });

  it("previews new VMs with one call per VM (where Azure Backup protects it) and one VM list per resource group", () => {
    const { requests } = runs.preview!;
    const kinds = Object.fromEntries(countByKind(requests));
    expect(requests.filter(perVm).map((e) => e.path.split("/").pop())).toEqual(Array<string>(VMS).fill("backupStatus"));
    expect(kinds["GET virtualMachines"]).toBe(GROUPS);
    // The rest is per vault and per resource group, whatever the fleet's size (at 1,000 VMs: ~1.01 calls per VM).
    expect(requests.filter((e) => !perVm(e)).length).toBeLessThanOrEqual(GROUPS + VAULT_WIDE);
  });

  it("ups with at most 3 calls per VM besides the polls of its operations", () => {
    const { requests } = runs.up!;
    const kinds = Object.fromEntries(countByKind(requests));
    expect(kinds["GET virtualMachines"]).toBe(GROUPS);
    expect(requests.filter((e) => /\/virtualMachines\/[^/]+$/i.test(e.path))).toEqual([]);
    expect(requests.filter((e) => e.method === "PUT" && /\/protectedItems\//i.test(e.path))).toHaveLength(VMS);
    expect(requests.filter(perVm).length).toBeLessThanOrEqual(3 * VMS);
    // Everything else is the vault's and its policies' own calls and the vault-wide lists: a constant, not per VM.
    expect(requests.filter((e) => !perVm(e) && !poll(e)).length).toBeLessThanOrEqual(GROUPS + 3 * VAULT_WIDE);
  });

  it("ups with no change without a single per-VM call", () => {
    const { requests, result } = runs["second up"]!;
    expect(result.summary.create + result.summary.update).toBe(0);
    expect(requests.filter(perVm)).toEqual([]);
    // The vault's and policies' diffs read them back: still per vault, not per VM.
    expect(requests.length).toBeLessThanOrEqual(GROUPS + 2 * VAULT_WIDE);
  });
});
