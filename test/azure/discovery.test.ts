/**
 * Discovery finds a VM by its own id, kind included: a vault lists a classic VM as protectable under its
 * `Microsoft.ClassicCompute/virtualMachines` id (specification/recoveryservicesbackup/resource-manager/
 * Microsoft.RecoveryServices/stable/2023-04-01/examples/AzureIaasVm/BackupProtectableItems_List.json), so a
 * lookup that assumed `Microsoft.Compute` never found it and ran discovery again for nothing. Against the
 * emulator, with the real SDK clients configured as a user's program configures them.
 */
import { clientsFor, ensureDiscovered, itemNamesFor, protect, resolveSettings, type AzureClients, type AzureSettings, type VaultRef } from "../../src/azure";
import { createVault, SUB, VAULT_RG, vmFixture, vmId, world, type TestWorld } from "../emulator/harness";

const CLASSIC_VM = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.ClassicCompute/virtualMachines/legacy1`;

describe("discovering a classic VM", () => {
  let w: TestWorld;
  let settings: AzureSettings;
  let c: AzureClients;
  const refreshes = (since: number) => w.emulator.log.list(since).filter((e) => e.method === "POST" && /\/refreshContainers$/i.test(e.path)).length;
  const vault = (vaultName: string): VaultRef => ({ subscriptionId: SUB, resourceGroupName: VAULT_RG, vaultName });

  beforeAll(async () => {
    w = await world({ vms: [vmFixture("vm1"), { ...vmFixture("legacy1"), id: CLASSIC_VM }] });
    settings = resolveSettings(
      {
        get: (key) =>
          ({ "azure-vm-backup:endpoint": w.emulator.endpoint, "azure-vm-backup:caCertificate": w.emulator.ca, "azure-vm-backup:subscriptionId": SUB })[key],
      },
      {},
    );
    c = clientsFor(settings);
    await createVault(w, "rsv-classic");
    await createVault(w, "rsv-kinds");
  });
  afterAll(async () => w.stop());

  it("finds the classic VM by its ClassicCompute id after one discovery", async () => {
    const mark = w.emulator.log.mark();
    expect(await ensureDiscovered(c, settings, vault("rsv-classic"), itemNamesFor(CLASSIC_VM))).toBe(true);
    expect(refreshes(mark)).toBe(1);
    // Discovered once: the next lookup in the process reads the list it has.
    const again = w.emulator.log.mark();
    expect(await ensureDiscovered(c, settings, vault("rsv-classic"), itemNamesFor(CLASSIC_VM))).toBe(true);
    expect(refreshes(again)).toBe(0);
  });

  it("does not take the classic VM for an ARM VM of the same name and resource group", async () => {
    const mark = w.emulator.log.mark();
    expect(await ensureDiscovered(c, settings, vault("rsv-kinds"), itemNamesFor(vmId("legacy1")))).toBe(false);
    // It looked twice (a discovery under way may have begun before the VM existed), then gave up.
    expect(refreshes(mark)).toBe(2);
    expect(await ensureDiscovered(c, settings, vault("rsv-kinds"), itemNamesFor(vmId("vm1")))).toBe(true);
  });

  it("protects the classic VM under its classic container and item names", async () => {
    const names = itemNamesFor(CLASSIC_VM);
    expect([names.containerName, names.itemName]).toEqual(["IaasVMContainer;iaasvmcontainer;rg-app;legacy1", "VM;iaasvmcontainer;rg-app;legacy1"]);
    const { item } = await protect(c, settings, vault("rsv-classic"), names, "DefaultPolicy", {}, false);
    expect(item.vmId.toLowerCase()).toBe(CLASSIC_VM.toLowerCase());
    expect(item.policyName).toBe("DefaultPolicy");
    const put = w.emulator.log.list(0).find((e) => e.method === "PUT" && /\/protectedItems\//i.test(e.path));
    expect(put!.path).toContain("/protectionContainers/IaasVMContainer;iaasvmcontainer;rg-app;legacy1/protectedItems/VM;iaasvmcontainer;rg-app;legacy1");
  });
});
