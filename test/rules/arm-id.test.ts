/**
 * The typed ARM ids of src/rules/arm-id.ts: each parses what Azure writes (in any case), formats what the
 * REST paths say, round-trips, refuses other resource types, and compares without case but never by name
 * alone. The id shapes are those of the spec examples in Azure/azure-rest-api-specs,
 * specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/examples/AzureIaasVm/.
 */
import {
  armIdKey,
  formatContainerId,
  formatContainerName,
  formatFeatureId,
  formatItemName,
  formatPolicyId,
  formatProtectedItemId,
  formatResourceId,
  formatVaultId,
  formatVmId,
  parseContainerId,
  parseContainerName,
  parseFeatureId,
  parseItemName,
  parsePolicyId,
  parseProtectedItemId,
  parseVaultId,
  parseVmId,
  sameArmId,
  sameContainer,
  sameFeature,
  samePolicy,
  sameProtectedItem,
  sameVault,
  sameVm,
  vmResourceType,
  type ContainerRef,
} from "../../src/rules/arm-id";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv1`;
const ARM_VM = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1`;
const CLASSIC_VM = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.ClassicCompute/virtualMachines/vm1`;

describe("virtual machines", () => {
  it("parses an ARM VM and formats it back", () => {
    const vm = parseVmId(ARM_VM);
    expect(vm).toEqual({ subscriptionId: SUB, resourceGroup: "rg-app", name: "vm1", kind: "arm" });
    expect(formatVmId(vm!)).toBe(ARM_VM);
  });

  it("parses a classic VM by its ClassicCompute id, and keeps it classic when formatting", () => {
    const vm = parseVmId(CLASSIC_VM);
    expect(vm).toEqual({ subscriptionId: SUB, resourceGroup: "rg-app", name: "vm1", kind: "classic" });
    expect(formatVmId(vm!)).toBe(CLASSIC_VM);
    expect(vmResourceType(vm!.kind)).toBe("Microsoft.ClassicCompute/virtualMachines");
    expect(vmResourceType("arm")).toBe("Microsoft.Compute/virtualMachines");
  });

  it("ignores the case of segment names and keeps the case of the values", () => {
    const vm = parseVmId(`/Subscriptions/${SUB}/RESOURCEGROUPS/RG-App/Providers/microsoft.compute/VirtualMachines/VM1/`);
    expect(vm).toEqual({ subscriptionId: SUB, resourceGroup: "RG-App", name: "VM1", kind: "arm" });
    expect(sameVm(vm!, parseVmId(ARM_VM)!)).toBe(true);
  });

  it("an ARM VM and a classic VM of the same name are different VMs", () => {
    expect(sameVm(parseVmId(ARM_VM)!, parseVmId(CLASSIC_VM)!)).toBe(false);
  });

  it("refuses other resource types and malformed ids", () => {
    for (const id of [
      `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/disks/vm1`,
      `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachineScaleSets/vm1`,
      `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1/extensions/x`,
      // The spec examples' ids lack the resource group name; that is no VM id.
      `/subscriptions/${SUB}/resourceGroups/providers/Microsoft.ClassicCompute/virtualMachines/iaasvm-1`,
      `/subscriptions/${SUB}/resourceGroups//providers/Microsoft.Compute/virtualMachines/vm1`,
      VAULT_ID,
      "vm1",
      "",
    ]) {
      expect([id, parseVmId(id)]).toEqual([id, undefined]);
    }
  });
});

describe("vaults and policies", () => {
  it("parse and format round trip", () => {
    const vault = parseVaultId(VAULT_ID);
    expect(vault).toEqual({ subscriptionId: SUB, resourceGroupName: "rg-backup", vaultName: "rsv1" });
    expect(formatVaultId(vault!)).toBe(VAULT_ID);
    const policyId = `${VAULT_ID}/backupPolicies/daily`;
    const policy = parsePolicyId(policyId);
    expect(policy).toEqual({ ...vault, policyName: "daily" });
    expect(formatPolicyId(policy!)).toBe(policyId);
  });

  it("reads the vault id backupStatus answers (`/Vaults/` capitalised) as the same vault", () => {
    // GetBackupStatus.json (stable/2024-10-01): "vaultId": "/subscriptions/…/providers/Microsoft.RecoveryServices/Vaults/testVault".
    const answered = parseVaultId(`/Subscriptions/${SUB}/resourceGroups/RG-BACKUP/providers/Microsoft.RecoveryServices/Vaults/RSV1`);
    expect(answered).toBeDefined();
    expect(sameVault(answered!, parseVaultId(VAULT_ID)!)).toBe(true);
    expect(sameArmId(formatVaultId(answered!), VAULT_ID)).toBe(true);
  });

  it("a vault of the same name in another resource group or subscription is another vault", () => {
    const ours = parseVaultId(VAULT_ID)!;
    expect(sameVault(ours, { ...ours, resourceGroupName: "rg-other" })).toBe(false);
    expect(sameVault(ours, { ...ours, subscriptionId: "00000000-0000-0000-0000-00000000bbbb" })).toBe(false);
    expect(sameArmId(VAULT_ID, VAULT_ID.replace("rg-backup", "rg-other"))).toBe(false);
    const policy = { ...ours, policyName: "daily" };
    expect(samePolicy(policy, { ...policy, policyName: "DAILY" })).toBe(true);
    expect(samePolicy(policy, { ...policy, resourceGroupName: "rg-other" })).toBe(false);
  });

  it("refuses other resource types", () => {
    expect(parseVaultId(`/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/rsv1`)).toBeUndefined();
    expect(parseVaultId(`${VAULT_ID}/backupPolicies/daily`)).toBeUndefined();
    expect(parsePolicyId(VAULT_ID)).toBeUndefined();
    expect(parsePolicyId(`${VAULT_ID}/backupProtectionIntent/daily`)).toBeUndefined();
  });
});

describe("protection containers and protected items of IaaS VMs", () => {
  it("names an ARM VM's container and item with iaasvmcontainerv2 (Compute_ProtectedItem_Get.json)", () => {
    const vm = parseVmId(ARM_VM)!;
    expect(formatContainerName(vm)).toBe("IaasVMContainer;iaasvmcontainerv2;rg-app;vm1");
    expect(formatItemName(vm)).toBe("VM;iaasvmcontainerv2;rg-app;vm1");
  });

  it("names a classic VM's container and item with iaasvmcontainer (BackupProtectedItems_List.json)", () => {
    const vm = parseVmId(CLASSIC_VM)!;
    expect(formatContainerName(vm)).toBe("IaasVMContainer;iaasvmcontainer;rg-app;vm1");
    expect(formatItemName(vm)).toBe("VM;iaasvmcontainer;rg-app;vm1");
  });

  it("parses the names in either case, as the service takes and gives them", () => {
    // Requests use lower case (docs, the spec's parameters), answers `IaasVMContainer;` and `VM;`.
    expect(parseContainerName("iaasvmcontainer;iaasvmcontainerv2;iaasvm-rg;iaasvm-1")).toEqual({ kind: "arm", resourceGroup: "iaasvm-rg", name: "iaasvm-1" });
    expect(parseItemName("VM;iaasvmcontainer;iaasvm-rg;iaasvm-1")).toEqual({ kind: "classic", resourceGroup: "iaasvm-rg", name: "iaasvm-1" });
    expect(parseContainerName("IAASVMCONTAINER;IaasVmContainerV2;rg;vm")).toEqual({ kind: "arm", resourceGroup: "rg", name: "vm" });
    for (const name of [
      "VM;iaasvmcontainerv2;rg;vm",
      "IaasVMContainer;sqlcontainer;rg;vm",
      "IaasVMContainer;iaasvmcontainerv2;rg",
      "IaasVMContainer;iaasvmcontainerv2;;vm",
      "iaasvmcontainerv2;rg;vm",
    ]) {
      expect([name, parseContainerName(name)]).toEqual([name, undefined]);
    }
    expect(parseItemName("IaasVMContainer;iaasvmcontainerv2;rg;vm")).toBeUndefined();
  });

  it("parses the protected item id the service answers and formats it back", () => {
    // Compute_ProtectedItem_Get.json, vault and subscription ours.
    const id = `${VAULT_ID}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;iaasvm-rg;iaasvm-1/protectedItems/VM;iaasvmcontainerv2;iaasvm-rg;iaasvm-1`;
    const item = parseProtectedItemId(id);
    expect(item).toEqual({
      subscriptionId: SUB,
      resourceGroupName: "rg-backup",
      vaultName: "rsv1",
      fabricName: "Azure",
      vm: { kind: "arm", resourceGroup: "iaasvm-rg", name: "iaasvm-1" },
    });
    expect(formatProtectedItemId(item!)).toBe(id);
    expect(sameProtectedItem(item!, parseProtectedItemId(id.toLowerCase())!)).toBe(true);
  });

  it("parses a container id and formats it back; a container of the same VM in another vault is another container", () => {
    const container: ContainerRef = { ...parseVaultId(VAULT_ID)!, fabricName: "Azure", vm: { kind: "classic", resourceGroup: "rg-app", name: "vm1" } };
    const id = formatContainerId(container);
    expect(id).toBe(`${VAULT_ID}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainer;rg-app;vm1`);
    expect(parseContainerId(id)).toEqual(container);
    expect(sameContainer(container, { ...container, resourceGroupName: "rg-other" })).toBe(false);
    expect(sameContainer(container, { ...container, vm: { ...container.vm, kind: "arm" } })).toBe(false);
  });

  it("refuses a protected item whose container and item name different VMs, and other workloads' items", () => {
    const base = `${VAULT_ID}/backupFabrics/Azure/protectionContainers`;
    expect(parseProtectedItemId(`${base}/IaasVMContainer;iaasvmcontainerv2;rg;vm1/protectedItems/VM;iaasvmcontainerv2;rg;vm2`)).toBeUndefined();
    expect(parseProtectedItemId(`${base}/IaasVMContainer;iaasvmcontainerv2;rg;vm1/protectedItems/VM;iaasvmcontainer;rg;vm1`)).toBeUndefined();
    expect(parseProtectedItemId(`${base}/VMAppContainer;Compute;rg;sqlvm/protectedItems/SQLDataBase;mssqlserver;db1`)).toBeUndefined();
    expect(parseProtectedItemId(`${base}/IaasVMContainer;iaasvmcontainerv2;rg;vm1`)).toBeUndefined();
    expect(parseContainerId(`${base}/IaasVMContainer;iaasvmcontainerv2;rg;vm1/protectedItems/VM;iaasvmcontainerv2;rg;vm1`)).toBeUndefined();
  });
});

describe("subscription features", () => {
  it("parses and formats the feature id of stack V2 (Features_Get in Microsoft.Features/stable/2021-07-01/features.json)", () => {
    const id = `/subscriptions/${SUB}/providers/Microsoft.Features/providers/Microsoft.RecoveryServices/features/InstantBackupandRecovery`;
    const feature = { subscriptionId: SUB, namespace: "Microsoft.RecoveryServices", feature: "InstantBackupandRecovery" };
    expect(formatFeatureId(feature)).toBe(id);
    expect(parseFeatureId(id.toUpperCase().replace(SUB.toUpperCase(), SUB))).toEqual({
      subscriptionId: SUB,
      namespace: "MICROSOFT.RECOVERYSERVICES",
      feature: "INSTANTBACKUPANDRECOVERY",
    });
    expect(sameFeature(parseFeatureId(id.toLowerCase())!, feature)).toBe(true);
    expect(sameFeature(feature, { ...feature, feature: "InstantBackup" })).toBe(false);
    expect(
      parseFeatureId(
        `/subscriptions/${SUB}/providers/Microsoft.Features/featureProviders/Microsoft.RecoveryServices/subscriptionFeatureRegistrations/InstantBackupandRecovery`,
      ),
    ).toBeUndefined();
  });
});

describe("any resource", () => {
  it("formats child resources and compares ids without case or a trailing slash", () => {
    expect(formatResourceId(SUB, "rg", "Microsoft.Network", ["virtualNetworks", "vnet"], ["subnets", "default"])).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default`,
    );
    expect(armIdKey(`${ARM_VM}/`)).toBe(ARM_VM.toLowerCase());
    expect(sameArmId(ARM_VM.toUpperCase(), ` ${ARM_VM}/`)).toBe(true);
    expect(sameArmId(ARM_VM, CLASSIC_VM)).toBe(false);
  });
});
