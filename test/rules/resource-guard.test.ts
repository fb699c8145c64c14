/**
 * Multi-user authorization rules (src/rules/resource-guard.ts): the guard's id, and which planned changes the
 * vault's Resource Guard will ask approval for.
 */
import {
  guardChangeApproval,
  normalizePolicy,
  policyChangeApproval,
  policyRetentionReductions,
  protectedVmDestroyApproval,
  recoveryPointObjectiveHours,
  validateResourceGuard,
  vaultSettingsApproval,
  type GuardedVault,
  type Policy,
  type PolicyArgs,
} from "../../src/rules";

const GUARD = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-sec/providers/Microsoft.DataProtection/resourceGuards/guard1";
const vault: GuardedVault = { name: "rsv1", guardId: GUARD };

function policy(args: PolicyArgs): Policy {
  const { policy: p, diagnostics } = normalizePolicy({ name: "daily", ...args });
  if (p === undefined) throw new Error(diagnostics.map((d) => d.message).join(" "));
  return p;
}
const daily = (days: number, extra: PolicyArgs = {}) =>
  policy({ schedule: { frequency: "Daily", time: "20:30" }, retention: { daily: { count: days } }, ...extra });

describe("resourceGuard argument", () => {
  it("takes a Resource Guard's ARM id, in any case", () => {
    expect(validateResourceGuard(GUARD, "rsv1")).toEqual([]);
    expect(validateResourceGuard(GUARD.toLowerCase(), "rsv1")).toEqual([]);
    expect(validateResourceGuard(undefined, "rsv1")).toEqual([]);
  });

  it("refuses anything else, naming the vault and the argument", () => {
    const [d] = validateResourceGuard("/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v", "rsv1");
    expect(d).toMatchObject({ code: "vault/resource-guard-id", severity: "error", path: "resourceGuard" });
    expect(d!.message).toContain("Vault 'rsv1'");
    expect(validateResourceGuard(42, "rsv1")[0]?.code).toBe("vault/resource-guard-id");
  });
});

describe("what the guard will ask approval for", () => {
  it("a policy update that shortens retention, as the Azure CLI judges it", () => {
    const [d] = policyChangeApproval(vault, "daily", daily(30), daily(20));
    expect(d).toMatchObject({ code: "vault/resource-guard-approval", severity: "warning", path: "retention" });
    expect(d!.message).toContain("daily retention 30 -> 20 days");
    expect(d!.message).toContain("Resource Guard 'guard1'");
    expect(d!.remedy).toContain("Privileged Identity Management");
    expect(d!.remedy).toContain("auxiliaryTenantIds");
  });

  it("no approval for longer retention, or where the guard excludes policy updates", () => {
    expect(policyChangeApproval(vault, "daily", daily(30), daily(40))).toEqual([]);
    const excluding: GuardedVault = { ...vault, protectedOperations: ["Microsoft.RecoveryServices/vaults/backupResourceGuardProxies/delete"] };
    expect(policyChangeApproval(excluding, "daily", daily(30), daily(20))).toEqual([]);
  });

  it("fewer instant-restore days, a removed retention block and rarer recovery points count as reductions", () => {
    expect(policyRetentionReductions(daily(30, { instantRestoreRetentionDays: 5 }), daily(30, { instantRestoreRetentionDays: 2 }))).toEqual([
      "instant restore 5 -> 2 days",
    ]);
    const withWeekly = policy({
      schedule: { frequency: "Daily", time: "20:30" },
      retention: { daily: { count: 30 }, weekly: { count: 12, weekdays: ["Sunday"] } },
    });
    expect(policyRetentionReductions(withWeekly, daily(30))).toEqual([expect.stringContaining("weekly retention (12 weeks) removed")]);
    const weekly = policy({
      schedule: { frequency: "Weekly", time: "20:30", weekdays: ["Sunday", "Wednesday"] },
      retention: { weekly: { count: 12, weekdays: ["Sunday", "Wednesday"] } },
    });
    expect(policyRetentionReductions(daily(84), weekly)).toEqual(expect.arrayContaining(["recovery points every 96 hours instead of 24"]));
  });

  it("recovery point objective: hourly interval over a whole day, the night's gap otherwise, the longest gap between weekly days", () => {
    expect(recoveryPointObjectiveHours({ frequency: "Hourly", time: "08:00", weekdays: [], hourInterval: 4, hourWindow: 24 })).toBe(4);
    expect(recoveryPointObjectiveHours({ frequency: "Hourly", time: "08:00", weekdays: [], hourInterval: 4, hourWindow: 12 })).toBe(12);
    expect(recoveryPointObjectiveHours({ frequency: "Daily", time: "08:00", weekdays: [] })).toBe(24);
    expect(recoveryPointObjectiveHours({ frequency: "Weekly", time: "08:00", weekdays: ["Monday", "Tuesday"] })).toBe(144);
  });

  it("destroying a protected VM with deleteBackupData; stopping protection only when the guard lists it", () => {
    const [d] = protectedVmDestroyApproval(vault, "vm1", "deleteBackupData");
    expect(d).toMatchObject({ code: "vault/resource-guard-approval", path: "onDestroy" });
    expect(d!.message).toContain("VM 'vm1'");
    expect(protectedVmDestroyApproval(vault, "vm1", "stopProtectionRetainData")).toEqual([]);
    const listing: GuardedVault = {
      ...vault,
      protectedOperations: ["Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write#stopProtectionWithRetainData"],
    };
    expect(protectedVmDestroyApproval(listing, "vm1", "stopProtectionRetainData")).toHaveLength(1);
    expect(protectedVmDestroyApproval(listing, "vm1", "deleteBackupData")).toEqual([]);
  });

  it("removing (declared before) or replacing the guard always (mandatory); keeping it, in another case, never", () => {
    expect(guardChangeApproval("rsv1", GUARD, undefined, undefined, GUARD)[0]).toMatchObject({ code: "vault/resource-guard-approval", path: "resourceGuard" });
    expect(guardChangeApproval("rsv1", GUARD, GUARD.replace("guard1", "guard2"))[0]?.message).toContain("replacing resourceGuard");
    expect(guardChangeApproval("rsv1", GUARD, GUARD.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"))).toEqual([]);
    expect(guardChangeApproval("rsv1", undefined, GUARD)).toEqual([]);
  });
});

describe("the guard's notes on vault changes", () => {
  const OTHER = GUARD.replace("guard1", "guard2");
  it("a guard the program never declared is kept: no removal note; one declared before and no longer given is announced", () => {
    expect(guardChangeApproval("rsv1", GUARD, undefined)).toEqual([]);
    const [removed] = guardChangeApproval("rsv1", GUARD, undefined, undefined, GUARD);
    expect(removed).toMatchObject({ code: "vault/resource-guard-approval", severity: "warning", path: "resourceGuard" });
    expect(removed!.message).toContain("removing the resourceGuard argument (declared before)");
    expect(guardChangeApproval("rsv1", GUARD, OTHER)[0]?.message).toContain("replacing resourceGuard");
    expect(guardChangeApproval("rsv1", GUARD, GUARD.toLowerCase())).toEqual([]);
  });

  const listing = (...operations: string[]): GuardedVault => ({ ...vault, protectedOperations: operations });
  const CMK = "Microsoft.RecoveryServices/vaults/write#modifyEncryptionSettings";
  const IMMUTABILITY = "Microsoft.RecoveryServices/vaults/write#reduceImmutabilityState";

  it("a new customer-managed key and immutability Unlocked -> Disabled, when the guard's proxy lists them", () => {
    const change = {
      encryption: { from: "https://kv.vault.azure.net/keys/a", to: "https://kv.vault.azure.net/keys/b" },
      immutability: { from: "Unlocked", to: "Disabled" },
    };
    const notes = vaultSettingsApproval(listing(CMK, IMMUTABILITY), change);
    expect(notes.map((d) => d.path)).toEqual(["encryption", "immutability"]);
    expect(notes[0]!.message).toContain("changes the customer-managed key (https://kv.vault.azure.net/keys/a -> https://kv.vault.azure.net/keys/b)");
    expect(notes[1]!.message).toContain("disables immutability (Unlocked -> Disabled)");
    expect(notes[1]!.remedy).toContain("Backup MUA Operator");
    // Excluded by the guard (or an older proxy that does not list them): nothing to approve.
    expect(vaultSettingsApproval(listing(), change)).toEqual([]);
    // Unknown proxy listing: only operations of the documented table are assumed.
    expect(vaultSettingsApproval(vault, change)).toEqual([]);
  });

  it("other immutability moves are no critical operation", () => {
    const guarded = listing(IMMUTABILITY);
    expect(vaultSettingsApproval(guarded, { immutability: { from: "Disabled", to: "Unlocked" } })).toEqual([]);
    expect(vaultSettingsApproval(guarded, { immutability: { from: "Unlocked", to: "Locked" } })).toEqual([]);
    expect(vaultSettingsApproval(guarded, { immutability: { from: "Disabled", to: "Disabled" } })).toEqual([]);
  });
});
