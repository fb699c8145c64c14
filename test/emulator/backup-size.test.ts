import { DAY } from "../../src/emulator";
import { CONTAINER, createVault, dailyPolicyBody, ITEM, protect, VAULT_RG, vmFixture, world, type TestWorld } from "./harness";

/**
 * A completed Backup job reports the data it sent as `extendedInfo.propertyBag["Backup Size"]` ("2332 MB" in the job
 * example of MicrosoftDocs/azure-docs articles/backup/backup-azure-arm-userestapi-managejobs.md); a running one does not
 * (GetJobDetails.json of Azure/azure-rest-api-specs: only "VM Name"). The first backup sends the used data of the
 * backed-up disks, later ones what changed (the emulator's incrementalChangePercent, 5 by default).
 */
describe("Backup job's Backup Size", () => {
  let w: TestWorld;
  beforeEach(async () => {
    // vm1: a 10 GB OS disk and a 30 GB data disk in use (64 and 128 GB in size).
    w = await world({ vms: [vmFixture("vm1"), vmFixture("vm2")] });
    await createVault(w);
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2030", dailyPolicyBody());
  });
  afterEach(async () => w.stop());

  const backupNow = async (vm: string): Promise<string> => {
    await w.backup.backups.trigger("rsv1", VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), { properties: { objectType: "IaasVMBackupRequest" } as never });
    for await (const j of w.backup.backupJobs.list("rsv1", VAULT_RG, { filter: "operation eq 'Backup' and status eq 'InProgress'" })) {
      if (j.properties?.entityFriendlyName === vm) return j.name!;
    }
    throw new Error(`no running backup of ${vm}`);
  };
  const bag = async (jobId: string) =>
    ((await w.backup.jobDetails.get("rsv1", VAULT_RG, jobId)).properties as { extendedInfo: { propertyBag: Record<string, string> } }).extendedInfo.propertyBag;

  it("is absent while the job runs, then the used data of the first backup, then only the changes", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const first = await backupNow("vm1");
    expect(await bag(first)).toEqual({ "VM Name": "vm1" });
    w.emulator.clock.advance(DAY);
    expect(await bag(first)).toEqual({ "VM Name": "vm1", "Backup Size": "40960 MB" });
    const second = await backupNow("vm1");
    w.emulator.clock.advance(DAY);
    expect(await bag(second)).toEqual({ "VM Name": "vm1", "Backup Size": "2048 MB" });
  });

  it("counts only the disks the item backs up", async () => {
    await protect(w, "rsv1", "vm2", "daily-2030", { extendedProperties: { diskExclusionProperties: { diskLunList: [0], isInclusionList: false } } });
    const job = await backupNow("vm2");
    w.emulator.clock.advance(DAY);
    expect((await bag(job))["Backup Size"]).toBe("10240 MB");
  });
});
