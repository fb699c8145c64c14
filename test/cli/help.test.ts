/**
 * `azure-vm-backup <command> --help`: every command shows examples and exit codes; every example parses as the
 * command line it claims (those of `check`, `limits` and `rules` also run); and the exit codes listed are the ones
 * the command returns, through main() (and in a process of its own where the process matters: a port in use, a
 * signal, a whole offline run). `limits` lists the
 * profiles and how to choose one or override a limit. A bad `--vms` file stops `emulator` and `offline` with
 * exit 2, one line per problem.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { stringify } from "yaml";
import { HELP, type CommandHelp } from "../../src/cli/help";
import { buildProgram, main } from "../../src/cli/main";
import { VM_FIXTURE_SCHEMA_PATH } from "../../src/emulator";
import { DEFAULT_PROFILE, limitProfiles } from "../../src/rules";

const ROOT = join(__dirname, "../..");
const PLAN = join(ROOT, "examples/plan.json");

/** The command as a user runs it: one Node process (a tsx wrapper would turn a signal into exit 143), sources through tsx. */
const NODE_ARGS = ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx"), join(ROOT, "src/cli/main.ts")];

function cli(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: "utf8", cwd });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The command in this process, through main() (its exit code and what it writes), for the quick cases. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const saved = process.exitCode;
  process.exitCode = 0;
  try {
    await main(["node", "azure-vm-backup", ...args]);
    return { code: Number(process.exitCode), stdout, stderr };
  } finally {
    process.exitCode = saved;
    out.mockRestore();
    err.mockRestore();
  }
}

function subcommand(program: Command, name: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (found === undefined) throw new Error(`no command ${name}`);
  return found;
}

function helpOf(name: string | undefined): string {
  const program = buildProgram(() => undefined);
  const command = name === undefined ? program : subcommand(program, name);
  let out = "";
  command.configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) });
  command.outputHelp();
  return out;
}

const COMMANDS = Object.keys(HELP).filter((k) => k !== "program") as Array<Exclude<keyof typeof HELP, "program">>;

/** The arguments of an example (up to a pipe); quotes are not needed in any. */
function argsOf(command: string): string[] {
  const words = command.split("|")[0]!.trim().split(/\s+/);
  expect(words[0]).toBe("azure-vm-backup");
  return words.slice(1);
}

describe("help texts", () => {
  it("every command has examples and exit codes, and says so in --help", () => {
    const program = buildProgram(() => undefined);
    expect(program.commands.map((c) => c.name()).sort()).toEqual([...COMMANDS].sort());
    for (const name of [undefined, ...COMMANDS]) {
      const help = HELP[name ?? "program"]();
      const text = helpOf(name);
      expect(help.examples.length).toBeGreaterThanOrEqual(1);
      expect(help.examples.length).toBeLessThanOrEqual(3);
      expect(text).toMatch(/\nExamples:\n {2}# /);
      expect(text).toMatch(/\nExit codes:\n {2}0 {2}/);
      for (const example of help.examples) expect(text).toContain(`  $ ${example.command}\n`);
      for (const [code] of help.exitCodes) expect(text).toMatch(new RegExp(`\\n  ${code}  \\S`));
      for (const line of text.split("\n").slice(text.split("\n").indexOf("Examples:"))) {
        if (!line.startsWith("  $ ")) expect(line.length).toBeLessThanOrEqual(80);
      }
    }
  });

  it("every example is a command line the command accepts", async () => {
    for (const name of [undefined, ...COMMANDS]) {
      for (const example of HELP[name ?? "program"]().examples) {
        const program = buildProgram(() => undefined);
        const ran: string[] = [];
        for (const command of program.commands) {
          command.action(() => void ran.push(command.name()));
          command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
        }
        program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
        const args = argsOf(example.command);
        const wantsHelp = args.includes("--help");
        const parsed = program.parseAsync(["node", "azure-vm-backup", ...args]);
        if (wantsHelp) await expect(parsed).rejects.toMatchObject({ code: "commander.helpDisplayed", exitCode: 0 });
        else await parsed;
        expect({ example: example.command, ran }).toEqual({ example: example.command, ran: wantsHelp ? [] : [args[0]] });
        if (name !== undefined && !wantsHelp) expect(args[0]).toBe(name);
      }
    }
  });

  it("the examples of check, limits and rules run, with the exit codes their help gives", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-help-"));
    const plan = JSON.parse(readFileSync(PLAN, "utf8")) as unknown;
    const files: Record<string, string> = { "plan.yaml": join(dir, "plan.yaml"), "plan.json": join(dir, "plan.json") };
    writeFileSync(files["plan.yaml"]!, stringify(plan));
    writeFileSync(files["plan.json"]!, JSON.stringify(plan));
    const codes: Record<string, number> = {};
    const saved = process.exitCode;
    try {
      for (const help of [HELP.check(), HELP.limits(), HELP.rules()] as CommandHelp[]) {
        for (const example of help.examples) {
          let out = "";
          process.exitCode = 0;
          await buildProgram((text) => (out += text)).parseAsync(["node", "azure-vm-backup", ...argsOf(example.command).map((a) => files[a] ?? a)]);
          expect(out).not.toBe("");
          codes[example.command] = Number(process.exitCode);
        }
      }
    } finally {
      process.exitCode = saved;
    }
    // The example plan has warnings and no errors (test/cli/check.test.ts).
    expect(codes).toEqual({
      "azure-vm-backup check plan.yaml": 0,
      "azure-vm-backup check plan.json --profile azure-2025 --format markdown": 0,
      "azure-vm-backup check plan.yaml --fail-on warning": 1,
      "azure-vm-backup limits": 0,
      "azure-vm-backup limits --list": 0,
      "azure-vm-backup limits --profile azure-2025": 0,
      "azure-vm-backup rules": 0,
      "azure-vm-backup rules | grep '^vault/'": 0,
    });
  });

  it("--vms names the shipped JSON Schema of the VM fixture format", () => {
    for (const name of ["emulator", "offline"]) {
      const text = helpOf(name).replace(/\s+/g, " ");
      expect(text).toContain(`(JSON list, schema: ${join("schemas", "vm-fixture.schema.json")})`);
    }
  });
});

describe("exit codes, as the help gives them", () => {
  it("--help exits 0; an unknown option or command exits 2", async () => {
    const help = await run("offline", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
    expect((await run("rules", "--bogus")).code).toBe(2);
    expect((await run("nonsense")).code).toBe(2);
  });

  it("check: 0 without errors, 1 with errors, 2 for a plan file it cannot read", async () => {
    expect((await run("check", PLAN)).code).toBe(0);
    expect((await run("check", join(ROOT, "examples/plan-invalid.json"))).code).toBe(1);
    const missing = await run("check", "missing.yaml");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("azure-vm-backup: Plan file 'missing.yaml' does not exist.\n");
  });

  it("limits: 0 when listed, 2 for an unknown profile or --list with --profile", async () => {
    const unknown = await run("limits", "--profile", "azure-2026");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`unknown profile; use one of: ${Object.keys(limitProfiles).join(", ")}.`);
    const both = await run("limits", "--list", "--profile", "azure-2025");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '--list' cannot be used with option '--profile <name>'");
  });

  it("emulator: 1 when it cannot listen (the port is in use), 0 when stopped with SIGTERM", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const taken = cli(["emulator", "--port", String(port)]);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toBe(`azure-vm-backup: port ${port} is already in use: choose another with --port (0 picks a free one).\n`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    const child = spawn(process.execPath, [...NODE_ARGS, "emulator"], { cwd: ROOT });
    let out = "";
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Press Ctrl+C") && child.signalCode === null && !sent) sent = child.kill("SIGTERM");
      });
      child.on("exit", resolve);
    });
    expect(out).toContain("azure-vm-backup emulator stopped.");
    expect(code).toBe(0);
  });
});

describe("limits", () => {
  it("without --profile lists the profiles (the default marked), how to choose one or override a limit, then the default's limits", async () => {
    const { code, stdout } = await run("limits");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Limit profiles:");
    for (const [name, profile] of Object.entries(limitProfiles)) {
      expect(stdout).toMatch(new RegExp(`\\n  ${name}${name === DEFAULT_PROFILE ? " \\(default\\)" : ""} +${profile.description.replace(/[()]/g, "\\$&")}\\n`));
    }
    expect(stdout.match(/\(default\)/g)).toHaveLength(1);
    // The settings src/azure/settings.ts reads (limitSettings), and the library's options.
    for (const setting of [
      "pulumi config set azure-vm-backup:limitProfile azure-2025",
      `pulumi config set azure-vm-backup:limits '{"dataDisksPerVm": 32}'`,
      "azure-vm-backup offline --config azure-vm-backup:limitProfile=azure-2025",
      "AZURE_VM_BACKUP_LIMIT_PROFILE=azure-2025",
      `AZURE_VM_BACKUP_LIMITS='{"dataDisksPerVm": 32}'`,
      "azure-vm-backup check plan.yaml --profile azure-2025",
      "options.profile and options.limits",
    ]) {
      expect(stdout).toContain(setting);
    }
    expect(stdout).toContain(`\n${DEFAULT_PROFILE}: ${limitProfiles[DEFAULT_PROFILE]!.description}\n`);
    expect(stdout).toContain("\ndataDisksPerVm = 16\n");
  });

  it("--list lists the profiles only; --profile one profile's limits only", async () => {
    const list = await run("limits", "--list");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("  azure-2025  ");
    expect(list.stdout).not.toContain("dataDisksPerVm =");
    const one = await run("limits", "--profile", "azure-2025");
    expect(one.stdout.startsWith(`azure-2025: ${limitProfiles["azure-2025"]!.description}\n`)).toBe(true);
    expect(one.stdout).toContain("dataDisksPerVm = 32");
    expect(one.stdout).not.toContain("Limit profiles:");
  });

  it("the override it shows for offline reaches the program's checks", () => {
    const work = mkdtempSync(join(tmpdir(), "avb-help-offline-"));
    const run = cli(["offline", "examples/basic", "--preview", "--work-dir", work, "--config", "azure-vm-backup:limitProfile=azure-2026"]);
    expect(run.stdout + run.stderr).toContain("Limit profile 'azure-2026' does not exist");
  }, 60_000);
});

describe("a bad --vms file", () => {
  const dir = mkdtempSync(join(tmpdir(), "avb-help-vms-"));
  const bad = join(dir, "vms.json");
  writeFileSync(
    bad,
    JSON.stringify([
      { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web-01", location: "westeurope", osDisk: { sizeGb: "64" } },
      { id: "web-02", location: "westeurope", osDisk: { sizeGb: 64 }, osType: "linux" },
    ]),
  );
  const expected = [
    `azure-vm-backup: VM file '${bad}' is not a valid VM fixture (3 problems; the format: ${VM_FIXTURE_SCHEMA_PATH}):`,
    `  VM [0] 'web-01', osDisk.sizeGb: must be a number; got "64"`,
    `  VM [1] 'web-02', id: must be the VM's ARM id, /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>; got "web-02"`,
    `  VM [1] 'web-02', osType: must be one of "Windows", "Linux"; got "linux"`,
    "",
  ].join("\n");

  it("stops the emulator with exit 2, one line per problem, no stack trace", async () => {
    const result = await run("emulator", "--vms", bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(expected);
  });

  it("stops offline with exit 2 before anything runs", async () => {
    const result = await run("offline", "examples/basic", "--preview", "--work-dir", join(dir, "work"), "--vms", bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(expected);
    expect(result.stdout).toBe("");
  });
});
