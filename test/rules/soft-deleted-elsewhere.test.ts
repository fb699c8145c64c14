import { checkSoftDeletedElsewhere } from "../../src";

const VAULT_ID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-old/providers/Microsoft.RecoveryServices/vaults/rsv-old";

describe("a VM soft-deleted in another vault", () => {
  it("is an error naming that vault by id, the purge date and the fix, not 'stop its protection'", () => {
    const [d, ...rest] = checkSoftDeletedElsewhere(
      { vmName: "web-1", vaultId: VAULT_ID, vaultName: "rsv-old", resourceGroupName: "rg-old", purgeAt: "2026-05-14T10:00:00.000Z", wantedVault: "rsv-new" },
      "vms[0].id",
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "plan/vm-soft-deleted-in-other-vault", severity: "error", path: "vms[0].id" });
    expect(d!.message).toContain(`soft-deleted backups in vault 'rsv-old' of resource group 'rg-old' (${VAULT_ID})`);
    expect(d!.message).toContain("purged on 2026-05-14");
    expect(d!.message).toContain("will not protect it in vault 'rsv-new'");
    expect(d!.remedy).toContain("undelete its backup item there");
    expect(d!.remedy).toContain("until 2026-05-14");
    expect(d!.remedy).not.toContain("stop its protection");
    expect(d!.source).toContain("https://learn.microsoft.com/azure/backup/soft-delete-azure-backup-faq");
  });
  it("says when the purge happens in general when Azure did not say the date", () => {
    const [d] = checkSoftDeletedElsewhere({ vmName: "web-1", vaultId: VAULT_ID, wantedVault: "rsv-new" }, "vms[0].id");
    expect(d!.message).toContain(`vault '${VAULT_ID}'`);
    expect(d!.message).toContain("when its soft-delete retention has passed");
  });
  it("can be switched off like any rule", () => {
    expect(
      checkSoftDeletedElsewhere({ vmName: "web-1", vaultId: VAULT_ID, wantedVault: "rsv-new" }, "vms[0].id", {
        severities: { "plan/vm-soft-deleted-in-other-vault": "off" },
      }),
    ).toEqual([]);
  });
});
