import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import { ComputeManagementClient } from "@azure/arm-compute";
import { credential, SUB, VAULT_RG, vmFixture } from "./harness";

const ROOT = join(__dirname, "../..");

/** Starts `azure-vm-backup emulator` and resolves once it prints its endpoint and CA path. */
function start(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; endpoint: string; caPath: string; out: () => string }> {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "src/cli/main.ts"), "emulator", ...args], { cwd: ROOT });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const endpoint = /listening on (https:\/\/\S+)/.exec(out)?.[1];
      const caPath = /CA certificate: (\S+)/.exec(out)?.[1];
      if (endpoint !== undefined && caPath !== undefined && out.includes("Press Ctrl+C")) resolve({ child, endpoint, caPath, out: () => out });
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => reject(new Error(`emulator exited (${code}): ${out}`)));
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("azure-vm-backup emulator", () => {
  it("prints its endpoint and CA, serves the SDKs, and resumes its state in the next run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-emu-"));
    const state = join(dir, "state.json");
    const vms = join(dir, "vms.json");
    writeFileSync(vms, JSON.stringify([vmFixture("vm1")]));

    const first = await start(["--state", state, "--vms", vms]);
    expect(first.out()).toContain("VMs served: 1");
    expect(first.caPath).toBe(join(dir, "emulator-ca.pem"));
    const ca = readFileSync(first.caPath, "utf8");
    const client = new RecoveryServicesClient(credential, SUB, { endpoint: first.endpoint, tlsOptions: { ca } });
    await client.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv-persisted", { location: "westeurope", sku: { name: "Standard" } }, { updateIntervalInMs: 1 });
    const vm = await new ComputeManagementClient(credential, SUB, { endpoint: first.endpoint, tlsOptions: { ca } }).virtualMachines.get("rg-app", "vm1");
    expect(vm.storageProfile?.dataDisks?.[0]?.diskSizeGB).toBe(128);
    expect(await stop(first.child)).toBe(0);
    expect(existsSync(state)).toBe(true);

    const second = await start(["--state", state]);
    try {
      expect(second.out()).toContain("(1 vaults)");
      const again = new RecoveryServicesClient(credential, SUB, { endpoint: second.endpoint, tlsOptions: { ca: readFileSync(second.caPath, "utf8") } });
      expect((await again.vaults.get(VAULT_RG, "rsv-persisted")).properties?.provisioningState).toBe("Succeeded");
    } finally {
      await stop(second.child);
    }
  }, 20000);

  it("takes Azure Policy assignments that deny vaults from a file (--guardrails)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avb-emu-"));
    const guardrails = join(dir, "guardrails.json");
    writeFileSync(guardrails, JSON.stringify([{ name: "deny-rsv-public-network", definition: "publicNetworkAccess", effect: "Deny" }]));
    const run = await start(["--guardrails", guardrails]);
    try {
      expect(run.out()).toContain("Azure Policy assignments guarding vaults: deny-rsv-public-network");
      const client = new RecoveryServicesClient(credential, SUB, { endpoint: run.endpoint, tlsOptions: { ca: readFileSync(run.caPath, "utf8") } });
      await expect(
        client.vaults.beginCreateOrUpdateAndWait(VAULT_RG, "rsv-open", { location: "westeurope", sku: { name: "Standard" } }, { updateIntervalInMs: 1 }),
      ).rejects.toMatchObject({ statusCode: 403, code: "RequestDisallowedByPolicy" });
    } finally {
      await stop(run.child);
    }
  }, 20000);

  it("reports a missing VM file in one line and exits 2", async () => {
    await expect(start(["--vms", "/nonexistent/vms.json"])).rejects.toThrow(/exited \(2\): azure-vm-backup: .*nonexistent\/vms\.json/);
  }, 10000);
});
