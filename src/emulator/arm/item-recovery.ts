/**
 * File recovery (item-level recovery connections, api 2023-06-01 and later): ItemLevelRecoveryConnections_Provision
 * (`POST .../recoveryPoints/{recoveryPointId}/provisionInstantItemRecovery`, an ILRRequestResource whose properties are an
 * IaasVMILRRegistrationRequest) and ItemLevelRecoveryConnections_Revoke (`POST .../revokeInstantItemRecovery`, no body).
 *
 * Both answer 202 with item-scoped Location (`operationResults`), Azure-AsyncOperation (`operationsStatus`) and
 * Retry-After, one operation id in both (Revoke_Ilr.json, examples/AzureIaasVm of
 * specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01 in
 * Azure/azure-rest-api-specs; Provision_Ilr.json could not be read verbatim, so provision answers the same 202: see
 * test/fixtures/arm/SOURCES.md). The operation is tracked like any item operation
 * (the item's `operationsStatus` and the vault's `backupOperations`, which the Azure CLI reads: custom_help.py
 * track_backup_operation); a finished provision's status carries the scripts (OperationStatusProvisionILRExtendedInfo
 * with an InstantItemRecoveryTarget), and no job: the spec gives the provision's status the ILR extended info
 * instead of a job id, and no job type for file recovery exists in its JobOperationType list.
 *
 * The session it opens shows as the recovery point's `isInstantIlrSessionActive` until revoked or 12 hours on
 * (model/item-recovery.ts cites the 12 hours). Refusals: an unknown vault, item or recovery point (404, the codes of
 * the item and recovery point reads, arm/protection.ts and arm/jobs.ts), and a body that is not an IaaS VM ILR request.
 * The body's own `recoveryPointId` is not compared with the path's: Provision_Ilr.json itself sends "38823086363464"
 * to recovery point "1". Revoking a point with no session is accepted and changes nothing: the Azure CLI revokes only
 * when `isInstantIlrSessionActive` (custom.py restore_files_unmount_rp), so no public source shows the service's answer.
 */
import { ArmError, badRequest, notFound, ok, prop, type EmulatorRequest } from "../http";
import { clientScripts, type IlrPayload } from "../model/item-recovery";
import { itemKey } from "../model/records";
import type { ItemRecord, RecoveryPointRecord, VaultRecord } from "../state";
import { asyncHeaders, backupVaultId } from "./render";
import { VAULT_PATH, type Services } from "./services";

export function registerItemRecovery(s: Services): void {
  const { router, model } = s;
  const rpPath = `${VAULT_PATH}/backupFabrics/{fabricName}/protectionContainers/{containerName}/protectedItems/{protectedItemName}/recoveryPoints/{recoveryPointId}`;

  const find = (r: EmulatorRequest): { vault: VaultRecord; item: ItemRecord; rp: RecoveryPointRecord } => {
    const vault = model.vault(r.params.subscriptionId!, r.params.resourceGroupName!, r.params.vaultName!);
    if (vault === undefined) throw notFound("Microsoft.RecoveryServices/vaults", r.params.vaultName!, r.params.resourceGroupName!);
    if (r.params.fabricName!.toLowerCase() !== "azure") throw notFound("backupFabrics", r.params.fabricName!, r.params.resourceGroupName!);
    const key = itemKey(r.params.containerName!, r.params.protectedItemName!);
    const item = key === undefined ? undefined : vault.items.find((i) => i.key === key);
    if (item === undefined) {
      throw new ArmError(404, "BMSUserErrorObjectNotFound", `Backup item '${r.params.protectedItemName}' was not found in vault '${vault.name}'.`);
    }
    const rp = item.recoveryPoints.find((p) => p.name === r.params.recoveryPointId);
    // emulator code, as the recovery point read answers (arm/jobs.ts): the service's code is not established.
    if (rp === undefined) throw new ArmError(404, "BMSUserErrorRecoveryPointNotFound", `Recovery point '${r.params.recoveryPointId}' was not found.`);
    return { vault, item, rp };
  };
  const urls = (vault: VaultRecord, item: ItemRecord, opId: string) => {
    const base = `${backupVaultId(vault)}/backupFabrics/Azure/protectionContainers/${item.containerName}/protectedItems/${item.name}`;
    return { location: `${base}/operationResults/${opId}`, asyncOperation: `${base}/operationsStatus/${opId}` };
  };

  router.add("POST", `${rpPath}/provisionInstantItemRecovery`, (r) => {
    const { vault, item, rp } = find(r);
    const type = prop(r.body, "properties", "objectType");
    if (type !== "IaasVMILRRegistrationRequest") {
      // emulator code (the service's code for another request type on a VM is not established).
      throw badRequest("BMSUserErrorInvalidInput", `properties.objectType must be 'IaasVMILRRegistrationRequest' for an Azure VM; got '${String(type)}'.`);
    }
    const payload: IlrPayload = { recoveryPoint: rp.name, clientScripts: clientScripts(vault, item, rp, model.vm(item.vmId), r.origin) };
    const op = model.startOperation("ilr-provision", vault, r.faults, { itemKey: item.key, payload: payload as unknown as Record<string, unknown> });
    return ok(undefined, 202, asyncHeaders(r, s.retryAfterSeconds, urls(vault, item, op.id)));
  });

  router.add("POST", `${rpPath}/revokeInstantItemRecovery`, (r) => {
    const { vault, item, rp } = find(r);
    const payload: IlrPayload = { recoveryPoint: rp.name };
    const op = model.startOperation("ilr-revoke", vault, r.faults, { itemKey: item.key, payload: payload as unknown as Record<string, unknown> });
    return ok(undefined, 202, asyncHeaders(r, s.retryAfterSeconds, urls(vault, item, op.id)));
  });
}
