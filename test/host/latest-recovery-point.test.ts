/**
 * ProtectedVm.latestRecoveryPoint through the real provider host: the newest recovery point with its consistency, read
 * at create when the VM has one (Backup now, waited for), by refresh once a backup completed, and no call at all before
 * the first backup.
 */
import { HOUR } from "../../src/emulator";
import { vmFixture } from "../emulator/harness";
import { hostWorld, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-points");

describe("ProtectedVm.latestRecoveryPoint, through the real provider host", () => {
  let w: HostWorld;
  const pointLists = (since: number) => w.emulator.log.list(since).filter((e) => e.method === "GET" && /\/recoveryPoints$/i.test(e.path)).length;
  beforeAll(async () => {
    w = await hostWorld({
      vms: [
        vmFixture("vm-lin"),
        vmFixture("vm-win", { osType: "Windows", image: "MicrosoftWindowsServer:WindowsServer:2022-datacenter:latest" }),
        vmFixture("vm-off", { powerState: "deallocated" }),
      ],
    });
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs);
  });
  afterAll(async () => w.stop());

  it("is absent before the first backup, and costs no call", async () => {
    const mark = w.emulator.log.mark();
    const { id, outs } = await w.host.create("protected-vm", protection("vm-lin"));
    expect(outs.latestRecoveryPoint).toBeUndefined();
    expect((await w.host.read("protected-vm", id, outs)).props.latestRecoveryPoint).toBeUndefined();
    expect(pointLists(mark)).toBe(0);
  });

  it("is read at create when the create waits for its first backup: app-consistent for a running Windows VM", async () => {
    const mark = w.emulator.log.mark();
    const { outs } = await w.host.create("protected-vm", protection("vm-win", { backupNowRetainDays: 30, waitForInitialBackup: true }));
    expect(outs.latestRecoveryPoint).toMatchObject({
      consistency: "AppConsistent",
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      name: expect.stringMatching(/^\d+$/),
    });
    expect(pointLists(mark)).toBe(1);
  });

  it("refresh reads it once a backup has taken its snapshot: crash-consistent for a stopped VM", async () => {
    const created = await w.host.create("protected-vm", protection("vm-off", { backupNowRetainDays: 30 }));
    expect(created.outs.latestRecoveryPoint).toBeUndefined();
    w.emulator.clock.advance(2 * HOUR);
    const read = await w.host.read("protected-vm", created.id, created.outs);
    expect(read.props.latestRecoveryPoint).toMatchObject({ consistency: "CrashConsistent" });
    // A diff never reports it as a change.
    expect(await w.host.diff("protected-vm", created.id, read.props, protection("vm-off", { backupNowRetainDays: 30 }))).toMatchObject({ changes: "none" });
  });
});
