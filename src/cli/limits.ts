/**
 * `azure-vm-backup limits`: the limit profiles (the default marked) and how to choose one or override a
 * single limit, then the limits of a profile with their sources. The settings named here are those
 * src/azure/settings.ts (limitSettings) reads: stack config first, then the environment.
 */
import { DEFAULT_PROFILE, limitProfiles } from "../rules";

export interface LimitsCommandOptions {
  /** One profile's limits only; absent: the profiles, how to choose, then the default profile's limits. */
  profile?: string;
  /** The profiles and how to choose one, without limits. */
  list?: boolean;
}

/** An example override: a limit every profile has. */
const EXAMPLE_OVERRIDE = '{"dataDisksPerVm": 32}';

export function profileList(): string[] {
  const names = Object.keys(limitProfiles);
  const label = (name: string) => (name === DEFAULT_PROFILE ? `${name} (default)` : name);
  const width = Math.max(...names.map((n) => label(n).length));
  const other = names.filter((n) => n !== DEFAULT_PROFILE).pop() ?? DEFAULT_PROFILE;
  return [
    "Limit profiles:",
    ...names.map((name) => `  ${label(name).padEnd(width)}  ${limitProfiles[name]!.description}`),
    "",
    "Choose a profile, or override single limits (JSON, limit names as listed by --profile):",
    `  a stack:        pulumi config set azure-vm-backup:limitProfile ${other}`,
    `                  pulumi config set azure-vm-backup:limits '${EXAMPLE_OVERRIDE}'`,
    `  offline:        azure-vm-backup offline --config azure-vm-backup:limitProfile=${other}`,
    `  environment:    AZURE_VM_BACKUP_LIMIT_PROFILE=${other}  AZURE_VM_BACKUP_LIMITS='${EXAMPLE_OVERRIDE}'`,
    "                  (stack config wins over the environment)",
    `  a plan check:   azure-vm-backup check plan.yaml --profile ${other}`,
    `  the library:    options.profile and options.limits (${EXAMPLE_OVERRIDE.replace(/"/g, "")}; null lifts a nullable limit)`,
  ];
}

export function profileLimits(name: string): string[] {
  const profile = limitProfiles[name]!;
  const lines = [`${profile.name}: ${profile.description}`, ""];
  for (const [key, spec] of Object.entries(profile.limits)) {
    lines.push(`${key} = ${String(spec.value)}${spec.severity === undefined ? "" : ` (${spec.severity})`}`, `    ${spec.source}`);
  }
  return lines;
}

export function runLimits(options: LimitsCommandOptions): string {
  if (options.profile !== undefined && options.list !== true) return `${profileLimits(options.profile).join("\n")}\n`;
  if (options.list === true) return `${profileList().join("\n")}\n`;
  return `${[...profileList(), "", ...profileLimits(DEFAULT_PROFILE)].join("\n")}\n`;
}
