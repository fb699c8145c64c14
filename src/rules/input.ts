/**
 * Typed readers for untyped input (plan files, Pulumi inputs from JavaScript programs). Each reader
 * reports a wrong type or a missing required value as a diagnostic and returns `undefined` (absent)
 * or `Unknown` (a preview unknown, which is never judged).
 */
import type { RuleCode } from "./catalog";
import type { RuleContext } from "./context";
import { joinPath } from "./diagnostics";
import { suggest } from "./suggest";
import { isUnknownInput, Unknown } from "./unknown";

export type Read<T> = T | undefined | Unknown;

export interface ReadOptions {
  required?: boolean;
  /** What the value is, in the user's words, for messages ("the VM's location"). */
  what?: string;
  remedy?: string;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function absent(ctx: RuleContext, value: unknown, path: string, options: ReadOptions, expected: string): boolean {
  if (value !== undefined && value !== null) return false;
  if (options.required === true) {
    ctx.report("input/required", path, `${options.what ?? path} is required (${expected}).`, remedy(options));
  }
  return true;
}

function remedy(options: ReadOptions): { remedy?: string } {
  return options.remedy === undefined ? {} : { remedy: options.remedy };
}

function typeError(ctx: RuleContext, path: string, expected: string, value: unknown, options: ReadOptions): undefined {
  ctx.report("input/type", path, `${options.what ?? path} must be ${expected}; got ${describe(value)}.`, remedy(options));
  return undefined;
}

/**
 * Reads an object and warns about properties outside `known` (typos in plan files are otherwise silent).
 */
export function readObject(ctx: RuleContext, value: unknown, path: string, known: readonly string[], options: ReadOptions = {}): Read<Record<string, unknown>> {
  if (isUnknownInput(value)) return Unknown;
  if (absent(ctx, value, path, options, "an object")) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return typeError(ctx, path, "an object", value, options);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (known.includes(key) || key.startsWith("__")) continue;
    ctx.report(
      "input/unknown-property",
      joinPath(path, key),
      `'${key}' is not a property of ${options.what ?? (path === "" ? "this input" : path)}${suggest(key, known)}; it is ignored.`,
      { remedy: `Known properties: ${known.join(", ")}.` },
    );
  }
  return record;
}

export function readString(ctx: RuleContext, value: unknown, path: string, options: ReadOptions = {}): Read<string> {
  if (isUnknownInput(value)) return Unknown;
  if (absent(ctx, value, path, options, "a string")) return undefined;
  if (typeof value !== "string") return typeError(ctx, path, "a string", value, options);
  if (value.trim() === "") {
    if (options.required === true) {
      ctx.report("input/required", path, `${options.what ?? path} must not be empty.`, remedy(options));
    }
    return undefined;
  }
  return value;
}

export function readNumber(ctx: RuleContext, value: unknown, path: string, options: ReadOptions & { integer?: boolean } = {}): Read<number> {
  if (isUnknownInput(value)) return Unknown;
  const expected = options.integer === true ? "a whole number" : "a number";
  if (absent(ctx, value, path, options, expected)) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || (options.integer === true && !Number.isInteger(value))) {
    return typeError(ctx, path, expected, value, options);
  }
  return value;
}

export function readBoolean(ctx: RuleContext, value: unknown, path: string, options: ReadOptions = {}): Read<boolean> {
  if (isUnknownInput(value)) return Unknown;
  if (absent(ctx, value, path, options, "true or false")) return undefined;
  if (typeof value !== "boolean") return typeError(ctx, path, "true or false", value, options);
  return value;
}

export function readArray(ctx: RuleContext, value: unknown, path: string, options: ReadOptions = {}): Read<unknown[]> {
  if (isUnknownInput(value)) return Unknown;
  if (absent(ctx, value, path, options, "a list")) return undefined;
  if (!Array.isArray(value)) return typeError(ctx, path, "a list", value, options);
  return value;
}

/**
 * Reads one of a fixed set of names, in any case, and returns its canonical spelling.
 */
export function readChoice<T extends string>(
  ctx: RuleContext,
  value: unknown,
  path: string,
  choices: readonly T[],
  code: RuleCode,
  options: ReadOptions = {},
): Read<T> {
  const text = readString(ctx, value, path, options);
  if (typeof text !== "string") return text;
  const match = choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
  if (match !== undefined) return match;
  ctx.report(code, path, `${JSON.stringify(text)} is not a valid ${options.what ?? path}${suggest(text, choices)}.`, {
    remedy: options.remedy ?? `Use one of: ${choices.join(", ")}.`,
  });
  return undefined;
}

/**
 * Reads a list of choices (weekdays, months, ...): each entry canonicalised, duplicates reported.
 * Returns `Unknown` when the list or any entry is unknown.
 */
export function readChoiceList<T extends string>(
  ctx: RuleContext,
  value: unknown,
  path: string,
  choices: readonly T[],
  code: RuleCode,
  options: ReadOptions = {},
): Read<T[]> {
  const list = readArray(ctx, value, path, options);
  if (list === undefined || list === Unknown) return list;
  const out: T[] = [];
  let unknown = false;
  list.forEach((entry, i) => {
    const item = readChoice(ctx, entry, joinPath(path, i), choices, code, { what: options.what ?? path });
    if (item === Unknown) unknown = true;
    else if (item !== undefined) {
      if (out.includes(item)) {
        ctx.report("input/duplicate", joinPath(path, i), `${item} is listed twice in ${path}.`, {
          remedy: "List each value once.",
        });
      } else out.push(item);
    }
  });
  if (unknown) return Unknown;
  if (out.length === 0 && options.required === true && list.length === 0) {
    ctx.report("input/required", path, `${options.what ?? path} must list at least one value.`, remedy(options));
  }
  return out;
}
