/**
 * What `npm pack` puts in the tarball: the package is packed as from a fresh clone (the repository's files,
 * copied to a temporary directory, so that `prepack` builds there and the repository's dist/ is left alone),
 * and the tarball is read back. Nothing in it may point at something missing: every source map comment, every
 * source a map names, every `exports`/`main`/`types`/`bin` target and every relative require of the built code
 * resolve to a file in the tarball. It holds the LICENSE its `license` field names, and no install script.
 * (The test that installs the tarball and runs a project from it is elsewhere.)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, sep } from "node:path";

const ROOT = join(__dirname, "../..");

interface Manifest {
  name: string;
  version: string;
  license?: string;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  scripts?: Record<string, string>;
}

let work: string;
let pkg: string;
let files: Set<string>;
let manifest: Manifest;

/** The repository's files as a fresh clone holds them (tracked, plus new ones not ignored), uncommitted edits included. */
function cloneLike(to: string): void {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  for (const file of listed.split("\0").filter((f) => f !== "")) {
    const from = join(ROOT, file);
    let isFile: boolean;
    try {
      isFile = statSync(from).isFile();
    } catch {
      continue; // deleted in the working tree, not yet committed
    }
    if (!isFile) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
  // The build needs the dev dependencies (TypeScript): the repository's own, as after `npm ci`.
  symlinkSync(realpathSync(join(ROOT, "node_modules")), join(to, "node_modules"), "dir");
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "azure-vm-backup-pack-"));
  const clone = join(work, "clone");
  const out = join(work, "out");
  mkdirSync(clone);
  mkdirSync(out);
  cloneLike(clone);
  // `npm pack` runs prepack (clean, then build) as `npm publish` does. Its --json output is not read: npm 10.5+ mixes
  // the scripts' output into it (https://github.com/npm/cli/issues/7354); the tarball itself is.
  const pack = spawnSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: clone, encoding: "utf8" });
  if (pack.status !== 0) throw new Error(`npm pack failed (${pack.status ?? pack.signal}):\n${pack.stdout}\n${pack.stderr}`);
  const tarballs = readdirSync(out).filter((f) => f.endsWith(".tgz"));
  expect(tarballs).toHaveLength(1);
  execFileSync("tar", ["-xzf", join(out, tarballs[0]!), "-C", out]);
  pkg = join(out, "package");
  files = new Set(
    readdirSync(pkg, { recursive: true, encoding: "utf8" })
      .filter((f) => statSync(join(pkg, f)).isFile())
      .map((f) => f.split(sep).join("/")),
  );
  manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as Manifest;
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** A path relative to the package root, normalised, or undefined when it leaves the package. */
function inPackage(fromFile: string, target: string): string | undefined {
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), target));
  return joined.startsWith("../") || joined === ".." ? undefined : joined;
}

/** Every target of an `exports` value: a path, or conditions/subpaths whose values are targets. */
function exportTargets(value: unknown, where: string): Array<{ where: string; target: string }> {
  if (typeof value === "string") return [{ where, target: value }];
  if (value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => exportTargets(v, `${where}[${i}]`));
  if (typeof value === "object") return Object.entries(value).flatMap(([k, v]) => exportTargets(v, `${where}["${k}"]`));
  throw new Error(`${where}: unexpected ${typeof value}`);
}

describe("the npm tarball", () => {
  it("holds the built code and its sources, and nothing of the repository's development", () => {
    expect(files).toContain("package.json");
    expect(files).toContain("README.md");
    expect(files).toContain("dist/index.js");
    expect(files).toContain("src/index.ts");
    // Nothing of the repository's development: tests, CI, examples, dependencies.
    expect([...files].filter((f) => /^(test|bench|examples|\.ci|node_modules)\//.test(f))).toEqual([]);
  });

  it("holds the Apache License 2.0 its license field names", () => {
    expect(manifest.license).toBe("Apache-2.0");
    expect(files.has("LICENSE")).toBe(true);
    const text = readFileSync(join(pkg, "LICENSE"), "utf8");
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text.trimEnd()).toMatch(/END OF TERMS AND CONDITIONS$/);
  });

  it("has no install script: npm install runs none of this package's scripts", () => {
    // npm install runs preinstall, install, postinstall and prepare of a package
    // (https://docs.npmjs.com/cli/v11/using-npm/scripts#npm-install), and "node-gyp rebuild" as its install script
    // when a binding.gyp is at the root (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#scripts).
    const scripts = Object.keys(manifest.scripts ?? {});
    expect(scripts.filter((s) => ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"].includes(s))).toEqual([]);
    expect(scripts).toContain("prepack");
    expect([...files].filter((f) => f.endsWith(".gyp"))).toEqual([]);
  });

  it("resolves every exports, main, types and bin target to a file in it", () => {
    const targets = [
      ...exportTargets(manifest.exports ?? {}, "exports"),
      ...(manifest.main === undefined ? [] : [{ where: "main", target: manifest.main }]),
      ...(manifest.types === undefined ? [] : [{ where: "types", target: manifest.types }]),
      ...(typeof manifest.bin === "string"
        ? [{ where: "bin", target: manifest.bin }]
        : Object.entries(manifest.bin ?? {}).map(([name, target]) => ({ where: `bin["${name}"]`, target }))),
    ];
    // A command npm links must start with its interpreter line.
    for (const bin of targets.filter((t) => t.where.startsWith("bin"))) {
      expect(readFileSync(join(pkg, bin.target), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    }
    expect(targets.length).toBeGreaterThan(5);
    // Every condition, the source one too (`azure-vm-backup-source`: the TypeScript sources, shipped for it).
    const missing = targets.filter(({ target }) => {
      expect(target).not.toContain("*"); // no subpath patterns to expand
      const path = inPackage("package.json", target);
      return path === undefined || !files.has(path);
    });
    expect(missing).toEqual([]);
  });

  it("resolves every source map comment, and every source a map names, to a file in it", () => {
    const dangling: string[] = [];
    let maps = 0;
    for (const file of files) {
      if (!/\.(c|m)?js$|\.d\.(c|m)?ts$|\.css$/.test(file)) continue;
      const text = readFileSync(join(pkg, file), "utf8");
      for (const match of text.matchAll(/^\/[/*][#@] sourceMappingURL=(\S+?)(?: \*\/)?\s*$/gm)) {
        const url = match[1]!;
        if (url.startsWith("data:")) continue;
        const map = inPackage(file, decodeURI(url));
        if (map === undefined || !files.has(map)) {
          dangling.push(`${file} -> ${url}`);
          continue;
        }
        maps++;
        const parsed = JSON.parse(readFileSync(join(pkg, map), "utf8")) as { sourceRoot?: string; sources: string[]; sourcesContent?: unknown[] };
        parsed.sources.forEach((source, i) => {
          if (typeof parsed.sourcesContent?.[i] === "string") return; // embedded
          const path = inPackage(map, posix.join(parsed.sourceRoot ?? "", source));
          if (path === undefined || !files.has(path)) dangling.push(`${map} -> ${source}`);
        });
      }
    }
    expect(dangling).toEqual([]);
    // The build writes source maps (tsconfig.json "sourceMap"): this test must have seen them.
    expect(maps).toBeGreaterThan(50);
  });

  it("resolves every relative require of the built code to a file in it", () => {
    const missing: string[] = [];
    for (const file of files) {
      if (!file.endsWith(".js")) continue;
      const text = readFileSync(join(pkg, file), "utf8");
      for (const match of text.matchAll(/\brequire\(\s*"(\.{1,2}\/[^"]*)"\s*\)/g)) {
        const base = inPackage(file, match[1]!);
        const found = base !== undefined && [base, `${base}.js`, `${base}.json`, `${base}/index.js`].some((candidate) => files.has(candidate));
        if (!found) missing.push(`${file} -> ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
