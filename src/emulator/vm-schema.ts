/**
 * The emulator's VM fixture format (`--vms FILE`, `POST /_emulator/vms`, `startEmulator({ vms })`) as a JSON
 * Schema, checked with Ajv when VMs are loaded, so that a malformed fixture is refused at start with the
 * VM and field named, instead of crashing a request handler later.
 */
import Ajv, { type ErrorObject } from "ajv";
import type { VmFixture } from "./state";

const disk = {
  type: "object",
  additionalProperties: false,
  required: ["sizeGb"],
  properties: {
    name: { type: "string", minLength: 1 },
    sizeGb: { type: "number", exclusiveMinimum: 0, description: "Provisioned size, GB." },
    usedGb: { type: "number", minimum: 0, description: "Data written, GB: drives backup durations." },
    storageType: { type: "string", description: "Standard_LRS, Premium_LRS, PremiumV2_LRS, UltraSSD_LRS, ..." },
    managed: { type: "boolean" },
    storageAccount: { type: "string" },
    lun: { type: "integer", minimum: 0, description: "Data disks only: the disk's LUN." },
  },
} as const;

export const VM_FIXTURE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "azure-vm-backup emulator VMs",
  description: 'A list of VMs the emulator\'s compute API serves, or { "vms": [...] }.',
  definitions: {
    disk,
    vm: {
      type: "object",
      additionalProperties: false,
      required: ["id", "location", "osDisk"],
      properties: {
        id: {
          type: "string",
          pattern: "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.(Compute|ClassicCompute)/virtualMachines/[^/]+$",
          description: "The VM's ARM id.",
        },
        location: { type: "string", minLength: 1 },
        vmSize: { type: "string" },
        osType: { enum: ["Windows", "Linux"] },
        image: { type: "string", description: "Marketplace image as publisher:offer:sku:version." },
        powerState: { enum: ["running", "deallocated"] },
        osDisk: { $ref: "#/definitions/disk" },
        dataDisks: {
          type: "array",
          items: { allOf: [{ $ref: "#/definitions/disk" }, { required: ["lun"] }] },
        },
        tags: { type: "object", additionalProperties: { type: "string" } },
        zones: { type: "array", items: { type: "string" } },
        securityType: {
          enum: ["Standard", "TrustedLaunch", "ConfidentialVM"],
          description: "securityProfile.securityType: Trusted Launch (the portal's default for Gen2 VMs) or a Confidential VM.",
        },
      },
    },
  },
  oneOf: [
    { type: "array", items: { $ref: "#/definitions/vm" } },
    { type: "object", required: ["vms"], additionalProperties: false, properties: { vms: { type: "array", items: { $ref: "#/definitions/vm" } } } },
  ],
} as const;

let validate: ReturnType<Ajv["compile"]> | undefined;

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "the file" : error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (error.keyword === "additionalProperties") return `${where}: unknown field '${String(error.params.additionalProperty)}'`;
  if (error.keyword === "enum") return `${where}: must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  return `${where}: ${error.message ?? "is not valid"}`;
}

/** The VMs in a parsed fixture, or an error naming each problem (`source` names the file in messages). */
export function parseVmFixtures(value: unknown, source: string): VmFixture[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(VM_FIXTURE_SCHEMA);
  if (!validate(value)) {
    // oneOf reports both branches; the branch of the value's own shape is the one that explains it.
    const errors = (validate.errors ?? []).filter(
      (e) => e.keyword !== "oneOf" && !(Array.isArray(value) ? e.schemaPath.startsWith("#/oneOf/1") : e.schemaPath.startsWith("#/oneOf/0")),
    );
    const lines = [...new Set(errors.map(describe))].slice(0, 10);
    throw new Error(
      `${source} is not a valid VM fixture (its format: the VM_FIXTURE_SCHEMA JSON Schema of pulumi-azure-vm-backup/emulator):\n  ${lines.join("\n  ")}`,
    );
  }
  return (Array.isArray(value) ? value : (value as { vms: unknown[] }).vms) as VmFixture[];
}
