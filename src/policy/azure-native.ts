/**
 * `@pulumi/azure-native`'s resources as the rules take them: a `recoveryservices.Vault`, `ProtectionPolicy` or
 * `ProtectedItem` and a `compute.VirtualMachine`, from the properties the analyzer receives (the resource's inputs,
 * or its outputs in a stack analysis) into `VaultArgs`, `PolicyArgs` and `VmArgs`.
 *
 * The properties have ARM's shape, as azure-native 3.x declares them (node_modules/@pulumi/azure-native/types/input.d.ts,
 * namespace recoveryservices: VaultProperties, AzureIaaSVMProtectionPolicy with SimpleSchedulePolicy /
 * SimpleSchedulePolicyV2 and LongTermRetentionPolicy, AzureIaaSComputeVMProtectedItem), the Backup REST API's
 * (specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/bms.json).
 * Values are converted, never judged or defaulted here: a wrong value reaches the rules as written, so that they report
 * it with the code, message and source the components report. A value not known yet (a preview) is the rules'
 * UNKNOWN_SENTINEL, and the rules skip what needs it.
 */
import {
  parseContainerName,
  parseItemName,
  parsePolicyId,
  parseVmId,
  UNKNOWN_SENTINEL,
  type ContainerVm,
  type PolicyArgs,
  type PolicyRef,
  type VaultArgs,
  type VmId,
} from "../rules";

type Props = Record<string, unknown>;

/** The type tokens, with or without an API-version module (`azure-native:recoveryservices/v20240401:Vault`). */
const TYPE = (module: string, resource: string) => new RegExp(`^azure-native:${module}(/v[0-9a-z]+)?:${resource}$`);
export const AZURE_NATIVE_TYPES = {
  vault: TYPE("recoveryservices", "Vault"),
  policy: TYPE("recoveryservices", "ProtectionPolicy"),
  protectedItem: TYPE("recoveryservices", "ProtectedItem"),
  vm: TYPE("compute", "VirtualMachine"),
} as const;
export type AzureNativeKind = keyof typeof AZURE_NATIVE_TYPES;

/** The kind of a resource type token, or undefined for any other resource. */
export function kindOf(type: string): AzureNativeKind | undefined {
  return (Object.keys(AZURE_NATIVE_TYPES) as AzureNativeKind[]).find((k) => AZURE_NATIVE_TYPES[k].test(type));
}

const U = UNKNOWN_SENTINEL;
const isUnknown = (v: unknown): boolean => v === U;

/** A nested object, or U when it is unknown, or undefined when absent (or not an object). */
function obj(v: unknown): Props | typeof U | undefined {
  if (isUnknown(v)) return U;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props) : undefined;
}

/** A property of a nested object that may be unknown. */
function at(v: Props | typeof U | undefined, key: string): unknown {
  if (v === U) return U;
  return v?.[key];
}

/** Copies the given entries (undefined ones left out), so that the rules see only what the program wrote. */
function compact(entries: Record<string, unknown>): Props {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

/** ARM's "Enabled"/"Disabled" as the rules' boolean; any other value goes through as written (the rules refuse it). */
function enabled(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim().toLowerCase();
  return t === "enabled" ? true : t === "disabled" ? false : v;
}

/**
 * The time of day of an ARM date-time ("2026-01-01T22:15:00Z" -> "22:15"): the Backup API keeps only the time of day of
 * scheduleRunTimes and reads it in the policy's timeZone (bms.json SimpleSchedulePolicy.scheduleRunTimes; the same
 * reading as src/azure/policy-body.ts). The clock time is taken as written, offset aside. Seconds other than :00 are
 * kept ("22:15:30"), so that the rules refuse the time (policy/time-format); text that is not a date-time goes through
 * as written.
 */
export function timeOfDay(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const m = /^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?/i.exec(v.trim());
  if (m === null) return v;
  return m[3] === undefined || m[3] === "00" ? `${m[1]}:${m[2]}` : `${m[1]}:${m[2]}:${m[3]}`;
}

function first(list: unknown): unknown {
  if (isUnknown(list)) return U;
  return Array.isArray(list) ? list[0] : list;
}

// ---- Vault ----------------------------------------------------------------------------------------------------

/**
 * A `recoveryservices.Vault` as `VaultArgs` (VaultProperties of the Recovery Services vaults API): redundancySettings,
 * securitySettings (softDeleteSettings, immutabilitySettings), publicNetworkAccess, encryption, monitoringSettings,
 * restoreSettings, and the resource's identity. `resourceName` names it when `vaultName` is not given (azure-native
 * then names it after the resource). An absent location is the resource group's, which the analyzer does not see:
 * unknown.
 */
export function vaultArgsOf(props: Props, resourceName: string): VaultArgs {
  const p = obj(props.properties);
  const redundancy = obj(at(p, "redundancySettings"));
  const security = obj(at(p, "securitySettings"));
  const softDelete = obj(at(security, "softDeleteSettings"));
  const encryption = obj(at(p, "encryption"));
  const monitoring = obj(at(p, "monitoringSettings"));
  const identity = obj(props.identity);
  const args = compact({
    name: props.vaultName ?? resourceName,
    location: props.location ?? U,
    redundancy: at(redundancy, "standardTierStorageRedundancy"),
    crossRegionRestore: enabled(at(redundancy, "crossRegionRestore")),
    softDelete:
      softDelete === U
        ? U
        : softDelete === undefined
          ? undefined
          : compact({ state: softDelete.softDeleteState, retentionDays: softDelete.softDeleteRetentionPeriodInDays }),
    immutability: at(obj(at(security, "immutabilitySettings")), "state"),
    publicNetworkAccess: at(p, "publicNetworkAccess"),
    identity: identity === U ? U : identity === undefined ? undefined : identityOf(identity),
    encryption: encryption === U ? U : encryption === undefined ? undefined : encryptionOf(encryption),
    monitoring:
      monitoring === U
        ? U
        : monitoring === undefined
          ? undefined
          : compact({
              jobFailureAlerts: enabled(at(obj(monitoring.azureMonitorAlertSettings), "alertsForAllJobFailures")),
              classicAlerts: enabled(at(obj(monitoring.classicAlertSettings), "alertsForCriticalOperations")),
            }),
    crossSubscriptionRestore: at(obj(at(obj(at(p, "restoreSettings")), "crossSubscriptionRestoreSettings")), "crossSubscriptionRestoreState"),
  });
  return args as unknown as VaultArgs;
}

/** IdentityData: type "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned" or "None"; azure-native lists the user-assigned ids. */
function identityOf(identity: Props): unknown {
  const type = identity.type;
  if (isUnknown(type)) return U;
  const users = identity.userAssignedIdentities;
  const ids = isUnknown(users) ? U : Array.isArray(users) ? users : users !== null && typeof users === "object" ? Object.keys(users) : [];
  return { systemAssigned: typeof type === "string" && /systemassigned/i.test(type), userAssignedIdentityIds: ids };
}

/** VaultPropertiesEncryption: keyVaultProperties.keyUri, kekIdentity (system-assigned or a user-assigned identity), infrastructureEncryption. */
function encryptionOf(encryption: Props): unknown {
  const kek = obj(encryption.kekIdentity);
  const useSystem = at(kek, "useSystemAssignedIdentity");
  return compact({
    keyId: at(obj(encryption.keyVaultProperties), "keyUri"),
    userAssignedIdentityId: useSystem === true ? undefined : at(kek, "userAssignedIdentity"),
    infrastructureEncryption: enabled(encryption.infrastructureEncryption),
  });
}

// ---- ProtectionPolicy ---------------------------------------------------------------------------------------------

/** A policy of another workload (file shares, SQL, ...): not the rules' business. */
export interface NotVmPolicy {
  notApplicable: string;
}

/**
 * A `recoveryservices.ProtectionPolicy` of Azure VMs (`properties.backupManagementType` "AzureIaasVM") as `PolicyArgs`:
 * policyType, timeZone, schedulePolicy (SimpleSchedulePolicy: scheduleRunFrequency, scheduleRunTimes, scheduleRunDays,
 * hourlySchedule; SimpleSchedulePolicyV2: dailySchedule, weeklySchedule, hourlySchedule), retentionPolicy
 * (LongTermRetentionPolicy), instantRpRetentionRangeInDays, instantRPDetails, tieringPolicy["ArchivedRP"] and
 * snapshotConsistencyType.
 */
export function policyArgsOf(props: Props, resourceName: string): PolicyArgs | NotVmPolicy {
  const p = obj(props.properties);
  const name = props.policyName ?? resourceName;
  if (p === U) return { name, schedule: U, retention: U } as unknown as PolicyArgs;
  const type = p?.backupManagementType;
  if (p === undefined || typeof type !== "string" || type.toLowerCase() !== "azureiaasvm") {
    return { notApplicable: `not an Azure VM backup policy (backupManagementType ${JSON.stringify(type ?? null)})` };
  }
  const details = obj(p.instantRPDetails);
  const tiering = obj(at(obj(p.tieringPolicy), "ArchivedRP"));
  const args = compact({
    name,
    policyType: p.policyType,
    timeZone: p.timeZone,
    schedule: scheduleOf(p.schedulePolicy),
    instantRestoreRetentionDays: p.instantRpRetentionRangeInDays,
    retention: retentionOf(p.retentionPolicy),
    instantRestoreResourceGroup:
      details === U ? U : details === undefined ? undefined : compact({ prefix: details.azureBackupRGNamePrefix, suffix: details.azureBackupRGNameSuffix }),
    tiering:
      tiering === U
        ? U
        : tiering === undefined
          ? undefined
          : compact({ mode: tiering.tieringMode, duration: tiering.duration, durationType: tiering.durationType }),
    snapshotConsistency: p.snapshotConsistencyType,
  });
  return args as unknown as PolicyArgs;
}

export function isVmPolicy(args: PolicyArgs | NotVmPolicy): args is PolicyArgs {
  return !("notApplicable" in args);
}

function scheduleOf(value: unknown): unknown {
  const s = obj(value);
  if (s === U || s === undefined) return s;
  const hourly = obj(s.hourlySchedule);
  const daily = obj(s.dailySchedule);
  const weekly = obj(s.weeklySchedule);
  const frequency = s.scheduleRunFrequency;
  const runTimes = s.scheduleRunTimes ?? at(daily, "scheduleRunTimes") ?? at(weekly, "scheduleRunTimes");
  const isHourly = typeof frequency === "string" && frequency.toLowerCase() === "hourly";
  const weekdays = s.scheduleRunDays ?? at(weekly, "scheduleRunDays");
  return compact({
    frequency,
    time: timeOfDay(isHourly ? at(hourly, "scheduleWindowStartTime") : first(runTimes)),
    weekdays,
    hourInterval: at(hourly, "interval"),
    hourWindow: at(hourly, "scheduleWindowDuration"),
  });
}

const countOf = (block: Props): unknown => at(obj(block.retentionDuration), "count");

function retentionOf(value: unknown): unknown {
  const r = obj(value);
  if (r === U || r === undefined) return r;
  const daily = obj(r.dailySchedule);
  const weekly = obj(r.weeklySchedule);
  const monthly = obj(r.monthlySchedule);
  const yearly = obj(r.yearlySchedule);
  return compact({
    daily: daily === U ? U : daily === undefined ? undefined : { count: countOf(daily) },
    weekly: weekly === U ? U : weekly === undefined ? undefined : compact({ count: countOf(weekly), weekdays: weekly.daysOfTheWeek }),
    monthly: monthly === U ? U : monthly === undefined ? undefined : longTermOf(monthly),
    yearly: yearly === U ? U : yearly === undefined ? undefined : { ...longTermOf(yearly), ...compact({ months: yearly.monthsOfYear }) },
  });
}

/** A monthly or yearly block: "Weekly" format (weekdays of given weeks) or "Daily" format (days of the month, isLast for the last day). */
function longTermOf(block: Props): Props {
  const format = block.retentionScheduleFormatType;
  const byDay = typeof format === "string" && format.toLowerCase() === "daily";
  if (byDay) {
    const days = at(obj(block.retentionScheduleDaily), "daysOfTheMonth");
    if (isUnknown(days)) return { count: countOf(block), days: U };
    const list = Array.isArray(days) ? (days as unknown[]).map((d) => obj(d)) : [];
    const last = list.some((d) => d !== U && d?.isLast === true);
    const dates = list.filter((d) => d === U || d?.isLast !== true).map((d) => (d === U ? U : d?.date));
    return compact({ count: countOf(block), days: dates, includeLastDays: last ? true : undefined });
  }
  const weekly = obj(block.retentionScheduleWeekly);
  return compact({ count: countOf(block), weekdays: at(weekly, "daysOfTheWeek"), weeks: at(weekly, "weeksOfTheMonth") });
}

// ---- ProtectedItem ----------------------------------------------------------------------------------------------

/** What a `recoveryservices.ProtectedItem` of an Azure VM says about the VM it protects, its vault and its policy. */
export interface ProtectedItemFacts {
  /** The vault it is in (`vaultName`), unknown in a preview when the vault's name is an output. */
  vaultName: unknown;
  resourceGroupName: unknown;
  /** properties.sourceResourceId: the VM's id, as written (U when unknown). */
  sourceResourceId: unknown;
  /** The VM the id names. */
  vm: VmId | undefined;
  /** The VM the container's or the item's name names (`iaasvmcontainer;iaasvmcontainerv2;rg;vm`, `vm;iaasvmcontainerv2;rg;vm`). */
  namedVm: ContainerVm | undefined;
  /** properties.policyId, as written (U when unknown). */
  policyId: unknown;
  policy: PolicyRef | undefined;
}

/** Types of protected item that are Azure VMs (AzureIaaSComputeVMProtectedItem, AzureIaaSClassicComputeVMProtectedItem, AzureIaaSVMProtectedItem). */
const VM_ITEM_TYPES = new Set(["microsoft.compute/virtualmachines", "microsoft.classiccompute/virtualmachines", "azureiaasvmprotecteditem"]);

export function protectedItemOf(props: Props): ProtectedItemFacts | NotVmPolicy {
  const p = obj(props.properties);
  const itemType = at(p, "protectedItemType");
  if (p !== U && !isUnknown(itemType) && (typeof itemType !== "string" || !VM_ITEM_TYPES.has(itemType.toLowerCase()))) {
    return { notApplicable: `not an Azure VM protected item (protectedItemType ${JSON.stringify(itemType ?? null)})` };
  }
  const sourceResourceId = at(p, "sourceResourceId");
  const policyId = at(p, "policyId");
  const text = (v: unknown): string | undefined => (typeof v === "string" && v !== U ? v : undefined);
  const sourceText = text(sourceResourceId);
  const policyText = text(policyId);
  const itemName = text(props.protectedItemName);
  const containerName = text(props.containerName);
  return {
    vaultName: props.vaultName,
    resourceGroupName: props.resourceGroupName,
    sourceResourceId: sourceResourceId ?? (p === U ? U : undefined),
    vm: sourceText === undefined ? undefined : parseVmId(sourceText),
    namedVm: (itemName === undefined ? undefined : parseItemName(itemName)) ?? (containerName === undefined ? undefined : parseContainerName(containerName)),
    policyId: policyId ?? (p === U ? U : undefined),
    policy: policyText === undefined ? undefined : parsePolicyId(policyText),
  };
}

export function isVmItem(facts: ProtectedItemFacts | NotVmPolicy): facts is ProtectedItemFacts {
  return !("notApplicable" in facts);
}

// ---- VirtualMachine ---------------------------------------------------------------------------------------------

/** What identifies a `compute.VirtualMachine` of the stack: its id when the analyzer has it, else its group and name. */
export interface VmIdentity {
  id: string | undefined;
  resourceGroup: string | undefined;
  name: string | undefined;
}

export function vmIdentityOf(props: Props): VmIdentity {
  const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && v !== U ? v : undefined);
  const id = text(props.id);
  const parsed = id === undefined ? undefined : parseVmId(id);
  return {
    id,
    resourceGroup: text(props.resourceGroupName) ?? parsed?.resourceGroup,
    name: text(props.vmName) ?? text(props.name) ?? parsed?.name,
  };
}

// ---- Where a diagnostic points in the resource ----------------------------------------------------------------------

/** The rules' input paths (by prefix) and the azure-native properties they are read from. */
const PROPERTIES: Partial<Record<AzureNativeKind, ReadonlyArray<readonly [string, string]>>> = {
  vault: [
    ["name", "vaultName"],
    ["location", "location"],
    ["redundancy", "properties.redundancySettings.standardTierStorageRedundancy"],
    ["crossRegionRestore", "properties.redundancySettings.crossRegionRestore"],
    ["softDelete.state", "properties.securitySettings.softDeleteSettings.softDeleteState"],
    ["softDelete.retentionDays", "properties.securitySettings.softDeleteSettings.softDeleteRetentionPeriodInDays"],
    ["softDelete", "properties.securitySettings.softDeleteSettings"],
    ["immutability", "properties.securitySettings.immutabilitySettings.state"],
    ["publicNetworkAccess", "properties.publicNetworkAccess"],
    ["identity", "identity"],
    ["encryption.keyId", "properties.encryption.keyVaultProperties.keyUri"],
    ["encryption.userAssignedIdentityId", "properties.encryption.kekIdentity.userAssignedIdentity"],
    ["encryption.infrastructureEncryption", "properties.encryption.infrastructureEncryption"],
    ["encryption", "properties.encryption"],
    ["monitoring.jobFailureAlerts", "properties.monitoringSettings.azureMonitorAlertSettings.alertsForAllJobFailures"],
    ["monitoring.classicAlerts", "properties.monitoringSettings.classicAlertSettings.alertsForCriticalOperations"],
    ["monitoring", "properties.monitoringSettings"],
    ["crossSubscriptionRestore", "properties.restoreSettings.crossSubscriptionRestoreSettings.crossSubscriptionRestoreState"],
  ],
  policy: [
    ["name", "policyName"],
    ["policyType", "properties.policyType"],
    ["timeZone", "properties.timeZone"],
    ["schedule.frequency", "properties.schedulePolicy.scheduleRunFrequency"],
    ["schedule.weekdays", "properties.schedulePolicy.scheduleRunDays"],
    ["schedule.hourInterval", "properties.schedulePolicy.hourlySchedule.interval"],
    ["schedule.hourWindow", "properties.schedulePolicy.hourlySchedule.scheduleWindowDuration"],
    ["schedule", "properties.schedulePolicy"],
    ["retention.daily", "properties.retentionPolicy.dailySchedule"],
    ["retention.weekly", "properties.retentionPolicy.weeklySchedule"],
    ["retention.monthly", "properties.retentionPolicy.monthlySchedule"],
    ["retention.yearly", "properties.retentionPolicy.yearlySchedule"],
    ["retention", "properties.retentionPolicy"],
    ["instantRestoreRetentionDays", "properties.instantRpRetentionRangeInDays"],
    ["instantRestoreResourceGroup", "properties.instantRPDetails"],
    ["tiering", "properties.tieringPolicy.ArchivedRP"],
    ["snapshotConsistency", "properties.snapshotConsistencyType"],
  ],
  protectedItem: [
    ["vm.id", "properties.sourceResourceId"],
    ["vms[0].policy", "properties.policyId"],
    ["policy", "properties.policyId"],
    ["vault", "vaultName"],
  ],
};

/**
 * The azure-native property a diagnostic's input path comes from (`schedule.time` of a ProtectionPolicy:
 * `properties.schedulePolicy`, where its run time is), or undefined when the path is the whole resource or not one of
 * its properties.
 */
export function propertyOf(kind: AzureNativeKind, path: string): string | undefined {
  if (path === "") return undefined;
  const found = PROPERTIES[kind]?.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
  return found?.[1];
}
