/**
 * The guardrail table: which BackupVault argument each built-in Recovery Services Deny definition judges, found by
 * the definition's id or (for a team's custom copy) by the alias its evaluation read, and what value satisfies it.
 */
import { guardrailFor, parseAzurePolicyId, validateVaultPolicyDenials, VAULT_GUARDRAILS, type PolicyDenial } from "../../src/rules";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const builtIn = (guid: string) => `/providers/Microsoft.Authorization/policyDefinitions/${guid}`;
const assignment = (name: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/${name}`;
const REDUNDANCY = "Microsoft.RecoveryServices/vaults/redundancySettings.standardTierStorageRedundancy";

const denial = (definition: string, extra: Partial<PolicyDenial> = {}): PolicyDenial => ({
  policyDefinitionId: definition,
  policyAssignmentId: assignment("a1"),
  expressions: [],
  ...extra,
});

describe("vault guardrails", () => {
  it("knows each built-in by id, with its argument and public page", () => {
    expect(VAULT_GUARDRAILS.map((g) => [g.definitionName, g.argument])).toEqual([
      ["9ebbbba3-4d65-4da9-bb67-b22cfaaff090", "publicNetworkAccess"],
      ["2e94d99a-8a36-4563-bc77-810d8893b671", "encryption"],
      ["d6f6f560-14b7-49a4-9fc8-d2c3a9807868", "immutability"],
      ["8f09fda1-91a2-4e14-96a2-67c6281158f7", "redundancy"],
      ["ae243d87-5cf3-4dce-90bd-6d62be328de3", "redundancy"],
    ]);
    for (const g of VAULT_GUARDRAILS)
      expect(g.page).toMatch(/^https:\/\/github\.com\/Azure\/azure-policy\/blob\/[0-9a-f]{40}\/built-in-policies\/policyDefinitions\/.+\.json$/);
    expect(guardrailFor(denial(builtIn("9EBBBBA3-4D65-4DA9-BB67-B22CFAAFF090")))?.argument).toBe("publicNetworkAccess");
  });

  it("recognises a custom copy by the alias its evaluation read; the redundancy aliases by their operator", () => {
    const custom = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/my-copy`;
    const immutability = denial(custom, {
      expressions: [{ expression: "Microsoft.RecoveryServices/vaults/securitySettings.immutabilitySettings.state", operator: "NotIn", result: "True" }],
    });
    expect(guardrailFor(immutability)?.argument).toBe("immutability");
    expect(guardrailFor(denial(custom, { expressions: [{ expression: REDUNDANCY, operator: "Equals", target: "GeoRedundant" }] }))?.definitionName).toBe(
      "8f09fda1-91a2-4e14-96a2-67c6281158f7",
    );
    expect(guardrailFor(denial(custom, { expressions: [{ expression: REDUNDANCY, operator: "NotEquals", target: "ZoneRedundant" }] }))?.definitionName).toBe(
      "ae243d87-5cf3-4dce-90bd-6d62be328de3",
    );
    expect(guardrailFor(denial(custom, { expressions: [{ expression: "type" }] }))).toBeUndefined();
  });

  it("names the vault, the argument, the assignment, the definition and its page, and what to set", () => {
    const [d] = validateVaultPolicyDenials(
      "rsv-prod",
      [
        denial(builtIn("8f09fda1-91a2-4e14-96a2-67c6281158f7"), {
          policyAssignmentDisplayName: "No GRS vaults",
          expressions: [{ expression: REDUNDANCY, operator: "Equals", target: "GeoRedundant", value: "GeoRedundant", result: "True" }],
        }),
      ],
      "new",
    );
    expect(d).toMatchObject({ code: "vault/denied-by-policy", severity: "error", path: "redundancy" });
    expect(d!.message).toBe(
      `BackupVault 'rsv-prod', argument 'redundancy': Azure Policy assignment 'No GRS vaults' (${assignment("a1")}) of '[Preview]: Do not allow creation of Recovery Services vaults of chosen storage redundancy.' (${builtIn("8f09fda1-91a2-4e14-96a2-67c6281158f7")}) denies the vault as declared.`,
    );
    expect(d!.remedy).toBe('set redundancy to "LocallyRedundant" or "ZoneRedundant": the assignment forbids GeoRedundant.');
    expect(d!.source).toMatch(/AzBackuprecoveryServicesVault_RedudancySettings_Deny\.json>; Resolve errors for request disallowed by policy/);
  });

  it("reads the redundancy to avoid from the assignment's parameters when the evaluation is not reported", () => {
    const [d] = validateVaultPolicyDenials(
      "v",
      [denial(builtIn("8f09fda1-91a2-4e14-96a2-67c6281158f7"), { parameters: { BackupStorageRedundancy: "LocallyRedundant" } })],
      "new",
    );
    expect(d!.remedy).toBe('set redundancy to "ZoneRedundant" or "GeoRedundant": the assignment forbids LocallyRedundant.');
  });

  it("customer-managed keys: double encryption, and encryption set only at creation", () => {
    const cmk = builtIn("2e94d99a-8a36-4563-bc77-810d8893b671");
    const [created] = validateVaultPolicyDenials("v", [denial(cmk, { parameters: { effect: "Deny", enableDoubleEncryption: true } })], "new");
    expect(created!.remedy).toBe(
      'set encryption to a customer-managed key: encryption: { keyId: "<Key Vault key URL>", infrastructureEncryption: true }, with an identity that can read the key (the assignment\'s enableDoubleEncryption asks for infrastructure encryption).',
    );
    const [registered] = validateVaultPolicyDenials("v", [denial(cmk)], "registered");
    expect(registered!.remedy).toMatch(/only vaults where no item was ever registered, and VMs have been protected in this one: replace the vault/);
    // A vault where no item was ever registered takes a key in place (validateVaultSettingsChange allows it): no replacement.
    const [empty] = validateVaultPolicyDenials("v", [denial(cmk)], "empty");
    expect(empty!.remedy).toBe(
      'set encryption to a customer-managed key: encryption: { keyId: "<Key Vault key URL>" }, with an identity that can read the key.',
    );
  });

  it("immutability: Unlocked suffices unless the assignment accepts Locked only, which refuses any creation", () => {
    const immutability = builtIn("d6f6f560-14b7-49a4-9fc8-d2c3a9807868");
    expect(validateVaultPolicyDenials("v", [denial(immutability, { parameters: { checkLockedImmutabilityOnly: false } })], "new")[0]!.remedy).toBe(
      'set immutability: "Unlocked" (or "Locked", which can never be undone).',
    );
    const lockedOnly = denial(immutability, {
      expressions: [
        {
          expression: "Microsoft.RecoveryServices/vaults/securitySettings.immutabilitySettings.state",
          operator: "NotEquals",
          target: "Locked",
          result: "True",
        },
      ],
    });
    expect(validateVaultPolicyDenials("v", [lockedOnly], "new")[0]!.remedy).toMatch(/^set immutability: "Locked" .*Azure refuses Locked at creation/);
    expect(validateVaultPolicyDenials("v", [lockedOnly], "registered")[0]!.remedy).toBe(
      'set immutability: "Locked" (irreversible: the vault can never be unlocked).',
    );
  });

  it("still reports a definition it does not know, with the fields it read", () => {
    const [d] = validateVaultPolicyDenials(
      "v",
      [
        denial(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/tags`, {
          expressions: [{ expression: "Microsoft.RecoveryServices/vaults/tags.owner" }],
        }),
      ],
      "new",
    );
    expect(d).toMatchObject({ code: "vault/denied-by-policy", path: "" });
    expect(d!.message).toContain("which reads Microsoft.RecoveryServices/vaults/tags.owner");
  });

  it("severities can be overridden like any rule", () => {
    expect(
      validateVaultPolicyDenials("v", [denial(builtIn("9ebbbba3-4d65-4da9-bb67-b22cfaaff090"))], "new", { severities: { "vault/denied-by-policy": "off" } }),
    ).toEqual([]);
  });

  it("parses policy ids at any scope", () => {
    expect(parseAzurePolicyId(builtIn("abc"))).toEqual({ scope: "", kind: "policyDefinitions", name: "abc" });
    expect(parseAzurePolicyId(`/providers/Microsoft.Management/managementGroups/mg/providers/microsoft.authorization/policyassignments/x`)).toEqual({
      scope: "/providers/Microsoft.Management/managementGroups/mg",
      kind: "policyAssignments",
      name: "x",
    });
    expect(parseAzurePolicyId("/subscriptions/x")).toBeUndefined();
  });
});
