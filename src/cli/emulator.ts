/** `azure-vm-backup emulator`: runs the offline ARM emulator until interrupted. */
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { readGuardrails } from "./guardrails-file";

export interface EmulatorCommandOptions {
  port: number;
  host: string;
  state?: string;
  vms?: string;
  ca?: string;
  clockSpeed: number;
  retryAfter: number;
  /** A JSON file listing Azure Policy assignments that guard vaults (ModelOptions.guardrails). */
  guardrails?: string;
}

export async function runEmulator(options: EmulatorCommandOptions, write: (text: string) => void): Promise<Emulator> {
  const statePath = options.state === undefined ? undefined : resolve(options.state);
  const caPath = resolve(
    options.ca ?? (statePath === undefined ? join(tmpdir(), `azure-vm-backup-emulator-ca-${process.pid}.pem`) : join(dirname(statePath), "emulator-ca.pem")),
  );
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    caPath,
    clock: { speed: options.clockSpeed },
    retryAfterSeconds: options.retryAfter,
    ...(statePath === undefined ? {} : { statePath }),
    ...(options.vms === undefined ? {} : { vmsPath: resolve(options.vms) }),
    ...(options.guardrails === undefined ? {} : { model: { guardrails: readGuardrails(options.guardrails) } }),
  });
  write(
    [
      `azure-vm-backup emulator listening on ${emulator.endpoint}`,
      `CA certificate: ${caPath}`,
      `State: ${statePath === undefined ? "in memory" : `${statePath} (${emulator.state.vaults.length} vaults)`}`,
      `VMs served: ${emulator.state.vms.length}`,
      `Azure Policy assignments guarding vaults: ${emulator.model.guardrails.length === 0 ? "none" : emulator.model.guardrails.map((a) => a.name).join(", ")}`,
      `Clock: ${options.clockSpeed === 1 ? "real time" : `${options.clockSpeed}x real time`}`,
      "",
      "To use it from a Pulumi program or the SDKs:",
      `  export AZURE_VM_BACKUP_ENDPOINT=${emulator.endpoint}`,
      `  export NODE_EXTRA_CA_CERTS=${caPath}`,
      `Control: ${emulator.endpoint}/_emulator/health, /_emulator/clock, /_emulator/faults, /_emulator/log, /_emulator/guardrails`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
  return emulator;
}
