/**
 * Bytes the emulator writes to disk while N VMs are added and protected, against the final state's size
 * (issue 13: the writes of an `up` must stay within a small multiple of the final state, not grow as n²).
 *
 *   npm run bench:persistence     # or: npx tsx bench/persistence.ts [N=1000]
 *
 * What it does, as the offline runner and the providers do: adds the VMs one by one (`addVms`, as
 * src/testing/run.ts does per azure-native VM), creates a vault and 10 policies, refreshes the containers,
 * then protects each VM through the real RecoveryServicesBackupClient and polls its operation to the end.
 * Bytes are counted by stat-ing the state file and its journal after every HTTP response and every addVms:
 * a new inode (a file written whole and renamed) counts its whole size, a grown journal counts its growth.
 * That measures any persistence scheme the same way, so figures before and after a change compare.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { startEmulator, type VmFixture } from "../src/emulator";
import { StateWrites } from "./state-writes";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const RG = "rg-backup";
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), "avb-bench-persist-"));
  const statePath = join(dir, "state.json");
  const files = [statePath, `${statePath}.journal`];
  const writes = new StateWrites(files);
  const account = () => writes.account();
  const counting = writes.policy;

  const started = performance.now();
  const emulator = await startEmulator({ statePath, clock: { speed: 0, stepMs: 30_000 }, logLimit: 1000 });
  const common = {
    endpoint: emulator.endpoint,
    tlsOptions: { ca: emulator.ca },
    additionalPolicies: [{ policy: counting, position: "perCall" as const }],
  };
  const vaults = new RecoveryServicesClient(credential, SUB, common);
  const backup = new RecoveryServicesBackupClient(credential, SUB, common);

  for (let i = 0; i < n; i++) {
    const vm: VmFixture = {
      id: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm${i}`,
      location: "westeurope",
      osType: "Linux",
      osDisk: { sizeGb: 64, usedGb: 10 },
      dataDisks: [0, 1, 2, 3].map((lun) => ({ lun, sizeGb: 128, usedGb: 30 })),
    };
    emulator.addVms([vm]);
    account();
  }
  await vaults.vaults.beginCreateOrUpdateAndWait(RG, "rsv1", { location: "westeurope", sku: { name: "Standard" } }, { updateIntervalInMs: 1 });
  for (let p = 0; p < 10; p++) {
    await backup.protectionPolicies.createOrUpdate("rsv1", RG, `daily${p}`, {
      properties: {
        backupManagementType: "AzureIaasVM",
        schedulePolicy: {
          schedulePolicyType: "SimpleSchedulePolicy",
          scheduleRunFrequency: "Daily",
          scheduleRunTimes: [new Date(Date.UTC(2024, 0, 1, 18 + (p % 6)))],
        },
        retentionPolicy: {
          retentionPolicyType: "LongTermRetentionPolicy",
          dailySchedule: { retentionTimes: [new Date(Date.UTC(2024, 0, 1, 18 + (p % 6)))], retentionDuration: { count: 30, durationType: "Days" } },
        },
        timeZone: "UTC",
      },
    } as never);
  }
  await backup.protectionContainers.refresh("rsv1", RG, "Azure");
  emulator.clock.advance(60_000);
  for (let i = 0; i < n; i++) {
    const vm = `vm${i}`;
    await backup.protectedItems.createOrUpdate("rsv1", RG, "Azure", `iaasvmcontainer;iaasvmcontainerv2;rg-app;${vm}`, `vm;iaasvmcontainerv2;rg-app;${vm}`, {
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${vm}`,
        policyId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.RecoveryServices/vaults/rsv1/backupPolicies/daily${i % 10}`,
      },
    } as never);
    emulator.clock.advance(60_000);
    // One read of the item after its operation completed (what a provider's create ends with).
    await backup.protectedItems.get("rsv1", RG, "Azure", `iaasvmcontainer;iaasvmcontainerv2;rg-app;${vm}`, `vm;iaasvmcontainerv2;rg-app;${vm}`);
  }
  const beforeStop = writes.written;
  await emulator.stop();
  account();
  const elapsed = (performance.now() - started) / 1000;
  const finalSize = statSync(statePath).size;
  const items = emulator.state.vaults[0]?.items.length ?? 0;
  console.log(`persistence: ${n} VMs added one by one, ${items} protected through the SDK (${elapsed.toFixed(1)} s)`);
  console.log(`  final state file:      ${(finalSize / 1e6).toFixed(2)} MB`);
  console.log(
    `  bytes written (state + journal): ${(writes.written / 1e6).toFixed(1)} MB (${(beforeStop / 1e6).toFixed(1)} MB before stop) = ${(writes.written / finalSize).toFixed(2)}x the final state`,
  );
  console.log(`  process memory: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB resident`);
  rmSync(dir, { recursive: true, force: true });
}

void main();
