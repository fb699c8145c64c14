/**
 * What loading the package costs a Pulumi program, on every preview and up: milliseconds to require it and
 * the modules it loads, against `@pulumi/pulumi` alone (which every program loads anyway) and against the
 * providers (what the provider host loads when a provider runs: the Azure SDKs).
 *
 *   npm run bench:startup        # or: npx tsx bench/startup.ts [runs]
 *
 * Each figure is the median of fresh `node` processes (a warm module cache would hide the cost). The
 * package is loaded by its own name, through `package.json` `exports`, from the sources
 * (`--conditions=azure-vm-backup-source --import tsx`, as the tests do); tsx's on-the-fly transpiling is
 * part of these figures, so a built package (dist/) loads faster still.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..");

interface Load {
  ms: number;
  modules: number;
  azure: number;
  pulumi: number;
}

function loadOnce(specifier: string): Load {
  const script = `const t = process.hrtime.bigint();
require(${JSON.stringify(specifier)});
const ms = Number(process.hrtime.bigint() - t) / 1e6;
const keys = Object.keys(require.cache);
process.stdout.write(JSON.stringify({ ms, modules: keys.length, azure: keys.filter((k) => k.includes("node_modules/@azure/")).length, pulumi: keys.filter((k) => k.includes("node_modules/@pulumi/")).length }));`;
  const out = execFileSync(process.execPath, ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out) as Load;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const runs = Number(process.argv[2] ?? 5);
  const subjects: Array<[string, string]> = [
    ["@pulumi/pulumi alone (every program)", "@pulumi/pulumi"],
    ["pulumi-azure-vm-backup (the components)", "pulumi-azure-vm-backup"],
    ["pulumi-azure-vm-backup/providers (provider host)", "pulumi-azure-vm-backup/providers"],
  ];
  console.log(`startup: median of ${runs} fresh processes`);
  for (const [label, specifier] of subjects) {
    const loads = Array.from({ length: runs }, () => loadOnce(specifier));
    const last = loads[loads.length - 1]!;
    console.log(
      `  ${label.padEnd(50)} ${median(loads.map((l) => l.ms))
        .toFixed(0)
        .padStart(6)} ms  ${String(last.modules).padStart(5)} modules  (@azure/*: ${last.azure}, @pulumi/*: ${last.pulumi})`,
    );
  }
}

main();
