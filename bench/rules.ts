/**
 * How long `checkPlan` takes on a large plan: 1,000 VMs with 16 data disks each, in one vault, spread
 * over 10 daily policies (100 VMs per schedule, the default limit). Target: under 50 ms per check.
 *
 * It measures the compiled package (dist/), as users run it:
 *
 *   npm run bench:rules            # builds, then: npx tsx bench/rules.ts [iterations]
 */
import { performance } from "node:perf_hooks";
import type { Plan } from "../src";

// The built code, not the TypeScript sources: types from src, implementation from dist.
const { checkPlan } = require("../dist") as typeof import("../src");

const SUB = "3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01";
const VMS = 1000;
const DISKS = 16;
const POLICIES = 10;

function bigPlan(): Plan {
  return {
    vaults: [{ name: "rsv-bench", location: "westeurope", subscriptionId: SUB }],
    policies: Array.from({ length: POLICIES }, (_, i) => ({
      vault: "rsv-bench",
      name: `daily-${i}`,
      timeZone: "W. Europe Standard Time",
      schedule: { frequency: "Daily", time: `${String(18 + Math.floor(i / 2)).padStart(2, "0")}:${i % 2 === 0 ? "00" : "30"}` },
      retention: { daily: { count: 30 }, weekly: { count: 12, weekdays: ["Sunday"] } },
    })),
    vms: Array.from({ length: VMS }, (_, i) => ({
      id: `/subscriptions/${SUB}/resourceGroups/rg-${i % 20}/providers/Microsoft.Compute/virtualMachines/vm-${i}`,
      location: "westeurope",
      osType: "Linux",
      osDisk: { sizeGb: 64, usedGb: 12, storageType: "Premium_LRS" },
      dataDisks: Array.from({ length: DISKS }, (_, lun) => ({ lun, sizeGb: 256, usedGb: 40, storageType: "Premium_LRS" })),
      vault: "rsv-bench",
      policy: `daily-${i % POLICIES}`,
    })),
  };
}

function main(): void {
  const iterations = Number(process.argv[2] ?? 30);
  const plan = bigPlan();
  const first = performance.now();
  const diagnostics = checkPlan(plan);
  const firstMs = performance.now() - first;
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the benchmark plan should be valid: ${JSON.stringify(errors.slice(0, 3))}`);
  for (let i = 0; i < 5; i++) checkPlan(plan); // warm-up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    checkPlan(plan);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p90 = times[Math.floor(times.length * 0.9)]!;
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  console.log(`checkPlan: ${VMS} VMs x ${DISKS} data disks, ${POLICIES} policies, 1 vault (${diagnostics.length} diagnostics)`);
  console.log(`  first call (cold):   ${firstMs.toFixed(1)} ms`);
  console.log(
    `  ${iterations} warm calls: min ${times[0]!.toFixed(1)} ms, median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, mean ${mean.toFixed(1)} ms`,
  );
  console.log(`  process memory after the run: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB resident`);
  console.log(`  target: median under 50 ms -> ${median < 50 ? "met" : "NOT met"}`);
}

main();
