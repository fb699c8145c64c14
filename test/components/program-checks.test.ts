import * as compute from "@pulumi/azure-native/compute";
import { BackupPolicy, BackupVault, ProtectedVm } from "../../src";
import { declare, stopEngine, SUB, T } from "./helpers";

afterAll(stopEngine);

const vmId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-vaults/providers/Microsoft.RecoveryServices/vaults/rsv-existing`;
/** A small limit so that the tests declare few resources (the limit's own boundaries are the rules' tests). */
const SMALL = { "azure-vm-backup:limits": JSON.stringify({ vmsPerSchedule: 3 }) };
const daily = (time: string) => ({ schedule: { frequency: "Daily" as const, time }, retention: { daily: { count: 30 } } });

type Checks = Array<{ property: string; reason: string }>;

describe("checks across the whole program", () => {
  it("puts too many VMs on one start time on the vault they share, so that nothing in it is created", async () => {
    const d = await declare(
      () => {
        const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-app" });
        const early = new BackupPolicy("early", { vault, ...daily("20:00") });
        const late = new BackupPolicy("late", { vault, ...daily("22:00") });
        for (let i = 0; i < 4; i++) new ProtectedVm(`early-${i}`, { vm: vmId(`e${i}`), policy: early });
        for (let i = 0; i < 3; i++) new ProtectedVm(`late-${i}`, { vm: vmId(`l${i}`), policy: late });
      },
      { config: SMALL },
    );
    const checks = d.one(T.vault).inputs.programChecks as Checks;
    expect(checks).toHaveLength(1);
    expect(checks[0]!.property).toBe("");
    expect(checks[0]!.reason).toMatch(/^\[plan\/vms-per-schedule\] Vault 'rsv-app': 4 VMs start their backup at 20:00 UTC every day, from policy 'early'/);
    expect(checks[0]!.reason).toContain("Limit vmsPerSchedule = 3 (override)");
    for (const r of [...d.all(T.protectedVm), ...d.all(T.policy)]) expect(r.inputs.programChecks).toEqual([]);
  });

  it("counts VMs of different policies that start at the same moment together", async () => {
    const d = await declare(
      () => {
        const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-app" });
        const utc = new BackupPolicy("utc", { vault, ...daily("20:00") });
        // 21:00 in Central Europe is 20:00 UTC in winter.
        const cet = new BackupPolicy("cet", { vault, timeZone: "W. Europe Standard Time", ...daily("21:00") });
        for (let i = 0; i < 2; i++) new ProtectedVm(`utc-${i}`, { vm: vmId(`u${i}`), policy: utc });
        for (let i = 0; i < 2; i++) new ProtectedVm(`cet-${i}`, { vm: vmId(`c${i}`), policy: cet });
      },
      { config: SMALL },
    );
    const checks = d.one(T.vault).inputs.programChecks as Checks;
    expect(checks).toHaveLength(1);
    expect(checks[0]!.reason).toMatch(/^\[plan\/vms-per-schedule\] Vault 'rsv-app': 4 VMs start their backup at 20:00 UTC/);
    expect(checks[0]!.reason).toContain("from policies 'utc'");
  });

  it("with a vault given by id, fails every protected VM and policy in it instead", async () => {
    const d = await declare(
      () => {
        const policy = new BackupPolicy("nightly", { vault: VAULT_ID, ...daily("01:00") });
        for (let i = 0; i < 4; i++) new ProtectedVm(`vm-${i}`, { vm: vmId(`v${i}`), policy });
        new ProtectedVm("elsewhere", { vm: vmId("other"), vault: VAULT_ID.replace("rsv-existing", "rsv-other"), policy: "DefaultPolicy" });
      },
      { config: SMALL },
    );
    for (const name of ["vm-0", "vm-1", "vm-2", "vm-3"]) {
      expect((d.one(T.protectedVm, name).inputs.programChecks as Checks).map((c) => c.reason.slice(0, 62))).toEqual([
        "[plan/vms-per-schedule] Vault 'rsv-existing': 4 VMs start thei",
      ]);
    }
    expect(d.one(T.policy).inputs.programChecks as Checks).toHaveLength(1);
    expect(d.one(T.protectedVm, "elsewhere").inputs.programChecks).toEqual([]);
  });

  it("refuses two policies of one name in a vault, and one VM protected twice, naming the components", async () => {
    const d = await declare(() => {
      const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-app" });
      const a = new BackupPolicy("team-a", { vault, policyName: "nightly", ...daily("20:00") });
      new BackupPolicy("team-b", { vault, policyName: "Nightly", ...daily("21:00") });
      const vm = new compute.VirtualMachine("web", {
        resourceGroupName: "rg-app",
        location: "westeurope",
        storageProfile: { osDisk: { createOption: "FromImage", diskSizeGB: 64 } },
      });
      new ProtectedVm("web-backup", { vm, policy: a });
      new ProtectedVm("web-backup-again", { vm, policy: a });
    });
    const reasons = (d.one(T.vault).inputs.programChecks as Checks).map((c) => c.reason);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/^\[plan\/duplicate-policy\] Vault 'rsv-app' already has a policy 'Nightly' \(BackupPolicy 'team-a'\)/);
    expect(reasons[1]).toMatch(/^\[plan\/duplicate-vm\] This VM is already protected by ProtectedVm 'web-backup'/);
    expect(reasons[1]).toContain("ProtectedVm 'web-backup' (argument 'vm'); ProtectedVm 'web-backup-again' protects it again");
  });

  it("refuses a policy of another vault than the one given, and a protected VM with no vault", async () => {
    const d = await declare(() => {
      const a = new BackupVault("a", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-a" });
      const b = new BackupVault("b", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-b" });
      const policy = new BackupPolicy("p", { vault: a, ...daily("20:00") });
      new ProtectedVm("mixed", { vm: vmId("m"), vault: b, policy });
      new ProtectedVm("nowhere", { vm: vmId("n"), policy: "nightly" });
    });
    const mixed = d.one(T.protectedVm, "mixed").inputs.programChecks as Checks;
    expect(mixed.map((c) => c.property)).toEqual(["policyName"]);
    expect(mixed[0]!.reason).toContain(
      "[plan/policy-other-vault] ProtectedVm 'mixed', argument 'policy': The policy given belongs to vault 'rsv-a', but the VM is to be protected in vault 'rsv-b'",
    );
    const nowhere = d.one(T.protectedVm, "nowhere").inputs.programChecks as Checks;
    expect(nowhere.map((c) => c.property)).toEqual(["vaultName"]);
    expect(nowhere[0]!.reason).toMatch(/^\[input\/required\] ProtectedVm 'nowhere', argument 'vault': No vault/);
  });

  it("does not confuse vaults of one name in different resource groups", async () => {
    const d = await declare(() => {
      new BackupVault("one", { resourceGroupName: "rg-1", location: "westeurope", vaultName: "rsv" });
      new BackupVault("two", { resourceGroupName: "rg-2", location: "westeurope", vaultName: "rsv" });
      new BackupVault("same", { resourceGroupName: "rg-1", location: "westeurope", vaultName: "RSV" });
    });
    expect(d.one(T.vault, "one").inputs.programChecks).toEqual([]);
    expect(d.one(T.vault, "two").inputs.programChecks).toEqual([]);
    expect((d.one(T.vault, "same").inputs.programChecks as Checks).map((c) => c.reason.slice(0, 26))).toEqual(["[plan/duplicate-vault] Vau"]);
  });

  it("checks what is known in a preview, and leaves out what is not", async () => {
    const d = await declare(
      () => {
        const vault = new BackupVault("vault", { resourceGroupName: "rg", location: "westeurope", vaultName: "rsv-app" });
        const policy = new BackupPolicy("p", { vault, ...daily("20:00") });
        for (let i = 0; i < 4; i++) {
          const vm = new compute.VirtualMachine(`vm-${i}`, {
            resourceGroupName: "rg-app",
            location: "westeurope",
            storageProfile: { osDisk: { createOption: "FromImage" } },
          });
          new ProtectedVm(`vm-${i}`, { vm, policy });
        }
      },
      { preview: true, config: SMALL },
    );
    // The VMs' ids are unknown until they exist; the VMs are still counted.
    expect((d.one(T.vault).inputs.programChecks as Checks).map((c) => c.reason.slice(0, 40))).toEqual(["[plan/vms-per-schedule] Vault 'rsv-app':"]);
  });
});
