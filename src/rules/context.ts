/**
 * The options every rule function takes, the limits they resolve to, and the context that collects
 * diagnostics while rules run.
 */
import { RULES, type RuleCode } from "./catalog";
import type { Diagnostic, DiagnosticLimit, Severity } from "./diagnostics";
import { DEFAULT_PROFILE, ENUM_LIMITS, limitProfiles, type LimitKey, type Limits, type LimitSpecs } from "./profiles";
import type { DiagnosticSubject } from "./subjects";
import { suggest } from "./suggest";

export interface RuleOptions {
  /** Limit profile name (default `stack-v2-2018`); see `limitProfiles`. */
  profile?: string;
  /** Per-limit overrides on top of the profile, e.g. `{ dataDisksPerVm: 32 }`. */
  limits?: Partial<Limits>;
  /** Per-rule severity overrides by code; `"off"` silences a rule. */
  severities?: Partial<Record<RuleCode, Severity | "off">>;
}

export interface ResolvedLimit<K extends LimitKey = LimitKey> {
  key: K;
  value: Limits[K];
  source: string;
  /** Set for advisory limits whose breach the profile rates differently from the rule's default. */
  severity: Severity | undefined;
  /** The profile the value came from, or `override`. */
  profile: string;
}

export class ResolvedLimits {
  constructor(
    readonly profile: string,
    private readonly specs: LimitSpecs,
    private readonly overrides: Partial<Limits>,
  ) {}

  value<K extends LimitKey>(key: K): Limits[K] {
    return this.get(key).value;
  }

  get<K extends LimitKey>(key: K): ResolvedLimit<K> {
    const spec = this.specs[key];
    const severity = spec.severity;
    if (Object.prototype.hasOwnProperty.call(this.overrides, key)) {
      const value = this.overrides[key] as Limits[K];
      return {
        key,
        value,
        severity,
        profile: "override",
        source: `override options.limits.${key} (profile ${this.profile}: ${String(spec.value)}, ${spec.source})`,
      };
    }
    return { key, value: spec.value as Limits[K], severity, source: spec.source, profile: this.profile };
  }

  /** All limit values, for reports. */
  all(): Limits {
    const out = {} as Record<LimitKey, unknown>;
    for (const key of Object.keys(this.specs) as LimitKey[]) out[key] = this.value(key);
    return out as unknown as Limits;
  }
}

export interface ReportDetail {
  /** The limit that was broken; supplies `limit`, `source` and the default severity. */
  limit?: LimitKey;
  source?: string;
  remedy?: string;
  severity?: Severity;
  /** Other entries of the plan the diagnostic names. */
  related?: DiagnosticSubject[];
}

/** Collects diagnostics for one validation run; `nested` contexts share the same list under a path prefix. */
export class RuleContext {
  constructor(
    readonly limits: ResolvedLimits,
    private readonly severities: RuleOptions["severities"] = {},
    readonly diagnostics: Diagnostic[] = [],
    private readonly prefix = "",
  ) {}

  limit<K extends LimitKey>(key: K): Limits[K] {
    return this.limits.value(key);
  }

  /** Errors reported so far (by any context sharing this list): rules compare counts to tell whether their input was valid. */
  errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === "error").length;
  }

  report(code: RuleCode, path: string, message: string, detail: ReportDetail = {}): void {
    const configured = this.severities?.[code];
    if (configured === "off") return;
    const info = RULES[code];
    const resolved = detail.limit === undefined ? undefined : this.limits.get(detail.limit);
    const severity = configured ?? detail.severity ?? resolved?.severity ?? info.severity;
    const diagnostic: Diagnostic = { code, severity, path: prefixPath(this.prefix, path), message };
    if (resolved !== undefined) {
      const limit: DiagnosticLimit = { key: resolved.key, value: resolved.value, profile: resolved.profile };
      diagnostic.limit = limit;
    }
    const source = detail.source ?? resolved?.source ?? info.source;
    if (source !== undefined) diagnostic.source = source;
    if (detail.remedy !== undefined) diagnostic.remedy = detail.remedy;
    if (detail.related !== undefined) diagnostic.related = detail.related;
    this.diagnostics.push(diagnostic);
  }

  /** A context whose paths are under `path`, e.g. the plan's `vms[3]`. */
  nested(path: string): RuleContext {
    return new RuleContext(this.limits, this.severities, this.diagnostics, prefixPath(this.prefix, path));
  }
}

function prefixPath(prefix: string, path: string): string {
  if (prefix === "") return path;
  if (path === "") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Resolves `options` to limits; problems with the options themselves come back as diagnostics. */
export function createContext(options: RuleOptions = {}): RuleContext {
  const problems: Array<[RuleCode, string, string, string | undefined]> = [];
  let profileName = options.profile ?? DEFAULT_PROFILE;
  let profile = limitProfiles[profileName];
  if (profile === undefined) {
    const names = Object.keys(limitProfiles);
    problems.push([
      "options/profile-unknown",
      "options.profile",
      `Limit profile '${profileName}' does not exist${suggest(profileName, names)}; the default '${DEFAULT_PROFILE}' was used.`,
      `Use one of: ${names.join(", ")}.`,
    ]);
    profileName = DEFAULT_PROFILE;
    profile = limitProfiles[DEFAULT_PROFILE]!;
  }
  const overrides: Partial<Limits> = {};
  for (const [key, value] of Object.entries(options.limits ?? {})) {
    const spec = (profile.limits as Record<string, { value: unknown }>)[key];
    if (spec === undefined) {
      problems.push([
        "options/limit-unknown",
        `options.limits.${key}`,
        `'${key}' is not a limit${suggest(key, Object.keys(profile.limits))}.`,
        "See limitProfiles for the limit names.",
      ]);
      continue;
    }
    if (value === undefined) continue;
    if (!sameKind(key, spec.value, value)) {
      problems.push([
        "options/limit-type",
        `options.limits.${key}`,
        `Limit '${key}' takes ${kindOf(key, spec.value)}; got ${JSON.stringify(value)}.`,
        undefined,
      ]);
      continue;
    }
    (overrides as Record<string, unknown>)[key] = value;
  }
  const ctx = new RuleContext(new ResolvedLimits(profileName, profile.limits, overrides), options.severities);
  for (const [code, path, message, remedy] of problems) {
    ctx.report(code, path, message, remedy === undefined ? {} : { remedy });
  }
  return ctx;
}

function kindOf(key: string, value: unknown): string {
  const choices = ENUM_LIMITS[key];
  if (choices !== undefined) return `one of ${choices.map((c) => `'${c}'`).join(", ")}`;
  if (value === null || typeof value === "number") return "a number of at least 0 (or null for no limit)";
  return "true or false";
}

function sameKind(key: string, profileValue: unknown, value: unknown): boolean {
  const choices = ENUM_LIMITS[key];
  if (choices !== undefined) return typeof value === "string" && choices.includes(value);
  if (profileValue === null || typeof profileValue === "number") {
    return value === null || (typeof value === "number" && Number.isFinite(value) && value >= 0);
  }
  return typeof value === typeof profileValue;
}
