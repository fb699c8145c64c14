/**
 * Status of a vault holding two VMs of the same name (in two resource groups): a job names its VM only by its friendly
 * name (entityFriendlyName), so a backup of one must not be taken for a backup of the other. Here web in rg-a is being
 * backed up now, web in rg-b missed yesterday's run: rg-b's web is overdue, not "ok" on its namesake's job.
 */
import { clientsFor, resolveSettings, type AzureClients } from "../../src/azure";
import { getBackupStatus } from "../../src/operations";
import { CONTAINER, createVault, ITEM, SUB, VAULT_RG, vmFixture, vmId, world, type TestWorld } from "../emulator/harness";

const HOUR = 3_600_000;
/** Monday 2026-03-02 08:00 UTC. DefaultPolicy runs daily at 19:00 UTC. */
const START = Date.UTC(2026, 2, 2, 8, 0, 0);
const VAULT = "rsv-names";
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;

describe("status: two VMs of the same name in one vault", () => {
  let w: TestWorld;
  let c: AzureClients;

  async function protectIn(rg: string): Promise<void> {
    await w.backup.protectedItems.createOrUpdate(VAULT, VAULT_RG, "Azure", CONTAINER("web", rg), ITEM("web", rg), {
      properties: {
        protectedItemType: "Microsoft.Compute/virtualMachines",
        sourceResourceId: vmId("web", rg),
        policyId: `${VAULT_ID}/backupPolicies/DefaultPolicy`,
      },
    } as never);
    w.emulator.clock.advance(10 * 60_000);
  }

  beforeAll(async () => {
    w = await world({
      clock: { speed: 0, stepMs: 15_000, start: START },
      vms: [vmFixture("web", { id: vmId("web", "rg-a") }), vmFixture("web", { id: vmId("web", "rg-b") })],
    });
    c = clientsFor(
      resolveSettings(
        {
          get: (key) =>
            ({ "azure-vm-backup:endpoint": w.emulator.endpoint, "azure-vm-backup:caCertificate": w.emulator.ca, "azure-vm-backup:subscriptionId": SUB })[key],
        },
        {},
      ),
    );
    await createVault(w, VAULT);
    await protectIn("rg-a");
    await protectIn("rg-b");
    // Wednesday morning: Tuesday's 19:00 run is due for both (the emulator runs no scheduled backups); rg-a's web is
    // being backed up now, rg-b's is not.
    w.emulator.clock.advance(START + 48 * HOUR - w.emulator.clock.now());
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER("web", "rg-a"), ITEM("web", "rg-a"), {
      properties: { objectType: "IaasVMBackupRequest" },
    } as never);
  }, 60_000);
  afterAll(async () => w?.stop());

  it("does not take one VM's backup job for its namesake's", async () => {
    const report = await getBackupStatus(c, { vaults: [VAULT_ID] });
    const byId = Object.fromEntries(report.vaults[0]!.vms.map((vm) => [vm.vmId.toLowerCase(), vm]));
    expect(byId[vmId("web", "rg-a").toLowerCase()]!.verdict).toBe("ok");
    expect(byId[vmId("web", "rg-b").toLowerCase()]).toMatchObject({ verdict: "overdue", finding: { code: "status/backup-overdue" } });
    expect(report.ok).toBe(false);
  });
});
