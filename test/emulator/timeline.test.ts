import { DAY, MINUTE } from "../../src/emulator";
import { capture, CONTAINER, createVault, dailyPolicyBody, ITEM, protect, VAULT_RG, vmFixture, world, type TestWorld } from "./harness";

/** Plan your VM backup infrastructure in Azure (Microsoft Docs, 2018): the first backup of a disk runs at 160 Mbps; disks back up in parallel. */
const initialMs = (usedGb: number) => ((usedGb * 2 ** 30 * 8) / 160e6) * 1000;

describe("backup jobs and recovery points on the emulator's clock (seed 000: snapshot, then vault)", () => {
  let w: TestWorld;
  beforeEach(async () => {
    // vm1: a 10 GB OS disk and a 30 GB data disk in use; the data disk is the slowest.
    w = await world({ vms: [vmFixture("vm1"), vmFixture("win1", { osType: "Windows" }), vmFixture("off1", { powerState: "deallocated" })] });
    await createVault(w);
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily-2030", dailyPolicyBody());
  });
  afterEach(async () => w.stop());

  const backupNow = async (vm: string) => {
    // From here on, time moves only when the test moves it.
    w.emulator.clock.stepMs = 0;
    const c = capture();
    await w.backup.backups.trigger(
      "rsv1",
      VAULT_RG,
      "Azure",
      CONTAINER(vm),
      ITEM(vm),
      { properties: { objectType: "IaasVMBackupRequest" } as never },
      { onResponse: c.onResponse },
    );
    const jobs = [];
    for await (const j of w.backup.backupJobs.list("rsv1", VAULT_RG, { filter: "operation eq 'Backup' and status eq 'InProgress'" })) jobs.push(j);
    return jobs[0]!.name!;
  };
  const points = async (vm: string) => {
    const list = [];
    for await (const rp of w.backup.recoveryPoints.list("rsv1", VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm)))
      list.push(rp.properties as { recoveryPointType: string; recoveryPointTierDetails: Array<{ type: string; status: string }> });
    return list;
  };
  const tasks = async (jobId: string) =>
    (
      (await w.backup.jobDetails.get("rsv1", VAULT_RG, jobId)).properties as { extendedInfo: { tasksList: Array<{ taskId: string; status: string }> } }
    ).extendedInfo.tasksList.map((t) => `${t.taskId}: ${t.status}`);

  it("takes the snapshot, makes it a recovery point at once, transfers it to the vault, and later drops the snapshot", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const jobId = await backupNow("vm1");
    expect(await tasks(jobId)).toEqual(["Take Snapshot: InProgress", "Transfer data to vault: NotStarted"]);
    expect(await points("vm1")).toEqual([]);

    w.emulator.clock.advance(10 * MINUTE);
    expect(await tasks(jobId)).toEqual(["Take Snapshot: Completed", "Transfer data to vault: InProgress"]);
    const [snapshot] = await points("vm1");
    expect(snapshot!.recoveryPointTierDetails).toEqual([{ type: "InstantRP", status: "Valid" }]);
    expect(
      ((await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"))).properties as { protectionState?: string })
        .protectionState,
    ).toBe("IRPending");

    w.emulator.clock.advance(initialMs(30) - 1000);
    expect((await w.backup.jobDetails.get("rsv1", VAULT_RG, jobId)).properties?.status).toBe("InProgress");
    w.emulator.clock.advance(2000);
    expect((await w.backup.jobDetails.get("rsv1", VAULT_RG, jobId)).properties?.status).toBe("Completed");
    expect((await points("vm1"))[0]!.recoveryPointTierDetails).toEqual([
      { type: "InstantRP", status: "Valid" },
      { type: "HardenedRP", status: "Valid" },
    ]);
    expect((await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"))).properties).toMatchObject({
      protectionState: "Protected",
      lastBackupStatus: "Completed",
    });

    // The policy keeps snapshots 2 days (its instantRpRetentionRangeInDays).
    w.emulator.clock.advance(2 * DAY);
    expect((await points("vm1"))[0]!.recoveryPointTierDetails).toEqual([
      { type: "InstantRP", status: "Deleted" },
      { type: "HardenedRP", status: "Valid" },
    ]);
  });

  it("runs later backups incrementally, much faster than the first", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    await backupNow("vm1");
    w.emulator.clock.advance(DAY);
    const second = await backupNow("vm1");
    w.emulator.clock.advance(11 * MINUTE);
    expect((await w.backup.jobDetails.get("rsv1", VAULT_RG, second)).properties?.status).toBe("Completed");
    expect(await points("vm1")).toHaveLength(2);
  });

  it("refuses a second backup while one runs", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    await backupNow("vm1");
    await expect(
      w.backup.backups.trigger("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), { properties: { objectType: "IaasVMBackupRequest" } as never }),
    ).rejects.toMatchObject({ code: "UserErrorBackupOperationInProgress" });
  });

  it("gives app-consistent points for Windows, file-consistent for Linux, crash-consistent for a stopped VM (seeds 001, 002)", async () => {
    for (const vm of ["vm1", "win1", "off1"]) {
      await protect(w, "rsv1", vm, "daily-2030");
      await backupNow(vm);
    }
    w.emulator.clock.advance(DAY);
    expect([(await points("vm1"))[0]!.recoveryPointType, (await points("win1"))[0]!.recoveryPointType, (await points("off1"))[0]!.recoveryPointType]).toEqual([
      "FileSystemConsistent",
      "AppConsistent",
      "CrashConsistent",
    ]);
  });

  it("expires a Backup-now recovery point at its retain-until date", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const until = new Date(w.emulator.clock.now() + 3 * DAY);
    await w.backup.backups.trigger("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"), {
      properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: until } as never,
    });
    w.emulator.clock.advance(DAY);
    expect(await points("vm1")).toHaveLength(1);
    w.emulator.clock.advance(2 * DAY);
    expect(await points("vm1")).toHaveLength(0);
  });

  it("fails a backup of a VM that no longer exists (job error BCMV2VMNotFound)", async () => {
    await protect(w, "rsv1", "vm1", "daily-2030");
    const jobId = await backupNow("vm1");
    w.emulator.state.vms = w.emulator.state.vms.filter((v) => !v.id.endsWith("/vm1"));
    const job = await w.backup.jobDetails.get("rsv1", VAULT_RG, jobId);
    expect(job.properties?.status).toBe("Failed");
    expect(JSON.stringify(job.properties)).toContain("BCMV2VMNotFound");
  });
});
