/**
 * An offline run as `pulumi preview` / `pulumi up` print it: the resources and what happens to each,
 * the diagnostics by resource (check failures, failed operations, the components' warnings), the
 * outputs, and the count of changes.
 */
import type { RunResult, Step, StepOp } from "../testing";

const SYMBOL: Record<StepOp, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " ", read: ">" };
const PRESENT: Record<StepOp, string> = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  same: "unchanged",
  read: "to read",
};
const PAST: Record<StepOp, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged", read: "read" };
const TITLE: Record<RunResult["kind"], string> = {
  preview: "Previewing update",
  up: "Updating",
  destroy: "Destroying",
  "destroy-preview": "Previewing destroy",
  refresh: "Refreshing",
  "refresh-preview": "Refreshing (for this preview only)",
};

/** `urn:pulumi:stack::project::a$b$c::name` → its type (`c`), its depth below the stack, its name. */
function parts(urn: string): { type: string; depth: number; name: string } {
  const [, , chain = "", name = ""] = urn.split("::");
  const types = chain.split("$").filter((t) => t !== "pulumi:pulumi:Stack");
  return { type: types[types.length - 1] ?? chain, depth: Math.max(types.length - 1, 0), name };
}

/** Steps as a tree: each resource followed by its children, in the order they happened. */
function tree(steps: readonly Step[]): Step[] {
  const urns = new Set(steps.map((s) => s.urn));
  const children = new Map<string, Step[]>();
  for (const s of steps) {
    const parent = urns.has(s.parent) ? s.parent : "";
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: Step[] = [];
  const visit = (parent: string) => {
    for (const s of children.get(parent) ?? []) {
      out.push(s);
      if (s.urn !== "") visit(s.urn);
    }
  };
  visit("");
  return out;
}

function stepLine(step: Step): string {
  const { depth } = parts(step.urn);
  return `  ${SYMBOL[step.op].padEnd(2)} ${"  ".repeat(depth)}${step.type.padEnd(52 - 2 * depth)} ${step.name}${step.failed === true ? "  **failed**" : ""}`;
}

function value(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v, null, 2)?.replace(/\n/g, "\n      ") ?? "undefined");
}

export function formatRun(result: RunResult, project: { name: string; stack: string }): string {
  const lines: string[] = [`${TITLE[result.kind]} (${project.name}/${project.stack})`, ""];
  const shown = tree(result.steps).filter((s) => s.op !== "same" && s.type !== "pulumi:pulumi:Stack");
  if (shown.length > 0) {
    lines.push(`     ${"Type".padEnd(52)} Name`);
    for (const step of shown) lines.push(stepLine(step));
    lines.push("");
  }

  // Diagnostics, by resource, in the order Pulumi prints them.
  const byResource = new Map<string, string[]>();
  const add = (urn: string, text: string) => {
    const { type, name } = parts(urn);
    const key = urn === "" ? "" : `${type} (${name})`;
    byResource.set(key, [...(byResource.get(key) ?? []), text]);
  };
  for (const f of result.failures) add(f.urn, `error: ${f.property === "" ? "" : `property '${f.property}': `}${f.reason}`);
  for (const e of result.errors) add(e.urn, `error: ${e.op} failed: ${e.message}`);
  for (const l of result.logs) add(l.urn, `${l.severity}: ${l.message}`);
  if (result.programError !== undefined) add("", `error: the program failed: ${result.programError}`);
  if (byResource.size > 0) {
    lines.push("Diagnostics:");
    for (const [resource, messages] of byResource) {
      lines.push(`  ${resource === "" ? "program" : resource}:`);
      for (const m of messages) lines.push(`    ${m}`);
      lines.push("");
    }
  }

  const outputs = Object.entries(result.outputs);
  if (result.kind === "up" && outputs.length > 0) {
    lines.push("Outputs:");
    const width = Math.max(...outputs.map(([k]) => k.length));
    for (const [key, v] of outputs) lines.push(`    ${key.padEnd(width)}: ${value(v)}`);
    lines.push("");
  }

  const counts = new Map<StepOp, number>();
  for (const s of result.steps) if (s.type !== "pulumi:pulumi:Stack") counts.set(s.op, (counts.get(s.op) ?? 0) + 1);
  const words = result.kind === "preview" || result.kind === "destroy-preview" ? PRESENT : PAST;
  lines.push("Resources:");
  const changed = (["create", "update", "replace", "delete", "read"] as const).filter((op) => (counts.get(op) ?? 0) > 0);
  for (const op of changed) lines.push(`    ${SYMBOL[op]} ${counts.get(op)} ${words[op]}`);
  if ((counts.get("same") ?? 0) > 0) lines.push(`    ${counts.get("same")} unchanged`);
  if (changed.length === 0) lines.push("    no changes");
  lines.push("");
  lines.push(`Duration: ${(result.durationMs / 1000).toFixed(1)}s${result.ok ? "" : "  (failed)"}`);
  return `${lines.join("\n")}\n`;
}
