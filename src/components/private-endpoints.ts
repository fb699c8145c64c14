/**
 * A vault's private endpoints for Azure Backup, and the order they impose: Azure creates one only for a vault that
 * never had an item registered or protected (src/rules/private-endpoints.ts, DOCS.privateEndpointsConfigure), so
 * every ProtectedVm of the vault waits for the vault's private endpoints, and `pulumi up` creates them first.
 *
 * A private endpoint names the vault it connects to (`privateLinkServiceId: vault.id`), so it is declared after the
 * vault and handed to it with `vault.addPrivateEndpoint(endpoint)`. The vault learns its list once the program has
 * declared its resources (`afterDeclarations`, as the program-wide checks do): the ProtectedVm resources of the
 * vault then depend on each endpoint, and the vault's check (its `privateEndpoints` input: names and ids only,
 * nothing that waits on the endpoints, which wait on the vault) compares them with what the vault holds in Azure.
 * An endpoint added later (inside an `apply`, after an `await`) is neither waited for nor checked, and is warned about.
 */
import * as pulumi from "@pulumi/pulumi";
import { parsePrivateEndpointId, validatePrivateEndpoints, type DeclaredPrivateEndpoint } from "../rules";
import { afterDeclarations } from "./pulumi-internals";
import { logAdvice } from "./warnings";

export interface PrivateEndpointOptions {
  /**
   * A secondary private endpoint (target sub-resource "AzureBackup_secondary", for cross-region restore), which Azure
   * creates before or after items are protected (DOCS.privateEndpointsConcept). Default false: "AzureBackup".
   */
  secondary?: boolean;
}

interface Endpoint {
  resource?: pulumi.Resource;
  declared: DeclaredPrivateEndpoint;
}

interface Registry {
  vault: pulumi.ComponentResource;
  label: string;
  endpoints: Endpoint[];
  settled: boolean;
  resolve: (endpoints: Endpoint[]) => void;
  list: Promise<Endpoint[]>;
}

const registries = new WeakMap<object, Registry>();
let pending: Registry[] = [];
const schedule = afterDeclarations(() => {
  const now = pending;
  pending = [];
  for (const r of now) {
    r.settled = true;
    r.resolve(r.endpoints);
  }
});

/**
 * Starts the vault's list of private endpoints. Returns the `privateEndpoints` input of the vault's resource (known
 * once the program has declared its resources) and logs the vault's notes about them (publicNetworkAccess "Disabled"
 * with none: `publicNetworkAccess` is read by name from the vault's arguments).
 */
export function startPrivateEndpoints(vault: pulumi.ComponentResource, label: string, args: object): pulumi.Output<DeclaredPrivateEndpoint[]> {
  let resolve!: (endpoints: Endpoint[]) => void;
  const list = new Promise<Endpoint[]>((r) => (resolve = r));
  const registry: Registry = { vault, label, endpoints: [], settled: false, resolve, list };
  registries.set(vault, registry);
  pending.push(registry);
  schedule();
  const declared = pulumi.output(list.then((endpoints) => endpoints.map((e) => e.declared)));
  const access = (args as { publicNetworkAccess?: pulumi.Input<string> }).publicNetworkAccess;
  pulumi.all([declared, access]).apply(([endpoints, publicNetworkAccess]) =>
    logAdvice(
      vault,
      validatePrivateEndpoints({
        vaultName: label,
        privateEndpoints: endpoints,
        ...(typeof publicNetworkAccess === "string" ? { publicNetworkAccess } : {}),
      }).filter((d) => d.severity !== "error"),
    ),
  );
  return declared;
}

/** `vault.addPrivateEndpoint`: a private endpoint resource of the program, or an existing private endpoint's ARM id. */
export function addPrivateEndpoint(vault: object, endpoint: pulumi.Resource | string, options: PrivateEndpointOptions = {}): void {
  const registry = registries.get(vault);
  if (registry === undefined) throw new Error("addPrivateEndpoint is a method of a BackupVault.");
  const secondary = options.secondary === true ? { secondary: true } : {};
  let entry: Endpoint;
  if (typeof endpoint === "string") {
    if (parsePrivateEndpointId(endpoint) === undefined) {
      throw new Error(
        `BackupVault '${registry.label}': addPrivateEndpoint takes a private endpoint resource or a private endpoint's ARM id ` +
          `(/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/privateEndpoints/<name>); got '${endpoint}'.`,
      );
    }
    entry = { declared: { id: endpoint, ...secondary } };
  } else if (pulumi.Resource.isInstance(endpoint)) {
    const type = pulumi.resourceType(endpoint);
    if (!/privateendpoint|privatelink/i.test(type)) {
      throw new Error(
        `BackupVault '${registry.label}': addPrivateEndpoint takes a private endpoint (such as @pulumi/azure-native's network.PrivateEndpoint); '${pulumi.resourceName(endpoint)}' is a ${type}.`,
      );
    }
    entry = { resource: endpoint, declared: { name: pulumi.resourceName(endpoint), ...secondary } };
  } else {
    throw new Error(`BackupVault '${registry.label}': addPrivateEndpoint takes a private endpoint resource or a private endpoint's ARM id.`);
  }
  if (registry.settled) {
    void pulumi.log.warn(
      `BackupVault '${registry.label}': the private endpoint ${entry.declared.name ?? entry.declared.id} was added after the program declared its resources (inside an apply or after an await): ` +
        "the vault's ProtectedVm resources do not wait for it, and the preview does not check it. Call addPrivateEndpoint right after declaring the endpoint, at the program's top level.",
      registry.vault,
    );
    return;
  }
  registry.endpoints.push(entry);
  schedule();
}

/**
 * The options of a ProtectedVm's resource in a BackupVault of the program: its `dependsOn` also waits for the
 * vault's private endpoints (Azure creates none once an item is registered in the vault).
 */
export function afterPrivateEndpoints(
  vault: object | undefined,
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions | undefined {
  const registry = vault === undefined ? undefined : registries.get(vault);
  if (registry === undefined) return opts;
  schedule();
  const given = pulumi.output((opts?.dependsOn ?? []) as pulumi.Input<pulumi.Resource | pulumi.Input<pulumi.Resource>[]>);
  const dependsOn = pulumi
    .all([given, registry.list])
    .apply(([before, endpoints]) => [
      ...(Array.isArray(before) ? before : [before]),
      ...endpoints.flatMap((e) => (e.resource === undefined ? [] : [e.resource])),
    ]) as pulumi.Input<pulumi.Resource[]>;
  return { ...opts, dependsOn };
}
