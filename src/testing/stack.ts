/**
 * An offline stack: runs a Pulumi program the way `pulumi preview`, `pulumi up` and `pulumi destroy`
 * would, with no Pulumi CLI and no Azure. The program runs under Pulumi's mocks; every dynamic resource
 * of this package goes through Pulumi's real dynamic-provider host against the ARM emulator (Check, then
 * Diff and Create/Update/Delete), resources of other providers (azure-native VMs, resource groups, ...)
 * get the ids and outputs Azure would give them, and the state is kept in a JSON file between runs.
 *
 * What it does as the engine does: a new provider host per run (so no lookup survives from one run to
 * the next); dependencies wait for each other (Pulumi's SDK waits for them); a preview runs only Check
 * and Diff, and a new resource's outputs are its inputs with everything else unknown; a failed check or
 * operation stops every later operation of an `up`; deletes run dependents first; `protect` and
 * `retainOnDelete` are honoured. Where it differs: a preview goes on past a failed check, to report every
 * resource's failures at once (`pulumi preview` stops at the first), and replacements are always
 * delete-then-create (as this package's resources ask).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "../emulator";
import { sameValue, UNKNOWN_SENTINEL } from "../rules";
import { simulate, type Simulated, type SimulationContext } from "./azure-native";
import { FakeEngine, type LogEntry } from "./engine";
import { isHostError, ProviderHost } from "./host";
import { useMocks, type Registration } from "./runtime";
import { checkpoint, emptyState, loadStackState, saveStackState, type JournalEntry, type PendingOperation, type StackState, type StateResource } from "./state";

export const OFFLINE_SUBSCRIPTION = "00000000-0000-0000-0000-00000000aaaa";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const DYNAMIC = "pulumi-nodejs:dynamic/";

export interface OfflineStackOptions {
  /** The emulator to deploy to (see `startEmulator` in `pulumi-azure-vm-backup/emulator`). */
  emulator: Emulator;
  /** Default "offline". */
  project?: string;
  /** Default "dev". */
  stack?: string;
  /** Stack config, keyed `namespace:key` (e.g. `azure-vm-backup:limitProfile`); given to the program and to the providers. */
  config?: Record<string, string>;
  /** Keep the stack's state in this JSON file between runs (default: in memory only). */
  statePath?: string;
  /** Where the provider host runs and the emulator's CA is written (default: a temporary directory). */
  workDir?: string;
  /** Mocks for other providers' resources and calls; return undefined to get the built-in simulation. */
  mocks?: {
    newResource?(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult | undefined;
    call?(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult | Promise<pulumi.runtime.MockCallResult>;
  };
}

/** A Pulumi program: declares resources, and may return the stack's outputs. */
export type Program = () => unknown;

export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** The parent's URN ("" for the stack itself). */
  parent: string;
  /** Its check or its operation failed. */
  failed?: boolean;
}

/** A check failure, as `pulumi preview` prints it: the resource, the property, the reason. */
export interface Failure {
  urn: string;
  type: string;
  name: string;
  property: string;
  reason: string;
}

/** An operation that failed (create, update, delete): what the provider said. */
export interface OperationError {
  urn: string;
  type: string;
  name: string;
  op: StepOp | "check";
  message: string;
}

export interface RunResult {
  /** "refresh" reads every resource back from Azure (`pulumi refresh`); "destroy-preview" is `pulumi destroy --preview-only`. */
  kind: "preview" | "up" | "destroy" | "destroy-preview" | "refresh" | "refresh-preview";
  ok: boolean;
  steps: Step[];
  failures: Failure[];
  errors: OperationError[];
  logs: LogEntry[];
  outputs: Record<string, unknown>;
  /** Steps by operation (components included). */
  summary: Record<StepOp, number>;
  /** The program itself threw. */
  programError?: string;
  durationMs: number;
}

type Props = Record<string, unknown>;

/** Inputs as the engine sends them to a provider: unknowns as the unknown sentinel, secrets unwrapped. */
function toWire(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    const record = value as Props;
    if (record[SIG] === SECRET) return toWire(record.value);
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

function message(error: unknown): string {
  if (isHostError(error)) return error.details;
  return error instanceof Error ? error.message : String(error);
}

/** The root of this package (where its package.json is), to link into the provider host's directory. */
function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "pulumi-azure-vm-backup") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("pulumi-azure-vm-backup: cannot find the package's own directory.");
    dir = up;
  }
}

export class OfflineStack {
  private state: StackState;

  private constructor(
    private readonly options: OfflineStackOptions,
    private readonly engine: FakeEngine,
    private readonly hostDir: string,
    private readonly hostConfig: Record<string, string>,
  ) {
    this.state = loadStackState(options.statePath, this.project, this.stack);
  }

  static async start(options: OfflineStackOptions): Promise<OfflineStack> {
    const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "azure-vm-backup-offline-"));
    // The engine runs the provider host in the program's directory, where this package is installed; here,
    // a directory that links it.
    const hostDir = join(workDir, "host");
    mkdirSync(join(hostDir, "node_modules"), { recursive: true });
    const link = join(hostDir, "node_modules", "pulumi-azure-vm-backup");
    if (!existsSync(link)) symlinkSync(packageRoot(), link, "dir");
    writeFileSync(join(hostDir, "package.json"), JSON.stringify({ name: "offline-program", private: true }));
    const caFile = join(workDir, "emulator-ca.pem");
    writeFileSync(caFile, options.emulator.ca);
    const config = options.config ?? {};
    const hostConfig: Record<string, string> = {
      "azure-native:subscriptionId": OFFLINE_SUBSCRIPTION,
      ...config,
      "azure-vm-backup:endpoint": options.emulator.endpoint,
      "azure-vm-backup:caCertificateFile": caFile,
    };
    return new OfflineStack(options, await FakeEngine.start(), hostDir, hostConfig);
  }

  get project(): string {
    return this.options.project ?? "offline";
  }

  get stack(): string {
    return this.options.stack ?? "dev";
  }

  /** The resources in the stack's state, in the order they were registered. */
  resources(): readonly StateResource[] {
    return this.state.resources;
  }

  /** The stack's outputs after the last `up`. */
  outputs(): Record<string, unknown> {
    return this.state.outputs;
  }

  /** `pulumi preview`: Check and Diff only; nothing changes in Azure or in the state. */
  preview(program: Program): Promise<RunResult> {
    return this.run(program, true);
  }

  /** `pulumi up`: creates, updates, replaces and deletes, and saves the state. */
  up(program: Program): Promise<RunResult> {
    return this.run(program, false);
  }

  /** `pulumi destroy`: deletes every resource in the state, dependents first. */
  async destroy(): Promise<RunResult> {
    const started = Date.now();
    const run = await Run.begin(this.context(), false);
    try {
      await run.adoptPending();
      await run.deleteAll([...this.state.resources].reverse());
      const { pendingOperations: _earlier, ...rest } = this.state;
      this.state = { ...rest, resources: this.state.resources.filter((r) => !run.deleted.has(r.urn)), outputs: {}, ...run.stillPending(this.state) };
      saveStackState(this.options.statePath, this.state);
      return run.result("destroy", {}, started);
    } finally {
      await run.end();
    }
  }

  /** `pulumi destroy --preview-only`: what a destroy would delete, dependents first; nothing is called. */
  async previewDestroy(): Promise<RunResult> {
    const started = Date.now();
    const run = await Run.begin(this.context(), true);
    try {
      for (const r of [...this.state.resources].reverse()) run.step("delete", r);
      return run.result("destroy-preview", {}, started);
    } finally {
      await run.end();
    }
  }

  /**
   * `pulumi refresh`: reads every resource of this package back from Azure with its provider's `read()`, so
   * that changes made outside the program (a VM moved to another policy in the portal) show in the next
   * preview as a diff, and the next up puts back what the program declares. A resource gone from Azure leaves
   * the state. With `save: false` (`pulumi preview --refresh`) the state is refreshed for this run only.
   */
  async refresh(save = true): Promise<RunResult> {
    const started = Date.now();
    const run = await Run.begin(this.context(), !save);
    try {
      if (save) await run.adoptPending();
      this.state = await run.refresh(this.state);
      if (save) saveStackState(this.options.statePath, this.state);
      return run.result(save ? "refresh" : "refresh-preview", {}, started);
    } finally {
      await run.end();
    }
  }

  async stop(): Promise<void> {
    await this.engine.stop();
  }

  private async run(program: Program, preview: boolean): Promise<RunResult> {
    const started = Date.now();
    const run = await Run.begin(this.context(), preview);
    try {
      if (!preview) await run.adoptPending();
      const runtime = await useMocks(
        {
          newResource: (args) => run.newResource(args, runtime.current()),
          call: (args) => this.options.mocks?.call?.(args) ?? {},
        },
        { project: this.project, stack: this.stack, preview, config: { "azure-native:subscriptionId": OFFLINE_SUBSCRIPTION, ...(this.options.config ?? {}) }, engineAddress: this.engine.address },
      );
      let outputs: Props = {};
      try {
        const result = await pulumi.runtime.runInPulumiStack(async () => (await program()) as Props | undefined);
        outputs = (toWire(result ?? {}) as Props) ?? {};
      } catch (error) {
        run.programError = message(error);
      }
      // Every registration (and so every create) has finished once Pulumi's RPC queue is empty.
      await pulumi.runtime.disconnect();
      const leftovers = this.state.resources.filter((r) => !run.registered.has(r.urn)).reverse();
      if (preview) {
        for (const r of leftovers) run.step("delete", r);
      } else {
        if (run.programError === undefined) await run.deleteAll(leftovers);
        this.state = run.nextState(this.state, outputs);
        saveStackState(this.options.statePath, this.state);
      }
      return run.result(preview ? "preview" : "up", outputs, started);
    } finally {
      await run.end();
    }
  }

  private context(): RunContext {
    return { options: this.options, engine: this.engine, hostDir: this.hostDir, hostConfig: this.hostConfig, state: this.state };
  }
}

/** What a run needs of its stack. */
interface RunContext {
  options: OfflineStackOptions;
  engine: FakeEngine;
  hostDir: string;
  hostConfig: Record<string, string>;
  state: StackState;
}

/** One preview, up or destroy: its provider host, what was registered, and what happened. */
class Run {
  readonly registered = new Map<string, Registration>();
  readonly deleted = new Set<string>();
  private readonly order: string[] = [];
  private readonly next = new Map<string, StateResource>();
  private readonly old: Map<string, StateResource>;
  private readonly steps: Step[] = [];
  private readonly failures: Failure[] = [];
  private readonly errors: OperationError[] = [];
  /** After a failure, an `up` changes nothing more (the engine cancels the deployment). */
  private halted = false;
  /** What the run itself has to say (pending operations found), shown with the engine's log. */
  private readonly notes: LogEntry[] = [];
  programError: string | undefined;

  private constructor(
    private readonly context: RunContext,
    private readonly host: ProviderHost,
    private readonly preview: boolean,
  ) {
    this.old = new Map(context.state.resources.map((r) => [r.urn, r]));
  }

  static async begin(context: RunContext, preview: boolean): Promise<Run> {
    const { hostDir, hostConfig } = context;
    // Running from this package's TypeScript sources (its own tests), the host loads them the same way.
    const nodeArgs = __filename.endsWith(".ts") ? ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx")] : [];
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARM_|AZURE_|PULUMI_CONFIG)/.test(k)));
    const host = await ProviderHost.start({ cwd: hostDir, nodeArgs, env });
    try {
      await host.configure(hostConfig);
    } catch (error) {
      await host.stop();
      throw error;
    }
    return new Run(context, host, preview);
  }

  async end(): Promise<void> {
    await this.host.stop();
  }

  /** Checkpoints a step of an `up` or a `destroy`, as the engine does after each step (a preview records nothing). */
  private checkpoint(entry: JournalEntry): void {
    if (!this.preview) checkpoint(this.context.options.statePath, entry);
  }

  private pending(kind: PendingOperation["kind"], r: { urn: string; type: string; name: string; custom: boolean; parent: string; dependencies: string[] }, inputs: Props): void {
    this.checkpoint({ pending: { kind, urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent, inputs, dependencies: r.dependencies } });
  }

  /**
   * Operations an earlier run left pending (it was killed while a provider worked). Updates and deletes are
   * simply done again (the resource is still in the state). A pending create has no id in the state: as
   * `pulumi refresh --import-pending-creates` would, it is read back from Azure by its inputs (this package's
   * providers find a vault, policy or protected VM by name) and kept when it exists, so that an up updates it
   * and a destroy deletes it; otherwise it is dropped and an up creates it.
   */
  async adoptPending(): Promise<void> {
    const state = this.context.state;
    const pending = state.pendingOperations ?? [];
    if (pending.length === 0) return;
    const adopted: string[] = [];
    const unresolved: PendingOperation[] = [];
    for (const op of pending) {
      if (op.kind !== "creating" || !op.type.startsWith(DYNAMIC) || this.old.has(op.urn)) {
        this.checkpoint({ failed: op.urn });
        continue;
      }
      let read: { id: string; props: Props };
      try {
        read = await this.host.read(op.urn, "", op.inputs);
      } catch (error) {
        // Azure could not be asked: keep the pending create for a later run rather than forget what it made.
        unresolved.push(op);
        this.notes.push({ severity: "warning", urn: op.urn, message: `The pending create of ${op.name} could not be read back: ${message(error)}` });
        continue;
      }
      if (read.id === "") {
        this.checkpoint({ failed: op.urn });
        continue;
      }
      const resource: StateResource = { urn: op.urn, type: op.type, name: op.name, custom: op.custom, parent: op.parent, id: read.id, inputs: op.inputs, outputs: read.props, dependencies: op.dependencies };
      state.resources.push(resource);
      this.old.set(op.urn, resource);
      this.checkpoint({ done: resource });
      adopted.push(op.name);
    }
    if (unresolved.length > 0) state.pendingOperations = unresolved;
    else delete state.pendingOperations;
    this.notes.push({
      severity: "warning",
      urn: "",
      message: `${pending.length} operation(s) of an interrupted run were pending: ${pending.map((p) => `${p.kind} ${p.name}`).join(", ")}. ${adopted.length > 0 ? `Found in Azure and kept in the stack: ${adopted.join(", ")}. ` : ""}The others are done again by this run.`,
    });
  }

  /** Reads each resource of this package back; others are kept as they are. */
  async refresh(state: StackState): Promise<StackState> {
    const resources: StateResource[] = [];
    for (const r of state.resources) {
      if (!r.custom || !r.type.startsWith(DYNAMIC) || r.id === undefined) {
        this.step("same", r);
        resources.push(r);
        continue;
      }
      let read;
      try {
        read = await this.host.read(r.urn, r.id, r.outputs);
      } catch (error) {
        this.errors.push({ urn: r.urn, type: r.type, name: r.name, op: "read", message: message(error) });
        this.steps.push({ op: "read", urn: r.urn, type: r.type, name: r.name, custom: true, parent: r.parent, failed: true });
        resources.push(r);
        continue;
      }
      if (read.id === "") {
        this.step("delete", r);
        this.checkpoint({ deleted: r.urn });
        continue;
      }
      const refreshed = { ...r, id: read.id, outputs: read.props };
      const drifted = !sameValue(r.outputs, read.props);
      this.step(drifted ? "update" : "same", r);
      if (drifted) this.checkpoint({ done: refreshed });
      resources.push(refreshed);
    }
    return { ...state, resources };
  }

  step(op: StepOp, r: { urn: string; type: string; name: string; custom: boolean; parent: string }): void {
    this.steps.push({ op, urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent });
  }

  private fail(reg: Registration, op: OperationError["op"], error: unknown): void {
    this.errors.push({ urn: reg.urn, type: reg.type, name: reg.name, op, message: message(error) });
    this.halted = true;
    this.markFailed(reg, op === "check" ? (this.old.has(reg.urn) ? "update" : "create") : op);
  }

  /** The step of a resource whose check or operation failed. */
  private markFailed(reg: Registration, op: StepOp): void {
    const step = this.steps.find((s) => s.urn === reg.urn);
    if (step !== undefined) step.failed = true;
    else this.steps.push({ op, urn: reg.urn, type: reg.type, name: reg.name, custom: reg.custom, parent: reg.parent, failed: true });
  }

  private record(reg: Registration, id: string | undefined, inputs: Props, outputs: Props): void {
    const resource: StateResource = {
      urn: reg.urn,
      type: reg.type,
      name: reg.name,
      custom: reg.custom,
      parent: reg.parent,
      ...(id === undefined ? {} : { id }),
      inputs,
      outputs,
      dependencies: reg.dependencies,
      ...(reg.protect ? { protect: true } : {}),
      ...(reg.retainOnDelete ? { retainOnDelete: true } : {}),
    };
    this.next.set(reg.urn, resource);
    this.checkpoint({ done: resource });
  }

  private keepOld(reg: Registration): void {
    const old = this.old.get(reg.urn);
    if (old !== undefined) this.next.set(reg.urn, old);
  }

  async newResource(args: pulumi.runtime.MockResourceArgs, reg: Registration | undefined): Promise<pulumi.runtime.MockResourceResult> {
    if (reg === undefined) return this.read(args);
    this.registered.set(reg.urn, reg);
    this.order.push(reg.urn);
    if (!reg.custom) {
      this.step(this.old.has(reg.urn) ? "same" : "create", reg);
      this.record(reg, undefined, {}, {});
      return { id: undefined, state: {} };
    }
    const inputs = toWire(args.inputs) as Props;
    return reg.type.startsWith(DYNAMIC) ? this.dynamic(reg, inputs) : this.other(reg, args, inputs);
  }

  /** A resource read with `.get()`: from the state when it is there. */
  private read(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const found = [...this.old.values()].find((r) => r.type === args.type && r.id === args.id);
    this.steps.push({ op: "read", urn: found?.urn ?? "", type: args.type, name: args.name, custom: true, parent: found?.parent ?? "" });
    return { id: args.id ?? "", state: found?.outputs ?? (toWire(args.inputs) as Props) };
  }

  /** What a resource that is not deployed (preview, or after a failure) shows the program. */
  private placeholder(reg: Registration, inputs: Props): pulumi.runtime.MockResourceResult {
    const old = this.old.get(reg.urn);
    return { id: old?.id ?? "", state: old?.outputs ?? inputs };
  }

  private async dynamic(reg: Registration, news: Props): Promise<pulumi.runtime.MockResourceResult> {
    const old = this.old.get(reg.urn);
    if (this.halted && !this.preview) {
      this.keepOld(reg);
      return this.placeholder(reg, news);
    }
    let inputs: Props;
    try {
      const checked = await this.host.check(reg.urn, old?.inputs ?? {}, news);
      if (checked.failures.length > 0) {
        for (const f of checked.failures) this.failures.push({ urn: reg.urn, type: reg.type, name: reg.name, ...f });
        this.halted = true;
        this.markFailed(reg, old === undefined ? "create" : "update");
        this.keepOld(reg);
        return this.placeholder(reg, news);
      }
      inputs = checked.inputs;
    } catch (error) {
      this.fail(reg, "check", error);
      this.keepOld(reg);
      return this.placeholder(reg, news);
    }
    if (old !== undefined) for (const key of reg.ignoreChanges) if (key in old.inputs) inputs[key] = old.inputs[key];

    if (old === undefined || old.id === undefined) {
      this.step("create", reg);
      if (this.preview) return { id: "", state: inputs };
      try {
        this.pending("creating", reg, inputs);
        const { id, outs } = await this.host.create(reg.urn, inputs);
        this.record(reg, id, inputs, outs);
        return { id, state: outs };
      } catch (error) {
        this.checkpoint({ failed: reg.urn });
        this.fail(reg, "create", error);
        return this.placeholder(reg, inputs);
      }
    }

    let diff;
    try {
      diff = await this.host.diff(reg.urn, old.id, old.outputs, inputs);
    } catch (error) {
      this.fail(reg, "check", error);
      this.keepOld(reg);
      return this.placeholder(reg, inputs);
    }
    const changed = diff.changes === "unknown" ? !sameValue(old.inputs, inputs) : diff.changes === "some";
    if (!changed) {
      this.step("same", reg);
      this.record(reg, old.id, inputs, old.outputs);
      return { id: old.id, state: old.outputs };
    }
    const replace = diff.replaces.length > 0;
    this.step(replace ? "replace" : "update", reg);
    if (this.preview) return { id: replace ? "" : old.id, state: replace ? inputs : { ...old.outputs, ...inputs } };
    try {
      if (replace) {
        if (old.protect === true) throw new Error(`resource ${reg.urn} is protected: it cannot be replaced (${diff.replaces.join(", ")} changed). Unprotect it first.`);
        this.pending("deleting", old, old.inputs);
        await this.host.delete(reg.urn, old.id, old.outputs);
        this.checkpoint({ deleted: reg.urn });
        this.pending("creating", reg, inputs);
        const { id, outs } = await this.host.create(reg.urn, inputs);
        this.record(reg, id, inputs, outs);
        return { id, state: outs };
      }
      this.pending("updating", reg, inputs);
      const outs = await this.host.update(reg.urn, old.id, old.outputs, inputs);
      this.record(reg, old.id, inputs, outs);
      return { id: old.id, state: outs };
    } catch (error) {
      this.checkpoint({ failed: reg.urn });
      this.fail(reg, replace ? "replace" : "update", error);
      this.keepOld(reg);
      return this.placeholder(reg, inputs);
    }
  }

  private simulationContext(): SimulationContext {
    const { options } = this.context;
    const groups = new Map<string, string>();
    for (const r of [...this.old.values(), ...this.next.values()]) {
      if (r.type === "azure-native:resources:ResourceGroup" && typeof r.outputs.name === "string" && typeof r.outputs.location === "string") groups.set(r.outputs.name.toLowerCase(), r.outputs.location);
    }
    return {
      subscriptionId: options.config?.["azure-native:subscriptionId"] ?? OFFLINE_SUBSCRIPTION,
      defaultLocation: options.config?.["azure-native:location"],
      resourceGroupLocation: (name) => groups.get(name.toLowerCase()),
    };
  }

  /** A resource of another provider: simulated (or the user's mock), and VMs served by the emulator. */
  private other(reg: Registration, args: pulumi.runtime.MockResourceArgs, inputs: Props): pulumi.runtime.MockResourceResult {
    const { options } = this.context;
    const old = this.old.get(reg.urn);
    if (this.halted && !this.preview) {
      this.keepOld(reg);
      return this.placeholder(reg, inputs);
    }
    const mocked = options.mocks?.newResource?.(args);
    const simulated: Simulated = mocked !== undefined ? { id: mocked.id ?? `${reg.name}-id`, outputs: mocked.state as Props, computed: [] } : simulate(reg.type, reg.name, inputs, this.simulationContext());
    const unchanged = old !== undefined && sameValue(old.inputs, inputs);
    this.step(old === undefined ? "create" : unchanged ? "same" : "update", reg);
    if (this.preview) {
      if (unchanged) return { id: old.id ?? "", state: old.outputs };
      const known = Object.fromEntries(Object.entries(simulated.outputs).filter(([k]) => !simulated.computed.includes(k)));
      return { id: old?.id ?? "", state: known };
    }
    if (simulated.vm !== undefined) options.emulator.addVms([simulated.vm]);
    const outputs = unchanged ? old.outputs : simulated.outputs;
    const id = old?.id ?? simulated.id;
    this.record(reg, id, inputs, outputs);
    return { id, state: outputs };
  }

  /** Deletes, in the order given (dependents first); stops at the first failure. */
  async deleteAll(resources: readonly StateResource[]): Promise<void> {
    const { options } = this.context;
    for (const r of resources) {
      if (this.halted) return;
      this.step("delete", r);
      try {
        if (r.protect === true) throw new Error(`resource ${r.urn} is protected: it cannot be deleted. Unprotect it first (protect: false), then run again.`);
        if (r.custom && r.retainOnDelete !== true && r.id !== undefined) {
          this.pending("deleting", r, r.inputs);
          if (r.type.startsWith(DYNAMIC)) await this.host.delete(r.urn, r.id, r.outputs);
          else if (r.type === "azure-native:compute:VirtualMachine") options.emulator.removeVms([r.id]);
        }
        this.deleted.add(r.urn);
        this.checkpoint({ deleted: r.urn });
      } catch (error) {
        this.checkpoint({ failed: r.urn });
        this.errors.push({ urn: r.urn, type: r.type, name: r.name, op: "delete", message: message(error) });
        this.halted = true;
        this.steps[this.steps.length - 1]!.failed = true;
      }
    }
  }

  /** The state after an `up`: what was registered (created, updated or unchanged), then what is left of the old. */
  nextState(previous: StackState, outputs: Props): StackState {
    const resources: StateResource[] = [];
    for (const urn of this.order) {
      const r = this.next.get(urn);
      if (r !== undefined) resources.push(r);
    }
    for (const r of previous.resources) if (!this.next.has(r.urn) && !this.deleted.has(r.urn)) resources.push(r);
    return {
      ...emptyState(previous.project, previous.stack),
      resources,
      outputs: this.errors.length > 0 || this.failures.length > 0 ? previous.outputs : outputs,
      // Pending creates that could not be resolved stay for the next run.
      ...this.stillPending(previous),
    };
  }

  /** Pending operations of an earlier run that this run neither resolved nor did again. */
  stillPending(previous: StackState): Pick<StackState, "pendingOperations"> {
    const left = (previous.pendingOperations ?? []).filter((p) => !this.next.has(p.urn) && !this.deleted.has(p.urn));
    return left.length === 0 ? {} : { pendingOperations: left };
  }

  result(kind: RunResult["kind"], outputs: Props, started: number): RunResult {
    const logs = [...this.notes, ...this.context.engine.take()];
    const summary: Record<StepOp, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0, read: 0 };
    for (const s of this.steps) summary[s.op]++;
    const ok = this.failures.length === 0 && this.errors.length === 0 && this.programError === undefined && !logs.some((l) => l.severity === "error");
    return {
      kind,
      ok,
      steps: this.steps,
      failures: this.failures,
      errors: this.errors,
      logs,
      outputs,
      summary,
      ...(this.programError === undefined ? {} : { programError: this.programError }),
      durationMs: Date.now() - started,
    };
  }
}
