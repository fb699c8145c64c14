/**
 * Immutable vaults as today's Azure handles them, through the real SDK clients: immutability moves
 * Disabled <-> Unlocked -> Locked (never Locked at creation: UserErrorUnsupportedVaultImmutabilityStateChange,
 * Azure/azure-cli#27785), and an immutable vault refuses what would keep recovery points for less time
 * (https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept#restricted-operations).
 */
import { armError, CONTAINER, createVault, dailyPolicyBody, ITEM, protect, SUB, VAULT_RG, world, type TestWorld } from "./harness";

const immutability = (state: string) => ({ properties: { securitySettings: { immutabilitySettings: { state } } } }) as never;

describe("immutable vaults in the emulator", () => {
  let w: TestWorld;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => w.stop());
  const setState = (state: string) => w.vaults.vaults.beginUpdateAndWait(VAULT_RG, "rsv1", immutability(state), { updateIntervalInMs: 1 });

  it("refuses Locked at creation with Azure's code, accepts Unlocked then Locked, and nothing after Locked", async () => {
    const e = await armError(createVault(w, "rsv1", immutability("Locked") as Record<string, unknown>));
    expect(e).toMatchObject({ statusCode: 400, code: "UserErrorUnsupportedVaultImmutabilityStateChange" });
    expect(w.emulator.model.vault(SUB, VAULT_RG, "rsv1")).toBeUndefined();
    await createVault(w, "rsv1", immutability("Unlocked") as Record<string, unknown>);
    await setState("Disabled");
    // Disabled -> Locked skips a step: refused.
    expect((await armError(setState("Locked"))).code).toBe("UserErrorUnsupportedVaultImmutabilityStateChange");
    await setState("Unlocked");
    await setState("Locked");
    expect((await w.vaults.vaults.get(VAULT_RG, "rsv1")).properties?.securitySettings?.immutabilitySettings?.state).toBe("Locked");
    for (const state of ["Unlocked", "Disabled"]) expect((await armError(setState(state))).code).toBe("UserErrorUnsupportedVaultImmutabilityStateChange");
    await setState("Locked"); // no change: accepted
  });

  it("refuses a policy change that shortens retention on an immutable vault, accepts a longer one", async () => {
    await createVault(w);
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily", dailyPolicyBody(undefined, 35));
    await setState("Unlocked");
    const e = await armError(w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily", dailyPolicyBody(undefined, 30)));
    expect(e).toMatchObject({ statusCode: 400, code: "UserErrorRetentionReductionNotAllowedOnImmutableVault" });
    expect(e.message).toContain("daily recovery points are kept 35 days now and would be kept 30");
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily", dailyPolicyBody(undefined, 40));
    // Not immutable: shortening is the user's choice.
    await setState("Disabled");
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "daily", dailyPolicyBody(undefined, 30));
  });

  it("refuses moving a VM to a policy that keeps less; accepts one that keeps more; suspends backups only when immutable", async () => {
    await createVault(w);
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "keep35", dailyPolicyBody(undefined, 35));
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "keep30", dailyPolicyBody(undefined, 30));
    await w.backup.protectionPolicies.createOrUpdate("rsv1", VAULT_RG, "keep60", dailyPolicyBody(undefined, 60));
    await protect(w, "rsv1", "vm1", "keep35");
    const suspended = { protectionState: "BackupsSuspended", policyId: "" };
    expect((await armError(protect(w, "rsv1", "vm1", "keep35", suspended))).code).toBe("BMSUserErrorInvalidInput");
    await setState("Unlocked");
    expect((await armError(protect(w, "rsv1", "vm1", "keep30"))).code).toBe("UserErrorRetentionReductionNotAllowedOnImmutableVault");
    expect((await protect(w, "rsv1", "vm1", "keep60")).status).toBe("Succeeded");
    expect((await protect(w, "rsv1", "vm1", "keep60", suspended)).status).toBe("Succeeded");
    const item = await w.backup.protectedItems.get("rsv1", VAULT_RG, "Azure", CONTAINER("vm1"), ITEM("vm1"));
    expect(item.properties).toMatchObject({ protectionState: "BackupsSuspended" });
  });
});
