/**
 * Limits are data, not constants. A profile gives every limit a value and its source (sources.ts).
 *
 * - `stack-v2-2018` (the default): VM backup stack V2 as Microsoft documented it in 2018
 *   (https://github.com/MicrosoftDocs/azure-docs history: backup-upgrade-to-vm-backup-stack-v2.md,
 *   backup-azure-vms-introduction.md, includes/azure-backup-limits.md; the 2015 limits where 2018 keeps them).
 * - `classic-2015`: the limits of classic VM backup as documented in 2015.
 * - `azure-2025`: today's documented limits (https://learn.microsoft.com/azure/backup/backup-support-matrix-iaas).
 *
 * Where the 2015-2018 documents say nothing about a rule (soft delete, enhanced policies, retention ranges),
 * those profiles take the current documented value and say so in its source.
 */
import type { Severity } from "./diagnostics";
import { cite, DOCS } from "./sources";

export type WindowsServerMinimum = "2008" | "2008 R2";

export interface Limits {
  /** Data disks on a VM with managed disks. */
  dataDisksPerVm: number;
  /** Data disks on a VM with unmanaged (storage-account) disks. */
  dataDisksPerUnmanagedVm: number;
  /** Above this many data disks, warn that the documented limit may count the OS disk (null: no such doubt). */
  dataDisksPerVmWarnAbove: number | null;
  /** Largest protected disk, GB (GiB as Azure sizes disks). */
  diskSizeGb: number;
  /** Largest total of all disks of one VM, GB (null: no documented limit). */
  vmSizeGb: number | null;
  /** Whether Azure Resource Manager VMs (Microsoft.Compute) can be backed up. */
  armVmsSupported: boolean;
  /** Whether classic VMs (Microsoft.ClassicCompute) can be backed up. */
  classicVmsSupported: boolean;
  /** Whether VMs on premium storage can be backed up. */
  premiumStorageSupported: boolean;
  /** Oldest Windows Server release that can be backed up. */
  minimumWindowsServer: WindowsServerMinimum;
  /** Protected VMs per vault. */
  vmsPerVault: number;
  /** Backup policies per vault (null: no documented limit). */
  policiesPerVault: number | null;
  /** Whether a vault can enable cross-region restore. */
  crossRegionRestoreSupported: boolean;
  softDeleteRetentionMinDays: number;
  softDeleteRetentionMaxDays: number;
  /** Soft-delete retention that is free of charge. */
  softDeleteFreeDays: number;
  /** VMs in one vault whose backups start at the same time. */
  vmsPerSchedule: number;
  /** Unmanaged disks from one storage account protected by the same schedule. */
  unmanagedDisksPerStorageAccountPerSchedule: number;
  /** VMs per policy (null: not checked; the VMs-per-schedule rule covers it). */
  vmsPerPolicy: number | null;
  dailyRetentionMinDays: number;
  dailyRetentionMaxDays: number;
  weeklyRetentionMaxWeeks: number;
  monthlyRetentionMaxMonths: number;
  yearlyRetentionMaxYears: number;
  /** Recovery points one protected item can hold. */
  recoveryPointsPerItem: number;
  /** Instant-restore (snapshot) retention of a standard (V1) policy: maximum and default days. */
  instantRestoreDaysV1Max: number;
  instantRestoreDaysV1Default: number;
  /** Instant-restore days a standard (V1) weekly policy must use. */
  instantRestoreDaysWeeklyV1: number;
  /** Instant-restore retention of an enhanced (V2) policy: maximum and default days. */
  instantRestoreDaysV2Max: number;
  instantRestoreDaysV2Default: number;
  hourlyWindowMinHours: number;
  hourlyWindowMaxHours: number;
  /** Best-case throughput of a disk's first (full) backup, megabits per second. */
  initialBackupMbps: number;
  /** Best-case throughput of a disk's incremental backup, megabits per second. */
  incrementalBackupMbps: number;
  /** Target throughput of a single storage blob (one disk), megabytes per second. */
  blobThroughputMBps: number;
  /** Hours a daily or weekly backup has to complete. */
  backupWindowHours: number;
  /** Largest protected instance billed as a small instance, GB. */
  smallInstanceMaxGb: number;
  /** Size of one billed protected instance above the small tier, GB. */
  instanceGb: number;
}

export type LimitKey = keyof Limits;

/** Limits whose value is one of a few names rather than a number or a flag. */
export const ENUM_LIMITS: Readonly<Record<string, readonly string[]>> = {
  minimumWindowsServer: ["2008", "2008 R2"] satisfies WindowsServerMinimum[],
};

export interface LimitSpec<T> {
  value: T;
  /** Where the value comes from. */
  source: string;
  /** For limits that are advice rather than enforcement: the severity a breach gets (default error). */
  severity?: Severity;
}

export type LimitSpecs = { [K in LimitKey]: LimitSpec<Limits[K]> };

export interface LimitProfile {
  name: string;
  description: string;
  limits: LimitSpecs;
}

const SEEDS_SILENT = "the 2015-2018 documentation says nothing of this; current documentation";

/** Limits that the 2015-2018 documentation does not cover: every profile takes today's documented values. */
const CURRENT_POLICY_LIMITS: Pick<
  LimitSpecs,
  | "policiesPerVault"
  | "softDeleteRetentionMinDays"
  | "softDeleteRetentionMaxDays"
  | "softDeleteFreeDays"
  | "dailyRetentionMinDays"
  | "dailyRetentionMaxDays"
  | "weeklyRetentionMaxWeeks"
  | "monthlyRetentionMaxMonths"
  | "yearlyRetentionMaxYears"
  | "recoveryPointsPerItem"
  | "instantRestoreDaysV1Max"
  | "instantRestoreDaysV1Default"
  | "instantRestoreDaysWeeklyV1"
  | "instantRestoreDaysV2Max"
  | "instantRestoreDaysV2Default"
  | "hourlyWindowMinHours"
  | "hourlyWindowMaxHours"
> = {
  policiesPerVault: { value: 200, source: cite(DOCS.backupFaq, "up to 200 policies per vault") },
  softDeleteRetentionMinDays: {
    value: 14,
    source: cite(DOCS.enhancedSoftDelete, "soft-delete retention is configurable from 14 to 180 days"),
  },
  softDeleteRetentionMaxDays: {
    value: 180,
    source: cite(DOCS.enhancedSoftDelete, "soft-delete retention is configurable from 14 to 180 days"),
  },
  softDeleteFreeDays: {
    value: 14,
    source: cite(DOCS.enhancedSoftDelete, "retention beyond 14 days is charged"),
  },
  dailyRetentionMinDays: {
    value: 7,
    source: cite(DOCS.vmBackupFaq, "daily recovery points are kept 7 to 9,999 days (the minimum was raised to 7)"),
  },
  dailyRetentionMaxDays: { value: 9999, source: cite(DOCS.vmBackupFaq, "daily retention of at most 9,999 days") },
  weeklyRetentionMaxWeeks: { value: 5163, source: cite(DOCS.supportMatrixIaas, "weekly retention of at most 5,163 weeks") },
  monthlyRetentionMaxMonths: {
    value: 1188,
    source: cite(DOCS.supportMatrixIaas, "monthly retention of at most 1,188 months"),
  },
  yearlyRetentionMaxYears: { value: 99, source: cite(DOCS.supportMatrixIaas, "yearly retention of at most 99 years") },
  recoveryPointsPerItem: {
    value: 9999,
    source: cite(DOCS.supportMatrixIaas, "a protected item holds at most 9,999 recovery points"),
  },
  instantRestoreDaysV1Max: {
    value: 5,
    source: cite(DOCS.instantRestore, "standard policy snapshots are kept 1 to 5 days (default 2)"),
  },
  instantRestoreDaysV1Default: {
    value: 2,
    source: cite(DOCS.instantRestore, "standard policy snapshots are kept 1 to 5 days (default 2)"),
  },
  instantRestoreDaysWeeklyV1: {
    value: 5,
    source: cite(DOCS.instantRestore, "a weekly standard policy keeps snapshots for 5 days"),
  },
  instantRestoreDaysV2Max: {
    value: 30,
    source: cite(DOCS.enhancedPolicy, "enhanced policy snapshots are kept 1 to 30 days (default 7)"),
  },
  instantRestoreDaysV2Default: {
    value: 7,
    source: cite(DOCS.enhancedPolicy, "enhanced policy snapshots are kept 1 to 30 days (default 7)"),
  },
  hourlyWindowMinHours: { value: 4, source: cite(DOCS.tfPolicy, "hour_duration is 4 to 24 hours") },
  hourlyWindowMaxHours: { value: 24, source: cite(DOCS.tfPolicy, "hour_duration is 4 to 24 hours") },
};

const SEED_PERFORMANCE: Pick<LimitSpecs, "initialBackupMbps" | "incrementalBackupMbps" | "blobThroughputMBps" | "backupWindowHours"> = {
  initialBackupMbps: { value: 160, source: cite(DOCS.vmBackupPlanning2018, "Initial backup | 160 Mbps (best-case throughput)") },
  incrementalBackupMbps: {
    value: 640,
    source: cite(DOCS.vmBackupPlanning2018, "Incremental backup (DR) | 640 Mbps (best-case throughput)"),
  },
  blobThroughputMBps: {
    value: 60,
    source: cite(DOCS.vmBackupPlanning2018, "all I/O operations are limited by the Target Throughput for Single Blob, which has a limit of 60 MB per second"),
  },
  backupWindowHours: {
    value: 24,
    source: cite(DOCS.vmBackupPlanning2018, "the total VM backup time is less than 24 hours for daily backup policies"),
  },
};

const BILLING: Pick<LimitSpecs, "smallInstanceMaxGb" | "instanceGb"> = {
  smallInstanceMaxGb: { value: 50, source: cite(DOCS.pricing, "up to 50 GB is billed as one small instance") },
  instanceGb: { value: 500, source: cite(DOCS.pricing, "above 50 GB, one instance per started 500 GB") },
};

const SEED_DATA_DISKS = `${cite(DOCS.limits2015, "Data disks attached to an Azure virtual machine for backup | 16")}; ${cite(
  DOCS.vmPrepareClassic2016,
  "Backing up virtual machines with more than 16 data disks is not supported",
)}`;
const SEED_WINDOWS = cite(DOCS.vmBackupIntro2015, "Windows Server: Versions older than Windows Server 2008 R2 are not supported");
const SEED_SCHEDULE = cite(DOCS.vmBackupPlanning2018, "Don't schedule backups for more than 100 VMs from one vault, at the same time");
const SEED_STORAGE_ACCOUNT = cite(
  DOCS.vmBackupPlanning2018,
  "No more than 20 total disks from a single storage account should be protected by the same backup schedule",
);

const stackV2: LimitProfile = {
  name: "stack-v2-2018",
  description: "VM backup stack V2 as documented in 2018 (the default).",
  limits: {
    dataDisksPerVm: { value: 16, source: `${SEED_DATA_DISKS}; still 16 in ${DOCS.limits2018}` },
    dataDisksPerUnmanagedVm: { value: 16, source: SEED_DATA_DISKS },
    dataDisksPerVmWarnAbove: { value: null, source: SEED_DATA_DISKS },
    diskSizeGb: {
      value: 4095,
      source: `${cite(DOCS.stackV2Upgrade, "Support for disk sizes up to 4 TB")}; ${cite(DOCS.limits2018, "Individual data disk attached to Azure VM for backup | 4,095 GB")}`,
    },
    vmSizeGb: { value: null, source: cite(DOCS.limits2018, "no limit on a VM's total size is listed") },
    armVmsSupported: { value: true, source: cite(DOCS.vmBackupTutorial2017, "Resource Manager VMs are backed up from the portal") },
    classicVmsSupported: { value: true, source: cite(DOCS.vmBackupPlanning2018, "best practices for classic VMs from the same cloud service") },
    premiumStorageSupported: {
      value: true,
      source: cite(DOCS.stackV2Upgrade, "this ability eliminates the additional storage requirement for backing up premium VMs, except for the first backup"),
    },
    minimumWindowsServer: { value: "2008 R2", source: SEED_WINDOWS },
    vmsPerVault: { value: 1000, source: cite(DOCS.limits2018, "1000 Azure VMs per vault") },
    crossRegionRestoreSupported: {
      value: true,
      source: `${SEEDS_SILENT} (${DOCS.createVault}): cross-region restore on GeoRedundant vaults`,
    },
    vmsPerSchedule: { value: 100, source: SEED_SCHEDULE, severity: "error" },
    unmanagedDisksPerStorageAccountPerSchedule: { value: 20, source: SEED_STORAGE_ACCOUNT, severity: "error" },
    vmsPerPolicy: { value: null, source: `${SEED_SCHEDULE} (a policy is one schedule, so that rule covers it)` },
    ...CURRENT_POLICY_LIMITS,
    ...SEED_PERFORMANCE,
    ...BILLING,
  },
};

const classic: LimitProfile = {
  name: "classic-2015",
  description: "Classic VM backup as documented in 2015.",
  limits: {
    ...stackV2.limits,
    dataDisksPerVm: { value: 16, source: SEED_DATA_DISKS },
    diskSizeGb: {
      value: 1023,
      source: cite(DOCS.vmBackupIntro2015, "data disks with a maximum size of 1TB each (1023GB in its example)"),
    },
    armVmsSupported: {
      value: false,
      // The 2015-09-24 sentence "Backup of Azure Resource Manager based (aka IaaS V2) virtual machines is not
      // supported" has no confirmed commit; the closest confirmed page lists the classic model's limitations.
      source: cite(DOCS.vmPrepareClassic2016, "the limitations when deploying in the classic model; Resource Manager VMs have their own page"),
    },
    classicVmsSupported: { value: true, source: cite(DOCS.vmBackupIntro2015, "classic VMs are backed up from the Management Portal") },
    premiumStorageSupported: {
      value: false,
      source: cite(DOCS.vmBackupIntro2015, "Backup of virtual machines using Premium storage is not supported"),
    },
    vmsPerVault: { value: 100, source: cite(DOCS.limits2015, "100 IaaS VMs per vault") },
    crossRegionRestoreSupported: {
      value: false,
      source: cite(DOCS.vmBackupIntro2015, "Cross-region backup and restore is not supported"),
    },
  },
};

const current: LimitProfile = {
  name: "azure-2025",
  description: "Today's documented limits (Microsoft Learn, 2023-2025).",
  limits: {
    ...stackV2.limits,
    dataDisksPerVm: { value: 32, source: cite(DOCS.supportMatrixIaas, "VMs with up to 32 disks") },
    dataDisksPerUnmanagedVm: {
      value: 16,
      source: cite(DOCS.supportMatrixIaas, "unmanaged and classic VMs stay at 16 data disks"),
    },
    dataDisksPerVmWarnAbove: {
      value: 31,
      source: cite(DOCS.supportMatrixIaas, "up to 32 disks; the document does not say whether the OS disk counts"),
    },
    diskSizeGb: { value: 32767, source: cite(DOCS.supportMatrixIaas, "disks up to 32 TB (32,767 GiB)") },
    vmSizeGb: { value: 262144, source: cite(DOCS.supportMatrix, "256 TB combined size of all disks of a VM") },
    armVmsSupported: { value: true, source: DOCS.supportMatrixIaas },
    classicVmsSupported: { value: true, source: DOCS.supportMatrixIaas },
    premiumStorageSupported: {
      value: true,
      source: cite(DOCS.supportMatrixIaas, "Standard HDD, Standard SSD and Premium SSD are supported"),
    },
    minimumWindowsServer: {
      value: "2008",
      source: cite(DOCS.supportMatrixIaas, "Windows Server 2008 (64-bit) through 2022"),
    },
    vmsPerVault: { value: 1000, source: cite(DOCS.supportMatrix, "1,000 Azure VMs per vault") },
    crossRegionRestoreSupported: { value: true, source: cite(DOCS.createVault, "cross-region restore on GeoRedundant vaults") },
    vmsPerSchedule: {
      value: 100,
      source: `${SEED_SCHEDULE}; a retired best practice, absent from the page since ${DOCS.vmBackupAbout2019}`,
      severity: "warning",
    },
    unmanagedDisksPerStorageAccountPerSchedule: {
      value: 20,
      source: `${SEED_STORAGE_ACCOUNT}; ${cite(DOCS.vmBackupAbout2019, "if 5 to 10 disks or more are present on single storage account, balance the load")}`,
      severity: "warning",
    },
    vmsPerPolicy: {
      value: 100,
      source: cite(DOCS.vmBackupFaq, "a policy protects up to 100 VMs from the portal"),
      severity: "warning",
    },
  },
};

export const DEFAULT_PROFILE = stackV2.name;

/** The built-in limit profiles, by name. */
export const limitProfiles: Readonly<Record<string, LimitProfile>> = Object.freeze({
  [stackV2.name]: stackV2,
  [classic.name]: classic,
  [current.name]: current,
});
