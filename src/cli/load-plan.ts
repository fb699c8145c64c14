/** Reads a plan file: JSON (`.json`) or YAML (`.yaml`, `.yml`). */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";

/** A problem with the plan file itself (missing, unreadable, not JSON/YAML); the CLI exits 2. */
export class PlanFileError extends Error {}

export function loadPlan(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(code === "ENOENT" ? `Plan file '${file}' does not exist.` : `Cannot read plan file '${file}': ${(error as Error).message}`);
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".json") {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new PlanFileError(`Plan file '${file}' is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (ext === ".yaml" || ext === ".yml") {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      const where = error instanceof YAMLParseError && error.linePos !== undefined ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : "";
      throw new PlanFileError(`Plan file '${file}' is not valid YAML${where}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new PlanFileError(`Plan file '${file}' must end in .json, .yaml or .yml.`);
}
