import { analyzePlan, RULES, UNKNOWN_SENTINEL, validateProtectedVmLifecycle, validateVaultLifecycle, validateVmDestroyOnVault, type Plan } from "../../src";
import { errors, only, planVm, warnings } from "./helpers";

describe("vault onDestroy (vault/on-destroy, vault/purge)", () => {
  it("takes retain, purge or nothing, and judges nothing unknown", () => {
    expect(validateVaultLifecycle({})).toEqual([]);
    expect(validateVaultLifecycle({ onDestroy: "retain" })).toEqual([]);
    expect(validateVaultLifecycle({ onDestroy: UNKNOWN_SENTINEL })).toEqual([]);
    expect(errors(validateVaultLifecycle({ onDestroy: "purge" }))).toEqual([]);
  });

  it("refuses any other value, naming onDestroy, both values and what each does", () => {
    const d = only(validateVaultLifecycle({ onDestroy: "delete" }), "vault/on-destroy");
    expect(d).toMatchObject({ severity: "error", path: "onDestroy" });
    expect(d.message).toBe(
      'onDestroy must be "retain" (keep the vault and its backups, the default) or "purge" (delete the backups of the VMs this program protects in the vault, then the vault); got "delete".',
    );
    expect(d.remedy).toContain("leave onDestroy out to keep the vault and its backups");
    expect(d.source).toContain("https://learn.microsoft.com/azure/backup/backup-azure-delete-vault");
  });

  it("is spelt exactly: destroy compares it exactly, so 'Purge' is refused with a hint", () => {
    expect(only(validateVaultLifecycle({ onDestroy: "Purge" }), "vault/on-destroy").message).toContain(`got "Purge" (did you mean 'purge'?)`);
    expect(only(validateVaultLifecycle({ onDestroy: "" }), "vault/on-destroy").path).toBe("onDestroy");
    expect(errors(validateVaultLifecycle({ onDestroy: 1 as unknown as string }))).toEqual(["input/type"]);
  });

  it("says which backups a purge deletes (the VMs the program protects), for how long they stay recoverable, and that others are kept", () => {
    const d = only(validateVaultLifecycle({ name: "rsv-test", onDestroy: "purge" }), "vault/purge");
    expect(d).toMatchObject({ severity: "warning", path: "onDestroy" });
    expect(d.message).toContain(`onDestroy is "purge": destroying vault 'rsv-test' deletes the backup data of the VMs this program protects in it`);
    expect(d.message).toContain("stays soft-deleted, and can be undeleted, for 14 days");
    expect(d.message).toContain("Backups of VMs this program does not protect are never deleted");
    expect(d.message).not.toContain("will stop with an error");
    expect(d.remedy).toContain('onDestroy "retain"');
    expect(d.source).toContain("https://learn.microsoft.com/azure/backup/secure-by-default");
    const vm = (name: string) =>
      `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
    const named = only(
      validateVaultLifecycle({ name: "rsv-test", onDestroy: "purge", softDelete: { retentionDays: 30 }, ownedVmIds: [vm("web1"), vm("web2")] }),
      "vault/purge",
    );
    expect(named.message).toContain(
      "deletes the backup data of the 2 VMs this program protects in it: 'web1' (resource group rg-app), 'web2' (resource group rg-app).",
    );
    expect(named.message).toContain("for 30 days");
    expect(only(validateVaultLifecycle({ onDestroy: "purge", ownedVmIds: [] }), "vault/purge").message).toContain("deletes no backup data");
  });

  it("says when the vault's own settings will stop the purge: immutability Unlocked or Locked (not soft delete, which Azure enforces)", () => {
    const purge = (extra: Parameters<typeof validateVaultLifecycle>[0]) =>
      only(validateVaultLifecycle({ onDestroy: "purge", ...extra }), "vault/purge").message;
    expect(purge({ immutability: "Disabled", softDelete: { state: "Enabled" } })).not.toContain("will stop with an error");
    expect(purge({ immutability: "Unlocked" })).toContain("This vault is immutable (Unlocked)");
    expect(purge({ immutability: "locked" })).toContain("This vault is immutable (Locked)");
    expect(purge({ softDelete: { state: "AlwaysOn" } })).not.toContain("will stop with an error");
    expect(purge({ softDelete: { state: UNKNOWN_SENTINEL }, immutability: UNKNOWN_SENTINEL })).not.toContain("will stop with an error");
  });

  it("takes its severity from options like every rule: purge can be made an error, or silenced", () => {
    expect(RULES["vault/purge"].severity).toBe("warning");
    expect(errors(validateVaultLifecycle({ onDestroy: "purge" }, { severities: { "vault/purge": "error" } }))).toEqual(["vault/purge"]);
    expect(validateVaultLifecycle({ onDestroy: "purge" }, { severities: { "vault/purge": "off" } })).toEqual([]);
  });
});

describe("protected VM onDestroy, backupNow and waitForInitialBackup", () => {
  it("takes stopProtectionRetainData, deleteBackupData or nothing", () => {
    expect(validateProtectedVmLifecycle({})).toEqual([]);
    expect(validateProtectedVmLifecycle({ onDestroy: "stopProtectionRetainData" })).toEqual([]);
    expect(validateProtectedVmLifecycle({ onDestroy: UNKNOWN_SENTINEL })).toEqual([]);
    expect(errors(validateProtectedVmLifecycle({ onDestroy: "deleteBackupData" }))).toEqual([]);
  });

  it("refuses any other value (vm/on-destroy), with a hint for a near miss", () => {
    const d = only(validateProtectedVmLifecycle({ onDestroy: "deleteBackupdata" }), "vm/on-destroy");
    expect(d).toMatchObject({ severity: "error", path: "onDestroy" });
    expect(d.message).toContain(
      'onDestroy must be "stopProtectionRetainData" (stop backups and keep every recovery point, the default) or "suspendBackups" (stop backups and keep each recovery point until the policy expires it, on an immutable vault) or "deleteBackupData"',
    );
    expect(d.message).toContain("(did you mean 'deleteBackupData'?)");
    expect(d.source).toContain("https://learn.microsoft.com/azure/backup/backup-azure-manage-vms#stop-protecting-a-vm");
    // The vault's values are not a VM's.
    expect(errors(validateProtectedVmLifecycle({ onDestroy: "purge" }))).toEqual(["vm/on-destroy"]);
  });

  it("warns that deleteBackupData deletes the VM's recovery points (vm/delete-backup-data)", () => {
    const d = only(validateProtectedVmLifecycle({ onDestroy: "deleteBackupData" }), "vm/delete-backup-data");
    expect(d).toMatchObject({ severity: "warning", path: "onDestroy" });
    expect(d.message).toContain("deletes every recovery point of the VM");
    expect(d.message).toContain("Soft delete still applies");
  });

  it("needs backupNow for waitForInitialBackup (vm/wait-for-initial-backup)", () => {
    const d = only(validateProtectedVmLifecycle({ waitForInitialBackup: true }), "vm/wait-for-initial-backup");
    expect(d).toMatchObject({ severity: "error", path: "waitForInitialBackup" });
    expect(d.message).toContain("waitForInitialBackup waits for the backup taken at creation, but backupNow is not set");
    expect(d.remedy).toContain("Set backupNow too");
    expect(d.source).toContain("https://learn.microsoft.com/azure/backup/backup-azure-arm-vms-prepare#trigger-the-initial-backup");
    expect(errors(validateProtectedVmLifecycle({ waitForInitialBackup: true, backupNow: false }))).toEqual(["vm/wait-for-initial-backup"]);
    // Its boundary: any request for a backup, or not waiting, or not knowing yet.
    expect(validateProtectedVmLifecycle({ waitForInitialBackup: true, backupNow: true })).toEqual([]);
    expect(validateProtectedVmLifecycle({ waitForInitialBackup: true, backupNow: {} })).toEqual([]);
    expect(validateProtectedVmLifecycle({ waitForInitialBackup: true, backupNow: { retainDays: 7 } })).toEqual([]);
    expect(validateProtectedVmLifecycle({ waitForInitialBackup: false })).toEqual([]);
    expect(validateProtectedVmLifecycle({ waitForInitialBackup: true, backupNow: UNKNOWN_SENTINEL as unknown as boolean })).toEqual([]);
    expect(validateProtectedVmLifecycle({ waitForInitialBackup: UNKNOWN_SENTINEL as unknown as boolean })).toEqual([]);
  });

  it("reads the types of backupNow and waitForInitialBackup", () => {
    expect(errors(validateProtectedVmLifecycle({ waitForInitialBackup: "yes" as unknown as boolean }))).toEqual(["input/type"]);
    expect(errors(validateProtectedVmLifecycle({ backupNow: "soon" as unknown as boolean }))).toEqual(["input/type"]);
    expect(only(validateProtectedVmLifecycle({ backupNow: { retainDayz: 7 } as unknown as boolean }), "input/unknown-property").path).toBe(
      "backupNow.retainDayz",
    );
  });

  it("reports every problem together, under the given path", () => {
    const all = validateProtectedVmLifecycle({ onDestroy: "forget", waitForInitialBackup: true }, {}, "vms[2]");
    expect(all.map((d) => [d.code, d.path])).toEqual([
      ["vm/on-destroy", "vms[2].onDestroy"],
      ["vm/wait-for-initial-backup", "vms[2].waitForInitialBackup"],
    ]);
  });
});

describe("a plan file's onDestroy, backupNow and waitForInitialBackup", () => {
  const plan = (vault: Record<string, unknown>, vm: Record<string, unknown>): Plan =>
    ({ vaults: [{ name: "rsv-weu", location: "westeurope", ...vault }], policies: [], vms: [planVm("app-01", "DefaultPolicy", "rsv-weu", vm)] }) as Plan;

  it("accepts them as properties of vaults and VMs (no unknown-property warning)", () => {
    const d = analyzePlan(
      plan({ onDestroy: "retain" }, { onDestroy: "stopProtectionRetainData", backupNow: { retainDays: 7 }, waitForInitialBackup: true }),
    ).diagnostics;
    expect(d.filter((x) => x.code === "input/unknown-property")).toEqual([]);
    expect(errors(d)).toEqual([]);
  });

  it("runs the same rules, reported on the plan's paths and subjects", () => {
    const d = analyzePlan(plan({ onDestroy: "purge" }, { onDestroy: "delete", waitForInitialBackup: true })).diagnostics;
    expect(errors(d)).toEqual(["vm/on-destroy", "vm/wait-for-initial-backup"]);
    expect(warnings(d)).toEqual(["vault/purge"]);
    expect(only(d, "vault/purge")).toMatchObject({ path: "vaults[0].onDestroy", subject: { kind: "vault", index: 0, argument: "onDestroy" } });
    expect(only(d, "vault/purge").message).toContain("vault 'rsv-weu'");
    expect(only(d, "vm/on-destroy")).toMatchObject({ path: "vms[0].onDestroy", subject: { kind: "vm", index: 0, argument: "onDestroy" } });
    expect(only(d, "vm/wait-for-initial-backup").path).toBe("vms[0].waitForInitialBackup");
  });

  it("still reports a vault's misspelt property", () => {
    expect(only(analyzePlan(plan({ onDestory: "purge" }, {})).diagnostics, "input/unknown-property").message).toContain("did you mean 'onDestroy'?");
  });
});

describe("suspendBackups, and what an immutable vault allows on destroy", () => {
  it("takes suspendBackups and says the points stay only until the policy expires them (vm/suspend-backups)", () => {
    const d = only(validateProtectedVmLifecycle({ onDestroy: "suspendBackups" }), "vm/suspend-backups");
    expect(d).toMatchObject({ severity: "info", path: "onDestroy" });
    expect(d.message).toContain("each recovery point stays only until its policy's retention expires it");
    expect(d.message).toContain("on an immutable vault (Unlocked or Locked) only");
    expect(errors(validateProtectedVmLifecycle({ onDestroy: "suspendBackups" }))).toEqual([]);
  });

  it("refuses suspendBackups on a vault that is not immutable (vm/suspend-backups-needs-immutable-vault)", () => {
    const d = only(validateVmDestroyOnVault("suspendBackups", { name: "rsv1", immutability: "Disabled" }), "vm/suspend-backups-needs-immutable-vault");
    expect(d).toMatchObject({ severity: "error", path: "onDestroy" });
    expect(d.message).toContain("vault 'rsv1' is not immutable");
    expect(d.source).toContain("disable-azrecoveryservicesbackupprotection");
    for (const immutability of ["Unlocked", "Locked"] as const) expect(validateVmDestroyOnVault("suspendBackups", { name: "rsv1", immutability })).toEqual([]);
  });

  it("refuses deleteBackupData on an immutable vault (vm/delete-backup-data-immutable)", () => {
    const d = only(validateVmDestroyOnVault("deleteBackupData", { name: "rsv1", immutability: "Unlocked" }), "vm/delete-backup-data-immutable");
    expect(d).toMatchObject({ severity: "error", path: "onDestroy" });
    expect(d.message).toContain("vault 'rsv1' is immutable (Unlocked): Azure deletes no recovery point before it expires");
    expect(d.remedy).toContain('"suspendBackups"');
    expect(validateVmDestroyOnVault("deleteBackupData", { name: "rsv1", immutability: "Disabled" })).toEqual([]);
    expect(validateVmDestroyOnVault("stopProtectionRetainData", { name: "rsv1", immutability: "Locked" })).toEqual([]);
  });
});
