/**
 * Routes by method and path template. ARM paths are case-insensitive (the SDKs send `/Subscriptions/` for
 * some operations and `/subscriptions/` for others) and percent-encoded (`iaasvmcontainer%3B...`), so
 * literal segments compare without case and parameters are matched after decoding.
 */
import type { EmulatorRequest, EmulatorResponse } from "./http";

export type Handler = (request: EmulatorRequest) => EmulatorResponse;

interface Route {
  method: string;
  segments: Array<{ literal: string } | { param: string }>;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): void {
    const segments = template
      .split("/")
      .filter((s) => s !== "")
      .map((s) => (s.startsWith("{") && s.endsWith("}") ? { param: s.slice(1, -1) } : { literal: s.toLowerCase() }));
    // One handler per method and path: a second registration would never be reached (the first match wins), so it is a
    // mistake of the emulator's modules, caught when the emulator starts.
    const shape = (list: typeof segments) => list.map((s) => ("param" in s ? "{}" : s.literal)).join("/");
    const key = `${method.toUpperCase()} ${shape(segments)}`;
    if (this.routes.some((r) => `${r.method} ${shape(r.segments)}` === key)) throw new Error(`emulator route registered twice: ${method} ${template}`);
    this.routes.push({ method: method.toUpperCase(), segments, handler });
  }

  /** The handler and parameters for a request; `allowed` lists the methods a path supports when the method does not match. */
  find(method: string, segments: readonly string[]): { handler: Handler; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = match(route, segments);
      if (params === undefined) continue;
      if (route.method === method.toUpperCase()) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function match(route: Route, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = route.segments[i]!;
    const got = segments[i]!;
    if ("literal" in want) {
      if (want.literal !== got.toLowerCase()) return undefined;
    } else {
      params[want.param] = got;
    }
  }
  return params;
}
