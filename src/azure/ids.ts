/**
 * ARM ids and the names Azure Backup derives from them, kept here so that users never write
 * `IaasVMContainer;iaasvmcontainerv2;rg;vm` (examples/AzureIaasVm/Compute_ProtectedItem_Get.json in https://github.com/Azure/azure-rest-api-specs/tree/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01).
 * The ids themselves are built and parsed by src/rules/arm-id.ts (pure, so that components and rules use the
 * same ones); these are the names the providers and the Azure edge have always called them by. Ids compare
 * without case: the service answers `/Subscriptions/` and may change a resource group's case.
 */
import { formatContainerName, formatItemName, formatPolicyId, formatVaultId, parseVmId, sameArmId, type PolicyRef, type VaultRef, type VmId } from "../rules";

export { parsePolicyId, parseVaultId, type PolicyRef, type VaultRef } from "../rules";

export function vaultId(v: VaultRef): string {
  return formatVaultId(v);
}

export function policyId(p: PolicyRef): string {
  return formatPolicyId(p);
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && sameArmId(a, b);
}

/** The protection container and protected item of a VM: `IaasVMContainer;iaasvmcontainerv2;{rg};{vm}`, `VM;iaasvmcontainerv2;{rg};{vm}` (classic VMs: `iaasvmcontainer` in the middle). */
export interface ItemNames {
  containerName: string;
  itemName: string;
  vm: VmId;
}

export function itemNamesFor(vmArmId: string): ItemNames {
  const vm = parseVmId(vmArmId);
  if (vm === undefined) throw new Error(`'${vmArmId}' is not the id of a virtual machine.`);
  return { containerName: formatContainerName(vm), itemName: formatItemName(vm), vm };
}

/** The operation id in a Location or Azure-AsyncOperation URL: its last path segment. */
export function operationIdOf(url: string | undefined): string | undefined {
  if (url === undefined || url === "") return undefined;
  try {
    return new URL(url).pathname
      .split("/")
      .filter((s) => s !== "")
      .pop();
  } catch {
    return undefined;
  }
}
