import { describeDiagnostic, RULES, vmSelected, vmUnprotected } from "../../src/rules";

describe("backup coverage (plan/vm-unprotected)", () => {
  it("selects every VM without a selection, and by tag (name and value without case, as Azure Policy compares them)", () => {
    expect(vmSelected(undefined)).toBe(true);
    expect(vmSelected({ backup: "yes" }, { tagKey: "" })).toBe(true);
    expect(vmSelected({ Backup: "Daily" }, { tagKey: "backup" })).toBe(true);
    expect(vmSelected({ Backup: "Daily" }, { tagKey: "backup", tagValue: "daily" })).toBe(true);
    expect(vmSelected({ Backup: "None" }, { tagKey: "backup", tagValue: "daily" })).toBe(false);
    expect(vmSelected({ owner: "me" }, { tagKey: "backup" })).toBe(false);
    expect(vmSelected(undefined, { tagKey: "backup" })).toBe(false);
  });

  it("names the VM, the rule, what to do and the built-in Azure Policy it follows", () => {
    const d = vmUnprotected("azure-native:compute:VirtualMachine 'web-01'", { tagKey: "backup", tagValue: "daily" });
    expect(d).toMatchObject({ code: "plan/vm-unprotected", severity: "error", source: RULES["plan/vm-unprotected"].source });
    const text = describeDiagnostic(d);
    expect(text).toContain("[plan/vm-unprotected] azure-native:compute:VirtualMachine 'web-01' (its tag 'backup' is 'daily') has no protected item");
    expect(text).toContain("Fix: Protect it");
    expect(text).toContain("VirtualMachines_EnableAzureBackup_Audit.json");
  });
});
