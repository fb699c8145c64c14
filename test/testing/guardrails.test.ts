/**
 * Issue 11, "Guardrails offline": a program deploys a vault that satisfies the deny set of the four built-in
 * guardrails (public network access, customer-managed keys, immutability, redundancy: test/emulator/guardrails-fixture.ts);
 * the same program without those settings fails, naming each setting to change, and creates nothing.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { OFFLINE_SUBSCRIPTION as SUB, OfflineStack } from "../../src/testing";
import { BackupVault } from "../../src";
import { FOUR_GUARDRAILS, GUARDED_ARGUMENTS, KEY_URI } from "../emulator/guardrails-fixture";

/** The program, with or without the settings its subscription's guardrails ask for. */
const program = (governed: boolean) => () => {
  const vault = new BackupVault("vault", {
    resourceGroupName: "rg-governed",
    vaultName: "rsv-governed",
    location: "westeurope",
    ...(governed
      ? {
          redundancy: "LocallyRedundant",
          immutability: "Unlocked",
          publicNetworkAccess: "Disabled",
          identity: { systemAssigned: true },
          encryption: { keyId: KEY_URI, infrastructureEncryption: true },
        }
      : {}),
  });
  return { vaultId: vault.id };
};

const writes = (e: Emulator) => e.log.list(0).filter((x) => x.method !== "GET" && !/\/checkPolicyRestrictions$/i.test(x.path));

describe("a program under the four guardrails, offline", () => {
  let emulator: Emulator;
  let stack: OfflineStack;
  beforeAll(async () => {
    emulator = await startEmulator({ clock: { speed: 3600 }, model: { guardrails: FOUR_GUARDRAILS } });
    const dir = mkdtempSync(join(tmpdir(), "avb-guardrails-"));
    stack = await OfflineStack.start({ emulator, project: "backup-governed", statePath: join(dir, "state.json"), workDir: dir });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.stop();
  });

  it("without the settings: the preview and the up fail naming each setting to change, and nothing is created", async () => {
    for (const run of [await stack.preview(program(false)), await stack.up(program(false))]) {
      expect(run.ok).toBe(false);
      const reasons = run.failures.map((f) => f.reason).join("\n");
      for (const [assignment, argument] of Object.entries(GUARDED_ARGUMENTS)) {
        expect(reasons).toContain(`[vault/denied-by-policy] BackupVault 'rsv-governed', argument '${argument}': Azure Policy assignment '${assignment}'`);
      }
    }
    expect(emulator.state.vaults).toEqual([]);
    expect(writes(emulator)).toEqual([]);
  });

  it("with them: deploys the vault", async () => {
    const up = await stack.up(program(true));
    expect(up.failures).toEqual([]);
    expect(up.errors).toEqual([]);
    expect(up.outputs.vaultId).toBe(`/subscriptions/${SUB}/resourceGroups/rg-governed/providers/Microsoft.RecoveryServices/vaults/rsv-governed`);
    expect(emulator.model.vault(SUB, "rg-governed", "rsv-governed")).toMatchObject({
      publicNetworkAccess: "Disabled",
      redundancy: "LocallyRedundant",
      immutability: "Unlocked",
    });
  });
});
