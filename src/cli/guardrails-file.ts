/**
 * `--guardrails FILE` of the `emulator` and `offline` commands: the Azure Policy assignments (built-in Recovery
 * Services definitions) the emulator enforces, so that a team runs its program against its own guardrails before a
 * pull request. A mistake in the file is reported in one line, naming the file and the assignment.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import { GuardrailRejected, parseGuardrails, type GuardrailAssignment } from "../emulator";

export function readGuardrails(path: string): GuardrailAssignment[] {
  const file = resolve(path);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new InvalidArgumentError(`--guardrails ${path}: not JSON (${error.message}). Give a JSON list of policy assignments.`);
    throw error;
  }
  try {
    return parseGuardrails(value);
  } catch (error) {
    if (error instanceof GuardrailRejected) throw new InvalidArgumentError(`--guardrails ${path}: ${error.code}: ${error.message}`);
    throw error;
  }
}
