/**
 * ARM ids are built and taken apart in one place, src/rules/arm-id.ts: nowhere else in src may a template
 * literal build an id (`/subscriptions/${...}`, or `/providers/Microsoft.` followed in the same id by
 * `${...}`), nor may code take an id's last segment with `.split("/").pop()` (a name alone is not the
 * resource: a vault of the same name in another resource group is another vault).
 *
 * Not scanned: src/emulator (it models Azure on its own and shares no code with src/rules). Remedy texts that show an id's shape with
 * `<placeholders>` in a plain string are fine: they build nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "../..");
const SRC = join(ROOT, "src");
const EXCLUDED = ["src/emulator/", "src/rules/arm-id.ts"];

/** `/subscriptions/${`, or `/providers/Microsoft.` and then a `${` before the id ends (a blank or the template's end). */
const ID_TEMPLATE = /\/subscriptions\/\$\{|\/providers\/Microsoft\.[^\s`]*\$\{/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.isFile() && e.name.endsWith(".ts") ? [path] : [];
  });
}

const isSplitOnSlash = (node: ts.Node): boolean =>
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  node.expression.name.text === "split" &&
  node.arguments.length === 1 &&
  ts.isStringLiteralLike(node.arguments[0]!) &&
  // "/" splits an ARM id; ";" an Azure Backup container or item name (`VM;iaasvmcontainerv2;rg;vm`).
  (node.arguments[0].text === "/" || node.arguments[0].text === ";");

/** The id templates and `.split("/").pop()` calls in a source text, as `line: text`. */
function idTemplatesIn(fileName: string, text: string): Array<{ line: number; code: string }> {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Array<{ line: number; code: string }> = [];
  const report = (node: ts.Node) =>
    found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, code: node.getText(file).split("\n")[0]! });
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node)) {
      // The template's own text with its substitutions as `${`: nested templates are checked on their own.
      const own = node.head.text + node.templateSpans.map((s) => "${}" + s.literal.text).join("");
      if (ID_TEMPLATE.test(own)) report(node);
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "pop" &&
      isSplitOnSlash(node.expression.expression)
    ) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("ARM ids are built only in src/rules/arm-id.ts", () => {
  const files = sourceFiles(SRC)
    .map((path) => relative(ROOT, path).split(sep).join("/"))
    .filter((path) => !EXCLUDED.some((x) => (x.endsWith("/") ? path.startsWith(x) : path === x)));

  it("scans the layers that use ids", () => {
    for (const dir of ["src/rules/", "src/azure/", "src/providers/", "src/components/", "src/testing/", "src/cli/"]) {
      expect([dir, files.some((f) => f.startsWith(dir))]).toEqual([dir, true]);
    }
  });

  it("no source file outside it builds an id in a template or splits one for its last segment", () => {
    const offenders = files.flatMap((path) => idTemplatesIn(path, readFileSync(join(ROOT, path), "utf8")).map((f) => `${path}:${f.line}: ${f.code}`));
    // Each is `file:line: code`; use the formatters and parsers of src/rules/arm-id.ts instead.
    expect(offenders).toEqual([]);
  });

  it("finds what it is meant to find, and nothing else (the check itself works)", () => {
    const sample = [
      "const a = `/subscriptions/${sub}/resourceGroups/${rg}`;", // 1: found
      "const b = `${base}/providers/Microsoft.Compute/virtualMachines/${name}`;", // 2: found
      "const c = `/providers/Microsoft.${ns}`;", // 3: found
      'const d = id.split("/").pop();', // 4: found
      "const e = `Use /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>; got ${id}`;", // 5: placeholders, then a blank before ${
      'const f = "/subscriptions/<id>/providers/Microsoft.Compute";', // 6: a plain string
      "const g = `feature ${ns}/${feature}`;", // 7: no id
      'const h = path.split("/").filter(Boolean).length;', // 8: no pop
      "const i = `x ${`/subscriptions/${s}`}`;", // 9: the nested one is found
      "const j = `${endpoint}\n/subscriptions/${s}`;", // 10-11: found, reported at its start
      'const k = item.itemName.split(";").pop();', // 12: an item name split for the VM's name
    ].join("\n");
    expect(idTemplatesIn("sample.ts", sample).map((f) => f.line)).toEqual([1, 2, 3, 4, 9, 10, 12]);
  });
});
