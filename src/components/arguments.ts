/**
 * Each component's check of its own args object, at construction and before it creates any child: an
 * argument it does not have (misspelt, or from another version) is a warning on the component, or, with
 * `azure-vm-backup:unknownArguments` = `error`, stops the program with a message and no stack trace.
 * The rule and the vocabularies are in src/rules/arguments.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { SettingsError } from "../azure/settings";
import {
  checkComponentArguments,
  componentLabel,
  describeDiagnostic,
  findUnknownArguments,
  unknownArgumentsOptions,
  type ComponentKind,
  type UnknownArgumentsSetting,
} from "../rules";
import { programUnknownArguments } from "./config";

/**
 * Checks `args` as the program gave them (a JavaScript object, a spread, a value cast through `any`: the
 * keys are what count, so an argument whose value is an Output or a Promise is checked by its name).
 * Returns the paths it named, so that the rules' own `input/unknown-property` warnings about the same
 * nested blocks are not logged twice.
 */
export function checkArguments(component: pulumi.ComponentResource, kind: ComponentKind, resourceName: string, args: unknown): ReadonlySet<string> {
  const setting = settingFor(component, kind, resourceName);
  const diagnostics = checkComponentArguments(kind, resourceName, args, unknownArgumentsOptions(setting));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const lines = errors.map((d) => describeDiagnostic(d));
    const why = "azure-vm-backup:unknownArguments is 'error'; set it to 'warning' to go on with these arguments ignored.";
    // ResourceError with hideStack: Pulumi's program runner logs only the message, on the resource
    // (@pulumi/pulumi cmd/run/run.js: `err.hideStack ? err.message : defaultErrorMessage(err)`).
    throw new pulumi.ResourceError([...lines, why].join("\n"), component, true);
  }
  for (const d of diagnostics) {
    if (d.severity === "warning") void pulumi.log.warn(describeDiagnostic(d), component);
    else if (d.severity === "info") void pulumi.log.info(describeDiagnostic(d), component);
  }
  return new Set(findUnknownArguments(kind, args).map((u) => u.path));
}

function settingFor(component: pulumi.ComponentResource, kind: ComponentKind, resourceName: string): UnknownArgumentsSetting {
  try {
    return programUnknownArguments();
  } catch (error) {
    if (error instanceof SettingsError) throw new pulumi.ResourceError(`${componentLabel(kind, resourceName)}: ${error.message}`, component, true);
    throw error;
  }
}
