/**
 * The emulator's start-up time and requests per second on this machine.
 *
 *   npm run bench:emulator        # or: npx tsx bench/emulator.ts [requests]
 *
 * Start-up: startEmulator() to listening, certificates included. Throughput: GET of a vault through the
 * real RecoveryServicesClient, one at a time and 16 at a time. Fleet: a vault protecting 1,000 VMs (npm run
 * bench:emulator -- 3000 1000): discovery, the protectable-items list, a protect of every VM (PUT + status polls,
 * 16 at a time), GET of every VM through the compute client, and the vault-wide lists; the time per request in
 * each phase shows whether the emulator's lookups grow with the fleet (O(n) per request) or not.
 */
import { Agent, request } from "node:https";
import { performance } from "node:perf_hooks";
import { ComputeManagementClient } from "@azure/arm-compute";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { RecoveryServicesBackupClient } from "@azure/arm-recoveryservicesbackup";
import { startEmulator, type VmFixture } from "../src/emulator";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 3000);
  const fleetSize = Number(process.argv[3] ?? 1000);
  const startups: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const e = await startEmulator({ clock: { speed: 0 } });
    startups.push(performance.now() - t);
    await e.stop();
  }
  // Frozen, moved 15 emulated seconds by each request: the vault create (a long-running operation) finishes after a few polls.
  const emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, logLimit: 1000 });
  const client = new RecoveryServicesClient(credential, SUB, { endpoint: emulator.endpoint, tlsOptions: { ca: emulator.ca } });
  await client.vaults.beginCreateOrUpdateAndWait("rg", "rsv-bench", { location: "westeurope", sku: { name: "Standard" } }, { updateIntervalInMs: 1 });

  for (let i = 0; i < 200; i++) await client.vaults.get("rg", "rsv-bench"); // warm-up
  let t = performance.now();
  for (let i = 0; i < requests; i++) await client.vaults.get("rg", "rsv-bench");
  const sequential = requests / ((performance.now() - t) / 1000);

  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < requests) await client.vaults.get("rg", "rsv-bench");
    }),
  );
  const concurrent = requests / ((performance.now() - t) / 1000);
  const memory = process.memoryUsage().rss / 1e6;
  await emulator.stop();

  startups.sort((a, b) => a - b);
  console.log(
    `emulator start-up (certificates, server listening): ${startups[0]!.toFixed(0)}-${startups[startups.length - 1]!.toFixed(0)} ms (min-max) over 5 starts, median ${startups[2]!.toFixed(0)} ms`,
  );
  console.log(`GET vault through RecoveryServicesClient, ${requests} requests:`);
  console.log(`  one at a time: ${sequential.toFixed(0)} requests/s`);
  console.log(`  16 at a time:  ${concurrent.toFixed(0)} requests/s`);
  console.log(`process memory (client and emulator in one process): ${memory.toFixed(0)} MB resident`);
  await fleet(fleetSize);
}

/** Runs `work` over `count` indexes, `width` at a time. */
async function pool(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function fleet(size: number): Promise<void> {
  const vms: VmFixture[] = Array.from({ length: size }, (_, i) => ({
    id: `/subscriptions/${SUB}/resourceGroups/rg-fleet/providers/Microsoft.Compute/virtualMachines/vm${i}`,
    location: "westeurope",
    osType: "Linux",
    osDisk: { sizeGb: 64, usedGb: 10 },
    dataDisks: [0, 1, 2, 3].map((lun) => ({ lun, sizeGb: 128, usedGb: 20 })),
  }));
  // Each request moves the frozen clock 15 emulated seconds, so operations finish after a few polls.
  const emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, vms, logLimit: 1000 });
  const options = { endpoint: emulator.endpoint, tlsOptions: { ca: emulator.ca } };
  const vaults = new RecoveryServicesClient(credential, SUB, options);
  const backup = new RecoveryServicesBackupClient(credential, SUB, options);
  const compute = new ComputeManagementClient(credential, SUB, options);
  await vaults.vaults.beginCreateOrUpdateAndWait("rg", "rsv-fleet", { location: "westeurope", sku: { name: "Standard" } }, { updateIntervalInMs: 1 });
  const policyId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-fleet/backupPolicies/DefaultPolicy`;
  const phases: string[] = [];
  const phase = async (name: string, work: () => Promise<number>) => {
    const t = performance.now();
    const calls = await work();
    const ms = performance.now() - t;
    phases.push(`  ${name}: ${ms.toFixed(0)} ms, ${calls} requests, ${(ms / calls).toFixed(2)} ms per request`);
  };

  await phase("discovery (refreshContainers) + protectable items list", async () => {
    await backup.protectionContainers.refresh("rsv-fleet", "rg", "Azure");
    emulator.clock.advance(2 * 60_000); // discovery takes 2 emulated minutes (src/emulator/durations.ts)
    let n = 0;
    for await (const item of backup.backupProtectableItems.list("rsv-fleet", "rg")) if (item.name !== undefined) n++;
    if (n !== size) throw new Error(`expected ${size} protectable items, got ${n}`);
    return 2;
  });
  let calls = 0;
  await phase(`protect all ${size} VMs (PUT + status polls, 16 at a time)`, async () => {
    await pool(size, 16, async (i) => {
      const container = `iaasvmcontainer;iaasvmcontainerv2;rg-fleet;vm${i}`;
      const item = `vm;iaasvmcontainerv2;rg-fleet;vm${i}`;
      let location: string | undefined;
      await backup.protectedItems.createOrUpdate(
        "rsv-fleet",
        "rg",
        "Azure",
        container,
        item,
        { properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: vms[i]!.id, policyId } } as never,
        { onResponse: (r) => (location = r.headers.get("azure-asyncoperation")) },
      );
      calls++;
      const id = new URL(location!).pathname.split("/").pop()!;
      for (let polls = 0; polls < 50; polls++) {
        calls++;
        const status = await backup.protectedItemOperationStatuses.get("rsv-fleet", "rg", "Azure", container, item, id);
        if (status.status !== "InProgress") break;
      }
    });
    return calls;
  });
  await phase(`GET of every VM (compute client, 16 at a time)`, async () => {
    await pool(size, 16, async (i) => {
      await compute.virtualMachines.get("rg-fleet", `vm${i}`);
    });
    return size;
  });
  // The same through plain HTTPS (JSON.parse only), so that the SDKs' deserialization does not hide the emulator's own cost.
  const agent = new Agent({ ca: emulator.ca, keepAlive: true, maxSockets: 16 });
  const get = (path: string, apiVersion: string) =>
    new Promise<void>((resolve, reject) => {
      const url = new URL(`${emulator.endpoint}${path}?api-version=${apiVersion}`);
      const req = request(url, { agent, headers: { authorization: "Bearer bench" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as void) : reject(new Error(`${path}: ${res.statusCode}`)),
        );
      });
      req.on("error", reject);
      req.end();
    });
  const vaultPath = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-fleet`;
  await phase(`GET of every VM (plain HTTPS, 16 at a time)`, async () => {
    await pool(size, 16, (i) => get(`/subscriptions/${SUB}/resourceGroups/rg-fleet/providers/Microsoft.Compute/virtualMachines/vm${i}`, "2026-03-01"));
    return size;
  });
  await phase(`GET of every protected item (plain HTTPS, 16 at a time)`, async () => {
    await pool(size, 16, (i) =>
      get(
        `${vaultPath}/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;rg-fleet;vm${i}/protectedItems/vm;iaasvmcontainerv2;rg-fleet;vm${i}`,
        "2023-06-01",
      ),
    );
    return size;
  });
  await phase("protected items, protectable items, jobs: the vault-wide lists, 20 times each (plain HTTPS)", async () => {
    for (let i = 0; i < 20; i++) {
      await get(`${vaultPath}/backupProtectedItems`, "2023-06-01");
      await get(`${vaultPath}/backupProtectableItems`, "2023-06-01");
      await get(`${vaultPath}/backupJobs`, "2023-06-01");
    }
    return 60;
  });
  agent.destroy();
  await emulator.stop();
  console.log(`fleet of ${size} VMs (4 data disks each), one vault:`);
  for (const line of phases) console.log(line);
}

void main();
