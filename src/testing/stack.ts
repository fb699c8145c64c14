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
 *
 * This module is the stack itself: its host directory, its state file, and the commands above. One run's
 * steps are in run.ts, what an interrupted run left pending in pending.ts, what a run reports in report.ts.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { FakeEngine } from "./engine";
import { Run, type RunContext } from "./run";
import { useMocks } from "./runtime";
import { loadStackState, saveStackState, type StackState, type StateResource } from "./state";
import { OFFLINE_SUBSCRIPTION, type OfflineStackOptions, type Program, type RunResult } from "./types";
import { errorText, toWire, type Props } from "./wire";

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
      for (const r of [...this.state.resources].reverse()) run.report.step("delete", r);
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
        {
          project: this.project,
          stack: this.stack,
          preview,
          config: { "azure-native:subscriptionId": OFFLINE_SUBSCRIPTION, ...(this.options.config ?? {}) },
          engineAddress: this.engine.address,
        },
      );
      let outputs: Props = {};
      try {
        const result = await pulumi.runtime.runInPulumiStack(async () => (await program()) as Props | undefined);
        outputs = (toWire(result ?? {}) as Props) ?? {};
      } catch (error) {
        run.report.programError = errorText(error);
      }
      // Every registration (and so every create) has finished once Pulumi's RPC queue is empty.
      await pulumi.runtime.disconnect();
      const leftovers = this.state.resources.filter((r) => !run.registered.has(r.urn)).reverse();
      if (preview) {
        for (const r of leftovers) run.report.step("delete", r);
      } else {
        if (run.report.programError === undefined) await run.deleteAll(leftovers);
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
