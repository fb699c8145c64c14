/**
 * Loading the components (what every Pulumi program of a user does on every preview) loads no Azure SDK
 * module: ids and limit settings come from pure modules of src/azure, and the SDKs load only when a provider
 * runs, in the provider host. Checked in a fresh process through `require.cache`; the providers are the
 * control that shows the check sees SDK modules when they are loaded.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

function loaded(module: string): { azure: number; pulumi: number } {
  const script = `require(${JSON.stringify(join(ROOT, module))});
const keys = Object.keys(require.cache);
process.stdout.write(JSON.stringify({ azure: keys.filter((k) => k.includes("node_modules/@azure/")).length, pulumi: keys.filter((k) => k.includes("node_modules/@pulumi/pulumi/")).length }));`;
  const out = execFileSync(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out) as { azure: number; pulumi: number };
}

describe("what loading the package costs a program", () => {
  it("the components and the package root load Pulumi but no @azure/* module", () => {
    for (const module of ["src/components/index.ts", "src/index.ts"]) {
      const counts = loaded(module);
      expect(counts.pulumi).toBeGreaterThan(0);
      expect(counts.azure).toBe(0);
    }
  });

  it("the providers do load the Azure SDKs (the control: the check sees them)", () => {
    expect(loaded("src/providers/index.ts").azure).toBeGreaterThan(50);
  });
});
