/**
 * Comparing plain JSON values: the one deep equality the providers' `diff()`, their idempotent creates and
 * the offline stack's drift detection all use, so that "changed" means the same thing everywhere. Pure.
 */

/** Deep equality of plain JSON values, ignoring key order and undefined members. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * A value with its keys sorted and undefined members dropped. `__provider` is dropped too: it is the
 * serialized provider Pulumi stores beside a dynamic resource's inputs and outputs, and a change of its text
 * is never a change of the resource (DESIGN.md §3): without this, every code-only change of the package would
 * diff as an update (reference/PULUMI.md, "diff"; pulumi/pulumi#16826, #6238).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k, v]) => v !== undefined && k !== "__provider")
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
