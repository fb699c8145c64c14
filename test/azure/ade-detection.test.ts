/**
 * Reading today's Azure Disk Encryption from what the compute API gives (src/azure/vms.ts): the ADE extension among a
 * VM's `resources`, whole (a GET) or as an id alone (a list); the managed disk's encryptionSettingsCollection; and the
 * Microsoft Graph endpoint of each cloud (src/azure/settings.ts), the custom endpoint's being the endpoint itself.
 */
import type { Disk, VirtualMachine } from "@azure/arm-compute";
import { diskEncryptionOfDisk, hasAdeExtension, resolveSettings, toVmArgs } from "../../src/azure";

const VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";
const KV = "/subscriptions/s/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv1";
const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("ADE detection", () => {
  it("knows the ADE extension by publisher and type (GET), or by its default name when a list gives its id alone", () => {
    expect(hasAdeExtension([{ location: "x", publisher: "Microsoft.Azure.Security", typePropertiesType: "AzureDiskEncryptionForLinux", name: "custom" }])).toBe(
      true,
    );
    expect(hasAdeExtension([{ location: "x", publisher: "Microsoft.Azure.Security", typePropertiesType: "AzureDiskEncryption" }])).toBe(true);
    expect(hasAdeExtension([{ location: "x", id: `${VM}/extensions/AzureDiskEncryption` }])).toBe(true);
    expect(hasAdeExtension([{ location: "x", id: `${VM}/extensions/azurediskencryptionforlinux` }])).toBe(true);
    // Another extension, or one that only borrows the name, is not ADE.
    expect(hasAdeExtension([{ location: "x", id: `${VM}/extensions/VMSnapshotLinux` }])).toBe(false);
    expect(hasAdeExtension([{ location: "x", name: "AzureDiskEncryption", publisher: "Contoso", typePropertiesType: "AzureDiskEncryption" }])).toBe(false);
    expect(hasAdeExtension(undefined)).toBe(false);
  });

  it("a VM with the extension and no osDisk.encryptionSettings names its managed disks to read; one without the extension none", () => {
    const vm = (resources?: VirtualMachine["resources"]): VirtualMachine =>
      ({
        id: VM,
        location: "westeurope",
        storageProfile: {
          osDisk: { createOption: "FromImage", diskSizeGB: 64, managedDisk: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/os" } },
          dataDisks: [
            { lun: 0, createOption: "Empty", diskSizeGB: 8, managedDisk: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d0" } },
          ],
        },
        resources,
      }) as VirtualMachine;
    expect(toVmArgs(vm([{ location: "x", id: `${VM}/extensions/AzureDiskEncryptionForLinux` }])).adeDisks).toEqual([
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/os",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d0",
    ]);
    expect(toVmArgs(vm()).adeDisks).toBeUndefined();
    expect(toVmArgs(vm([{ location: "x", id: `${VM}/extensions/MDE.Linux` }])).adeDisks).toBeUndefined();
  });

  it("reads the disk's encryptionSettingsCollection: BEK, KEK; nothing when disabled or absent", () => {
    const disk = (collection: Disk["encryptionSettingsCollection"]): Disk => ({ location: "x", encryptionSettingsCollection: collection }) as Disk;
    expect(
      diskEncryptionOfDisk(
        disk({
          enabled: true,
          encryptionSettings: [
            {
              diskEncryptionKey: { sourceVault: { id: KV }, secretUrl: "https://kv1.vault.azure.net/secrets/s/1" },
              keyEncryptionKey: { sourceVault: { id: KV }, keyUrl: "https://kv1.vault.azure.net/keys/k/1" },
            },
          ],
          encryptionSettingsVersion: "1.1",
        }),
      ),
    ).toEqual({
      secret: { keyVaultId: KV, secretUrl: "https://kv1.vault.azure.net/secrets/s/1" },
      keyEncryptionKey: { keyVaultId: KV, keyUrl: "https://kv1.vault.azure.net/keys/k/1" },
    });
    expect(diskEncryptionOfDisk(disk({ enabled: false, encryptionSettings: [] }))).toBeUndefined();
    expect(diskEncryptionOfDisk(disk(undefined))).toBeUndefined();
  });

  it.each([
    ["public", "https://graph.microsoft.com"],
    ["usgovernment", "https://graph.microsoft.us"],
    ["china", "https://microsoftgraph.chinacloudapi.cn"],
  ])("Microsoft Graph of the %s cloud: %s", (name, graph) => {
    expect(resolveSettings(config({ "azure-vm-backup:environment": name }), {}).cloud.graphEndpoint).toBe(graph);
  });

  it("a custom endpoint (the emulator) serves Microsoft Graph too", () => {
    expect(resolveSettings(config({}), { AZURE_VM_BACKUP_ENDPOINT: "https://127.0.0.1:8443/" }).cloud.graphEndpoint).toBe("https://127.0.0.1:8443");
  });
});
