/**
 * Azure Policy guardrails for Recovery Services vaults: assignments of the built-in definitions a governed
 * subscription uses to deny vaults, and the evaluation of a vault's content against them.
 *
 * The definitions are those of Azure/azure-policy (built-in-policies/policyDefinitions/Backup and .../Resilience,
 * release 3.2026.0417.1); their ids, display names, versions, effect and parameter values, and the conditions of
 * their policyRule are modelled here as data (no Azure Government variant of them exists in that repository):
 * - 9ebbbba3-4d65-4da9-bb67-b22cfaaff090 "[Preview]: Azure Recovery Services vaults should disable public network
 *   access" (Backup/RecoveryServices_PublicNetworkAccess_AuditDeny.json): effect Audit (default) | Deny | Disabled;
 *   denies when `Microsoft.RecoveryServices/vaults/publicNetworkAccess` notEquals Disabled (so a vault whose request
 *   leaves it out is denied: Azure/Azure-Landing-Zones#4206).
 * - 2e94d99a-8a36-4563-bc77-810d8893b671 "[Preview]: Azure Recovery Services vaults should use customer-managed keys
 *   for encrypting backup data" (Backup/AzBackupRSVault_CMKEnabled_Audit.json): effect Audit | Deny | Disabled,
 *   enableDoubleEncryption (default false); denies when `.../encryption.keyVaultProperties.keyUri` does not exist, or
 *   (with enableDoubleEncryption) when `.../encryption.infrastructureEncryption` notEquals Enabled.
 * - d6f6f560-14b7-49a4-9fc8-d2c3a9807868 "[Preview]: Immutability must be enabled for Recovery Services vaults"
 *   (Backup/RecoveryServices_Immutability_Audit.json, 1.0.1-preview): effect Audit | Disabled only, and
 *   checkLockedImmutabilityOnly (default true); matches when `.../securitySettings.immutabilitySettings.state` notIn
 *   [Locked, Unlocked], or (locked only) notEquals Locked. The built-in cannot deny: a team that wants a Deny copies it
 *   into a custom definition (`customDefinitionName`), which is what the emulator then models.
 * - 8f09fda1-91a2-4e14-96a2-67c6281158f7 "[Preview]: Do not allow creation of Recovery Services vaults of chosen
 *   storage redundancy." (Backup/AzBackuprecoveryServicesVault_RedudancySettings_Deny.json): effect Deny (default) |
 *   Disabled, BackupStorageRedundancy (default GeoRedundant); denies when `.../redundancySettings.standardTierStorageRedundancy`
 *   equals it.
 * - ae243d87-5cf3-4dce-90bd-6d62be328de3 "[Preview]: Backup and Site Recovery should be Zone Redundant"
 *   (Resilience/RecoveryServices_Vaults_ZoneRedundant_Audit.json): effect Audit (default) | Deny | Disabled; denies when
 *   `.../redundancySettings.standardTierStorageRedundancy` notEquals ZoneRedundant.
 *
 * Evaluation follows Azure Policy's condition semantics (Microsoft Learn, "Azure Policy definition structure policy
 * rule", https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule): string
 * comparisons ignore case; a field that is absent from the content equals nothing, so `notEquals` and `notIn` are
 * true for it and `exists: false` is true. A vault alias `Microsoft.RecoveryServices/vaults/x.y` reads `properties.x.y`.
 */

export type GuardrailEffect = "Deny" | "Audit" | "Disabled";

type Operator = "equals" | "notEquals" | "in" | "notIn" | "exists";
type Target = string | boolean | readonly string[] | { param: string };

export type Condition =
  | { allOf: readonly Condition[] }
  | { anyOf: readonly Condition[] }
  | { field: string; operator: Operator; target: Target }
  | { value: { param: string }; operator: "equals"; target: boolean };

export interface BuiltInDefinition {
  /** The definition's name (a GUID); its id is `/providers/Microsoft.Authorization/policyDefinitions/{name}`. */
  name: string;
  /** A short handle for the emulator's options. */
  key: GuardrailKey;
  displayName: string;
  version: string;
  effects: readonly GuardrailEffect[];
  defaultEffect: GuardrailEffect;
  parameters: Readonly<Record<string, { allowed: readonly (string | boolean)[]; defaultValue: string | boolean }>>;
  rule: Condition;
}

export type GuardrailKey = "publicNetworkAccess" | "customerManagedKey" | "immutability" | "redundancy" | "zoneRedundant";

const VAULTS = "Microsoft.RecoveryServices/vaults";
const isVault: Condition = { field: "type", operator: "equals", target: VAULTS };
const REDUNDANCY = `${VAULTS}/redundancySettings.standardTierStorageRedundancy`;
const IMMUTABILITY = `${VAULTS}/securitySettings.immutabilitySettings.state`;

export const BUILT_IN_DEFINITIONS: readonly BuiltInDefinition[] = [
  {
    name: "9ebbbba3-4d65-4da9-bb67-b22cfaaff090",
    key: "publicNetworkAccess",
    displayName: "[Preview]: Azure Recovery Services vaults should disable public network access",
    version: "1.0.0-preview",
    effects: ["Audit", "Deny", "Disabled"],
    defaultEffect: "Audit",
    parameters: {},
    rule: { allOf: [isVault, { field: `${VAULTS}/publicNetworkAccess`, operator: "notEquals", target: "Disabled" }] },
  },
  {
    name: "2e94d99a-8a36-4563-bc77-810d8893b671",
    key: "customerManagedKey",
    displayName: "[Preview]: Azure Recovery Services vaults should use customer-managed keys for encrypting backup data",
    version: "1.0.0-preview",
    effects: ["Audit", "Deny", "Disabled"],
    defaultEffect: "Audit",
    parameters: { enableDoubleEncryption: { allowed: [true, false], defaultValue: false } },
    rule: {
      allOf: [
        isVault,
        {
          anyOf: [
            { field: `${VAULTS}/encryption.keyVaultProperties.keyUri`, operator: "exists", target: false },
            {
              allOf: [
                { value: { param: "enableDoubleEncryption" }, operator: "equals", target: true },
                { field: `${VAULTS}/encryption.infrastructureEncryption`, operator: "notEquals", target: "Enabled" },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    name: "d6f6f560-14b7-49a4-9fc8-d2c3a9807868",
    key: "immutability",
    displayName: "[Preview]: Immutability must be enabled for Recovery Services vaults",
    version: "1.0.1-preview",
    effects: ["Audit", "Disabled"],
    defaultEffect: "Audit",
    parameters: { checkLockedImmutabilityOnly: { allowed: [true, false], defaultValue: true } },
    rule: {
      allOf: [
        isVault,
        {
          anyOf: [
            { field: IMMUTABILITY, operator: "notIn", target: ["Locked", "UnLocked"] },
            {
              allOf: [
                { value: { param: "checkLockedImmutabilityOnly" }, operator: "equals", target: true },
                { field: IMMUTABILITY, operator: "notEquals", target: "Locked" },
              ],
            },
          ],
        },
      ],
    },
  },
  {
    name: "8f09fda1-91a2-4e14-96a2-67c6281158f7",
    key: "redundancy",
    displayName: "[Preview]: Do not allow creation of Recovery Services vaults of chosen storage redundancy.",
    version: "1.0.0-preview",
    effects: ["Deny", "Disabled"],
    defaultEffect: "Deny",
    parameters: { BackupStorageRedundancy: { allowed: ["GeoRedundant", "ZoneRedundant", "LocallyRedundant"], defaultValue: "GeoRedundant" } },
    rule: { allOf: [isVault, { field: REDUNDANCY, operator: "equals", target: { param: "BackupStorageRedundancy" } }] },
  },
  {
    name: "ae243d87-5cf3-4dce-90bd-6d62be328de3",
    key: "zoneRedundant",
    displayName: "[Preview]: Backup and Site Recovery should be Zone Redundant",
    version: "1.0.0-preview",
    effects: ["Audit", "Deny", "Disabled"],
    defaultEffect: "Audit",
    parameters: {},
    rule: {
      allOf: [
        { field: "type", operator: "equals", target: "Microsoft.RecoveryServices/Vaults" },
        { field: REDUNDANCY, operator: "notEquals", target: "ZoneRedundant" },
      ],
    },
  },
];

/** An assignment of one of the built-in definitions (or of a custom copy of it), as the emulator's options give it. */
export interface GuardrailAssignment {
  /** The assignment's name: the last segment of its id. */
  name: string;
  displayName?: string;
  /** The built-in definition: its key (`publicNetworkAccess`, `customerManagedKey`, `immutability`, `redundancy`, `zoneRedundant`) or its GUID. */
  definition: string;
  /** Default: the definition's default effect. */
  effect?: GuardrailEffect;
  /** Values of the definition's parameters other than `effect`. */
  parameters?: Record<string, string | boolean>;
  /** `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{name}`; default: every subscription. */
  scope?: string;
  /**
   * Assign a custom definition of this name (at the subscription of each request) that copies the built-in's rule
   * and allows any effect: how a team denies with a built-in that only audits (the immutability one).
   */
  customDefinitionName?: string;
}

/** A refusal of an assignment, as ARM answers a policy assignment PUT with a value its definition does not allow. */
export class GuardrailRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function builtInDefinition(definition: string): BuiltInDefinition | undefined {
  const key = definition.toLowerCase();
  return BUILT_IN_DEFINITIONS.find(
    (d) => d.key.toLowerCase() === key || d.name === key || `/providers/microsoft.authorization/policydefinitions/${d.name}` === key,
  );
}

const SCOPE = /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/i;

/**
 * Validates assignments. A value a definition does not allow is refused as ARM refuses the assignment
 * (PolicyParameterValueNotAllowed, "The value 'x' is not allowed for policy parameter 'effect' in policy definition
 * '{name} version {v}'. The allowed values are 'a, b'.": Azure/Azure-Landing-Zones#442).
 */
export function parseGuardrails(value: unknown): GuardrailAssignment[] {
  if (!Array.isArray(value)) throw new GuardrailRejected("InvalidRequestContent", "Send a list of policy assignments.");
  const seen = new Set<string>();
  return value.map((raw, i) => {
    if (raw === null || typeof raw !== "object") throw new GuardrailRejected("InvalidRequestContent", `Assignment ${i} is not an object.`);
    const a = raw as Record<string, unknown>;
    if (typeof a.name !== "string" || !/^[^<>*%&:\\?.+/]{1,128}$/.test(a.name)) {
      throw new GuardrailRejected("InvalidRequestContent", `Assignment ${i} needs a name (up to 128 characters, no <>*%&:\\?.+/).`);
    }
    if (seen.has(a.name.toLowerCase())) throw new GuardrailRejected("InvalidRequestContent", `Two assignments are named '${a.name}'.`);
    seen.add(a.name.toLowerCase());
    const definition = typeof a.definition === "string" ? builtInDefinition(a.definition) : undefined;
    if (definition === undefined) {
      throw new GuardrailRejected(
        "PolicyDefinitionNotFound",
        `Assignment '${a.name}': the emulator knows the built-in definitions ${BUILT_IN_DEFINITIONS.map((d) => `${d.key} (${d.name})`).join(", ")}; got '${String(a.definition)}'.`,
      );
    }
    const custom = typeof a.customDefinitionName === "string" && a.customDefinitionName !== "" ? a.customDefinitionName : undefined;
    const effect = a.effect === undefined ? definition.defaultEffect : a.effect;
    const effects: readonly GuardrailEffect[] = custom === undefined ? definition.effects : ["Audit", "Deny", "Disabled"];
    const allowedEffect = effects.find((e) => typeof effect === "string" && e.toLowerCase() === effect.toLowerCase());
    if (allowedEffect === undefined) throw notAllowed(definition, "effect", effect, effects);
    const parameters: Record<string, string | boolean> = {};
    for (const [key, v] of Object.entries((a.parameters as Record<string, unknown> | undefined) ?? {})) {
      const spec = definition.parameters[key];
      if (spec === undefined) {
        throw new GuardrailRejected(
          "UndefinedPolicyParameter",
          `The policy assignment '${a.name}' has a parameter '${key}' which is not defined in the policy definition '${definition.name}'.`,
        );
      }
      const allowed = spec.allowed.find((x) => x === v || (typeof x === "string" && typeof v === "string" && x.toLowerCase() === v.toLowerCase()));
      if (allowed === undefined) throw notAllowed(definition, key, v, spec.allowed);
      parameters[key] = allowed;
    }
    if (a.scope !== undefined && (typeof a.scope !== "string" || !SCOPE.test(a.scope))) {
      throw new GuardrailRejected(
        "InvalidRequestContent",
        `Assignment '${a.name}': scope must be /subscriptions/{id} or /subscriptions/{id}/resourceGroups/{name}.`,
      );
    }
    return {
      name: a.name,
      ...(typeof a.displayName === "string" ? { displayName: a.displayName } : {}),
      definition: definition.name,
      effect: allowedEffect,
      parameters,
      ...(typeof a.scope === "string" ? { scope: a.scope } : {}),
      ...(custom === undefined ? {} : { customDefinitionName: custom }),
    };
  });
}

function notAllowed(definition: BuiltInDefinition, parameter: string, value: unknown, allowed: readonly unknown[]): GuardrailRejected {
  return new GuardrailRejected(
    "PolicyParameterValueNotAllowed",
    `The value '${String(value)}' is not allowed for policy parameter '${parameter}' in policy definition '${definition.name} version ${definition.version}'. The allowed values are '${allowed.map(String).join(", ")}'.`,
  );
}

/** One evaluated expression, as ARM reports it in `evaluationDetails.evaluatedExpressions`. */
export interface EvaluatedExpression {
  result: "True" | "False";
  expressionKind: "Field" | "Value";
  expression: string;
  path?: string;
  expressionValue?: unknown;
  targetValue: unknown;
  operator: string;
}

/** An assignment the content breaks, with what its evaluation looked at. */
export interface GuardrailMatch {
  assignment: GuardrailAssignment;
  definition: BuiltInDefinition;
  effect: GuardrailEffect;
  definitionId: string;
  assignmentId: string;
  scope: string;
  evaluatedExpressions: EvaluatedExpression[];
}

/** The JSON path an alias reads: `type`, `name`, `location`, or `properties.x.y` for `Microsoft.RecoveryServices/vaults/x.y`. */
function pathOf(alias: string): string {
  const prefix = `${VAULTS}/`;
  return alias.toLowerCase().startsWith(prefix.toLowerCase()) ? `properties.${alias.slice(prefix.length)}` : alias;
}

function read(content: unknown, path: string): unknown {
  let current = content;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    const entry = Object.entries(current as Record<string, unknown>).find(([k]) => k.toLowerCase() === key.toLowerCase());
    current = entry?.[1];
  }
  return current;
}

const same = (a: unknown, b: unknown) => (typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b);

function test(operator: Operator, value: unknown, target: unknown): boolean {
  switch (operator) {
    case "equals":
      return value !== undefined && same(value, target);
    case "notEquals":
      return !(value !== undefined && same(value, target));
    case "in":
      return value !== undefined && (target as unknown[]).some((t) => same(value, t));
    case "notIn":
      return !(value !== undefined && (target as unknown[]).some((t) => same(value, t)));
    case "exists":
      return (value !== undefined && value !== null) === (target === true || target === "true");
  }
}

const OPERATOR_NAMES: Record<Operator, string> = { equals: "Equals", notEquals: "NotEquals", in: "In", notIn: "NotIn", exists: "Exists" };

/** Evaluates a rule the way the policy engine does (allOf stops at the first false, anyOf at the first true), recording each expression. */
function evaluate(condition: Condition, content: unknown, parameters: Record<string, string | boolean>, log: EvaluatedExpression[]): boolean {
  if ("allOf" in condition) return condition.allOf.every((c) => evaluate(c, content, parameters, log));
  if ("anyOf" in condition) return condition.anyOf.some((c) => evaluate(c, content, parameters, log));
  if ("value" in condition) {
    const value = parameters[condition.value.param];
    const result = test(condition.operator, value, condition.target);
    log.push({
      result: result ? "True" : "False",
      expressionKind: "Value",
      expression: `[parameters('${condition.value.param}')]`,
      expressionValue: value,
      targetValue: condition.target,
      operator: OPERATOR_NAMES[condition.operator],
    });
    return result;
  }
  const target =
    typeof condition.target === "object" && !Array.isArray(condition.target) ? parameters[(condition.target as { param: string }).param] : condition.target;
  const path = pathOf(condition.field);
  const value = read(content, path);
  const result = test(condition.operator, value, target);
  log.push({
    result: result ? "True" : "False",
    expressionKind: "Field",
    expression: condition.field,
    path,
    ...(value === undefined ? {} : { expressionValue: value }),
    targetValue: target,
    operator: OPERATOR_NAMES[condition.operator],
  });
  return result;
}

/** Whether an assignment's scope holds a resource of this subscription and resource group. */
function inScope(assignment: GuardrailAssignment, subscriptionId: string, resourceGroup: string | undefined): boolean {
  if (assignment.scope === undefined) return true;
  const scope = assignment.scope.toLowerCase();
  const at = `/subscriptions/${subscriptionId}${resourceGroup === undefined ? "" : `/resourcegroups/${resourceGroup}`}`.toLowerCase();
  return at === scope || at.startsWith(`${scope}/`);
}

/**
 * The assignments (with effect Deny, or also Audit when `includeAudit`) whose rule the resource content matches,
 * at the subscription and resource group the resource lives in.
 */
export function evaluateGuardrails(
  assignments: readonly GuardrailAssignment[],
  content: unknown,
  where: { subscriptionId: string; resourceGroup?: string },
  includeAudit = false,
): GuardrailMatch[] {
  const matches: GuardrailMatch[] = [];
  for (const assignment of assignments) {
    const definition = builtInDefinition(assignment.definition);
    const effect = assignment.effect ?? definition?.defaultEffect;
    if (definition === undefined || effect === undefined || effect === "Disabled" || (effect === "Audit" && !includeAudit)) continue;
    if (!inScope(assignment, where.subscriptionId, where.resourceGroup)) continue;
    const parameters: Record<string, string | boolean> = {};
    for (const [key, spec] of Object.entries(definition.parameters)) parameters[key] = assignment.parameters?.[key] ?? spec.defaultValue;
    const log: EvaluatedExpression[] = [];
    if (!evaluate(definition.rule, content, parameters, log)) continue;
    const scope = assignment.scope ?? `/subscriptions/${where.subscriptionId}`;
    matches.push({
      assignment,
      definition,
      effect,
      definitionId:
        assignment.customDefinitionName === undefined
          ? `/providers/Microsoft.Authorization/policyDefinitions/${definition.name}`
          : `/subscriptions/${where.subscriptionId}/providers/Microsoft.Authorization/policyDefinitions/${assignment.customDefinitionName}`,
      assignmentId: `${scope}/providers/Microsoft.Authorization/policyAssignments/${assignment.name}`,
      scope,
      evaluatedExpressions: log,
    });
  }
  return matches;
}
