/**
 * A stand-in for the Pulumi engine's own gRPC service, which a program sends its log messages to
 * (`pulumi.log.warn(message, resource)` becomes `Engine/Log` with the resource's URN). Running a program
 * offline, this is how its warnings reach the run's report, attached to their resources.
 */
import { dirname } from "node:path";
import * as grpc from "@grpc/grpc-js";

export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface LogEntry {
  severity: LogSeverity;
  message: string;
  /** The resource the message is about, if any. */
  urn: string;
}

/* eslint-disable @typescript-eslint/no-require-imports */
interface EngineProto {
  service: grpc.ServiceDefinition;
  messages: Record<string, new () => Record<string, (value?: unknown) => unknown>>;
  empty: new () => unknown;
}

function load(): EngineProto {
  const proto = dirname(require.resolve("@pulumi/pulumi/proto/engine_pb"));
  const rpc = require(`${proto}/engine_grpc_pb`) as { EngineService: grpc.ServiceDefinition };
  const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [proto] })) as { Empty: new () => unknown };
  return { service: rpc.EngineService, messages: require(`${proto}/engine_pb`) as EngineProto["messages"], empty: empty.Empty };
}

const SEVERITIES: Record<number, LogSeverity> = { 0: "debug", 1: "info", 2: "warning", 3: "error" };

export class FakeEngine {
  /** Messages since the last `take()`. */
  private entries: LogEntry[] = [];
  private root = "";

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  static async start(): Promise<FakeEngine> {
    const { service, messages, empty } = load();
    const server = new grpc.Server();
    let engine: FakeEngine | undefined;
    type Handler = (call: { request: Record<string, () => unknown> }, callback: (error: null, reply: unknown) => void) => void;
    const handlers: Record<string, Handler> = {
      log: (call, callback) => {
        const severity = SEVERITIES[call.request.getSeverity!() as number] ?? "info";
        // The SDK narrates its RPCs at debug level; a run report wants what programs and components say.
        if (severity !== "debug") engine?.entries.push({ severity, message: call.request.getMessage!() as string, urn: call.request.getUrn!() as string });
        callback(null, new empty());
      },
      getRootResource: (_call, callback) => {
        const reply = new messages.GetRootResourceResponse!();
        reply.setUrn!(engine?.root ?? "");
        callback(null, reply);
      },
      setRootResource: (call, callback) => {
        if (engine !== undefined) engine.root = call.request.getUrn!() as string;
        callback(null, new messages.SetRootResourceResponse!());
      },
      requirePulumiVersion: (_call, callback) => callback(null, new messages.RequirePulumiVersionResponse!()),
      startDebugging: (_call, callback) => callback(null, new empty()),
    };
    server.addService(service, handlers as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error === null ? resolve(p) : reject(error))),
    );
    engine = new FakeEngine(server, `127.0.0.1:${port}`);
    return engine;
  }

  /** The messages logged since the last call. */
  take(): LogEntry[] {
    const taken = this.entries;
    this.entries = [];
    return taken;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
