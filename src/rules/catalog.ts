/**
 * Every rule the package checks, by stable code. The code is what tooling (CI gates, suppressions,
 * `options.severities`) keys on; the title is the one-line description shown in reports and the README.
 * `source` is the citation for rules that are not a profile limit (limits cite their profile's source).
 */
import type { Severity } from "./diagnostics";
import { cite, DOCS } from "./sources";

export interface RuleInfo {
  severity: Severity;
  title: string;
  source?: string;
}

const rule = (severity: Severity, title: string, source?: string): RuleInfo => (source === undefined ? { severity, title } : { severity, title, source });

export const RULES = {
  // Input shape
  "input/type": rule("error", "A value has the wrong type"),
  "input/required": rule("error", "A required value is missing"),
  "input/unknown-property": rule("warning", "A property is not part of the input (a typo?)"),
  "input/unknown-argument": rule("warning", "A component is given an argument it does not have (a typo, or a newer version's)"),
  "input/resource-group-name": rule("error", "Not a resource group name", DOCS.armRg),
  "input/duplicate": rule("error", "A value is listed twice", cite(DOCS.psPolicyRules, "weekdays, weeks, months and days must be distinct")),
  "options/profile-unknown": rule("error", "The limit profile does not exist"),
  "options/limit-unknown": rule("error", "A limit override names no known limit"),
  "options/limit-type": rule("error", "A limit override has the wrong type"),

  // Vault
  "vault/name": rule(
    "error",
    "Vault name: 2-50 characters, letters, digits and hyphens, starting with a letter",
    cite(DOCS.vmPrepareClassic2016, "between 2 and 50 characters. It must start with a letter, and can contain only letters, numbers, and hyphens"),
  ),
  "vault/location": rule("error", "Vault location must be an Azure region name"),
  "vault/subscription-id": rule("error", "Subscription id must be a GUID"),
  "vault/redundancy": rule("error", "Storage redundancy: LocallyRedundant, GeoRedundant or ZoneRedundant", cite(DOCS.supportMatrix, "LRS, GRS and ZRS")),
  "vault/cross-region-restore-requires-grs": rule(
    "error",
    "Cross-region restore needs GeoRedundant storage",
    cite(DOCS.createVault, "cross-region restore can be enabled on a GRS vault only"),
  ),
  "vault/cross-region-restore-unsupported": rule("error", "Cross-region restore is not supported by the limit profile"),
  "vault/cross-region-restore-irreversible": rule(
    "info",
    "Cross-region restore cannot be turned off once protection starts",
    cite(DOCS.createVault, "can't be reverted once protection starts"),
  ),
  "vault/soft-delete-state": rule(
    "error",
    "Soft-delete state: Enabled, Disabled or AlwaysOn",
    cite(DOCS.armVaultApi, "softDeleteState Enabled|Disabled|AlwaysON"),
  ),
  "vault/soft-delete-retention": rule("error", "Soft-delete retention days out of range"),
  "vault/soft-delete-retention-cost": rule("info", "Soft-delete retention beyond the free days is charged"),
  "vault/soft-delete-retention-ignored": rule("warning", "Soft-delete retention is set while soft delete is disabled"),
  "vault/soft-delete-always-on": rule(
    "warning",
    "AlwaysOn soft delete cannot be turned off again",
    cite(DOCS.enhancedSoftDelete, "always-on soft delete can't be disabled"),
  ),
  "vault/soft-delete-disabled": rule(
    "error",
    "Soft delete cannot be disabled: Azure enforces it on Recovery Services vaults (secure by default)",
    cite(DOCS.secureByDefault, "disabling soft delete is not allowed for any module or API versions"),
  ),
  "vault/immutability": rule("error", "Immutability: Disabled, Unlocked or Locked", DOCS.immutableVault),
  "vault/immutability-locked": rule(
    "warning",
    "A locked immutable vault cannot be unlocked; Azure creates it Unlocked, then it is locked",
    `${DOCS.immutableVault}; ${DOCS.tfVaultImmutability}`,
  ),
  "vault/on-destroy": rule(
    "error",
    "onDestroy of a vault: retain (keep its backups, the default) or purge",
    cite(DOCS.deleteVault, "a vault that still holds backup items cannot be deleted"),
  ),
  "vault/purge": rule(
    "warning",
    "onDestroy purge deletes the backups of the VMs the program protects in the vault when the stack is destroyed",
    `${cite(DOCS.secureByDefault, "backup items go into a soft-deleted state for all module and API versions")}; ${DOCS.deleteVault}`,
  ),

  "vault/resource-guard-id": rule(
    "error",
    "resourceGuard must be a Resource Guard's ARM id (Microsoft.DataProtection/resourceGuards)",
    cite(DOCS.muaConfigure, "specify the URI of a Resource Guard you have Reader access to"),
  ),
  "vault/resource-guard-approval": rule(
    "warning",
    "A planned change is a critical operation the vault's Resource Guard will ask approval for",
    cite(DOCS.muaConcept, "disable soft delete, disable MUA protection, modify backup policy (reduced retention), stop protection with delete data"),
  ),
  "vault/public-network-access": rule(
    "error",
    "Public network access: Enabled or Disabled",
    cite(DOCS.armVaultApi2026, "publicNetworkAccess Enabled|Disabled"),
  ),
  "vault/identity": rule(
    "error",
    "A user-assigned identity is given by its ARM id (Microsoft.ManagedIdentity/userAssignedIdentities)",
    cite(DOCS.armVaultApi2026, "userAssignedIdentities keys are ARM resource ids of user-assigned identities"),
  ),
  "vault/encryption-key-id": rule(
    "error",
    "The customer-managed key is a Key Vault key URL",
    `${cite(DOCS.armVaultApi2026, "keyVaultProperties.keyUri")}; ${DOCS.tfVault}`,
  ),
  "vault/encryption-identity": rule(
    "error",
    "The identity that reads the customer-managed key must be one the vault has",
    `${cite(DOCS.cmk, "enable managed identity for the vault, then assign the key")}; ${cite(DOCS.tfVault, "encryption RequiredWith identity")}`,
  ),
  "vault/encryption-irreversible": rule(
    "warning",
    "Encryption with a customer-managed key cannot be reverted to platform-managed keys; new vaults only",
    cite(DOCS.cmk, "you can't revert to using PMKs; new Recovery Services vaults only; key in Azure Key Vault in the same region"),
  ),
  "vault/monitoring-job-alerts-off": rule(
    "warning",
    "Azure Monitor alerts for failed jobs are turned off",
    cite(DOCS.monitorAlerts, "by default, alerts for backup failures are turned on"),
  ),
  "vault/monitoring-classic-alerts": rule(
    "warning",
    "Classic backup alerts are on: Microsoft recommends Azure Monitor alerts only",
    cite(DOCS.monitorAlerts, "if you're using the older classic alerts solution, we recommend you move to Azure Monitor alerts"),
  ),
  "vault/cross-subscription-restore": rule(
    "error",
    "Cross-subscription restore: Enabled, Disabled or PermanentlyDisabled",
    cite(DOCS.armVaultApi2026, "crossSubscriptionRestoreState Enabled|Disabled|PermanentlyDisabled"),
  ),
  "vault/cross-subscription-restore-permanent": rule(
    "warning",
    "Cross-subscription restore PermanentlyDisabled can never be enabled again",
    cite(DOCS.crossSubscriptionRestore, "CSR once permanently disabled on a vault can't be re-enabled"),
  ),
  "vault/encryption-removed": rule(
    "error",
    "A vault encrypted with a customer-managed key cannot return to platform-managed keys",
    `${cite(DOCS.cmk, "you can't revert to using PMKs")}; ${cite(DOCS.tfVault, "once encryption with your own key has been enabled it's not possible to disable it")}`,
  ),
  "vault/encryption-not-new": rule(
    "error",
    "A customer-managed key can be set only on a vault where no item was ever registered",
    cite(DOCS.cmk, "any vault that contains existing items registered or attempted to be registered to it aren't supported"),
  ),
  "vault/infrastructure-encryption-change": rule(
    "error",
    "Infrastructure encryption cannot change once the vault is encrypted with a customer-managed key",
    cite(DOCS.tfVault, "once infrastructure_encryption_enabled has been set it's not possible to change it"),
  ),
  "vault/encryption-identity-removed": rule(
    "error",
    "The identity that reads the customer-managed key cannot be removed",
    `${cite(DOCS.cmk, "once enabled, the managed identity must not be disabled (even temporarily)")}; ${DOCS.tfVault}`,
  ),
  "vault/cross-subscription-restore-irreversible": rule(
    "error",
    "Cross-subscription restore PermanentlyDisabled stays disabled",
    cite(DOCS.crossSubscriptionRestore, "CSR once permanently disabled on a vault can't be re-enabled"),
  ),

  "vault/location-change": rule("error", "A vault with backups cannot move to another region"),
  "vault/redundancy-locked": rule(
    "error",
    "Storage redundancy is locked once VMs are protected",
    `${cite(DOCS.armApi, "Once a machine is registered against a resource, the storageTypeState is always Locked")}; ${cite(DOCS.backupFaq, "redundancy can be changed only before backup is configured")}`,
  ),
  "vault/cross-region-restore-locked": rule(
    "error",
    "Cross-region restore cannot be turned off once VMs are protected",
    cite(DOCS.createVault, "can't be reverted once protection starts"),
  ),
  "vault/immutability-irreversible": rule("error", "A locked immutable vault stays locked", DOCS.immutableVault),
  "vault/soft-delete-always-on-irreversible": rule(
    "error",
    "AlwaysOn soft delete stays on",
    cite(DOCS.enhancedSoftDelete, "always-on soft delete can't be disabled"),
  ),
  "vault/denied-by-policy": rule(
    "error",
    "An Azure Policy Deny assignment refuses the vault as declared (RequestDisallowedByPolicy)",
    `${cite(DOCS.policyDenied, "403 RequestDisallowedByPolicy names the policy assignment and definition")}; ${cite(DOCS.policyDenyEffect, "deny prevents the request before being sent to the Resource Provider")}`,
  ),

  // Private endpoints (src/rules/private-endpoints.ts)
  "vault/private-endpoint-after-protection": rule(
    "error",
    "A vault's private endpoints for Azure Backup must exist before its first item is registered or protected",
    `${cite(DOCS.privateEndpointsConfigure, "You can create private endpoints for Azure Backup only for Recovery Services vaults that don't have any items protected to it (or haven't had any items attempted to be protected or registered to them in the past)")}; ${cite(DOCS.privateEndpointsV1, "private endpoints must be created before you attempt to protect any items to the vault")}`,
  ),
  "vault/private-endpoints-per-vault": rule(
    "error",
    "At most 12 private endpoints per vault",
    cite(DOCS.privateEndpointsConcept, "you can create a maximum of 12 private endpoints for a vault"),
  ),
  "vault/private-endpoint-pending": rule(
    "info",
    "A private endpoint connection waits for the vault owner's approval",
    cite(
      DOCS.privateEndpointsConfigure,
      "If you're creating the private endpoint as the owner of the Recovery Services vault, the private endpoint you created is auto-approved. Otherwise, the owner of the vault must approve the private endpoint before using it",
    ),
  ),
  "vault/public-access-without-private-endpoint": rule(
    "info",
    "Public network access denied without a private endpoint: VM backup works, file recovery and workload backups need one, which cannot be added once a VM is protected",
    `${cite(DOCS.privateEndpointsConcept, "VM backup doesn't require you to allow access to any IPs or FQDNs. So, it doesn't require private endpoints for backup and restore of disks. However, file recovery from a vault containing private endpoints would be restricted to virtual networks that contain a private endpoint for the vault")}; ${cite(DOCS.privateEndpointsConfigure, "When you deny access, you can still access the vault, but you can't move data to/from networks that don't contain private endpoints")}`,
  ),

  // Policy
  "policy/name": rule(
    "error",
    "Policy name: 3-150 characters, letters, digits, '-', '_' or '!', starting with a letter",
    cite(DOCS.tfPolicy, "^[a-zA-Z][-_!a-zA-Z0-9]{2,149}$"),
  ),
  "policy/type": rule("error", "Policy type: V1 (standard) or V2 (enhanced)", cite(DOCS.tfPolicy, "policy_type V1 or V2")),
  "policy/time-zone": rule("error", "Time zone must be a Windows time-zone id", DOCS.windowsZones),
  "policy/frequency": rule("error", "Schedule frequency: Daily, Weekly or Hourly", cite(DOCS.tfPolicy, "Hourly, Daily, Weekly")),
  "policy/time-format": rule("error", "Schedule time must be HH:MM (24-hour)"),
  "policy/time-half-hour": rule(
    "error",
    "Backups start on the hour or the half hour",
    `${cite(DOCS.psPolicyRules, "schedule run time in multiples of 30 minutes")}; ${cite(DOCS.tfPolicy, "HH:00 or HH:30")}`,
  ),
  "policy/weekday": rule("error", "Not a day of the week"),
  "policy/week-of-month": rule("error", "Week of the month: First, Second, Third, Fourth or Last", DOCS.tfPolicy),
  "policy/month": rule("error", "Not a month of the year"),
  "policy/day-of-month": rule("error", "Day of the month: 1-28 (use includeLastDays for the last day)", cite(DOCS.psPolicyRules, "MaxAllowedDateInMonth = 28")),
  "policy/schedule-weekdays-required": rule(
    "error",
    "A weekly schedule needs the days it runs on",
    cite(DOCS.psPolicyRules, "weekly schedules need distinct run days"),
  ),
  "policy/schedule-weekdays-forbidden": rule("error", "Only a weekly schedule takes weekdays", DOCS.tfPolicy),
  "policy/hourly-requires-v2": rule(
    "error",
    "Hourly backups need an enhanced (V2) policy",
    cite(DOCS.enhancedPolicy, "backups as often as every 4 hours with the Enhanced policy"),
  ),
  "policy/hourly-interval": rule(
    "error",
    "Hourly interval: 4, 6, 8 or 12 hours",
    `${cite(DOCS.tfPolicy, "hour_interval 4, 6, 8, 12")}; ${cite(DOCS.psPolicyRules, "allowed values are 4, 6, 8, 12 hours")}`,
  ),
  "policy/hourly-window": rule("error", "Hourly window: 4-24 hours and a multiple of the interval", DOCS.tfPolicy),
  "policy/hourly-window-start": rule(
    "warning",
    "An hourly window that starts after 19:30 runs past midnight",
    cite(DOCS.psPolicyRules, "window start time values range from 00:00 to 19:30"),
  ),
  "policy/hourly-fields-forbidden": rule("error", "Only an hourly schedule takes an interval and a window", DOCS.psPolicyRules),
  "policy/retention-required": rule("error", "The schedule needs a retention block", DOCS.psPolicyRules),
  "policy/retention-daily-forbidden": rule(
    "error",
    "A weekly schedule cannot keep daily points",
    cite(DOCS.psPolicyRules, "for weekly schedule, daily retention policy should be NULL"),
  ),
  "policy/retention-count": rule("error", "Retention count out of range"),
  "policy/retention-weekdays": rule(
    "error",
    "Weekly retention of a weekly schedule keeps exactly the scheduled days",
    cite(DOCS.psPolicyRules, "count of daysOfWeek should match for weekly schedule"),
  ),
  "policy/retention-format": rule("error", "Monthly and yearly retention: weekdays with weeks, or days of the month, not both", DOCS.tfPolicy),
  "policy/retention-day-based-weekly-schedule": rule(
    "error",
    "A weekly schedule cannot keep points by day of the month",
    cite(DOCS.psPolicyRules, "if backupSchedule is weekly, then user cannot choose 'Daily Retention format'"),
  ),
  "policy/retention-weekdays-not-scheduled": rule("error", "Retention keeps a weekday on which the weekly schedule takes no backup", DOCS.psPolicyRules),
  "policy/retention-months-required": rule(
    "error",
    "Yearly retention needs the months",
    `${cite(DOCS.psYearlyRetention, "a yearly schedule without months is refused")}; ${cite(DOCS.tfPolicy, "retention_yearly requires months")}`,
  ),
  "policy/recovery-points": rule("warning", "Retention may keep more recovery points than an item can hold"),
  "policy/instant-restore-days": rule("error", "Instant-restore (snapshot) retention days out of range"),
  "policy/instant-restore-exceeds-retention": rule(
    "error",
    "Snapshots would be kept longer than the vault keeps the recovery point",
    cite(
      DOCS.armApi,
      "instantRpRetentionRangeInDays; more snapshot days than vault days is refused with BMSUserErrorInstantRPRetentionExceedsVaultedRetention, a code seen in public recordings, not in the spec",
    ),
  ),
  "policy/instant-restore-equals-retention": rule(
    "warning",
    "Vault retention should be longer than snapshot retention",
    cite(DOCS.instantRestore, "the vault retention should be greater than the snapshot retention"),
  ),
  "policy/instant-restore-frequent-snapshots": rule(
    "warning",
    "At a 4-hour interval Azure may allow fewer snapshot days",
    cite(DOCS.enhancedPolicy, "the snapshot-tier maximum shrinks at higher backup frequency (figures not documented)"),
  ),
  "policy/instant-restore-resource-group": rule("error", "Instant-restore resource group name parts", DOCS.armRg),
  "policy/type-change": rule(
    "error",
    "A policy's type cannot change in place",
    cite(DOCS.enhancedPolicy, "Backup doesn't allow changing the policy type to Standard after you enable a VM backup with the Enhanced policy"),
  ),
  "policy/immutable-retention": rule(
    "error",
    "An immutable vault refuses a policy change that keeps recovery points for less time",
    cite(
      DOCS.immutableVaultRestricted,
      "Modify backup policy to reduce retention: any actions that reduce the retention period in a backup policy are disallowed",
    ),
  ),
  "policy/tiering-mode": rule(
    "error",
    "Archive tiering mode: TierRecommended, TierAfter or DoNotTier",
    cite(DOCS.armApi2025, "TieringPolicy.tieringMode TierRecommended, TierAfter, DoNotTier"),
  ),
  "policy/tiering-duration": rule(
    "error",
    "Archive tiering after a duration: TierAfter takes a whole duration and its unit, the other modes none",
    `${cite(DOCS.armApi2025, "duration and durationType (Days, Weeks, Months, Years) used only if TieringMode is set to TierAfter")}; ${cite(DOCS.useArchiveTier, "The number of months must range from 3 to (Retention - 6) months")}`,
  ),
  "policy/tiering-needs-long-term-retention": rule(
    "error",
    "Archive tiering moves only monthly and yearly recovery points: the policy needs monthly or yearly retention",
    cite(DOCS.archiveTier, "Azure Virtual Machines: only monthly and yearly recovery points. Daily and weekly recovery points aren't supported"),
  ),
  "policy/tiering-never-moves": rule(
    "error",
    "No recovery point of the policy would ever be eligible for the archive tier (3 months in Vault-standard and 6 months of retention left)",
    `${cite(DOCS.archiveTier, "Age >= 3 months in Vault-standard tier; Retention left >= 6 months")}; ${cite(DOCS.useArchiveTier, "TierAfterDuration needs to be >= 3 months, at least one of monthly or yearly retention should be >= (TierAfterDuration + 6) months")}`,
  ),
  "policy/tiering-block-never-moves": rule(
    "warning",
    "The recovery points of one retention block would never be eligible for the archive tier",
    cite(DOCS.archiveTier, "Age >= 3 months in Vault-standard tier; Retention left >= 6 months"),
  ),
  "policy/tiering-after-cost": rule(
    "info",
    "Tiering every eligible recovery point can cost more than the recommended (smart) set",
    `${cite(DOCS.useArchiveTier, "Enabling Smart Tiering for eligible recovery points can increase your overall costs")}; ${cite(DOCS.archiveTier, "If the churn in the Virtual Machine is low, moving to Archive tier may lead to increase in Backup storage")}`,
  ),
  "policy/snapshot-consistency": rule(
    "error",
    "Snapshot consistency: OnlyCrashConsistent or Default (application/file-system consistent)",
    `${cite(DOCS.armApi2025, "snapshotConsistencyType enum OnlyCrashConsistent")}; ${cite(DOCS.crashConsistent, "application/file-system-consistent backup is the default setting")}`,
  ),
  "policy/crash-consistent-needs-enhanced": rule(
    "error",
    "Crash-consistent snapshots need an enhanced (V2) policy",
    cite(DOCS.crashConsistent, "The agentless crash-consistent backup is available with the Enhanced VM backup policy only"),
  ),
  "policy/default-applied": rule(
    "info",
    "No schedule or retention given: the default policy applies",
    cite(DOCS.vmBackupTutorial2017, "the 2017 tutorials' default policy: a daily backup at 8:30 PM, kept 180 days"),
  ),

  // Protected VM
  "vm/id": rule("error", "VM id must be an ARM id of a virtual machine"),
  // File recovery (src/rules/file-recovery.ts)
  "vault/id": rule("error", "Vault must be the ARM id of a Recovery Services vault"),
  "vm/recovery-point": rule(
    "error",
    "A recovery point is 'latest' or the name Azure lists (digits)",
    "Recovery points list example, recoveryservicesbackup 2023-06-01 (Azure/azure-rest-api-specs) <https://github.com/Azure/azure-rest-api-specs/blob/main/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/examples/AzureIaasVm/RecoveryPoints_List.json>: recovery point names are numeric strings",
  ),
  "vm/file-recovery-mount-hours": rule(
    "info",
    "A file recovery mount lasts 12 hours unless unmounted first",
    "Recover files from Azure virtual machine backup (Microsoft Learn) <https://learn.microsoft.com/azure/backup/backup-azure-restore-files-from-vm>: the script is valid for only 12 hours",
  ),
  "backup-now/retain-until": rule("error", "Backup now: the retain-until date must be a date after today and within the longest retention"),
  "backup-now/retain-days": rule("error", "Backup now: retain days must be 1 or more and within the longest retention"),
  "vm/kind-unsupported": rule("error", "This kind of VM cannot be backed up under the limit profile"),
  "vm/location": rule(
    "error",
    "Vault and VM must be in the same region",
    `${cite(DOCS.vmBackupIntro2015, "the vault must be in the same region as the virtual machines you want to protect")}; ${cite(
      DOCS.vmBackup2016,
      "You cannot back up virtual machines in one region to a backup vault in another region",
    )}`,
  ),
  "vm/location-name": rule("error", "VM location must be an Azure region name"),
  // A warning since 2026: the Azure CLI and PowerShell protect a VM with a vault of another subscription (same
  // region), while Microsoft Learn still says it is not supported; the conditions are not documented.
  "vm/subscription": rule(
    "warning",
    "Vault and VM are in different subscriptions (cross-subscription backup)",
    `${cite(DOCS.cliCrossSubscriptionBackup, "allowing a VM to be protected by a Recovery Services vault in a different subscription ... in the vault's region")}; ${cite(
      DOCS.psCrossSubscriptionBackup,
      "-ContainerSubscriptionId to configure backup for a VM residing in a different subscription than the vault",
    )}; ${cite(DOCS.moveVault, "Recovery Services vault doesn't support cross subscription backups")}`,
  ),
  "vm/os-type": rule("error", "OS type: Windows or Linux"),
  "vm/os-unsupported": rule("warning", "The VM's operating system is not supported for backup"),
  "vm/data-disk-count": rule("error", "Too many data disks"),
  "vm/data-disk-count-boundary": rule("warning", "At the data-disk limit, where the docs are ambiguous"),
  "vm/disk-size": rule("error", "A disk is larger than backup supports"),
  "vm/vm-size": rule("error", "The VM's disks together are larger than backup supports"),
  "vm/disk-size-value": rule("error", "Disk sizes must be positive, used data at most the disk size"),
  "vm/disk-lun": rule("error", "Data disk LUNs must be distinct whole numbers 0-63", "Azure VM data disks: LUN 0-63, one disk per LUN"),
  "vm/storage-type": rule("warning", "Unknown disk storage type"),
  "vm/premium-unsupported": rule("error", "Premium storage cannot be backed up under the limit profile"),
  "vm/disk-needs-enhanced-policy": rule(
    "error",
    "Premium SSD v2 and Ultra disks need an enhanced (V2) policy",
    cite(DOCS.enhancedPolicy, "the Standard policy doesn't support protecting Ultra Disk and Premium SSD v2"),
  ),
  "vm/crash-consistent-disk": rule(
    "error",
    "A crash-consistent policy cannot protect a VM with Ultra or Premium SSD v2 disks",
    cite(DOCS.crashConsistentScenarios, "VMs with Ultra Disks, Premium SSD v2, Ephemeral OS disks, Shared disks, and Write Accelerated disks aren't supported"),
  ),
  "vm/security-type": rule(
    "error",
    "VM security type: Standard, TrustedLaunch or ConfidentialVM",
    cite(DOCS.computeVmApi, "TrustedLaunch or ConfidentialVM; a VM without a securityProfile is a standard VM"),
  ),
  "vm/trusted-launch-standard-policy": rule(
    "info",
    "A Trusted Launch VM on a standard (V1) policy needs backup REST API 2025-01-01 or later, and its snapshots cost as an enhanced policy's",
    `${cite(DOCS.supportMatrixIaas2026, "CLI (2.73.0 and later), PowerShell (Az 14.0.0 and later), and REST API (2025-01-01 and later) only support trusted launch VM backup with Standard policy; Trusted Launch VMs with Standard policy use managed disk snapshots for Instant Restore")}; ${DOCS.enhancedPolicy}`,
  ),
  "vm/confidential-needs-enhanced-policy": rule(
    "error",
    "A Confidential VM needs an enhanced (V2) policy",
    cite(DOCS.supportMatrixIaas2023, "Back up confidential VMs: Backup is supported only if you're using Enhanced policy"),
  ),
  "vm/confidential-region": rule(
    "error",
    "Confidential VM backup is offered in a few regions only",
    cite(
      DOCS.supportMatrixIaas2026,
      "Support for Confidential VM backup (preview): UAE North, Korea Central, Switzerland North, West Central US, South Africa North, and UK South",
    ),
  ),
  "vm/confidential-preview": rule(
    "warning",
    "Confidential VM backup is a preview: DC v6-series with confidential OS disk encryption, after registering a Microsoft.Compute feature",
    `${cite(DOCS.confidentialVmBackup, "register RestorePointSupportForConfidentialVMV2 (Microsoft.Compute); v6-series supported, v5-series isn't; Confidential VMs with OS disk encryption only")}; ${cite(DOCS.supportMatrixIaas2026, "Back up confidential VMs: the earlier limited preview is discontinued")}`,
  ),
  "vm/confidential-cross-region-restore": rule(
    "warning",
    "A Confidential VM cannot be restored to the paired region",
    `${cite(DOCS.supportMatrixIaas2023, "Cross-region restore and file recovery for confidential VMs are currently not supported")}; ${cite(DOCS.confidentialVmBackup, "Cross Region Restore is currently unsupported as CVM v6 VM size isn't generally available in Azure paired regions")}`,
  ),
  "vm/key-vault-access": rule(
    "error",
    "Backup cannot read the Key Vault of a VM encrypted with Azure Disk Encryption",
    `${cite(DOCS.backupEncryptedVms, "Azure Backup needs read-only access to back up the keys and secrets")}; ${DOCS.backupVmsTroubleshoot}`,
  ),
  "vm/key-vault-access-grant": rule("info", "Backup will be given access to the Key Vault of an encrypted VM", DOCS.backupEncryptedVms),
  "vm/key-vault-unreadable": rule(
    "error",
    "The Key Vault of an encrypted VM cannot be read, so Backup's access to it cannot be checked",
    DOCS.backupEncryptedVms,
  ),
  "vm/backup-service-principal": rule(
    "error",
    "The Backup Management Service's object id in the tenant is needed to check or grant Key Vault access",
    DOCS.backupVmsAutomation,
  ),
  "vm/mixed-disks": rule("error", "A VM cannot mix managed and unmanaged disks", "Azure VMs: managed and unmanaged disks cannot be attached to the same VM"),
  "vm/storage-account-missing": rule("info", "Unmanaged disk without its storage account"),
  "vm/disk-luns-conflict": rule(
    "error",
    "Give include or exclude disk LUNs, not both",
    cite(DOCS.tfProtectedVm, "include_disk_luns conflicts with exclude_disk_luns"),
  ),
  "vm/on-destroy": rule(
    "error",
    "onDestroy of a protected VM: stopProtectionRetainData (the default), suspendBackups or deleteBackupData",
    `${cite(DOCS.stopProtectingVm, "stop protection and retain backup data, or stop protection and delete backup data")}; ${cite(
      DOCS.suspendBackups,
      "suspend backups and retain recovery points as per policy",
    )}`,
  ),
  "vm/suspend-backups": rule(
    "info",
    "onDestroy suspendBackups keeps the recovery points only until the policy expires them",
    cite(DOCS.immutableVaultRestricted, "you can still stop protection of the instances while retaining data forever or until their expiry"),
  ),
  "vm/suspend-backups-needs-immutable-vault": rule(
    "error",
    "onDestroy suspendBackups needs an immutable vault (Unlocked or Locked)",
    cite(DOCS.suspendBackups, "backups can't be suspended until immutability is enabled on the vault"),
  ),
  "vm/delete-backup-data-immutable": rule(
    "error",
    "An immutable vault deletes no recovery point before it expires: onDestroy deleteBackupData would fail",
    cite(
      DOCS.immutableVaultRestricted,
      "Stop protection with delete data: a protected item can't have its recovery points deleted before their respective expiry date",
    ),
  ),
  "vm/immutable-retention": rule(
    "error",
    "An immutable vault refuses moving a VM to a policy that keeps recovery points for less time",
    cite(
      DOCS.immutableVaultRestricted,
      "Change backup policy to reduce retention: any attempt to replace a backup policy with another policy with retention lower than the existing one is blocked",
    ),
  ),
  "vm/delete-backup-data": rule(
    "warning",
    "onDestroy deleteBackupData deletes the VM's recovery points when the stack is destroyed",
    `${cite(DOCS.stopProtectingVm, "delete all the recovery points; you won't be able to restore the VM")}; ${DOCS.softDeleteCloud}`,
  ),
  "vm/wait-for-initial-backup": rule(
    "error",
    "waitForInitialBackup needs backupNow: the first scheduled backup runs only at the policy's time",
    cite(DOCS.initialBackup, "the initial backup will run in accordance with the schedule, but you can run it immediately"),
  ),
  "vm/disk-lun-unknown": rule("error", "A selected LUN is not a data disk of the VM"),

  // Plan
  "plan/vault-unknown": rule("error", "A VM or policy names a vault that is not in the plan"),
  "plan/policy-unknown": rule("error", "A VM names a policy that is not in its vault"),
  // The protected item's policyId names a policy of the item's own vault (ProtectedItem.policyId in bms.json).
  "plan/policy-other-vault": rule("error", "A VM's policy belongs to another vault than the VM's", DOCS.armApi),
  "plan/duplicate-vault": rule("error", "Two vaults have the same name", cite(DOCS.vmBackupIntro2015, "This needs to be unique for each subscription")),
  "plan/duplicate-policy": rule("error", "Two policies in one vault have the same name"),
  "plan/duplicate-vm": rule(
    "error",
    "A VM is protected twice",
    `${cite(DOCS.vmBackup2015, "The virtual machine can be associated with only one policy at any given point in time")}; ${cite(
      DOCS.createVault,
      "A VM can be protected in only one vault at a time",
    )}`,
  ),
  "plan/vm-in-other-vault": rule(
    "error",
    "The VM is already protected in another vault",
    cite(DOCS.createVault, "A VM can be protected in only one vault at a time"),
  ),
  "plan/vm-soft-deleted-in-other-vault": rule(
    "error",
    "The VM's backups are soft-deleted in another vault, which keeps it until they are purged",
    `${cite(
      DOCS.softDeleteFaq,
      "You can't force-delete the soft-deleted items. They're automatically deleted after 14 days ... If you need to reprotect the items marked for soft-delete within 14 days in a new vault, then contact Microsoft support",
    )}; ${cite(DOCS.selfHelpConfigureProtection, "If your VM is not listed to configure backup, then it might be soft deleted state")}`,
  ),
  "plan/vm-policy-change": rule("info", "The VM is already protected with another policy; it will be moved"),
  "plan/vms-per-vault": rule("error", "Too many VMs in one vault"),
  "plan/vms-per-schedule": rule("error", "Too many VMs start their backup at the same time in one vault"),
  "plan/unmanaged-disks-per-storage-account": rule("error", "Too many unmanaged disks of one storage account on one schedule"),
  "plan/policies-per-vault": rule("error", "Too many policies in one vault"),
  "plan/vms-per-policy": rule("warning", "Too many VMs on one policy"),
  "plan/initial-backup-window": rule(
    "warning",
    "The first backup will take longer than the backup window",
    cite(DOCS.vmBackupPlanning2018, "Total backup time of less than 24 hours is valid for incremental backups, but may not be for the first backup"),
  ),
  "plan/incremental-backup-window": rule("warning", "An incremental backup of a busy disk may not fit the backup window"),
  // BackupPolicySet's staggered start times (src/rules/stagger.ts)
  "plan/stagger-window": rule("error", "A policy set's backup window is not a start time on the hour or half hour and a length of 0-24 hours"),
  "plan/stagger-vm-too-long": rule(
    "error",
    "A VM's estimated backup is longer than the policy set's backup window",
    cite(DOCS.vmBackupPlanning2018, "Initial backup | 160 Mbps (best-case throughput)"),
  ),
  "plan/stagger-start-times-full": rule("error", "A policy set's start times within its window are full: more start times are needed"),
  "plan/stagger-kept-outside-window": rule("warning", "A VM kept on its start time from the previous run no longer fits the policy set's window"),
  "plan/vm-unprotected": rule(
    "error",
    "A VM of the stack has no protected item (no backup)",
    cite(
      DOCS.vmBackupAuditPolicy,
      'effect AuditIfNotExists, details type "Microsoft.RecoveryServices/backupprotecteditems", for type "Microsoft.Compute/virtualMachines"',
    ),
  ),

  // Status of the protected VMs (`azure-vm-backup status`, src/rules/backup-status.ts)
  "status/last-backup-failed": rule(
    "error",
    "A protected VM's last backup failed",
    cite(DOCS.vmBackupTroubleshoot, "error details and workarounds of failed backup jobs"),
  ),
  "status/backup-overdue": rule(
    "error",
    "A protected VM has no recovery point since its policy's last scheduled backup (2-hour start window allowed)",
    cite(DOCS.vmBackupFaq, "The scheduled backup will be triggered within 2 hours of the scheduled backup time"),
  ),
  "status/first-backup-pending": rule(
    "info",
    "A VM protected less than one schedule period ago has no backup yet",
    cite(DOCS.vmBackupPlanning2018, "Total backup time of less than 24 hours is valid for incremental backups, but may not be for the first backup"),
  ),

  // Restore (day two)
  "restore/premium-same-storage-account": rule(
    "warning",
    "A premium-storage VM is restored to the storage account it runs from",
    cite(DOCS.vmBackupPlanning2018, "Don't restore a VM running on premium storage to the same storage account"),
  ),
  "restore/encrypted-replace-disks": rule(
    "error",
    "The disks of a VM encrypted with Azure Disk Encryption cannot be replaced from a recovery point",
    cite(DOCS.encryptedVmTroubleshoot, "When restoring a VM, you cannot use 'replace existing VM' option for ADE encrypted VMs"),
  ),
  "restore/recovery-point-tier": rule(
    "error",
    "The recovery point is not in the tier asked to restore from",
    cite(
      DOCS.stackV2Upgrade,
      'a recovery point is created as soon as the snapshot is completed ... Once the snapshot is transferred to vault, recovery point type changes to "Snapshot and Vault"',
    ),
  ),
} satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export function ruleInfo(code: RuleCode): RuleInfo {
  return RULES[code];
}
