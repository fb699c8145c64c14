/**
 * File recovery through the library (`pulumi-azure-vm-backup/operations` mount / unmount) against the emulator,
 * with the real SDK clients: the script file Azure gave, named as the Azure CLI names it, mode 0700; the recovery
 * point's session active, then not; a session that ends by itself after 12 emulated hours.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { HOUR } from "../../src/emulator";
import { FileRecoveryError, mount, unmount } from "../../src/operations";
import { filesWorld, VAULT_ID, type FilesWorld } from "./files-world";

describe("operations: file recovery (mount, unmount)", () => {
  let f: FilesWorld;
  let dir: string;

  beforeAll(async () => {
    f = await filesWorld();
    dir = mkdtempSync(join(tmpdir(), "files-lib-"));
  });
  afterAll(async () => {
    await f.w.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("mounts the latest recovery point of a Linux VM: writes the script Azure gave, says when the mount ends, then unmounts it", async () => {
    expect(await f.sessionActive("vm1")).toBe(false);
    const result = await mount({ vault: VAULT_ID, vm: "vm1", outDir: dir, settings: f.settings });
    const [given] = f.lastScripts();
    expect(given).toBeDefined();
    // The Azure CLI's name: the suffix without the 15-character password 33 characters after its last "_", plus the extension.
    const suffix = given!.scriptNameSuffix;
    const cut = suffix.lastIndexOf("_") + 33;
    expect(basename(result.scriptPath)).toBe(`${suffix.slice(0, cut)}${suffix.slice(cut + 15)}.py`);
    expect(result.password).toBe(suffix.slice(cut, cut + 15));
    expect(readFileSync(result.scriptPath, "utf8")).toBe(Buffer.from(given!.scriptContent, "base64").toString("utf8"));
    expect(statSync(result.scriptPath).mode & 0o777).toBe(0o700);
    expect(result).toMatchObject({ osType: "Linux", recoveryPoint: { name: f.points.vm1 }, renewed: false });
    expect(result.howToRun).toContain(`python3 ${result.scriptPath}`);
    const provisioned = f.w.emulator.state.operations.filter((o) => o.kind === "ilr-provision").pop()!;
    expect(result.expiresAt).toBe(new Date(provisioned.endTime! + 12 * HOUR).toISOString());
    expect(await f.sessionActive("vm1")).toBe(true);

    const done = await unmount({ vault: VAULT_ID, vm: "vm1", settings: f.settings });
    expect(done.unmounted).toEqual([f.points.vm1]);
    expect(await f.sessionActive("vm1")).toBe(false);
    // Nothing mounted: nothing to revoke (the Azure CLI revokes only an active session).
    expect((await unmount({ vault: VAULT_ID, vm: "vm1", recoveryPoint: f.points.vm1, settings: f.settings })).unmounted).toEqual([]);
  });

  it("a mount ends by itself 12 emulated hours after it was provisioned, without unmount", async () => {
    await mount({ vault: VAULT_ID, vm: "VM1", recoveryPoint: f.points.vm1, outDir: dir, settings: f.settings });
    f.w.emulator.clock.advance(11 * HOUR);
    expect(await f.sessionActive("vm1")).toBe(true);
    f.w.emulator.clock.advance(HOUR);
    expect(await f.sessionActive("vm1")).toBe(false);
    expect((await unmount({ vault: VAULT_ID, vm: "vm1", settings: f.settings })).unmounted).toEqual([]);
  });

  it("mounting a point that is mounted renews it", async () => {
    await mount({ vault: VAULT_ID, vm: "vm1", outDir: dir, settings: f.settings });
    const again = await mount({ vault: VAULT_ID, vm: "vm1", outDir: dir, settings: f.settings });
    expect(again.renewed).toBe(true);
    await unmount({ vault: VAULT_ID, vm: "vm1", settings: f.settings });
  });

  it("a Windows VM: writes the script given inline and names the executable to download", async () => {
    const result = await mount({ vault: VAULT_ID, vm: "win1", outDir: dir, settings: f.settings });
    expect(result.osType).toBe("Windows");
    expect(result.scriptPath.endsWith(".ps1")).toBe(true);
    expect(result.executable?.fileName.endsWith(".exe")).toBe(true);
    expect(result.executable?.url).toBe(f.lastScripts()[1]!.url);
    expect(result.howToRun).toContain("as administrator");
    await unmount({ vault: VAULT_ID, vm: "win1", settings: f.settings });
    expect(await f.sessionActive("win1")).toBe(false);
  });

  it("refuses bad arguments before calling Azure, naming each", async () => {
    const before = f.w.emulator.log.list().length;
    const error = (await mount({ vault: "rsv-files", vm: "", recoveryPoint: "yesterday", outDir: dir, settings: f.settings }).catch(
      (e: unknown) => e,
    )) as FileRecoveryError;
    expect(error).toBeInstanceOf(FileRecoveryError);
    expect(error.diagnostics.map((d) => d.path)).toEqual(["vault", "vm", "recoveryPoint"]);
    expect(error.message).toContain("argument 'vault'");
    expect(f.w.emulator.log.list().length).toBe(before);
    await expect(mount({ vault: VAULT_ID, vm: "vm1", outDir: join(dir, "missing"), settings: f.settings })).rejects.toMatchObject({ argument: "outDir" });
  });

  it("says which VM or recovery point it cannot find", async () => {
    await expect(mount({ vault: VAULT_ID, vm: "vm9", outDir: dir, settings: f.settings })).rejects.toMatchObject({
      argument: "vm",
      message: expect.stringContaining("VM 'vm9' is not protected in vault 'rsv-files'"),
    });
    await expect(mount({ vault: VAULT_ID, vm: "vm1", recoveryPoint: "123", outDir: dir, settings: f.settings })).rejects.toMatchObject({
      argument: "recoveryPoint",
      message: expect.stringContaining("no recovery point '123'"),
    });
  });
});
