/**
 * The rules engine: pure validation and estimates for Azure VM backup plans. No Pulumi, no Azure SDK;
 * the providers' `check()`, the components, the CLI and policy packs all call these functions.
 */
export type { Diagnostic, DiagnosticLimit, Severity } from "./diagnostics";
export { countBySeverity, describeDiagnostic, hasErrors, sortDiagnostics } from "./diagnostics";
export { RULES, type RuleCode, type RuleInfo } from "./catalog";
export { createContext, type RuleOptions } from "./context";
export { DEFAULT_PROFILE, limitProfiles, type LimitKey, type LimitProfile, type Limits, type LimitSpec, type WindowsServerMinimum } from "./profiles";
export { DOCS } from "./sources";
export {
  BACKUP_KEY_VAULT_PERMISSIONS,
  BACKUP_MANAGEMENT_SERVICE_APP_ID,
  KEY_VAULT_ADMINISTRATOR_ROLE_ID,
  KEY_VAULT_ADMINISTRATOR_ROLE_NAME,
  backupServicePrincipalUnknown,
  checkKeyVaultAccess,
  keyVaultNeeds,
  missingPermissions,
  type DiskEncryptionArgs,
  type KeyVaultAccess,
  type KeyVaultAccessInput,
  type KeyVaultNeed,
} from "./key-vault-access";
export { UNKNOWN_SENTINEL } from "./unknown";
export { MONTHS, WEEKDAYS, WEEKS_OF_MONTH, type Month, type WeekOfMonth, type Weekday } from "./calendar";
export { WINDOWS_TIME_ZONES } from "./timezones";
export {
  armIdKey,
  formatContainerId,
  formatContainerName,
  formatFeatureId,
  formatItemName,
  formatPolicyId,
  formatProtectedItemId,
  formatResourceGroupId,
  formatResourceId,
  formatResourceProviderId,
  formatPolicyRestrictionsCheckId,
  parseAzurePolicyId,
  formatVaultId,
  formatVmId,
  isGuid,
  parseContainerId,
  parseContainerName,
  parseFeatureId,
  parseItemName,
  parsePolicyId,
  parsePrivateEndpointId,
  parseProtectedItemId,
  parseVaultId,
  parseVmId,
  sameArmId,
  sameContainer,
  sameContainerVm,
  sameFeature,
  samePolicy,
  sameProtectedItem,
  sameVault,
  sameVm,
  parseUserAssignedIdentityId,
  formatUserAssignedIdentityId,
  vmResourceType,
  resourceNameOf,
  formatRoleDefinitionId,
  vmNameOfItemName,
  type UserAssignedIdentityRef,
  type ContainerRef,
  type ContainerVm,
  type FeatureRef,
  type PolicyRef,
  type PrivateEndpointRef,
  type ProtectedItemRef,
  type VaultRef,
  type VmId,
  type VmKind,
  type AzurePolicyRef,
} from "./arm-id";
export { normalizeLocation } from "./regions";
export { validateResourceGroupName } from "./names";
export {
  DEFAULT_REDUNDANCY,
  IMMUTABILITY_STATES,
  normalizeVault,
  REDUNDANCIES,
  SOFT_DELETE_STATES,
  softDeleteSatisfies,
  validateVault,
  VAULT_KEYS,
  type ImmutabilityState,
  type Redundancy,
  type SoftDeleteState,
  type Vault,
  type VaultArgs,
} from "./vault";
export {
  CROSS_SUBSCRIPTION_RESTORE_STATES,
  PUBLIC_NETWORK_ACCESS,
  isKeyVaultKeyUrl,
  sameEncryption,
  validateVaultSettings,
  validateVaultSettingsChange,
  vaultSettingsDifferences,
  VAULT_SETTINGS_KEYS,
  type CrossSubscriptionRestoreState,
  type PublicNetworkAccess,
  type VaultEncryption,
  type VaultIdentity,
  type VaultMonitoring,
  type VaultSettings,
  type VaultSettingsArgs,
  type VaultSettingsCurrent,
  type VaultSettingsState,
} from "./vault-settings";
export { normalizePolicy, validatePolicy, DEFAULT_TIME_ZONE, POLICY_KEYS } from "./policy";
export {
  retentionReductions,
  validatePolicyChange,
  validatePolicyRetentionChange,
  validateVaultChange,
  validateVmPolicyMove,
  type VaultCurrent,
  type VaultDesired,
} from "./changes";
export { DEFAULT_SCHEDULE_TIME } from "./policy-schedule";
export {
  guardrailFor,
  validateVaultPolicyDenials,
  VAULT_GUARDRAILS,
  type GuardedVaultArgument,
  type PolicyDenial,
  type PolicyExpressionInput,
  type VaultGuardrail,
  type VaultStage,
} from "./guardrails";
export { DEFAULT_DAILY_RETENTION_DAYS } from "./policy-retention";
export { ARCHIVE_MIN_MONTHS_IN_STANDARD, ARCHIVE_MIN_MONTHS_LEFT, CRASH_CONSISTENT_UNSUPPORTED_STORAGE_TYPES } from "./policy-tiering";
export {
  FREQUENCIES,
  HOURLY_INTERVALS,
  POLICY_TYPES,
  type Frequency,
  type InstantRestoreResourceGroupArgs,
  type MonthlyRetention,
  type MonthlyRetentionArgs,
  type Policy,
  type PolicyArgs,
  type PolicyType,
  type Retention,
  type RetentionArgs,
  type Schedule,
  type ScheduleArgs,
  SNAPSHOT_CONSISTENCIES,
  TIERING_DURATION_TYPES,
  TIERING_MODES,
  type SnapshotConsistency,
  type Tiering,
  type TieringArgs,
  type TieringDurationType,
  type TieringMode,
  type YearlyRetention,
  type YearlyRetentionArgs,
} from "./policy-types";
export {
  CONFIDENTIAL_VM_BACKUP_REGIONS,
  ENHANCED_ONLY_STORAGE_TYPES,
  OS_TYPES,
  SECURITY_TYPES,
  STORAGE_TYPES,
  validateProtectedVm,
  type DataDiskArgs,
  type DiskArgs,
  type OsType,
  type ProtectedVmArgs,
  type SecurityType,
  type VmArgs,
} from "./vm";
export { backupNowExpiry, DEFAULT_BACKUP_NOW_RETAIN_DAYS, validateBackupNow, type BackupNowArgs } from "./backup-now";
export {
  DEFAULT_VAULT_ON_DESTROY,
  DEFAULT_VM_ON_DESTROY,
  validateProtectedVmLifecycle,
  validateVaultLifecycle,
  validateVmDestroyOnVault,
  VAULT_ON_DESTROY,
  VM_ON_DESTROY,
  type VaultLifecycleArgs,
  type VaultOnDestroy,
  type VmLifecycleArgs,
  type VmOnDestroy,
} from "./destroy";
export {
  estimateBilling,
  estimateProtectedInstance,
  type BillingTier,
  type DiskEstimate,
  type EstimateOptions,
  type ProtectedInstanceEstimate,
} from "./estimates";
export {
  estimateBackupHours,
  staggerPolicies,
  windowStartTimes,
  START_TIME_STEP_MINUTES,
  type BackupWindow,
  type EstimateBasis,
  type StaggerInput,
  type StaggerResult,
  type StaggerSlot,
  type StaggerVm,
} from "./stagger";
export {
  analyzePlan,
  checkPlan,
  DEFAULT_POLICY_NAME,
  type ExistingItem,
  type Plan,
  type PlanPolicy,
  type PlanVault,
  type PlanReport,
  type PlanVm,
  type StartLoad,
  type VaultSummary,
  type VmEstimate,
} from "./plan";
export { componentEntry, PlanBuilder } from "./plan-builder";
export {
  checkComponentArguments,
  COMPONENT_ARGUMENTS,
  componentLabel,
  DEFAULT_UNKNOWN_ARGUMENTS,
  findUnknownArguments,
  parseUnknownArgumentsSetting,
  UNKNOWN_ARGUMENTS_SETTINGS,
  unknownArgumentsOptions,
  type ArgumentVocabulary,
  type ComponentKind,
  type UnknownArgument,
  type UnknownArgumentsSetting,
} from "./arguments";
export {
  attachSubjects,
  describeSubject,
  entryPath,
  headOf,
  labelOf,
  planListOf,
  subjectOf,
  type DiagnosticSubject,
  type EntryName,
  type PlanNames,
  type SubjectKind,
} from "./subjects";
export { policyOfOtherVault, vmWithoutVault } from "./wiring";
export { checkSoftDeletedElsewhere, type SoftDeletedElsewhere } from "./soft-deleted-elsewhere";
export { sameValue } from "./values";
export {
  canonicalGuardId,
  CRITICAL_OPERATIONS,
  deleteBackupDataApproval,
  guardChangeApproval,
  guardName,
  guardProtects,
  policyChangeApproval,
  policyRetentionReductions,
  protectedVmDestroyApproval,
  recoveryPointObjectiveHours,
  validateResourceGuard,
  VAULT_PROXY_NAME,
  vaultSettingsApproval,
  type CriticalOperation,
  type GuardedVault,
  type VaultSettingsChange,
} from "./resource-guard";
export { formatGuardProxyId, formatResourceGuardId, parseResourceGuardId, type ResourceGuardRef } from "./arm-id";
export {
  BACKUP_GROUP_ID,
  BACKUP_SECONDARY_GROUP_ID,
  MAX_PRIVATE_ENDPOINTS_PER_VAULT,
  validatePrivateEndpoints,
  type DeclaredPrivateEndpoint,
  type PrivateEndpointArgs,
  type PrivateEndpointConnectionFact,
  type VaultPrivateEndpointFacts,
} from "./private-endpoints";
export {
  checkFileRecoveryRequest,
  FILE_RECOVERY_DOC,
  FILE_RECOVERY_MOUNT_HOURS,
  FILE_RECOVERY_MOUNT_SOURCE,
  HOW_TO_RUN_SOURCE,
  howToRunScript,
  mountLifetime,
  type FileRecoveryRequest,
} from "./file-recovery";
export {
  judgeBackup,
  latestScheduledRun,
  policySchedule,
  schedulePeriodMs,
  SCHEDULED_START_WINDOW_MS,
  SCHEDULED_START_WINDOW_SOURCE,
  VERDICT_RULES,
  type BackupFacts,
  type BackupJudgement,
  type BackupVerdict,
  type PolicySchedule,
} from "./backup-status";
export {
  checkPremiumStagingAccount,
  checkRecoveryPointTier,
  checkReplaceDisksEncryption,
  storageAccountName,
  validateRestoreRequest,
  type RestoreRequestArgs,
  type RestoreSourceDisk,
  type RestoreTarget,
  type RestoreTier,
} from "./restore";
export { describeVirtualMachine, diskArgs, type OsProfileLike, type SecurityProfileLike, type StorageProfileLike, type VmDescription } from "./vm-description";
export { vmSelected, vmUnprotected, type VmSelection } from "./coverage";
