/**
 * Private endpoints of Recovery Services vaults for Azure Backup, from both sides:
 *
 * - Microsoft.Network `privateEndpoints` PUT, GET and DELETE, as a real client sends them (@pulumi/azure-native's
 *   network.PrivateEndpoint, `az network private-endpoint create --private-connection-resource-id <vault id>
 *   --group-id AzureBackup`): `privateLinkServiceConnections[].properties.privateLinkServiceId` names the vault and
 *   `groupIds` its sub-resource (AzureBackup, AzureBackup_secondary, AzureSiteRecovery: the vault's private link
 *   resources, VaultSubResourceType of the Recovery Services spec). PUT answers 201 (200 for an update) with the
 *   endpoint `Succeeded` and its connections' states (examples/PrivateEndpointCreate.json of
 *   specification/network/resource-manager/Microsoft.Network/stable/2024-07-01; the emulator answers at once, without
 *   the Azure-AsyncOperation polling Network may ask for); DELETE answers 200, or 204 when there is none
 *   (PrivateEndpointDelete.json).
 * - The vault: its read-only `privateEndpointConnections` and `privateEndpointStateForBackup` ("None" | "Enabled") on
 *   GET (specification/recoveryservices/.../RecoveryServices/stable/2026-07-01/examples/GETVault.json), and the
 *   `privateEndpointConnections/{name}` sub-resource (GET, PUT to approve or reject, DELETE) of the backup API
 *   (PrivateEndpointConnection_Get/Put/Delete). Connection names follow `{peName}.{vaultId}.backup.{guid}`
 *   (Microsoft Learn, private-endpoints.md, "Manual approval of private endpoints").
 *
 * Azure's rules: a private endpoint for Azure Backup only for a vault that never had an item registered or attempted
 * to be protected, a secondary one (AzureBackup_secondary) at any time (Microsoft Learn,
 * backup-azure-private-endpoints-configure-manage and backup-azure-private-endpoints-concept); at most 12 per vault
 * (concept page); a connection made through `privateLinkServiceConnections` is approved at once (the caller owns the
 * vault, as the emulator assumes), one made through `manualPrivateLinkServiceConnections` waits, Pending, for approval.
 */
import { createHash } from "node:crypto";
import { ArmError, badRequest, notFound, ok, prop, type EmulatorRequest } from "../http";
import type { Model } from "../model";
import type { PrivateEndpointConnectionRecord, PrivateEndpointRecord, VaultRecord } from "../state";
import { VAULT_PATH, type Services } from "./services";

const PE_PATH = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}";
const VAULT_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)$/i;
const GROUP_IDS = ["AzureBackup", "AzureBackup_secondary", "AzureSiteRecovery"];
const MAX_PER_VAULT = 12;

/** The vault's private endpoint properties, as its GET shows them. */
export function renderVaultPrivateEndpoints(v: VaultRecord): Record<string, unknown> {
  const connections = v.privateEndpointConnections ?? [];
  const backup = connections.some((c) => c.groupIds.some((g) => g.toLowerCase().startsWith("azurebackup")));
  const siteRecovery = connections.some((c) => c.groupIds.some((g) => g.toLowerCase() === "azuresiterecovery"));
  return {
    ...(connections.length === 0 ? {} : { privateEndpointConnections: connections.map((c) => renderConnection(v, c, false)) }),
    privateEndpointStateForBackup: backup ? "Enabled" : "None",
    privateEndpointStateForSiteRecovery: siteRecovery ? "Enabled" : "None",
  };
}

function renderConnection(v: VaultRecord, c: PrivateEndpointConnectionRecord, resource: boolean): Record<string, unknown> {
  return {
    id: `${vaultId(v)}/privateEndpointConnections/${c.name}`,
    name: c.name,
    ...(resource ? { type: "Microsoft.RecoveryServices/vaults/privateEndpointConnections", location: v.location } : {}),
    properties: {
      provisioningState: "Succeeded",
      privateEndpoint: { id: c.privateEndpointId },
      groupIds: c.groupIds,
      privateLinkServiceConnectionState: { status: c.status, description: c.description, actionsRequired: "None" },
    },
  };
}

function renderEndpoint(model: Model, pe: PrivateEndpointRecord): Record<string, unknown> {
  const render = (manual: boolean) =>
    pe.connections
      .filter((c) => c.manual === manual)
      .map((c) => {
        const state = connectionOf(model, pe, c.privateLinkServiceId);
        return {
          id: `${pe.id}/${manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections"}/${c.name}`,
          name: c.name,
          properties: {
            provisioningState: "Succeeded",
            privateLinkServiceId: c.privateLinkServiceId,
            groupIds: c.groupIds,
            ...(c.requestMessage === undefined ? {} : { requestMessage: c.requestMessage }),
            privateLinkServiceConnectionState: {
              status: state?.status ?? "Disconnected",
              description: state?.description ?? "",
              actionsRequired: "None",
            },
          },
        };
      });
  return {
    id: pe.id,
    name: pe.name,
    type: "Microsoft.Network/privateEndpoints",
    location: pe.location,
    ...(pe.tags === undefined ? {} : { tags: pe.tags }),
    properties: {
      provisioningState: "Succeeded",
      subnet: { id: pe.subnetId },
      privateLinkServiceConnections: render(false),
      manualPrivateLinkServiceConnections: render(true),
      networkInterfaces: [{ id: pe.id.replace(/\/privateEndpoints\/[^/]+$/i, `/networkInterfaces/${pe.name}.nic.${guid(pe.id).slice(0, 8)}`) }],
      customDnsConfigs: [],
    },
  };
}

/** The vault's id (as render.ts writes it; kept here so that render.ts can import this module). */
function vaultId(v: VaultRecord): string {
  return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${v.name}`;
}

function guid(seed: string): string {
  const h = createHash("sha256").update(seed.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function vaultOf(model: Model, id: string): VaultRecord | undefined {
  const m = VAULT_ID.exec(id);
  return m === null ? undefined : model.vault(m[1]!, m[2]!, m[3]!);
}

function connectionOf(model: Model, pe: PrivateEndpointRecord, serviceId: string): PrivateEndpointConnectionRecord | undefined {
  return vaultOf(model, serviceId)?.privateEndpointConnections?.find((c) => c.privateEndpointId.toLowerCase() === pe.id.toLowerCase());
}

/** Whether the vault ever had an item registered: items now, storage locked by one, or one submitted for protection. */
function hadItems(v: VaultRecord): boolean {
  return v.itemsRegistered === true || v.storageLocked || v.items.length > 0;
}

export function registerPrivateEndpoints(s: Services, findVault: (r: EmulatorRequest) => VaultRecord): void {
  const { router, model } = s;
  const endpoints = () => (model.state.privateEndpoints ??= []);
  const find = (id: string) => endpoints().find((p) => p.id.toLowerCase() === id.toLowerCase());
  const idOf = (r: EmulatorRequest) =>
    `/subscriptions/${r.params.subscriptionId}/resourceGroups/${r.params.resourceGroupName}/providers/Microsoft.Network/privateEndpoints/${r.params.privateEndpointName}`;
  /** Removes the vault connections of an endpoint (its deletion, or a connection it no longer lists). */
  const disconnect = (peId: string, keep: ReadonlySet<string> = new Set()) => {
    for (const v of model.state.vaults) {
      if (v.privateEndpointConnections === undefined || keep.has(v.key)) continue;
      v.privateEndpointConnections = v.privateEndpointConnections.filter((c) => c.privateEndpointId.toLowerCase() !== peId.toLowerCase());
    }
  };

  router.add("GET", PE_PATH, (r) => {
    const pe = find(idOf(r));
    if (pe === undefined) throw notFound("Microsoft.Network/privateEndpoints", r.params.privateEndpointName!, r.params.resourceGroupName!);
    return ok(renderEndpoint(model, pe));
  });

  router.add("PUT", PE_PATH, (r) => {
    if (s.resourceGroups !== undefined && !s.resourceGroups.has(r.params.resourceGroupName!.toLowerCase())) {
      throw new ArmError(404, "ResourceGroupNotFound", `Resource group '${r.params.resourceGroupName}' could not be found.`);
    }
    const id = idOf(r);
    const location = prop(r.body, "location");
    if (typeof location !== "string" || location === "") throw badRequest("LocationRequired", "The location property is required for this definition.");
    const subnetId = prop(r.body, "properties", "subnet", "id");
    // emulator: Network's code for a missing subnet is not modelled; the emulator asks for one, as the spec's PrivateEndpoint does.
    if (typeof subnetId !== "string" || subnetId === "") throw badRequest("InvalidRequestFormat", "properties.subnet.id is required for a private endpoint.");
    const connections: PrivateEndpointRecord["connections"] = [];
    for (const manual of [false, true]) {
      const list = prop(r.body, "properties", manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections");
      if (!Array.isArray(list)) continue;
      for (const [i, c] of list.entries()) {
        const serviceId = prop(c, "properties", "privateLinkServiceId");
        const groupIds = prop(c, "properties", "groupIds");
        const requestMessage = prop(c, "properties", "requestMessage");
        connections.push({
          name: typeof prop(c, "name") === "string" ? (prop(c, "name") as string) : `${r.params.privateEndpointName}-${i}`,
          privateLinkServiceId: typeof serviceId === "string" ? serviceId : "",
          groupIds: Array.isArray(groupIds) ? groupIds.filter((g): g is string => typeof g === "string") : [],
          ...(typeof requestMessage === "string" ? { requestMessage } : {}),
          manual,
        });
      }
    }
    const existing = find(id);
    // Each connection to a vault: the vault's rules, then its connection record.
    const accepted: Array<{ vault: VaultRecord; record: PrivateEndpointConnectionRecord }> = [];
    for (const c of connections) {
      if (!VAULT_ID.test(c.privateLinkServiceId)) continue;
      const vault = vaultOf(model, c.privateLinkServiceId);
      // emulator: the code Network answers for a missing target resource is not established.
      if (vault === undefined)
        throw badRequest(
          "PrivateLinkServiceNotFound",
          `The resource '${c.privateLinkServiceId}' of private link service connection '${c.name}' was not found.`,
        );
      const group = GROUP_IDS.find((g) => c.groupIds.length === 1 && g.toLowerCase() === c.groupIds[0]!.toLowerCase());
      if (group === undefined) {
        // emulator: the service's code is not established; the group ids are the vault's private link resources (VaultSubResourceType).
        throw badRequest(
          "InvalidGroupIds",
          `Private link service connection '${c.name}' must name one group id of the vault: ${GROUP_IDS.join(", ")}; got '${c.groupIds.join(", ")}'.`,
        );
      }
      const held = vault.privateEndpointConnections?.find((x) => x.privateEndpointId.toLowerCase() === id.toLowerCase());
      if (held === undefined) {
        if (group === "AzureBackup" && hadItems(vault)) {
          // emulator: Azure's error code is not public (searched Microsoft Learn, Azure/azure-cli, terraform-provider-azurerm
          // and MicrosoftDocs/azure-docs issues); the rule is Microsoft Learn's (backup-azure-private-endpoints-configure-manage).
          throw badRequest(
            "PrivateEndpointNotAllowedForVaultWithRegisteredItems",
            `Private endpoints for Azure Backup can be created only for Recovery Services vaults that have no items protected or registered, now or in the past; vault '${vault.name}' has had items registered. Create the private endpoint for a new vault.`,
          );
        }
        const total = (vault.privateEndpointConnections ?? []).length + accepted.filter((a) => a.vault === vault).length;
        if (total >= MAX_PER_VAULT) {
          // emulator: the code is not established; the limit is Microsoft Learn's (backup-azure-private-endpoints-concept).
          throw badRequest(
            "PrivateEndpointLimitReached",
            `Vault '${vault.name}' already has ${total} private endpoints; a vault takes at most ${MAX_PER_VAULT}.`,
          );
        }
      }
      // The middle part is a number in the service's names (GETVault.json: "pe114-pemsi-ecy-rsv.5944358949303501042.backup.<guid>").
      const vaultNumber = BigInt(`0x${guid(vault.key).replace(/-/g, "").slice(0, 15)}`).toString();
      accepted.push({
        vault,
        record: held ?? {
          name: `${r.params.privateEndpointName}.${vaultNumber}.backup.${guid(`${id}|${vault.key}`)}`,
          privateEndpointId: id,
          groupIds: [group],
          status: c.manual ? "Pending" : "Approved",
          description: c.manual ? (c.requestMessage ?? "Awaiting approval") : "Auto-Approved",
        },
      });
    }
    const record: PrivateEndpointRecord = {
      id,
      name: r.params.privateEndpointName!,
      location: location.replace(/\s+/g, "").toLowerCase(),
      subnetId,
      connections,
      ...(typeof prop(r.body, "tags") === "object" && prop(r.body, "tags") !== null ? { tags: prop(r.body, "tags") as Record<string, string> } : {}),
    };
    model.state.privateEndpoints = [...endpoints().filter((p) => p !== existing), record];
    disconnect(id, new Set(accepted.map((a) => a.vault.key)));
    for (const { vault, record: c } of accepted) {
      vault.privateEndpointConnections = [...(vault.privateEndpointConnections ?? []).filter((x) => x.privateEndpointId.toLowerCase() !== id.toLowerCase()), c];
    }
    return ok(renderEndpoint(model, record), existing === undefined ? 201 : 200);
  });

  router.add("DELETE", PE_PATH, (r) => {
    const pe = find(idOf(r));
    if (pe === undefined) return ok(undefined, 204);
    model.state.privateEndpoints = endpoints().filter((p) => p !== pe);
    disconnect(pe.id);
    return ok(undefined, 200);
  });

  // The vault's side: approve, reject or remove a connection (backup API, PrivateEndpointConnection_*).
  const connectionPath = `${VAULT_PATH}/privateEndpointConnections/{connectionName}`;
  const findConnection = (r: EmulatorRequest, vault: VaultRecord) => {
    const c = vault.privateEndpointConnections?.find((x) => x.name.toLowerCase() === r.params.connectionName!.toLowerCase());
    if (c === undefined) throw notFound("Microsoft.RecoveryServices/vaults/privateEndpointConnections", r.params.connectionName!, r.params.resourceGroupName!);
    return c;
  };
  router.add("GET", connectionPath, (r) => {
    const vault = findVault(r);
    return ok(renderConnection(vault, findConnection(r, vault), true));
  });
  router.add("PUT", connectionPath, (r) => {
    const vault = findVault(r);
    const c = findConnection(r, vault);
    const status = prop(r.body, "properties", "privateLinkServiceConnectionState", "status");
    const allowed = ["Pending", "Approved", "Rejected", "Disconnected"] as const;
    const next = allowed.find((a) => typeof status === "string" && a.toLowerCase() === status.toLowerCase());
    if (next === undefined)
      throw badRequest("BadRequest", `Invalid value '${String(status)}' for privateLinkServiceConnectionState.status. Allowed values: ${allowed.join(", ")}.`);
    c.status = next;
    const description = prop(r.body, "properties", "privateLinkServiceConnectionState", "description");
    if (typeof description === "string") c.description = description;
    return ok(renderConnection(vault, c, true));
  });
  router.add("DELETE", connectionPath, (r) => {
    const vault = findVault(r);
    const c = findConnection(r, vault);
    vault.privateEndpointConnections = (vault.privateEndpointConnections ?? []).filter((x) => x !== c);
    return ok(undefined, 200);
  });
}
