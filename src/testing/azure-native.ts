/**
 * Resources of other providers in an offline run, `@pulumi/azure-native` above all: they are not
 * deployed anywhere, but they get the ids and outputs Azure would give them, and a VM declared with
 * `compute.VirtualMachine` is added to the emulator, where the backup providers find it exactly as they
 * would find it in Azure.
 */
import { createHash } from "node:crypto";
import { describeVirtualMachine, type OsProfileLike, type SecurityProfileLike, type StorageProfileLike } from "../components/vm-description";
import { formatResourceGroupId, formatResourceId, formatVmId, SECURITY_TYPES, type SecurityType } from "../rules";
import type { VmFixture } from "../emulator";
import type { ArmDeployment } from "./emulator-arm";

export interface SimulationContext {
  subscriptionId: string;
  /** `azure-native:location`, used when a resource gives none. */
  defaultLocation: string | undefined;
  /** The location of a resource group declared in the program. */
  resourceGroupLocation(name: string): string | undefined;
}

export interface Simulated {
  id: string;
  /** The outputs as Azure fills them in (inputs, names, computed values). */
  outputs: Record<string, unknown>;
  /** Outputs only known once the resource exists: unknown in a preview. */
  computed: string[];
  /** A VM to serve from the emulator's compute API. */
  vm?: VmFixture;
  /** A resource the emulator must hold (a private endpoint to a vault): PUT on create and update, DELETE on delete. */
  arm?: ArmDeployment;
}

/** The Network api-version of a private endpoint PUT (specification/network/.../stable/2024-07-01, the emulator's examples). */
export const NETWORK_API_VERSION = "2024-07-01";

type Inputs = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A GUID-shaped id derived from a text (VMs' `vmId`), stable across runs. */
function guidOf(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `NetworkInterface` → `networkInterfaces`: the ARM resource type of an azure-native type name. */
function armCollection(type: string): string {
  const camel = type[0]!.toLowerCase() + type.slice(1);
  return camel.endsWith("s") ? camel : camel.endsWith("y") ? `${camel.slice(0, -1)}ies` : `${camel}s`;
}

function simulateVm(name: string, inputs: Inputs, ctx: SimulationContext): Simulated {
  const vmName = text(inputs.vmName) ?? name;
  const group = text(inputs.resourceGroupName) ?? "";
  const location = text(inputs.location) ?? ctx.resourceGroupLocation(group) ?? ctx.defaultLocation ?? "";
  const id = formatVmId({ subscriptionId: ctx.subscriptionId, resourceGroup: group, name: vmName, kind: "arm" });
  const storage = (inputs.storageProfile ?? {}) as StorageProfileLike;
  const description = describeVirtualMachine(
    location,
    storage,
    inputs.osProfile as OsProfileLike | undefined,
    inputs.securityProfile as SecurityProfileLike | undefined,
  );
  // Azure reports the OS disk's size and type once the VM exists.
  const storageProfile = {
    ...storage,
    osDisk: { ...(storage.osDisk ?? {}), osType: description.osType, diskSizeGB: description.osDisk.sizeGb },
  };
  const vm: VmFixture = {
    id,
    location,
    ...(description.osType === undefined ? {} : { osType: description.osType as "Windows" | "Linux" }),
    ...(description.osImage === undefined ? {} : { image: description.osImage }),
    ...(typeof (inputs.hardwareProfile as { vmSize?: unknown } | undefined)?.vmSize === "string"
      ? { vmSize: (inputs.hardwareProfile as { vmSize: string }).vmSize }
      : {}),
    osDisk: { sizeGb: description.osDisk.sizeGb, ...(description.osDisk.storageType === undefined ? {} : { storageType: description.osDisk.storageType }) },
    dataDisks: description.dataDisks.map((d) => ({ lun: d.lun, sizeGb: d.sizeGb, ...(d.storageType === undefined ? {} : { storageType: d.storageType }) })),
    ...(typeof inputs.tags === "object" && inputs.tags !== null ? { tags: inputs.tags as Record<string, string> } : {}),
    ...(SECURITY_TYPES.includes(description.securityType as SecurityType) ? { securityType: description.securityType as SecurityType } : {}),
  };
  return {
    id,
    outputs: {
      ...inputs,
      name: vmName,
      location,
      storageProfile,
      vmId: guidOf(id.toLowerCase()),
      provisioningState: "Succeeded",
      type: "Microsoft.Compute/virtualMachines",
    },
    computed: ["vmId", "provisioningState"],
    vm,
  };
}

/**
 * What a resource of another provider looks like once deployed. azure-native names a resource after its
 * `<type>Name` input (here the Pulumi name when it is missing, where azure-native would add a random suffix).
 */
export function simulate(type: string, name: string, inputs: Inputs, ctx: SimulationContext): Simulated {
  const [provider, module, kind] = type.split(":") as [string, string | undefined, string | undefined];
  if (provider !== "azure-native" || module === undefined || kind === undefined) {
    return { id: `${name}-id`, outputs: { ...inputs }, computed: [] };
  }
  if (type === "azure-native:compute:VirtualMachine") return simulateVm(name, inputs, ctx);
  const nameKey = `${kind[0]!.toLowerCase()}${kind.slice(1)}Name`;
  const own = text(inputs[nameKey]) ?? name;
  if (type === "azure-native:resources:ResourceGroup") {
    const location = text(inputs.location) ?? ctx.defaultLocation ?? "";
    return {
      id: formatResourceGroupId(ctx.subscriptionId, own),
      outputs: { ...inputs, name: own, location, type: "Microsoft.Resources/resourceGroups" },
      computed: [],
    };
  }
  const group = text(inputs.resourceGroupName) ?? "";
  const namespace = `Microsoft.${module[0]!.toUpperCase()}${module.slice(1)}`;
  // A subnet lives inside its virtual network.
  const id =
    type === "azure-native:network:Subnet"
      ? formatResourceId(ctx.subscriptionId, group, namespace, ["virtualNetworks", text(inputs.virtualNetworkName) ?? ""], ["subnets", own])
      : formatResourceId(ctx.subscriptionId, group, namespace, [armCollection(kind), own]);
  const location = text(inputs.location) ?? ctx.resourceGroupLocation(group) ?? ctx.defaultLocation;
  return {
    id,
    outputs: { ...inputs, name: own, ...(location === undefined ? {} : { location }), provisioningState: "Succeeded" },
    computed: ["provisioningState"],
    ...(type === "azure-native:network:PrivateEndpoint" ? { arm: privateEndpointBody(id, inputs, location) } : {}),
  };
}

/**
 * The PUT azure-native sends for a `network.PrivateEndpoint`: its flattened inputs under `properties`, each
 * connection's fields under the connection's `properties` (Microsoft.Network PrivateEndpoint, 2024-07-01).
 */
function privateEndpointBody(id: string, inputs: Inputs, location: string | undefined): ArmDeployment {
  const connections = (list: unknown) =>
    Array.isArray(list)
      ? list.map((c: Record<string, unknown>) => {
          const { name, ...properties } = c;
          return { ...(name === undefined ? {} : { name }), properties };
        })
      : undefined;
  const properties: Record<string, unknown> = {};
  if (inputs.subnet !== undefined) properties.subnet = inputs.subnet;
  const automatic = connections(inputs.privateLinkServiceConnections);
  const manual = connections(inputs.manualPrivateLinkServiceConnections);
  if (automatic !== undefined) properties.privateLinkServiceConnections = automatic;
  if (manual !== undefined) properties.manualPrivateLinkServiceConnections = manual;
  return {
    path: id,
    apiVersion: NETWORK_API_VERSION,
    body: { ...(location === undefined ? {} : { location }), ...(inputs.tags === undefined ? {} : { tags: inputs.tags }), properties },
  };
}
