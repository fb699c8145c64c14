import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// DESIGN §2: src/rules is pure. It may use small pure libraries, never Pulumi or the Azure SDKs.
const RULES_DIR = join(__dirname, "../../src/rules");
const ALLOWED_PACKAGES = ["windows-iana", "fastest-levenshtein"];

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of source.matchAll(pattern)) specifiers.push((match[1] ?? match[2] ?? match[3])!);
  return specifiers;
}

describe("src/rules purity", () => {
  const files = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts"));

  it("has rule modules to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)("%s imports only relative modules and allowed pure packages", (file) => {
    const foreign = importsOf(readFileSync(join(RULES_DIR, file), "utf8")).filter((s) => !s.startsWith("./") && !ALLOWED_PACKAGES.includes(s));
    expect(foreign).toEqual([]);
  });

  it("detects a forbidden import (the check itself works)", () => {
    const sample = 'import * as pulumi from "@pulumi/pulumi";\nconst x = require("@azure/identity");\nimport { a } from "./a";';
    expect(importsOf(sample)).toEqual(["@pulumi/pulumi", "@azure/identity", "./a"]);
  });
});
