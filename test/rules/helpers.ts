import type { Diagnostic, PlanVm, PolicyArgs, Severity, VmArgs } from "../../src";

export const SUB = "00000000-0000-0000-0000-00000000aaaa";
export const OTHER_SUB = "00000000-0000-0000-0000-00000000bbbb";

export function vmId(name: string, rg = "rg-app", sub = SUB): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

/** A valid VM in West Europe with `dataDisks` data disks of `sizeGb` each. */
export function vm(name = "vm1", dataDisks = 2, sizeGb = 128, extra: Partial<VmArgs> = {}): VmArgs {
  return {
    id: vmId(name),
    location: "westeurope",
    osType: "Linux",
    osDisk: { sizeGb: 64, usedGb: 12, storageType: "Premium_LRS" },
    dataDisks: Array.from({ length: dataDisks }, (_, lun) => ({ lun, sizeGb, usedGb: 10, storageType: "Premium_LRS" })),
    ...extra,
  };
}

export function planVm(name: string, policy: string, vault = "rsv-weu", extra: Partial<PlanVm> = {}): PlanVm {
  return { ...vm(name, 1), vault, policy, ...extra };
}

export const dailyPolicy = (time = "20:30", extra: Partial<PolicyArgs> = {}): PolicyArgs => ({
  schedule: { frequency: "Daily", time },
  retention: { daily: { count: 30 } },
  ...extra,
});

export function bySeverity(diagnostics: readonly Diagnostic[], severity: Severity): string[] {
  return diagnostics.filter((d) => d.severity === severity).map((d) => d.code);
}

/** Codes of the errors, in order. */
export function errors(diagnostics: readonly Diagnostic[]): string[] {
  return bySeverity(diagnostics, "error");
}

export function warnings(diagnostics: readonly Diagnostic[]): string[] {
  return bySeverity(diagnostics, "warning");
}

/** The one diagnostic with `code`; fails when there is none or several. */
export function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${code}, got ${found.length}: ${JSON.stringify(diagnostics, null, 2)}`);
  }
  return found[0]!;
}
