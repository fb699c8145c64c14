import { describeDiagnostic, policyOfOtherVault, vmWithoutVault } from "../../src/rules";

describe("a protected VM's vault and policy", () => {
  it("a policy of another vault is refused on the ProtectedVm's policy argument", () => {
    const d = policyOfOtherVault("web", "rsv-a", "rsv-b");
    expect(d).toMatchObject({ code: "plan/policy-other-vault", severity: "error", subject: { kind: "vm", label: "ProtectedVm 'web'", argument: "policy" } });
    expect(describeDiagnostic(d, { subject: true })).toMatch(
      /^\[plan\/policy-other-vault\] ProtectedVm 'web', argument 'policy': The policy given belongs to vault 'rsv-a', but the VM is to be protected in vault 'rsv-b'.* Fix: Use a policy of vault 'rsv-b'.* Source: .*https:\/\//,
    );
  });
  it("no vault at all is refused on the ProtectedVm's vault argument", () => {
    const d = vmWithoutVault("web");
    expect(d).toMatchObject({ code: "input/required", severity: "error", subject: { kind: "vm", label: "ProtectedVm 'web'", argument: "vault" } });
    expect(describeDiagnostic(d, { subject: true })).toContain("ProtectedVm 'web', argument 'vault': No vault");
  });
});
