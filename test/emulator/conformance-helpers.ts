/**
 * Helpers shared by the conformance tests (test/emulator/conformance-*.test.ts): Microsoft's x-ms-examples
 * saved in test/fixtures/arm, a recorder of the raw HTTP exchanges an SDK call makes (the SDKs drop keys
 * they do not know, so bodies are compared as the emulator wrote them), and the comparisons themselves:
 * key structure of bodies, presence of the headers an example carries, and the shape of operation URLs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface FixtureResponse {
  headers?: Record<string, string | number>;
  body?: unknown;
}

export interface Fixture {
  parameters: Record<string, unknown>;
  responses: Record<string, FixtureResponse>;
}

/** A saved example, `test/fixtures/arm/<name>.json`. */
export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(__dirname, "../fixtures/arm", `${name}.json`), "utf8")) as Fixture;
}

/** The example's response for a status code (the test fails when the example has none). */
export function fixtureResponse(name: string, status: number): FixtureResponse {
  const response = fixture(name).responses[String(status)];
  if (response === undefined) throw new Error(`fixture ${name} has no ${status} response`);
  return response;
}

/** A key path of the example that the emulator does not model, and why. */
export interface Exclusion {
  /** Dotted key path, `[0]` for an array's first element: `properties.privateEndpointConnections`, `value[0].properties.workloadType`. */
  path: string;
  reason: string;
}

/** Every key path of a JSON value, with `[0]` for arrays (first element only). */
function keyPaths(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : [`${path}[0]`, ...keyPaths(value[0], `${path}[0]`)];
  if (value === null || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const p = path === "" ? key : `${path}.${key}`;
    out.push(p, ...keyPaths(child, p));
  }
  return out;
}

function excluded(path: string, exclusions: readonly Exclusion[]): boolean {
  return exclusions.some((e) => path === e.path || path.startsWith(`${e.path}.`) || path.startsWith(`${e.path}[`));
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * The key paths of `expected` (a fixture body) that `actual` lacks, or holds with another JSON type.
 * Objects are compared key by key, recursively; arrays by their first element. A key whose example value is
 * `null` is not required: the SDKs deserialise `null` and a missing key alike.
 */
export function shapeDifferences(actual: unknown, expected: unknown, exclusions: readonly Exclusion[] = [], path = ""): string[] {
  if (path !== "" && excluded(path, exclusions)) return [];
  if (expected === null) return [];
  const where = path === "" ? "(body)" : path;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where}: expected an array, got ${kind(actual)}`];
    if (expected.length === 0 || excluded(`${path}[0]`, exclusions)) return [];
    if (actual.length === 0) return [`${path}[0]: expected at least one element, got an empty array`];
    return shapeDifferences(actual[0], expected[0], exclusions, `${path}[0]`);
  }
  if (typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${where}: expected an object, got ${kind(actual)}`];
    const out: string[] = [];
    for (const [key, child] of Object.entries(expected as Record<string, unknown>)) {
      const p = path === "" ? key : `${path}.${key}`;
      if (excluded(p, exclusions) || child === null) continue;
      if (!(key in (actual as Record<string, unknown>))) {
        out.push(`${p}: missing`);
        continue;
      }
      out.push(...shapeDifferences((actual as Record<string, unknown>)[key], child, exclusions, p));
    }
    return out;
  }
  return kind(actual) === kind(expected) ? [] : [`${where}: expected ${kind(expected)}, got ${kind(actual)}`];
}

/**
 * Asserts that `actual` (the emulator's raw JSON) has the key structure of `expected` (the example body),
 * apart from the listed exclusions. Each exclusion must name a key path the example really has, so that the
 * list stays honest when fixtures change.
 */
export function expectShape(actual: unknown, expected: unknown, exclusions: readonly Exclusion[] = []): void {
  const paths = new Set(keyPaths(expected));
  const stale = exclusions.filter((e) => !paths.has(e.path)).map((e) => e.path);
  expect(stale).toEqual([]);
  expect(shapeDifferences(actual, expected, exclusions)).toEqual([]);
}

// ---- raw exchanges ------------------------------------------------------------------------------

/** What `onResponse` receives from the autorest clients (core-client) and the compute client (ts-http-runtime). */
export interface RawResponseLike {
  status: number;
  headers: { toJSON(): Record<string, string> };
  bodyAsText?: string | null;
  parsedBody?: unknown;
  request: { method: string; url: string };
}

export interface Exchange {
  method: string;
  url: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  text: string;
  /** The body as JSON (`undefined` when empty). */
  json: unknown;
}

export interface Recorder {
  exchanges: Exchange[];
  onResponse: (raw: RawResponseLike) => void;
  /** The latest exchange. */
  last(): Exchange;
}

/** Records every HTTP exchange of an SDK call, polls included (LRO pollers pass `onResponse` on). */
export function recorder(): Recorder {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    onResponse: (raw) => {
      const text = raw.bodyAsText ?? (raw.parsedBody === undefined ? "" : JSON.stringify(raw.parsedBody));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(raw.headers.toJSON())) headers[k.toLowerCase()] = v;
      exchanges.push({
        method: raw.request.method,
        url: raw.request.url,
        status: raw.status,
        headers,
        text,
        json: text === "" ? undefined : (JSON.parse(text) as unknown),
      });
    },
    last: () => {
      const e = exchanges[exchanges.length - 1];
      if (e === undefined) throw new Error("no response recorded");
      return e;
    },
  };
}

// ---- operation URLs -----------------------------------------------------------------------------

/** Path segments whose next segment is a name (a value), not part of the API's structure. */
const COLLECTIONS = new Set([
  "subscriptions",
  "resourcegroups",
  "vaults",
  "backupfabrics",
  "protectioncontainers",
  "protecteditems",
  "backuppolicies",
  "operationresults",
  "operationsstatus",
  "operationstatus",
  "operations",
  "backupoperations",
  "backupoperationresults",
]);

/** The structure of an ARM URL's path: literal segments lower-cased, names as `{}` (`/subscriptions/{}/resourcegroups/{}/...`). */
export function pathTemplate(url: string): string {
  const segments = new URL(url, "https://management.azure.com").pathname.split("/").filter((s) => s !== "");
  return `/${segments.map((s, i) => (i > 0 && COLLECTIONS.has(segments[i - 1]!.toLowerCase()) ? "{}" : decodeURIComponent(s).toLowerCase())).join("/")}`;
}

/** The decoded path of an absolute URL. */
export function decodedPath(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}

/**
 * Checks the headers of an accepted (202/201) answer against the example's: every header the example has is
 * there; Location and Azure-AsyncOperation are absolute `https://` URLs on the emulator's origin, with the
 * example's path structure and an api-version; when both are present they carry the same operation id.
 * Returns the operation id.
 */
export function expectOperationHeaders(exchange: Exchange, example: FixtureResponse, origin: string): string {
  const names = Object.keys(example.headers ?? {}).map((h) => h.toLowerCase());
  expect(names.length).toBeGreaterThan(0);
  expect(Object.keys(exchange.headers)).toEqual(expect.arrayContaining(names));
  const ids: string[] = [];
  for (const name of ["location", "azure-asyncoperation"]) {
    const value = exchange.headers[name];
    const want = Object.entries(example.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    if (want === undefined) continue;
    expect(value).toBeDefined();
    const url = new URL(value!);
    expect(value!.startsWith("https://")).toBe(true);
    expect(url.origin).toBe(origin);
    expect(url.searchParams.get("api-version")).toEqual(expect.any(String));
    expect(pathTemplate(value!)).toBe(pathTemplate(String(want)));
    ids.push(url.pathname.split("/").pop()!);
  }
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size).toBe(1);
  return ids[0]!;
}
