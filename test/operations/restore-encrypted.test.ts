/**
 * Restoring a VM encrypted with Azure Disk Encryption: Azure supports replacing the disks of an existing VM only when
 * it "uses managed disks (unencrypted)" (Support matrix for Azure VM backups), and "you cannot use 'replace existing
 * VM' option for ADE encrypted VMs" (Troubleshoot backup errors with encrypted VMs). A replace-disks restore of an
 * encrypted recovery point is refused before anything is sent (exit 2), naming what to do instead; restoring its disks
 * still works.
 */
import { resolveSettings, type AzureSettings } from "../../src/azure";
import { runRestore } from "../../src/cli/restore";
import { BACKUP_MANAGEMENT_SERVICE_OBJECT_ID } from "../../src/emulator/arm/key-vaults";
import { EMULATOR_TENANT } from "../../src/emulator/arm/subscriptions";
import { HOUR, MINUTE } from "../../src/emulator";
import { restoreVm, RestoreInputError } from "../../src/operations";
import { armError, CONTAINER, createVault, dailyPolicyBody, ITEM, protect, SUB, VAULT_RG, vmFixture, vmId, world, type TestWorld } from "../emulator/harness";

const VAULT = "rsv-ade";
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;
const STAGING = `/subscriptions/${SUB}/resourceGroups/rg-staging/providers/Microsoft.Storage/storageAccounts/stagingsa`;
const KV = `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-ade`;

describe("restore of an ADE-encrypted VM", () => {
  let w: TestWorld;
  let settings: AzureSettings;
  const sent = (mark: number) => w.emulator.log.list(mark).filter((e) => e.method === "POST" && /\/restore$/i.test(e.path)).length;

  beforeAll(async () => {
    w = await world({
      vms: [vmFixture("vm-ade", { diskEncryption: { keyVaultId: KV, secretUrl: "https://kv-ade.vault.azure.net/secrets/bek/0123" } })],
      keyVaults: [
        {
          id: KV,
          accessPolicies: [
            { tenantId: EMULATOR_TENANT, objectId: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID, permissions: { secrets: ["get", "list", "backup"], keys: [] } },
          ] as never,
        },
      ],
    });
    settings = resolveSettings(
      {
        get: (key) =>
          ({ "azure-vm-backup:endpoint": w.emulator.endpoint, "azure-vm-backup:caCertificate": w.emulator.ca, "azure-vm-backup:subscriptionId": SUB })[key],
      },
      {},
    );
    await createVault(w, VAULT);
    await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "daily", dailyPolicyBody());
    await protect(w, VAULT, "vm-ade", "daily");
    w.emulator.clock.advance(MINUTE);
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm-ade"), ITEM("vm-ade"), {
      properties: { objectType: "IaasVMBackupRequest" },
    } as never);
    w.emulator.clock.advance(2 * HOUR);
    let encrypted: boolean | undefined;
    for await (const rp of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm-ade"), ITEM("vm-ade")))
      encrypted = (rp.properties as { isSourceVMEncrypted?: boolean }).isSourceVMEncrypted;
    expect(encrypted).toBe(true);
  }, 60_000);
  afterAll(async () => w?.stop());

  it("refuses to replace the disks of the original VM from an encrypted point, sending nothing (library)", async () => {
    const mark = w.emulator.log.mark();
    const error = await restoreVm({ vaultId: VAULT_ID, vm: "vm-ade", to: "replace-disks", stagingStorageAccountId: STAGING }, { settings }).catch((e) => e);
    expect(error).toBeInstanceOf(RestoreInputError);
    expect((error as RestoreInputError).diagnostics[0]).toMatchObject({ code: "restore/encrypted-replace-disks", path: "to" });
    expect((error as RestoreInputError).message).toContain("--to disks");
    expect(sent(mark)).toBe(0);
  });

  it("exits 2 from the command with the reason and no stack trace", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRestore(
      { vault: VAULT_ID, vm: "vm-ade", to: "replace-disks", stagingStorageAccount: STAGING, recoveryPoint: "latest", format: "text", wait: true },
      { write: (t) => out.push(t), writeError: (t) => err.push(t), tty: false, settings },
    );
    expect(code).toBe(2);
    expect(err.join("")).toContain("[restore/encrypted-replace-disks]");
    expect(err.join("")).not.toMatch(/\n\s+at /);
  });

  it("the emulator refuses it too when sent (OriginalLocation of an encrypted point: 400)", async () => {
    let point = "";
    for await (const rp of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER("vm-ade"), ITEM("vm-ade"))) point = rp.name!;
    const error = await armError(
      w.backup.restores.beginTrigger(VAULT, VAULT_RG, "Azure", CONTAINER("vm-ade"), ITEM("vm-ade"), point, {
        properties: {
          objectType: "IaasVMRestoreRequest",
          recoveryPointId: point,
          recoveryType: "OriginalLocation",
          sourceResourceId: vmId("vm-ade"),
          storageAccountId: STAGING,
          region: "westeurope",
          createNewCloudService: false,
          originalStorageAccountOption: false,
        },
      } as never),
    );
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain("Azure Disk Encryption");
  });
});
