/** Requests and responses as the emulator's handlers see them, and ARM's error body. */
import type { IncomingHttpHeaders } from "node:http";
import type { FaultAction } from "./faults";

export interface EmulatorRequest {
  method: string;
  /** Decoded path segments (ARM matches them case-insensitively; values keep their case). */
  segments: string[];
  /** Query parameters by lower-cased, decoded key (`$filter` → `$filter`). */
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** `https://host:port`, for the absolute URLs ARM puts in Location and Azure-AsyncOperation. */
  origin: string;
  /** The request's api-version, echoed in the URLs the emulator hands out. */
  apiVersion: string | undefined;
  params: Record<string, string>;
  /** Fault actions that act on the operation this request starts (fail or slow it). */
  faults: FaultAction[];
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON; absent for an empty body. */
  body?: unknown;
}

/** An ARM error: `{"error":{"code","message"[,"target"]}}` with an HTTP status. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The parameter at fault, where the service names one (ARM's ErrorDetail `target`). */
    readonly target?: string,
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string; target?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.target === undefined ? {} : { target: this.target }) } };
  }
}

export function ok(body?: unknown, status = 200, headers?: Record<string, string>): EmulatorResponse {
  const response: EmulatorResponse = { status };
  if (body !== undefined) response.body = body;
  if (headers !== undefined) response.headers = headers;
  return response;
}

export function notFound(type: string, name: string, resourceGroup: string): ArmError {
  // ARM's generic 404, as in Azure PowerShell's recorded sessions (Azure/azure-powershell RecoveryServices.Backup.Test/SessionRecords).
  return new ArmError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function badRequest(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

/** Reads a property path of a JSON body that may be anything. */
export function prop(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
