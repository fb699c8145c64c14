/**
 * Following the operations that answer 202 and leave the polling to the caller (protected items, Backup
 * now, discovery, policy updates: the 202 responses of Azure/azure-rest-api-specs' recoveryservicesbackup examples): read the status until it is done, waiting
 * what `Retry-After` asks (or the configured interval when the service sends none or 0), up to a timeout.
 */
import type { FullOperationResponse, OperationOptions } from "@azure/core-client";
import { AzureOperationError } from "./errors";

export interface Raw<T> {
  value: T;
  status: number;
  headers: Record<string, string>;
}

/** Runs an SDK call and keeps the raw status and headers (the SDK only shows them through `onResponse`). */
export async function withRaw<T>(call: (options: OperationOptions) => Promise<T>): Promise<Raw<T>> {
  let response: FullOperationResponse | undefined;
  const value = await call({ onResponse: (r) => (response = r) });
  return { value, status: response?.status ?? 0, headers: response?.headers.toJSON() ?? {} };
}

/** Retry-After in ms: seconds or an HTTP date (0 and absent mean "no advice"). */
export function retryAfterMs(headers: Record<string, string>): number | undefined {
  const ms = headers["retry-after-ms"] ?? headers["x-ms-retry-after-ms"];
  if (ms !== undefined && Number(ms) > 0) return Number(ms);
  const value = headers["retry-after"];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now()) || undefined;
}

export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
  operation: string;
  resource: string;
}

export interface Step<T> {
  done: boolean;
  value: T;
  headers: Record<string, string>;
}

export const sleep = (ms: number): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, ms));

export async function pollUntilDone<T>(read: () => Promise<Step<T>>, options: PollOptions): Promise<T> {
  const started = Date.now();
  for (;;) {
    const step = await read();
    if (step.done) return step.value;
    const wait = retryAfterMs(step.headers) ?? options.intervalMs;
    if (Date.now() - started + wait > options.timeoutMs) {
      throw new AzureOperationError(
        options.operation,
        options.resource,
        "OperationTimedOut",
        `still running after ${Math.round((Date.now() - started) / 1000)} s; it may still complete in Azure.`,
      );
    }
    await sleep(wait);
  }
}
