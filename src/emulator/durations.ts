/**
 * How long each of Azure's long-running operations takes on the emulated clock, with where each figure
 * comes from. An operation finishes when its time has passed, whether or not a client reads its status.
 *
 * Sources (Microsoft's x-ms-examples in Azure/azure-rest-api-specs, kept in test/fixtures/arm with their
 * commits; and Microsoft's VM backup documentation of 2015-2018, archived in MicrosoftDocs/azure-docs):
 * - Vault operations: GetOperationStatus.json (recoveryservices 2024-02-01) runs 09:49:44.05 → 09:49:46, 2 s.
 * - Protecting a VM, changing its policy, stopping its protection, undeleting it: the ConfigureBackup job of
 *   ListJobs.json (recoveryservicesbackup 2024-10-01) runs 05:30:32.45 → 05:31:03.76, 31 s. No figure is
 *   published for DisableBackup, Undelete and DeleteBackupData jobs; the emulator gives them the same.
 * - A policy change re-configures every item of the policy, each with a ConfigureBackup job (the policy
 *   operation reports their job ids, ProtectionPolicyOperationStatuses_Get.json): the jobs run side by side,
 *   so the operation takes one job's 31 s.
 * - Deleting a policy: ProtectionPolicyOperationStatuses_Get.json reports start = end (no wait).
 * - Triggering a backup: ProtectedItemOperationStatus.json reports start = end; the Backup job then runs
 *   on its own timeline (snapshot, then transfer: see model.ts).
 * - Discovering VMs (refreshContainers): "The discovery process can run for a few minutes" (https://github.com/MicrosoftDocs/azure-docs/blob/2b1effae96c9cabea029fbb5a12d8ca49673a8f2/articles/backup-azure-vms.md); the
 *   emulator takes 2 minutes.
 * - Feature and provider registration (Registering → Registered): Microsoft's "Set up preview features"
 *   page says registration takes a few minutes without a figure; the emulator takes 5 minutes.
 * - File recovery (provisionInstantItemRecovery, revokeInstantItemRecovery): no figure is published for the
 *   operations themselves (Revoke_Ilr.json gives only the 202); the emulator ends them at once,
 *   like the operations whose examples report start = end. The session they open lasts 12 hours (arm/item-recovery.ts).
 */
import { MINUTE, SECOND } from "./clock";
import type { OperationKind } from "./state";

export const OPERATION_DURATIONS: Readonly<Record<OperationKind, number>> = {
  "vault-create": 2 * SECOND,
  "vault-update": 2 * SECOND,
  "policy-update": 31 * SECOND,
  "policy-delete": 0,
  refresh: 2 * MINUTE,
  "item-put": 31 * SECOND,
  "item-delete": 31 * SECOND,
  "item-backup": 0,
  "ilr-provision": 0,
  "ilr-revoke": 0,
  // Triggering a restore, like a backup, answers at once: the Restore job runs on its own timeline (model/restore.ts).
  "item-restore": 0,
};

export const REGISTRATION_DURATION = 5 * MINUTE;
