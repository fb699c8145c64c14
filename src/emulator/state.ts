/**
 * What the emulated Azure holds: vaults (with their configuration, policies, protected items, jobs and
 * recovery points), feature and provider registrations, long-running operations, and the VMs the
 * compute API serves. Everything is plain data so that state can be saved to a JSON file and resumed.
 */

/** A VM the emulated compute API serves (`--vms FILE`); `usedGb` drives backup durations. */
export interface VmFixture {
  id: string;
  location: string;
  vmSize?: string;
  osType?: "Windows" | "Linux";
  /** Marketplace image as `publisher:offer:sku:version`. */
  image?: string;
  /** A deallocated VM gets crash-consistent recovery points (the storage is snapshotted: DOCS.vmBackupPlanning2018). */
  powerState?: "running" | "deallocated";
  osDisk: FixtureDisk;
  dataDisks?: Array<FixtureDisk & { lun: number }>;
  tags?: Record<string, string>;
  zones?: string[];
  /** The compute API's securityProfile.securityType; absent (or "Standard") for a standard VM. */
  securityType?: "Standard" | "TrustedLaunch" | "ConfidentialVM";
  /**
   * Azure Disk Encryption: the BitLocker/dm-crypt key (BEK) as a Key Vault secret, and optionally the key (KEK)
   * that wraps it. Rendered as the compute API's osDisk.encryptionSettings (arm/compute.ts).
   */
  diskEncryption?: FixtureDiskEncryption;
}

export interface FixtureDiskEncryption {
  /** The Key Vault holding the secret (ARM id). */
  keyVaultId: string;
  /** `https://{vault}.vault.azure.net/secrets/{name}/{version}` */
  secretUrl: string;
  keyEncryptionKey?: { keyVaultId: string; keyUrl: string };
  /**
   * Today's ADE, "single pass" (extension 1.1 on Linux, 2.2 on Windows): the settings are on the VM's managed disks
   * (Microsoft.Compute/disks `encryptionSettingsCollection`) and not on the VM's osDisk.encryptionSettings, where the
   * older "dual pass" ADE (with a Microsoft Entra app) put them (arm/compute.ts cites both).
   */
  singlePass?: boolean;
}

/** A Microsoft.KeyVault vault (arm/key-vaults.ts): its access model and access policies. */
export interface KeyVaultRecord {
  id: string;
  location: string;
  tenantId: string;
  /** Azure RBAC decides data-plane access instead of the access policies. */
  enableRbacAuthorization: boolean;
  accessPolicies: KeyVaultAccessPolicyRecord[];
  enabledForDiskEncryption: boolean;
  createdAt: number;
}

export interface KeyVaultAccessPolicyRecord {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[]; storage?: string[] };
}

/** A Microsoft.Authorization role assignment (arm/key-vaults.ts). */
export interface RoleAssignmentRecord {
  /** Its ARM id: `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`. */
  id: string;
  scope: string;
  name: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  createdAt: number;
}

export interface FixtureDisk {
  name?: string;
  sizeGb: number;
  usedGb?: number;
  storageType?: string;
  /** Unmanaged disks live in a storage account (`storageAccount`). */
  managed?: boolean;
  storageAccount?: string;
}

export type SoftDeleteState = "Enabled" | "Disabled" | "AlwaysON";

export interface VaultRecord {
  key: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  sku: string;
  /** Older state files: the identity type alone (read as `identity` with no user-assigned identities). */
  identityType?: string;
  /** Managed identities (`identity`): type, and user-assigned identities by ARM id as the client wrote them. */
  identity?: { type: string; userAssignedIdentities: string[] };
  /** Encryption with a customer-managed key (`properties.encryption`); absent: platform-managed keys. */
  encryption?: {
    keyUri: string;
    useSystemAssignedIdentity: boolean;
    userAssignedIdentity?: string;
    infrastructureEncryption: "Enabled" | "Disabled";
  };
  /** `restoreSettings.crossSubscriptionRestoreSettings.crossSubscriptionRestoreState`; absent until set (Azure's default: Enabled). */
  crossSubscriptionRestore?: "Enabled" | "Disabled" | "PermanentlyDisabled";
  etag: string;
  provisioningState: "Provisioning" | "Succeeded" | "Failed" | "Deleting";
  createdAt: number;
  publicNetworkAccess: string;
  redundancy: "LocallyRedundant" | "GeoRedundant" | "ZoneRedundant";
  crossRegionRestore: boolean;
  softDelete: { state: SoftDeleteState; retentionDays: number; enhancedSecurityState: "Enabled" | "Disabled" };
  immutability: "Disabled" | "Unlocked" | "Locked";
  monitoringSettings?: unknown;
  /** Once any VM has been protected, storage redundancy is locked (storageTypeState `Locked`). */
  storageLocked: boolean;
  policies: PolicyRecord[];
  items: ItemRecord[];
  jobs: JobRecord[];
  /** VM ids (lower case) found by `refreshContainers`. */
  discovered: string[];
  /** Resource Guard proxies (multi-user authorization); none by default. */
  guardProxies?: GuardProxyRecord[];
  /** Set once an item was ever submitted for protection (registered): private endpoints for Azure Backup are refused from then on. */
  itemsRegistered?: boolean;
  /** Private endpoint connections (arm/private-endpoints.ts); none by default. */
  privateEndpointConnections?: PrivateEndpointConnectionRecord[];
}

export interface PrivateEndpointConnectionRecord {
  /** `{privateEndpointName}.{id}.backup.{guid}` as the service names them. */
  name: string;
  privateEndpointId: string;
  groupIds: string[];
  status: "Pending" | "Approved" | "Rejected" | "Disconnected";
  description: string;
}

/** A Microsoft.Network private endpoint (arm/private-endpoints.ts). */
export interface PrivateEndpointRecord {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  subnetId: string;
  /** The connections as given (`privateLinkServiceConnections` or `manualPrivateLinkServiceConnections`), with their state. */
  connections: Array<{ name: string; privateLinkServiceId: string; groupIds: string[]; requestMessage?: string; manual: boolean }>;
}

export interface GuardProxyRecord {
  name: string;
  resourceGuardResourceId: string;
  lastUpdatedTime: number;
  description?: string;
  /** Deletes unlocked by `unlockDelete` (src/emulator/arm/resource-guards.ts): the resource (lower-case id) and until when. */
  unlocks?: Array<{ resource: string; until: number }>;
}

/** A Resource Guard (Microsoft.DataProtection/resourceGuards), src/emulator/arm/resource-guards.ts. */
export interface ResourceGuardRecord {
  id: string;
  location: string;
  /** The tenant the guard lives in: that of the token that created it. */
  tenantId: string;
  /** `vaultCriticalOperation` names the guard does not protect (optional operations only). */
  exclusions: string[];
  description?: string;
  tags?: Record<string, string>;
}

export interface PolicyRecord {
  name: string;
  /** `AzureIaaSVMProtectionPolicy` properties as stored. */
  properties: Record<string, unknown>;
}

export type ProtectionState = "IRPending" | "Protected" | "ProtectionError" | "ProtectionStopped" | "ProtectionPaused" | "BackupsSuspended";

export interface RecoveryPointRecord {
  name: string;
  time: number;
  consistency: "AppConsistent" | "FileSystemConsistent" | "CrashConsistent";
  /** The snapshot (instant restore tier) exists until then. */
  snapshotUntil: number;
  /** The point reaches the vault (hardened tier) then. */
  inVaultAt: number;
  /** Backup now with a retain-until date: the point expires then. */
  expiresAt?: number;
  /** File recovery (item-level recovery, arm/item-recovery.ts): the session provisioned then and ending then, unless revoked first. */
  ilrSession?: { startedAt: number; endsAt: number };
  /** The VM was encrypted with Azure Disk Encryption when the point was taken. */
  encrypted?: boolean;
  /** The VM as it was when the point was taken (what a restore brings back); absent in older state files. */
  vm?: VmFixture;
}

export interface ItemRecord {
  key: string;
  /** `IaasVMContainer;iaasvmcontainerv2;{rg};{vm}` */
  containerName: string;
  /** `VM;iaasvmcontainerv2;{rg};{vm}` */
  name: string;
  vmId: string;
  friendlyName: string;
  policyName?: string;
  protectionState: ProtectionState;
  lastBackupStatus: string;
  lastBackupTime?: number;
  /** Soft delete: when the deleted item's data is purged. */
  deferredDeleteAt?: number;
  diskExclusion?: { diskLunList: number[]; isInclusionList: boolean };
  recoveryPoints: RecoveryPointRecord[];
  createdAt: number;
}

export type JobOperation = "ConfigureBackup" | "Backup" | "DisableBackup" | "DeleteBackupData" | "Undelete" | "Restore";

export interface JobRecord {
  id: string;
  operation: JobOperation;
  status: "InProgress" | "Completed" | "Failed";
  startTime: number;
  endTime?: number;
  itemKey?: string;
  friendlyName: string;
  isUserTriggered: boolean;
  /** Backup jobs: the snapshot completes then (a recovery point in the snapshot tier appears)... */
  snapshotAt?: number;
  /** ... and the transfer to the vault then (the job completes). */
  transferAt?: number;
  /** Backup now: the recovery point's retain-until date. */
  retainUntil?: number;
  /** Backup jobs: the data the backup sends to the vault, MB (its "Backup Size" once it completes). */
  backupSizeMb?: number;
  /** The recovery point the job created (numeric, as the service names them). */
  recoveryPointName?: string;
  /** `recommendations`: what the job's errorDetails recommend (AzureIaaSVMErrorInfo in bms.json). */
  error?: { code: string; message: string; recommendations?: string[] };
  /** Restore jobs: what is restored, from where, to where, and when each phase ends (model/restore.ts). */
  restore?: RestoreRecord;
}

/** A Restore job's request and timeline (model/restore.ts). */
export interface RestoreRecord {
  recoveryType: "RestoreDisks" | "AlternateLocation" | "OriginalLocation";
  recoveryPointName: string;
  recoveryPointTime: number;
  /** Where the data comes from: the snapshot (instant restore) or the vault. */
  sourceTier: "Snapshot" | "Vault";
  storageAccountId?: string;
  targetResourceGroupId?: string;
  targetVirtualMachineId?: string;
  subnetId?: string;
  zones?: string[];
  /** The job leaves the queue then (data copy starts)... */
  copyAt: number;
  /** ... the data copy ends then (and, for a new VM or replaced disks, the VM is created or updated)... */
  copiedAt: number;
  /** ... and the job completes then. */
  doneAt: number;
  /** The managed disks the restore created (ids), once it completed. */
  restoredDisks?: string[];
}

/** A managed disk the emulated compute API serves (restored disks: model/restore.ts). */
export interface DiskRecord {
  id: string;
  location: string;
  sizeGb: number;
  storageType: string;
  osType?: "Windows" | "Linux";
  zones?: string[];
  createdAt: number;
}

export type OperationKind =
  | "vault-create"
  | "vault-update"
  | "policy-update"
  | "policy-delete"
  | "refresh"
  | "item-put"
  | "item-delete"
  | "item-backup"
  | "ilr-provision"
  | "ilr-revoke"
  | "item-restore";

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  vaultKey: string;
  itemKey?: string;
  policyName?: string;
  /** What the operation applies when it completes (kind-specific data). */
  payload?: Record<string, unknown>;
  status: "InProgress" | "Succeeded" | "Failed";
  startTime: number;
  endTime?: number;
  /** Emulated time at which the operation finishes (its start plus its duration: durations.ts). */
  dueAt: number;
  /** Injected "slow-operation" fault: status reads that still report InProgress past the due time. */
  readsLeft?: number;
  /** Set by fault injection: the operation ends Failed with this error. */
  failure?: { code: string; message: string };
  jobId?: string;
}

export type FeatureState = "NotRegistered" | "Registering" | "Registered" | "Unregistering" | "Unregistered" | "Pending";

export interface RegistrationRecord {
  key: string;
  subscriptionId: string;
  namespace: string;
  /** Feature name, or "" for a resource provider registration. */
  name: string;
  state: FeatureState;
  /** When the state was entered (a transitional state completes after the registration's duration). */
  since: number;
}

export interface EmulatorState {
  version: 1;
  /** Emulated time when the state was saved. */
  savedAt: number;
  vaults: VaultRecord[];
  registrations: RegistrationRecord[];
  operations: OperationRecord[];
  vms: VmFixture[];
  /**
   * Soft-deleted vaults (secure by default: a deleted vault that held soft-deleted items stays recoverable for
   * its soft-delete retention, https://learn.microsoft.com/azure/backup/secure-by-default). Absent in older state files.
   */
  deletedVaults?: DeletedVaultRecord[];
  /** Resource Guards (multi-user authorization). Absent in older state files. */
  resourceGuards?: ResourceGuardRecord[];
  /** Microsoft.Network private endpoints (absent in older state files). */
  privateEndpoints?: PrivateEndpointRecord[];
  /** Microsoft.KeyVault vaults (absent in older state files). */
  keyVaults?: KeyVaultRecord[];
  /** Microsoft.Authorization role assignments (absent in older state files). */
  roleAssignments?: RoleAssignmentRecord[];
  /** Managed disks created by restores (absent in older state files). */
  disks?: DiskRecord[];
}

export interface DeletedVaultRecord {
  vault: VaultRecord;
  deletedAt: number;
  /** When the vault and its soft-deleted items are gone for good. */
  purgeAt: number;
}

export function emptyState(now: number): EmulatorState {
  return { version: 1, savedAt: now, vaults: [], registrations: [], operations: [], vms: [] };
}

/** Keys are case-insensitive, as ARM resource names are. */
export function vaultKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
}
