/**
 * What `azure-vm-backup <command> --help` shows after the options: examples a user can run as they are,
 * and the command's exit codes as src/cli/main.ts sets them (test/cli/help.test.ts runs or parses every
 * example, and checks each code listed here against the command).
 */
import { vmFixtureSchemaPathForHelp } from "../emulator";

export interface HelpExample {
  /** What it does, in a sentence. */
  what: string;
  /** The command line, starting with `azure-vm-backup`. */
  command: string;
}

export interface CommandHelp {
  examples: HelpExample[];
  /** Exit code → when. */
  exitCodes: Array<[0 | 1 | 2, string]>;
  /** Further lines after the exit codes. */
  notes?: string[];
}

const WIDTH = 80;

/** Wraps `text` at word boundaries; every line starts with `indent`, the first with `first` instead when given. */
function wrap(text: string, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(" ")) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

export function formatHelp(help: CommandHelp): string {
  const lines = ["", "Examples:"];
  for (const example of help.examples) lines.push(...wrap(example.what, "  # "), `  $ ${example.command}`);
  lines.push("", "Exit codes:");
  for (const [code, when] of help.exitCodes) lines.push(...wrap(when, "     ", `  ${code}  `));
  for (const note of help.notes ?? []) lines.push("", ...wrap(note, ""));
  return `${lines.join("\n")}\n`;
}

/** Exit 2 in every command: commander's own refusals (main.ts turns their code into 2). */
const BAD_OPTION = "an unknown option or command, a missing argument, or an option value out of its choices";

/** The `--vms <file>` description: where the format is written down. */
export function vmsOptionHelp(what: string): string {
  return `${what} (JSON list, schema: ${vmFixtureSchemaPathForHelp()})`;
}

export const HELP = {
  program: (): CommandHelp => ({
    examples: [
      { what: "Check a backup plan against every Azure Backup rule and limit", command: "azure-vm-backup check plan.yaml" },
      { what: "Preview and deploy the Pulumi project in this directory to the built-in emulator", command: "azure-vm-backup offline" },
      { what: "Help on one command, with its examples and exit codes", command: "azure-vm-backup offline --help" },
    ],
    exitCodes: [
      [0, "success"],
      [1, "the plan or the program has errors (check, offline)"],
      [2, `the command itself could not run: ${BAD_OPTION}, or a file it was given that cannot be read or is not valid`],
    ],
  }),
  files: (): CommandHelp => ({
    examples: [
      {
        what: "Mount the latest recovery point of VM web-01: writes the script to run, says when the mount ends",
        command: "azure-vm-backup files mount --vault /subscriptions/<id>/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv --vm web-01",
      },
      {
        what: "Unmount it before its 12 hours are over",
        command: "azure-vm-backup files unmount --vault /subscriptions/<id>/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv --vm web-01",
      },
    ],
    exitCodes: [
      [0, "mounted (the script is written) or unmounted"],
      [2, `a bad --vault, --vm, --recovery-point or --out, a VM or recovery point the vault does not have, Azure refused, or ${BAD_OPTION}`],
    ],
    notes: [
      "Where Azure is: AZURE_VM_BACKUP_ENDPOINT and AZURE_VM_BACKUP_CA_FILE (the emulator), ARM_* credentials. The mount lasts 12 hours (Microsoft Learn, Recover files from Azure virtual machine backup).",
    ],
  }),
  check: (): CommandHelp => ({
    examples: [
      { what: "Check a plan with the default limit profile; print diagnostics and estimates", command: "azure-vm-backup check plan.yaml" },
      {
        what: "Check against today's documented limits and write a Markdown report (e.g. for a pull request)",
        command: "azure-vm-backup check plan.json --profile azure-2025 --format markdown",
      },
      { what: "Fail a CI job on warnings too", command: "azure-vm-backup check plan.yaml --fail-on warning" },
    ],
    exitCodes: [
      [0, "no errors (and no warnings, with --fail-on warning)"],
      [1, "the plan has errors (or warnings, with --fail-on warning)"],
      [2, `the plan file is missing, unreadable, not JSON or YAML, or not named .json, .yaml or .yml; or ${BAD_OPTION}`],
    ],
    notes: ["The limit profiles and their sources: azure-vm-backup limits."],
  }),
  emulator: (): CommandHelp => ({
    examples: [
      { what: "Run the emulator on a free port, state in memory", command: "azure-vm-backup emulator" },
      {
        what: "Keep its state between runs and serve existing VMs from a fixture file",
        command: "azure-vm-backup emulator --state .emulator/state.json --vms vms.json",
      },
      { what: "A fixed port, emulated time running an hour per second", command: "azure-vm-backup emulator --port 8443 --clock-speed 3600" },
    ],
    exitCodes: [
      [0, "stopped with Ctrl+C (SIGINT) or SIGTERM; the state is saved first"],
      [1, "it could not start listening (e.g. the port is in use)"],
      [2, `a VM, state or guardrails file that cannot be read or is not valid (each problem on its own line); or ${BAD_OPTION}`],
    ],
    notes: [`The VM fixture format (--vms): the JSON Schema ${vmFixtureSchemaPathForHelp()}.`],
  }),
  offline: (): CommandHelp => ({
    examples: [
      { what: "Preview, then deploy, the Pulumi project in this directory (stack dev) to the built-in emulator", command: "azure-vm-backup offline" },

      { what: "Destroy the stack (the backup data is kept unless the program asks otherwise)", command: "azure-vm-backup offline . --destroy" },
      {
        what: "Preview only, as a pull-request comment (verdict, what must be fixed, changes, estimates, a start-time chart per vault; report-json: the same as JSON), another stack's config, existing VMs from a fixture file, your subscription's Azure Policy guardrails",
        command: "azure-vm-backup offline . --preview --format markdown --stack prod --vms vms.json --guardrails guardrails.json",
      },
    ],
    exitCodes: [
      [0, "every run (refresh, preview, update or destroy) succeeded"],
      [1, "a run failed (its errors are shown under the resources they concern), or the TypeScript program has type errors (nothing run)"],
      [
        2,
        `the command could not start: no Pulumi project (or a Pulumi.yaml or stack config it cannot use), a bad --config, a VM or guardrails file that cannot be read or is not valid; or ${BAD_OPTION}`,
      ],
    ],
    notes: ["State is kept in <project>/.azure-vm-backup/<stack> (see --work-dir): the next run continues where this one stopped."],
  }),
  limits: (): CommandHelp => ({
    examples: [
      { what: "List the limit profiles, how to choose one or override a limit, and the default profile's limits", command: "azure-vm-backup limits" },
      { what: "Only the profiles and how to choose one", command: "azure-vm-backup limits --list" },
      { what: "Every limit of one profile, with its source", command: "azure-vm-backup limits --profile azure-2025" },
    ],
    exitCodes: [
      [0, "listed"],
      [2, `an unknown profile; or ${BAD_OPTION}`],
    ],
  }),
  init: (): CommandHelp => ({
    examples: [
      { what: "Start a project in the current directory (from npm: npx azure-vm-backup init .)", command: "azure-vm-backup init ." },
      { what: "Into a new directory, with a project name", command: "azure-vm-backup init vm-backup --name vm-backup" },
      { what: "Replace the project's files in a directory that holds others (each one named)", command: "azure-vm-backup init . --force" },
    ],
    exitCodes: [
      [0, "created"],
      [2, `the directory is not empty (without --force), the name is not a Pulumi project name; or ${BAD_OPTION}`],
    ],
    notes: [
      "Then: npm install && npm test (deploys the program to the emulator), npm run preview:offline.",
      "An existing package.json is completed: missing scripts and dependencies are added, the entries already there are kept.",
    ],
  }),
  restore: (): CommandHelp => ({
    examples: [
      {
        what: "Restore the disks of VM app-01 from its latest recovery point into resource group rg-restored",
        command:
          "azure-vm-backup restore --vault /subscriptions/<sub>/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv1 --vm app-01 --to disks --staging-storage-account /subscriptions/<sub>/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/stagingsa --target-resource-group rg-restored",
      },
      {
        what: "Create a new VM from a chosen recovery point, read from the vault",
        command:
          "azure-vm-backup restore --vault /subscriptions/<sub>/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv1 --vm app-01 --to new-vm --recovery-point 348916168024334 --tier vault --staging-storage-account /subscriptions/<sub>/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/stagingsa --target-resource-group rg-restored --new-vm-name app-01-copy --subnet /subscriptions/<sub>/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default",
      },
    ],
    exitCodes: [
      [0, "the restore completed (with --no-wait: Azure started its job)"],
      [1, "the restore job failed: Azure's error and what to do are printed"],
      [2, `a bad argument (nothing was sent), Azure refused the restore, or ${BAD_OPTION}`],
    ],
    notes: [
      "Progress: a bar when the output is a terminal, one line per change otherwise (CI logs).",
      "Azure stages every VM restore in a storage account in the vault's region; don't stage a premium-storage VM's restore in the account it runs from (a warning says so).",
    ],
  }),
  rules: (): CommandHelp => ({
    examples: [
      { what: "Every rule code with its default severity and title", command: "azure-vm-backup rules" },
      { what: "The rules about vaults", command: "azure-vm-backup rules | grep '^vault/'" },
    ],
    exitCodes: [
      [0, "listed"],
      [2, BAD_OPTION],
    ],
  }),
  status: (): CommandHelp => ({
    examples: [
      { what: "Every Recovery Services vault of the subscription (AZURE_SUBSCRIPTION_ID): are its VMs backed up?", command: "azure-vm-backup status" },
      {
        what: "One vault, as a CI job's Markdown summary",
        command:
          "azure-vm-backup status --vault /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv1 --format markdown",
      },
      { what: "The report as JSON, for a script", command: "azure-vm-backup status --format json" },
    ],
    exitCodes: [
      [0, "every protected VM is backed up as its policy says"],
      [1, "a VM's last backup failed, or it has no recovery point since its policy's last scheduled backup (2 hours allowed to start)"],
      [2, `a vault id that is not one, no subscription, Azure (or the emulator) not answering, a vault that does not exist; or ${BAD_OPTION}`],
    ],
    notes: ["Azure is reached as the components reach it: AZURE_VM_BACKUP_ENDPOINT and AZURE_VM_BACKUP_CA_FILE for the emulator."],
  }),
};
