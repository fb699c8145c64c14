/**
 * The vault's check of its private endpoints through the real provider host, against the emulator: the preview
 * fails when a vault that has had VMs protected declares a private endpoint for Azure Backup it does not have yet
 * (Azure would refuse to create it), and passes for a new vault, or one whose private endpoint came first.
 */
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { ServiceClient } from "@azure/core-client";
import { credential, vmFixture, vmId } from "../emulator/harness";
import { hostWorld, SUB, type HostWorld } from "./harness";

const vault = (name: string, extra: Record<string, unknown> = {}) => ({ resourceGroupName: "rg-backup", name, location: "westeurope", ...extra });
const peId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/${name}`;

describe("vault private endpoints through the real provider host", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [vmFixture("vm1"), vmFixture("vm2")] });
  });
  afterAll(async () => w.stop());

  /** Creates the vault and protects a VM in it with its DefaultPolicy, as `pulumi up` would. */
  async function vaultWithVm(name: string, vm: string, before?: () => Promise<void>): Promise<void> {
    await w.host.create("vault", (await w.host.check("vault", vault(name))).inputs);
    await before?.();
    const protection = await w.host.check("protected-vm", {
      vaultResourceGroupName: "rg-backup",
      vaultName: name,
      policyName: "DefaultPolicy",
      vmId: vmId(vm),
    });
    expect(protection.failures).toEqual([]);
    await w.host.create("protected-vm", protection.inputs);
  }

  /** A private endpoint for Azure Backup, created as azure-native or the Azure CLI create one. */
  async function privateEndpoint(name: string, vaultName: string): Promise<number> {
    const raw = new ServiceClient({
      endpoint: w.emulator.endpoint,
      tlsOptions: { ca: w.emulator.ca },
      credential,
      credentialScopes: [`${w.emulator.endpoint}/.default`],
    });
    const vaultArmId = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${vaultName}`;
    const response = await raw.sendRequest(
      createPipelineRequest({
        url: `${w.emulator.endpoint}${peId(name)}?api-version=2024-07-01`,
        method: "PUT",
        headers: createHttpHeaders({ "content-type": "application/json" }),
        body: JSON.stringify({
          location: "westeurope",
          properties: {
            subnet: { id: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` },
            privateLinkServiceConnections: [{ name: `${name}-backup`, properties: { privateLinkServiceId: vaultArmId, groupIds: ["AzureBackup"] } }],
          },
        }),
      }),
    );
    return response.status;
  }

  it("passes the preview of a new vault with private endpoints", async () => {
    expect((await w.host.check("vault", vault("rsv-pe-new", { privateEndpoints: [{ name: "pe-backup" }] }))).failures).toEqual([]);
  });

  it("fails the preview of a vault that has had VMs protected and declares a private endpoint it does not have, naming BackupVault, the argument, the source and the fix", async () => {
    await vaultWithVm("rsv-used", "vm1");
    // Azure (here the emulator) refuses the private endpoint: the preview says so first.
    expect(await privateEndpoint("pe-late", "rsv-used")).toBe(400);
    const { failures } = await w.host.check("vault", vault("rsv-used", { privateEndpoints: [{ name: "pe-late" }] }));
    expect(failures.map((f) => f.property)).toEqual(["privateEndpoints"]);
    expect(failures[0]!.reason).toMatch(
      /^\[vault\/private-endpoint-after-protection\] BackupVault 'rsv-used' declares the private endpoint 'pe-late' for Azure Backup, which the vault does not have yet \(privateEndpointStateForBackup "None"\), but items have already been registered/,
    );
    expect(failures[0]!.reason).toMatch(
      /Fix: Create a new vault .*Source: Create and use private endpoints \(v2 experience\) for Azure Backup \(Microsoft Learn, 2025-06-26\) <https:\/\/learn\.microsoft\.com\/azure\/backup\/backup-azure-private-endpoints-configure-manage>/,
    );
    // Without the private endpoint, the same vault passes.
    expect((await w.host.check("vault", vault("rsv-used"))).failures).toEqual([]);
  });

  it("passes once the private endpoint came before the first protected VM, and fails on one more", async () => {
    await vaultWithVm("rsv-private", "vm2", async () => expect(await privateEndpoint("pe-backup", "rsv-private")).toBe(201));
    expect((await w.host.check("vault", vault("rsv-private", { privateEndpoints: [{ name: "pe-backup" }] }))).failures).toEqual([]);
    expect((await w.host.check("vault", vault("rsv-private", { privateEndpoints: [{ id: peId("pe-backup") }] }))).failures).toEqual([]);
    const more = await w.host.check("vault", vault("rsv-private", { privateEndpoints: [{ name: "pe-backup" }, { name: "pe-second" }] }));
    expect(more.failures.map((f) => f.reason)).toEqual([expect.stringMatching(/^\[vault\/private-endpoint-after-protection\] .*'pe-second'/)]);
  });
});
