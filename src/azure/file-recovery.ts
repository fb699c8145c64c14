/**
 * File recovery through the SDK (RecoveryServicesBackupClient): a VM's recovery points, provisioning a recovery
 * point's file recovery script (`itemLevelRecoveryConnections.provision`) and revoking it (`revoke`).
 *
 * Both answer 202 with item-scoped Location and Azure-AsyncOperation (Provision_Ilr.json, Revoke_Ilr.json in
 * Azure/azure-rest-api-specs, recoveryservicesbackup stable/2023-06-01); the operation is followed through the item's
 * operation status (`protectedItemOperationStatuses.get`), whose `properties` on success are an
 * OperationStatusProvisionILRExtendedInfo holding the scripts (`recoveryTarget.clientScripts`), where the Azure CLI reads
 * them too (custom_help.py track_backup_ilr, custom.py restore_files_mount_rp, Azure/azure-cli).
 */
import type { ClientScriptForConnect, IaasVMRecoveryPoint, OperationStatusProvisionILRExtendedInfo } from "@azure/arm-recoveryservicesbackup";
import { resourceNameOf } from "../rules";
import type { AzureClients } from "./clients";
import { attempt, AzureOperationError } from "./errors";
import { operationIdOf, type ItemNames, type VaultRef } from "./ids";
import { pollUntilDone, withRaw, type Raw } from "./poll";
import type { AzureSettings } from "./settings";

export interface RecoveryPointState {
  name: string;
  /** ISO time of the recovery point. */
  time: string | undefined;
  type: string;
  /** A file recovery session (a provisioned script) is active on it. */
  fileRecoveryActive: boolean;
}

export interface FileRecoveryScript {
  osType: "Windows" | "Linux" | string;
  /** The file name the Azure CLI gives it: the name suffix without the password, plus the extension. */
  fileName: string;
  /** The script's text (decoded), when Azure gives it inline. */
  content?: string;
  /** Where to download it, when Azure gives a URL instead (the Windows executable). */
  url?: string;
  /** The password the script asks for, when the name suffix carries one. */
  password?: string;
}

const label = (ref: VaultRef, names: ItemNames) => `VM '${names.vm.name}' in vault '${ref.vaultName}'`;

function toPoint(rp: { name?: string; properties?: unknown }): RecoveryPointState {
  const p = (rp.properties ?? {}) as Partial<IaasVMRecoveryPoint>;
  const time = p.recoveryPointTime instanceof Date ? p.recoveryPointTime : typeof p.recoveryPointTime === "string" ? new Date(p.recoveryPointTime) : undefined;
  return {
    name: rp.name ?? "",
    time: time === undefined || Number.isNaN(time.getTime()) ? undefined : time.toISOString(),
    type: String(p.recoveryPointType ?? ""),
    fileRecoveryActive: p.isInstantIlrSessionActive === true,
  };
}

/** The VM's recovery points, newest first. */
export async function listRecoveryPoints(c: AzureClients, ref: VaultRef, names: ItemNames): Promise<RecoveryPointState[]> {
  return attempt("Listing the recovery points of", label(ref, names), async () => {
    const points: RecoveryPointState[] = [];
    for await (const rp of c.backup.recoveryPoints.list(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName))
      points.push(toPoint(rp));
    return points.sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
  });
}

export async function getRecoveryPoint(c: AzureClients, ref: VaultRef, names: ItemNames, name: string): Promise<RecoveryPointState> {
  return attempt(`Reading recovery point '${name}' of`, label(ref, names), async () =>
    toPoint(await c.backup.recoveryPoints.get(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName, name)),
  );
}

/**
 * The Azure CLI's file name and password for a script: the password is the 15 characters that start 33 characters
 * after the suffix's last `_` (password_offset 33, password_length 15); the name is the suffix without them, plus the
 * extension (`_remove_password_from_suffix`, `_get_script_file_name_and_password` in custom.py).
 */
export function scriptFileName(script: Pick<ClientScriptForConnect, "scriptNameSuffix" | "scriptExtension">): { fileName: string; password?: string } {
  const suffix = script.scriptNameSuffix ?? "";
  const extension = script.scriptExtension ?? "";
  const underscore = suffix.lastIndexOf("_");
  const start = underscore + 33;
  if (underscore < 0 || suffix.length < start + 15) return { fileName: `${suffix}${extension}` };
  return { fileName: `${suffix.slice(0, start)}${suffix.slice(start + 15)}${extension}`, password: suffix.slice(start, start + 15) };
}

function toScript(s: ClientScriptForConnect): FileRecoveryScript {
  const { fileName, password } = scriptFileName(s);
  return {
    osType: s.osType ?? "",
    fileName,
    ...(s.scriptContent === undefined || s.scriptContent === "" ? {} : { content: Buffer.from(s.scriptContent, "base64").toString("utf8") }),
    ...(s.url === undefined || s.url === "" ? {} : { url: s.url }),
    ...(password === undefined ? {} : { password }),
  };
}

/** Follows an item operation to its end and returns its final status (throws when it failed). */
async function follow(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames, raw: Raw<unknown>, operation: string) {
  const id = operationIdOf(raw.headers["azure-asyncoperation"] ?? raw.headers.location);
  if (id === undefined) throw new AzureOperationError(operation, label(ref, names), undefined, "Azure gave no operation to follow.");
  const status = await pollUntilDone(
    async () => {
      const step = await attempt(`Following "${operation}" for`, label(ref, names), () =>
        withRaw((options) =>
          c.backup.protectedItemOperationStatuses.get(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName, id, options),
        ),
      );
      return { done: step.value.status !== "InProgress", value: step.value, headers: step.headers };
    },
    { intervalMs: settings.pollIntervalMs, timeoutMs: settings.operationTimeoutMs, operation, resource: label(ref, names) },
  );
  if (status.status !== "Succeeded") {
    throw new AzureOperationError(operation, label(ref, names), status.error?.code, status.error?.message ?? `the operation ended ${status.status}.`);
  }
  return status;
}

/**
 * Provisions the file recovery script of a recovery point (renewing the session when one is active, as the Azure CLI
 * asks) and returns the scripts Azure gives, in its order (Linux: the python script; Windows: a script, then the
 * executable to download).
 */
export async function provisionFileRecovery(
  c: AzureClients,
  settings: AzureSettings,
  ref: VaultRef,
  names: ItemNames,
  vmId: string,
  recoveryPoint: string,
  renew: boolean,
): Promise<{ scripts: FileRecoveryScript[]; provisionedAt?: string }> {
  const operation = `Provisioning file recovery of recovery point '${recoveryPoint}' for`;
  const raw = await attempt(operation, label(ref, names), () =>
    withRaw((options) =>
      c.backup.itemLevelRecoveryConnections.provision(
        ref.vaultName,
        ref.resourceGroupName,
        "Azure",
        names.containerName,
        names.itemName,
        recoveryPoint,
        {
          properties: { objectType: "IaasVMILRRegistrationRequest", recoveryPointId: recoveryPoint, virtualMachineId: vmId, renewExistingRegistration: renew },
        },
        options,
      ),
    ),
  );
  const status = await follow(c, settings, ref, names, raw, operation);
  const scripts = (status.properties as OperationStatusProvisionILRExtendedInfo | undefined)?.recoveryTarget?.clientScripts ?? [];
  if (scripts.length === 0) throw new AzureOperationError(operation, label(ref, names), undefined, "Azure reported success but gave no script.");
  const end = status.endTime instanceof Date && status.endTime.getTime() > 0 ? status.endTime : undefined;
  return { scripts: scripts.map(toScript), ...(end === undefined ? {} : { provisionedAt: end.toISOString() }) };
}

/** The protected VMs of a vault with this name (any resource group), or with this id: their VM ids. */
export async function protectedVmIds(c: AzureClients, ref: VaultRef, vm: { name: string } | { id: string }): Promise<string[]> {
  return attempt("Listing the protected VMs of", `vault '${ref.vaultName}'`, async () => {
    const ids: string[] = [];
    for await (const item of c.backup.backupProtectedItems.list(ref.vaultName, ref.resourceGroupName, { filter: "backupManagementType eq 'AzureIaasVM'" })) {
      const p = (item.properties ?? {}) as { sourceResourceId?: string; virtualMachineId?: string };
      const id = p.sourceResourceId ?? p.virtualMachineId;
      if (id === undefined) continue;
      const name = resourceNameOf(id);
      if ("id" in vm ? id.toLowerCase() === vm.id.toLowerCase() : name.toLowerCase() === vm.name.toLowerCase()) ids.push(id);
    }
    return ids;
  });
}

/** Revokes the file recovery session of a recovery point (unmounts its disks). */
export async function revokeFileRecovery(c: AzureClients, settings: AzureSettings, ref: VaultRef, names: ItemNames, recoveryPoint: string): Promise<void> {
  const operation = `Revoking file recovery of recovery point '${recoveryPoint}' for`;
  const raw = await attempt(operation, label(ref, names), () =>
    withRaw((options) =>
      c.backup.itemLevelRecoveryConnections.revoke(ref.vaultName, ref.resourceGroupName, "Azure", names.containerName, names.itemName, recoveryPoint, options),
    ),
  );
  await follow(c, settings, ref, names, raw, operation);
}
