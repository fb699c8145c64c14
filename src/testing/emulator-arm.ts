/**
 * Requests an offline run sends to the emulator for resources of other providers that Azure Backup sees:
 * a private endpoint to a vault changes what the vault accepts (no private endpoint once an item was
 * registered: Microsoft Learn, backup-azure-private-endpoints-configure-manage), so the run PUTs it as
 * azure-native would, and the emulator answers as Azure does (a refusal fails the resource's step).
 */
import { request } from "node:https";
import type { Emulator } from "../emulator";

/** A resource the run deploys to the emulator: its ARM path, api-version and body. */
export interface ArmDeployment {
  path: string;
  apiVersion: string;
  body: Record<string, unknown>;
}

export class EmulatorArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Sends one request to the emulator (trusting its CA) and fails with Azure's error code on a 4xx/5xx answer. */
export function sendToEmulator(
  emulator: Pick<Emulator, "endpoint" | "ca">,
  method: "PUT" | "DELETE",
  deployment: Omit<ArmDeployment, "body"> & { body?: unknown },
): Promise<unknown> {
  const url = new URL(`${deployment.path}?api-version=${deployment.apiVersion}`, emulator.endpoint);
  const payload = deployment.body === undefined ? undefined : JSON.stringify(deployment.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: emulator.ca,
        headers: {
          authorization: "Bearer offline-run",
          ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const json = text === "" ? undefined : (JSON.parse(text) as { error?: { code?: string; message?: string } });
          const status = res.statusCode ?? 0;
          if (status >= 400) reject(new EmulatorArmError(status, json?.error?.code ?? `HTTP ${status}`, json?.error?.message ?? text));
          else resolve(json);
        });
      },
    );
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
