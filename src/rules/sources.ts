/**
 * The public documents every limit and rule is taken from. Each entry is "title (date) <URL>" of a document
 * a user can open: a Microsoft Learn page, a file of Azure/azure-rest-api-specs, or, for the limits of
 * 2015-2018, Microsoft's documentation of that time as archived in MicrosoftDocs/azure-docs, pinned to a
 * commit. The archived commits are those confirmed to exist and to state the cited sentence; where the exact
 * version the project was founded on could not be pinned, the entry names the closest confirmed version.
 */

const AZURE_DOCS = "https://github.com/MicrosoftDocs/azure-docs/blob";
const SPECS = "https://github.com/Azure/azure-rest-api-specs/blob";
const LEARN = "https://learn.microsoft.com/azure";

export const DOCS = {
  // Archived documentation of 2015-2018 (MicrosoftDocs/azure-docs history).
  /** The stack V2 upgrade page; the 2018-03-08 version has no confirmed commit, the 2018-08-01 one states the same. */
  stackV2Upgrade: `Upgrade to Azure VM Backup stack V2 (Microsoft Docs, 2018-08-01) <${AZURE_DOCS}/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md>`,
  /**
   * The VM backup planning page with the 2018 throughputs and best practices. The 2018-12-11 version ("About
   * Azure VM backup") has no confirmed commit; this 2018-08-29 version of the same file states every figure cited.
   */
  vmBackupPlanning2018: `Plan your VM backup infrastructure in Azure (Microsoft Docs, 2018-08-29) <${AZURE_DOCS}/99042895c957535cc118557d16100b52dce93191/articles/backup/backup-azure-vms-introduction.md>`,
  /** The same file in 2019: the 100-VM rule is gone, the storage-account advice is 5 to 10 disks. */
  vmBackupAbout2019: `About Azure VM backup (Microsoft Docs, 2019-03-04) <${AZURE_DOCS}/0147377f13ea97795c31180387fbcfa6520d36b6/articles/backup/backup-azure-vms-introduction.md>`,
  /** The 2015 introduction; the 2015-09-24 version has no confirmed commit, this one keeps its limits but the disk count. */
  vmBackupIntro2015: `Azure virtual machine backup - Introduction (Microsoft Azure documentation, 2015-05-26) <${AZURE_DOCS}/5d08d1b2583bb8772866585ea6306c2cb9caf59c/articles/backup-azure-vms-introduction.md>`,
  /** Classic-model prerequisites and limitations, the successor of the 2015 introduction's limitations list. */
  vmPrepareClassic2016: `Prepare your environment to back up Azure virtual machines, classic model (Microsoft Docs, 2016-08-26) <${AZURE_DOCS}/0daf3acd793628e3c99d46bff500d16cb1ad56fe/articles/backup/backup-azure-vms-prepare.md>`,
  /** The 2015 backup procedure; the 2015-09-01 version has no confirmed commit, this 2015-04-30 one states what is cited. */
  vmBackup2015: `Azure virtual machine backup - Backup (Microsoft Azure documentation, 2015-04-30) <${AZURE_DOCS}/2b1effae96c9cabea029fbb5a12d8ca49673a8f2/articles/backup-azure-vms.md>`,
  vmBackup2016: `Back up Azure virtual machines (Microsoft Docs, 2016-07-01) <${AZURE_DOCS}/1ea14455c6634df5a6b6adca7fa9dfd6dada8b51/articles/backup/backup-azure-vms.md>`,
  /**
   * The 2017 VM backup tutorial. Its Windows 2017-05-04 version (and the Linux 2017-04-26 one) says "The default
   * policy is to create a backup daily at 8:30 PM and to retain the backup for 180 days"; neither has a confirmed
   * commit, so this is the closest confirmed version (Linux, 2017-07-27): it keeps the portal's defaults and
   * the Backup now retain-until calendar, without the figures.
   */
  vmBackupTutorial2017: `Tutorial - Back up Linux virtual machines in the Azure portal (Microsoft Docs, 2017-07-27) <${AZURE_DOCS}/077c272250fbf992d576acf8c53ba0f2bd4dde10/articles/virtual-machines/linux/tutorial-backup-vms.md>`,
  limits2015: `Azure Backup limits table (Microsoft Azure documentation, 2015-09-16) <${AZURE_DOCS}/082df1e15ae8c0052470e60526cfe329183de374/includes/azure-backup-limits.md>`,
  limits2018: `Azure Backup limits (Microsoft Docs include, 2018-12-07) <${AZURE_DOCS}/e19c92f1f09350f5195813384ff27b5631689386/includes/azure-backup-limits.md>`,

  // Current documentation (Microsoft Learn; the date is that of the version whose statement is cited).
  supportMatrixIaas: `Support matrix for Azure VM backups (Microsoft Learn, 2023-07-05) <${LEARN}/backup/backup-support-matrix-iaas>`,
  supportMatrix: `Support matrix for Azure Backup (Microsoft Learn, 2023-08-14) <${LEARN}/backup/backup-support-matrix>`,
  backupFaq: `Azure Backup - Frequently asked questions (Microsoft Learn, 2023-07-20) <${LEARN}/backup/backup-azure-backup-faq>`,
  vmBackupFaq: `Frequently asked questions - Back up Azure VMs (Microsoft Docs, 2023-08-14) <${AZURE_DOCS}/05c890d4d6dfa56fb0ebea9d6ef1dbc9c5722e68/articles/backup/backup-azure-vm-backup-faq.yml>`,
  instantRestore: `Get improved backup and restore performance with Azure Backup Instant Restore capability (Microsoft Learn, 2024-04-03) <${LEARN}/backup/backup-instant-restore-capability>`,
  enhancedPolicy: `Back up Azure VMs with the Enhanced policy (Microsoft Learn, 2025-06-11) <${LEARN}/backup/backup-azure-vms-enhanced-policy>`,
  /**
   * Today's support matrix for Azure VM backup (version dated 2026-01-28): Trusted Launch VMs through the Enhanced
   * and the Standard policy (the Standard one only through REST API 2025-01-01 and later), and the Confidential VM
   * backup preview's regions and capabilities.
   */
  supportMatrixIaas2026: `Support matrix for Azure VM backups (Microsoft Learn, 2026-01-28) <${LEARN}/backup/backup-support-matrix-iaas>`,
  /** The 2023 support matrix, pinned: Confidential VM backup only with the Enhanced policy, no cross-region restore. */
  supportMatrixIaas2023: `Support matrix for Azure VM backups (Microsoft Docs, 2023) <${AZURE_DOCS}/706123f3e833a4e40bf839c4eac755da7e84775f/articles/backup/backup-support-matrix-iaas.md>`,
  /** The compute API's VM: securityProfile.securityType is TrustedLaunch or ConfidentialVM; absent for a standard VM. */
  computeVmApi: `Virtual Machines - Get, Azure Compute REST API: properties.securityProfile.securityType (Microsoft Learn) <https://learn.microsoft.com/rest/api/compute/virtual-machines/get>`,
  /** The Confidential VM backup preview: feature registration, supported scenarios (its include confidential-vm-backup-support-matrix.md). */
  confidentialVmBackup: `Back up Confidential VM using Azure Backup (preview) (Microsoft Learn, 2026) <${LEARN}/backup/confidential-vm-backup>`,
  enhancedSoftDelete: `Configure and manage enhanced soft delete for Azure Backup (Microsoft Learn, 2023-06-12) <${LEARN}/backup/backup-azure-enhanced-soft-delete-configure-manage>`,
  createVault: `Create and configure a Recovery Services vault (Microsoft Docs, 2021-04-14) <${AZURE_DOCS}/afe060ab78c9c8319bf2adcef24cddd665ac5740/articles/backup/backup-create-rs-vault.md>`,
  immutableVault: `Immutable vault for Azure Backup: states Disabled, Unlocked and Locked; Locked is irreversible (Microsoft Learn) <${LEARN}/backup/backup-azure-immutable-vault-concept>`,
  immutableVaultRestricted: `Immutable vault for Azure Backup: restricted operations (Microsoft Learn, 2025-06-19) <${LEARN}/backup/backup-azure-immutable-vault-concept#restricted-operations>`,
  tfVaultImmutability: `Terraform azurerm_recovery_services_vault: "The API doesn't allow to set the immutability to Locked on creation" (hashicorp/terraform-provider-azurerm) <https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services/recoveryservices/recovery_services_vault_resource.go>`,
  suspendBackups: `Disable-AzRecoveryServicesBackupProtection -RetainRecoveryPointsAsPerPolicy: backups can't be suspended until immutability is enabled on the vault (Microsoft Learn) <https://learn.microsoft.com/powershell/module/az.recoveryservices/disable-azrecoveryservicesbackupprotection>`,
  /** The pricing page gives the protected-instance tiers; the documentation page links to it and to the estimator. */
  pricing: `Azure Backup pricing: protected instances (Microsoft Azure) <https://azure.microsoft.com/pricing/details/backup/>`,
  armRg: `Naming rules and restrictions for Azure resources: resource groups are 1-90 letters, digits, underscores, parentheses, hyphens and periods, not ending in a period (Microsoft Learn) <${LEARN}/azure-resource-manager/management/resource-name-rules>`,
  windowsZones: `Windows time-zone ids, Unicode CLDR windowsZones.xml (as packaged by windows-iana 5.1.0); Azure Backup policies take a Windows time-zone id in timeZone <https://github.com/unicode-org/cldr/blob/main/common/supplemental/windowsZones.xml>`,
  tfPolicy: `Terraform azurerm_backup_policy_vm documentation (hashicorp/terraform-provider-azurerm) <https://github.com/hashicorp/terraform-provider-azurerm/blob/main/website/docs/r/backup_policy_vm.html.markdown>`,
  tfPolicyCode: `Terraform azurerm_backup_policy_vm schema and validation (hashicorp/terraform-provider-azurerm) <https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services/recoveryservices/backup_policy_vm_resource.go>`,
  tfProtectedVm: `Terraform azurerm_backup_protected_vm schema (hashicorp/terraform-provider-azurerm) <https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services/recoveryservices/backup_protected_vm_resource.go>`,
  psPolicyRules: `Azure PowerShell backup policy validation, PolicyRetentionObjects.cs and PolicyScheduleObjects.cs (Azure/azure-powershell) <https://github.com/Azure/azure-powershell/tree/main/src/RecoveryServices/RecoveryServices.Backup.Models/CommonModels>`,
  psYearlyRetention: `Azure PowerShell YearlyRetentionSchedule.Validate: MonthsOfYear must not be null or empty (Azure/azure-powershell) <https://github.com/Azure/azure-powershell/blob/main/src/RecoveryServices/RecoveryServices.Backup.Models/CommonModels/PolicyRetentionObjects.cs>`,
  /** The Recovery Services backup REST API (api-version 2023-06-01), pinned to a confirmed commit of the spec. */
  armApi: `Recovery Services backup REST API 2023-06-01, bms.json (Azure/azure-rest-api-specs) <${SPECS}/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/bms.json>`,
  armVaultApi: `Recovery Services vaults REST API 2024-04-01, vaults.json (Azure/azure-rest-api-specs) <${SPECS}/35ebfaae55a54b5afb705f3b735991b0631f0176/specification/recoveryservices/resource-manager/Microsoft.RecoveryServices/stable/2024-04-01/vaults.json>`,
  // Archive tier and crash-consistent snapshots (src/rules/policy-tiering.ts).
  /** Archive tier overview: which VM recovery points can move (monthly and yearly, >= 3 months in Vault-standard, >= 6 months left). */
  archiveTier: `Overview of Archive tier in Azure Backup: supported workloads (Microsoft Learn, 2023-04-15) <${LEARN}/backup/archive-tier-support>`,
  /** Smart tiering through a policy (PowerShell pivot): TierRecommended, TierAllEligible (TierAfter) from 3 to (retention - 6) months. */
  useArchiveTier: `Use Archive tier support: enable Smart Tiering to Vault-archive using a backup policy (Microsoft Learn) <${LEARN}/backup/use-archive-tier-support?pivots=client-powershelltier>`,
  /** The REST spec of the backup API the package calls: AzureIaaSVMProtectionPolicy.tieringPolicy and snapshotConsistencyType, TieringPolicy. */
  armApi2025: `Recovery Services backup REST API 2025-08-01, bms.json: AzureIaaSVMProtectionPolicy, TieringPolicy (Azure/azure-rest-api-specs) <${SPECS}/3d8385c8c65136b881d6239d0003fe2a0c638603/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2025-08-01/bms.json>`,
  /** Agentless multi-disk crash-consistent backup: the Enhanced policy's consistency type. */
  crashConsistent: `Back up Azure VM with agentless multi-disk crash-consistent backup (Microsoft Learn, 2024-03-14) <${LEARN}/backup/backup-azure-vms-agentless-multi-disk-crash-consistent>`,
  /** Its supported scenarios (the include of the overview page): Enhanced policy only; disks and sizes it does not support. */
  crashConsistentScenarios: `About agentless multi-disk crash-consistent backup for Azure VMs: supported scenarios (Microsoft Learn, 2024-03-13) <${LEARN}/backup/backup-azure-vms-agentless-multi-disk-crash-consistent-overview#supported-scenarios-for-agentless-multi-disk-crash-consistent-vm-backup-preview>`,
  /** Azure Policy's built-in audit that every VM is backed up (definition 013e242c-8828-4970-87b3-ab247555486d): a VM without a protected item is non-compliant. */
  vmBackupAuditPolicy: `Azure Backup should be enabled for Virtual Machines, Azure Policy built-in definition (Azure/azure-policy) <https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Backup/VirtualMachines_EnableAzureBackup_Audit.json>`,
  /** The built-in that scopes the same requirement to VMs with a given tag (tags[name] in the given values). */
  vmBackupWithTagPolicy: `Configure backup on virtual machines with a given tag to an existing recovery services vault in the same location, Azure Policy built-in definition (Azure/azure-policy) <https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Backup/VirtualMachineWithTag_DINE.json>`,
  // What destroy deletes (src/rules/destroy.ts).
  /** Secure by default: soft delete enforced for Recovery Services vaults, GA in every public region and national cloud (page of 2025-11-10). */
  secureByDefault: `Secure by default with soft delete for Azure Backup (Microsoft Learn, 2025-11-10) <${LEARN}/backup/secure-by-default>`,
  softDeleteCloud: `Soft delete for Azure Backup (Microsoft Learn) <${LEARN}/backup/backup-azure-security-feature-cloud>`,
  deleteVault: `Delete an Azure Backup Recovery Services vault (Microsoft Learn) <${LEARN}/backup/backup-azure-delete-vault>`,
  /** The Learn page on moving a vault: "Recovery Services vault doesn't support cross subscription backups" (for VMs; not yet updated for 2026). */
  moveVault: `Move a Recovery Services vault across Azure subscriptions and resource groups (Microsoft Learn) <${LEARN}/backup/backup-azure-move-recovery-services-vault>`,
  /** Azure CLI: cross-subscription backup of Azure VMs, the backend deriving the VM's subscription from sourceResourceId. */
  cliCrossSubscriptionBackup: `Azure CLI pull request 33703, az backup: Add Cross Subscription Backup (CSB) support for AzureIaaSVM (Azure/azure-cli, 2026-07) <https://github.com/Azure/azure-cli/pull/33703>`,
  psCrossSubscriptionBackup: `Azure PowerShell pull request 29799, Add Cross Subscription Backup (CSB) support for Azure VM (Azure/azure-powershell, 2026-07) <https://github.com/Azure/azure-powershell/pull/29799>`,
  /** The soft-delete FAQ: a soft-deleted item cannot be force-deleted, nor protected in a new vault before it is purged. */
  softDeleteFaq: `Frequently asked questions about soft delete (Microsoft Learn, 2024-01-05) <${LEARN}/backup/soft-delete-azure-backup-faq>`,
  /** Microsoft's self-help for configure-protection failures: a VM missing from the list may be soft-deleted. */
  selfHelpConfigureProtection: `Unable to Configure Backup for Azure Virtual Machines, Azure Backup self-help (Microsoft, TheresaLui/SelfHelpContent_v2) <https://github.com/TheresaLui/SelfHelpContent_v2/blob/cd4d6a28f5db6576f8e848c08ea8ca6a21c29477/articles/microsoft.recoveryservices/azurebackup-iaas-config.md>`,
  stopProtectingVm: `Manage Azure VM backups with Azure Backup service: stop protecting a VM (Microsoft Learn) <${LEARN}/backup/backup-azure-manage-vms#stop-protecting-a-vm>`,
  // Vault settings that security baselines require (src/rules/vault-settings.ts).
  /** Customer-managed keys for Recovery Services vaults: new vaults only (no item ever registered), irreversible, key in the vault's region, managed identity with key permissions. */
  cmk: `Encrypt backup data by using customer-managed keys (Microsoft Learn, 2024-06-12) <${LEARN}/backup/encryption-at-rest-with-cmk>`,
  /** Terraform azurerm: encryption RequiredWith identity; CMK cannot be disabled; infrastructure encryption cannot change; identities cannot be removed or downgraded. */
  tfVault: `Terraform azurerm_recovery_services_vault: encryption, identity and monitoring (hashicorp/terraform-provider-azurerm) <https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services/recoveryservices/recovery_services_vault_resource.go>`,
  /** The Recovery Services vaults REST API 2026-07-01: identity, encryption, publicNetworkAccess, monitoringSettings, restoreSettings. */
  armVaultApi2026: `Recovery Services vaults REST API 2026-07-01, openapi.json and its examples (Azure/azure-rest-api-specs) <${SPECS}/49e9b4adb8dbf60f45aece32db1e7255fdca8223/specification/recoveryservices/resource-manager/Microsoft.RecoveryServices/RecoveryServices/stable/2026-07-01/openapi.json>`,
  /** Cross Subscription Restore of Azure VMs: enabled on Recovery Services vaults by default; permanently disabled cannot be re-enabled. */
  crossSubscriptionRestore: `Restore Azure VM data in Azure portal: Cross Subscription Restore (Microsoft Learn) <${LEARN}/backup/backup-azure-arm-restore-vms#cross-subscription-restore>`,
  /** Azure Monitor alerts for Azure Backup: job failure alerts on by default; classic alerts to be replaced by them. */
  monitorAlerts: `Monitor Azure Monitor based alerts for Azure Backup (Microsoft Learn, 2024-10-10) <${LEARN}/backup/move-to-azure-monitor-alerts>`,
  /** Private endpoints (v2 experience): only vaults that never had an item registered or protected; owner approval. */
  privateEndpointsConfigure: `Create and use private endpoints (v2 experience) for Azure Backup (Microsoft Learn, 2025-06-26) <${LEARN}/backup/backup-azure-private-endpoints-configure-manage>`,
  /** Private endpoints concepts: at most 12 per vault; Azure VM backup needs none; file recovery restricted; a secondary one any time. */
  privateEndpointsConcept: `Overview and concepts of private endpoints (v2 experience) for Azure Backup (Microsoft Learn, 2024-07-19) <${LEARN}/backup/backup-azure-private-endpoints-concept>`,
  /** The v1 overview: "private endpoints must be created before you attempt to protect any items to the vault". */
  /** Failed VM backup jobs: error messages and what to do (2018-08-07 version). */
  vmBackupTroubleshoot: `Troubleshoot Azure virtual machine backup (Microsoft Docs, 2018-08-07) <${AZURE_DOCS}/0819162b1c58a137cff387b5058f7b3e692f35d9/articles/backup/backup-azure-vms-troubleshoot.md>`,
  privateEndpointsV1: `Overview and concepts of private endpoints (v1 experience) for Azure Backup (Microsoft Learn, 2023-08-14) <${LEARN}/backup/private-endpoints-overview>`,
  // Azure Policy (src/rules/guardrails.ts).
  policyDenied: `Resolve errors for request disallowed by policy (Microsoft Learn) <${LEARN}/azure-resource-manager/troubleshooting/error-policy-requestdisallowedbypolicy>`,
  /** What Backup needs on the Key Vault of a VM encrypted with Azure Disk Encryption: access policy template or RBAC role. */
  backupEncryptedVms: `Back up and restore encrypted Azure virtual machines (Microsoft Learn) <${LEARN}/backup/backup-azure-vms-encryption>`,
  /** The Backup Management Service's application id and the permissions per BEK-only / BEK+KEK VM (PowerShell, "Enable protection"). */
  backupVmsAutomation: `Back up and restore Azure VMs with PowerShell (Microsoft Learn) <${LEARN}/backup/backup-azure-vms-automation#enable-protection>`,
  /** Restore limits of VMs encrypted with Azure Disk Encryption ("you cannot use 'replace existing VM' option for ADE encrypted VMs"). */
  encryptedVmTroubleshoot: `Troubleshoot backup errors with encrypted Azure VMs (Microsoft Learn) <${LEARN}/backup/backup-azure-encrypted-vm-troubleshoot>`,
  /** UserErrorKeyvaultPermissionsNotConfigured: the backup job of an encrypted VM fails without Key Vault access. */
  backupVmsTroubleshoot: `Troubleshoot backup errors with Azure virtual machines (Microsoft Learn) <${LEARN}/backup/backup-azure-vms-troubleshoot>`,
  policyDenyEffect: `Azure Policy definitions deny effect (Microsoft Learn) <${LEARN}/governance/policy/concepts/effect-deny>`,
  initialBackup: `Back up Azure VMs in a Recovery Services vault: trigger the initial backup (Microsoft Learn) <${LEARN}/backup/backup-azure-arm-vms-prepare#trigger-the-initial-backup>`,
  // Multi-user authorization (src/rules/resource-guard.ts).
  /** The critical operations of a Recovery Services vault a Resource Guard protects, mandatory or optional (excludable). */
  muaConcept: `About Multi-user authorization using Resource Guard: critical operations (Microsoft Learn, 2023-09-25) <${LEARN}/backup/multi-user-authorization-concept>`,
  /** Enabling MUA on a vault (Reader on the guard), performing a protected operation (Backup MUA Operator or Contributor on the guard, through PIM), cross-tenant guards. */
  muaConfigure: `Configure Multi-user authorization using Resource Guard (Microsoft Learn, 2025-12-30) <${LEARN}/backup/multi-user-authorization>`,
  /** How the Azure CLI sends a critical operation: the guard's default request from the VaultProxy, unlockDelete before a delete, an auxiliary tenant for a cross-tenant guard. */
  cliResourceGuard: `Azure CLI backup module, custom_help.py (operation_name_map, get_resource_guard_operation_request, is_retention_duration_decreased) and custom.py (Azure/azure-cli) <https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/backup/custom_help.py>`,
  /** The x-ms-authorization-auxiliary header: up to three tokens for other tenants, "Bearer <token>" each. */
  armAuxiliaryTokens: `Authenticate requests across tenants (Microsoft Learn) <${LEARN}/azure-resource-manager/management/authenticate-multi-tenant>`,
} as const;

/** A citation: the document and, where useful, the sentence or value it states. */
export function cite(doc: string, statement?: string): string {
  return statement === undefined ? doc : `${doc}: ${statement}`;
}
