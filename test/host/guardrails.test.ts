/**
 * Azure Policy guardrails through the real provider host: with Deny assignments of the built-in Recovery Services
 * definitions in the emulator, the vault's check() (the preview) asks checkPolicyRestrictions and fails on each
 * guardrail the vault breaks, naming the BackupVault argument to set, before any vault is sent; create() and update()
 * that Azure refuses with 403 RequestDisallowedByPolicy fail with the same explanation.
 *
 * The guardrails are the deny set of test/emulator/guardrails-fixture.ts (public network access, customer-managed keys,
 * immutability, redundancy).
 */
import type { GuardrailAssignment } from "../../src/emulator/model/guardrails";
import { FOUR_GUARDRAILS, GUARDED_ARGUMENTS, KEY_URI } from "../emulator/guardrails-fixture";
import { hostWorld, SUB, type HostWorld } from "./harness";

const RG = "rg-governed";
const BARE = { resourceGroupName: RG, name: "rsv-bare", location: "westeurope" };
/** Two of them, for the tests of one argument at a time. */
const SATISFIABLE: GuardrailAssignment[] = FOUR_GUARDRAILS.filter(
  (a) => GUARDED_ARGUMENTS[a.name] === "immutability" || GUARDED_ARGUMENTS[a.name] === "redundancy",
);
/** A BackupVault that satisfies the four guardrails. */
const GOVERNED = {
  ...BARE,
  name: "rsv-governed",
  redundancy: "LocallyRedundant",
  immutability: "Unlocked",
  publicNetworkAccess: "Disabled",
  identity: { systemAssigned: true },
  encryption: { keyId: KEY_URI, infrastructureEncryption: true },
};
/** One that satisfies the two of SATISFIABLE. */
const COMPLIANT = { ...BARE, name: "rsv-compliant", redundancy: "LocallyRedundant", immutability: "Unlocked" };

const vaultRequests = (w: HostWorld, method: string) =>
  w.emulator.log.list(0).filter((e) => e.method === method && /\/providers\/Microsoft\.RecoveryServices\/vaults\/[^/]+$/i.test(e.path));

describe("guardrails through the real provider host", () => {
  let w: HostWorld;
  beforeAll(async () => {
    w = await hostWorld({ vms: [], model: { guardrails: FOUR_GUARDRAILS } });
  });
  afterAll(async () => w.stop());
  afterEach(() => {
    w.emulator.model.guardrails = FOUR_GUARDRAILS;
    w.emulator.faults.clear();
  });

  it("the preview fails a vault without the guardrails' settings, naming each argument, the assignment and what to set; nothing is sent", async () => {
    const { failures } = await w.host.check("vault", BARE);
    expect(failures.map((f) => f.property).sort()).toEqual(["encryption", "immutability", "publicNetworkAccess", "redundancy"]);
    for (const assignment of FOUR_GUARDRAILS) {
      const failure = failures.find((f) => f.property === GUARDED_ARGUMENTS[assignment.name]);
      expect(failure?.reason).toContain(`[vault/denied-by-policy] BackupVault 'rsv-bare', argument '${GUARDED_ARGUMENTS[assignment.name]}'`);
      // checkPolicyRestrictions names assignments by id only (policyInfo): the preview shows the assignment's name.
      expect(failure?.reason).toContain(`'${assignment.name}' (/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/${assignment.name})`);
      expect(failure?.reason).toContain("https://github.com/Azure/azure-policy/blob/");
    }
    const reason = (argument: string) => failures.find((f) => f.property === argument)!.reason;
    expect(reason("publicNetworkAccess")).toContain('Fix: set publicNetworkAccess: "Disabled"');
    expect(reason("encryption")).toContain("Fix: set encryption to a customer-managed key");
    expect(reason("redundancy")).toContain('Fix: set redundancy to "LocallyRedundant" or "ZoneRedundant": the assignment forbids GeoRedundant.');
    expect(reason("immutability")).toContain('Fix: set immutability: "Unlocked"');
    // The custom copy of the audit-only immutability built-in is recognised by the alias its evaluation read.
    expect(reason("immutability")).toContain("rsv-immutability-deny; a copy of built-in d6f6f560-14b7-49a4-9fc8-d2c3a9807868)");
    expect(vaultRequests(w, "PUT")).toEqual([]);
    expect(w.emulator.log.list(0).some((e) => e.method === "POST" && /checkPolicyRestrictions$/.test(e.path))).toBe(true);
  });

  it("a vault that satisfies the four guardrails passes the preview and is created", async () => {
    const { inputs, failures } = await w.host.check("vault", GOVERNED);
    expect(failures).toEqual([]);
    const { outs } = await w.host.create("vault", inputs);
    expect(outs).toMatchObject({ redundancy: "LocallyRedundant", immutability: "Unlocked", publicNetworkAccess: "Disabled", encryption: { keyId: KEY_URI } });
    expect(vaultRequests(w, "PUT").map((e) => e.path)).toEqual([expect.stringMatching(/\/vaults\/rsv-governed$/)]);
  });

  it("a vault that satisfies the guardrails assigned passes the preview and is created", async () => {
    w.emulator.model.guardrails = SATISFIABLE;
    expect((await w.host.check("vault", BARE)).failures.map((f) => f.property).sort()).toEqual(["immutability", "redundancy"]);
    const { inputs, failures } = await w.host.check("vault", COMPLIANT);
    expect(failures).toEqual([]);
    const { outs } = await w.host.create("vault", inputs);
    expect(outs).toMatchObject({ redundancy: "LocallyRedundant", immutability: "Unlocked" });
    // Unchanged, the vault sends nothing, so the preview does not ask again.
    const asked = w.emulator.log.list(0).filter((e) => /checkPolicyRestrictions$/.test(e.path)).length;
    expect((await w.host.check("vault", COMPLIANT)).failures).toEqual([]);
    expect(w.emulator.log.list(0).filter((e) => /checkPolicyRestrictions$/.test(e.path)).length).toBe(asked);
  });

  it("an update Azure refuses (an up without preview) fails naming the argument and the assignment", async () => {
    w.emulator.model.guardrails = SATISFIABLE;
    const created = await w.host.create("vault", (await w.host.check("vault", { ...COMPLIANT, name: "rsv-update" })).inputs);
    const { inputs } = await w.host.check("vault", { ...COMPLIANT, name: "rsv-update", immutability: "Disabled" }, created.outs);
    await expect(w.host.update("vault", created.id, created.outs, inputs)).rejects.toMatchObject({
      details: expect.stringMatching(
        /^Setting immutability Disabled on vault 'rsv-update' \(resource group rg-governed\) failed \(RequestDisallowedByPolicy, HTTP 403\): \[vault\/denied-by-policy\] BackupVault 'rsv-update', argument 'immutability': .*'Vaults: immutable'.* Fix: set immutability: "Unlocked"/,
      ),
    });
  });

  it("a create Azure refuses fails with the same explanation, and leaves no vault", async () => {
    await expect(
      w.host.create("vault", {
        ...BARE,
        name: "rsv-refused",
        redundancy: "GeoRedundant",
        crossRegionRestore: false,
        softDelete: { state: "Enabled", retentionDays: 14 },
        immutability: "Disabled",
      }),
    ).rejects.toMatchObject({
      details: expect.stringMatching(
        /^Creating or updating vault 'rsv-refused' .* failed \(RequestDisallowedByPolicy, HTTP 403\): \[vault\/denied-by-policy\] .*argument 'publicNetworkAccess'.*argument 'encryption'.*argument 'immutability'.*argument 'redundancy'/s,
      ),
    });
    expect(w.emulator.model.vault(SUB, RG, "rsv-refused")).toBeUndefined();
  });

  it("a Deny that accepts Locked immutability only explains that Azure creates vaults Unlocked", async () => {
    w.emulator.model.guardrails = [{ ...FOUR_GUARDRAILS[2]!, parameters: { checkLockedImmutabilityOnly: true } }];
    const { failures } = await w.host.check("vault", { ...COMPLIANT, name: "rsv-locked", immutability: "Locked" });
    expect(failures.map((f) => f.property)).toEqual(["immutability"]);
    expect(failures[0]!.reason).toMatch(
      /Fix: set immutability: "Locked" .* Azure refuses Locked at creation, so the vault is created Unlocked .* checkLockedImmutabilityOnly false/,
    );
  });

  it("when Azure Policy cannot be asked, the preview passes with a warning and the deployment's 403 still explains", async () => {
    w.emulator.faults.add({
      method: "POST",
      path: /checkPolicyRestrictions$/i,
      action: {
        kind: "status",
        status: 403,
        code: "AuthorizationFailed",
        message: "The client does not have authorization to perform action 'Microsoft.PolicyInsights/checkPolicyRestrictions/action'.",
      },
    });
    const before = w.host.stderr().length;
    const { failures } = await w.host.check("vault", { ...BARE, name: "rsv-unchecked" });
    expect(failures).toEqual([]);
    expect(w.host.stderr().slice(before)).toContain(
      "BackupVault 'rsv-unchecked': the preview could not ask Azure Policy whether the vault is allowed (AuthorizationFailed:",
    );
    // The 403 names the assignment by its display name.
    await expect(
      w.host.create("vault", {
        ...BARE,
        name: "rsv-unchecked",
        redundancy: "GeoRedundant",
        crossRegionRestore: false,
        softDelete: { state: "Enabled", retentionDays: 14 },
        immutability: "Disabled",
      }),
    ).rejects.toMatchObject({
      details: expect.stringContaining("argument 'publicNetworkAccess': Azure Policy assignment 'Vaults: no public network access' (/subscriptions/"),
    });
  });

  describe("a vault that exists: the preview judges the vault the update's PATCH leaves, not a PUT body it never sends", () => {
    const PUBLIC = FOUR_GUARDRAILS.filter((a) => GUARDED_ARGUMENTS[a.name] === "publicNetworkAccess");
    const CMK = FOUR_GUARDRAILS.filter((a) => GUARDED_ARGUMENTS[a.name] === "encryption");
    const LOCKED_ONLY: GuardrailAssignment[] = [{ ...FOUR_GUARDRAILS[2]!, parameters: { checkLockedImmutabilityOnly: true } }];
    const created = async (program: Record<string, unknown>) => {
      w.emulator.model.guardrails = [];
      const vault = await w.host.create("vault", (await w.host.check("vault", program)).inputs);
      return vault;
    };

    it("a tags-only change of a Locked vault under a Deny that accepts Locked immutability only passes, and the update too", async () => {
      const program = { ...BARE, name: "rsv-locked-tags", immutability: "Locked" };
      const vault = await created(program);
      expect(w.emulator.model.vault(SUB, RG, "rsv-locked-tags")!.immutability).toBe("Locked");
      w.emulator.model.guardrails = LOCKED_ONLY;
      const { inputs, failures } = await w.host.check("vault", { ...program, tags: { env: "prod" } }, vault.outs);
      expect(failures).toEqual([]);
      await w.host.update("vault", vault.id, vault.outs, inputs);
      expect(w.emulator.model.vault(SUB, RG, "rsv-locked-tags")!.tags).toEqual({ env: "prod" });
    });

    it("a tags-only change of a vault whose public network access is Disabled but undeclared passes the public-access Deny; enabling it fails", async () => {
      const vault = await created({ ...BARE, name: "rsv-private-tags", publicNetworkAccess: "Disabled" });
      w.emulator.model.guardrails = PUBLIC;
      const program = { ...BARE, name: "rsv-private-tags", tags: { env: "prod" } };
      const { inputs, failures } = await w.host.check("vault", program, vault.outs);
      expect(failures).toEqual([]);
      await w.host.update("vault", vault.id, vault.outs, inputs);
      expect(w.emulator.model.vault(SUB, RG, "rsv-private-tags")).toMatchObject({ tags: { env: "prod" }, publicNetworkAccess: "Disabled" });
      // A change the PATCH would carry is still judged.
      const enabled = await w.host.check("vault", { ...program, publicNetworkAccess: "Enabled" }, vault.outs);
      expect(enabled.failures.map((f) => f.property)).toEqual(["publicNetworkAccess"]);
    });

    it("the customer-managed key remedy says to replace the vault only once items were registered in it", async () => {
      const vault = await created({ ...BARE, name: "rsv-no-key", identity: { systemAssigned: true } });
      w.emulator.model.guardrails = CMK;
      const program = { ...BARE, name: "rsv-no-key", identity: { systemAssigned: true }, tags: { env: "prod" } };
      const empty = await w.host.check("vault", program, vault.outs);
      expect(empty.failures.map((f) => f.property)).toEqual(["encryption"]);
      expect(empty.failures[0]!.reason).toContain("Fix: set encryption to a customer-managed key");
      expect(empty.failures[0]!.reason).not.toContain("replace the vault");
      // The key the remedy asks for is taken in place by a vault where no item was ever registered.
      expect((await w.host.check("vault", { ...program, encryption: { keyId: KEY_URI } }, vault.outs)).failures).toEqual([]);
      w.emulator.model.vault(SUB, RG, "rsv-no-key")!.storageLocked = true;
      const registered = await w.host.check("vault", program, vault.outs);
      expect(registered.failures[0]!.reason).toContain("VMs have been protected in this one: replace the vault (a new name)");
    });
  });
});
