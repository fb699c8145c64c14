/**
 * What every provider shares: the stack config handed to `configure()` (kept in this process, never in
 * state), the settings and clients built from it at call time, the rule options, and check failures.
 */
import type * as pulumi from "@pulumi/pulumi";
import { clientsFor, NO_CONFIG, resolveSettings, type AzureClients, type AzureSettings, type ConfigSource } from "../azure";
import { describeDiagnostic, UNKNOWN_SENTINEL, type Diagnostic, type RuleOptions } from "../rules";

let config: ConfigSource = NO_CONFIG;

/** Called by the provider host with the stack's config before the first operation. */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const stack = req.config;
  config = {
    get: (key) => {
      try {
        const value = stack.get(key) as unknown;
        if (value === undefined || value === null) return undefined;
        return typeof value === "string" ? value : JSON.stringify(value);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The settings of this process's config and environment, resolved once (a fleet's checks ask for them thousands of times),
 * with the environment variables that resolving them read: a change of one of those (tests that set variables between calls)
 * resolves again. Only those variables are read back on each call: enumerating the whole environment took an eighth of the
 * provider host's CPU in a 1,000-VM preview (bench:scale with BENCH_HOST_PROFILE).
 */
let resolved: { config: ConfigSource; read: ReadonlyMap<string, string | undefined>; settings: AzureSettings } | undefined;

export function settings(): AzureSettings {
  if (resolved !== undefined && resolved.config === config && unchanged(resolved.read)) return resolved.settings;
  const read = new Map<string, string | undefined>();
  const env = new Proxy(process.env, {
    get: (target, key) => {
      const value = Reflect.get(target, key) as string | undefined;
      if (typeof key === "string") read.set(key, value);
      return value;
    },
  });
  resolved = { config, read, settings: resolveSettings(config, env) };
  return resolved.settings;
}

function unchanged(read: ReadonlyMap<string, string | undefined>): boolean {
  for (const [key, value] of read) if (process.env[key] !== value) return false;
  return true;
}

export function clients(subscriptionId?: string): AzureClients {
  return clientsFor(settings(), subscriptionId);
}

export function ruleOptions(s: AzureSettings = settings()): RuleOptions {
  return { ...(s.limitProfile === undefined ? {} : { profile: s.limitProfile }), ...(s.limits === undefined ? {} : { limits: s.limits }) };
}

/**
 * Errors as check failures. Pulumi shows `property` and `reason`; the reason carries the rule code, the
 * limit and its source, and the fix, so that a reviewer reading the preview knows what to change.
 */
export function failures(diagnostics: readonly Diagnostic[], propertyOf: (d: Diagnostic) => string = (d) => d.path): pulumi.dynamic.CheckFailure[] {
  const seen = new Set<string>();
  return diagnostics
    .filter((d) => d.severity === "error")
    .filter((d) => {
      // Several rule functions report a problem with the options once each; say it once.
      const key = `${d.code}|${d.path}|${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((d) => ({ property: propertyOf(d) || "", reason: describeDiagnostic(d, { subject: true }) }));
}

/**
 * Problems only the whole program shows (101 VMs on one schedule across many resources, two policies of
 * one name, ...): the components find them with `src/rules` over every vault, policy and protected VM the
 * program declares, and hand them to the one resource that must fail, in its `programChecks` input, so
 * that `check()` stops the deployment before anything is created.
 */
export interface ProgramCheck {
  property: string;
  reason: string;
}

export function programFailures(value: unknown): pulumi.dynamic.CheckFailure[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((c): c is ProgramCheck => c !== null && typeof c === "object" && typeof (c as ProgramCheck).reason === "string")
    .map((c) => ({ property: typeof c.property === "string" ? c.property : "", reason: c.reason }));
}

/** Whether a value (or anything in it) is still unknown (preview). */
export function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN_SENTINEL) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

export const lower = (s: string | undefined) => (s ?? "").toLowerCase();
