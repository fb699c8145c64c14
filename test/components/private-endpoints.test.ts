import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { BackupPolicy, BackupVault, ProtectedVm } from "../../src";
import { declare, stopEngine, SUB, T } from "./helpers";

afterAll(stopEngine);

class Marker extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Marker", name, {});
  }
}

const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-01`;
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints`;
const EXISTING_PE = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-elsewhere`;
const PE = "azure-native:network:PrivateEndpoint";

/** A private endpoint of the vault for Azure Backup, as the Learn page's "Resource" tab makes it. */
function backupEndpoint(name: string, vault: BackupVault): network.PrivateEndpoint {
  return new network.PrivateEndpoint(name, {
    resourceGroupName: "rg-net",
    location: "westeurope",
    subnet: { id: SUBNET },
    privateLinkServiceConnections: [{ name: `${name}-backup`, privateLinkServiceId: vault.id, groupIds: ["AzureBackup"] }],
  });
}

describe("BackupVault.addPrivateEndpoint under Pulumi's mocks", () => {
  it("makes the vault's ProtectedVm resources wait for its private endpoints, which wait for the vault", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope", vaultName: "rsv-private" });
      const policy = new BackupPolicy("nightly", { vault, schedule: { frequency: "Daily", time: "22:00" }, retention: { daily: { count: 30 } } });
      // Declared before the endpoint: it still waits for it.
      new ProtectedVm("first", { vm: VM_ID, vault });
      vault.addPrivateEndpoint(backupEndpoint("pe-backup", vault));
      new ProtectedVm("by-policy", { vm: VM_ID.replace("vm-01", "vm-02"), policy });
    });
    const pe = d.one(PE);
    expect(pe.dependencies).toContain(d.one(T.vault).urn);
    for (const name of ["first", "by-policy"]) expect(d.one(T.protectedVm, name).dependencies).toEqual(expect.arrayContaining([pe.urn, d.one(T.vault).urn]));
    // The vault's check sees the endpoint by name (nothing that waits on it).
    expect(d.one(T.vault).inputs.privateEndpoints).toEqual([{ name: "pe-backup" }]);
    expect(d.one(T.vault).dependencies).not.toContain(pe.urn);
  });

  it("keeps a ProtectedVm's own dependsOn, and a vault without private endpoints adds none", async () => {
    const d = await declare(() => {
      const marker = new Marker("marker");
      const plain = new BackupVault("plain", { resourceGroupName: "rg-backup", location: "westeurope" });
      const vault = new BackupVault("private", { resourceGroupName: "rg-backup", location: "westeurope" });
      vault.addPrivateEndpoint(backupEndpoint("pe", vault));
      vault.addPrivateEndpoint(EXISTING_PE, { secondary: true });
      new ProtectedVm("p", { vm: VM_ID, vault }, { dependsOn: [marker] });
      new ProtectedVm("q", { vm: VM_ID.replace("vm-01", "vm-03"), vault: plain });
    });
    expect(d.one(T.protectedVm, "p").dependencies).toEqual(expect.arrayContaining([d.one("test:index:Marker").urn, d.one(PE).urn]));
    expect(d.one(T.protectedVm, "q").dependencies).toEqual([d.one(T.vault, "plain").urn]);
    expect(d.one(T.vault, "private").inputs.privateEndpoints).toEqual([{ name: "pe" }, { id: EXISTING_PE, secondary: true }]);
    expect(d.one(T.vault, "plain").inputs.privateEndpoints).toEqual([]);
  });

  it("refuses what is not a private endpoint, and notes a vault denying public access without one", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg-backup", location: "westeurope" });
      expect(() => vault.addPrivateEndpoint("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet")).toThrow(
        /BackupVault 'vault': addPrivateEndpoint takes .* private endpoint's ARM id/,
      );
      expect(() => vault.addPrivateEndpoint(new Marker("m"))).toThrow(/'m' is a test:index:Marker/);
      // publicNetworkAccess is read by name (another part of the package declares it).
      new BackupVault("closed", { resourceGroupName: "rg-backup", location: "westeurope", publicNetworkAccess: "Disabled" } as never);
    });
    const notes = d.logs.filter((l) => l.message.includes("vault/public-access-without-private-endpoint"));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(/Azure VM backup and the restore of disks do not need one/);
    expect(d.one(T.vault, "vault").inputs.privateEndpoints).toEqual([]);
  });
});
