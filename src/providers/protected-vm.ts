/**
 * The protected-VM resource: a VM backed up in a vault with a policy. `check` runs the VM and plan rules
 * with the live facts only Azure knows (the VM's disks, where the VM is protected, the vault's protected
 * VMs and their schedules), each looked up once per vault per process. Create adopts the VM's existing
 * protection and undeletes a soft-deleted item instead of failing; destroy stops protection and keeps the
 * data unless `onDestroy` is "deleteBackupData" ("suspendBackups", on an immutable vault, keeps each recovery
 * point until its policy expires it).
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  AzureOperationError,
  BACKUP_SERVICE_OBJECT_ID_SETTING,
  BackupServicePrincipalLookupError,
  backupManagementServiceObjectId,
  backupNow,
  diskEncryptionOfVm,
  encryptionKeyVaults,
  grantKeyVaultAccess,
  backupStatus,
  deleteBackupData,
  getItem,
  getVault,
  getVm,
  itemNamesFor,
  listedItem,
  listItems,
  listPolicies,
  lookups,
  measuredUsedData,
  protect,
  readRecoveryPointAt,
  rehydrate,
  parseVaultId,
  suspendBackups,
  sameId,
  vaultId,
  stopProtection,
  waitForJob,
  type AzureClients,
  type AzureVm,
  type BackupStatus,
  type DiskSelection,
  type ItemNames,
  type ItemState,
  type VaultRef,
  type VaultState,
} from "../azure";
import {
  backupServicePrincipalUnknown,
  checkKeyVaultAccess,
  backupNowExpiry,
  checkSoftDeletedElsewhere,
  describeDiagnostic,
  componentEntry,
  DEFAULT_VM_ON_DESTROY,
  headOf,
  PlanBuilder,
  subjectOf,
  estimateBilling,
  estimateProtectedInstance,
  normalizePolicy,
  parseVmId,
  sameValue,
  validateBackupNow,
  validateProtectedVmLifecycle,
  validateResourceGroupName,
  validateVmDestroyOnVault,
  validateVmPolicyMove,
  UNKNOWN_SENTINEL,
  VM_ON_DESTROY,
  type BackupNowArgs,
  type Diagnostic,
  type EntryName,
  type PolicyArgs,
  type DiskEncryptionArgs,
  type VmArgs,
  vmNameOfItemName,
} from "../rules";
import { clients, failures, hasUnknown, lower, programFailures, ruleOptions, settings } from "./context";
import { protectedVmGuardNotes } from "./resource-guard";
import type { LatestRecoveryPointOutput, ProtectedVmInputs, ProtectedVmOutputs } from "./types";

function vaultRefOf(c: AzureClients, inputs: { vaultResourceGroupName: string; vaultName: string }): VaultRef {
  return { subscriptionId: c.subscriptionId, resourceGroupName: inputs.vaultResourceGroupName, vaultName: inputs.vaultName };
}

function selectionOf(inputs: { includeDiskLuns?: number[]; excludeDiskLuns?: number[] }): DiskSelection {
  return {
    ...(inputs.includeDiskLuns === undefined ? {} : { includeDiskLuns: inputs.includeDiskLuns }),
    ...(inputs.excludeDiskLuns === undefined ? {} : { excludeDiskLuns: inputs.excludeDiskLuns }),
  };
}

/**
 * How the plan names a vault other than ours that a VM is protected in. The plan knows vaults by name, so a
 * vault of our vault's name in another resource group (or subscription) is named with where it is,
 * `rsv1 (resource group rg-other)`: no vault name has spaces or parentheses, so it cannot be taken for ours.
 */
function planNameOfOtherVault(ours: VaultRef, otherId: string): string {
  const other = parseVaultId(otherId);
  if (other === undefined) return otherId;
  if (lower(other.vaultName) !== lower(ours.vaultName)) return other.vaultName;
  const where =
    lower(other.subscriptionId) === lower(ours.subscriptionId)
      ? `resource group ${other.resourceGroupName}`
      : `subscription ${other.subscriptionId}, resource group ${other.resourceGroupName}`;
  return `${other.vaultName} (${where})`;
}

/** The vault as Azure holds it, once per process. */
function vaultState(c: AzureClients, ref: VaultRef): Promise<VaultState | undefined> {
  return lookups.get(`vault:${ref.subscriptionId}/${ref.resourceGroupName}/${ref.vaultName}`.toLowerCase(), () => getVault(c, ref));
}

/**
 * The VM as Azure describes it, read once per process once it exists: check, create and the estimate
 * of one deployment need the same VM (a VM that is still missing is asked for again).
 *
 * The resource group's VM list is read once per process, at the first VM of the group: a VM the program itself
 * declares may be changed by the same run after that (its own resource, updated before this resource's check). When
 * the list shows other data disks than the program declares, the VM is read again on its own.
 */
/** Clients of the VM's subscription. Cross-subscription backup (vm/subscription): the VM is read in its own subscription. */
function vmClientsOf(c: AzureClients, names: ItemNames): AzureClients {
  return lower(names.vm.subscriptionId) === lower(c.subscriptionId) ? c : clients(names.vm.subscriptionId);
}

async function vmOf(c: AzureClients, names: ItemNames, declared?: ProtectedVmInputs["vm"]): Promise<AzureVm | undefined> {
  const key = `vm:${names.vm.subscriptionId}/${names.vm.resourceGroup}/${names.vm.name}`.toLowerCase();
  const vmClients = vmClientsOf(c, names);
  const vm = await lookups.get(key, () => getVm(vmClients, names, (listed) => declared === undefined || sameDataDisks(declared, listed)));
  if (vm === undefined) lookups.forget(key);
  return vm;
}

/** Whether the VM as listed has the data disks the program declares (their LUNs, and their sizes where declared). */
function sameDataDisks(declared: NonNullable<ProtectedVmInputs["vm"]>, listed: VmArgs): boolean {
  const disks = Array.isArray(declared.dataDisks) ? declared.dataDisks : [];
  if (disks.length !== listed.dataDisks.length) return false;
  const sizes = new Map(listed.dataDisks.map((d) => [d.lun, d.sizeGb]));
  return disks.every((d) => sizes.has(d.lun) && (!(typeof d.sizeGb === "number" && d.sizeGb > 0) || sizes.get(d.lun) === d.sizeGb));
}

/** This resource's property for what a plan diagnostic is about (its plan holds this VM and its vault). */
function propertyOf(d: Diagnostic): string {
  const subject = d.subject;
  if (subject?.kind === "vault") return "vaultName";
  if (subject?.kind !== "vm") return "";
  const head = headOf(subject.field);
  if (head === "policy" || head === "policies") return "policyName";
  if (head === "vault") return "vaultName";
  if (head === "includeDiskLuns" || head === "excludeDiskLuns") return subject.field;
  return "vmId";
}

/** Which plan diagnostics are this resource's to report (the vault and policy resources report their own). */
function concernsThisVm(d: Diagnostic): boolean {
  return d.subject?.kind === "vm" || (d.code.startsWith("plan/") && d.subject?.kind === "vault");
}

/** How messages name this resource: by the ProtectedVm component's name and arguments when it declared it. */
function entryOf(inputs: ProtectedVmInputs): EntryName | undefined {
  return inputs.componentName === undefined ? undefined : componentEntry("vm", inputs.componentName);
}

/** The policy as the program declares it, in the plan's form. */
function declaredPolicy(inputs: ProtectedVmInputs): PolicyArgs | undefined {
  return inputs.policy;
}

async function liveCheck(news: ProtectedVmInputs): Promise<Diagnostic[]> {
  const c = clients(news.subscriptionId);
  const ref = vaultRefOf(c, news);
  const names = itemNamesFor(news.vmId);
  const azureVm = await vmOf(c, names, declaredVm(news));
  const vm: VmArgs | undefined = azureVm ?? (declaredVm(news) === undefined ? undefined : ({ ...declaredVm(news), id: news.vmId } as VmArgs));
  if (vm === undefined) {
    return [
      {
        code: "vm/id",
        severity: "error",
        path: "vms[0].id",
        subject: subjectOf("vms[0].id", { vm: [entryOf(news)] })!,
        message: `VM '${names.vm.name}' does not exist in resource group '${names.vm.resourceGroup}'.`,
        remedy: "Create the VM first (depend on it), or fix the id.",
      },
    ];
  }
  const vault = await vaultState(c, ref);
  const location = vault?.location ?? news.vaultLocation;
  const items = vault === undefined ? [] : await listItems(c, ref);
  const policies = vault === undefined ? [] : await listPolicies(c, ref);
  const mine = items.find((i) => sameId(i.vmId, news.vmId));
  const existingItems = items
    .filter((i) => i !== mine && !i.softDeleted && i.policyName !== undefined && i.protectionState !== "ProtectionStopped")
    .map((i) => ({ vmId: i.vmId, vault: ref.vaultName, policy: i.policyName! }));
  let softDeleted: Diagnostic[] = [];
  if (mine === undefined) {
    const status = await backupStatus(c, vm.location, news.vmId);
    // The whole vault id is compared: a same-named vault in another resource group is another vault.
    if (status.vaultId !== undefined && !sameId(status.vaultId, vaultId(ref))) {
      softDeleted = await softDeletedElsewhereDiagnostics(c, ref, names, status.vaultId, news);
      if (softDeleted.length === 0 && status.protected) {
        existingItems.push({ vmId: news.vmId, vault: planNameOfOtherVault(ref, status.vaultId), policy: status.policyName ?? "" });
      }
    }
  }
  const declared = declaredPolicy(news);
  // The vault's redundancy and cross-region restore as Azure holds them: a Confidential VM cannot use cross-region restore.
  const plan = new PlanBuilder().vault({
    name: ref.vaultName,
    location: location ?? vm.location,
    subscriptionId: ref.subscriptionId,
    ...(vault === undefined ? {} : { redundancy: vault.redundancy, crossRegionRestore: vault.crossRegionRestore }),
  });
  for (const p of policies) {
    if (declared === undefined || lower(p.name) !== lower(news.policyName)) plan.policy(ref.vaultName, p.name, p.policy as unknown as PolicyArgs);
  }
  if (declared !== undefined) plan.policy(ref.vaultName, news.policyName, declared);
  plan.vm(ref.vaultName, news.policyName, vm, selectionOf(news), entryOf(news));
  for (const item of existingItems) plan.existing(item);
  return [...softDeleted, ...plan.analyze(ruleOptions()).diagnostics.filter(concernsThisVm)];
}

/** plan/vm-soft-deleted-in-other-vault for the VM, when backupStatus names another vault that holds it soft-deleted. */
async function softDeletedElsewhereDiagnostics(
  c: AzureClients,
  ref: VaultRef,
  names: ItemNames,
  otherVaultId: string,
  news: ProtectedVmInputs,
): Promise<Diagnostic[]> {
  const elsewhere = await softDeletedElsewhere(c, otherVaultId, names);
  if (elsewhere === undefined) return [];
  const there = parseVaultId(otherVaultId);
  return checkSoftDeletedElsewhere(
    {
      vmName: names.vm.name,
      vaultId: otherVaultId,
      ...(there === undefined ? {} : { vaultName: there.vaultName, resourceGroupName: there.resourceGroupName }),
      ...(elsewhere.purgeAt === undefined ? {} : { purgeAt: elsewhere.purgeAt }),
      wantedVault: ref.vaultName,
    },
    "vms[0].id",
    ruleOptions(),
  ).map((d) => ({ ...d, subject: subjectOf(d.path, { vm: [entryOf(news)] })! }));
}

/**
 * The VM's item in the vault backupStatus names, when it is soft-deleted there. Read with that vault's
 * subscription; when it cannot be read (no access), undefined, and the caller keeps to backupStatus alone.
 */
async function softDeletedElsewhere(c: AzureClients, otherVaultId: string, names: ItemNames): Promise<ItemState | undefined> {
  const other = parseVaultId(otherVaultId);
  if (other === undefined) return undefined;
  const client = lower(other.subscriptionId) === lower(c.subscriptionId) ? c : clients(other.subscriptionId);
  const item = await getItem(
    client,
    { subscriptionId: other.subscriptionId, resourceGroupName: other.resourceGroupName, vaultName: other.vaultName },
    names,
  ).catch(() => undefined);
  return item?.softDeleted === true ? item : undefined;
}

/**
 * What the vault's immutability (Unlocked or Locked, as Azure holds it) refuses of this VM: moving it to a
 * policy that keeps recovery points for less time, `deleteBackupData` on destroy; and `suspendBackups` needs
 * it (DOCS.immutableVaultRestricted, DOCS.suspendBackups). The policy moved to is the program's declaration
 * when it declares it, else the vault's live policy.
 */
async function immutableVaultCheck(news: ProtectedVmInputs): Promise<Diagnostic[]> {
  const c = clients(news.subscriptionId);
  const ref = vaultRefOf(c, news);
  const vault = await vaultState(c, ref);
  if (vault === undefined) return [];
  const options = ruleOptions();
  const onDestroy = VM_ON_DESTROY.find((v) => v === (news.onDestroy ?? DEFAULT_VM_ON_DESTROY));
  const found = onDestroy === undefined ? [] : validateVmDestroyOnVault(onDestroy, { name: ref.vaultName, immutability: vault.immutability }, options);
  if (vault.immutability === "Disabled") return found;
  const mine = (await listItems(c, ref)).find((i) => sameId(i.vmId, news.vmId) && !i.softDeleted);
  if (mine?.policyName === undefined || lower(mine.policyName) === lower(news.policyName)) return found;
  const policies = await listPolicies(c, ref);
  const from = policies.find((p) => lower(p.name) === lower(mine.policyName));
  const declared = declaredPolicy(news);
  const to = declared === undefined ? policies.find((p) => lower(p.name) === lower(news.policyName))?.policy : normalizePolicy(declared, options).policy;
  if (from === undefined || to === undefined) return found;
  return [
    ...found,
    ...validateVmPolicyMove(
      { name: ref.vaultName, immutability: vault.immutability },
      itemNamesFor(news.vmId).vm.name,
      { name: from.name, retention: from.policy.retention },
      { name: news.policyName, retention: to.retention },
      options,
    ),
  ];
}

/** The VM as the program declares it, when it is known (a whole-value unknown in a preview is not). */
function declaredVm(inputs: ProtectedVmInputs): ProtectedVmInputs["vm"] {
  return inputs.vm !== null && typeof inputs.vm === "object" ? inputs.vm : undefined;
}

/** The Backup-now request these inputs make, if any. */
function backupNowOf(inputs: ProtectedVmInputs): BackupNowArgs | undefined {
  if (inputs.backupNowRetainUntil === undefined && inputs.backupNowRetainDays === undefined) return undefined;
  return {
    ...(inputs.backupNowRetainUntil === undefined ? {} : { retainUntil: inputs.backupNowRetainUntil }),
    ...(inputs.backupNowRetainDays === undefined ? {} : { retainDays: inputs.backupNowRetainDays }),
  };
}

/** Whether the Backup-now request changed (a new date or number of days asks for another backup). */
function backupNowChanged(olds: { backupNowRetainUntil?: string; backupNowRetainDays?: number }, news: ProtectedVmInputs): boolean {
  return news.backupNowRetainUntil !== olds.backupNowRetainUntil || news.backupNowRetainDays !== olds.backupNowRetainDays;
}

/**
 * The item's newest recovery point with its consistency: one recovery-point list filtered to the time the item gives
 * (lastRecoveryPoint), made only when the item has a point (none before the first backup: no call at a first create).
 */
async function latestPointOf(c: AzureClients, ref: VaultRef, item: ItemState): Promise<LatestRecoveryPointOutput | undefined> {
  if (item.lastRecoveryPoint === undefined) return undefined;
  const point = await readRecoveryPointAt(c, ref, { ...item, vmName: vmNameOfItemName(item.itemName) }, Date.parse(item.lastRecoveryPoint));
  return point === undefined ? undefined : { time: new Date(point.time).toISOString(), consistency: point.consistency, name: point.name };
}

function outputs(
  inputs: ProtectedVmInputs,
  subscriptionId: string,
  item: ItemState,
  estimate: Estimate,
  jobId?: string,
  latest?: LatestRecoveryPointOutput,
): ProtectedVmOutputs {
  return {
    id: item.id,
    subscriptionId,
    vaultResourceGroupName: inputs.vaultResourceGroupName,
    vaultName: inputs.vaultName,
    policyName: inputs.policyName,
    vmId: inputs.vmId,
    ...selectionOf(inputs),
    onDestroy: inputs.onDestroy ?? DEFAULT_VM_ON_DESTROY,
    ...(inputs.keyVaultAccess === undefined ? {} : { keyVaultAccess: inputs.keyVaultAccess }),
    ...(inputs.backupNowRetainUntil === undefined ? {} : { backupNowRetainUntil: inputs.backupNowRetainUntil }),
    ...(inputs.backupNowRetainDays === undefined ? {} : { backupNowRetainDays: inputs.backupNowRetainDays }),
    waitForInitialBackup: inputs.waitForInitialBackup ?? false,
    containerName: item.containerName,
    itemName: item.itemName,
    protectionState: item.protectionState,
    lastBackupStatus: item.lastBackupStatus,
    ...(item.lastBackupTime === undefined ? {} : { lastBackupTime: item.lastBackupTime }),
    ...(jobId === undefined ? {} : { lastBackupJobId: jobId }),
    ...(latest === undefined ? {} : { latestRecoveryPoint: latest }),
    protectedInstanceGb: estimate.gb,
    protectedInstanceUpperBound: estimate.upperBound,
    billingUnits: estimate.units,
    billingTier: estimate.tier,
    initialBackupHours: estimate.hours,
  };
}

interface Estimate {
  gb: number;
  upperBound: boolean;
  units: number;
  tier: string;
  hours: number;
}

/**
 * The protected instance: the used data Azure measured at the VM's first backup when it did (src/azure/backup-size.ts),
 * else the VM's disks (declared used data, or their sizes: an upper bound).
 */
async function estimateFor(c: AzureClients, inputs: ProtectedVmInputs, item?: ItemState): Promise<Estimate> {
  const declared = declaredVm(inputs);
  const vm = (await vmOf(c, itemNamesFor(inputs.vmId), declared)) ?? (declared === undefined ? undefined : ({ ...declared, id: inputs.vmId } as VmArgs));
  const measured = item === undefined ? undefined : await measuredFor(c, vaultRefOf(c, inputs), inputs.vmId, item);
  if (vm === undefined && measured === undefined) return { gb: 0, upperBound: true, units: 0, tier: "small", hours: 0 };
  const e = estimateProtectedInstance(vm ?? { id: inputs.vmId, location: "", osDisk: { sizeGb: 0 }, dataDisks: [] }, {
    ...ruleOptions(),
    ...selectionOf(inputs),
    ...(measured === undefined ? {} : { measuredUsedGb: measured }),
  });
  return {
    gb: e.protectedInstanceGb,
    upperBound: e.usedDataEstimated,
    units: e.billing.units,
    tier: e.billing.tier,
    hours: Math.round(e.initialBackupHours * 100) / 100,
  };
}

/**
 * The used data Azure measured for the VM (its first backup's size), or undefined. Jobs name their VM only by name,
 * so the vault's items of the same name are counted: with two, nothing is measured.
 */
async function measuredFor(c: AzureClients, ref: VaultRef, vmId: string, item: ItemState): Promise<number | undefined> {
  const names = itemNamesFor(vmId);
  if (item.recoveryPoints === 0) return undefined;
  const items = await listItems(c, ref);
  const sameName = items.filter((i) => !i.softDeleted && lower(parseVmId(i.vmId)?.name) === lower(names.vm.name)).length;
  return (await measuredUsedData(c, ref, names, item, Math.max(1, sameName)))?.gb;
}

/**
 * The protected instance a refresh reports: Azure's measured used data when it has it; else what the state had (a
 * figure measured before stays: Azure may no longer list the job that measured it).
 */
function protectedInstanceOnRead(
  props: ProtectedVmOutputs,
  measured: number | undefined,
): Partial<Pick<ProtectedVmOutputs, "protectedInstanceGb" | "protectedInstanceUpperBound" | "billingUnits" | "billingTier">> {
  if (measured === undefined) {
    // What the state had, field by field: a pending create read back by name has inputs only, and an undefined value
    // cannot cross the provider protocol (google-protobuf Struct: "Unexpected struct type").
    // A state written before the flag existed counted disks as the VM described them: say so only when it knows.
    const kept: Partial<Pick<ProtectedVmOutputs, "protectedInstanceGb" | "protectedInstanceUpperBound" | "billingUnits" | "billingTier">> = {};
    if (props.protectedInstanceGb !== undefined) kept.protectedInstanceGb = props.protectedInstanceGb;
    if (props.protectedInstanceUpperBound !== undefined) kept.protectedInstanceUpperBound = props.protectedInstanceUpperBound;
    if (props.billingUnits !== undefined) kept.billingUnits = props.billingUnits;
    if (props.billingTier !== undefined) kept.billingTier = props.billingTier;
    return kept;
  }
  const billing = estimateBilling(measured, ruleOptions());
  return { protectedInstanceGb: measured, protectedInstanceUpperBound: false, billingUnits: billing.units, billingTier: billing.tier };
}

/**
 * An update keeps a figure Azure measured before (Azure may no longer list the job that measured it) rather than fall
 * back to disk sizes, as long as the backed-up disks are the same.
 */
function keptMeasure(olds: ProtectedVmOutputs, news: ProtectedVmInputs, estimate: Estimate): Estimate {
  if (!estimate.upperBound || olds.protectedInstanceUpperBound !== false || !sameValue(selectionOf(news), selectionOf(olds))) return estimate;
  return { ...estimate, gb: olds.protectedInstanceGb, upperBound: false, units: olds.billingUnits, tier: olds.billingTier };
}

/** Backup now (and wait for it when asked): the job that made the recovery point. */
async function backupAfterProtect(c: AzureClients, ref: VaultRef, inputs: ProtectedVmInputs): Promise<{ jobId?: string; item?: ItemState }> {
  const request = backupNowOf(inputs);
  if (request === undefined) return {};
  const s = settings();
  const names = itemNamesFor(inputs.vmId);
  const jobId = await backupNow(c, s, ref, names, backupNowExpiry(request, new Date()));
  if (jobId === undefined || inputs.waitForInitialBackup !== true) return jobId === undefined ? {} : { jobId };
  const job = await waitForJob(c, s, ref, jobId, s.operationTimeoutMs);
  if (job.status !== "Completed" && job.status !== "CompletedWithWarnings") {
    throw new AzureOperationError(
      "Backing up",
      `VM '${names.vm.name}' in vault '${ref.vaultName}'`,
      job.status,
      `the backup job ${jobId} ended ${job.status}${job.error ? `: ${job.error}` : ""}.`,
    );
  }
  const item = await getItem(c, ref, names);
  return item === undefined ? { jobId } : { jobId, item };
}

/**
 * The VM's Azure Disk Encryption: from the VM already read (osDisk.encryptionSettings: no call of its own) or, for a VM
 * with the ADE extension whose settings are on its managed disks (today's single-pass ADE), from its disks (src/azure/vms.ts).
 */
async function adeOf(c: AzureClients, inputs: ProtectedVmInputs): Promise<DiskEncryptionArgs | undefined> {
  const names = itemNamesFor(inputs.vmId);
  const vm = await vmOf(c, names, declaredVm(inputs));
  return vm === undefined ? undefined : diskEncryptionOfVm(vmClientsOf(c, names), vm);
}

/**
 * An encrypted VM's Key Vault access for Azure Backup (src/rules/key-vault-access.ts): none for a VM without Azure Disk
 * Encryption. The Backup Management Service's object id is the setting's, else looked up in Microsoft Graph
 * (src/azure/graph.ts); when that fails, a diagnostic says how to set it. With keyVaultAccess "grant", missing access is
 * reported as info (the create grants it); else as an error.
 */
async function keyVaultDiagnostics(c: AzureClients, inputs: ProtectedVmInputs): Promise<Diagnostic[]> {
  const names = itemNamesFor(inputs.vmId);
  const ade = await adeOf(c, inputs);
  if (ade === undefined) return [];
  let objectId: string;
  try {
    objectId = await backupManagementServiceObjectId(c);
  } catch (error) {
    if (!(error instanceof BackupServicePrincipalLookupError)) throw error;
    return [backupServicePrincipalUnknown(names.vm.name, BACKUP_SERVICE_OBJECT_ID_SETTING, "keyVaultAccess", error.message)];
  }
  const vaults = await encryptionKeyVaults(c, ade, objectId);
  return checkKeyVaultAccess({ vm: names.vm.name, ade, vaults: vaults.map((v) => v.access), grant: inputs.keyVaultAccess === "grant", objectId });
}

/** Before protecting an encrypted VM: grant what its Key Vault lacks ("grant"), or refuse as the check would have. Never revoked. */
async function ensureKeyVaultAccess(c: AzureClients, inputs: ProtectedVmInputs): Promise<void> {
  const names = itemNamesFor(inputs.vmId);
  const diagnostics = await keyVaultDiagnostics(c, inputs);
  const error = diagnostics.find((d) => d.severity === "error");
  if (error !== undefined) throw new AzureOperationError("Protecting", `VM '${names.vm.name}'`, error.code, describeDiagnostic(error));
  if (inputs.keyVaultAccess !== "grant" || diagnostics.length === 0) return;
  const ade = (await adeOf(c, inputs))!;
  const objectId = await backupManagementServiceObjectId(c);
  for (const { need, access } of await encryptionKeyVaults(c, ade, objectId)) {
    if (access.readable) await grantKeyVaultAccess(c, need, access, objectId);
  }
}

export const protectedVmProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: ProtectedVmInputs, news: ProtectedVmInputs): Promise<pulumi.dynamic.CheckResult> {
    const options = ruleOptions();
    const required: pulumi.dynamic.CheckFailure[] = [];
    for (const key of ["vaultName", "policyName", "vmId"] as const) {
      if (typeof news[key] !== "string" || news[key] === "") required.push({ property: key, reason: `[input/required] ${key} is required.` });
    }
    const group =
      news.vaultResourceGroupName === UNKNOWN_SENTINEL
        ? []
        : failures(validateResourceGroupName(news.vaultResourceGroupName, "vaultResourceGroupName", options));
    const vmId =
      typeof news.vmId === "string" && news.vmId !== UNKNOWN_SENTINEL && parseVmId(news.vmId) === undefined
        ? [{ property: "vmId", reason: `[vm/id] '${news.vmId}' is not the resource id of a virtual machine.` }]
        : [];
    const backup = backupNowOf(news);
    // onDestroy and waitForInitialBackup judge nothing the checks below need: they never stop them, and are
    // reported with every other failure of this check.
    const lifecycle = failures(
      validateProtectedVmLifecycle(
        { onDestroy: news.onDestroy, waitForInitialBackup: news.waitForInitialBackup, ...(backup === undefined ? {} : { backupNow: backup }) },
        options,
      ),
    );
    const backupNow =
      backup === undefined || hasUnknown(backup)
        ? []
        : failures(validateBackupNow(backup, new Date(), options), (d) =>
            d.path === "retainUntil" ? "backupNowRetainUntil" : d.path === "retainDays" ? "backupNowRetainDays" : "",
          );
    const program = programFailures(news.programChecks);
    const keyVaultAccess =
      news.keyVaultAccess === undefined || news.keyVaultAccess === "require" || news.keyVaultAccess === "grant" || hasUnknown(news.keyVaultAccess)
        ? []
        : [{ property: "keyVaultAccess", reason: `[input/type] keyVaultAccess must be "require" or "grant"; got ${JSON.stringify(news.keyVaultAccess)}.` }];
    const found = [...required, ...group, ...lifecycle, ...backupNow, ...vmId, ...program, ...keyVaultAccess];
    if ([required, group, backupNow, vmId, program].some((list) => list.length > 0)) return { inputs: news, failures: found };
    if (hasUnknown([news.vmId, news.vaultName, news.vaultResourceGroupName, news.policyName, news.subscriptionId])) {
      // Preview of a VM or vault created in the same program: check what is declared.
      const vm = declaredVm(news);
      if (vm === undefined || hasUnknown([news.vaultName, news.policyName])) return { inputs: news, failures: found };
      const vaultName = String(news.vaultName);
      const plan = new PlanBuilder().vault({ name: vaultName, location: news.vaultLocation ?? vm.location });
      const declared = declaredPolicy(news);
      if (declared !== undefined) plan.policy(vaultName, String(news.policyName), declared);
      plan.vm(vaultName, String(news.policyName), { ...(vm as VmArgs), id: news.vmId }, selectionOf(news), entryOf(news));
      const report = plan.analyze(options);
      // Without the declared policy, its name cannot be judged here.
      const judged = report.diagnostics.filter((d) => concernsThisVm(d) && !(news.policy === undefined && d.code === "plan/policy-unknown"));
      return { inputs: news, failures: [...found, ...failures(judged, propertyOf)] };
    }
    const c = clients(news.subscriptionId);
    await protectedVmGuardNotes(c, vaultRefOf(c, news), parseVmId(news.vmId)?.name ?? news.vmId, news.onDestroy ?? DEFAULT_VM_ON_DESTROY, options);
    return {
      inputs: news,
      failures: [
        ...found,
        ...failures(await liveCheck(news), propertyOf),
        ...failures(await immutableVaultCheck(news)),
        ...failures(await keyVaultDiagnostics(c, news), () => "keyVaultAccess"),
      ],
    };
  },

  async diff(_id: string, olds: ProtectedVmOutputs, news: ProtectedVmInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (news.subscriptionId !== undefined && lower(news.subscriptionId) !== lower(olds.subscriptionId)) replaces.push("subscriptionId");
    if (lower(news.vaultResourceGroupName) !== lower(olds.vaultResourceGroupName)) replaces.push("vaultResourceGroupName");
    if (lower(news.vaultName) !== lower(olds.vaultName)) replaces.push("vaultName");
    // ARM ids compare without case (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules): a case change is no change.
    if (!sameId(news.vmId, olds.vmId)) replaces.push("vmId");
    const updates =
      lower(news.policyName) !== lower(olds.policyName) ||
      !sameValue(selectionOf(news), selectionOf(olds)) ||
      (news.onDestroy ?? DEFAULT_VM_ON_DESTROY) !== olds.onDestroy ||
      backupNowChanged(olds, news) ||
      (news.waitForInitialBackup ?? false) !== olds.waitForInitialBackup ||
      (news.keyVaultAccess ?? "require") !== (olds.keyVaultAccess ?? "require");
    return { changes: replaces.length > 0 || updates, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: ProtectedVmInputs): Promise<pulumi.dynamic.CreateResult> {
    const s = settings();
    const c = clients(inputs.subscriptionId);
    const ref = vaultRefOf(c, inputs);
    const names = itemNamesFor(inputs.vmId);
    // From the vault's list: a fleet's creates share one list instead of a GET each.
    let existing = await listedItem(c, ref, names);
    let status: BackupStatus | undefined;
    if (existing === undefined) {
      status = await backupStatus(c, (await vmOf(c, names, declaredVm(inputs)))?.location ?? inputs.vaultLocation ?? "", inputs.vmId).catch(() => undefined);
      // Azure ties the VM to this vault, yet the list shows no item of it: the list passed over it (a list is no proof of
      // absence: an item purged between two of its pages moves the rest past the continuation token). Read it on its
      // own, so that a soft-deleted item is undeleted rather than refused (test/host/delete-list-pages.test.ts).
      if (status?.vaultId !== undefined && sameId(status.vaultId, vaultId(ref))) existing = await getItem(c, ref, names);
    }
    if (existing?.softDeleted === true) {
      // Undelete instead of failing with "already exists" (https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud).
      await rehydrate(c, s, ref, names);
    } else if (existing === undefined) {
      // A create without a preview (--skip-preview) meets what the check would have refused: the VM soft-deleted in
      // another vault gets the check's advice, not Azure's refusal of the PUT.
      const elsewhere =
        status?.vaultId !== undefined && !sameId(status.vaultId, vaultId(ref))
          ? await softDeletedElsewhereDiagnostics(c, ref, names, status.vaultId, inputs)
          : [];
      if (elsewhere.length > 0) {
        throw new AzureOperationError("Protecting", `VM '${names.vm.name}'`, elsewhere[0]!.code, describeDiagnostic(elsewhere[0]!, { subject: true }));
      }
      // The whole vault id is compared: a same-named vault in another resource group is another vault.
      if (status?.protected === true && status.vaultId !== undefined && !sameId(status.vaultId, vaultId(ref))) {
        const there = parseVaultId(status.vaultId);
        const where = there === undefined ? `'${status.vaultId}'` : `'${there.vaultName}' of resource group '${there.resourceGroupName}'`;
        throw new AzureOperationError(
          "Protecting",
          `VM '${names.vm.name}'`,
          "VmProtectedInAnotherVault",
          `the VM is already protected in vault ${where}; a VM can be protected in only one vault at a time. What to do: stop its protection there first (keeping the data), or protect it with that vault.`,
        );
      }
    }
    // An encrypted VM: Backup's access to its Key Vault, granted first when asked (a backup without it fails).
    await ensureKeyVaultAccess(c, inputs);
    const adopt =
      existing !== undefined &&
      !existing.softDeleted &&
      lower(existing.policyName) === lower(inputs.policyName) &&
      existing.protectionState !== "ProtectionStopped" &&
      sameValue(existing.diskSelection, selectionOf(inputs));
    let item =
      adopt && existing !== undefined
        ? existing
        : (await protect(c, s, ref, names, inputs.policyName, selectionOf(inputs), existing !== undefined && Object.keys(existing.diskSelection).length > 0))
            .item;
    const backup = await backupAfterProtect(c, ref, inputs);
    item = backup.item ?? item;
    return {
      id: item.id,
      outs: outputs(inputs, c.subscriptionId, item, await estimateFor(c, inputs, item), backup.jobId, await latestPointOf(c, ref, item)),
    };
  },

  async read(id: string, props: ProtectedVmOutputs): Promise<pulumi.dynamic.ReadResult> {
    const c = clients(props.subscriptionId);
    const item = await getItem(c, vaultRefOf(c, props), itemNamesFor(props.vmId));
    // A soft-deleted item is gone for the stack; the next up undeletes it.
    if (item === undefined || item.softDeleted) return { id: "", props: {} };
    const measured = await measuredFor(c, vaultRefOf(c, props), props.vmId, item);
    const latest = await latestPointOf(c, vaultRefOf(c, props), item);
    const { latestRecoveryPoint: _previous, ...kept } = props;
    return {
      // An empty id reads a create that was interrupted before its id was recorded (Pulumi's pending create).
      id: id === "" ? item.id : id,
      props: {
        ...kept,
        ...(latest === undefined ? {} : { latestRecoveryPoint: latest }),
        subscriptionId: props.subscriptionId ?? c.subscriptionId,
        containerName: item.containerName,
        itemName: item.itemName,
        protectionState: item.protectionState,
        lastBackupStatus: item.lastBackupStatus,
        ...(item.lastBackupTime === undefined ? {} : { lastBackupTime: item.lastBackupTime }),
        policyName: item.policyName ?? props.policyName,
        ...protectedInstanceOnRead(props, measured),
      },
    };
  },

  async update(_id: string, olds: ProtectedVmOutputs, news: ProtectedVmInputs): Promise<pulumi.dynamic.UpdateResult> {
    const s = settings();
    const c = clients(olds.subscriptionId);
    const ref = vaultRefOf(c, olds);
    const names = itemNamesFor(olds.vmId);
    let item: ItemState | undefined;
    if (news.keyVaultAccess === "grant") await ensureKeyVaultAccess(c, news);
    if (lower(news.policyName) !== lower(olds.policyName) || !sameValue(selectionOf(news), selectionOf(olds))) {
      item = (await protect(c, s, ref, names, news.policyName, selectionOf(news), Object.keys(selectionOf(olds)).length > 0)).item;
    }
    const backup = backupNowOf(news) !== undefined && backupNowChanged(olds, news) ? await backupAfterProtect(c, ref, news) : {};
    item = backup.item ?? item ?? (await getItem(c, ref, names));
    if (item === undefined)
      throw new AzureOperationError(
        "Updating the protection of",
        `VM '${names.vm.name}'`,
        "ResourceNotFound",
        "the protected item no longer exists; run `pulumi refresh` and `pulumi up` to protect the VM again.",
      );
    const jobId = backup.jobId ?? olds.lastBackupJobId;
    return {
      outs: outputs(news, olds.subscriptionId, item, keptMeasure(olds, news, await estimateFor(c, news, item)), jobId, await latestPointOf(c, ref, item)),
    };
  },

  async delete(_id: string, props: ProtectedVmOutputs): Promise<void> {
    const s = settings();
    const c = clients(props.subscriptionId);
    const ref = vaultRefOf(c, props);
    const names = itemNamesFor(props.vmId);
    // The vault's list (read once per process) answers for a fleet; an item it does not show is read on its own before
    // the destroy concludes there is no protection to stop: a list is no proof of absence (an item purged between two of
    // its pages moves the rest past the continuation token; test/host/delete-list-pages.test.ts).
    const item = (await listedItem(c, ref, names)) ?? (await getItem(c, ref, names));
    if (item === undefined || item.softDeleted) return;
    const onDestroy = props.onDestroy ?? DEFAULT_VM_ON_DESTROY;
    if (onDestroy === "deleteBackupData") {
      await deleteBackupData(c, s, ref, names);
    } else if (onDestroy === "suspendBackups") {
      await suspendOnDestroy(c, ref, names, item);
    } else if (item.protectionState !== "ProtectionStopped") {
      // The default: stop protection, keep every recovery point.
      await stopProtection(c, s, ref, names);
    }
  },
};

/**
 * onDestroy "suspendBackups": stop backups, keep each recovery point until its policy expires it. Only an
 * immutable vault accepts it (DOCS.suspendBackups); a vault that is no longer immutable gets a clear error,
 * never a silent deletion or a different mode.
 */
async function suspendOnDestroy(c: AzureClients, ref: VaultRef, names: ItemNames, item: ItemState): Promise<void> {
  if (item.protectionState === "BackupsSuspended" || item.protectionState === "ProtectionStopped") return;
  const vault = await getVault(c, ref);
  if (vault !== undefined && vault.immutability === "Disabled") {
    throw new AzureOperationError(
      "Suspending the backups of",
      `VM '${names.vm.name}' in vault '${ref.vaultName}'`,
      "VaultNotImmutable",
      'onDestroy is "suspendBackups", but the vault is not immutable, and Azure suspends backups on an immutable vault only. Nothing was changed. What to do: set onDestroy "stopProtectionRetainData" (keeps every recovery point) and destroy again, or make the vault immutable (Unlocked).',
    );
  }
  await suspendBackups(c, settings(), ref, names);
}
