import * as pulumi from "@pulumi/pulumi";
import { BackupPolicy, BackupVault, ProtectedVm, StackV2Registration, type BackupPolicyArgs, type BackupVaultArgs, type ProtectedVmArgs } from "../../src";
import { declare, stopEngine, SUB, T, type Declared } from "./helpers";

afterAll(stopEngine);

const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-vaults/providers/Microsoft.RecoveryServices/vaults/rsv-shared`;
const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-1`;

/** The warnings logged on one component. */
function warningsOn(d: Declared, type: string, name: string): string[] {
  const urn = d.one(type, name).urn;
  return d.logs.filter((l) => l.urn === urn && l.severity === "warning").map((l) => l.message);
}

/** Runs `construct` inside the program and returns what it threw. */
function capture(construct: () => void): { error?: unknown } {
  const caught: { error?: unknown } = {};
  try {
    construct();
  } catch (error) {
    caught.error = error;
  }
  return caught;
}

describe("components check their arguments at construction (input/unknown-argument)", () => {
  it("warns on a misspelt argument, with the one meant, and still declares the policy", async () => {
    // An object spread: TypeScript's excess-property check does not see `retension`.
    const extra = { retension: { daily: { count: 30 } } };
    const d = await declare(() => {
      new BackupPolicy("nightly", { vault: VAULT_ID, ...extra });
    });
    const warnings = warningsOn(d, T.BackupPolicy, "nightly");
    expect(warnings).toEqual([
      expect.stringMatching(
        /^\[input\/unknown-argument\] BackupPolicy 'nightly': 'retension' is not an argument of BackupPolicy \(did you mean 'retention'\?\); it is ignored\. Fix: Rename 'retension' to 'retention'/,
      ),
    ]);
    expect(d.one(T.policy, "nightly").inputs).not.toHaveProperty("retension");
  });

  it("checks a plain JavaScript object (cast through unknown) and arguments whose values are Outputs or Promises", async () => {
    const vaultArgs = JSON.parse('{"resourceGroupName":"rg","location":"westeurope","classicVmwareReplication":"Disabled"}') as unknown as BackupVaultArgs;
    const vmArgs = { vm: VM_ID, vault: VAULT_ID, polcy: pulumi.output("nightly"), backupNw: Promise.resolve(true) } as unknown as ProtectedVmArgs;
    const d = await declare(() => {
      new BackupVault("rsv", vaultArgs);
      new ProtectedVm("vm-1", vmArgs);
      new StackV2Registration("stack-v2", { subscriptionID: SUB } as unknown as { subscriptionId: string });
    });
    expect(warningsOn(d, T.BackupVault, "rsv")).toEqual([
      expect.stringContaining("BackupVault 'rsv': 'classicVmwareReplication' is not an argument of BackupVault; it is ignored."),
    ]);
    expect(warningsOn(d, T.ProtectedVm, "vm-1")).toEqual([
      expect.stringContaining("ProtectedVm 'vm-1': 'polcy' is not an argument of ProtectedVm (did you mean 'policy'?)"),
      expect.stringContaining("ProtectedVm 'vm-1': 'backupNw' is not an argument of ProtectedVm (did you mean 'backupNow'?)"),
    ]);
    expect(warningsOn(d, T.StackV2Registration, "stack-v2")).toEqual([expect.stringContaining("(did you mean 'subscriptionId'?)")]);
  });

  it("names a nested argument by its path, once (the rules' own input/unknown-property warning for it is not repeated)", async () => {
    const d = await declare(() => {
      new BackupVault("rsv", {
        resourceGroupName: "rg",
        location: "westeurope",
        softDelete: { state: "Enabled", retentionDay: 30 },
      } as unknown as BackupVaultArgs);
      new BackupPolicy("weekly", {
        vault: VAULT_ID,
        schedule: { frequency: "Weekly", time: "22:00", weekdays: ["Sunday"] },
        retention: { weekly: { count: 4, weekdays: ["Sunday"], cout: 5 } },
      } as unknown as BackupPolicyArgs);
    });
    expect(warningsOn(d, T.BackupVault, "rsv")).toEqual([
      expect.stringContaining("'softDelete.retentionDay' is not an argument of BackupVault's 'softDelete' (did you mean 'softDelete.retentionDays'?)"),
    ]);
    expect(warningsOn(d, T.BackupPolicy, "weekly")).toEqual([
      expect.stringContaining("'retention.weekly.cout' is not an argument of BackupPolicy's 'retention.weekly' (did you mean 'retention.weekly.count'?)"),
    ]);
  });

  it("with azure-vm-backup:unknownArguments = error, fails construction before any child is registered, without a stack trace", async () => {
    let policyError: unknown;
    let vmError: unknown;
    const d = await declare(
      () => {
        policyError = capture(() => new BackupPolicy("nightly", { vault: VAULT_ID, retension: { daily: { count: 30 } } } as unknown as BackupPolicyArgs)).error;
        vmError = capture(() => new ProtectedVm("vm-1", { vm: VM_ID, vault: VAULT_ID, polcy: "nightly" } as unknown as ProtectedVmArgs)).error;
        new BackupVault("rsv", { resourceGroupName: "rg", location: "westeurope" });
      },
      { config: { "azure-vm-backup:unknownArguments": "error" } },
    );
    expect(pulumi.ResourceError.isInstance(policyError)).toBe(true);
    const error = policyError as pulumi.ResourceError;
    expect(error.hideStack).toBe(true);
    expect(error.message).toMatch(
      /^\[input\/unknown-argument\] BackupPolicy 'nightly': 'retension' is not an argument of BackupPolicy \(did you mean 'retention'\?\)/,
    );
    expect(error.message).toMatch(/azure-vm-backup:unknownArguments is 'error'; set it to 'warning'/);
    expect((vmError as Error).message).toContain("ProtectedVm 'vm-1': 'polcy' is not an argument of ProtectedVm (did you mean 'policy'?)");
    // The components registered themselves; neither created its resource. A correct component still does.
    expect(d.all(T.policy)).toEqual([]);
    expect(d.all(T.protectedVm)).toEqual([]);
    expect(d.all(T.BackupPolicy)).toHaveLength(1);
    expect(d.one(T.vault, "rsv").inputs).toMatchObject({ name: "rsv" });
  });

  describe("AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS", () => {
    const saved = process.env.AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS;
    afterEach(() => {
      if (saved === undefined) delete process.env.AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS;
      else process.env.AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS = saved;
    });

    it("off: nothing is logged about unknown arguments, the nested ones included", async () => {
      process.env.AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS = "off";
      const d = await declare(() => {
        new BackupPolicy("nightly", {
          vault: VAULT_ID,
          retension: {},
          retention: { daily: { count: 30 }, yearly: { count: 1, month: ["May"] } },
        } as unknown as BackupPolicyArgs);
      });
      expect(warningsOn(d, T.BackupPolicy, "nightly").filter((m) => /unknown-(argument|property)/.test(m))).toEqual([]);
      expect(d.all(T.policy)).toHaveLength(1);
    });

    it("stack config wins over the environment", async () => {
      process.env.AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS = "error";
      const d = await declare(
        () => {
          new StackV2Registration("stack-v2", { subscriptionid: SUB } as unknown as { subscriptionId: string });
        },
        { config: { "azure-vm-backup:unknownArguments": "warning" } },
      );
      expect(warningsOn(d, T.StackV2Registration, "stack-v2")).toHaveLength(1);
      expect(d.all(T.stackV2)).toHaveLength(1);
    });

    it("a value it does not know stops construction, naming the resource and the value meant", async () => {
      process.env.AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS = "eror";
      let thrown: unknown;
      const d = await declare(() => {
        thrown = capture(() => new BackupVault("rsv", { resourceGroupName: "rg", location: "westeurope" })).error;
      });
      expect((thrown as Error).message).toBe(
        "BackupVault 'rsv': azure-vm-backup:unknownArguments (or AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS) must be one of warning, error, off; got 'eror' (did you mean 'error'?).",
      );
      expect(d.all(T.vault)).toEqual([]);
    });
  });
});
