/**
 * A policy pack served by `@pulumi/policy`'s own analyzer server, started and driven over gRPC as the Pulumi engine
 * does: the policy host runs the pack's program with `@pulumi/pulumi/cmd/run-policy-pack <engine> <program>` in the
 * pack's directory, reads the port the server prints, then calls GetAnalyzerInfo, Configure (the pack's config),
 * Analyze (one resource's inputs) and AnalyzeStack (every resource of the stack)
 * (https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/run-policy-pack/run.ts; pulumi/proto/analyzer.proto).
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { startPluginProcess } from "./plugin-process";

/* eslint-disable @typescript-eslint/no-require-imports */
interface Message {
  [member: string]: (...values: unknown[]) => unknown;
}
type Call = (request: Message, callback: (error: grpc.ServiceError | null, response: Message) => void) => void;
type GrpcClient = Record<string, Call> & { close(): void };

interface Protocol {
  client: new (address: string, credentials: grpc.ChannelCredentials) => GrpcClient;
  messages: Record<string, new () => Message> & { EnforcementLevel: Record<string, number> };
  struct: { fromJavaScript(value: unknown): Message };
  empty: new () => Message;
}

let protocol: Protocol | undefined;

/** The stubs Pulumi ships, with the google-protobuf copy they were built with (as src/testing/host.ts loads them). */
function load(): Protocol {
  if (protocol === undefined) {
    const proto = dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
    const rpc = require(`${proto}/analyzer_grpc_pb`) as { AnalyzerClient: Protocol["client"] };
    const from = (m: string) => require(require.resolve(m, { paths: [proto] })) as Record<string, unknown>;
    protocol = {
      client: rpc.AnalyzerClient,
      messages: require(`${proto}/analyzer_pb`) as Protocol["messages"],
      struct: from("google-protobuf/google/protobuf/struct_pb").Struct as Protocol["struct"],
      empty: from("google-protobuf/google/protobuf/empty_pb").Empty as Protocol["empty"],
    };
  }
  return protocol;
}

type Props = Record<string, unknown>;
export type Enforcement = "advisory" | "mandatory" | "disabled" | "remediate";

/** A violation as the engine receives it. */
export interface AnalyzerDiagnostic {
  policyName: string;
  message: string;
  enforcementLevel: Enforcement;
  urn: string;
}

/** A resource as the engine describes it to AnalyzeStack. */
export interface AnalyzerResourceArgs {
  type: string;
  name: string;
  properties: Props;
  dependencies?: string[];
  /** Default: `urn:pulumi:test::project::<type>::<name>`. */
  urn?: string;
}

export interface AnalyzerOptions {
  /** The pack's directory (its package.json gives the pack's version); the program is run from here. */
  cwd: string;
  /** Extra node arguments, e.g. to load TypeScript sources. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::project::${type}::${name}`;
}

export class PolicyAnalyzer {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: GrpcClient,
    readonly stderr: () => string,
  ) {}

  static async start(options: AnalyzerOptions): Promise<PolicyAnalyzer> {
    const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js");
    // "." is the program: the pack's directory.
    const { child, port, stderr } = await startPluginProcess(entry, ["."], options, "The policy pack");
    const client = new (load().client)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyAnalyzer(child, client, stderr);
  }

  private call(method: string, request: Message): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.client[method]!.call(this.client, request, (error, response) => (error === null ? resolve(response) : reject(error)));
    });
  }

  private static options(): Message {
    const options = new (load().messages.AnalyzerResourceOptions!)();
    options.setProtect!(false);
    return options;
  }

  /** The pack's name and its policies with their enforcement levels. */
  async info(): Promise<{ name: string; policies: Array<{ name: string; enforcementLevel: Enforcement }> }> {
    const response = await this.call("getAnalyzerInfo", new (load().empty)());
    const policies = (response.getPoliciesList!() as Message[]).map((p) => ({
      name: p.getName!() as string,
      enforcementLevel: enforcement(p.getEnforcementlevel!() as number),
    }));
    return { name: response.getName!() as string, policies };
  }

  /** Configure: per policy, its enforcement level and config properties, as `--policy-pack-config` gives them. */
  async configure(config: Record<string, { enforcementLevel: Enforcement; properties?: Props }>): Promise<void> {
    const { messages, struct } = load();
    const request = new messages.ConfigureAnalyzerRequest!();
    const map = request.getPolicyconfigMap!() as { set(key: string, value: Message): void };
    for (const [name, value] of Object.entries(config)) {
      const policy = new messages.PolicyConfig!();
      policy.setEnforcementlevel!(messages.EnforcementLevel[value.enforcementLevel.toUpperCase()]);
      policy.setProperties!(struct.fromJavaScript(value.properties ?? {}));
      map.set(name, policy);
    }
    await this.call("configure", request);
  }

  /** Analyze: one resource's inputs, before it is created or updated. */
  async analyze(type: string, name: string, properties: Props): Promise<AnalyzerDiagnostic[]> {
    const { messages, struct } = load();
    const request = new messages.AnalyzeRequest!();
    request.setType!(type);
    request.setName!(name);
    request.setUrn!(urnOf(type, name));
    request.setProperties!(struct.fromJavaScript(properties));
    request.setOptions!(PolicyAnalyzer.options());
    return diagnostics(await this.call("analyze", request));
  }

  /** AnalyzeStack: every resource of the stack, with their dependencies (URNs). */
  async analyzeStack(resources: readonly AnalyzerResourceArgs[]): Promise<AnalyzerDiagnostic[]> {
    const { messages, struct } = load();
    const list = resources.map((r) => {
      const resource = new messages.AnalyzerResource!();
      resource.setType!(r.type);
      resource.setName!(r.name);
      resource.setUrn!(r.urn ?? urnOf(r.type, r.name));
      resource.setProperties!(struct.fromJavaScript(r.properties));
      resource.setOptions!(PolicyAnalyzer.options());
      resource.setDependenciesList!(r.dependencies ?? []);
      return resource;
    });
    const request = new messages.AnalyzeStackRequest!();
    request.setResourcesList!(list);
    return diagnostics(await this.call("analyzeStack", request));
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

function enforcement(level: number): Enforcement {
  const names = load().messages.EnforcementLevel;
  const name = Object.keys(names).find((k) => names[k] === level) ?? "ADVISORY";
  return name.toLowerCase() as Enforcement;
}

function diagnostics(response: Message): AnalyzerDiagnostic[] {
  return (response.getDiagnosticsList!() as Message[]).map((d) => ({
    policyName: d.getPolicyname!() as string,
    message: d.getMessage!() as string,
    enforcementLevel: enforcement(d.getEnforcementlevel!() as number),
    urn: d.getUrn!() as string,
  }));
}
