/**
 * File recovery (Azure's "item-level recovery", ILR) on the emulator's state: what provisioning a recovery point's
 * script gives and what its session is, what revoking changes.
 *
 * - A provisioned session mounts the recovery point for 12 hours, then ends by itself: "The script gives read-only
 *   access to a recovery point and is valid for only 12 hours. If you wish to remove the access earlier, [...] perform
 *   unmount disks for that particular recovery point. The script will be invalidated immediately." (Recover files from
 *   Azure virtual machine backup, https://learn.microsoft.com/azure/backup/backup-azure-restore-files-from-vm; the same
 *   text in MicrosoftDocs/azure-docs articles/backup/backup-azure-restore-files-from-vm.md; and seed 004, 2017: "These
 *   drives will remain mounted for 12 hours").
 * - The operation's result is an InstantItemRecoveryTarget of ClientScriptForConnect (bms.json): for a Linux VM one
 *   python script given inline (`scriptContent`, base64), for a Windows VM a script and an executable to download by
 *   `url`. The Azure CLI reads the Linux script from `clientScripts[0]` and the Windows executable from `clientScripts[1]`
 *   (`_run_client_script_for_linux` / `_run_client_script_for_windows` in Azure/azure-cli
 *   src/azure-cli/azure/cli/command_modules/backup/custom.py), which fixes their order.
 * - The script's password travels inside `scriptNameSuffix`: the CLI takes the 15 characters that start 33 characters
 *   after the suffix's last `_` (password_offset 33, password_length 15 in custom.py) and names the file with the rest
 *   plus `scriptExtension`. The name begins `<VM name>_<region>_<GUID>` (the page above: "like ContosoVM_wcus_12345678").
 *   The emulator builds suffixes that way: `<vm>_<region>_<32 hex digits><password>`.
 * - The script contents are the emulator's own text (Azure's script connects over iSCSI; nothing here can be mounted):
 *   a Python script for Linux with its password as `TargetPassword="..."`, the line the CLI looks for.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { HOUR } from "../clock";
import type { ItemRecord, OperationRecord, RecoveryPointRecord, VaultRecord, VmFixture } from "../state";

/** How long a provisioned file recovery session lasts (the page cited above: "valid for only 12 hours"). */
export const ILR_SESSION_MS = 12 * HOUR;

/** ClientScriptForConnect (bms.json). */
export interface ClientScript {
  scriptContent: string;
  scriptExtension: string;
  osType: "Windows" | "Linux";
  url: string;
  scriptNameSuffix: string;
}

/** The payload of an ilr-provision or ilr-revoke operation. */
export interface IlrPayload {
  recoveryPoint: string;
  clientScripts?: ClientScript[];
}

export function sessionActive(rp: RecoveryPointRecord, now: number): boolean {
  return rp.ilrSession !== undefined && now < rp.ilrSession.endsAt;
}

const ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

function password(): string {
  return [...randomBytes(15)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}

/** The scripts a provision hands out for the recovery point of a VM (its OS decides which). */
export function clientScripts(vault: VaultRecord, item: ItemRecord, rp: RecoveryPointRecord, vm: VmFixture | undefined, origin: string): ClientScript[] {
  const region = vault.location.replace(/\s+/g, "").toLowerCase();
  const secret = password();
  const suffix = `${item.friendlyName}_${region}_${randomUUID().replace(/-/g, "")}${secret}`;
  const header = [
    `# Azure VM backup file recovery script, as the azure-vm-backup emulator provisions it (nothing here connects to a real iSCSI target).`,
    `# VM: ${item.vmId}`,
    `# Recovery point: ${rp.name} (${new Date(rp.time).toISOString()})`,
  ];
  if (vm?.osType === "Windows") {
    const ps1 = [
      ...header,
      `$TargetPassword = "${secret}"`,
      `Write-Output "azure-vm-backup emulator: recovery point ${rp.name} of ${item.friendlyName}"`,
      "",
    ].join("\n");
    return [
      { scriptContent: Buffer.from(ps1).toString("base64"), scriptExtension: ".ps1", osType: "Windows", url: "", scriptNameSuffix: suffix },
      // The executable is downloaded from its url; the emulator's is a path it does not serve.
      { scriptContent: "", scriptExtension: ".exe", osType: "Windows", url: `${origin}/_emulator/file-recovery/${suffix}.exe`, scriptNameSuffix: suffix },
    ];
  }
  const py = [
    "#!/usr/bin/env python3",
    ...header,
    `TargetPassword="${secret}"`,
    `print("azure-vm-backup emulator: recovery point ${rp.name} of ${item.friendlyName}")`,
    "",
  ].join("\n");
  return [{ scriptContent: Buffer.from(py).toString("base64"), scriptExtension: ".py", osType: "Linux", url: "", scriptNameSuffix: suffix }];
}

/** A provision or revoke operation finished: the recovery point's session starts (for 12 hours) or ends. */
export function applyIlr(vault: VaultRecord, op: OperationRecord, at: number): void {
  const payload = op.payload as unknown as IlrPayload;
  const item = vault.items.find((i) => i.key === op.itemKey);
  const rp = item?.recoveryPoints.find((p) => p.name === payload.recoveryPoint);
  if (rp === undefined) return; // the point expired meanwhile: nothing is mounted
  if (op.kind === "ilr-provision") rp.ilrSession = { startedAt: at, endsAt: at + ILR_SESSION_MS };
  else delete rp.ilrSession;
}
