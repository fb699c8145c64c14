import {
  MAX_PRIVATE_ENDPOINTS_PER_VAULT,
  RULES,
  validatePrivateEndpoints,
  type PrivateEndpointArgs,
  type PrivateEndpointConnectionFact,
} from "../../src/rules";
import { errors, only, SUB } from "./helpers";

const peId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/${name}`;
const connection = (name: string, groupIds = ["AzureBackup"], status = "Approved"): PrivateEndpointConnectionFact => ({
  privateEndpointId: peId(name),
  groupIds,
  status,
});
const args = (extra: Partial<PrivateEndpointArgs> = {}): PrivateEndpointArgs => ({ vaultName: "rsv-private", ...extra });

describe("validatePrivateEndpoints", () => {
  it("accepts private endpoints on a new vault, or on one that never had items", () => {
    expect(validatePrivateEndpoints(args({ privateEndpoints: [{ name: "pe-backup" }] }))).toEqual([]);
    expect(
      validatePrivateEndpoints(
        args({ privateEndpoints: [{ name: "pe-backup" }], existing: { itemsRegistered: false, stateForBackup: "None", connections: [] } }),
      ),
    ).toEqual([]);
  });

  describe("a vault that has had items registered", () => {
    const registered = (connections: PrivateEndpointConnectionFact[] = []) => ({
      itemsRegistered: true,
      stateForBackup: connections.length > 0 ? "Enabled" : "None",
      connections,
    });

    it("refuses a private endpoint it does not have yet, naming BackupVault, the argument, the source and what to do", () => {
      const d = only(
        validatePrivateEndpoints(args({ privateEndpoints: [{ name: "pe-backup" }], existing: registered() })),
        "vault/private-endpoint-after-protection",
      );
      expect(d.severity).toBe("error");
      expect(d.path).toBe("privateEndpoints");
      expect(d.message).toMatch(/^BackupVault 'rsv-private' declares the private endpoint 'pe-backup' .*privateEndpointStateForBackup "None"/);
      expect(d.remedy).toMatch(/new vault/);
      expect(d.source).toMatch(/learn\.microsoft\.com\/azure\/backup\/backup-azure-private-endpoints-configure-manage/);
    });

    it("accepts the private endpoints it already has: by id, or as many resources as it holds connections", () => {
      expect(errors(validatePrivateEndpoints(args({ privateEndpoints: [{ id: peId("pe-1") }], existing: registered([connection("pe-1")]) })))).toEqual([]);
      expect(errors(validatePrivateEndpoints(args({ privateEndpoints: [{ name: "pe-1" }], existing: registered([connection("pe-1")]) })))).toEqual([]);
    });

    it("refuses one more than it holds, and an id it does not hold", () => {
      const more = validatePrivateEndpoints(args({ privateEndpoints: [{ name: "pe-1" }, { name: "pe-2" }], existing: registered([connection("pe-1")]) }));
      expect(only(more, "vault/private-endpoint-after-protection").message).toMatch(/'pe-2'/);
      const other = validatePrivateEndpoints(args({ privateEndpoints: [{ id: peId("pe-9") }], existing: registered([connection("pe-1")]) }));
      expect(only(other, "vault/private-endpoint-after-protection").message).toContain(peId("pe-9"));
    });

    it("does not count a secondary connection (cross-region restore) as a primary one, and allows a new secondary", () => {
      const secondaryHeld = registered([connection("pe-sec", ["AzureBackup_secondary"])]);
      expect(errors(validatePrivateEndpoints(args({ privateEndpoints: [{ name: "pe-1" }], existing: secondaryHeld })))).toEqual([
        "vault/private-endpoint-after-protection",
      ]);
      expect(errors(validatePrivateEndpoints(args({ privateEndpoints: [{ name: "pe-sec2", secondary: true }], existing: registered() })))).toEqual([]);
    });
  });

  it(`refuses more than ${MAX_PRIVATE_ENDPOINTS_PER_VAULT} private endpoints per vault, counting those it holds`, () => {
    const twelve = Array.from({ length: 12 }, (_, i) => ({ name: `pe-${i}` }));
    expect(errors(validatePrivateEndpoints(args({ privateEndpoints: twelve })))).toEqual([]);
    const d = only(validatePrivateEndpoints(args({ privateEndpoints: [...twelve, { name: "pe-12" }] })), "vault/private-endpoints-per-vault");
    expect(d.message).toMatch(/13 private endpoints .* at most 12/);
    expect(d.source).toMatch(/maximum of 12 private endpoints/);
    // Eleven declared by id plus two other connections the vault holds.
    const held = [connection("x-1"), connection("x-2")];
    const ids = Array.from({ length: 11 }, (_, i) => ({ id: peId(`pe-${i}`) }));
    expect(errors(validatePrivateEndpoints(args({ privateEndpoints: ids, existing: { itemsRegistered: false, connections: held } })))).toEqual([
      "vault/private-endpoints-per-vault",
    ]);
  });

  it("notes a connection waiting for the owner's approval", () => {
    const d = only(
      validatePrivateEndpoints(
        args({ privateEndpoints: [{ name: "pe" }], existing: { itemsRegistered: false, connections: [connection("pe", ["AzureBackup"], "Pending")] } }),
      ),
      "vault/private-endpoint-pending",
    );
    expect(d.severity).toBe("info");
    expect(d.remedy).toMatch(/Approve/);
  });

  it("notes public network access denied without a private endpoint: VM backup works, file recovery and workloads need one, added only before the first VM", () => {
    const d = only(validatePrivateEndpoints(args({ publicNetworkAccess: "Disabled" })), "vault/public-access-without-private-endpoint");
    expect(d.severity).toBe("info");
    expect(d.path).toBe("publicNetworkAccess");
    expect(d.message).toMatch(/Azure VM backup and the restore of disks do not need one.*file recovery.*once a VM is protected/);
    expect(validatePrivateEndpoints(args({ publicNetworkAccess: "Disabled", privateEndpoints: [{ name: "pe" }] }))).toEqual([]);
    expect(validatePrivateEndpoints(args({ publicNetworkAccess: "Enabled" }))).toEqual([]);
  });

  it("cites a public source for every rule", () => {
    for (const code of [
      "vault/private-endpoint-after-protection",
      "vault/private-endpoints-per-vault",
      "vault/private-endpoint-pending",
      "vault/public-access-without-private-endpoint",
    ] as const)
      expect(RULES[code].source).toMatch(/learn\.microsoft\.com/);
  });
});
