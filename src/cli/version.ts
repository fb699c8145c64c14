/**
 * The package's version, read from its package.json at run time: `src/cli` (run from sources) and
 * `dist/cli` (the installed package) are both two directories below it. Read, not imported, so that
 * the build's rootDir stays `src` and the version shown is the one npm installed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { name?: unknown; version?: unknown };
  if (manifest.name !== "pulumi-azure-vm-backup" || typeof manifest.version !== "string") {
    throw new Error("azure-vm-backup: cannot read the package's own version from its package.json.");
  }
  return manifest.version;
}
