/**
 * Protected-VM validation: the VM's id, region and subscription against its vault, its disks against
 * the profile's limits, disk types against the policy type, OS support, and selective disk backup.
 */
import type { DiskEncryptionArgs } from "./key-vault-access";
import { parseVmId, type VmId } from "./arm-id";
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";
import { readArray, readBoolean, readChoice, readNumber, readObject, readString } from "./input";
import { unsupportedOs } from "./os-support";
import type { PolicyArgs, PolicyType } from "./policy-types";
import { checkDisksForCrashConsistent, readSnapshotConsistency } from "./policy-tiering";
import { POLICY_TYPES } from "./policy-types";
import { isLocationName, normalizeLocation } from "./regions";
import { isKnown, isUnknownInput, Unknown, type MaybeUnknown } from "./unknown";

export const OS_TYPES = ["Windows", "Linux"] as const;
export type OsType = (typeof OS_TYPES)[number];

/** Disk storage types Azure VMs use (managed disk SKUs; unmanaged disks use their storage account's). */
export const STORAGE_TYPES = ["Standard_LRS", "StandardSSD_LRS", "StandardSSD_ZRS", "Premium_LRS", "Premium_ZRS", "PremiumV2_LRS", "UltraSSD_LRS"] as const;

/**
 * A VM's security type, `securityProfile.securityType` in Microsoft.Compute (a VM without a security profile is
 * "Standard"). Trusted Launch is the portal's default for new Gen2 VMs; Confidential VMs run in hardware TEEs.
 */
export const SECURITY_TYPES = ["Standard", "TrustedLaunch", "ConfidentialVM"] as const;
export type SecurityType = (typeof SECURITY_TYPES)[number];

/**
 * Regions where Azure Backup offers its Confidential VM backup preview. The sources disagree: the support matrix
 * (DOCS.supportMatrixIaas2026) lists these six; the include it shares with the Confidential VM backup page
 * (MicrosoftDocs/azure-docs includes/confidential-vm-backup-support-matrix.md @19d2e83) lists only UAE North and
 * Korea Central. The longer list is taken, so that no region Microsoft names is refused; the preview warning
 * says to check.
 */
export const CONFIDENTIAL_VM_BACKUP_REGIONS = ["uaenorth", "koreacentral", "switzerlandnorth", "westcentralus", "southafricanorth", "uksouth"] as const;

/** Disk types only the enhanced (V2) policy protects (the `vm/disk-needs-enhanced-policy` rule). */
export const ENHANCED_ONLY_STORAGE_TYPES = ["PremiumV2_LRS", "UltraSSD_LRS"] as const;

const MAX_LUN = 63;

export interface DiskArgs {
  sizeGb: number;
  /** Data actually written, GB; the protected-instance size counts this, not the disk size. */
  usedGb?: number;
  storageType?: string;
  /** Managed disk (default) or a VHD in a storage account. */
  managed?: boolean;
  /** Unmanaged disks: the storage account holding the VHD. */
  storageAccount?: string;
}

export interface DataDiskArgs extends DiskArgs {
  lun: number;
}

/** A VM as the rules see it: where it is and what disks it has (the temporary disk is never backed up). */
export interface VmArgs {
  id: string;
  location: string;
  osType?: OsType | string;
  /** Image URN or description, e.g. "MicrosoftWindowsServer:WindowsServer:2019-Datacenter:latest". */
  osImage?: string;
  osDisk: DiskArgs;
  dataDisks: DataDiskArgs[];
  /** `securityProfile.securityType` of the VM; absent means "Standard". */
  securityType?: SecurityType | string;
  /** Azure Disk Encryption (the OS disk's encryptionSettings), when the VM uses it: key-vault-access.ts. */
  diskEncryption?: DiskEncryptionArgs;
}

export interface ProtectedVmArgs {
  vm: VmArgs;
  vault: { name?: string; location: string; subscriptionId?: string; crossRegionRestore?: boolean };
  /** The policy protecting the VM (only its type matters here; validate it with `validatePolicy`). */
  policy?: PolicyArgs;
  /** Back up only these data disks (and the OS disk); `[]` means the OS disk only. */
  includeDiskLuns?: number[];
  /** Back up all data disks except these. */
  excludeDiskLuns?: number[];
}

export interface ParsedDisk {
  kind: "os" | "data";
  /** The data disk's LUN (undefined for the OS disk, or a data disk whose LUN is invalid). */
  lun: number | undefined;
  path: string;
  sizeGb: number | undefined;
  usedGb: number | undefined;
  storageType: string | undefined;
  managed: boolean;
  storageAccount: string | undefined;
  /** Whether selective disk backup includes it. */
  backedUp: boolean;
}

export interface ParsedVm {
  id: MaybeUnknown<string> | undefined;
  idParts: VmId | undefined;
  location: MaybeUnknown<string> | undefined;
  /** `Unknown` when the disk list is not known yet (preview). */
  disks: MaybeUnknown<ParsedDisk[]>;
  /** "Standard" when not given; undefined when the value is not a security type. */
  securityType: MaybeUnknown<SecurityType> | undefined;
}

export const VM_KEYS = ["id", "location", "osType", "osImage", "osDisk", "dataDisks", "securityType"] as const;
const DISK_KEYS = ["sizeGb", "usedGb", "storageType", "managed", "storageAccount"] as const;

export function validateProtectedVm(args: ProtectedVmArgs, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  const raw = readObject(ctx, args, "", ["vm", "vault", "policy", "includeDiskLuns", "excludeDiskLuns"], { what: "the protected VM" });
  if (raw === undefined || raw === Unknown) return ctx.diagnostics;
  const vm = checkVm(ctx.nested("vm"), raw.vm);
  applyDiskSelection(ctx, vm, { includeDiskLuns: raw.includeDiskLuns, excludeDiskLuns: raw.excludeDiskLuns }, "");
  const vault = readObject(ctx, raw.vault, "vault", ["name", "location", "subscriptionId", "crossRegionRestore"], { required: true, what: "the vault" });
  let crossRegionRestore: MaybeUnknown<boolean> | undefined;
  let vaultName: MaybeUnknown<string> | undefined;
  if (isKnown(vault)) {
    crossRegionRestore = readBoolean(ctx, vault.crossRegionRestore, "vault.crossRegionRestore", { what: "vault crossRegionRestore" });
    const location = readString(ctx, vault.location, "vault.location", { required: true, what: "vault location" });
    const subscriptionId = readString(ctx, vault.subscriptionId, "vault.subscriptionId", { what: "vault subscription id" });
    const name = readString(ctx, vault.name, "vault.name", { what: "vault name" });
    vaultName = name;
    checkPlacement(ctx, vm, { name: isKnown(name) ? name : undefined, location, subscriptionId }, "vm");
  }
  const policyType = readPolicyType(raw.policy);
  checkDiskTypesForPolicy(ctx.nested("vm"), vm, policyType, "policy.policyType");
  checkDisksForCrashConsistent(ctx.nested("vm"), vm, readSnapshotConsistency(raw.policy), "policy.snapshotConsistency");
  checkSecurityType(ctx.nested("vm"), vm, policyType, "policy.policyType", { crossRegionRestore, name: isKnown(vaultName) ? vaultName : undefined });
  return ctx.diagnostics;
}

/** The policy type from policy args without judging the rest of the policy (default V1). */
export function readPolicyType(policy: unknown): MaybeUnknown<PolicyType> | undefined {
  if (policy === undefined || policy === null) return "V1";
  if (isUnknownInput(policy) || typeof policy !== "object") return isUnknownInput(policy) ? Unknown : undefined;
  const value = (policy as Record<string, unknown>).policyType;
  if (value === undefined || value === null) return "V1";
  if (isUnknownInput(value)) return Unknown;
  return typeof value === "string" ? POLICY_TYPES.find((t) => t.toLowerCase() === value.toLowerCase()) : undefined;
}

export interface DiskSelection {
  includeDiskLuns?: unknown;
  excludeDiskLuns?: unknown;
}

/** Validates the VM itself: id, location, OS and disks against the profile's limits. */
export function checkVm(ctx: RuleContext, value: unknown, extraKeys: readonly string[] = []): ParsedVm {
  const raw = readObject(ctx, value, "", [...VM_KEYS, ...extraKeys], { required: true, what: "the VM" });
  if (raw === undefined || raw === Unknown) return { id: raw, idParts: undefined, location: raw, disks: Unknown, securityType: raw };

  const id = readString(ctx, raw.id, "id", {
    required: true,
    what: "VM id",
    remedy: "Give the VM's resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>.",
  });
  let idParts: VmId | undefined;
  if (isKnown(id)) {
    idParts = parseVmId(id);
    if (idParts === undefined) {
      ctx.report("vm/id", "id", `'${id}' is not the resource id of a virtual machine.`, {
        remedy: "Use /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>.",
      });
    } else if (idParts.kind === "arm" && !ctx.limit("armVmsSupported")) {
      ctx.report("vm/kind-unsupported", "id", `Azure Resource Manager VMs cannot be backed up under the '${ctx.limits.profile}' profile.`, {
        limit: "armVmsSupported",
        remedy: "Use the stack-v2-2018 or azure-2025 profile.",
      });
    } else if (idParts.kind === "classic" && !ctx.limit("classicVmsSupported")) {
      ctx.report("vm/kind-unsupported", "id", `Classic VMs cannot be backed up under the '${ctx.limits.profile}' profile.`, {
        limit: "classicVmsSupported",
      });
    }
  }

  const locationText = readString(ctx, raw.location, "location", { required: true, what: "VM location" });
  let location: MaybeUnknown<string> | undefined = locationText;
  if (isKnown(locationText)) {
    if (isLocationName(locationText)) location = normalizeLocation(locationText);
    else {
      ctx.report("vm/location-name", "location", `'${locationText}' is not an Azure region name.`, {
        remedy: "Use the VM's region name, e.g. 'westeurope'.",
      });
      location = undefined;
    }
  }

  readChoice(ctx, raw.osType, "osType", OS_TYPES, "vm/os-type", { what: "OS type" });
  const osImage = readString(ctx, raw.osImage, "osImage", { what: "OS image" });
  if (isKnown(osImage)) {
    for (const finding of unsupportedOs(osImage, ctx.limit("minimumWindowsServer"))) {
      ctx.report("vm/os-unsupported", "osImage", `${finding.reason} ('${osImage}'); backups of this VM may fail.`, {
        ...(finding.kind === "windows-server" ? { limit: "minimumWindowsServer" as const } : {}),
        remedy: "Upgrade the guest OS to a supported release before protecting the VM.",
      });
    }
  }

  const security = readChoice(ctx, raw.securityType, "securityType", SECURITY_TYPES, "vm/security-type", {
    what: "security type",
    remedy: `Use one of: ${SECURITY_TYPES.join(", ")} (the VM's securityProfile.securityType; leave it out for a standard VM).`,
  });
  const securityType = raw.securityType === undefined || raw.securityType === null ? "Standard" : security;

  const disks = checkDisks(ctx, raw);
  if (disks !== Unknown) checkDiskLimits(ctx, disks);
  return { id, idParts, location, disks, securityType };
}

function checkDisks(ctx: RuleContext, raw: Record<string, unknown>): MaybeUnknown<ParsedDisk[]> {
  const disks: ParsedDisk[] = [];
  const os = readDisk(ctx, raw.osDisk, "osDisk", undefined, true);
  if (os === Unknown) return Unknown;
  if (os !== undefined) disks.push(os);
  const list = readArray(ctx, raw.dataDisks, "dataDisks", { what: "dataDisks" });
  if (list === Unknown) return Unknown;
  const luns = new Set<number>();
  for (const [i, entry] of (list ?? []).entries()) {
    const path = joinPath("dataDisks", i);
    const diskRaw = readObject(ctx, entry, path, [...DISK_KEYS, "lun"], { what: `data disk ${i}` });
    if (diskRaw === Unknown) return Unknown;
    if (diskRaw === undefined) continue;
    const lun = readNumber(ctx, diskRaw.lun, joinPath(path, "lun"), { required: true, integer: true, what: "LUN" });
    if (lun === Unknown) return Unknown;
    let lunValue: number | undefined;
    if (lun !== undefined) {
      if (lun < 0 || lun > MAX_LUN) {
        ctx.report("vm/disk-lun", joinPath(path, "lun"), `LUN ${lun} is out of range; data disks use LUNs 0 to ${MAX_LUN}.`);
      } else if (luns.has(lun)) {
        ctx.report("vm/disk-lun", joinPath(path, "lun"), `LUN ${lun} is used by two data disks.`, { remedy: "Give each data disk its own LUN." });
      } else {
        luns.add(lun);
        lunValue = lun;
      }
    }
    const disk = readDisk(ctx, diskRaw, path, lunValue, false);
    if (disk === Unknown) return Unknown;
    if (disk !== undefined) disks.push(disk);
  }
  return disks;
}

function readDisk(ctx: RuleContext, value: unknown, path: string, lun: number | undefined, isOs: boolean): MaybeUnknown<ParsedDisk> | undefined {
  const raw = isOs ? readObject(ctx, value, path, DISK_KEYS, { required: true, what: "the OS disk" }) : (value as Record<string, unknown>);
  if (raw === undefined || raw === Unknown) return raw;
  const label = isOs ? "the OS disk" : `data disk LUN ${lun ?? "?"}`;
  const sizeGb = readNumber(ctx, raw.sizeGb, joinPath(path, "sizeGb"), { required: true, what: `size of ${label} (GB)` });
  const usedGb = readNumber(ctx, raw.usedGb, joinPath(path, "usedGb"), { what: `used data on ${label} (GB)` });
  const storageTypeText = readString(ctx, raw.storageType, joinPath(path, "storageType"), { what: "storage type" });
  const managed = readBoolean(ctx, raw.managed, joinPath(path, "managed"), { what: "managed" });
  const storageAccount = readString(ctx, raw.storageAccount, joinPath(path, "storageAccount"), { what: "storage account" });
  if ([sizeGb, usedGb, storageTypeText, managed, storageAccount].includes(Unknown)) return Unknown;
  const size = sizeGb as number | undefined;
  const used = usedGb as number | undefined;
  if (size !== undefined && size <= 0) {
    ctx.report("vm/disk-size-value", joinPath(path, "sizeGb"), `The size of ${label} must be more than 0 GB; got ${size}.`);
  }
  if (used !== undefined && (used < 0 || (size !== undefined && used > size))) {
    ctx.report("vm/disk-size-value", joinPath(path, "usedGb"), `Used data on ${label} (${used} GB) must be between 0 and the disk size (${size ?? "?"} GB).`);
  }
  let storageType = storageTypeText as string | undefined;
  if (storageType !== undefined) {
    const known = STORAGE_TYPES.find((t) => t.toLowerCase() === storageType!.toLowerCase());
    if (known === undefined) {
      ctx.report("vm/storage-type", joinPath(path, "storageType"), `'${storageType}' is not a known disk storage type; rules that depend on it are skipped.`, {
        remedy: `Use one of: ${STORAGE_TYPES.join(", ")}.`,
      });
    } else storageType = known;
  }
  const isManaged = (managed as boolean | undefined) ?? storageAccount === undefined;
  return {
    kind: isOs ? "os" : "data",
    lun,
    path,
    sizeGb: size !== undefined && size > 0 ? size : undefined,
    usedGb: used !== undefined && used >= 0 && (size === undefined || used <= size) ? used : undefined,
    storageType,
    managed: isManaged,
    storageAccount: storageAccount as string | undefined,
    backedUp: true,
  };
}

/**
 * Selective disk backup: include or exclude data-disk LUNs (the OS disk is always backed up). Marks
 * each disk's `backedUp`; `base` is where the two lists live in the context's input.
 */
export function applyDiskSelection(ctx: RuleContext, vm: ParsedVm, selection: DiskSelection, base: string): void {
  const disks = vm.disks;
  const includePath = joinPath(base, "includeDiskLuns");
  const excludePath = joinPath(base, "excludeDiskLuns");
  const include = readLuns(ctx, selection.includeDiskLuns, includePath);
  const exclude = readLuns(ctx, selection.excludeDiskLuns, excludePath);
  if (include === Unknown || exclude === Unknown || disks === Unknown) return;
  if (include !== undefined && exclude !== undefined) {
    ctx.report("vm/disk-luns-conflict", excludePath, "Give includeDiskLuns or excludeDiskLuns, not both.", {
      remedy: "Keep the list that is shorter to read; the other is implied.",
    });
    return;
  }
  const attached = new Set(disks.filter((d) => d.lun !== undefined).map((d) => d.lun as number));
  const chosen = include ?? exclude;
  const chosenPath = include !== undefined ? includePath : excludePath;
  (chosen ?? []).forEach((lun, i) => {
    if (!attached.has(lun)) {
      ctx.report(
        "vm/disk-lun-unknown",
        joinPath(chosenPath, i),
        `LUN ${lun} is not a data disk of this VM (its data disks are at LUN ${[...attached].sort((a, b) => a - b).join(", ") || "none"}).`,
        {
          remedy: "List only LUNs of attached data disks.",
        },
      );
    }
  });
  for (const disk of disks) {
    if (disk.lun === undefined) continue;
    if (include !== undefined) disk.backedUp = include.includes(disk.lun);
    if (exclude !== undefined) disk.backedUp = !exclude.includes(disk.lun);
  }
}

function readLuns(ctx: RuleContext, value: unknown, path: string): MaybeUnknown<number[]> | undefined {
  const list = readArray(ctx, value, path, { what: path });
  if (!isKnown(list)) return list;
  const luns: number[] = [];
  for (const [i, entry] of list.entries()) {
    const lun = readNumber(ctx, entry, joinPath(path, i), { integer: true, what: "a LUN" });
    if (lun === Unknown) return Unknown;
    if (lun === undefined) continue;
    if (lun < 0 || lun > MAX_LUN) ctx.report("vm/disk-lun", joinPath(path, i), `LUN ${lun} is out of range; data disks use LUNs 0 to ${MAX_LUN}.`);
    else if (luns.includes(lun)) ctx.report("input/duplicate", joinPath(path, i), `LUN ${lun} is listed twice.`);
    else luns.push(lun);
  }
  return luns;
}

function checkDiskLimits(ctx: RuleContext, disks: ParsedDisk[]): void {
  const dataDisks = disks.filter((d) => d.kind === "data");
  const unmanaged = disks.filter((d) => !d.managed);
  if (unmanaged.length > 0 && unmanaged.length < disks.length) {
    ctx.report("vm/mixed-disks", unmanaged[0]!.path, "This VM mixes managed and unmanaged disks, which Azure VMs cannot do.", {
      remedy: "Describe every disk as managed, or every disk with its storage account.",
    });
  }
  const isUnmanagedVm = unmanaged.length > 0 && unmanaged.length === disks.length;
  const countKey = isUnmanagedVm ? "dataDisksPerUnmanagedVm" : "dataDisksPerVm";
  const max = ctx.limit(countKey);
  const kind = isUnmanagedVm ? "an unmanaged-disk VM" : "a VM";
  if (dataDisks.length > max) {
    ctx.report("vm/data-disk-count", joinPath("dataDisks", max), `This VM has ${dataDisks.length} data disks; backup supports at most ${max} on ${kind}.`, {
      limit: countKey,
      remedy: `Detach ${dataDisks.length - max} data disk(s), or raise limits.${countKey} if your Azure backup supports more (the azure-2025 profile allows 32 on managed-disk VMs).`,
    });
  } else {
    // The doubt is about the documented limit; a user's override of it settles the question.
    const warnAbove = ctx.limit("dataDisksPerVmWarnAbove");
    const documented = ctx.limits.get("dataDisksPerVm").profile !== "override";
    if (!isUnmanagedVm && documented && warnAbove !== null && dataDisks.length > warnAbove) {
      ctx.report(
        "vm/data-disk-count-boundary",
        "dataDisks",
        `This VM has ${dataDisks.length} data disks, at the documented limit of ${max} disks; the documentation does not say whether the OS disk counts.`,
        { limit: "dataDisksPerVmWarnAbove", remedy: `Keep at most ${warnAbove} data disks to be safe.` },
      );
    }
  }
  const maxSize = ctx.limit("diskSizeGb");
  for (const disk of disks) {
    if (disk.sizeGb !== undefined && disk.sizeGb > maxSize) {
      ctx.report("vm/disk-size", joinPath(disk.path, "sizeGb"), `${diskLabel(disk)} is ${disk.sizeGb} GB; backup supports disks up to ${maxSize} GB.`, {
        limit: "diskSizeGb",
        remedy: "Split the data over smaller disks, or exclude this disk from backup.",
      });
    }
  }
  const vmMax = ctx.limit("vmSizeGb");
  const total = disks.reduce((sum, d) => sum + (d.sizeGb ?? 0), 0);
  if (vmMax !== null && total > vmMax) {
    ctx.report("vm/vm-size", "dataDisks", `This VM's disks total ${total} GB; backup supports at most ${vmMax} GB per VM.`, {
      limit: "vmSizeGb",
      remedy: "Exclude disks from backup or move data to another VM.",
    });
  }
  if (!ctx.limit("premiumStorageSupported")) {
    for (const disk of disks) {
      if (disk.storageType !== undefined && /^(premium|ultra)/i.test(disk.storageType)) {
        ctx.report(
          "vm/premium-unsupported",
          joinPath(disk.path, "storageType"),
          `${diskLabel(disk)} is on ${disk.storageType} storage, which cannot be backed up under the '${ctx.limits.profile}' profile.`,
          {
            limit: "premiumStorageSupported",
            remedy: "Move the disk to standard storage, or use the stack-v2-2018 or azure-2025 profile.",
          },
        );
      }
    }
  }
  for (const disk of unmanaged) {
    if (disk.storageAccount === undefined) {
      ctx.report(
        "vm/storage-account-missing",
        joinPath(disk.path, "storageAccount"),
        `${diskLabel(disk)} is unmanaged but has no storageAccount, so the per-storage-account schedule rule cannot count it.`,
      );
    }
  }
}

export function diskLabel(disk: ParsedDisk): string {
  if (disk.kind === "os") return "The OS disk";
  return disk.lun === undefined ? "A data disk" : `Data disk LUN ${disk.lun}`;
}

/** Vault and VM must share a region and a subscription. */
export function checkPlacement(
  ctx: RuleContext,
  vm: ParsedVm,
  vault: { name?: string | undefined; location: MaybeUnknown<string> | undefined; subscriptionId: MaybeUnknown<string> | undefined },
  vmPath: string,
): void {
  const vaultName = vault.name === undefined ? "the vault" : `vault '${vault.name}'`;
  if (isKnown(vm.location) && isKnown(vault.location) && isLocationName(vault.location)) {
    const vaultLocation = normalizeLocation(vault.location);
    if (vm.location !== vaultLocation) {
      ctx.report(
        "vm/location",
        joinPath(vmPath, "location"),
        `The VM is in ${vm.location} but ${vaultName} is in ${vaultLocation}; a vault protects VMs in its own region only.`,
        {
          remedy: `Protect this VM with a vault in ${vm.location}.`,
        },
      );
    }
  }
  if (vm.idParts !== undefined && isKnown(vault.subscriptionId) && vm.idParts.subscriptionId.toLowerCase() !== vault.subscriptionId.toLowerCase()) {
    ctx.report(
      "vm/subscription",
      joinPath(vmPath, "id"),
      `The VM is in subscription ${vm.idParts.subscriptionId} but ${vaultName} is in ${vault.subscriptionId}: cross-subscription backup, which Azure's 2026 clients support for VMs in the vault's region but Microsoft's documentation still calls unsupported; its conditions (same tenant, the Microsoft.RecoveryServices provider registered in the VM's subscription, as for Azure Files) are not documented for VMs and cannot be checked here.`,
      { remedy: `Check that your subscriptions allow it, or protect this VM with a vault in subscription ${vm.idParts.subscriptionId}.` },
    );
  }
}

/** Premium SSD v2 and Ultra disks need an enhanced (V2) policy. */
export function checkDiskTypesForPolicy(ctx: RuleContext, vm: ParsedVm, policyType: MaybeUnknown<PolicyType> | undefined, policyPath: string): void {
  if (policyType !== "V1" || !isKnown(vm.disks)) return;
  for (const disk of vm.disks) {
    if (disk.storageType !== undefined && (ENHANCED_ONLY_STORAGE_TYPES as readonly string[]).includes(disk.storageType)) {
      ctx.report(
        "vm/disk-needs-enhanced-policy",
        joinPath(disk.path, "storageType"),
        `${diskLabel(disk)} is ${disk.storageType}; only an enhanced (V2) policy can protect this VM, and its policy is standard (V1).`,
        { remedy: `Protect the VM with a policy whose policyType is "V2" (${policyPath}).` },
      );
    }
  }
}

/** The vault's cross-region restore setting, where it is known. */
export interface VaultRestoreSetting {
  name?: string | undefined;
  crossRegionRestore: MaybeUnknown<boolean> | undefined;
}

/**
 * The rules of a VM's security type, the same in every profile (they are today's service's behaviour, not
 * limits). Trusted Launch: supported on either policy type; on a standard (V1) policy only through backup
 * REST API 2025-01-01 and later, which this package calls, so that is a note on cost. Confidential VM: an
 * enhanced (V2) policy, a region of the preview, and no cross-region restore.
 */
export function checkSecurityType(
  ctx: RuleContext,
  vm: ParsedVm,
  policyType: MaybeUnknown<PolicyType> | undefined,
  policyPath: string,
  vault?: VaultRestoreSetting,
): void {
  if (vm.securityType === "TrustedLaunch" && policyType === "V1") {
    ctx.report(
      "vm/trusted-launch-standard-policy",
      "securityType",
      "This Trusted Launch VM is protected with a standard (V1) policy: Azure accepts that through the backup REST API 2025-01-01 and later (which this package calls); its instant-restore snapshots are managed-disk snapshots, billed as an enhanced policy's.",
      {
        remedy: `Nothing to do; an enhanced (V2) policy (${policyPath}) adds backups every 4 to 12 hours and up to 30 days of snapshots for the same snapshot cost.`,
      },
    );
  }
  if (vm.securityType !== "ConfidentialVM") return;
  ctx.report(
    "vm/confidential-preview",
    "securityType",
    "Azure Backup of Confidential VMs is a preview: it protects DC v6-series VMs with confidential OS disk encryption, once the subscription has registered the Microsoft.Compute feature RestorePointSupportForConfidentialVMV2; Microsoft does not recommend it for production.",
    {
      remedy:
        "Register-AzProviderFeature -FeatureName RestorePointSupportForConfidentialVMV2 -ProviderNamespace Microsoft.Compute (auto-approved), and check the VM's size against the support matrix.",
    },
  );
  if (policyType === "V1") {
    ctx.report(
      "vm/confidential-needs-enhanced-policy",
      "securityType",
      "This is a Confidential VM; only an enhanced (V2) policy can protect it, and its policy is standard (V1).",
      {
        remedy: `Protect the VM with a policy whose policyType is "V2" (${policyPath}).`,
      },
    );
  }
  if (isKnown(vm.location) && !(CONFIDENTIAL_VM_BACKUP_REGIONS as readonly string[]).includes(vm.location)) {
    ctx.report(
      "vm/confidential-region",
      "location",
      `This Confidential VM is in ${vm.location}; Azure Backup protects Confidential VMs only in ${CONFIDENTIAL_VM_BACKUP_REGIONS.join(", ")}.`,
      { remedy: "Back the VM up another way (for example VM restore points), or run it in one of those regions." },
    );
  }
  if (vault !== undefined && vault.crossRegionRestore === true) {
    ctx.report(
      "vm/confidential-cross-region-restore",
      "securityType",
      `${vault.name === undefined ? "The vault" : `Vault '${vault.name}'`} has cross-region restore on, but a Confidential VM's backups cannot be restored to the paired region; this VM can be restored in its own region only.`,
      { remedy: "Keep a copy in another region by other means if you need one." },
    );
  }
}
