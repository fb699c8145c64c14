/**
 * Rules about changing what already exists in Azure: a vault's region and storage once it holds backups,
 * settings that cannot be undone, a policy's type, and what an immutable vault refuses (retention that gets
 * shorter, in a policy or by moving a VM to another policy). The providers' `check()` asks Azure for the current
 * state and calls these, so that a change Azure would refuse is reported in the preview.
 */
import { createContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import type { Policy, PolicyType, Retention } from "./policy-types";
import type { ImmutabilityState, Redundancy, SoftDeleteState } from "./vault";

/** What Azure holds for a vault. */
export interface VaultCurrent {
  location: string;
  redundancy: Redundancy;
  crossRegionRestore: boolean;
  immutability: ImmutabilityState;
  softDeleteState: SoftDeleteState;
  /** Whether VMs have been protected in the vault (storage type `Locked`). */
  storageLocked: boolean;
}

export interface VaultDesired {
  location?: string;
  redundancy?: Redundancy;
  crossRegionRestore?: boolean;
  immutability?: ImmutabilityState;
  softDeleteState?: SoftDeleteState;
}

export function validateVaultChange(current: VaultCurrent, desired: VaultDesired, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  if (desired.location !== undefined && current.storageLocked && desired.location.replace(/\s+/g, "").toLowerCase() !== current.location.toLowerCase()) {
    ctx.report(
      "vault/location-change",
      "location",
      `The vault is in ${current.location} and holds backups; moving it to ${desired.location} would replace it, and a vault with backups cannot be deleted.`,
      {
        remedy: `Keep location ${current.location}; create a new vault for ${desired.location}.`,
      },
    );
  }
  if (desired.redundancy !== undefined && desired.redundancy !== current.redundancy && current.storageLocked) {
    ctx.report(
      "vault/redundancy-locked",
      "redundancy",
      `Storage redundancy cannot change from ${current.redundancy} to ${desired.redundancy}: VMs have been protected in this vault, so its storage type is locked.`,
      {
        remedy: `Keep redundancy ${current.redundancy}, or protect the VMs in a new vault with ${desired.redundancy}.`,
      },
    );
  }
  if (desired.crossRegionRestore === false && current.crossRegionRestore && current.storageLocked) {
    ctx.report(
      "vault/cross-region-restore-locked",
      "crossRegionRestore",
      "Cross-region restore cannot be turned off once VMs have been protected in this vault.",
      {
        remedy: "Keep crossRegionRestore true.",
      },
    );
  }
  if (current.immutability === "Locked" && desired.immutability !== undefined && desired.immutability !== "Locked") {
    ctx.report("vault/immutability-irreversible", "immutability", `Immutability is Locked on this vault and cannot become ${desired.immutability}.`, {
      remedy: 'Keep immutability "Locked".',
    });
  }
  // "Enabled" asked of an AlwaysOn vault is satisfied (Azure enforces the stronger state: secure by default), so
  // only "Disabled" would ask AlwaysOn to weaken; "Disabled" is refused on every vault (vault/soft-delete-disabled).
  if (current.softDeleteState === "AlwaysOn" && desired.softDeleteState === "Disabled") {
    ctx.report(
      "vault/soft-delete-always-on-irreversible",
      "softDelete.state",
      `Soft delete is AlwaysOn on this vault and cannot become ${desired.softDeleteState}.`,
      {
        remedy: 'Keep softDelete.state "AlwaysOn".',
      },
    );
  }
  return ctx.diagnostics;
}

/** A policy's type cannot change in place: V2 never becomes V1, and V1 becomes V2 only by replacing an unused policy. */
export function validatePolicyChange(
  current: { policyType: PolicyType; protectedItems: number },
  desired: Pick<Policy, "policyType">,
  options?: RuleOptions,
): Diagnostic[] {
  const ctx = createContext(options);
  if (current.policyType === desired.policyType) return ctx.diagnostics;
  if (current.policyType === "V2") {
    ctx.report("policy/type-change", "policyType", "An enhanced (V2) policy cannot become standard (V1).", {
      remedy: "Keep policyType V2, or create a new V1 policy and move the VMs to it.",
    });
  } else if (current.protectedItems > 0) {
    ctx.report(
      "policy/type-change",
      "policyType",
      `This standard (V1) policy protects ${current.protectedItems} VMs; it cannot become enhanced (V2) in place, and replacing it would fail while VMs use it.`,
      {
        remedy: "Create a new V2 policy and move the VMs to it (Azure migrates their backups), then delete this one.",
      },
    );
  }
  return ctx.diagnostics;
}

const RETENTION_BLOCKS = [
  ["daily", "days"],
  ["weekly", "weeks"],
  ["monthly", "months"],
  ["yearly", "years"],
] as const;

/**
 * Where `next` keeps recovery points for less time than `current`: each retention block `current` has that
 * `next` drops, or keeps for a smaller count (in the block's own unit). Microsoft's documents do not say how
 * Azure compares two policies; block by block is the reading that refuses every change keeping any point
 * for less time.
 */
export function retentionReductions(current: Retention, next: Retention): { block: keyof Retention; from: number; to: number | undefined; unit: string }[] {
  const found: { block: keyof Retention; from: number; to: number | undefined; unit: string }[] = [];
  for (const [block, unit] of RETENTION_BLOCKS) {
    const before = current[block]?.count;
    if (before === undefined) continue;
    const after = next[block]?.count;
    if (after === undefined || after < before) found.push({ block, from: before, to: after, unit });
  }
  return found;
}

function describeReduction(r: { block: string; from: number; to: number | undefined; unit: string }): string {
  return r.to === undefined ? `${r.block} points kept ${r.from} ${r.unit} would no longer be kept` : `${r.block} points ${r.from} -> ${r.to} ${r.unit}`;
}

const immutable = (state: ImmutabilityState) => state === "Unlocked" || state === "Locked";

/**
 * A policy change on an immutable vault (Unlocked or Locked): Azure refuses "any actions that reduce the
 * retention period in a backup policy" (DOCS.immutableVaultRestricted); longer retention and schedule
 * changes are allowed.
 */
export function validatePolicyRetentionChange(
  vault: { name: string; immutability: ImmutabilityState },
  policyName: string,
  current: Retention,
  desired: Retention,
  options?: RuleOptions,
): Diagnostic[] {
  const ctx = createContext(options);
  if (!immutable(vault.immutability)) return ctx.diagnostics;
  for (const r of retentionReductions(current, desired)) {
    ctx.report(
      "policy/immutable-retention",
      r.to === undefined ? `retention.${r.block}` : `retention.${r.block}.count`,
      `Policy '${policyName}' in vault '${vault.name}' would keep ${describeReduction(r)}, and the vault is immutable (${vault.immutability}): Azure refuses any change that shortens retention there.`,
      {
        remedy: `Keep retention.${r.block}${r.to === undefined ? "" : `.count at ${r.from} or more`}; for shorter retention, create a policy in a vault that is not immutable.`,
      },
    );
  }
  return ctx.diagnostics;
}

/**
 * Moving a protected VM to another policy on an immutable vault: Azure blocks "any attempt to replace a
 * backup policy associated with a backup item with another policy with retention lower than the existing
 * one" (DOCS.immutableVaultRestricted).
 */
export function validateVmPolicyMove(
  vault: { name: string; immutability: ImmutabilityState },
  vmName: string,
  from: { name: string; retention: Retention },
  to: { name: string; retention: Retention },
  options?: RuleOptions,
): Diagnostic[] {
  const ctx = createContext(options);
  if (!immutable(vault.immutability) || from.name.toLowerCase() === to.name.toLowerCase()) return ctx.diagnostics;
  const reductions = retentionReductions(from.retention, to.retention);
  if (reductions.length > 0) {
    ctx.report(
      "vm/immutable-retention",
      "policyName",
      `VM '${vmName}' would move from policy '${from.name}' to '${to.name}', which keeps ${reductions.map(describeReduction).join(", ")}; vault '${vault.name}' is immutable (${vault.immutability}): Azure refuses moving a VM to a policy that keeps recovery points for less time.`,
      { remedy: `Keep policyName '${from.name}', or move the VM to a policy that keeps every kind of recovery point at least as long.` },
    );
  }
  return ctx.diagnostics;
}
