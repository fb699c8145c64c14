import { checkPremiumStagingAccount, checkRecoveryPointTier, checkReplaceDisksEncryption, RULES, validateRestoreRequest } from "../../src/rules";

const ACCOUNT = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`;

describe("restore rules", () => {
  it("warns when a premium VM is staged in the storage account it runs from (seed 001), citing the planning doc", () => {
    const [d] = checkPremiumStagingAccount("vm1", [{ name: "os disk", storageType: "Premium_LRS", storageAccount: "premsa" }], ACCOUNT("PremSA"));
    expect(d).toMatchObject({ code: "restore/premium-same-storage-account", severity: "warning", path: "staging-storage-account" });
    expect(d!.source).toContain("Don't restore a VM running on premium storage to the same storage account");
    expect(RULES["restore/premium-same-storage-account"].severity).toBe("warning");
    // Another account, a standard disk, or managed disks (no account): no warning.
    expect(checkPremiumStagingAccount("vm1", [{ name: "os disk", storageType: "Premium_LRS", storageAccount: "premsa" }], ACCOUNT("other"))).toEqual([]);
    expect(checkPremiumStagingAccount("vm1", [{ name: "os disk", storageType: "Standard_LRS", storageAccount: "premsa" }], ACCOUNT("premsa"))).toEqual([]);
    expect(checkPremiumStagingAccount("vm1", [{ name: "os disk", storageType: "Premium_LRS" }], ACCOUNT("premsa"))).toEqual([]);
  });

  it("names the arguments of a bad request in the CLI's words", () => {
    const paths = validateRestoreRequest({ to: "new-vm", tier: "archive", recoveryPoint: "yesterday", stagingStorageAccountId: "sa" }).map(
      (d) => `${d.code} ${d.path}`,
    );
    expect(paths.sort()).toEqual(
      [
        "input/required new-vm-name",
        "input/required subnet",
        "input/required target-resource-group",
        "input/type recovery-point",
        "input/type staging-storage-account",
        "input/type tier",
      ].sort(),
    );
    expect(validateRestoreRequest({ to: "disks", stagingStorageAccountId: ACCOUNT("stagesa") })).toEqual([]);
  });

  it("restores a point only from a tier that holds it", () => {
    const snapshotOnly = { name: "1", inSnapshot: true, inVault: false };
    expect(checkRecoveryPointTier(snapshotOnly, "snapshot")).toEqual([]);
    expect(checkRecoveryPointTier(snapshotOnly, undefined)).toEqual([]);
    expect(checkRecoveryPointTier(snapshotOnly, "vault")[0]).toMatchObject({ code: "restore/recovery-point-tier", path: "recovery-point" });
    expect(checkRecoveryPointTier({ name: "2", inSnapshot: false, inVault: true }, "snapshot")[0]!.remedy).toContain("--tier vault");
  });

  it("refuses to replace the disks of a VM encrypted with ADE at the point, and only that", () => {
    const [d] = checkReplaceDisksEncryption("replace-disks", { name: "1", encrypted: true });
    expect(d).toMatchObject({ code: "restore/encrypted-replace-disks", severity: "error", path: "to" });
    expect(d!.source).toContain("you cannot use 'replace existing VM' option for ADE encrypted VMs");
    expect(checkReplaceDisksEncryption("disks", { name: "1", encrypted: true })).toEqual([]);
    expect(checkReplaceDisksEncryption("new-vm", { name: "1", encrypted: true })).toEqual([]);
    expect(checkReplaceDisksEncryption("replace-disks", { name: "1", encrypted: false })).toEqual([]);
  });
});
