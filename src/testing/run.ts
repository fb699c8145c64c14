/**
 * One preview, up, destroy or refresh of an offline stack: its own provider host, and each resource's steps
 * as the engine takes them (Check, then Diff and Create/Update/Delete for this package's dynamic resources;
 * a simulation for other providers' resources), checkpointed to the stack's journal after every step.
 */
import type * as pulumi from "@pulumi/pulumi";
import { sameValue } from "../rules";
import { NETWORK_API_VERSION, simulate, type Simulated, type SimulationContext } from "./azure-native";
import { sendToEmulator } from "./emulator-arm";
import type { FakeEngine } from "./engine";
import { ProviderHost } from "./host";
import { adoptPending, pendingEntry, stillPending } from "./pending";
import { RunReport } from "./report";
import type { Registration } from "./runtime";
import { checkpoint, emptyState, type JournalEntry, type PendingOperation, type StackState, type StateResource } from "./state";
import { OFFLINE_SUBSCRIPTION, type OfflineStackOptions, type OperationError, type RecordedInputs, type RunResult, type StepOp } from "./types";
import { DYNAMIC, errorText, toWire, type Props } from "./wire";

/** What a run needs of its stack. */
export interface RunContext {
  options: OfflineStackOptions;
  engine: FakeEngine;
  hostDir: string;
  hostConfig: Record<string, string>;
  state: StackState;
}

/** One preview, up or destroy: its provider host, what was registered, and what happened. */
export class Run {
  readonly registered = new Map<string, Registration>();
  readonly deleted = new Set<string>();
  private readonly order: string[] = [];
  private readonly next = new Map<string, StateResource>();
  private readonly old: Map<string, StateResource>;
  readonly report = new RunReport();
  /** The inputs of the custom resources registered (`recordInputs`). */
  private readonly inputs = new Map<string, RecordedInputs>();
  /** After a failure, an `up` changes nothing more (the engine cancels the deployment). */
  private halted = false;

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

  private pending(
    kind: PendingOperation["kind"],
    r: { urn: string; type: string; name: string; custom: boolean; parent: string; dependencies: string[] },
    inputs: Props,
  ): void {
    this.checkpoint(pendingEntry(kind, r, inputs));
  }

  /** Resolves what an interrupted run left pending (pending.ts), before this run changes anything. */
  async adoptPending(): Promise<void> {
    this.report.notes.push(...(await adoptPending(this.context.state, this.old, this.host, (entry) => this.checkpoint(entry))));
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
        this.report.errors.push({ urn: r.urn, type: r.type, name: r.name, op: "read", message: errorText(error) });
        this.report.steps.push({ op: "read", urn: r.urn, type: r.type, name: r.name, custom: true, parent: r.parent, failed: true });
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

  private step(op: StepOp, r: { urn: string; type: string; name: string; custom: boolean; parent: string }): void {
    this.report.step(op, r);
  }

  private fail(reg: Registration, op: OperationError["op"], error: unknown): void {
    this.report.errors.push({ urn: reg.urn, type: reg.type, name: reg.name, op, message: errorText(error) });
    this.halted = true;
    this.report.markFailed(reg, op === "check" ? (this.old.has(reg.urn) ? "update" : "create") : op);
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
    // A resource that is as the state already holds it needs no journal line: a no-change up writes nothing per resource.
    const old = this.old.get(reg.urn);
    const pending = this.context.state.pendingOperations?.some((p) => p.urn === reg.urn) === true;
    if (old === undefined || pending || JSON.stringify(old) !== JSON.stringify(resource)) this.checkpoint({ done: resource });
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
    if (this.context.options.recordInputs === true) this.inputs.set(reg.urn, { inputs, dependencies: reg.dependencies });
    return reg.type.startsWith(DYNAMIC) ? this.dynamic(reg, inputs) : this.other(reg, args, inputs);
  }

  /** A resource read with `.get()`: from the state when it is there. */
  private read(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const found = [...this.old.values()].find((r) => r.type === args.type && r.id === args.id);
    this.report.steps.push({ op: "read", urn: found?.urn ?? "", type: args.type, name: args.name, custom: true, parent: found?.parent ?? "" });
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
        for (const f of checked.failures) this.report.failures.push({ urn: reg.urn, type: reg.type, name: reg.name, ...f });
        this.halted = true;
        this.report.markFailed(reg, old === undefined ? "create" : "update");
        this.keepOld(reg);
        return this.placeholder(reg, news);
      }
      inputs = checked.inputs;
      if (this.context.options.recordInputs === true) this.inputs.set(reg.urn, { inputs, dependencies: reg.dependencies });
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
    // The engine hands a provider without preview support its checked inputs back as the outputs of a planned update, as
    // of a planned create, the old outputs left out: pulumi/pulumi sdk/go/common/resource/plugin/provider_plugin.go, Update
    // ("If the provider does not support previews, return the inputs as the state"). The SDK makes the rest unknown.
    if (this.preview) return { id: replace ? "" : old.id, state: inputs };
    try {
      if (replace) {
        if (old.protect === true)
          throw new Error(`resource ${reg.urn} is protected: it cannot be replaced (${diff.replaces.join(", ")} changed). Unprotect it first.`);
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
      if (r.type === "azure-native:resources:ResourceGroup" && typeof r.outputs.name === "string" && typeof r.outputs.location === "string")
        groups.set(r.outputs.name.toLowerCase(), r.outputs.location);
    }
    return {
      subscriptionId: options.config?.["azure-native:subscriptionId"] ?? OFFLINE_SUBSCRIPTION,
      defaultLocation: options.config?.["azure-native:location"],
      resourceGroupLocation: (name) => groups.get(name.toLowerCase()),
    };
  }

  /** A resource of another provider: simulated (or the user's mock), and VMs served by the emulator. */
  private async other(reg: Registration, args: pulumi.runtime.MockResourceArgs, inputs: Props): Promise<pulumi.runtime.MockResourceResult> {
    const { options } = this.context;
    const old = this.old.get(reg.urn);
    if (this.halted && !this.preview) {
      this.keepOld(reg);
      return this.placeholder(reg, inputs);
    }
    const mocked = options.mocks?.newResource?.(args);
    const simulated: Simulated =
      mocked !== undefined
        ? { id: mocked.id ?? `${reg.name}-id`, outputs: mocked.state as Props, computed: [] }
        : simulate(reg.type, reg.name, inputs, this.simulationContext());
    const unchanged = old !== undefined && sameValue(old.inputs, inputs);
    this.step(old === undefined ? "create" : unchanged ? "same" : "update", reg);
    if (this.preview) {
      if (unchanged) return { id: old.id ?? "", state: old.outputs };
      const known = Object.fromEntries(Object.entries(simulated.outputs).filter(([k]) => !simulated.computed.includes(k)));
      return { id: old?.id ?? "", state: known };
    }
    if (simulated.vm !== undefined) options.emulator.addVms([simulated.vm]);
    if (simulated.arm !== undefined && !unchanged) {
      try {
        // No pending operation: the PUT is idempotent, and a run interrupted here sends it again.
        await sendToEmulator(options.emulator, "PUT", simulated.arm);
      } catch (error) {
        this.checkpoint({ failed: reg.urn });
        this.fail(reg, old === undefined ? "create" : "update", error);
        this.keepOld(reg);
        return this.placeholder(reg, inputs);
      }
    }
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
          else if (r.type === "azure-native:network:PrivateEndpoint")
            await sendToEmulator(options.emulator, "DELETE", { path: r.id, apiVersion: NETWORK_API_VERSION });
        }
        this.deleted.add(r.urn);
        this.checkpoint({ deleted: r.urn });
      } catch (error) {
        this.checkpoint({ failed: r.urn });
        this.report.errors.push({ urn: r.urn, type: r.type, name: r.name, op: "delete", message: errorText(error) });
        this.halted = true;
        this.report.steps[this.report.steps.length - 1]!.failed = true;
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
      outputs: this.report.failed ? previous.outputs : outputs,
      // Pending creates that could not be resolved stay for the next run.
      ...this.stillPending(previous),
    };
  }

  /** Pending operations of an earlier run that this run neither resolved nor did again. */
  stillPending(previous: StackState): Pick<StackState, "pendingOperations"> {
    return stillPending(previous, (urn) => this.next.has(urn) || this.deleted.has(urn));
  }

  result(kind: RunResult["kind"], outputs: Props, started: number): RunResult {
    const usage = this.host.usage();
    return {
      ...this.report.result(kind, outputs, started, this.context.engine.take()),
      ...(this.context.options.recordInputs === true ? { inputs: Object.fromEntries(this.inputs) } : {}),
      ...(usage === undefined ? {} : { providerHost: usage }),
    };
  }
}
