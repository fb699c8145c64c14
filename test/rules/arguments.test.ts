import type * as pulumi from "@pulumi/pulumi";
import type { BackupNowInput, BackupPolicyArgs, BackupPolicySetArgs, BackupVaultArgs, ProtectedVmArgs, StackV2RegistrationArgs } from "../../src/components";
import {
  checkComponentArguments,
  COMPONENT_ARGUMENTS,
  componentEntry,
  componentLabel,
  findUnknownArguments,
  parseUnknownArgumentsSetting,
  unknownArgumentsOptions,
  validatePolicy,
  type InstantRestoreResourceGroupArgs,
  type MonthlyRetentionArgs,
  type RetentionArgs,
  type ScheduleArgs,
  type YearlyRetentionArgs,
} from "../../src/rules";
import { SettingsError, unknownArgumentsSetting } from "../../src/azure/settings";

/**
 * Type-level exhaustiveness: each vocabulary has exactly the keys of the Args type it describes. When an Args
 * interface gains (or loses) a field, `npm test`'s type check fails here, naming the missing or extra keys,
 * until COMPONENT_ARGUMENTS in src/rules/arguments.ts follows.
 */
type SameKeys<Vocabulary, Args> = [Exclude<keyof Args, keyof Vocabulary>, Exclude<keyof Vocabulary, keyof Args>] extends [never, never]
  ? true
  : { missingFromVocabulary: Exclude<keyof Args, keyof Vocabulary>; notInArgs: Exclude<keyof Vocabulary, keyof Args> };
/** The object form of an argument (`pulumi.Input<boolean | { ... }>` → `{ ... }`). */
type Block<T> = Extract<NonNullable<pulumi.Unwrap<T>>, object>;
type A = typeof COMPONENT_ARGUMENTS;
export const exhaustive: Array<true> = [
  true satisfies SameKeys<A["BackupVault"], BackupVaultArgs>,
  true satisfies SameKeys<A["BackupVault"]["softDelete"], Block<BackupVaultArgs["softDelete"]>>,
  true satisfies SameKeys<A["BackupPolicy"], BackupPolicyArgs>,
  true satisfies SameKeys<A["BackupPolicy"]["schedule"], ScheduleArgs>,
  true satisfies SameKeys<A["BackupPolicy"]["retention"], RetentionArgs>,
  true satisfies SameKeys<A["BackupPolicy"]["retention"]["daily"], NonNullable<RetentionArgs["daily"]>>,
  true satisfies SameKeys<A["BackupPolicy"]["retention"]["weekly"], NonNullable<RetentionArgs["weekly"]>>,
  true satisfies SameKeys<A["BackupPolicy"]["retention"]["monthly"], MonthlyRetentionArgs>,
  true satisfies SameKeys<A["BackupPolicy"]["retention"]["yearly"], YearlyRetentionArgs>,
  true satisfies SameKeys<A["BackupPolicy"]["instantRestoreResourceGroup"], InstantRestoreResourceGroupArgs>,
  true satisfies SameKeys<A["ProtectedVm"], ProtectedVmArgs>,
  true satisfies SameKeys<A["ProtectedVm"]["backupNow"], BackupNowInput>,
  true satisfies SameKeys<A["ProtectedVm"]["backupNow"], Block<ProtectedVmArgs["backupNow"]>>,
  true satisfies SameKeys<A["StackV2Registration"], StackV2RegistrationArgs>,
  true satisfies SameKeys<A["BackupPolicySet"], BackupPolicySetArgs>,
];

const messages = (kind: Parameters<typeof checkComponentArguments>[0], args: unknown, name = "r") =>
  checkComponentArguments(kind, name, args).map((d) => d.message);

describe("input/unknown-argument: what a component does not take", () => {
  it("names the component, the resource, the argument and the one it is close to", () => {
    const [d, ...rest] = checkComponentArguments("BackupPolicy", "nightly", { vault: "v", retension: { daily: { count: 30 } } });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "input/unknown-argument", severity: "warning", path: "retension" });
    expect(d!.message).toBe("BackupPolicy 'nightly': 'retension' is not an argument of BackupPolicy (did you mean 'retention'?); it is ignored.");
    expect(d!.remedy).toMatch(/^Rename 'retension' to 'retention', or remove it\. BackupPolicy takes: vault, policyName, .*retention/);
    expect(d!.source).toMatch(/npmjs\.com\/package\/pulumi-azure-vm-backup#backuppolicy/);
    expect(d!.source).toMatch(/recoveryservicesbackup\/.*\/bms\.json/);
  });

  it.each([
    ["ProtectedVm", { vm: "id", polcy: "nightly" }, "polcy", "policy"],
    ["ProtectedVm", { vm: "id", excludeDiskLun: [1] }, "excludeDiskLun", "excludeDiskLuns"],
    ["BackupVault", { resourceGroupName: "rg", location: "westeurope", redundency: "LocallyRedundant" }, "redundency", "redundancy"],
    ["StackV2Registration", { subscriptionid: "x" }, "subscriptionid", "subscriptionId"],
  ] as const)("%s: %j suggests the argument it is close to", (kind, args, path, suggestion) => {
    const found = findUnknownArguments(kind, args);
    expect(found).toEqual([expect.objectContaining({ path, suggestion })]);
    expect(messages(kind, args)[0]).toContain(`did you mean '${suggestion}'?`);
  });

  it("says an argument this version does not have is ignored, without a far-fetched suggestion", () => {
    const [d] = checkComponentArguments("BackupVault", "rsv", { resourceGroupName: "rg", location: "westeurope", classicVmwareReplication: true });
    expect(d!.message).toBe("BackupVault 'rsv': 'classicVmwareReplication' is not an argument of BackupVault; it is ignored.");
    expect(d!.remedy).toMatch(
      /^Remove 'classicVmwareReplication' \(this version of azure-vm-backup does not have it\)\. BackupVault takes: resourceGroupName, location, /,
    );
    expect(d!.source).toMatch(/#backupvault.*recoveryservices\/.*\/vaults\.json/);
  });

  it("reports nested arguments by their path, suggesting within their block", () => {
    const args = {
      vault: "v",
      schedule: { frequency: "Weekly", time: "22:00", weekday: ["Sunday"] },
      retention: { dayly: { count: 30 }, weekly: { count: 4, weekdays: ["Sunday"], cout: 5 }, yearly: { count: 1, months: ["May"], month: ["June"] } },
      instantRestoreResourceGroup: { prefix: "rg-snap", sufix: "-x" },
    };
    expect(findUnknownArguments("BackupPolicy", args).map((u) => [u.path, u.suggestion])).toEqual([
      ["schedule.weekday", "schedule.weekdays"],
      ["retention.dayly", "retention.daily"],
      ["retention.weekly.cout", "retention.weekly.count"],
      ["retention.yearly.month", "retention.yearly.months"],
      ["instantRestoreResourceGroup.sufix", "instantRestoreResourceGroup.suffix"],
    ]);
    expect(messages("BackupPolicy", args, "p")[1]).toBe(
      "BackupPolicy 'p': 'retention.dayly' is not an argument of BackupPolicy's 'retention' (did you mean 'retention.daily'?); it is ignored.",
    );
    expect(findUnknownArguments("BackupVault", { resourceGroupName: "rg", location: "l", softDelete: { state: "Enabled", retentionDay: 30 } })).toEqual([
      expect.objectContaining({ path: "softDelete.retentionDay", suggestion: "softDelete.retentionDays", known: ["state", "retentionDays"] }),
    ]);
    expect(findUnknownArguments("ProtectedVm", { vm: "id", backupNow: { retainDay: 7 } })).toEqual([
      expect.objectContaining({ path: "backupNow.retainDay", suggestion: "backupNow.retainDays" }),
    ]);
  });

  it("flags nothing in components given every argument they take, nested blocks filled", () => {
    const vault: Required<BackupVaultArgs> = {
      resourceGroupName: "rg",
      location: "westeurope",
      vaultName: "rsv",
      subscriptionId: "s",
      redundancy: "GeoRedundant",
      crossRegionRestore: true,
      softDelete: { state: "Enabled", retentionDays: 14 },
      immutability: "Disabled",
      publicNetworkAccess: "Disabled",
      identity: { systemAssigned: true, userAssignedIdentityIds: [] },
      encryption: { keyId: "k", userAssignedIdentityId: "u", infrastructureEncryption: false },
      monitoring: { jobFailureAlerts: true, classicAlerts: false },
      crossSubscriptionRestore: "Disabled",
      tags: { anyTagName: "x" },
      onDestroy: "retain",
      resourceGuard: "/subscriptions/s/resourceGroups/g/providers/Microsoft.DataProtection/resourceGuards/guard",
    };
    const policy: Required<BackupPolicyArgs> = {
      vault: "id",
      policyName: "p",
      policyType: "V2",
      timeZone: "UTC",
      schedule: { frequency: "Hourly", time: "08:00", weekdays: [], hourInterval: 4, hourWindow: 12 },
      instantRestoreRetentionDays: 5,
      retention: {
        daily: { count: 30 },
        weekly: { count: 4, weekdays: ["Sunday"] },
        monthly: { count: 12, weekdays: ["Sunday"], weeks: ["First"], days: [1], includeLastDays: true },
        yearly: { count: 1, months: ["January"], weekdays: ["Sunday"], weeks: ["First"], days: [1], includeLastDays: false },
      },
      instantRestoreResourceGroup: { prefix: "rg-snap", suffix: "-x" },
      tiering: { mode: "TierAfter", duration: 3, durationType: "Months" },
      snapshotConsistency: "OnlyCrashConsistent",
    };
    const vm: Required<ProtectedVmArgs> = {
      vm: "id",
      vault: "v",
      policy: "p",
      includeDiskLuns: [0],
      excludeDiskLuns: [],
      backupNow: { retainUntil: "2030-01-01", retainDays: 7 },
      waitForInitialBackup: true,
      onDestroy: "stopProtectionRetainData",
      keyVaultAccess: "grant",
    };
    const stack: Required<StackV2RegistrationArgs> = { subscriptionId: "s" };
    expect([
      checkComponentArguments("BackupVault", "v", vault),
      checkComponentArguments("BackupPolicy", "p", policy),
      checkComponentArguments("ProtectedVm", "vm", vm),
      checkComponentArguments("StackV2Registration", "s", stack),
    ]).toEqual([[], [], [], []]);
    // The nested blocks the rules read take the same keys (the policy above is a valid policy to them too).
    const { vault: _vault, policyName: _name, ...definition } = policy;
    expect(validatePolicy(definition as Parameters<typeof validatePolicy>[0]).filter((d) => d.code === "input/unknown-property")).toEqual([]);
  });

  it("checks the keys of values it cannot look into (Outputs, Promises, resources), and does not look into them", () => {
    class FakeOutput {
      readonly typo = 1;
    }
    const pending = Promise.resolve({ dayly: { count: 1 } });
    const args = { vault: new FakeOutput(), retention: pending, schedle: new FakeOutput(), tags: { freeForm: "x" } };
    expect(findUnknownArguments("BackupPolicy", args).map((u) => u.path)).toEqual(["schedle", "tags"]);
    // `tags` is not a BackupPolicy argument; on a vault, tags are free-form and their keys are not judged.
    expect(findUnknownArguments("BackupVault", { resourceGroupName: "rg", location: "l", tags: { anything: "x" } })).toEqual([]);
    // backupNow: true has no keys; an array or a string is not a block.
    expect(findUnknownArguments("ProtectedVm", { vm: "id", backupNow: true, includeDiskLuns: [0, 1] })).toEqual([]);
    expect(findUnknownArguments("BackupPolicy", "not an object")).toEqual([]);
    return pending;
  });

  it("takes its severity from options: error, warning, or off", () => {
    const args = { vault: "v", retension: {} };
    expect(checkComponentArguments("BackupPolicy", "p", args, unknownArgumentsOptions("error")).map((d) => d.severity)).toEqual(["error"]);
    expect(checkComponentArguments("BackupPolicy", "p", args, unknownArgumentsOptions("warning")).map((d) => d.severity)).toEqual(["warning"]);
    expect(checkComponentArguments("BackupPolicy", "p", args, unknownArgumentsOptions("off"))).toEqual([]);
    // Other severity overrides are kept.
    expect(unknownArgumentsOptions("error", { severities: { "input/unknown-property": "off" } }).severities).toEqual({
      "input/unknown-property": "off",
      "input/unknown-argument": "error",
    });
  });

  it("labels components as plan entries are labelled, with the arguments plan diagnostics name", () => {
    for (const [kind, component] of [
      ["vault", "BackupVault"],
      ["policy", "BackupPolicy"],
      ["vm", "ProtectedVm"],
    ] as const) {
      const entry = componentEntry(kind, "web-01");
      expect(entry.label).toBe(componentLabel(component, "web-01"));
      const fields = ["name", "vault", "policy", "id", "location", "dataDisks"];
      for (const field of fields) {
        const argument = entry.argument?.(field);
        if (argument !== undefined) expect(Object.keys(COMPONENT_ARGUMENTS[component])).toContain(argument);
      }
    }
  });
});

describe("the azure-vm-backup:unknownArguments setting", () => {
  const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

  it("reads error, warning and off in any case; warning by default", () => {
    expect(parseUnknownArgumentsSetting("ERROR")).toEqual({ setting: "error" });
    expect(parseUnknownArgumentsSetting(" off ")).toEqual({ setting: "off" });
    expect(unknownArgumentsSetting(config({}), {})).toBe("warning");
  });

  it("takes stack config first, then AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS", () => {
    expect(unknownArgumentsSetting(config({ "azure-vm-backup:unknownArguments": "error" }), { AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS: "off" })).toBe("error");
    expect(unknownArgumentsSetting(config({}), { AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS: "off" })).toBe("off");
  });

  it("refuses a value it does not know, suggesting the one meant", () => {
    expect(parseUnknownArgumentsSetting("eror")).toEqual({ problem: "must be one of warning, error, off; got 'eror' (did you mean 'error'?)" });
    expect(() => unknownArgumentsSetting(config({ "azure-vm-backup:unknownArguments": "strict" }), {})).toThrow(SettingsError);
    expect(() => unknownArgumentsSetting(config({ "azure-vm-backup:unknownArguments": "strict" }), {})).toThrow(
      /azure-vm-backup:unknownArguments .*must be one of warning, error, off; got 'strict'\.$/,
    );
  });
});
