/**
 * Long-running operations on the emulated clock: an operation starts (shaped by injected faults), a client's
 * status reads only report it (except under a "slow-operation" fault that holds it for extra reads), and when
 * it falls due it finishes, succeeding with what its kind changes or failing, and the job it carries with it.
 */
import { randomUUID } from "node:crypto";
import { ArmError } from "../http";
import type { FaultAction } from "../faults";
import type { OperationKind, OperationRecord, VaultRecord } from "../state";
import type { Model } from "./index";
import { newJob } from "./jobs";
import { applyIlr } from "./item-recovery";
import { applyItemDelete, applyItemPut } from "./protection";
import { etag, sameLocation, subscriptionOf } from "./records";
import { applyVaultChanges, type VaultChanges } from "./vault-changes";

export function startOperation(
  model: Model,
  kind: OperationKind,
  vault: VaultRecord,
  faults: readonly FaultAction[],
  extra: Partial<Pick<OperationRecord, "itemKey" | "policyName" | "payload" | "jobId">> = {},
): OperationRecord {
  const now = model.now();
  const op: OperationRecord = {
    id: randomUUID(),
    kind,
    vaultKey: vault.key,
    status: "InProgress",
    startTime: now,
    dueAt: now + model.options.durations[kind],
    ...extra,
  };
  for (const fault of faults) {
    if (fault.kind === "fail-operation") {
      op.failure = { code: fault.code ?? "InternalOperationError", message: fault.message ?? "The operation failed (injected fault)." };
    } else if (fault.kind === "slow-operation") {
      // The only place where reads matter: an injected fault that holds the operation for extra status reads.
      if ((fault.extraPolls ?? 0) > 0) op.readsLeft = (op.readsLeft ?? 0) + fault.extraPolls!;
      op.dueAt += fault.delayMs ?? 0;
    }
  }
  model.state.operations.push(op);
  return op;
}

/**
 * A client read the operation's status. Reads only report, except under an injected "slow-operation"
 * fault with `extraPolls`, which holds the operation for that many reads past its due time.
 */
export function observe(model: Model, op: OperationRecord): OperationRecord {
  if (op.status !== "InProgress" || (op.readsLeft ?? 0) === 0 || op.dueAt > model.now()) return op;
  op.readsLeft = op.readsLeft! - 1;
  model.dirty = true;
  if (op.readsLeft === 0) finish(model, op, model.now());
  return op;
}

export function finish(model: Model, op: OperationRecord, at: number): void {
  const vault = model.vaultByKey(op.vaultKey);
  op.endTime = at;
  const job = vault === undefined || op.jobId === undefined ? undefined : vault.jobs.find((j) => j.id === op.jobId);
  if (op.failure !== undefined || vault === undefined) {
    op.status = "Failed";
    op.failure ??= { code: "ResourceNotFound", message: "The vault no longer exists." };
    if (vault !== undefined && op.kind === "vault-create") vault.provisioningState = "Failed";
    if (job !== undefined) {
      job.status = "Failed";
      job.endTime = op.endTime;
      job.error = op.failure;
    }
    return;
  }
  try {
    apply(model, op, vault, at);
    op.status = "Succeeded";
    if (job !== undefined && job.operation !== "Backup" && job.operation !== "Restore") {
      job.status = "Completed";
      job.endTime = op.endTime;
    }
  } catch (error) {
    op.status = "Failed";
    op.failure = error instanceof ArmError ? { code: error.code, message: error.message } : { code: "InternalError", message: String(error) };
    if (job !== undefined) {
      job.status = "Failed";
      job.endTime = op.endTime;
      job.error = op.failure;
    }
  }
}

/** What each operation changes when it succeeds. */
function apply(model: Model, op: OperationRecord, vault: VaultRecord, at: number): void {
  const payload = op.payload ?? {};
  switch (op.kind) {
    case "vault-create":
      vault.provisioningState = "Succeeded";
      return;
    case "vault-update":
      applyVaultChanges(vault, payload as VaultChanges);
      vault.etag = etag(at);
      return;
    case "policy-update": {
      const policy = vault.policies.find((p) => p.name.toLowerCase() === op.policyName?.toLowerCase());
      if (policy !== undefined) policy.properties = payload.properties as Record<string, unknown>;
      // The service re-configures every item of the policy, one ConfigureBackup job each, side by side
      // over the operation's time (ProtectionPolicyOperationStatuses_Get.json lists their job ids).
      const jobIds: string[] = [];
      for (const item of vault.items.filter((i) => i.policyName?.toLowerCase() === op.policyName?.toLowerCase())) {
        const job = newJob(vault, "ConfigureBackup", item.friendlyName, item.key, false, op.startTime);
        job.status = "Completed";
        job.endTime = at;
        jobIds.push(job.id);
      }
      op.payload = { ...payload, jobIds };
      return;
    }
    case "policy-delete":
      vault.policies = vault.policies.filter((p) => p.name.toLowerCase() !== op.policyName?.toLowerCase());
      return;
    case "refresh":
      vault.discovered = model.state.vms
        .filter((vm) => sameLocation(vm.location, vault.location) && subscriptionOf(vm.id) === vault.subscriptionId.toLowerCase())
        .map((vm) => vm.id.toLowerCase());
      return;
    case "item-put":
      applyItemPut(vault, op, at);
      return;
    case "item-delete":
      applyItemDelete(vault, op, at, model.softDeleteEnforced(vault.location));
      return;
    case "item-backup":
      return; // the Backup job was started with the request and runs on its own timeline
    case "ilr-provision":
    case "ilr-revoke":
      applyIlr(vault, op, at);
      return;
    case "item-restore":
      return; // the Restore job was started with the request and runs on its own timeline (model/restore.ts)
  }
}
