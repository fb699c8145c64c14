/**
 * examples/fleet: 150 VMs spread over three start times pass; put 101 on one start time and the
 * preview fails, naming the vault, the schedule, the count and the limit, before anything is created.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { OfflineStack } from "../../src/testing";
import fleet = require("../../examples/fleet/index");

// A preview of 150 VMs through the real provider host: the file's three previews took 67 s in all in CI (2 cores), once the emulator
// journaled its changes instead of rewriting its whole state after every request (issue 13); the margin is for a loaded machine.
const FLEET_PREVIEW_MS = 300_000;

describe("examples/fleet, offline", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clock: { speed: 0, stepMs: 15_000 } });
  });
  afterAll(async () => emulator?.stop());

  async function preview(config: Record<string, string> = {}) {
    const stack = await OfflineStack.start({ emulator, project: "backup-fleet", config });
    try {
      return await stack.preview(fleet);
    } finally {
      await stack.stop();
    }
  }

  it(
    "previews 150 VMs on three policies, none of whose start times holds more than 100",
    async () => {
      const result = await preview();
      expect(result.failures).toEqual([]);
      expect(result.errors).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.steps.filter((s) => s.type === "pulumi-nodejs:dynamic/azure-vm-backup:ProtectedVm")).toHaveLength(150);
      expect(result.steps.filter((s) => s.type === "pulumi-nodejs:dynamic/azure-vm-backup:BackupPolicy")).toHaveLength(3);
    },
    FLEET_PREVIEW_MS,
  );

  it(
    "fails the preview of 101 VMs on one schedule: the vault, the schedule, the count, the limit; nothing created",
    async () => {
      const result = await preview({ "fleet:webVms": "101" });
      expect(result.ok).toBe(false);
      expect(result.failures).toHaveLength(1);
      const [failure] = result.failures;
      expect(failure).toMatchObject({ type: "pulumi-nodejs:dynamic/azure-vm-backup:Vault", name: "fleet-vault", property: "" });
      expect(failure!.reason).toMatch(
        /^\[plan\/vms-per-schedule\] Vault 'rsv-fleet-weu': 101 VMs start their backup at 18:00 \/ 19:00 UTC every day, from policy 'web-backup' \(daily at 20:00 W\. Europe Standard Time: 101 VMs\); at most 100 VMs in one vault may start at the same time\./,
      );
      expect(failure!.reason).toContain("Limit vmsPerSchedule = 100 (stack-v2-2018).");
      expect(failure!.reason).toContain(
        "Source: Plan your VM backup infrastructure in Azure (Microsoft Docs, 2018-08-29) <https://github.com/MicrosoftDocs/azure-docs/blob/",
      );
      expect(result.steps.filter((s) => s.failed === true).map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual([
        "create pulumi-nodejs:dynamic/azure-vm-backup:Vault fleet-vault",
      ]);
      expect(emulator.state.vaults).toEqual([]);
      // Nothing but reads, and the preview's Azure Policy query (a POST that changes nothing).
      expect(emulator.log.list().filter((e) => e.method !== "GET" && !/\/checkPolicyRestrictions$/i.test(e.path))).toEqual([]);
    },
    FLEET_PREVIEW_MS,
  );
});
