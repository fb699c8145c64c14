/**
 * Drives Pulumi's real dynamic-provider host over gRPC, exactly as the engine does (DESIGN §1,
 * reference/PULUMI.md §1): the host is `@pulumi/pulumi/cmd/dynamic-provider`, started with the program
 * directory as its working directory; each request carries the serialized provider in `__provider`;
 * Configure comes first. The program directory is a temporary one whose node_modules links this package,
 * as a user's would hold it installed; the host loads the providers through the package's `source` export
 * condition (with tsx), so tests run the sources, through the same shim and package path as users.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../../src/providers/shim";
import type { Kind } from "../../src/providers/types";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";

// The stubs Pulumi ships, and the one google-protobuf they use (pinned 3.21.x in package.json).
/* eslint-disable @typescript-eslint/no-require-imports */
const rpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as { ResourceProviderClient: new (address: string, credentials: grpc.ChannelCredentials) => GrpcClient };
const pb = require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => Message>;
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: unknown): unknown } };

interface Message {
  [setter: string]: (value: unknown) => unknown;
}
type Call = (request: Message, callback: (error: GrpcError | null, response: Message & Record<string, () => unknown>) => void) => void;
type GrpcClient = Record<string, Call> & { close(): void };
export interface GrpcError extends Error {
  code: number;
  details: string;
}

export const ROOT = join(__dirname, "../..");
export const SUB = "00000000-0000-0000-0000-00000000aaaa";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const TYPES: Record<Kind, string> = {
  vault: "Vault",
  policy: "BackupPolicy",
  "protected-vm": "ProtectedVm",
  "stack-v2": "StackV2Registration",
};

const serialized = new Map<Kind, string>();

/** The `__provider` text a dynamic resource of this kind carries in its inputs and state. */
export async function providerText(kind: Kind): Promise<string> {
  let text = serialized.get(kind);
  if (text === undefined) {
    const provider = makeShim(kind);
    text = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
    serialized.set(kind, text);
  }
  return text;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export class Host {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: GrpcClient,
    /** What the host printed to stderr (provider errors' stacks land here). */
    readonly stderr: () => string,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<Host> {
    const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [ROOT] });
    const program = programDirectory();
    const child = spawn(process.execPath, ["--conditions=source", "--import", require.resolve("tsx", { paths: [ROOT] }), host, "127.0.0.1:1"], { cwd: program, env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const line = /^(\d+)\s*$/m.exec(out);
        if (line !== null) resolve(Number(line[1]));
      });
      child.on("exit", (code) => reject(new Error(`provider host exited (${code}): ${stderr}`)));
    });
    const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Host(child, client, () => stderr);
  }

  private call(method: string, request: Message): Promise<Message & Record<string, () => unknown>> {
    return new Promise((resolve, reject) => {
      this.client[method]!.call(this.client, request, (error, response) => (error === null ? resolve(response) : reject(error)));
    });
  }

  async configure(config: Record<string, string>): Promise<void> {
    const request = new pb.ConfigureRequest!();
    request.setArgs!(Struct.fromJavaScript(config));
    request.setAcceptsecrets!(true);
    await this.call("configure", request);
  }

  private static urn(kind: Kind, name: string): string {
    return `urn:pulumi:test::azure-vm-backup::pulumi-nodejs:dynamic/azure-vm-backup:${TYPES[kind]}::${name}`;
  }

  private async withProvider(kind: Kind, props: Record<string, unknown>): Promise<Record<string, unknown>> {
    return { ...props, __provider: await providerText(kind) };
  }

  async check(kind: Kind, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const request = new pb.CheckRequest!();
    request.setUrn!(Host.urn(kind, "r"));
    request.setOlds!(Struct.fromJavaScript(Object.keys(olds).length === 0 ? {} : await this.withProvider(kind, olds)));
    request.setNews!(Struct.fromJavaScript(await this.withProvider(kind, news)));
    const response = await this.call("check", request);
    const inputs = (response.getInputs!() as { toJavaScript(): Record<string, unknown> }).toJavaScript();
    const failures = (response.getFailuresList!() as Array<{ getProperty(): string; getReason(): string }>).map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    return { inputs, failures };
  }

  async diff(kind: Kind, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    const request = new pb.DiffRequest!();
    request.setId!(id);
    request.setUrn!(Host.urn(kind, "r"));
    request.setOlds!(Struct.fromJavaScript(await this.withProvider(kind, olds)));
    request.setNews!(Struct.fromJavaScript(await this.withProvider(kind, news)));
    const response = await this.call("diff", request);
    const changes = ["unknown", "none", "some"][response.getChanges!() as number] as DiffResult["changes"];
    return { changes, replaces: response.getReplacesList!() as string[], deleteBeforeReplace: response.getDeletebeforereplace!() as boolean };
  }

  async create(kind: Kind, inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
    const request = new pb.CreateRequest!();
    request.setUrn!(Host.urn(kind, "r"));
    request.setProperties!(Struct.fromJavaScript(await this.withProvider(kind, inputs)));
    const response = await this.call("create", request);
    return { id: response.getId!() as string, outs: (response.getProperties!() as { toJavaScript(): Record<string, unknown> }).toJavaScript() };
  }

  async read(kind: Kind, id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
    const request = new pb.ReadRequest!();
    request.setId!(id);
    request.setUrn!(Host.urn(kind, "r"));
    request.setProperties!(Struct.fromJavaScript(await this.withProvider(kind, props)));
    const response = await this.call("read", request);
    return { id: response.getId!() as string, props: (response.getProperties!() as { toJavaScript(): Record<string, unknown> }).toJavaScript() };
  }

  async update(kind: Kind, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = new pb.UpdateRequest!();
    request.setId!(id);
    request.setUrn!(Host.urn(kind, "r"));
    request.setOlds!(Struct.fromJavaScript(await this.withProvider(kind, olds)));
    request.setNews!(Struct.fromJavaScript(await this.withProvider(kind, news)));
    const response = await this.call("update", request);
    return (response.getProperties!() as { toJavaScript(): Record<string, unknown> }).toJavaScript();
  }

  async delete(kind: Kind, id: string, props: Record<string, unknown>): Promise<void> {
    const request = new pb.DeleteRequest!();
    request.setId!(id);
    request.setUrn!(Host.urn(kind, "r"));
    request.setProperties!(Struct.fromJavaScript(await this.withProvider(kind, props)));
    await this.call("delete", request);
  }

  async stop(): Promise<void> {
    this.client.close();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.on("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

/** A program directory with this package installed (linked) in its node_modules. */
function programDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "avb-program-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "pulumi-azure-vm-backup"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "test-program", private: true }));
  return dir;
}

export interface HostWorld {
  emulator: Emulator;
  host: Host;
  stop(): Promise<void>;
}

/**
 * An emulator and a host configured to use it through stack config, as a user's stack would be
 * (endpoint and CA from `azure-vm-backup:*`, the subscription from `azure-native:subscriptionId`).
 */
export async function hostWorld(options: EmulatorOptions = {}, env: NodeJS.ProcessEnv = {}, config: Record<string, string> = {}): Promise<HostWorld> {
  const emulator = await startEmulator({ clock: { speed: 0 }, ...options });
  const dir = mkdtempSync(join(tmpdir(), "avb-host-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, emulator.ca);
  const clean: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARM_|AZURE_)/.test(k)));
  const host = await Host.start({ ...clean, ...env });
  await host.configure({
    "azure-vm-backup:endpoint": emulator.endpoint,
    "azure-vm-backup:caCertificateFile": caFile,
    "azure-native:subscriptionId": SUB,
    "azure-vm-backup:pollIntervalMs": "2",
    "azure-vm-backup:retryDelayMs": "10",
    ...config,
  });
  return {
    emulator,
    host,
    stop: async () => {
      await host.stop();
      await emulator.stop();
    },
  };
}
