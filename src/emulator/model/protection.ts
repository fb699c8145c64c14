/**
 * What a protection operation changes when it finishes: protect a VM, change its policy or disk exclusion,
 * stop or suspend its backups, undelete it, and delete it (soft delete keeps the item, stopped, until the
 * vault's retention passes).
 */
import { DAY } from "../clock";
import { badRequest } from "../http";
import type { ItemRecord, OperationRecord, VaultRecord } from "../state";

/** The payload of an item-put operation. */
export interface ItemPut {
  mode: "protect" | "stop" | "suspend" | "rehydrate";
  containerName?: string;
  itemName?: string;
  vmId?: string;
  friendlyName?: string;
  policyName?: string;
  /** `null` clears an exclusion, `undefined` leaves it. */
  diskExclusion?: { diskLunList: number[]; isInclusionList: boolean } | null;
}

export function applyItemPut(vault: VaultRecord, op: OperationRecord, at: number): void {
  const p = op.payload as unknown as ItemPut;
  const existing = vault.items.find((i) => i.key === op.itemKey);
  if (p.mode === "rehydrate") {
    if (existing === undefined) throw badRequest("BMSUserErrorObjectNotFound", "The backup item to undelete no longer exists.");
    delete existing.deferredDeleteAt;
    existing.protectionState = "ProtectionStopped";
    return;
  }
  if (p.mode === "stop" || p.mode === "suspend") {
    if (existing === undefined) throw badRequest("BMSUserErrorObjectNotFound", "The backup item does not exist.");
    existing.protectionState = p.mode === "stop" ? "ProtectionStopped" : "BackupsSuspended";
    if (p.mode === "stop") delete existing.policyName;
    return;
  }
  // Protect, resume or change policy.
  if (existing !== undefined) {
    existing.policyName = p.policyName!;
    if (existing.protectionState === "ProtectionStopped" || existing.protectionState === "BackupsSuspended") {
      existing.protectionState = existing.recoveryPoints.length > 0 ? "Protected" : "IRPending";
    }
    if (p.diskExclusion === null) delete existing.diskExclusion;
    else if (p.diskExclusion !== undefined) existing.diskExclusion = p.diskExclusion;
    return;
  }
  const item: ItemRecord = {
    key: op.itemKey!,
    containerName: p.containerName!,
    name: p.itemName!,
    vmId: p.vmId!,
    friendlyName: p.friendlyName!,
    policyName: p.policyName!,
    protectionState: "IRPending",
    lastBackupStatus: "",
    recoveryPoints: [],
    createdAt: at,
  };
  if (p.diskExclusion !== undefined && p.diskExclusion !== null) item.diskExclusion = p.diskExclusion;
  vault.items.push(item);
  vault.storageLocked = true;
}

export function applyItemDelete(vault: VaultRecord, op: OperationRecord, at: number, softDeleteEnforced: boolean): void {
  const item = vault.items.find((i) => i.key === op.itemKey);
  if (item === undefined) return;
  // Secure by default (GA): deleted items are soft-deleted whatever the vault's setting or the API version
  // (https://learn.microsoft.com/azure/backup/secure-by-default, "Delete Protected Item action").
  if (vault.softDelete.state === "Disabled" && !softDeleteEnforced) {
    vault.items = vault.items.filter((i) => i !== item);
    return;
  }
  // Soft delete: the item stays, stopped, until the retention passes (https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud).
  item.protectionState = "ProtectionStopped";
  delete item.policyName;
  item.deferredDeleteAt = at + vault.softDelete.retentionDays * DAY;
}
