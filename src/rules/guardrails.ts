/**
 * Azure Policy guardrails on vaults: which BackupVault argument each built-in Recovery Services Deny definition
 * judges, and what value satisfies it. Used by the vault provider's check() (the preview, from Azure's
 * checkPolicyRestrictions) and by its create()/update() (from ARM's 403 RequestDisallowedByPolicy), so that the
 * user reads which argument to change instead of a policy id.
 *
 * The definitions (Azure/azure-policy, built-in-policies/policyDefinitions, release 3.2026.0417.1; the aliases are
 * those their policyRule reads):
 * - 9ebbbba3-4d65-4da9-bb67-b22cfaaff090, public network access: `Microsoft.RecoveryServices/vaults/publicNetworkAccess`
 *   must be Disabled (effect Audit, Deny or Disabled).
 * - 2e94d99a-8a36-4563-bc77-810d8893b671, customer-managed keys: `.../encryption.keyVaultProperties.keyUri` must exist,
 *   and with enableDoubleEncryption `.../encryption.infrastructureEncryption` must be Enabled (Audit, Deny or Disabled).
 * - d6f6f560-14b7-49a4-9fc8-d2c3a9807868, immutability: `.../securitySettings.immutabilitySettings.state` Unlocked or
 *   Locked, or Locked only with checkLockedImmutabilityOnly (its default). The built-in only audits; a team that denies
 *   assigns a custom copy, recognised here by the alias its evaluation reports.
 * - 8f09fda1-91a2-4e14-96a2-67c6281158f7, chosen storage redundancy: `.../redundancySettings.standardTierStorageRedundancy`
 *   must not be the BackupStorageRedundancy parameter (Deny or Disabled).
 * - ae243d87-5cf3-4dce-90bd-6d62be328de3, zone redundancy: the same alias must be ZoneRedundant (Audit, Deny or Disabled).
 * Definitions this table does not know (a team's own) are still reported, with the assignment and the fields their
 * evaluation looked at.
 */
import { parseAzurePolicyId } from "./arm-id";
import { createContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { DOCS } from "./sources";

/** An expression of a policy rule as Azure evaluated it (checkPolicyRestrictions or the 403's evaluationDetails). */
export interface PolicyExpressionInput {
  expression: string;
  operator?: string;
  target?: unknown;
  value?: unknown;
  result?: string;
}

/** An assignment that denies (or would deny) the vault: what Azure names in its answer. */
export interface PolicyDenial {
  policyDefinitionId: string;
  policyDefinitionDisplayName?: string;
  policyAssignmentId: string;
  policyAssignmentName?: string;
  policyAssignmentDisplayName?: string;
  parameters?: Record<string, unknown>;
  expressions: readonly PolicyExpressionInput[];
}

export type GuardedVaultArgument = "publicNetworkAccess" | "encryption" | "immutability" | "redundancy";

export interface VaultGuardrail {
  /** The built-in definition's name (GUID). */
  definitionName: string;
  displayName: string;
  /** The BackupVault argument, in the user's words. */
  argument: GuardedVaultArgument;
  /** The aliases its rule reads (lower case compare). */
  aliases: readonly string[];
  /** The definition's public page (its file in Azure/azure-policy). */
  page: string;
  /** What to set, for this denial. */
  remedy(denial: PolicyDenial, stage: VaultStage): string;
}

/**
 * Where the denied vault stands: "new" (it does not exist yet), "empty" (it exists and no item was ever registered in
 * it) or "registered" (items have been registered: its storage type is Locked). A customer-managed key can be added
 * to an existing vault only while no item was ever registered in it (DOCS.cmk).
 */
export type VaultStage = "new" | "empty" | "registered";

const POLICY_REPO = "https://github.com/Azure/azure-policy/blob/f4a50bacae07ddb096943c597669bcae494a6e29/built-in-policies/policyDefinitions";
const VAULTS = "microsoft.recoveryservices/vaults/";
const REDUNDANCY_ALIAS = `${VAULTS}redundancysettings.standardtierstorageredundancy`;
const IMMUTABILITY_ALIAS = `${VAULTS}securitysettings.immutabilitysettings.state`;
const REDUNDANCIES = ["LocallyRedundant", "ZoneRedundant", "GeoRedundant"];

const evaluated = (d: PolicyDenial, alias: string) => d.expressions.filter((e) => e.expression.toLowerCase() === alias);

export const VAULT_GUARDRAILS: readonly VaultGuardrail[] = [
  {
    definitionName: "9ebbbba3-4d65-4da9-bb67-b22cfaaff090",
    displayName: "[Preview]: Azure Recovery Services vaults should disable public network access",
    argument: "publicNetworkAccess",
    aliases: [`${VAULTS}publicnetworkaccess`],
    page: `${POLICY_REPO}/Backup/RecoveryServices_PublicNetworkAccess_AuditDeny.json`,
    remedy: () => 'set publicNetworkAccess: "Disabled" (and give the vault private endpoints before its first VM is protected).',
  },
  {
    definitionName: "2e94d99a-8a36-4563-bc77-810d8893b671",
    displayName: "[Preview]: Azure Recovery Services vaults should use customer-managed keys for encrypting backup data",
    argument: "encryption",
    aliases: [`${VAULTS}encryption.keyvaultproperties.keyuri`, `${VAULTS}encryption.infrastructureencryption`],
    page: `${POLICY_REPO}/Backup/AzBackupRSVault_CMKEnabled_Audit.json`,
    remedy: (d, stage) => {
      const doubleEncryption =
        d.parameters?.enableDoubleEncryption === true ||
        d.expressions.some((e) => e.expression.toLowerCase() === `${VAULTS}encryption.infrastructureencryption` && e.result?.toLowerCase() === "true");
      // Azure adds a key only to a vault where no item was ever registered ("Encrypt backup data by using customer-managed keys", DOCS.cmk).
      const when =
        stage === "registered"
          ? " Azure encrypts with a customer-managed key only vaults where no item was ever registered, and VMs have been protected in this one: replace the vault (a new name) to encrypt it with your key."
          : "";
      return `set encryption to a customer-managed key: encryption: { keyId: "<Key Vault key URL>"${doubleEncryption ? ", infrastructureEncryption: true" : ""} }, with an identity that can read the key${doubleEncryption ? " (the assignment's enableDoubleEncryption asks for infrastructure encryption)" : ""}.${when}`;
    },
  },
  {
    definitionName: "d6f6f560-14b7-49a4-9fc8-d2c3a9807868",
    displayName: "[Preview]: Immutability must be enabled for Recovery Services vaults",
    argument: "immutability",
    aliases: [IMMUTABILITY_ALIAS],
    page: `${POLICY_REPO}/Backup/RecoveryServices_Immutability_Audit.json`,
    remedy: (d, stage) => {
      const lockedOnly =
        d.parameters?.checkLockedImmutabilityOnly === true ||
        d.expressions.some(
          (e) => e.expression.toLowerCase() === IMMUTABILITY_ALIAS && e.operator?.toLowerCase() === "notequals" && e.result?.toLowerCase() === "true",
        );
      if (!lockedOnly) return 'set immutability: "Unlocked" (or "Locked", which can never be undone).';
      const creation =
        stage === "new"
          ? " Azure refuses Locked at creation, so the vault is created Unlocked and locked in a second request: an assignment that accepts Locked only refuses that creation. Ask the policy's owner for checkLockedImmutabilityOnly false, or an exemption for the vault while it is created."
          : "";
      return `set immutability: "Locked" (irreversible: the vault can never be unlocked).${creation}`;
    },
  },
  {
    definitionName: "8f09fda1-91a2-4e14-96a2-67c6281158f7",
    displayName: "[Preview]: Do not allow creation of Recovery Services vaults of chosen storage redundancy.",
    argument: "redundancy",
    aliases: [REDUNDANCY_ALIAS],
    page: `${POLICY_REPO}/Backup/AzBackuprecoveryServicesVault_RedudancySettings_Deny.json`,
    remedy: (d) => {
      const fromExpression = evaluated(d, REDUNDANCY_ALIAS).find((e) => e.operator?.toLowerCase() === "equals")?.target;
      const blocked = typeof fromExpression === "string" ? fromExpression : (d.parameters?.BackupStorageRedundancy as string | undefined);
      const others = REDUNDANCIES.filter((r) => r.toLowerCase() !== blocked?.toLowerCase());
      return blocked === undefined
        ? "set redundancy to a storage redundancy the assignment allows."
        : `set redundancy to ${others.map((r) => `"${r}"`).join(" or ")}: the assignment forbids ${blocked}.`;
    },
  },
  {
    definitionName: "ae243d87-5cf3-4dce-90bd-6d62be328de3",
    displayName: "[Preview]: Backup and Site Recovery should be Zone Redundant",
    argument: "redundancy",
    aliases: [REDUNDANCY_ALIAS],
    page: `${POLICY_REPO}/Resilience/RecoveryServices_Vaults_ZoneRedundant_Audit.json`,
    remedy: () => 'set redundancy: "ZoneRedundant" (in a region with availability zones).',
  },
];

/** The name of a policy definition or assignment id (its last segment). */
const nameOf = (id: string) => parseAzurePolicyId(id)?.name ?? id;

/**
 * The guardrail a denial is of: by its built-in definition id, else (a custom copy) by the alias its evaluation
 * read, preferring the alias whose expression decided it.
 */
export function guardrailFor(denial: PolicyDenial): VaultGuardrail | undefined {
  const ref = parseAzurePolicyId(denial.policyDefinitionId);
  const builtIn = ref !== undefined && ref.scope === "" ? VAULT_GUARDRAILS.find((g) => g.definitionName === ref.name.toLowerCase()) : undefined;
  if (builtIn !== undefined) return builtIn;
  const read = denial.expressions.map((e) => e.expression.toLowerCase());
  const candidates = VAULT_GUARDRAILS.filter((g) => g.aliases.some((a) => read.includes(a)));
  if (candidates.length <= 1) return candidates[0];
  // Two definitions read the redundancy alias: "equals" is the chosen-redundancy one, "notEquals" the zone one.
  const redundancy = denial.expressions.find((e) => e.expression.toLowerCase() === REDUNDANCY_ALIAS);
  if (redundancy !== undefined)
    return candidates.find(
      (g) =>
        g.definitionName ===
        (redundancy.operator?.toLowerCase() === "equals" ? "8f09fda1-91a2-4e14-96a2-67c6281158f7" : "ae243d87-5cf3-4dce-90bd-6d62be328de3"),
    );
  return candidates[0];
}

function assignmentLabel(d: PolicyDenial): string {
  const name = d.policyAssignmentDisplayName ?? d.policyAssignmentName ?? nameOf(d.policyAssignmentId);
  return `'${name}' (${d.policyAssignmentId})`;
}

/**
 * One error per denial: the vault, the argument in the user's words, the assignment, the definition and its public
 * page, and what to set. `stage`: whether the vault exists yet, and whether items were ever registered in it.
 */
export function validateVaultPolicyDenials(vaultName: string, denials: readonly PolicyDenial[], stage: VaultStage, options: RuleOptions = {}): Diagnostic[] {
  const ctx = createContext(options);
  const start = ctx.diagnostics.length;
  for (const denial of denials) {
    const guardrail = guardrailFor(denial);
    const definition = denial.policyDefinitionDisplayName ?? guardrail?.displayName ?? nameOf(denial.policyDefinitionId);
    const copy =
      guardrail !== undefined && nameOf(denial.policyDefinitionId).toLowerCase() !== guardrail.definitionName
        ? `; a copy of built-in ${guardrail.definitionName}`
        : "";
    if (guardrail === undefined) {
      const fields = [...new Set(denial.expressions.map((e) => e.expression).filter((e) => e.includes("/")))];
      ctx.report(
        "vault/denied-by-policy",
        "",
        `BackupVault '${vaultName}' is denied by Azure Policy assignment ${assignmentLabel(denial)} of definition '${definition}' (${denial.policyDefinitionId})${fields.length === 0 ? "" : `, which reads ${fields.join(", ")}`}.`,
        {
          remedy:
            "read the definition's rule (`az policy definition show --name <name>`) and change the vault's arguments to satisfy it, or ask the policy's owner for an exemption.",
        },
      );
      continue;
    }
    ctx.report(
      "vault/denied-by-policy",
      guardrail.argument,
      `BackupVault '${vaultName}', argument '${guardrail.argument}': Azure Policy assignment ${assignmentLabel(denial)} of '${definition}' (${denial.policyDefinitionId}${copy}) denies the vault as declared.`,
      {
        remedy: guardrail.remedy(denial, stage),
        source: `${guardrail.displayName} (Azure/azure-policy built-in definition ${guardrail.definitionName}) <${guardrail.page}>; ${DOCS.policyDenied}`,
      },
    );
  }
  return ctx.diagnostics.slice(start);
}
