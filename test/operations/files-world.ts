/**
 * An emulator with a vault protecting a Linux VM (vm1) and a Windows VM (win1), each with one recovery point, and the
 * settings the library reads to reach it (as AZURE_VM_BACKUP_ENDPOINT and a CA file would give them).
 */
import { NO_CONFIG, resolveSettings, type AzureSettings } from "../../src/azure";
import { HOUR, MINUTE } from "../../src/emulator";
import type { ClientScript } from "../../src/emulator/model/item-recovery";
import { CONTAINER, createVault, dailyPolicyBody, ITEM, protect, SUB, VAULT_RG, vmFixture, world, type TestWorld } from "../emulator/harness";

export const VAULT = "rsv-files";
export const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;

export interface FilesWorld {
  w: TestWorld;
  settings: AzureSettings;
  env: Record<string, string>;
  /** Each VM's recovery point. */
  points: Record<string, string>;
  /** Whether the emulator shows a file recovery session on the VM's recovery point. */
  sessionActive(vm: string): Promise<boolean>;
  /** The scripts the emulator gave with its latest provision. */
  lastScripts(): ClientScript[];
}

export async function filesWorld(): Promise<FilesWorld> {
  const w = await world({
    vms: [vmFixture("vm1"), vmFixture("win1", { osType: "Windows", image: "MicrosoftWindowsServer:WindowsServer:2022-datacenter:latest" })],
  });
  await createVault(w, VAULT);
  await w.backup.protectionPolicies.createOrUpdate(VAULT, VAULT_RG, "daily", dailyPolicyBody());
  await w.backup.protectionContainers.refresh(VAULT, VAULT_RG, "Azure");
  w.emulator.clock.advance(2 * MINUTE);
  const points: Record<string, string> = {};
  for (const vm of ["vm1", "win1"]) {
    if ((await protect(w, VAULT, vm, "daily")).status !== "Succeeded") throw new Error(`protecting ${vm} failed`);
    await w.backup.backups.trigger(VAULT, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), { properties: { objectType: "IaasVMBackupRequest" } } as never);
    w.emulator.clock.advance(2 * HOUR);
    for await (const rp of w.backup.recoveryPoints.list(VAULT, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm))) points[vm] = rp.name!;
  }
  const env = { AZURE_VM_BACKUP_ENDPOINT: w.emulator.endpoint, AZURE_VM_BACKUP_RETRY_DELAY_MS: "20" };
  const settings: AzureSettings = { ...resolveSettings(NO_CONFIG, env), ca: w.emulator.ca };
  return {
    w,
    settings,
    env,
    points,
    sessionActive: async (vm) => {
      const rp = await w.backup.recoveryPoints.get(VAULT, VAULT_RG, "Azure", CONTAINER(vm), ITEM(vm), points[vm]!);
      return (rp.properties as { isInstantIlrSessionActive?: boolean }).isInstantIlrSessionActive === true;
    },
    lastScripts: () => {
      const ops = w.emulator.state.operations.filter((o) => o.kind === "ilr-provision");
      return (ops[ops.length - 1]?.payload?.clientScripts as ClientScript[] | undefined) ?? [];
    },
  };
}
