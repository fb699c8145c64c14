/**
 * Destroy stops the protection of the VM even when the vault's list of protected items does not show it: delete finds
 * the VM's item in that list (read once per provider process), and a list is no proof that an item is absent. Here the
 * list comes in pages (the emulator's listPageSize; Azure pages these lists too, Azure/azure-sdk-for-net#41074), and a
 * soft-deleted item ahead of the VM's is purged between two pages: the continuation token's offset then passes over
 * the VM's item. Through the real provider host (a fresh one, as a `pulumi destroy` starts) and the emulator, whose
 * clock each request moves on by 15 s, so the purge falls between the pages deterministically.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DAY } from "../../src/emulator";
import { vmFixture } from "../emulator/harness";
import { Host, hostWorld, SUB, vaultFixtures, type HostWorld } from "./harness";

const { VAULT, POLICY, protection } = vaultFixtures("rsv-pages");
const STEP_MS = 15_000;

describe("destroy of a VM its vault's paged list passes over", () => {
  let w: HostWorld;
  let fresh: Host | undefined;
  beforeAll(async () => {
    w = await hostWorld({ vms: ["p0", "a1", "t2"].map((n) => vmFixture(n)), listPageSize: 2, clock: { speed: 0, stepMs: STEP_MS } });
    await w.host.create("vault", (await w.host.check("vault", VAULT)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY)).inputs);
  });
  afterAll(async () => {
    await fresh?.stop();
    await w.stop();
  });

  const item = (vm: string) => w.emulator.model.vault(SUB, "rg-backup", "rsv-pages")!.items.find((i) => i.friendlyName === vm);

  it("stops its protection and keeps its data", async () => {
    const outs: Record<string, Record<string, unknown>> = {};
    for (const vm of ["p0", "a1", "t2"]) outs[vm] = (await w.host.create("protected-vm", (await w.host.check("protected-vm", protection(vm))).inputs)).outs;
    // p0's backup data deleted: soft-deleted, first in the vault's list, purged at the end of its retention.
    await w.host.delete("protected-vm", String(outs.p0!.id), { ...outs.p0!, onDestroy: "deleteBackupData" });
    const purgeAt = item("p0")!.deferredDeleteAt!;
    expect(item("t2")!.protectionState).toMatch(/Protected|IRPending/);

    // A destroy, in a provider process of its own: its first request (the list's first page: p0, a1) 7.5 s before
    // the purge, the second (from offset 2) 7.5 s after it.
    fresh = await freshHost(w);
    w.emulator.clock.advance(purgeAt - w.emulator.clock.now() - 1.5 * STEP_MS);
    const mark = w.emulator.log.mark();
    await fresh.delete("protected-vm", String(outs.t2!.id), outs.t2!);
    const lists = w.emulator.log.list(mark).filter((e) => e.method === "GET" && /\/backupProtectedItems$/i.test(e.path));
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(item("p0")).toBeUndefined();
    expect(item("t2")).toMatchObject({ protectionState: "ProtectionStopped" });
  });
});

describe("create of a VM soft-deleted in its vault, which the vault's paged list passes over", () => {
  const { VAULT: VAULT2, POLICY: POLICY2, protection: protection2 } = vaultFixtures("rsv-pages2");
  let w: HostWorld;
  let fresh: Host | undefined;
  beforeAll(async () => {
    w = await hostWorld({ vms: ["p3", "a4", "t5"].map((n) => vmFixture(n)), listPageSize: 2, clock: { speed: 0, stepMs: STEP_MS } });
    await w.host.create("vault", (await w.host.check("vault", VAULT2)).inputs);
    await w.host.create("policy", (await w.host.check("policy", POLICY2)).inputs);
  });
  afterAll(async () => {
    await fresh?.stop();
    await w.stop();
  });

  const item = (vm: string) => w.emulator.model.vault(SUB, "rg-backup", "rsv-pages2")!.items.find((i) => i.friendlyName === vm);

  it("undeletes its item and protects it again", async () => {
    const outs: Record<string, Record<string, unknown>> = {};
    for (const vm of ["p3", "a4", "t5"]) outs[vm] = (await w.host.create("protected-vm", (await w.host.check("protected-vm", protection2(vm))).inputs)).outs;
    // Both p3's and t5's backup data deleted (soft-deleted), t5's a day later: p3 is purged first, t5 stays soft-deleted.
    await w.host.delete("protected-vm", String(outs.p3!.id), { ...outs.p3!, onDestroy: "deleteBackupData" });
    w.emulator.clock.advance(DAY);
    await w.host.delete("protected-vm", String(outs.t5!.id), { ...outs.t5!, onDestroy: "deleteBackupData" });
    expect(item("t5")!.deferredDeleteAt).toBeGreaterThan(item("p3")!.deferredDeleteAt! + DAY);
    // An up in a provider process of its own protects t5 again: the list's first page (p3, a4) 7.5 s before p3's
    // purge, the second (from offset 2) 7.5 s after it.
    fresh = await freshHost(w);
    w.emulator.clock.advance(item("p3")!.deferredDeleteAt! - w.emulator.clock.now() - 1.5 * STEP_MS);
    const mark = w.emulator.log.mark();
    await fresh.create("protected-vm", protection2("t5"));
    expect(w.emulator.log.list(mark).filter((e) => e.method === "GET" && /\/backupProtectedItems$/i.test(e.path)).length).toBeGreaterThanOrEqual(2);
    expect(item("p3")).toBeUndefined();
    expect(item("t5")).toMatchObject({ protectionState: expect.stringMatching(/Protected|IRPending/), policyName: "daily-2030" });
    expect(item("t5")!.deferredDeleteAt).toBeUndefined();
  });
});

/** Another provider host on the same emulator, configured as hostWorld configures its own. */
async function freshHost(w: HostWorld): Promise<Host> {
  const dir = mkdtempSync(join(tmpdir(), "avb-host-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, w.emulator.ca);
  const clean: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARM_|AZURE_)/.test(k)));
  const host = await Host.start(clean);
  await host.configure({
    "azure-vm-backup:endpoint": w.emulator.endpoint,
    "azure-vm-backup:caCertificateFile": caFile,
    "azure-native:subscriptionId": SUB,
    "azure-vm-backup:pollIntervalMs": "2",
    "azure-vm-backup:retryDelayMs": "10",
  });
  return host;
}
