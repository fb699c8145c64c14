/**
 * The documents every limit and rule is taken from. Seeds are Azure's own VM backup documentation
 * that the project models (../shared/seeds/); current documents are cited as gathered in
 * ../shared/reference/LIMITS.md and PEERS.md (MicrosoftDocs/azure-docs paths with commit and date).
 */
export const DOCS = {
  seed000: "Seed 000, Microsoft Docs 'Upgrade to VM backup stack V2' (2018-03-08)",
  seed001: "Seed 001, Microsoft Docs 'About Azure VM backup' (2018-12-11)",
  seed002: "Seed 002, Microsoft Docs 'Azure virtual machine backup' introduction (2015-09-24)",
  seed003: "Seed 003, Microsoft Docs 'Backup Azure virtual machines' (2015-09-01)",
  seed004: "Seed 004, Microsoft Docs 'Back up Windows virtual machines in Azure' (2017-05-04)",
  limits2015: "Microsoft Docs includes/azure-backup-limits.md @082df1e (2015-09-16)",
  limits2018: "Microsoft Docs includes/azure-backup-limits.md @e19c92f (2018-12-07)",
  supportMatrixIaas: "Microsoft Docs backup-support-matrix-iaas.md @706123f (2023-07-05)",
  supportMatrix: "Microsoft Docs backup-support-matrix.md @012ad30 (2023-08-14)",
  backupFaq: "Microsoft Docs backup-azure-backup-faq.yml @b12dfcb (2023-07-20)",
  vmBackupFaq: "Microsoft Docs backup-azure-vm-backup-faq.yml @05c890d (2023-08-14)",
  instantRestore: "Microsoft Docs backup-instant-restore-capability.md (2019-04-23 @94b320f; 2024-04-03)",
  enhancedPolicy: "Microsoft Docs backup-azure-vms-enhanced-policy.md (2023-03-15 @d19be25; 2025-06-11 @fe3d7e1)",
  enhancedSoftDelete: "Microsoft Docs backup-azure-enhanced-soft-delete-configure-manage.md (2023-06-12)",
  createVault: "Microsoft Docs backup-create-rs-vault.md @afe060a (2021-04-14)",
  immutableVault: "Microsoft Docs backup-azure-immutable-vault-concept.md (immutability states Disabled, Unlocked, Locked; Locked is irreversible)",
  // What destroy deletes (src/rules/destroy.ts): pages a user can open.
  softDeleteCloud: "Microsoft Learn 'Soft delete for Azure Backup', https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud",
  deleteVault: "Microsoft Learn 'Delete an Azure Backup Recovery Services vault', https://learn.microsoft.com/azure/backup/backup-azure-delete-vault",
  stopProtectingVm: "Microsoft Learn 'Manage Azure VM backups with Azure Backup service', https://learn.microsoft.com/azure/backup/backup-azure-manage-vms#stop-protecting-a-vm",
  initialBackup: "Microsoft Learn 'Back up Azure VMs in a Recovery Services vault', https://learn.microsoft.com/azure/backup/backup-azure-arm-vms-prepare#trigger-the-initial-backup",
  pricing: "Azure Backup pricing for protected instances (reference/LIMITS.md §2: azure.microsoft.com/pricing/details/backup as quoted by eWeek 2015 and Microsoft Q&A #2128908, 2024)",
  armRg: "Azure resource naming rules for resource groups: 1-90 characters; letters, digits, underscore, parentheses, hyphen and period, not ending in a period",
  windowsZones: "Windows time-zone ids (Unicode CLDR windowsZones.xml, as packaged by windows-iana 5.1.0); Azure Backup policies take a Windows time-zone id in `timeZone`",
  tfPolicy: "hashicorp/terraform-provider-azurerm backup_policy_vm_resource.go and website/docs/r/backup_policy_vm.html.markdown @0a830d4",
  tfVault: "hashicorp/terraform-provider-azurerm recovery_services_vault_resource.go and validate/recovery_services_vault_name.go",
  tfProtectedVm: "hashicorp/terraform-provider-azurerm backup_protected_vm_resource.go",
  psPolicyRules:
    "Azure/azure-powershell RecoveryServices.Backup PolicyHelpers.ValidateLongTermRetentionPolicyWithSimpleRetentionPolicy, PolicyRetentionObjects.cs and PolicyScheduleObjects.cs",
  armApi: "Recovery Services REST API 2023-06-01 (reference/ARM-API.md)",
} as const;

/** A citation: the document and, where useful, the sentence or value it states. */
export function cite(doc: string, statement?: string): string {
  return statement === undefined ? doc : `${doc}: ${statement}`;
}
