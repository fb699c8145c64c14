/** Azure resource names the rules check in several places. */
import { createContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";

/** Characters a resource group name may hold: letters, digits, '_', '-', '.', '(' and ')' (DOCS.armRg). */
export const RESOURCE_GROUP_CHARS = /^[-\w.()]+$/;
export const RESOURCE_GROUP_MAX = 90;

/** Validates a resource group name: 1-90 characters of the allowed set, not ending in a period. */
export function validateResourceGroupName(name: unknown, path = "resourceGroupName", options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  if (typeof name !== "string" || name === "") {
    ctx.report("input/required", path, "The resource group name is required.", { remedy: "Give the name of the vault's resource group." });
  } else if (name.length > RESOURCE_GROUP_MAX || !RESOURCE_GROUP_CHARS.test(name) || name.endsWith(".")) {
    ctx.report(
      "input/resource-group-name",
      path,
      `'${name}' is not a resource group name: 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.`,
    );
  }
  return ctx.diagnostics;
}
