/**
 * The emulator's VM fixture format (`--vms FILE`, `POST /_emulator/vms`, `startEmulator({ vms })`): a JSON
 * Schema shipped with the package (schemas/vm-fixture.schema.json, written by hand from `VmFixture` in
 * ./state.ts; test/emulator/vm-schema.test.ts checks that they agree), checked with Ajv when VMs are loaded, so
 * that a malformed fixture is refused at start, one line per problem naming the VM and the property, instead
 * of crashing a request handler later.
 */
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { closest, distance } from "fastest-levenshtein";
import type { VmFixture } from "./state";

/**
 * Where the schema is: the package's `schemas/` folder, two levels above this file both in the sources
 * (src/emulator) and in the build (dist/emulator).
 */
export const VM_FIXTURE_SCHEMA_PATH = join(__dirname, "..", "..", "schemas", "vm-fixture.schema.json");

let schema: Readonly<Record<string, unknown>> | undefined;

/** The JSON Schema of a VM fixture file (schemas/vm-fixture.schema.json, read when first needed). */
export function vmFixtureSchema(): Readonly<Record<string, unknown>> {
  schema ??= JSON.parse(readFileSync(VM_FIXTURE_SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  return schema;
}

/** The schema's path as a user would type it from the current directory (absolute when outside it). */
export function vmFixtureSchemaPathForHelp(cwd: string = process.cwd()): string {
  const rel = relative(cwd, VM_FIXTURE_SCHEMA_PATH);
  return rel === "" || rel.startsWith("..") || rel.startsWith(sep) ? VM_FIXTURE_SCHEMA_PATH : rel;
}

/** Problems listed before "... and N more". */
const MAX_PROBLEMS = 20;

let validate: ValidateFunction | undefined;

function valueAt(root: unknown, pointer: string[]): unknown {
  let value = root;
  for (const key of pointer) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** `["osDisk", "sizeGb"]` → `osDisk.sizeGb`; `["dataDisks", "0", "lun"]` → `dataDisks[0].lun`. */
function propertyPath(segments: string[]): string {
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`), "");
}

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};

/** The schema object of the property an error is about (to suggest the known property names). */
function knownProperties(error: ErrorObject): string[] {
  const schema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(schema?.properties ?? {}).filter((k) => k !== "$schema");
}

/** What is wrong, in words: "must be a number; got \"big\"". */
function expected(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}; got ${shown(value)}`;
    case "required":
      return "is required";
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      const names = knownProperties(error);
      const near = names.length === 0 ? undefined : closest(name, names);
      const hint =
        near !== undefined && distance(name.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(name.length / 3)) ? `did you mean '${near}'? ` : "";
      const of = names.includes("vms") ? "the file" : names.includes("id") ? "a VM" : names.includes("lun") ? "a data disk" : "an OS disk";
      return `is not a property of ${of} (${hint}known: ${names.join(", ")})`;
    }
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}; got ${shown(value)}`;
    case "pattern":
      return error.instancePath.endsWith("/id")
        ? `must be the VM's ARM id, /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>; got ${shown(value)}`
        : `must match ${String(params.pattern)}; got ${shown(value)}`;
    case "exclusiveMinimum":
      return `must be more than ${String(params.limit)}; got ${shown(value)}`;
    case "minimum":
      return `must be ${String(params.limit)} or more; got ${shown(value)}`;
    case "minLength":
      return "must not be empty";
    default:
      return `${error.message ?? "is not valid"}; got ${shown(value)}`;
  }
}

/** One line for one problem: the VM (index in the list, and its name when its id gives one), the property, what is expected. */
function describe(error: ErrorObject, root: unknown): string {
  const segments = error.instancePath.split("/").slice(1);
  if (error.keyword === "required") segments.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === "additionalProperties") segments.push(String((error.params as { additionalProperty: string }).additionalProperty));
  const inList = Array.isArray(root) ? segments : segments.slice(1);
  if (!Array.isArray(root) && segments.length === 1 && error.keyword === "additionalProperties")
    return `the file, '${segments[0]!}': ${expected(error, undefined)}`;
  if (inList.length === 0 || (!Array.isArray(root) && segments[0] !== "vms")) {
    return `the file: must be a JSON list of VMs, or { "vms": [...] }; got ${Array.isArray(root) ? "a list" : shown(root)}`;
  }
  const index = inList[0]!;
  const vm = valueAt(Array.isArray(root) ? root : (root as { vms: unknown }).vms, [index]);
  const id = valueAt(vm, ["id"]);
  const name = typeof id === "string" && id !== "" ? ` '${id.split("/").pop() || id}'` : " (no id)";
  const rest = inList.slice(1);
  const where = rest.length === 0 ? "" : ` ${propertyPath(rest)}`;
  const value = error.keyword === "required" || error.keyword === "additionalProperties" ? undefined : valueAt(root, error.instancePath.split("/").slice(1));
  return rest.length === 0 && error.keyword === "type"
    ? `VM [${index}]: must be an object (a VM); got ${shown(value)}`
    : `VM [${index}]${name}${where === "" ? "" : `,${where}`}: ${expected(error, value)}`;
}

/** The problems of a parsed fixture, one line each (empty when it is valid). */
export function vmFixtureProblems(value: unknown): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(vmFixtureSchema());
  if (validate(value)) return [];
  // oneOf reports both branches; the branch of the value's own shape is the one that explains it.
  // (Errors inside the VM definition have its schema path, whichever branch led there.)
  const otherBranch = Array.isArray(value) ? "#/oneOf/1" : value !== null && typeof value === "object" ? "#/oneOf/0" : undefined;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "oneOf" && (otherBranch === undefined || !e.schemaPath.startsWith(otherBranch)));
  return [...new Set(errors.map((e) => describe(e, value)))];
}

/** The VMs in a parsed fixture, or an error naming each problem on its own line (`source` names the file in messages). */
export function parseVmFixtures(value: unknown, source: string): VmFixture[] {
  const problems = vmFixtureProblems(value);
  if (problems.length > 0) {
    const shownProblems = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > MAX_PROBLEMS ? [`... and ${problems.length - MAX_PROBLEMS} more`] : [];
    throw new Error(
      `${source} is not a valid VM fixture (${problems.length} problem${problems.length === 1 ? "" : "s"}; the format: ${VM_FIXTURE_SCHEMA_PATH}):\n  ${[...shownProblems, ...more].join("\n  ")}`,
    );
  }
  return (Array.isArray(value) ? value : (value as { vms: unknown[] }).vms) as VmFixture[];
}
