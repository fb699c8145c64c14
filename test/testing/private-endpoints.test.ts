/**
 * A program with a private endpoint for Azure Backup, run offline: the run PUTs the azure-native private endpoint to
 * the emulator, so the vault's check finds it on the next preview as it would in Azure (no false
 * vault/private-endpoint-after-protection), destroy removes it, and an endpoint added to a vault that already
 * protects a VM fails the preview before anything is sent.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { BackupVault, ProtectedVm } from "../../src";
import { startEmulator, type Emulator } from "../../src/emulator";
import { OFFLINE_SUBSCRIPTION as SUB, OfflineStack } from "../../src/testing";

const RG = "rg-pe";
const PE_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/privateEndpoints/pe-backup`;

/** A vault, a VM protected in it, and (when `withEndpoint`) the vault's private endpoint for Azure Backup. */
function program(withEndpoint: boolean) {
  return () => {
    const group = new resources.ResourceGroup("rg", { resourceGroupName: RG, location: "westeurope" });
    const vnet = new network.VirtualNetwork("vnet", {
      resourceGroupName: group.name,
      location: "westeurope",
      addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
    });
    const subnet = new network.Subnet("snet", { resourceGroupName: group.name, virtualNetworkName: vnet.name, addressPrefix: "10.30.1.0/24" });
    const vm = new compute.VirtualMachine("app-01", {
      resourceGroupName: group.name,
      vmName: "app-01",
      location: "westeurope",
      hardwareProfile: { vmSize: "Standard_B2s" },
      storageProfile: {
        imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
        osDisk: { createOption: "FromImage", diskSizeGB: 64, managedDisk: { storageAccountType: "Premium_LRS" } },
      },
    });
    const vault = new BackupVault("vault", { resourceGroupName: group.name, location: "westeurope", vaultName: "rsv-pe", publicNetworkAccess: "Disabled" });
    if (withEndpoint) {
      const endpoint = new network.PrivateEndpoint("pe", {
        resourceGroupName: group.name,
        privateEndpointName: "pe-backup",
        location: "westeurope",
        subnet: { id: subnet.id },
        privateLinkServiceConnections: [{ name: "backup", privateLinkServiceId: vault.id, groupIds: ["AzureBackup"] }],
      });
      vault.addPrivateEndpoint(endpoint);
    }
    new ProtectedVm("app-01-backup", { vm, vault });
    return { vaultId: vault.id, state: pulumi.output("ok") };
  };
}

describe("private endpoints in an offline run", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clock: { speed: 3600 } });
  });
  afterAll(async () => emulator?.stop());

  async function stackFor(name: string): Promise<OfflineStack> {
    const dir = mkdtempSync(join(tmpdir(), `avb-pe-${name}-`));
    return OfflineStack.start({ emulator, project: `pe-${name}`, statePath: join(dir, "state.json"), workDir: dir });
  }

  it("deploys the endpoint to the emulator before the VM is protected; the next preview finds it; destroy removes it", async () => {
    const stack = await stackFor("first");
    try {
      const up = await stack.up(program(true));
      expect(up.errors).toEqual([]);
      expect(up.failures).toEqual([]);
      const log = emulator.log.list(0).filter((x) => x.method === "PUT");
      const endpointPut = log.findIndex((x) => x.path.toLowerCase() === PE_ID.toLowerCase());
      const protect = log.findIndex((x) => /protectedItems\//i.test(x.path));
      expect(endpointPut).toBeGreaterThanOrEqual(0);
      expect(endpointPut).toBeLessThan(protect);
      const held = emulator.model.vault(SUB, RG, "rsv-pe")?.privateEndpointConnections ?? [];
      expect(held.map((c) => [c.privateEndpointId, c.status])).toEqual([[PE_ID, "Approved"]]);

      const again = await stack.preview(program(true));
      expect(again.failures).toEqual([]);
      expect(again.ok).toBe(true);

      const destroyed = await stack.destroy();
      expect(destroyed.errors).toEqual([]);
      expect(emulator.state.privateEndpoints ?? []).toEqual([]);
    } finally {
      await stack.stop();
    }
  });

  it("an endpoint added to a vault that already protects a VM fails the preview, naming the rule; nothing is sent", async () => {
    const late = await stackFor("late2");
    try {
      const up = await late.up(program(false));
      expect(up.errors).toEqual([]);
      const since = emulator.log.list(0).length;
      const preview = await late.preview(program(true));
      expect(preview.ok).toBe(false);
      expect(preview.failures.map((f) => f.reason).join("\n")).toContain("vault/private-endpoint-after-protection");
      expect(emulator.log.list(since).filter((x) => x.method !== "GET")).toEqual([]);
    } finally {
      await late.stop();
    }
  });
});
