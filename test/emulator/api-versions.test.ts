/**
 * API versions as ARM serves them (docs/azure-today.md, "API versions"): each resource type answers the versions it
 * registers, and refuses another before the resource provider sees the request, listing those it supports:
 * 400 NoRegisteredProviderFound for a type bound to a location (a vault and the types nested under it), 404
 * InvalidResourceType for a subscription-level type (features). The package's own clients send the current versions.
 */
import { request } from "node:https";
import { clientsFor, BACKUP_API_VERSION, RECOVERY_SERVICES_API_VERSION, resolveSettings } from "../../src/azure";
import { BACKUP_API, VAULT_API } from "../../src/emulator/api-versions";
import { createVault, SUB, VAULT_RG, world, type TestWorld } from "./harness";

function rawGet(w: TestWorld, path: string): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, w.emulator.endpoint);
    const headers = { authorization: "Bearer emulator-test-token" };
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: "GET", ca: w.emulator.ca, headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as { error: { code: string; message: string } } }));
    });
    req.on("error", reject);
    req.end();
  });
}

const VAULT = `/subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.RecoveryServices/vaults/rsv1`;

describe("api-versions, per resource type, as ARM serves them", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world();
    await createVault(w, "rsv1");
  });
  afterAll(async () => w.stop());

  it("refuses a bogus api-version on a vault with 400 NoRegisteredProviderFound, naming the vault's location and the supported versions", async () => {
    const res = await rawGet(w, `${VAULT}?api-version=2099-01-01`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("NoRegisteredProviderFound");
    expect(res.body.error.message).toBe(
      `No registered resource provider found for location 'westeurope' and API version '2099-01-01' for type 'vaults'. The supported api-versions are '${VAULT_API.versions.join(", ")}'.`,
    );
  });

  it("checks nested backup types against the backup API's versions, and serves older stable versions real clients send", async () => {
    const policies = await rawGet(w, `${VAULT}/backupPolicies?api-version=2027-01-01`);
    expect(policies.status).toBe(400);
    expect(policies.body.error.message).toContain("for type 'vaults/backupPolicies'");
    expect(policies.body.error.message).toContain(`The supported api-versions are '${BACKUP_API.versions.join(", ")}'`);
    expect((await rawGet(w, `${VAULT}/backupPolicies?api-version=2026-11-01-preview`)).status).toBe(400);
    for (const version of ["2019-05-13", "2023-06-01", "2025-01-01", "2025-08-01", "2026-11-01"]) {
      expect((await rawGet(w, `${VAULT}/backupPolicies?api-version=${version}`)).status).toBe(200);
    }
    for (const version of ["2016-06-01", "2024-04-01", "2025-08-01", "2026-07-01", "2026-11-01"]) {
      expect((await rawGet(w, `${VAULT}?api-version=${version}`)).status).toBe(200);
    }
  });

  it("refuses a bogus api-version on a subscription-level type with 404 InvalidResourceType", async () => {
    const res = await rawGet(
      w,
      `/subscriptions/${SUB}/providers/Microsoft.Features/providers/Microsoft.RecoveryServices/features/InstantBackupandRecovery?api-version=2099-01-01`,
    );
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      code: "InvalidResourceType",
      message:
        "The resource type 'features' could not be found in the namespace 'Microsoft.Features' for api version '2099-01-01'. The supported api-versions are '2015-12-01,2021-07-01,2025-03-01'.",
    });
  });

  it("serves operation status URLs at any api-version, as the service hands them out with its own", async () => {
    const res = await rawGet(w, `${VAULT}/operationStatus/00000000-0000-0000-0000-000000000000?api-version=2015-03-15`);
    expect(res.body.error?.code).not.toBe("NoRegisteredProviderFound");
  });

  it("the package's clients send the current versions: vaults and backup alike, polls included", async () => {
    const settings = resolveSettings(undefined, {
      AZURE_VM_BACKUP_ENDPOINT: w.emulator.endpoint,
      AZURE_VM_BACKUP_CREDENTIAL: "emulator",
      AZURE_SUBSCRIPTION_ID: SUB,
    } as NodeJS.ProcessEnv);
    const clients = clientsFor({ ...settings, ca: w.emulator.ca });
    const mark = w.emulator.log.mark();
    await clients.vaults.vaults.get(VAULT_RG, "rsv1");
    await clients.backup.backupResourceVaultConfigs.get("rsv1", VAULT_RG);
    const sent = w.emulator.log.list(mark).map((e) => ({ path: e.path, version: new URLSearchParams(e.query).get("api-version"), status: e.status }));
    expect(sent).toEqual([
      { path: VAULT, version: RECOVERY_SERVICES_API_VERSION, status: 200 },
      { path: `${VAULT}/backupconfig/vaultconfig`, version: BACKUP_API_VERSION, status: 200 },
    ]);
    expect(RECOVERY_SERVICES_API_VERSION >= "2025-08-01").toBe(true);
    expect(BACKUP_API_VERSION >= "2025-01-01").toBe(true);
  });
});
