/**
 * The arguments each component takes, nested blocks included, and the rule that reports an argument a
 * component does not have (`input/unknown-argument`). Without it a misspelt argument (`retension` on a
 * BackupPolicy, `polcy` on a ProtectedVm) or one this version does not have (`classicVmwareReplication` on a
 * BackupVault) is silently ignored: TypeScript's excess-property check does not run on object spreads,
 * `as any` or JavaScript programs.
 *
 * The vocabularies follow the components' Args interfaces (src/components); test/rules/arguments.test.ts
 * fails to type-check when an interface and its vocabulary differ. Nested blocks reuse the key lists the
 * rules read them with, so a plan file and a program agree on what a schedule or a retention block holds.
 */
import { BACKUP_NOW_KEYS } from "./backup-now";
import { createContext, type RuleOptions } from "./context";
import { joinPath, type Diagnostic } from "./diagnostics";
import { MONTHLY_KEYS, type RETENTION_KEYS } from "./policy-retention";
import { SCHEDULE_KEYS } from "./policy-schedule";
import { closest } from "./suggest";

/**
 * What a component takes, argument by argument: `true` for an argument whose value is taken whole (a string,
 * a list, a resource, free-form tags), or the arguments of a nested block.
 */
export interface ArgumentVocabulary {
  readonly [argument: string]: true | ArgumentVocabulary;
}

/** A block whose every argument is taken whole. */
function block<const K extends string>(keys: readonly K[]): { readonly [P in K]: true } {
  return Object.fromEntries(keys.map((k) => [k, true])) as { readonly [P in K]: true };
}

const RETENTION = {
  daily: block(["count"]),
  weekly: block(["count", "weekdays"]),
  monthly: block(MONTHLY_KEYS),
  yearly: block([...MONTHLY_KEYS, "months"]),
} as const satisfies Record<(typeof RETENTION_KEYS)[number], ArgumentVocabulary>;

/** Every component's arguments (BackupVaultArgs, BackupPolicyArgs, ProtectedVmArgs, StackV2RegistrationArgs, BackupPolicySetArgs). */
export const COMPONENT_ARGUMENTS = {
  BackupVault: {
    resourceGroupName: true,
    location: true,
    vaultName: true,
    subscriptionId: true,
    redundancy: true,
    crossRegionRestore: true,
    softDelete: block(["state", "retentionDays"]),
    immutability: true,
    publicNetworkAccess: true,
    identity: block(["systemAssigned", "userAssignedIdentityIds"]),
    encryption: block(["keyId", "userAssignedIdentityId", "infrastructureEncryption"]),
    monitoring: block(["jobFailureAlerts", "classicAlerts"]),
    crossSubscriptionRestore: true,
    tags: true,
    onDestroy: true,
    resourceGuard: true,
  },
  BackupPolicy: {
    vault: true,
    policyName: true,
    policyType: true,
    timeZone: true,
    schedule: block(SCHEDULE_KEYS),
    instantRestoreRetentionDays: true,
    retention: RETENTION,
    instantRestoreResourceGroup: block(["prefix", "suffix"]),
    tiering: block(["mode", "duration", "durationType"]),
    snapshotConsistency: true,
  },
  ProtectedVm: {
    vm: true,
    vault: true,
    policy: true,
    includeDiskLuns: true,
    excludeDiskLuns: true,
    // `true` or `{ retainUntil } | { retainDays }`: only the object form has arguments of its own.
    backupNow: block(BACKUP_NOW_KEYS),
    waitForInitialBackup: true,
    onDestroy: true,
    keyVaultAccess: true,
  },
  StackV2Registration: {
    subscriptionId: true,
  },
  BackupPolicySet: {
    vault: true,
    vms: true,
    window: block(["start", "hours"]),
    timeZone: true,
    retention: RETENTION,
    policyType: true,
    instantRestoreRetentionDays: true,
    namePrefix: true,
    estimate: true,
    onDestroy: true,
  },
} as const satisfies Record<string, ArgumentVocabulary>;

export type ComponentKind = keyof typeof COMPONENT_ARGUMENTS;

const README = "https://www.npmjs.com/package/pulumi-azure-vm-backup";

/**
 * Where a component's arguments are documented: its section of the package README; for the vault and the
 * policy also Azure's own properties, which are not all arguments here (Azure/azure-rest-api-specs).
 */
const SOURCES: Readonly<Record<ComponentKind, string>> = {
  BackupVault: `README of pulumi-azure-vm-backup, section BackupVault (${README}#backupvault); Azure's vault properties: Recovery Services REST API, Vaults - Create Or Update (Azure/azure-rest-api-specs specification/recoveryservices/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/vaults.json)`,
  BackupPolicy: `README of pulumi-azure-vm-backup, section BackupPolicy (${README}#backuppolicy); Azure's policy properties: Recovery Services Backup REST API, Protection Policies - Create Or Update (Azure/azure-rest-api-specs specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/bms.json)`,
  ProtectedVm: `README of pulumi-azure-vm-backup, section ProtectedVm (${README}#protectedvm)`,
  StackV2Registration: `README of pulumi-azure-vm-backup, section StackV2Registration (${README}#stackv2registration)`,
  BackupPolicySet: `README of pulumi-azure-vm-backup, section BackupPolicySet (${README}#backuppolicyset-staggered-start-times-for-a-fleet)`,
};

/** How messages name a component: `BackupPolicy 'nightly'` (as `componentEntry` labels plan entries). */
export function componentLabel(kind: ComponentKind, resourceName: string): string {
  return `${kind} '${resourceName}'`;
}

/** An argument a component does not have, where the user wrote it. */
export interface UnknownArgument {
  /** The argument's path as written: `retension`, `retention.dialy`, `softDelete.retentionDay`. */
  path: string;
  /** The argument itself (the path's last key). */
  key: string;
  /** The block it is in (`retention`), "" at the top. */
  parent: string;
  /** The known argument it is closest to, as a path (`retention.daily`). */
  suggestion?: string;
  /** The arguments the block does take. */
  known: readonly string[];
}

/**
 * Whether the rules may look inside a value: a plain object literal, not a resource, an Output or a Promise
 * (whose contents are not known when the component is constructed; their keys are still checked one level up).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function collect(args: Record<string, unknown>, vocabulary: ArgumentVocabulary, parent: string, out: UnknownArgument[]): void {
  const known = Object.keys(vocabulary);
  for (const key of Object.keys(args)) {
    const path = joinPath(parent, key);
    const entry = Object.prototype.hasOwnProperty.call(vocabulary, key) ? vocabulary[key] : undefined;
    if (entry === undefined) {
      const near = closest(key, known);
      out.push({ path, key, parent, known, ...(near === undefined ? {} : { suggestion: joinPath(parent, near) }) });
    } else if (entry !== true && isPlainObject(args[key])) {
      collect(args[key], entry, path, out);
    }
  }
}

/** The arguments in `args` that the component does not have (none when `args` is not a plain object). */
export function findUnknownArguments(kind: ComponentKind, args: unknown): UnknownArgument[] {
  const out: UnknownArgument[] = [];
  if (isPlainObject(args)) collect(args, COMPONENT_ARGUMENTS[kind], "", out);
  return out;
}

/**
 * The `input/unknown-argument` diagnostics for a component's args: a warning by default; the severity
 * (`error`, `warning`, or `off`) comes from `options.severities`, as the components set it from
 * `azure-vm-backup:unknownArguments`.
 */
export function checkComponentArguments(kind: ComponentKind, resourceName: string, args: unknown, options: RuleOptions = {}): Diagnostic[] {
  const ctx = createContext(options);
  const label = componentLabel(kind, resourceName);
  for (const unknown of findUnknownArguments(kind, args)) {
    const within = unknown.parent === "" ? kind : `${kind}'s '${unknown.parent}'`;
    const hint = unknown.suggestion === undefined ? "" : ` (did you mean '${unknown.suggestion}'?)`;
    const remedy =
      unknown.suggestion === undefined
        ? `Remove '${unknown.path}' (this version of azure-vm-backup does not have it). ${within} takes: ${unknown.known.join(", ")}.`
        : `Rename '${unknown.path}' to '${unknown.suggestion}', or remove it. ${within} takes: ${unknown.known.join(", ")}.`;
    ctx.report("input/unknown-argument", unknown.path, `${label}: '${unknown.path}' is not an argument of ${within}${hint}; it is ignored.`, {
      remedy,
      source: SOURCES[kind],
    });
  }
  return ctx.diagnostics;
}

/** The values of the `azure-vm-backup:unknownArguments` setting: what an unknown argument is. */
export const UNKNOWN_ARGUMENTS_SETTINGS = ["warning", "error", "off"] as const;
export type UnknownArgumentsSetting = (typeof UNKNOWN_ARGUMENTS_SETTINGS)[number];
export const DEFAULT_UNKNOWN_ARGUMENTS: UnknownArgumentsSetting = "warning";

/** Reads the setting in any case; a value that is none of them comes back with a message saying so. */
export function parseUnknownArgumentsSetting(text: string): { setting: UnknownArgumentsSetting } | { problem: string } {
  const value = text.trim().toLowerCase();
  const setting = UNKNOWN_ARGUMENTS_SETTINGS.find((s) => s === value);
  if (setting !== undefined) return { setting };
  const near = closest(value, UNKNOWN_ARGUMENTS_SETTINGS);
  return { problem: `must be one of ${UNKNOWN_ARGUMENTS_SETTINGS.join(", ")}; got '${text}'${near === undefined ? "" : ` (did you mean '${near}'?)`}` };
}

/** Rule options that apply the setting to `input/unknown-argument`. */
export function unknownArgumentsOptions(setting: UnknownArgumentsSetting, options: RuleOptions = {}): RuleOptions {
  return { ...options, severities: { ...options.severities, "input/unknown-argument": setting } };
}
