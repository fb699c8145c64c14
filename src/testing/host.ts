/**
 * Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), started and driven over
 * gRPC exactly as the engine does (https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/dynamic-provider/index.ts): the host runs in the program's directory,
 * Configure comes first, and every request carries the serialized provider in `__provider`.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { startPluginProcess } from "./plugin-process";

/* eslint-disable @typescript-eslint/no-require-imports */
interface Message {
  [member: string]: (value?: unknown) => unknown;
}
type Reply = Message & Record<string, () => unknown>;
type Call = (request: Message, callback: (error: HostError | null, response: Reply) => void) => void;
type GrpcClient = Record<string, Call> & { close(): void };

interface Protocol {
  client: new (address: string, credentials: grpc.ChannelCredentials) => GrpcClient;
  messages: Record<string, new () => Message>;
  struct: { fromJavaScript(value: unknown): unknown };
}

let protocol: Protocol | undefined;

/** The stubs Pulumi ships, with the google-protobuf copy they were built with. */
function load(): Protocol {
  if (protocol === undefined) {
    const proto = dirname(require.resolve("@pulumi/pulumi/proto/provider_pb"));
    const rpc = require(`${proto}/provider_grpc_pb`) as { ResourceProviderClient: Protocol["client"] };
    const struct = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [proto] })) as { Struct: Protocol["struct"] };
    protocol = { client: rpc.ResourceProviderClient, messages: require(`${proto}/provider_pb`) as Protocol["messages"], struct: struct.Struct };
  }
  return protocol;
}

/** A failed call: `details` is what the provider threw (its message), as the engine would print it. */
export interface HostError extends Error {
  code: number;
  details: string;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface HostDiff {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

type Props = Record<string, unknown>;

export interface HostOptions {
  /** The program's directory: the host resolves `require()` from here (it must hold this package in node_modules). */
  cwd: string;
  /** Extra node arguments, e.g. to load TypeScript sources. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

function toJs(message: unknown): Props {
  return (message as { toJavaScript(): Props } | undefined)?.toJavaScript() ?? {};
}

/** What the provider host process used: CPU time and peak resident memory. */
export interface HostUsage {
  cpuMs: number;
  peakRssMb: number;
}

/** USER_HZ, which Linux fixes at 100 for /proc's tick counts (proc(5), sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_SECOND = 100;

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: GrpcClient,
    /** What the host printed to stderr (a provider error's stack lands here). */
    readonly stderr: () => string,
  ) {}

  static async start(options: HostOptions): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const { child, port, stderr } = await startPluginProcess(entry, [], options, "The Pulumi provider host");
    const client = new (load().client)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, stderr);
  }

  private call(method: string, request: Message): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.client[method]!.call(this.client, request, (error, response) => (error === null ? resolve(response) : reject(error)));
    });
  }

  private request(type: string, fields: Record<string, unknown>): Message {
    const { messages, struct } = load();
    const request = new messages[type]!();
    for (const [key, value] of Object.entries(fields)) {
      const setter = `set${key[0]!.toUpperCase()}${key.slice(1)}`;
      request[setter]!(typeof value === "object" && value !== null && !Array.isArray(value) ? struct.fromJavaScript(value) : value);
    }
    return request;
  }

  /** Configure with the stack's config, keyed `namespace:key`. */
  async configure(config: Record<string, string>): Promise<void> {
    await this.call("configure", this.request("ConfigureRequest", { args: config, acceptsecrets: true }));
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const response = await this.call("check", this.request("CheckRequest", { urn, olds, news }));
    const failures = (response.getFailuresList!() as Array<{ getProperty(): string; getReason(): string }>).map((f) => ({
      property: f.getProperty(),
      reason: f.getReason(),
    }));
    return { inputs: toJs(response.getInputs!()), failures };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<HostDiff> {
    const response = await this.call("diff", this.request("DiffRequest", { id, urn, olds, news }));
    return {
      changes: (["unknown", "none", "some"] as const)[response.getChanges!() as number] ?? "unknown",
      replaces: response.getReplacesList!() as string[],
      deleteBeforeReplace: response.getDeletebeforereplace!() as boolean,
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outs: Props }> {
    const response = await this.call("create", this.request("CreateRequest", { urn, properties }));
    return { id: response.getId!() as string, outs: toJs(response.getProperties!()) };
  }

  async read(urn: string, id: string, properties: Props): Promise<{ id: string; props: Props }> {
    const response = await this.call("read", this.request("ReadRequest", { id, urn, properties }));
    return { id: response.getId!() as string, props: toJs(response.getProperties!()) };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const response = await this.call("update", this.request("UpdateRequest", { id, urn, olds, news }));
    return toJs(response.getProperties!());
  }

  async delete(urn: string, id: string, properties: Props): Promise<void> {
    await this.call("delete", this.request("DeleteRequest", { id, urn, properties }));
  }

  /**
   * The host process's CPU time and peak memory so far, from Linux's /proc (undefined elsewhere): how much work
   * the provider code did, apart from the waiting (bench/scale.ts divides it by the resources it served).
   */
  usage(): HostUsage | undefined {
    const pid = this.child.pid;
    if (pid === undefined || process.platform !== "linux") return undefined;
    try {
      // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (proc(5)); the name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      // VmHWM: the peak resident set size, in kB (proc(5)).
      const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, peakRssMb: hwm === null ? 0 : Number(hwm[1]) / 1024 };
    } catch {
      return undefined;
    }
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

export function isHostError(error: unknown): error is HostError {
  return error instanceof Error && typeof (error as HostError).details === "string";
}
