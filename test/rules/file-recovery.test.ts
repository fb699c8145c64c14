import { checkFileRecoveryRequest, howToRunScript, mountLifetime } from "../../src/rules";

const VAULT = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv1";

describe("file recovery requests", () => {
  it("accept a vault id, a VM name or id, and 'latest' or a recovery point's name", () => {
    expect(checkFileRecoveryRequest({ vault: VAULT, vm: "web-01" })).toEqual([]);
    expect(checkFileRecoveryRequest({ vault: VAULT, vm: "web-01", recoveryPoint: "latest" })).toEqual([]);
    expect(
      checkFileRecoveryRequest({
        vault: VAULT,
        vm: "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-01",
        recoveryPoint: "1712345678000001",
      }),
    ).toEqual([]);
  });

  it("name each argument at fault, with the rule and what to give", () => {
    const found = checkFileRecoveryRequest({ vault: "rsv1", vm: "/subscriptions/x/vms/web-01", recoveryPoint: "yesterday" });
    expect(found.map((d) => [d.code, d.path])).toEqual([
      ["vault/id", "vault"],
      ["vm/id", "vm"],
      ["vm/recovery-point", "recoveryPoint"],
    ]);
    expect(found.every((d) => d.severity === "error" && (d.remedy ?? "").length > 0)).toBe(true);
    expect(found[2]!.source).toContain("RecoveryPoints_List.json");
    expect(checkFileRecoveryRequest({ vault: "", vm: undefined }).map((d) => [d.code, d.path])).toEqual([
      ["input/required", "vault"],
      ["input/required", "vm"],
    ]);
  });

  it("a mount ends 12 hours after it was provisioned (Microsoft Learn)", () => {
    const info = mountLifetime(new Date("2026-01-01T08:00:00Z"));
    expect(info.code).toBe("vm/file-recovery-mount-hours");
    expect(info.endsAt.toISOString()).toBe("2026-01-01T20:00:00.000Z");
    expect(info.source).toContain("learn.microsoft.com/azure/backup/backup-azure-restore-files-from-vm");
  });

  it("says how to run the script on each OS", () => {
    expect(howToRunScript("Linux", "/tmp/x/vm1_westeurope_abc.py")).toContain("python3 /tmp/x/vm1_westeurope_abc.py");
    expect(howToRunScript("Windows", "C:\\r\\vm1.exe")).toContain("as administrator");
  });
});
