/**
 * The emulator's private endpoints: Microsoft.Network privateEndpoints PUT/GET/DELETE as azure-native or the Azure
 * CLI send them (raw pipeline: no @azure/arm-network here), the connection they make on the vault (vault GET:
 * privateEndpointConnections, privateEndpointStateForBackup; the backup API's privateEndpointConnections), and
 * Azure's refusal of a private endpoint for Azure Backup on a vault that has had items registered.
 */
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { fixtureResponse } from "./conformance-helpers";
import { createVault, dailyPolicyBody, protect, SUB, VAULT_RG, world, type TestWorld } from "./harness";

const NETWORK_API = "2024-07-01";
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints`;
const vaultArmId = (vault: string) => `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${vault}`;
const peArmId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/${name}`;

/** The body of examples/PrivateEndpointCreate.json (Network 2024-07-01), pointing at a vault. */
const peBody = (vault: string, groupId = "AzureBackup", manual = false) => ({
  location: "westeurope",
  properties: {
    subnet: { id: SUBNET },
    [manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections"]: [
      {
        name: `${vault}-backup`,
        properties: { privateLinkServiceId: vaultArmId(vault), groupIds: [groupId], requestMessage: "Please approve my connection." },
      },
    ],
  },
});

describe("emulator: private endpoints of a vault", () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.stop());

  const send = (method: "PUT" | "GET" | "DELETE", name: string, body?: unknown): Promise<PipelineResponse> =>
    w.raw.sendRequest(
      createPipelineRequest({
        url: `${w.emulator.endpoint}${peArmId(name)}?api-version=${NETWORK_API}`,
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: createHttpHeaders({ "content-type": "application/json" }) }),
      }),
    );
  const json = (r: PipelineResponse) => JSON.parse(r.bodyAsText ?? "{}") as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("creates a private endpoint pointing at a new vault: 201, Succeeded, auto-approved, and the connection appears on the vault", async () => {
    await createVault(w, "rsv-pe");
    const before = await w.vaults.vaults.get(VAULT_RG, "rsv-pe");
    expect(before.properties?.privateEndpointStateForBackup).toBe("None");
    expect(before.properties?.privateEndpointConnections).toBeUndefined();

    const created = await send("PUT", "pe-backup", peBody("rsv-pe"));
    expect(created.status).toBe(201);
    const body = json(created);
    expect(body).toMatchObject({
      id: peArmId("pe-backup"),
      name: "pe-backup",
      type: "Microsoft.Network/privateEndpoints",
      properties: { provisioningState: "Succeeded" },
    });
    expect(body.properties.privateLinkServiceConnections[0].properties).toMatchObject({
      privateLinkServiceId: vaultArmId("rsv-pe"),
      groupIds: ["AzureBackup"],
      privateLinkServiceConnectionState: { status: "Approved", actionsRequired: "None" },
    });
    expect((await send("GET", "pe-backup")).status).toBe(200);
    // PUT again: an update, 200.
    expect((await send("PUT", "pe-backup", peBody("rsv-pe"))).status).toBe(200);

    const vault = await w.vaults.vaults.get(VAULT_RG, "rsv-pe");
    expect(vault.properties?.privateEndpointStateForBackup).toBe("Enabled");
    const connections = vault.properties?.privateEndpointConnections ?? [];
    expect(connections).toHaveLength(1);
    expect(connections[0]!.name).toMatch(/^pe-backup\.\d+\.backup\.[0-9a-f-]{36}$/);
    expect(connections[0]!.properties).toMatchObject({ groupIds: ["AzureBackup"], privateEndpoint: { id: peArmId("pe-backup") } });
    // The connection as GETVault.json (Recovery Services 2026-07-01) shows one, as the emulator wrote it.
    const wire = json(
      await w.raw.sendRequest(createPipelineRequest({ url: `${w.emulator.endpoint}${vaultArmId("rsv-pe")}?api-version=2026-07-01`, method: "GET" })),
    );
    const example = fixtureResponse("vault-get", 200).body as { properties: { privateEndpointConnections: unknown[] } };
    expect(Object.keys(wire.properties.privateEndpointConnections[0]).sort()).toEqual(
      expect.arrayContaining(Object.keys(example.properties.privateEndpointConnections[0] as object)),
    );
    expect(Object.keys(wire.properties.privateEndpointConnections[0].properties).sort()).toEqual(
      Object.keys((example.properties.privateEndpointConnections[0] as { properties: object }).properties).sort(),
    );
    // The backup API's view of the connection (PrivateEndpointConnection_Get).
    const one = await w.backup.privateEndpointConnectionOperations.get("rsv-pe", VAULT_RG, connections[0]!.name!);
    expect(one.properties?.privateLinkServiceConnectionState?.status).toBe("Approved");

    // DELETE: 200, then 204; the connection leaves the vault.
    expect((await send("DELETE", "pe-backup")).status).toBe(200);
    expect((await send("DELETE", "pe-backup")).status).toBe(204);
    expect((await send("GET", "pe-backup")).status).toBe(404);
    const after = await w.vaults.vaults.get(VAULT_RG, "rsv-pe");
    expect(after.properties?.privateEndpointStateForBackup).toBe("None");
  });

  it("refuses a private endpoint for Azure Backup on a vault that has had an item registered, but not a secondary one", async () => {
    await createVault(w, "rsv-used");
    await w.backup.protectionPolicies.createOrUpdate("rsv-used", VAULT_RG, "daily", dailyPolicyBody());
    expect((await protect(w, "rsv-used", "vm1", "daily")).status).toBe("Succeeded");

    const refused = await send("PUT", "pe-late", peBody("rsv-used"));
    expect(refused.status).toBe(400);
    expect(json(refused).error).toMatchObject({ code: "PrivateEndpointNotAllowedForVaultWithRegisteredItems", message: expect.stringMatching(/new vault/) });
    expect((await send("GET", "pe-late")).status).toBe(404);
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv-used")).properties?.privateEndpointStateForBackup).toBe("None");

    // A secondary private endpoint (cross-region restore) may come after items are protected.
    expect((await send("PUT", "pe-secondary", peBody("rsv-used", "AzureBackup_secondary"))).status).toBe(201);
  });

  it("a manual connection waits, Pending, until the vault's owner approves it through the backup API", async () => {
    await createVault(w, "rsv-manual");
    expect((await send("PUT", "pe-manual", peBody("rsv-manual", "AzureBackup", true))).status).toBe(201);
    const [connection] = (await w.vaults.vaults.get(VAULT_RG, "rsv-manual")).properties?.privateEndpointConnections ?? [];
    expect(connection!.properties?.privateLinkServiceConnectionState?.status).toBe("Pending");
    await w.backup.privateEndpointConnectionOperations.beginPutAndWait("rsv-manual", VAULT_RG, connection!.name!, {
      properties: { privateLinkServiceConnectionState: { status: "Approved", description: "Approved by the owner" } },
    });
    expect(json(await send("GET", "pe-manual")).properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status).toBe(
      "Approved",
    );
  });

  it("refuses the 13th private endpoint of a vault and a group id the vault does not offer", async () => {
    await createVault(w, "rsv-many");
    for (let i = 0; i < 12; i++) expect((await send("PUT", `pe-${i}`, peBody("rsv-many"))).status).toBe(201);
    const thirteenth = await send("PUT", "pe-12", peBody("rsv-many"));
    expect(thirteenth.status).toBe(400);
    expect(json(thirteenth).error.message).toMatch(/at most 12/);
    expect((await send("PUT", "pe-blob", peBody("rsv-many", "blob"))).status).toBe(400);
  });
});
