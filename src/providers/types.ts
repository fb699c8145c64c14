/**
 * What each dynamic resource takes and gives. Inputs are what the components pass (plain values once
 * Pulumi resolves them); outputs repeat the canonical inputs (diff compares outputs with new inputs)
 * and add what Azure reports.
 */
import type { DataDiskArgs, DiskArgs, PolicyArgs, Tiering, VaultOnDestroy, VmArgs, VmOnDestroy } from "../rules";
import type { ProgramCheck } from "./context";

export type Kind = "vault" | "policy" | "protected-vm" | "stack-v2" | "policy-set";

/** onDestroy's values are the rules' (src/rules/destroy.ts). */
export type { VaultOnDestroy };
export type ProtectedVmOnDestroy = VmOnDestroy;

export interface VaultInputs {
  subscriptionId?: string;
  resourceGroupName: string;
  name: string;
  location: string;
  redundancy?: string;
  crossRegionRestore?: boolean;
  softDelete?: { state?: string; retentionDays?: number };
  immutability?: string;
  /** The settings of src/rules/vault-settings.ts, as given; absent ones are left as Azure holds them. */
  publicNetworkAccess?: string;
  identity?: { systemAssigned?: boolean; userAssignedIdentityIds?: string[] };
  encryption?: { keyId: string; userAssignedIdentityId?: string; infrastructureEncryption?: boolean };
  monitoring?: { jobFailureAlerts?: boolean; classicAlerts?: boolean };
  crossSubscriptionRestore?: string;
  tags?: Record<string, string>;
  /**
   * "retain" (default): never delete backup data; a vault that holds backups is left in Azure (and leaves
   * the stack). "purge": delete the backup data of the VMs in `ownedVmIds` (never switching soft delete off),
   * then the vault when nothing else is in it.
   */
  onDestroy?: VaultOnDestroy;
  /**
   * The VMs (ARM ids) the program protects in this vault (its ProtectedVm resources): the only backups a purge
   * deletes. Items of any other VM are never touched, and keep the vault in Azure.
   */
  ownedVmIds?: string[];
  /** Problems found across the whole program (see ProgramCheck). */
  programChecks?: ProgramCheck[];
  /** Multi-user authorization: the ARM id of the Resource Guard the vault is associated with (src/providers/resource-guard.ts). */
  resourceGuard?: string;
  /** The private endpoints the program declares for the vault (BackupVault.addPrivateEndpoint): checked, never deployed by the vault. */
  privateEndpoints?: Array<{ name?: string; id?: string; secondary?: boolean }>;
}

export interface VaultOutputs {
  id: string;
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
  location: string;
  redundancy: string;
  crossRegionRestore: boolean;
  softDelete: { state: string; retentionDays: number };
  immutability: string;
  tags: Record<string, string>;
  onDestroy: VaultOnDestroy;
  storageLocked: boolean;
  /**
   * The vault settings as Azure reports them (defaults included), so that users see them and diff compares the
   * ones they give; absent in the state of vaults created before they existed.
   */
  publicNetworkAccess?: string;
  identity?: { systemAssigned: boolean; userAssignedIdentityIds: string[] };
  /** The system-assigned identity's principal (object) id: grant it access to the Key Vault key. */
  identityPrincipalId?: string;
  identityTenantId?: string;
  encryption?: { keyId: string; userAssignedIdentityId?: string; infrastructureEncryption: boolean };
  monitoring?: { jobFailureAlerts?: boolean; classicAlerts?: boolean };
  crossSubscriptionRestore?: string;
  /** As given (VaultInputs.ownedVmIds); absent in the state of vaults created before it existed (then a purge deletes nothing). */
  ownedVmIds?: string[];
  /** The Resource Guard the vault is associated with, as Azure reports it; absent without one. */
  resourceGuard?: string;
  /**
   * The Resource Guard the program declared (VaultInputs.resourceGuard), kept by read: only a guard declared and then
   * no longer given is removed. Absent in the state of vaults created before it existed: their guard is kept.
   */
  resourceGuardDeclared?: string;
}

export interface PolicyInputs extends Omit<PolicyArgs, "name"> {
  subscriptionId?: string;
  resourceGroupName: string;
  vaultName: string;
  name: string;
  /** Problems found across the whole program (see ProgramCheck). */
  programChecks?: ProgramCheck[];
}

export interface PolicyOutputs {
  id: string;
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
  name: string;
  policyType: string;
  timeZone: string;
  schedule: unknown;
  retention: unknown;
  instantRestoreRetentionDays: number;
  instantRestoreResourceGroup?: { prefix: string; suffix?: string };
  /** Absent when the policy does not tier (states written before tiering existed have none either). */
  tiering?: Tiering;
  snapshotConsistency?: "OnlyCrashConsistent";
  /**
   * VMs protected with the policy, as Azure counts them (the policy's `protectedItemsCount`). Read from Azure at create,
   * update and refresh (`read()`); between them it keeps the value it had.
   */
  protectedItemsCount: number;
}

export interface ProtectedVmInputs {
  subscriptionId?: string;
  vaultResourceGroupName: string;
  vaultName: string;
  /** The vault's region, when known to the program (checks before the vault exists). */
  vaultLocation?: string;
  policyName: string;
  /** The policy as declared (checks before it exists in Azure). */
  policy?: PolicyArgs;
  vmId: string;
  /** The VM as declared, used before it exists in Azure (e.g. created in the same program). */
  vm?: Omit<VmArgs, "id"> & { id?: string };
  includeDiskLuns?: number[];
  excludeDiskLuns?: number[];
  onDestroy?: ProtectedVmOnDestroy;
  /** Backup now after protecting (and when this value changes): keep the recovery point until this date (ISO). */
  backupNowRetainUntil?: string;
  /** Backup now after protecting (and when this value changes): keep the recovery point this many days. */
  backupNowRetainDays?: number;
  /** Wait until the backup taken at creation completes (needs Backup now). */
  waitForInitialBackup?: boolean;
  /** Problems found across the whole program (see ProgramCheck). */
  programChecks?: ProgramCheck[];
  /** The ProtectedVm component's name, so that messages name the resource and arguments the user wrote. */
  componentName?: string;
  /** An encrypted VM's Key Vault access for Azure Backup: "require" (default) it, or "grant" it before protecting. */
  keyVaultAccess?: "require" | "grant";
}

export interface ProtectedVmOutputs {
  id: string;
  subscriptionId: string;
  vaultResourceGroupName: string;
  vaultName: string;
  policyName: string;
  vmId: string;
  includeDiskLuns?: number[];
  excludeDiskLuns?: number[];
  onDestroy: ProtectedVmOnDestroy;
  keyVaultAccess?: "require" | "grant";
  backupNowRetainUntil?: string;
  backupNowRetainDays?: number;
  waitForInitialBackup: boolean;
  containerName: string;
  itemName: string;
  protectionState: string;
  lastBackupStatus: string;
  lastBackupTime?: string;
  lastBackupJobId?: string;
  /** The newest recovery point: its time (ISO), its consistency (AppConsistent, FileSystemConsistent, CrashConsistent) and its name; absent before the first. */
  latestRecoveryPoint?: LatestRecoveryPointOutput;
  protectedInstanceGb: number;
  /** True when `protectedInstanceGb` counts disk sizes (Azure has not measured the used data): an upper bound. Absent in states written before it existed. */
  protectedInstanceUpperBound?: boolean;
  billingUnits: number;
  billingTier: string;
  initialBackupHours: number;
}

export interface LatestRecoveryPointOutput {
  time: string;
  consistency: string;
  name: string;
}

export interface StackV2Inputs {
  subscriptionId?: string;
}

export interface StackV2Outputs {
  subscriptionId: string;
  feature: string;
  state: string;
}

/** A BackupPolicySet's assignment (src/providers/policy-set.ts): given the VMs and the window, check adds the rest. */
export interface PolicySetInputs {
  subscriptionId?: string;
  /** The VMs: ARM id, and the VM as the program declares it when it is a resource of the program. */
  vms: Array<{ id: string; vm?: Omit<VmArgs, "id"> }>;
  /** The backup window: start "HH:MM" (on the hour or half hour) and length in hours. */
  window: { start: string; hours: number };
  /** What each VM's estimate is: its first backup ("initial", default) or an incremental one. */
  estimate?: "initial" | "incremental";
  componentName?: string;
  /** Computed by check: each VM's start time ("HH:MM") by ARM id key, kept from the previous inputs. */
  assignment?: Record<string, string>;
  /** Computed by check: the start times in use and their VMs (ids as given). */
  slots?: Array<{ time: string; vmIds: string[] }>;
  /** Computed by check: the planner's warnings, as a preview shows them. */
  warnings?: string[];
}

export type PolicySetOutputs = Required<Pick<PolicySetInputs, "assignment" | "slots" | "warnings">> & PolicySetInputs & { id: string };

export type { DataDiskArgs, DiskArgs, ProgramCheck };
