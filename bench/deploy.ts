/**
 * Deploys examples/fleet (150 VMs, three policies, one vault) offline against the emulator with 50 ms of
 * latency injected into every ARM request, and prints: wall time (preview, up, a second up), ARM calls
 * per protected VM, and the `__provider` bytes each resource carries in its state.
 *
 *   npm run bench:deploy          # or: node --conditions=azure-vm-backup-source --import tsx bench/deploy.ts [latencyMs]
 */
import { performance } from "node:perf_hooks";
import { countByKind, startEmulator } from "../src/emulator";
import { OfflineStack, type RunResult } from "../src/testing";
import fleet = require("../examples/fleet/index");

const PROTECTED_VM = "pulumi-nodejs:dynamic/azure-vm-backup:ProtectedVm";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 50);
  const emulator = await startEmulator({ clock: { speed: 1 }, logLimit: 1_000_000 });
  emulator.faults.add({ action: { kind: "latency", ms: latencyMs } });
  const stack = await OfflineStack.start({ emulator, project: "backup-fleet" });
  const timed = async (run: () => Promise<RunResult>): Promise<{ result: RunResult; ms: number; calls: number }> => {
    const before = emulator.log.list().length;
    const t = performance.now();
    const result = await run();
    const ms = performance.now() - t;
    if (!result.ok) throw new Error(`the run failed: ${JSON.stringify([...result.failures, ...result.errors].slice(0, 3))}`);
    return { result, ms, calls: emulator.log.list().length - before };
  };
  try {
    const preview = await timed(() => stack.preview(fleet));
    const upStart = emulator.log.list().length;
    const up = await timed(() => stack.up(fleet));
    const again = await timed(() => stack.up(fleet));

    // ARM calls of the up, by kind of request, per protected VM.
    const requests = emulator.log.list().slice(upStart, upStart + up.calls);
    const vms = up.result.steps.filter((s) => s.type === PROTECTED_VM).length;
    const byKind = countByKind(requests).map(([kind, n]) => `${(n / vms).toFixed(2).padStart(6)}  ${kind} (${n})`);
    const dynamic = stack.resources().filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    const providerBytes = new Map<string, number[]>();
    for (const r of dynamic) {
      const kind = r.type.split(":").pop()!;
      providerBytes.set(kind, [...(providerBytes.get(kind) ?? []), String(r.inputs.__provider ?? "").length]);
    }
    const stateBytes = JSON.stringify(stack.resources()).length;

    const lines = [
      `examples/fleet offline, ${latencyMs} ms latency on every ARM request (${vms} protected VMs, ${stack.resources().length} resources)`,
      "",
      `wall time     preview ${seconds(preview.ms)}   up ${seconds(up.ms)}   second up (no changes) ${seconds(again.ms)}`,
      `ARM calls     up: ${up.calls} in all = ${(up.calls / vms).toFixed(1)} per protected VM; preview: ${preview.calls}; second up: ${again.calls} (${(again.calls / vms).toFixed(1)} per VM)`,
      `              per protected VM in the up, by request:`,
      ...byKind.map((line) => `              ${line}`),
      `__provider    ${[...providerBytes].map(([kind, sizes]) => `${kind} ${Math.max(...sizes)} B`).join(", ")} per resource (${dynamic.length} dynamic resources)`,
      `state         ${(stateBytes / 1024).toFixed(0)} KB for ${stack.resources().length} resources (${Math.round(stateBytes / stack.resources().length)} B per resource)`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await stack.stop();
    await emulator.stop();
  }
}

void main();
