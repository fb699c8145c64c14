/**
 * How values cross the wire between the engine and the provider host, as the engine sends them: the unknown
 * sentinel, secrets unwrapped, the type prefix of dynamic resources, and the text of a host's error.
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_SENTINEL } from "../rules";
import { isHostError } from "./host";

/** Pulumi's secret signature key and value (pulumi/pulumi sdk/nodejs/runtime/rpc.ts, `specialSigKey`, `specialSecretSig`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
/** The type prefix of dynamic resources that name a module, as this package's do: `pulumi-nodejs:dynamic/<module>:<type>` (pulumi/pulumi sdk/nodejs/dynamic/index.ts). */
export const DYNAMIC = "pulumi-nodejs:dynamic/";

export type Props = Record<string, unknown>;

/** Inputs as the engine sends them to a provider: unknowns as the unknown sentinel, secrets unwrapped. */
export function toWire(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    const record = value as Props;
    if (record[SIG] === SECRET) return toWire(record.value);
    return Object.fromEntries(
      Object.entries(record)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

/** What a failed provider call or program says: a host error's gRPC details, or the error's message. */
export function errorText(error: unknown): string {
  if (isHostError(error)) return error.details;
  return error instanceof Error ? error.message : String(error);
}
