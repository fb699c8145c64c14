/**
 * The type check `offline` runs before a TypeScript program (src/cli/typecheck.ts), in process, on small
 * projects that import nothing but the standard library: when it checks, with which options, and when it
 * skips as the Pulumi CLI's runtime does.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject, ProjectError } from "../../src/cli/project";
import { nodeConditions, typeCheckProgram } from "../../src/cli/typecheck";

const ROOT = join(__dirname, "../..");
/** A type error under any options, and one only under strict (an implicit any). */
const PROGRAM = 'const n: number = "one";\nexport function f(x) {\n  return x;\n}\nexport { n };\n';

function project(files: Record<string, string>, pulumiYaml = "name: p\nruntime: nodejs\nmain: index.ts\n"): string {
  const dir = mkdtempSync(join(tmpdir(), "avb-typecheck-"));
  writeFileSync(join(dir, "Pulumi.yaml"), pulumiYaml);
  writeFileSync(join(dir, "index.ts"), PROGRAM);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(ROOT, "node_modules", "typescript"), join(dir, "node_modules", "typescript"), "dir");
  return dir;
}

const check = (dir: string, env: NodeJS.ProcessEnv = {}) => typeCheckProgram(loadProject(dir, "dev"), { skip: false, env, cwd: dir, conditions: [] });
const errors = (dir: string, env: NodeJS.ProcessEnv = {}) => {
  const result = check(dir, env);
  return result.kind === "failed" ? result.errors : [];
};

describe("offline's type check", () => {
  it("without a tsconfig.json, checks with Pulumi's defaults (not strict); with one, with its options, errors as tsc prints them", () => {
    expect(errors(project({}))).toEqual(["index.ts:1:7 - error TS2322: Type 'string' is not assignable to type 'number'."]);
    const strict = errors(project({ "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true } }) }));
    expect(strict).toEqual([
      "index.ts:1:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
      "index.ts:2:19 - error TS7006: Parameter 'x' implicitly has an 'any' type.",
    ]);
  });

  it("Pulumi's defaults go over options a tsconfig extends, the file's own options over the defaults", () => {
    // The base asks for ES5 and CommonJS; Pulumi's defaults (ES2020, nodenext) replace them, so no option error.
    const base = JSON.stringify({ compilerOptions: { strict: true, target: "ES5", module: "commonjs", moduleResolution: "node10" } });
    const dir = project({ "base.json": base, "tsconfig.json": JSON.stringify({ extends: "./base.json" }) });
    expect(errors(dir).map((e) => e.split(" - ")[1]!.split(":")[0])).toEqual(["error TS2322", "error TS7006"]);
  });

  it("a tsconfig that sets noCheck skips the check unless PULUMI_NODEJS_TRANSPILE_ONLY says otherwise", () => {
    const dir = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { noCheck: true } }) });
    expect(check(dir)).toEqual({ kind: "skipped", reason: "tsconfig.json sets noCheck" });
    expect(errors(dir, { PULUMI_NODEJS_TRANSPILE_ONLY: "false" })).toHaveLength(1);
    expect(check(dir, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" })).toEqual({ kind: "skipped", reason: "PULUMI_NODEJS_TRANSPILE_ONLY=true" });
  });

  it("a tsconfig named by PULUMI_NODEJS_TSCONFIG_PATH is used; one named but missing is the user's to fix", () => {
    const dir = project({ "tsconfig.strict.json": JSON.stringify({ compilerOptions: { strict: true } }) });
    expect(errors(dir, { PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.strict.json" })).toHaveLength(2);
    expect(() => check(dir, { PULUMI_NODEJS_TSCONFIG_PATH: "nope.json" })).toThrow(ProjectError);
  });

  it("a JavaScript program is not checked; Pulumi.yaml's typescript option must be a boolean", () => {
    const dir = project({ "index.js": "module.exports = {};\n" }, "name: p\nruntime: nodejs\nmain: index.js\n");
    expect(check(dir)).toEqual({ kind: "javascript" });
    const bad = project({}, "name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: yes please\nmain: index.ts\n");
    expect(() => loadProject(bad, "dev")).toThrow("the runtime option 'typescript' must be true or false");
  });

  it("reads Node's --conditions from the process's flags and NODE_OPTIONS", () => {
    expect(nodeConditions(["--conditions=azure-vm-backup-source", "--import", "tsx"], "")).toEqual(["azure-vm-backup-source"]);
    expect(nodeConditions(["-C", "dev"], "--conditions=prod --max-old-space-size=100")).toEqual(["dev", "prod"]);
    expect(nodeConditions([], "")).toEqual([]);
  });
});
