/**
 * Drives Pulumi's real dynamic-provider host over gRPC, exactly as the engine does (DESIGN §1,
 * reference/PULUMI.md §1): the host is `@pulumi/pulumi/cmd/dynamic-provider`, started with the program
 * directory as its working directory; each request carries the serialized provider in `__provider`;
 * Configure comes first. The program directory is a temporary one whose node_modules links this package,
 * as a user's would hold it installed; the host loads the providers through the package's `azure-vm-backup-source` export
 * condition (with tsx), so tests run the sources, through the same shim and package path as users.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../../src/providers/shim";
import type { Kind } from "../../src/providers/types";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";
import { ProviderHost, type CheckFailure, type HostDiff, type HostError } from "../../src/testing/host";
import { vmId } from "../emulator/harness";

export type { CheckFailure, HostError as GrpcError };
export type DiffResult = HostDiff;

export const ROOT = join(__dirname, "../..");
export const SUB = "00000000-0000-0000-0000-00000000aaaa";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const TYPES: Record<Kind, string> = {
  vault: "Vault",
  policy: "BackupPolicy",
  "protected-vm": "ProtectedVm",
  "stack-v2": "StackV2Registration",
  "policy-set": "BackupPolicySetAssignment",
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

type Props = Record<string, unknown>;

/** The real host, addressed by kind: each request gets the kind's URN and serialized provider. */
export class Host {
  private constructor(private readonly host: ProviderHost) {}

  static async start(env: NodeJS.ProcessEnv): Promise<Host> {
    // Sources through the package's `azure-vm-backup-source` export condition, with tsx, as a user's installed package would be.
    return new Host(
      await ProviderHost.start({
        cwd: programDirectory(),
        nodeArgs: ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx", { paths: [ROOT] })],
        env,
      }),
    );
  }

  get stderr(): () => string {
    return this.host.stderr;
  }

  private static urn(kind: Kind): string {
    return `urn:pulumi:test::azure-vm-backup::pulumi-nodejs:dynamic/azure-vm-backup:${TYPES[kind]}::r`;
  }

  private async withProvider(kind: Kind, props: Props): Promise<Props> {
    return { ...props, __provider: await providerText(kind) };
  }

  configure(config: Record<string, string>): Promise<void> {
    return this.host.configure(config);
  }

  async check(kind: Kind, news: Props, olds: Props = {}): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    return this.host.check(Host.urn(kind), Object.keys(olds).length === 0 ? {} : await this.withProvider(kind, olds), await this.withProvider(kind, news));
  }

  async diff(kind: Kind, id: string, olds: Props, news: Props): Promise<DiffResult> {
    return this.host.diff(Host.urn(kind), id, await this.withProvider(kind, olds), await this.withProvider(kind, news));
  }

  async create(kind: Kind, inputs: Props): Promise<{ id: string; outs: Props }> {
    return this.host.create(Host.urn(kind), await this.withProvider(kind, inputs));
  }

  async read(kind: Kind, id: string, props: Props): Promise<{ id: string; props: Props }> {
    return this.host.read(Host.urn(kind), id, await this.withProvider(kind, props));
  }

  async update(kind: Kind, id: string, olds: Props, news: Props): Promise<Props> {
    return this.host.update(Host.urn(kind), id, await this.withProvider(kind, olds), await this.withProvider(kind, news));
  }

  async delete(kind: Kind, id: string, props: Props): Promise<void> {
    return this.host.delete(Host.urn(kind), id, await this.withProvider(kind, props));
  }

  stop(): Promise<void> {
    return this.host.stop();
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
  const emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 }, ...options });
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

/**
 * The inputs host tests share, named after their vault: the vault (rg-backup, westeurope), a daily 20:30 policy kept
 * 30 days in it, and the protected-VM inputs of a fixture VM under that policy.
 */
export function vaultFixtures(vaultName: string) {
  const vault = { resourceGroupName: "rg-backup", name: vaultName, location: "westeurope" };
  const policy = {
    resourceGroupName: "rg-backup",
    vaultName,
    name: "daily-2030",
    schedule: { frequency: "Daily", time: "20:30" },
    retention: { daily: { count: 30 } },
  };
  const protection = (vm: string, extra: Record<string, unknown> = {}) => ({
    vaultResourceGroupName: "rg-backup",
    vaultName,
    policyName: "daily-2030",
    vmId: vmId(vm),
    ...extra,
  });
  return { VAULT: vault, POLICY: policy, protection };
}
