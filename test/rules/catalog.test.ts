import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../src";

// Every rule in the catalog is reported by some rule module and exercised by some test, so the
// catalog (which the README and reports list) never advertises a rule that does not exist.
const read = (dir: string, skip: string[] = []) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !skip.includes(f))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");

describe("rule catalog", () => {
  const codes = Object.keys(RULES);
  const sources = read(join(__dirname, "../../src/rules"), ["catalog.ts"]);
  const tests = read(__dirname, ["catalog.test.ts"]);

  it("has stable area/name codes and a title for each", () => {
    for (const code of codes) expect(code).toMatch(/^(input|options|vault|policy|vm|plan|backup-now|status|restore)\/[a-z0-9-]+$/);
    for (const info of Object.values(RULES)) expect(info.title.length).toBeGreaterThan(10);
  });

  it.each(codes)("%s is reported by a rule and asserted by a test", (code) => {
    expect({ code, reported: sources.includes(`"${code}"`), tested: tests.includes(`"${code}"`) }).toEqual({ code, reported: true, tested: true });
  });
});
