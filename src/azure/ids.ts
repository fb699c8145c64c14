/**
 * ARM ids and the names Azure Backup derives from them, kept here so that users never write
 * `IaasVMContainer;iaasvmcontainerv2;rg;vm` (examples/AzureIaasVm/Compute_ProtectedItem_Get.json in https://github.com/Azure/azure-rest-api-specs/tree/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01). Ids compare without case: the
 * service answers `/Subscriptions/` and may change a resource group's case.
 */
import { parseVmId, type VmId } from "../rules";

export interface VaultRef {
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
}

export interface PolicyRef extends VaultRef {
  policyName: string;
}

export function vaultId(v: VaultRef): string {
  return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/${v.vaultName}`;
}

export function policyId(p: PolicyRef): string {
  return `${vaultId(p)}/backupPolicies/${p.policyName}`;
}

const VAULT = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)\/?$/i;
const POLICY = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)\/backupPolicies\/([^/]+)\/?$/i;

export function parseVaultId(id: string): VaultRef | undefined {
  const m = VAULT.exec(id.trim());
  return m === null ? undefined : { subscriptionId: m[1]!, resourceGroupName: m[2]!, vaultName: m[3]! };
}

export function parsePolicyId(id: string): PolicyRef | undefined {
  const m = POLICY.exec(id.trim());
  return m === null ? undefined : { subscriptionId: m[1]!, resourceGroupName: m[2]!, vaultName: m[3]!, policyName: m[4]! };
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim().replace(/\/+$/, "").toLowerCase() === b.trim().replace(/\/+$/, "").toLowerCase();
}

/** The protection container and protected item of a VM: `IaasVMContainer;iaasvmcontainerv2;{rg};{vm}`, `VM;iaasvmcontainerv2;{rg};{vm}`. */
export interface ItemNames {
  containerName: string;
  itemName: string;
  vm: VmId;
}

export function itemNamesFor(vmArmId: string): ItemNames {
  const vm = parseVmId(vmArmId);
  if (vm === undefined) throw new Error(`'${vmArmId}' is not the id of a virtual machine.`);
  const middle = vm.kind === "arm" ? "iaasvmcontainerv2" : "iaasvmcontainer";
  return { containerName: `IaasVMContainer;${middle};${vm.resourceGroup};${vm.name}`, itemName: `VM;${middle};${vm.resourceGroup};${vm.name}`, vm };
}

/** The operation id in a Location or Azure-AsyncOperation URL: its last path segment. */
export function operationIdOf(url: string | undefined): string | undefined {
  if (url === undefined || url === "") return undefined;
  try {
    return new URL(url).pathname.split("/").filter((s) => s !== "").pop();
  } catch {
    return undefined;
  }
}
