/**
 * What the components read from stack config: the limit profile and overrides the providers also use
 * (`azure-vm-backup:limitProfile`, `azure-vm-backup:limits`), so that a program-wide check and a
 * resource's own check apply the same limits.
 */
import * as pulumi from "@pulumi/pulumi";
import { limitSettings, unknownArgumentsSetting, type ConfigSource } from "../azure/settings";
import type { RuleOptions, UnknownArgumentsSetting } from "../rules";

const stackConfig: ConfigSource = {
  get(key) {
    const colon = key.indexOf(":");
    try {
      return new pulumi.Config(key.slice(0, colon)).get(key.slice(colon + 1));
    } catch {
      return undefined;
    }
  },
};

/** Rule options from stack config; a broken setting is left to the providers' check to report. */
export function programRuleOptions(): RuleOptions {
  try {
    const { limitProfile, limits } = limitSettings(stackConfig);
    return { ...(limitProfile === undefined ? {} : { profile: limitProfile }), ...(limits === undefined ? {} : { limits }) };
  } catch {
    return {};
  }
}

/**
 * What a component does with an argument it does not have: `azure-vm-backup:unknownArguments`, then
 * AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS; throws a SettingsError for a value it does not know (a misspelt
 * `error` must not quietly mean `warning`).
 */
export function programUnknownArguments(): UnknownArgumentsSetting {
  return unknownArgumentsSetting(stackConfig);
}
