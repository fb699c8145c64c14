/**
 * Azure's errors in the user's words: which operation failed on which resource, ARM's code and message,
 * and what to do. The SDKs' RestError carries `code` and `statusCode`; failed long-running operations
 * carry the operation status's error.
 */
import { policyViolationsOf, type PolicyViolation } from "./policy-violations";

/** Advice per ARM error code (codes as Microsoft's docs, Azure/azure-rest-api-specs and public recordings give them). */
const REMEDIES: Record<string, string> = {
  AuthenticationFailed: "Check the credentials (ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID, OIDC, managed identity or `az login`).",
  AuthorizationFailed: "Grant the identity the Backup Contributor role on the vault's resource group (and Virtual Machine Contributor on the VM).",
  ResourceGroupNotFound: "Create the resource group first (for example with azure-native's ResourceGroup) and depend on it.",
  ResourceRequestsThrottled:
    "Azure is throttling this subscription: retry later, or lower the number of resources Pulumi changes at once (`pulumi up --parallel 4`).",
  TooManyRequests: "Azure is throttling this subscription: retry later, or lower `pulumi up --parallel`.",
  StorageModelModifyError: "Storage redundancy is locked once VMs are protected: keep the current redundancy, or create a new vault.",
  ServiceResourceNotEmptyWithContainerDetails: 'The vault still protects VMs: stop their protection first, or set the vault\'s onDestroy to "purge".',
  ServiceResourceNotEmptyWithBackendMessage:
    'The vault holds soft-deleted backup items: wait for their soft-delete retention to pass, or set the vault\'s onDestroy to "purge".',
  BMSUserErrorPolicyObjectInUse: "VMs are still protected with this policy: move them to another policy or stop their protection first.",
  BMSUserErrorInvalidPolicyInput: "Azure refused the policy's schedule or retention; `azure-vm-backup check` shows which rule the policy breaks.",
  BMSUserErrorConflictingProtectionOperation: "Another protection operation is running on this VM: run `pulumi up` again when it has finished.",
  UserErrorBackupOperationInProgress: "A backup of this VM is running: wait for it to finish.",
  UserErrorDeleteBackupItemOnImmutableItem:
    'The vault is immutable: stop protection and retain the data (onDestroy: "stopProtectionRetainData") instead of deleting it.',
  BMSUserErrorDisablingSoftDeleteStateNotAllowed: "Soft delete is AlwaysON for this vault and cannot be turned off.",
  // A linked resource in another tenant: for this package, the vault's Resource Guard (src/azure/resource-guard.ts).
  LinkedAuthorizationFailed:
    "The vault's Resource Guard is in another tenant: set azure-vm-backup:auxiliaryTenantIds (or ARM_AUXILIARY_TENANT_IDS) to its tenant id, and get the Backup MUA Operator role on the guard just in time (Privileged Identity Management).",
  UserErrorGuestAgentStatusUnavailable: "The VM agent is not ready: make sure the VM is running and its agent is installed, then run `pulumi up` again.",
};

export class AzureOperationError extends Error {
  /** For RequestDisallowedByPolicy: the assignments that denied the request (policy-violations.ts). */
  policyViolations?: PolicyViolation[];

  constructor(
    readonly operation: string,
    readonly resource: string,
    readonly code: string | undefined,
    readonly azureMessage: string,
    readonly statusCode?: number,
  ) {
    const remedy = code === undefined ? undefined : REMEDIES[code];
    super(
      `${operation} ${resource} failed${code === undefined ? "" : ` (${code}${statusCode === undefined ? "" : `, HTTP ${statusCode}`})`}: ${azureMessage}${remedy === undefined ? "" : ` What to do: ${remedy}`}`,
    );
    this.name = "AzureOperationError";
  }
}

interface RestErrorLike {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Whether an SDK error is ARM's 404. */
export function isNotFound(error: unknown): boolean {
  return (error as RestErrorLike | undefined)?.statusCode === 404;
}

/** Wraps an SDK error with the operation and resource; passes our own errors through. */
export function describeError(error: unknown, operation: string, resource: string): Error {
  if (error instanceof AzureOperationError) return error;
  const e = error as RestErrorLike;
  if (e !== null && typeof e === "object" && typeof e.message === "string") {
    // The poller reports "The long-running operation has failed. <code>. <message>".
    const lro = /^The long-running operation has failed\.\s*(?:(\S+?)\.\s*)?(.*)$/s.exec(e.message);
    if (lro !== null) return new AzureOperationError(operation, resource, lro[1], lro[2] || "the operation ended Failed.");
    const described = new AzureOperationError(operation, resource, e.code, e.message, e.statusCode);
    const violations = policyViolationsOf(error);
    if (violations !== undefined) described.policyViolations = violations;
    return described;
  }
  return new AzureOperationError(operation, resource, undefined, String(error));
}

/** Runs an SDK call and describes its failure. */
export async function attempt<T>(operation: string, resource: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeError(error, operation, resource);
  }
}
