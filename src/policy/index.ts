/**
 * A CrossGuard policy pack (`pulumi-azure-vm-backup/policy`, with `@pulumi/policy`) for programs that use `@pulumi/azure-native`'s
 * recoveryservices resources directly: the package's rules (src/rules), with the same codes, messages and sources.
 *
 * ```ts
 * import { PolicyPack } from "@pulumi/policy";
 * import { azureVmBackupPolicies } from "pulumi-azure-vm-backup/policy";
 * new PolicyPack("azure-vm-backup", { policies: azureVmBackupPolicies() });
 * ```
 *
 * Each violation reads as the components' check failures and warnings do (`describeDiagnostic`: the rule's code, the
 * message, the limit, the fix and the source). A policy has one enforcement level (@pulumi/policy, `Policy.enforcementLevel`),
 * so each rule's severity decides which policy reports it: errors the mandatory ones, warnings the advisory ones
 * (`azure-vm-backup-warnings`, `azure-vm-backup-plan-warnings`); info (a default applied, an estimate) is not reported.
 *
 * Only types are imported from @pulumi/policy: the policies are plain objects, which the pack's `PolicyPack` (the
 * user's @pulumi/policy) serves.
 */
import type { EnforcementLevel, Policies, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describeDiagnostic, UNKNOWN_SENTINEL, type Diagnostic, type RuleOptions, type Severity, type VmSelection } from "../rules";
import { kindOf, propertyOf } from "./azure-native";
import { planFindings, protectionFindings, resourceDiagnostics, type Finding, type StackResource } from "./stack";

export { AZURE_NATIVE_TYPES, policyArgsOf, propertyOf, protectedItemOf, timeOfDay, vaultArgsOf } from "./azure-native";
export { labelOf, planFindings, protectionFindings, resourceDiagnostics, type Finding, type StackOptions, type StackResource } from "./stack";
export type { VmSelection };

/** The policies' names, as a pack's config (`Pulumi.<stack>.yaml` policy config, `--policy-pack-config`) keys them. */
export const POLICY_NAMES = {
  vault: "azure-vm-backup-vault",
  policy: "azure-vm-backup-protection-policy",
  protectedItem: "azure-vm-backup-protected-item",
  warnings: "azure-vm-backup-warnings",
  vmsProtected: "azure-vm-backup-vms-protected",
  plan: "azure-vm-backup-plan",
  planWarnings: "azure-vm-backup-plan-warnings",
} as const;

export interface AzureVmBackupPolicyOptions {
  /** The rules' options: limit profile, limit overrides, per-rule severities (`"off"` silences a rule). */
  rules?: RuleOptions;
  /**
   * Which VMs must have a protected item: those with this tag (and value), all when absent. The pack's config of
   * `azure-vm-backup-vms-protected` (`tagKey`, `tagValue`) overrides it per stack.
   */
  vmSelection?: VmSelection;
  /** Enforcement of the rules whose severity is error (default "mandatory"). */
  errors?: EnforcementLevel;
  /** Enforcement of the rules whose severity is warning (default "advisory"). */
  warnings?: EnforcementLevel;
  /** Include the stack policy that every (selected) VM has a protected item (default true). */
  requireProtection?: boolean;
}

/** Whether an error says that a value is unknown in a preview (@pulumi/policy's UnknownValueError, thrown by its property proxy). */
function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && / can't be known during preview$/.test(error.message);
}

/**
 * The properties as plain values, every value not known yet (a preview) as the rules' UNKNOWN_SENTINEL. @pulumi/policy
 * hands the properties through a proxy that throws on reading an unknown value; the rules skip unknowns themselves, so
 * every known value is judged rather than none.
 */
export function plainProperties(value: unknown): unknown {
  const read = (get: () => unknown): unknown => {
    try {
      return plainProperties(get());
    } catch (error) {
      if (isUnknownValueError(error)) return UNKNOWN_SENTINEL;
      throw error;
    }
  };
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    return Array.from({ length: list.length }, (_, i) => read(() => list[i]));
  }
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).map((key) => [key, read(() => record[key])]));
}

const props = (value: unknown): Record<string, unknown> => plainProperties(value) as Record<string, unknown>;

/**
 * A resource's violation: the diagnostic as the components word it, then the azure-native property it is about (the
 * rules' input path names the component's argument, `schedule.time`; the program wrote `properties.schedulePolicy`).
 */
function report(reportViolation: ReportViolation, type: string, diagnostics: readonly Diagnostic[], severity: Severity): void {
  const kind = kindOf(type);
  for (const d of diagnostics) {
    if (d.severity !== severity) continue;
    const property = kind === undefined ? undefined : propertyOf(kind, d.path);
    reportViolation(`${describeDiagnostic(d, { subject: true })}${property === undefined ? "" : `\nProperty: ${property}`}`);
  }
}

function reportFindings(reportViolation: ReportViolation, findings: readonly Finding[], severity: Severity): void {
  for (const f of findings)
    if (f.diagnostic.severity === severity) reportViolation(describeDiagnostic(f.diagnostic, { subject: true }), f.urn === "" ? undefined : f.urn);
}

function resourcePolicy(
  name: string,
  description: string,
  enforcementLevel: EnforcementLevel,
  severity: Severity,
  applies: (type: string) => boolean,
  rules: RuleOptions | undefined,
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    severity: severity === "error" ? "high" : "low",
    validateResource: (args, reportViolation) => {
      if (!applies(args.type)) return;
      const diagnostics = resourceDiagnostics(args.type, args.name, props(args.props), rules);
      if (diagnostics !== undefined) report(reportViolation, args.type, diagnostics, severity);
    },
  };
}

function stackResources(resources: readonly PolicyResource[]): StackResource[] {
  return resources
    .filter((r) => kindOf(r.type) !== undefined)
    .map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: props(r.props), dependencies: r.dependencies.map((d) => d.urn) }));
}

/** The pack's config of the protection policy: the tag that selects the VMs. */
interface SelectionConfig {
  tagKey?: string;
  tagValue?: string;
}

/**
 * The policies of the pack: the rules of `recoveryservices.Vault`, `ProtectionPolicy` (Azure VM policies) and
 * `ProtectedItem` (Azure VMs) resources, their warnings, and over the stack: every VM (optionally selected by tag) has a
 * protected item, and each protected item of a VM of the stack is judged with that VM, its vault and its policy.
 */
export function azureVmBackupPolicies(options: AzureVmBackupPolicyOptions = {}): Policies {
  const errors = options.errors ?? "mandatory";
  const warnings = options.warnings ?? "advisory";
  const rules = options.rules;
  const is = (kind: ReturnType<typeof kindOf>) => (type: string) => kindOf(type) === kind;
  const policies: Policies = [
    resourcePolicy(POLICY_NAMES.vault, "Recovery Services vaults follow Azure Backup's rules (pulumi-azure-vm-backup).", errors, "error", is("vault"), rules),
    resourcePolicy(POLICY_NAMES.policy, "Azure VM backup policies follow Azure Backup's rules (pulumi-azure-vm-backup).", errors, "error", is("policy"), rules),
    resourcePolicy(
      POLICY_NAMES.protectedItem,
      "Azure VM protected items follow Azure Backup's rules (pulumi-azure-vm-backup).",
      errors,
      "error",
      is("protectedItem"),
      rules,
    ),
    resourcePolicy(
      POLICY_NAMES.warnings,
      "Warnings of Azure Backup's rules on vaults, VM backup policies and protected items (pulumi-azure-vm-backup).",
      warnings,
      "warning",
      (type) => kindOf(type) !== undefined,
      rules,
    ),
  ];
  if (options.requireProtection !== false) {
    const protection: StackValidationPolicy = {
      name: POLICY_NAMES.vmsProtected,
      description: "Every VM (optionally those with a given tag) has a protected item: it is backed up (pulumi-azure-vm-backup).",
      enforcementLevel: errors,
      severity: "high",
      configSchema: {
        properties: {
          tagKey: { type: "string", description: "Only VMs with this tag must be protected (all VMs when empty)." },
          tagValue: { type: "string", description: "Only VMs whose tag tagKey has this value (any value when absent)." },
        },
      },
      validateStack: (args, reportViolation) => {
        const config = args.getConfig<SelectionConfig>();
        const tagKey = config.tagKey ?? options.vmSelection?.tagKey;
        const tagValue = config.tagKey !== undefined ? config.tagValue : (config.tagValue ?? options.vmSelection?.tagValue);
        const selection: VmSelection | undefined =
          tagKey === undefined || tagKey === "" ? undefined : { tagKey, ...(tagValue === undefined ? {} : { tagValue }) };
        reportFindings(
          reportViolation,
          protectionFindings(stackResources(args.resources), { ...(rules === undefined ? {} : { rules }), ...(selection === undefined ? {} : { selection }) }),
          "error",
        );
      },
    };
    policies.push(protection);
  }
  const plan = (name: string, description: string, enforcementLevel: EnforcementLevel, severity: Severity): StackValidationPolicy => ({
    name,
    description,
    enforcementLevel,
    severity: severity === "error" ? "high" : "low",
    validateStack: (args, reportViolation) => {
      reportFindings(reportViolation, planFindings(stackResources(args.resources), rules === undefined ? {} : { rules }), severity);
    },
  });
  policies.push(
    plan(POLICY_NAMES.plan, "Protected VMs of the stack fit their VM, vault and policy, and the vaults' limits (pulumi-azure-vm-backup).", errors, "error"),
    plan(POLICY_NAMES.planWarnings, "Warnings of Azure Backup's rules on the stack's protected VMs and vaults (pulumi-azure-vm-backup).", warnings, "warning"),
  );
  return policies;
}
