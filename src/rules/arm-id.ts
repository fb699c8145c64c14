/**
 * The ARM ids this package reads and writes, typed: virtual machines (ARM and classic), Recovery Services
 * vaults, backup policies, the protection containers and protected items Azure Backup keeps for IaaS VMs,
 * and subscription features. Every id is built and taken apart here and nowhere else in `src` (outside the
 * emulator, which models Azure on its own); test/rules/arm-id-templates.test.ts keeps it so.
 *
 * Each id has the shape of its REST path in Azure/azure-rest-api-specs, written below as that path
 * template. ARM treats the names of segments and of resources without regard to case ("Resource names are
 * case-insensitive unless noted", https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules),
 * and the service answers in cases of its own: `/Subscriptions/`, `.../Microsoft.RecoveryServices/Vaults/...`
 * and `.../Microsoft.Compute/VirtualMachines/...` in `backupStatus` (specification/recoveryservicesbackup/
 * resource-manager/Microsoft.RecoveryServices/stable/2024-10-01/examples/AzureIaasVm/GetBackupStatus.json).
 * So parsing ignores case, every equality here compares without case, and formatting writes the spec's spelling.
 */
export type VmKind = "arm" | "classic";

/** A virtual machine: ARM (`Microsoft.Compute`) or classic (`Microsoft.ClassicCompute`). */
export interface VmId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  kind: VmKind;
}

/** A Recovery Services vault. */
export interface VaultRef {
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
}

/** A backup policy of a vault. */
export interface PolicyRef extends VaultRef {
  policyName: string;
}

/**
 * The VM that an IaaS VM protection container and its one protected item stand for. Their names carry the
 * VM's resource group and name, and its kind in the middle token, but not its subscription (the vault's).
 */
export type ContainerVm = Pick<VmId, "kind" | "resourceGroup" | "name">;

/** A VM's protection container in a vault (fabric `Azure` for VMs). */
export interface ContainerRef extends VaultRef {
  fabricName: string;
  vm: ContainerVm;
}

/** A VM's protected item: the one item of its protection container. */
export type ProtectedItemRef = ContainerRef;

/** A subscription feature (AFEC), such as `Microsoft.RecoveryServices/InstantBackupandRecovery`. */
export interface FeatureRef {
  subscriptionId: string;
  namespace: string;
  feature: string;
}

// ---- path templates -------------------------------------------------------------------------------------

type Values = Readonly<Record<string, string>>;

/** Fills a path template's `{name}` segments. Values are written as given (format does not validate). */
function fill(template: string, values: Values): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for {${key}} in ${template}`);
    return value;
  });
}

/** A template's segments, split once: a capture's name, or a literal in lower case. */
type Segment = { capture: string } | { literal: string };
const compiled = new Map<string, readonly Segment[]>();

function segmentsOf(template: string): readonly Segment[] {
  let segments = compiled.get(template);
  if (segments === undefined) {
    segments = template.split("/").map((pattern) => {
      const capture = /^\{([A-Za-z]+)\}$/.exec(pattern);
      return capture === null ? { literal: pattern.toLowerCase() } : { capture: capture[1]! };
    });
    compiled.set(template, segments);
  }
  return segments;
}

/**
 * Matches an id against a path template: literal segments without case, each `{name}` segment one non-empty
 * segment. One trailing slash and surrounding blanks are ignored. Undefined for anything else. Templates are
 * split once: a fleet's checks match thousands of ids (every existing item of a vault, in every VM's check).
 */
function match(id: string, template: string): Record<string, string> | undefined {
  const text = id.trim().replace(/\/$/, "");
  const got = text.split("/");
  const want = segmentsOf(template);
  if (got.length !== want.length) return undefined;
  const values: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const pattern = want[i]!;
    const segment = got[i]!;
    if ("capture" in pattern) {
      if (segment === "") return undefined;
      values[pattern.capture] = segment;
    } else if (pattern.literal !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return values;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

// ---- generic resource ids -------------------------------------------------------------------------------

/** `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}` */
export function formatResourceGroupId(subscriptionId: string, resourceGroupName: string): string {
  return fill("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}", { subscriptionId, resourceGroupName });
}

/**
 * A resource in a resource group: `/subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}`,
 * with more `{type}/{name}` pairs for a child resource (a subnet of a virtual network).
 */
export function formatResourceId(
  subscriptionId: string,
  resourceGroupName: string,
  namespace: string,
  ...typesAndNames: Array<readonly [type: string, name: string]>
): string {
  const path = typesAndNames.map(([type, name]) => `${type}/${name}`).join("/");
  return `${formatResourceGroupId(subscriptionId, resourceGroupName)}/providers/${namespace}/${path}`;
}

/** A resource provider's registration in a subscription: `/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}` (Microsoft.Resources, Providers_Register). */
export function formatResourceProviderId(subscriptionId: string, resourceProviderNamespace: string): string {
  return fill("/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}", { subscriptionId, resourceProviderNamespace });
}

/** A resource's name: the last segment of its ARM id (a trailing slash ignored). */
export function resourceNameOf(id: string): string {
  return id.trim().replace(/\/+$/, "").split("/").pop() ?? "";
}

/** A built-in role's definition in a subscription: `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{roleId}` (Microsoft.Authorization, RoleDefinitions_Get). */
export function formatRoleDefinitionId(subscriptionId: string, roleDefinitionId: string): string {
  return fill("/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}", { subscriptionId, roleDefinitionId });
}

/** The VM name a protected item's name (`VM;iaasvmcontainerv2;rg;vm`) ends with; the name itself when it is not one. */
export function vmNameOfItemName(itemName: string): string {
  return parseItemName(itemName)?.name ?? itemName;
}

/** A key under which ids of the same resource are equal: ARM ids are case-insensitive. */
export function armIdKey(id: string): string {
  return id.trim().replace(/\/+$/, "").toLowerCase();
}

/** Whether two ids name the same resource (they may differ in case). */
export function sameArmId(a: string, b: string): boolean {
  return armIdKey(a) === armIdKey(b);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

// ---- virtual machines -----------------------------------------------------------------------------------

/**
 * specification/compute/resource-manager/Microsoft.Compute/.../virtualMachine.json (VirtualMachines_Get);
 * classic VMs as Azure Backup reports them, `Microsoft.ClassicCompute/virtualMachines` (specification/
 * recoveryservicesbackup/.../stable/2023-04-01/examples/AzureIaasVm/BackupProtectableItems_List.json).
 */
const VM_TEMPLATES: Readonly<Record<VmKind, string>> = {
  arm: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachines/{name}",
  classic: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ClassicCompute/virtualMachines/{name}",
};

/** The VM's ARM resource type, which is also its protected item's `protectedItemType` (ProtectedItem discriminator in bms.json). */
export function vmResourceType(kind: VmKind): string {
  return kind === "arm" ? "Microsoft.Compute/virtualMachines" : "Microsoft.ClassicCompute/virtualMachines";
}

/**
 * Parsed VM ids, by id: a fleet's checks parse the same ids again and again (every existing item of a vault, in every VM's
 * check). Bounded: cleared when full. Each caller gets its own copy.
 */
const parsedVmIds = new Map<string, VmId | null>();
const PARSED_VM_IDS_MAX = 20_000;

/** Parses a VM's ARM id (ARM or classic), or returns undefined when `id` is not one. */
export function parseVmId(id: string): VmId | undefined {
  let parsed = parsedVmIds.get(id);
  if (parsed === undefined) {
    parsed = null;
    for (const kind of ["arm", "classic"] as const) {
      const v = match(id, VM_TEMPLATES[kind]);
      if (v !== undefined) {
        parsed = { subscriptionId: v.subscriptionId!, resourceGroup: v.resourceGroup!, name: v.name!, kind };
        break;
      }
    }
    if (parsedVmIds.size >= PARSED_VM_IDS_MAX) parsedVmIds.clear();
    parsedVmIds.set(id, parsed);
  }
  return parsed === null ? undefined : { ...parsed };
}

export function formatVmId(vm: VmId): string {
  return fill(VM_TEMPLATES[vm.kind], { subscriptionId: vm.subscriptionId, resourceGroup: vm.resourceGroup, name: vm.name });
}

/** The same VM: same kind, and subscription, resource group and name without case. */
export function sameVm(a: VmId, b: VmId): boolean {
  return a.kind === b.kind && same(a.subscriptionId, b.subscriptionId) && same(a.resourceGroup, b.resourceGroup) && same(a.name, b.name);
}

// ---- user-assigned managed identities ------------------------------------------------------------------

/** specification/msi/resource-manager/Microsoft.ManagedIdentity (UserAssignedIdentities_Get); the keys of a vault's identity.userAssignedIdentities. */
const USER_ASSIGNED_IDENTITY_TEMPLATE =
  "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";

export interface UserAssignedIdentityRef {
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
}

/** Parses a user-assigned managed identity's ARM id, or returns undefined when `id` is not one. */
export function parseUserAssignedIdentityId(id: string): UserAssignedIdentityRef | undefined {
  const v = match(id, USER_ASSIGNED_IDENTITY_TEMPLATE);
  return v === undefined ? undefined : { subscriptionId: v.subscriptionId!, resourceGroupName: v.resourceGroupName!, name: v.name! };
}

export function formatUserAssignedIdentityId(identity: UserAssignedIdentityRef): string {
  return fill(USER_ASSIGNED_IDENTITY_TEMPLATE, { subscriptionId: identity.subscriptionId, resourceGroupName: identity.resourceGroupName, name: identity.name });
}

// ---- vaults and policies --------------------------------------------------------------------------------

/** specification/recoveryservices/.../vaults.json (Vaults_Get). */
const VAULT_TEMPLATE = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{vaultName}";
/** specification/recoveryservicesbackup/.../bms.json (ProtectionPolicies_Get). */
const POLICY_TEMPLATE = `${VAULT_TEMPLATE}/backupPolicies/{policyName}`;

export function parseVaultId(id: string): VaultRef | undefined {
  const v = match(id, VAULT_TEMPLATE);
  return v === undefined ? undefined : { subscriptionId: v.subscriptionId!, resourceGroupName: v.resourceGroupName!, vaultName: v.vaultName! };
}

export function formatVaultId(vault: VaultRef): string {
  return fill(VAULT_TEMPLATE, { subscriptionId: vault.subscriptionId, resourceGroupName: vault.resourceGroupName, vaultName: vault.vaultName });
}

/** The same vault: subscription, resource group and name, without case. A vault of the same name in another resource group is another vault. */
export function sameVault(a: VaultRef, b: VaultRef): boolean {
  return same(a.subscriptionId, b.subscriptionId) && same(a.resourceGroupName, b.resourceGroupName) && same(a.vaultName, b.vaultName);
}

export function parsePolicyId(id: string): PolicyRef | undefined {
  const v = match(id, POLICY_TEMPLATE);
  return v === undefined
    ? undefined
    : { subscriptionId: v.subscriptionId!, resourceGroupName: v.resourceGroupName!, vaultName: v.vaultName!, policyName: v.policyName! };
}

export function formatPolicyId(policy: PolicyRef): string {
  return fill(POLICY_TEMPLATE, {
    subscriptionId: policy.subscriptionId,
    resourceGroupName: policy.resourceGroupName,
    vaultName: policy.vaultName,
    policyName: policy.policyName,
  });
}

export function samePolicy(a: PolicyRef, b: PolicyRef): boolean {
  return sameVault(a, b) && same(a.policyName, b.policyName);
}

// ---- protection containers and protected items of IaaS VMs -----------------------------------------------

/**
 * The names Azure Backup gives a VM's container and item, with the VM's kind
 * in the middle token:
 * - ARM VM: `IaasVMContainer;iaasvmcontainerv2;{rg};{vm}` and `VM;iaasvmcontainerv2;{rg};{vm}`
 *   (specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/
 *   examples/AzureIaasVm/Compute_ProtectedItem_Get.json: request `iaasvmcontainer;iaasvmcontainerv2;iaasvm-rg;iaasvm-1`,
 *   answer `.../protectionContainers/IaasVMContainer;iaasvmcontainerv2;iaasvm-rg;iaasvm-1/protectedItems/VM;iaasvmcontainerv2;iaasvm-rg;iaasvm-1`);
 * - classic VM: `IaasVMContainer;iaasvmcontainer;{rg};{vm}` and `VM;iaasvmcontainer;{rg};{vm}`
 *   (same folder, BackupProtectedItems_List.json: item `VM;iaasvmcontainer;iaasvm-rg;iaasvm-1` of type
 *   `Microsoft.ClassicCompute/virtualMachines`; 2023-04-01 BackupProtectableItems_List.json likewise).
 * The service accepts the prefixes in any case and answers `IaasVMContainer;` and `VM;`, which is what we send.
 */
const KIND_TOKEN: Readonly<Record<VmKind, string>> = { arm: "iaasvmcontainerv2", classic: "iaasvmcontainer" };

function parseNamed(prefix: string, text: string): ContainerVm | undefined {
  const parts = text.trim().split(";");
  if (parts.length !== 4 || !same(parts[0]!, prefix) || parts[2] === "" || parts[3] === "") return undefined;
  const token = parts[1]!.toLowerCase();
  const kind: VmKind | undefined = token === KIND_TOKEN.arm ? "arm" : token === KIND_TOKEN.classic ? "classic" : undefined;
  return kind === undefined ? undefined : { kind, resourceGroup: parts[2]!, name: parts[3]! };
}

export function formatContainerName(vm: ContainerVm): string {
  return `IaasVMContainer;${KIND_TOKEN[vm.kind]};${vm.resourceGroup};${vm.name}`;
}

export function parseContainerName(name: string): ContainerVm | undefined {
  return parseNamed("IaasVMContainer", name);
}

export function formatItemName(vm: ContainerVm): string {
  return `VM;${KIND_TOKEN[vm.kind]};${vm.resourceGroup};${vm.name}`;
}

export function parseItemName(name: string): ContainerVm | undefined {
  return parseNamed("VM", name);
}

/** The VM a container or item stands for: same kind, resource group and name, without case. */
export function sameContainerVm(a: ContainerVm, b: ContainerVm): boolean {
  return a.kind === b.kind && same(a.resourceGroup, b.resourceGroup) && same(a.name, b.name);
}

/** specification/recoveryservicesbackup/.../bms.json (ProtectionContainers_Get, ProtectedItems_Get). */
const CONTAINER_TEMPLATE = `${VAULT_TEMPLATE}/backupFabrics/{fabricName}/protectionContainers/{containerName}`;
const ITEM_TEMPLATE = `${CONTAINER_TEMPLATE}/protectedItems/{protectedItemName}`;

function containerRefOf(v: Record<string, string>): ContainerRef | undefined {
  const vm = parseContainerName(v.containerName!);
  return vm === undefined
    ? undefined
    : { subscriptionId: v.subscriptionId!, resourceGroupName: v.resourceGroupName!, vaultName: v.vaultName!, fabricName: v.fabricName!, vm };
}

/** Parses an IaaS VM protection container's id (undefined for any other container, such as a workload's). */
export function parseContainerId(id: string): ContainerRef | undefined {
  const v = match(id, CONTAINER_TEMPLATE);
  return v === undefined ? undefined : containerRefOf(v);
}

export function formatContainerId(container: ContainerRef): string {
  return fill(CONTAINER_TEMPLATE, { ...valuesOfVault(container), fabricName: container.fabricName, containerName: formatContainerName(container.vm) });
}

/** Parses an IaaS VM protected item's id; its container and item must name the same VM. */
export function parseProtectedItemId(id: string): ProtectedItemRef | undefined {
  const v = match(id, ITEM_TEMPLATE);
  if (v === undefined) return undefined;
  const container = containerRefOf(v);
  const item = parseItemName(v.protectedItemName!);
  return container === undefined || item === undefined || !sameContainerVm(container.vm, item) ? undefined : container;
}

export function formatProtectedItemId(item: ProtectedItemRef): string {
  return `${formatContainerId(item)}/protectedItems/${formatItemName(item.vm)}`;
}

/** The same container, or the same protected item: same vault, fabric and VM, without case. */
export function sameContainer(a: ContainerRef, b: ContainerRef): boolean {
  return sameVault(a, b) && same(a.fabricName, b.fabricName) && sameContainerVm(a.vm, b.vm);
}

export const sameProtectedItem: (a: ProtectedItemRef, b: ProtectedItemRef) => boolean = sameContainer;

function valuesOfVault(v: VaultRef): Values {
  return { subscriptionId: v.subscriptionId, resourceGroupName: v.resourceGroupName, vaultName: v.vaultName };
}

// ---- subscription features ------------------------------------------------------------------------------

/**
 * specification/resources/resource-manager/Microsoft.Features/stable/2021-07-01/features.json (Features_Get);
 * the id the service returns, as https://learn.microsoft.com/azure/azure-resource-manager/management/preview-features shows it.
 */
const FEATURE_TEMPLATE = "/subscriptions/{subscriptionId}/providers/Microsoft.Features/providers/{namespace}/features/{feature}";

export function parseFeatureId(id: string): FeatureRef | undefined {
  const v = match(id, FEATURE_TEMPLATE);
  return v === undefined ? undefined : { subscriptionId: v.subscriptionId!, namespace: v.namespace!, feature: v.feature! };
}

export function formatFeatureId(feature: FeatureRef): string {
  return fill(FEATURE_TEMPLATE, { subscriptionId: feature.subscriptionId, namespace: feature.namespace, feature: feature.feature });
}

export function sameFeature(a: FeatureRef, b: FeatureRef): boolean {
  return same(a.subscriptionId, b.subscriptionId) && same(a.namespace, b.namespace) && same(a.feature, b.feature);
}

// ---- Resource Guards (multi-user authorization) ---------------------------------------------------------

/**
 * A Resource Guard: specification/dataprotection/resource-manager/Microsoft.DataProtection/DataProtection/stable/2025-07-01
 * (ResourceGuards_Get, examples/ResourceGuardCRUD/GetResourceGuard.json).
 */
const RESOURCE_GUARD_TEMPLATE =
  "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DataProtection/resourceGuards/{guardName}";
/** A vault's association with a guard: bms.json 2025-08-01 ResourceGuardProxy_Put (examples/ResourceGuardProxyCRUD/PutResourceGuardProxy.json). */
const GUARD_PROXY_TEMPLATE = `${VAULT_TEMPLATE}/backupResourceGuardProxies/{proxyName}`;

export interface ResourceGuardRef {
  subscriptionId: string;
  resourceGroupName: string;
  guardName: string;
}

export function parseResourceGuardId(id: string): ResourceGuardRef | undefined {
  const v = match(id, RESOURCE_GUARD_TEMPLATE);
  return v === undefined ? undefined : { subscriptionId: v.subscriptionId!, resourceGroupName: v.resourceGroupName!, guardName: v.guardName! };
}

export function formatResourceGuardId(guard: ResourceGuardRef): string {
  return fill(RESOURCE_GUARD_TEMPLATE, { subscriptionId: guard.subscriptionId, resourceGroupName: guard.resourceGroupName, guardName: guard.guardName });
}

export function formatGuardProxyId(vault: VaultRef, proxyName: string): string {
  return fill(GUARD_PROXY_TEMPLATE, { ...valuesOfVault(vault), proxyName });
}

// ---- private endpoints ----------------------------------------------------------------------------------

/** A private endpoint (Microsoft.Network), such as a vault's for Azure Backup. */
export interface PrivateEndpointRef {
  subscriptionId: string;
  resourceGroupName: string;
  privateEndpointName: string;
}

/** specification/network/resource-manager/Microsoft.Network/stable/2024-07-01/privateEndpoint.json (PrivateEndpoints_Get). */
const PRIVATE_ENDPOINT_TEMPLATE =
  "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}";

export function parsePrivateEndpointId(id: string): PrivateEndpointRef | undefined {
  const v = match(id, PRIVATE_ENDPOINT_TEMPLATE);
  return v === undefined
    ? undefined
    : { subscriptionId: v.subscriptionId!, resourceGroupName: v.resourceGroupName!, privateEndpointName: v.privateEndpointName! };
}

// ---- Azure Policy (src/rules/guardrails.ts) -------------------------------------------------------------

/** An Azure Policy definition, set definition or assignment: its scope ("" for a built-in definition), kind and name. */
export interface AzurePolicyRef {
  scope: string;
  kind: "policyDefinitions" | "policySetDefinitions" | "policyAssignments";
  name: string;
}

/** `{scope}/providers/Microsoft.Authorization/{policyDefinitions|policySetDefinitions|policyAssignments}/{name}`, at any scope. */
export function parseAzurePolicyId(id: string): AzurePolicyRef | undefined {
  const m = /^(.*)\/providers\/Microsoft\.Authorization\/(policyDefinitions|policySetDefinitions|policyAssignments)\/([^/]+)\/?$/i.exec(id.trim());
  if (m === null) return undefined;
  const kind = (["policyDefinitions", "policySetDefinitions", "policyAssignments"] as const).find((k) => same(k, m[2]!))!;
  return { scope: m[1]!, kind, name: m[3]! };
}

/** checkPolicyRestrictions at a resource group (Microsoft.PolicyInsights, PolicyRestrictions_CheckAtResourceGroupScope). */
export function formatPolicyRestrictionsCheckId(subscriptionId: string, resourceGroupName: string): string {
  return fill("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions", {
    subscriptionId,
    resourceGroupName,
  });
}
