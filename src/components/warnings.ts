/**
 * The components' early word: warnings and notes from `src/rules` about what the program declares, logged
 * on the component as soon as its inputs are known (errors are the providers' `check()` to report, so
 * that they stop the deployment).
 */
import * as pulumi from "@pulumi/pulumi";
import { describeDiagnostic, type Diagnostic } from "../rules";

export function logAdvice(resource: pulumi.Resource, diagnostics: readonly Diagnostic[], namedArguments: ReadonlySet<string> = new Set()): void {
  for (const d of diagnostics) {
    // An argument the component's own check already named (input/unknown-argument, see ./arguments) is not named twice.
    if (d.code === "input/unknown-property" && namedArguments.has(d.path)) continue;
    if (d.severity === "warning") void pulumi.log.warn(describeDiagnostic(d), resource);
    else if (d.severity === "info") void pulumi.log.info(describeDiagnostic(d), resource);
  }
}
