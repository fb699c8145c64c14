/**
 * The program, previewed and deployed offline: the package's Azure emulator stands in for Azure and an
 * OfflineStack for the Pulumi engine, with the providers' real checks. No Pulumi CLI, no Azure account.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator } from "pulumi-azure-vm-backup/emulator";
import { OfflineStack } from "pulumi-azure-vm-backup/testing";
import program from "./index";

const PROJECT = "__PROJECT__";
// An existing VM the emulator serves (emulator-vms.json), protected by id through the program's config.
const VMS_FILE = join(__dirname, "emulator-vms.json");
const existingVmIds = (JSON.parse(readFileSync(VMS_FILE, "utf8")) as Array<{ id: string }>).map((vm) => vm.id);

describe("VM backup, offline", () => {
  let emulator: Emulator;
  let stack: OfflineStack;

  beforeAll(async () => {
    // An hour of emulated time per real second: a first backup that takes hours in Azure completes in seconds.
    emulator = await startEmulator({ clock: { speed: 3600 }, vmsPath: VMS_FILE });
    stack = await OfflineStack.start({
      emulator,
      project: PROJECT,
      config: { [`${PROJECT}:existingVmIds`]: JSON.stringify(existingVmIds) },
      workDir: mkdtempSync(join(tmpdir(), `${PROJECT}-test-`)),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.stop();
  });

  it("previews with no errors and creates nothing", async () => {
    const preview = await stack.preview(program);
    expect(preview.errors).toEqual([]);
    expect(preview.ok).toBe(true);
    expect(emulator.state.vaults).toEqual([]);
  });

  it("deploys: the vault, the policy, and every VM protected", async () => {
    const up = await stack.up(program);
    expect(up.errors).toEqual([]);
    expect(up.ok).toBe(true);
    // Protection is on; the first backup (backupNow) runs on in the background, so Azure says "IRPending"
    // (initial backup pending) until it completes.
    expect(up.outputs.protectionStates).toEqual({ "web-01": "IRPending", "web-02": "IRPending", "app-01": "IRPending" });
    const [vault] = emulator.state.vaults;
    expect(vault?.policies.map((p) => p.name)).toContain("daily-2100");
    expect(vault?.items.map((i) => [i.vmId.split("/").pop(), i.policyName]).sort()).toEqual([
      ["app-01", "daily-2100"],
      ["web-01", "daily-2100"],
      ["web-02", "daily-2100"],
    ]);
  });

  it("a second deploy changes nothing", async () => {
    const again = await stack.up(program);
    expect(again.ok).toBe(true);
    expect(again.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
  });
});
