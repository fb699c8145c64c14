/**
 * Loading the components (what every Pulumi program of a user does on every preview) loads no Azure SDK
 * module: ids and limit settings come from pure modules of src/azure, and the SDKs load only when a provider
 * runs, in the provider host. Checked in a fresh process through `require.cache`; the providers are the
 * control that shows the check sees SDK modules when they are loaded.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

interface Loaded {
  azure: number;
  pulumi: number;
  modules: number;
  ms: number;
}

/** Requires `module` (a path under the repository, or the package's own name) in a fresh process and counts what it loaded. */
function loaded(module: string): Loaded {
  const specifier = module.startsWith("src/") ? join(ROOT, module) : module;
  const script = `const t = process.hrtime.bigint();
require(${JSON.stringify(specifier)});
const ms = Number(process.hrtime.bigint() - t) / 1e6;
const keys = Object.keys(require.cache);
process.stdout.write(JSON.stringify({ ms, modules: keys.length, azure: keys.filter((k) => k.includes("node_modules/@azure/")).length, pulumi: keys.filter((k) => k.includes("node_modules/@pulumi/pulumi/")).length }));`;
  const out = execFileSync(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const counts = JSON.parse(out) as Loaded;
  // Informative only (times are not asserted: they depend on the machine; bench/startup.ts compares them).
  console.log(`require(${module}): ${counts.ms.toFixed(0)} ms, ${counts.modules} modules, ${counts.azure} under @azure/`);
  return counts;
}

describe("what loading the package costs a program", () => {
  it("the components and the package root load Pulumi but no @azure/* module", () => {
    // The package's main entry by its name (self-reference through package.json "exports"), as a program imports it.
    for (const module of ["pulumi-azure-vm-backup", "src/components/index.ts", "src/index.ts"]) {
      const counts = loaded(module);
      expect(counts.pulumi).toBeGreaterThan(0);
      expect(counts.azure).toBe(0);
    }
  });

  it("the providers do load the Azure SDKs (the control: the check sees them)", () => {
    expect(loaded("src/providers/index.ts").azure).toBeGreaterThan(50);
  });
});
