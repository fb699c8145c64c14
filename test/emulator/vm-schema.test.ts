/**
 * The VM fixture format (`--vms FILE`): the JSON Schema shipped in schemas/vm-fixture.schema.json is written by
 * hand from `VmFixture` (src/emulator/state.ts). These tests hold the two together: the property lists and their
 * required/optional flags below are typed against `VmFixture` (so `tsc --noEmit` fails when the type changes) and
 * compared with the schema's; a fixture with every property validates; every property refuses a value of the
 * wrong type; every fixture file of the repository validates; and a bad file is refused one line per problem,
 * naming the VM by index and name, the property and what is expected.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  parseVmFixtures,
  startEmulator,
  VM_FIXTURE_SCHEMA_PATH,
  vmFixtureProblems,
  vmFixtureSchema,
  type FixtureDisk,
  type VmFixture,
} from "../../src/emulator";
import { vmFixture, vmId } from "./harness";

const ROOT = join(__dirname, "../..");

type Flags<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? "optional" : "required" };
type DataDisk = NonNullable<VmFixture["dataDisks"]>[number];

// Each object must name every property of its type, no other, with the right flag: tsc checks it.
const VM_PROPERTIES: Flags<VmFixture> = {
  id: "required",
  location: "required",
  vmSize: "optional",
  osType: "optional",
  image: "optional",
  powerState: "optional",
  osDisk: "required",
  dataDisks: "optional",
  tags: "optional",
  zones: "optional",
  securityType: "optional",
  diskEncryption: "optional",
};
const DISK_PROPERTIES: Flags<FixtureDisk> = {
  name: "optional",
  sizeGb: "required",
  usedGb: "optional",
  storageType: "optional",
  managed: "optional",
  storageAccount: "optional",
};
const DATA_DISK_PROPERTIES: Flags<DataDisk> = { ...DISK_PROPERTIES, lun: "required" };
const ENUMS: { [K in "osType" | "powerState" | "securityType"]: Record<NonNullable<VmFixture[K]>, true> } = {
  osType: { Windows: true, Linux: true },
  powerState: { running: true, deallocated: true },
  securityType: { Standard: true, TrustedLaunch: true, ConfidentialVM: true },
};

/** A VM with every property of the type set (Required: tsc refuses it when the type gains a property). */
const EVERY_DISK: Required<FixtureDisk> = { name: "d", sizeGb: 128, usedGb: 30, storageType: "Standard_LRS", managed: false, storageAccount: "stvhds" };
const EVERY: Required<VmFixture> = {
  id: vmId("every"),
  location: "westeurope",
  vmSize: "Standard_D2s_v5",
  osType: "Windows",
  image: "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest",
  powerState: "deallocated",
  osDisk: EVERY_DISK,
  dataDisks: [{ ...EVERY_DISK, lun: 0 } satisfies Required<DataDisk>],
  tags: { env: "prod" },
  zones: ["1"],
  securityType: "TrustedLaunch",
  diskEncryption: {
    keyVaultId: "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-ade",
    secretUrl: "https://kv-ade.vault.azure.net/secrets/bek/0123456789abcdef",
    keyEncryptionKey: {
      keyVaultId: "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-ade",
      keyUrl: "https://kv-ade.vault.azure.net/keys/kek/0123456789abcdef",
    },
    singlePass: true,
  },
};

interface ObjectSchema {
  required?: string[];
  properties: Record<string, { enum?: unknown[] }>;
}

function definition(name: string): ObjectSchema {
  return (vmFixtureSchema().definitions as Record<string, ObjectSchema>)[name]!;
}

function flagsOf(schema: ObjectSchema): Record<string, string> {
  return Object.fromEntries(Object.keys(schema.properties).map((k) => [k, (schema.required ?? []).includes(k) ? "required" : "optional"]));
}

/** Every file of the repository (outside node_modules and dot folders) that looks like a VM fixture. */
function fixtureFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name.startsWith(".") || name === "dist") return [];
    if (statSync(path).isDirectory()) return fixtureFiles(path);
    return /\bvms\b.*\.json$/i.test(name) && !/schema/.test(name) ? [path] : [];
  });
}

describe("the VM fixture schema and the VmFixture type", () => {
  it("list the same properties, required alike", () => {
    expect(flagsOf(definition("vm"))).toEqual(VM_PROPERTIES);
    expect(flagsOf(definition("disk"))).toEqual(DISK_PROPERTIES);
    expect(flagsOf(definition("dataDisk"))).toEqual(DATA_DISK_PROPERTIES);
  });

  it("allow the same values for the enumerations", () => {
    for (const [key, values] of Object.entries(ENUMS)) expect([...(definition("vm").properties[key]!.enum ?? [])].sort()).toEqual(Object.keys(values).sort());
  });

  it("accept a VM with every property, as a list and as { $schema, vms }", () => {
    expect(vmFixtureProblems([EVERY])).toEqual([]);
    expect(vmFixtureProblems({ $schema: "./node_modules/pulumi-azure-vm-backup/schemas/vm-fixture.schema.json", vms: [EVERY] })).toEqual([]);
    expect(parseVmFixtures({ vms: [EVERY] }, "test")).toEqual([EVERY]);
  });

  it("refuse a value of the wrong type in every property, naming it", () => {
    const wrong = (value: unknown): unknown => (typeof value === "string" ? 42 : "x");
    for (const key of Object.keys(EVERY) as Array<keyof VmFixture>) {
      expect(vmFixtureProblems([{ ...EVERY, [key]: wrong(EVERY[key]) }]).join("\n")).toMatch(
        new RegExp(`^VM \\[0\\] ('every'|\\(no id\\)), ${key}: must be`, "m"),
      );
    }
    for (const key of Object.keys(EVERY_DISK) as Array<keyof FixtureDisk>) {
      expect(vmFixtureProblems([{ ...EVERY, osDisk: { ...EVERY_DISK, [key]: wrong(EVERY_DISK[key]) } }]).join("\n")).toContain(`osDisk.${key}: must be`);
      expect(vmFixtureProblems([{ ...EVERY, dataDisks: [{ ...EVERY_DISK, lun: 0, [key]: wrong(EVERY_DISK[key]) }] }]).join("\n")).toContain(
        `dataDisks[0].${key}: must be`,
      );
    }
    expect(vmFixtureProblems([{ ...EVERY, dataDisks: [{ ...EVERY_DISK, lun: 1.5 }] }])).toEqual([
      "VM [0] 'every', dataDisks[0].lun: must be a whole number; got 1.5",
    ]);
  });

  it("accept every VM fixture of the repository (examples, templates, tests) and the test harness's VMs", () => {
    const files = fixtureFiles();
    expect(files.map((f) => relative(ROOT, f))).toContain(join("examples", "emulator-vms.json"));
    for (const file of files)
      expect({ file: relative(ROOT, file), problems: vmFixtureProblems(JSON.parse(readFileSync(file, "utf8"))) }).toEqual({
        file: relative(ROOT, file),
        problems: [],
      });
    expect(vmFixtureProblems([vmFixture("vm1"), vmFixture("vm2", { powerState: "deallocated", securityType: "ConfidentialVM", zones: ["2"] })])).toEqual([]);
  });

  it("is shipped with the package (package.json files) at the path the emulator reads", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    const path = relative(ROOT, VM_FIXTURE_SCHEMA_PATH);
    expect(path).toBe(join("schemas", "vm-fixture.schema.json"));
    expect(manifest.files.some((entry) => path === entry || path.startsWith(`${entry}/`))).toBe(true);
    expect(vmFixtureSchema().$schema).toBe("http://json-schema.org/draft-07/schema#");
  });
});

describe("a bad VM fixture", () => {
  it("is refused one line per problem: the VM by index and name, the property path, what is expected and what was given", () => {
    const problems = vmFixtureProblems([
      { ...vmFixture("web-01"), osdisk: { sizeGb: 1 }, osDisk: undefined, osType: "windows" },
      42,
      { location: "westeurope", osDisk: { sizeGb: 0, lun: 0 }, dataDisks: [{ sizeGb: 8 }] },
    ]);
    expect(problems).toEqual([
      "VM [0] 'web-01', osDisk: is required",
      expect.stringMatching(
        /^VM \[0\] 'web-01', osdisk: is not a property of a VM \(did you mean 'osDisk'\? known: id, location, .*securityType, diskEncryption\)$/,
      ),
      'VM [0] \'web-01\', osType: must be one of "Windows", "Linux"; got "windows"',
      "VM [1]: must be an object (a VM); got 42",
      "VM [2] (no id), id: is required",
      expect.stringMatching(/^VM \[2\] \(no id\), osDisk\.lun: is not a property of an OS disk \(known: name, sizeGb, /),
      "VM [2] (no id), osDisk.sizeGb: must be more than 0; got 0",
      "VM [2] (no id), dataDisks[0].lun: is required",
    ]);
  });

  it("that is not a list is refused naming the file's shape", () => {
    expect(vmFixtureProblems({ vm: [] })).toEqual([
      'the file: must be a JSON list of VMs, or { "vms": [...] }; got {"vm":[]}',
      "the file, 'vm': is not a property of the file (did you mean 'vms'? known: vms)",
    ]);
    expect(vmFixtureProblems("vms.json")).toEqual(['the file: must be a JSON list of VMs, or { "vms": [...] }; got "vms.json"']);
  });

  it("stops the emulator's start with the file named, the problems counted and the schema's path; beyond 20 problems, says how many more", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-vm-schema-"));
    const file = join(dir, "vms.json");
    writeFileSync(file, JSON.stringify(Array.from({ length: 25 }, (_, i) => ({ ...vmFixture(`vm${i}`), location: "" }))));
    const error = await startEmulator({ vmsPath: file }).then(
      () => undefined,
      (e: Error) => e,
    );
    const lines = error?.message.split("\n") ?? [];
    expect(lines[0]).toBe(`VM file '${file}' is not a valid VM fixture (25 problems; the format: ${VM_FIXTURE_SCHEMA_PATH}):`);
    expect(lines[1]).toBe("  VM [0] 'vm0', location: must not be empty");
    expect(lines[20]).toBe("  VM [19] 'vm19', location: must not be empty");
    expect(lines.slice(21)).toEqual(["  ... and 5 more"]);
  });
});
