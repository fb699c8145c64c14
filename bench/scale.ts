/**
 * Fleet scale: 1,000 existing VMs (by id, 4 data disks each) protected in 2 vaults with 10 policies at staggered start
 * times, deployed offline against the emulator with 50 ms of latency on every ARM request, as `azure-vm-backup offline`
 * deploys a program (the emulator and the stack keep their state in files). Prints, for a preview, an up and a second up
 * (no changes): wall time; the provider host's CPU time per resource (this package's own code, through Pulumi's real
 * dynamic-provider host); ARM calls per VM by kind of request; bytes written to disk against the final state's size; peak
 * memory. In the same run, a baseline: the same resources (same tree, same inputs) registered through the same Pulumi
 * runtime with no provider work, so the package's own cost shows as a ratio. Figures are printed, never asserted.
 *
 * It runs the built package (dist/), as users do; `npm run bench:scale` builds it first.
 *
 *   npm run bench:scale                       # 1,000 VMs, 50 ms latency
 *   npm run bench:scale -- --vms 200 --latency 20 [--speed 600] [--keep-dir]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import type * as EmulatorModule from "../src/emulator";
import type { Emulator, VmFixture } from "../src/emulator";
import type * as Components from "../src/index";
import type * as Testing from "../src/testing";
import type { RunResult, StateResource } from "../src/testing";
// The module object itself (not an import namespace of getters), so that its writes can be counted.
import fs = require("node:fs");

// The built package (npm run build), as users run it: the provider host then loads JavaScript, not TypeScript through tsx.
const { countByKind, startEmulator } = require("../dist/emulator") as typeof EmulatorModule;
const { BackupPolicy, BackupVault, ProtectedVm } = require("../dist/index") as typeof Components;
const { OfflineStack, ProviderHost } = require("../dist/testing") as typeof Testing;
type OfflineStack = Testing.OfflineStack;

const SUBSCRIPTION = "3f2b8a61-7c4e-4d2a-9b1e-5a6c7d8e9f01";
const DYNAMIC = "pulumi-nodejs:dynamic/";
const PROTECTED_VM = `${DYNAMIC}azure-vm-backup:ProtectedVm`;

const { values: args } = parseArgs({
  options: {
    vms: { type: "string", default: "1000" },
    latency: { type: "string", default: "50" },
    speed: { type: "string", default: "600" },
    "keep-dir": { type: "boolean", default: false },
    "operation-limit": { type: "string", default: "3" },
  },
});
const VMS = Number(args.vms);
const LATENCY_MS = Number(args.latency);
const SPEED = Number(args.speed);
/**
 * The emulator refuses (429, Retry-After) a protection request on a vault that already runs this many protection
 * operations (fault `operation-limit`; 0: no limit). Below the package's own bound per vault (5 by default), so the up
 * shows throttled requests retried and no failure.
 */
const OPERATION_LIMIT = Number(args["operation-limit"]);
const GROUPS = 10;
const POLL_MS = 200;
/** The package's default bound on protection operations per vault (src/azure/concurrency.ts). */
const BOUND = 5;
const POLICIES = 10;
const VAULTS = 2;

function vmId(i: number): string {
  return `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-fleet-${String(i % GROUPS).padStart(2, "0")}/providers/Microsoft.Compute/virtualMachines/vm-${String(i).padStart(4, "0")}`;
}

function fixtures(): VmFixture[] {
  return Array.from({ length: VMS }, (_, i) => ({
    id: vmId(i),
    location: "westeurope",
    vmSize: "Standard_D4s_v5",
    osType: "Linux" as const,
    image: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
    osDisk: { sizeGb: 64, usedGb: 12, storageType: "Premium_LRS" },
    dataDisks: [0, 1, 2, 3].map((lun) => ({ lun, sizeGb: 256, usedGb: 40, storageType: "Premium_LRS" })),
  }));
}

/** The fleet: 2 vaults, 5 policies each, at start times an hour apart; VM i on policy i mod 10 (100 VMs per start time at 1,000 VMs). */
function fleet(count = VMS): Record<string, unknown> {
  const vaults = Array.from(
    { length: VAULTS },
    (_, v) =>
      new BackupVault(`vault-${v}`, { resourceGroupName: "rg-backup", location: "westeurope", vaultName: `rsv-fleet-${v}`, subscriptionId: SUBSCRIPTION }),
  );
  const policies = Array.from({ length: POLICIES }, (_, p) => {
    const vault = vaults[p % VAULTS]!;
    const hour = 18 + Math.floor(p / VAULTS);
    return new BackupPolicy(`policy-${p}`, {
      vault,
      policyName: `daily-${hour}00`,
      timeZone: "W. Europe Standard Time",
      schedule: { frequency: "Daily", time: `${hour}:00` },
      retention: { daily: { count: 30 } },
    });
  });
  const protectedVms = Array.from(
    { length: count },
    (_, i) => new ProtectedVm(`vm-${String(i).padStart(4, "0")}`, { vm: vmId(i), policy: policies[i % POLICIES]! }),
  );
  return { protected: pulumi.all(protectedVms.map((p) => p.protectionState)).apply((states) => states.filter((s) => s === "Protected").length) };
}

class Plain extends pulumi.CustomResource {
  constructor(name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super("bench:index:Plain", name, inputs, opts);
  }
}

/** The baseline: the same resources (tree and inputs) as plain resources, which no provider serves. */
function baseline(resources: readonly StateResource[]): () => Record<string, unknown> {
  return () => {
    const made = new Map<string, pulumi.Resource>();
    for (const r of resources) {
      const parent = made.get(r.parent);
      const opts = parent === undefined ? {} : { parent };
      const { __provider: _provider, ...inputs } = r.inputs;
      made.set(r.urn, r.custom ? new Plain(r.name, inputs, opts) : new pulumi.ComponentResource("bench:index:Component", r.name, {}, opts));
    }
    return {};
  };
}

/** Bytes written through node:fs under `dir` (the emulator's and the stack's state files and journals). */
function countWrites(dir: string): { bytes: () => number } {
  let bytes = 0;
  const mutable = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  const under = (path: unknown) => typeof path === "string" && resolve(path).startsWith(dir);
  const size = (data: unknown) => (typeof data === "string" ? Buffer.byteLength(data) : ArrayBuffer.isView(data) ? data.byteLength : 0);
  const fds = new Set<number>();
  for (const name of ["writeFileSync", "appendFileSync"]) {
    const original = mutable[name]!;
    mutable[name] = (path: unknown, data: unknown, ...rest: unknown[]) => {
      if (under(path) || (typeof path === "number" && fds.has(path))) bytes += size(data);
      return original(path, data, ...rest);
    };
  }
  const open = mutable.openSync!;
  mutable.openSync = (path: unknown, ...rest: unknown[]) => {
    const fd = open(path, ...rest) as number;
    if (under(path)) fds.add(fd);
    return fd;
  };
  const write = mutable.writeSync!;
  mutable.writeSync = (fd: unknown, data: unknown, ...rest: unknown[]) => {
    if (typeof fd === "number" && fds.has(fd)) bytes += size(data);
    return write(fd, data, ...rest);
  };
  return { bytes: () => bytes };
}

interface Phase {
  name: string;
  /** The emulator log's mark before the phase. */
  since: number;
  ms: number;
  calls: number;
  written: number;
  result: RunResult;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function deploy(
  label: string,
  emulator: Emulator,
  dir: string,
  program: () => Record<string, unknown>,
  writes: { bytes: () => number },
  config: Record<string, string>,
): Promise<{ phases: Phase[]; stack: OfflineStack }> {
  const stack = await OfflineStack.start({ emulator, project: `scale-${label}`, statePath: join(dir, "stack-state.json"), workDir: join(dir, "work"), config });
  const phases: Phase[] = [];
  const timed = async (name: string, run: () => Promise<RunResult>) => {
    const mark = emulator.log.mark();
    const written = writes.bytes();
    const t = performance.now();
    // With BENCH_MARKS set, phase boundaries on stderr in the clock of `--cpu-prof` profiles (µs), to slice a profile by phase.
    if (process.env.BENCH_MARKS !== undefined) process.stderr.write(`mark ${label} ${name} start ${process.hrtime.bigint() / 1000n}\n`);
    const result = await run();
    if (process.env.BENCH_MARKS !== undefined) process.stderr.write(`mark ${label} ${name} end ${process.hrtime.bigint() / 1000n}\n`);
    const ms = performance.now() - t;
    if (!result.ok) throw new Error(`${label} ${name} failed: ${JSON.stringify([...result.failures, ...result.errors].slice(0, 3))}`);
    phases.push({ name, since: mark, ms, calls: emulator.log.list(mark).length, written: writes.bytes() - written, result });
  };
  await timed("preview", () => stack.preview(program));
  await timed("up", () => stack.up(program));
  await timed("second up", () => stack.up(program));
  return { phases, stack };
}

/** The provider host's CPU per resource for Check alone and Diff alone, each over every ProtectedVm of the stack. */
async function checkAndDiff(resources: readonly StateResource[], hostDir: string, config: Record<string, string>): Promise<{ check: number; diff: number }> {
  // BENCH_HOST_PROFILE=<dir>: a --cpu-prof profile of this host (the marks BENCH_MARKS prints slice it by round).
  const profile = process.env.BENCH_HOST_PROFILE;
  const host = await ProviderHost.start({
    cwd: hostDir,
    nodeArgs:
      profile === undefined
        ? []
        : ["--cpu-prof", `--cpu-prof-dir=${profile}`, "--import", "data:text/javascript,process.on(%22SIGTERM%22,()=>process.exit(0))"],
  });
  const mark = (name: string) => {
    if (process.env.BENCH_MARKS !== undefined) process.stderr.write(`mark host ${name} ${process.hrtime.bigint() / 1000n}\n`);
  };
  try {
    await host.configure(config);
    const vms = resources.filter((r) => r.type === PROTECTED_VM);
    const cpu = () => host.usage()?.cpuMs ?? 0;
    // A first round warms the process (module loading, the vault-wide lookups); the second is measured.
    await Promise.all(vms.map((r) => host.check(r.urn, r.inputs, r.inputs)));
    const before = cpu();
    mark("check start");
    await Promise.all(vms.map((r) => host.check(r.urn, r.inputs, r.inputs)));
    mark("check end");
    const check = (cpu() - before) / vms.length;
    const middle = cpu();
    await Promise.all(vms.map((r) => host.diff(r.urn, r.id ?? "", r.outputs, r.inputs)));
    mark("diff end");
    return { check, diff: (cpu() - middle) / vms.length };
  } finally {
    await host.stop();
  }
}

/**
 * Both sides measured warm: a preview of a small fleet through the package before anything is measured. Without it the package,
 * measured first, pays for compiling Pulumi's runtime, gRPC and protobuf code that the baseline, measured after it, finds
 * compiled. A preview changes nothing in the emulator.
 */
async function warmUp(emulator: Emulator, dir: string, config: Record<string, string>): Promise<void> {
  const work = join(dir, "warm-up");
  mkdirSync(work);
  const stack = await OfflineStack.start({
    emulator,
    project: "scale-warm-up",
    statePath: join(work, "stack-state.json"),
    workDir: join(work, "work"),
    config,
  });
  try {
    const result = await stack.preview(() => fleet(Math.min(VMS, 100)));
    if (!result.ok) throw new Error(`warm-up failed: ${JSON.stringify([...result.failures, ...result.errors].slice(0, 3))}`);
  } finally {
    await stack.stop();
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "azure-vm-backup-scale-"));
  const writes = countWrites(dir);
  const real = join(dir, "package");
  const plain = join(dir, "baseline");
  mkdirSync(real);
  mkdirSync(plain);
  const emulator = await startEmulator({ clock: { speed: SPEED }, statePath: join(real, "emulator-state.json"), vms: fixtures(), logLimit: 10_000_000 });
  emulator.faults.add({ action: { kind: "latency", ms: LATENCY_MS } });
  if (OPERATION_LIMIT > 0) emulator.faults.add({ action: { kind: "operation-limit", perVault: OPERATION_LIMIT, retryAfterMs: 500 } });
  const config = { "azure-vm-backup:pollIntervalMs": String(POLL_MS) };
  try {
    await warmUp(emulator, dir, config);
    const ours = await deploy("package", emulator, real, fleet, writes, config);
    const resources = ours.stack.resources();
    const vms = resources.filter((r) => r.type === PROTECTED_VM).length;
    const stateBytes = fileSize(join(real, "emulator-state.json")) + fileSize(join(real, "stack-state.json"));
    const { check, diff } = await checkAndDiff(resources, join(real, "work", "host"), {
      "azure-native:subscriptionId": SUBSCRIPTION,
      "azure-vm-backup:endpoint": emulator.endpoint,
      "azure-vm-backup:caCertificateFile": join(real, "work", "emulator-ca.pem"),
    });
    await ours.stack.stop();

    const base = await deploy("baseline", emulator, plain, baseline(resources), writes, {});
    await base.stack.stop();

    const perVm = (n: number) => (n / vms).toFixed(2);
    const lines = [
      `fleet scale: ${vms} VMs by id (4 data disks each) in ${GROUPS} resource groups, ${POLICIES} policies, ${VAULTS} vaults; ${LATENCY_MS} ms latency on every ARM request; emulator clock x${SPEED}`,
      `protection operations limited by the emulator to ${OPERATION_LIMIT || "no limit"} per vault (429 with Retry-After beyond); the package's own bound: 5 per vault`,
      `${resources.length} resources in the stack (${resources.filter((r) => r.custom).length} custom); baseline: the same tree and inputs as plain resources`,
      "",
      "phase        package    baseline   ratio   ARM calls (per VM)   host CPU per resource   bytes written",
    ];
    for (let i = 0; i < ours.phases.length; i++) {
      const p = ours.phases[i]!;
      const b = base.phases[i]!;
      const cpu = p.result.providerHost === undefined ? "n/a" : `${(p.result.providerHost.cpuMs / resources.length).toFixed(2)} ms`;
      lines.push(
        `${p.name.padEnd(12)} ${seconds(p.ms).padStart(8)}   ${seconds(b.ms).padStart(8)}   ${(p.ms / b.ms).toFixed(2).padStart(5)}x   ${String(p.calls).padStart(6)} (${perVm(p.calls)})`.padEnd(
          63,
        ) + `   ${cpu.padStart(10)}              ${mb(p.written)} (baseline ${mb(b.written)})`,
      );
    }
    const up = ours.phases[1]!;
    const throttled = emulator.log
      .list(up.since)
      .slice(0, up.calls)
      .filter((e) => e.fault === "operation-limit").length;
    // What the protections' own latency costs the up at best: each operation holds one of its vault's slots for its emulated
    // duration (at least one poll) plus its PUT's and its poll's latency, with BOUND slots per vault.
    const protections = emulator.state.operations.filter((o) => o.kind === "item-put");
    const slotMs = protections.reduce((sum, o) => sum + Math.max((o.dueAt - o.startTime) / SPEED, POLL_MS) + 2 * LATENCY_MS, 0);
    const operationsMs = slotMs / (BOUND * VAULTS);
    const totalWritten = ours.phases.reduce((sum, p) => sum + p.written, 0);
    lines.push(
      "",
      `host CPU per ProtectedVm, measured alone: Check ${check.toFixed(2)} ms, Diff ${diff.toFixed(2)} ms; Create (amortized over the up): ${(((up.result.providerHost?.cpuMs ?? 0) - check * vms) / vms).toFixed(2)} ms`,
      `up: ${seconds(up.ms)} = the protections' latency at ${BOUND} per vault (${protections.length} operations, emulated durations at x${SPEED}, polls, request latency: ${seconds(operationsMs)}) + ${seconds(up.ms - operationsMs)}, ${((up.ms - operationsMs) / base.phases[1]!.ms).toFixed(2)}x the baseline's up`,
      `up: ${up.result.summary.create} created, ${up.result.errors.length} failed; ${throttled} protection requests refused by the emulator's operation limit and retried`,
      `bytes written: ${mb(totalWritten)} in all for a final state of ${mb(stateBytes)} (${(totalWritten / stateBytes).toFixed(1)}x)`,
      `peak memory: this process ${mb(process.resourceUsage().maxRSS * 1024)}; provider host ${Math.max(...ours.phases.map((p) => p.result.providerHost?.peakRssMb ?? 0)).toFixed(0)} MB`,
    );
    for (const p of ours.phases) {
      const kinds = countByKind(emulator.log.list(p.since).slice(0, p.calls));
      lines.push("", `ARM calls per VM in the ${p.name}, by request:`, ...kinds.map(([kind, n]) => `  ${(n / vms).toFixed(2).padStart(6)}  ${kind} (${n})`));
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await emulator.stop();
    if (args["keep-dir"] !== true) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`kept ${dir}\n`);
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
