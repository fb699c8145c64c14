/**
 * Private endpoints of a Recovery Services vault for Azure Backup, and the order they impose on a program.
 *
 * What Azure documents (DOCS.privateEndpointsConfigure, DOCS.privateEndpointsConcept, DOCS.privateEndpointsV1):
 * - A private endpoint for Azure Backup (target sub-resource, i.e. group id, "AzureBackup") can be created only for a
 *   vault that has no item protected, and never had an item registered or attempted to be protected: "private
 *   endpoints must be created before you attempt to protect any items to the vault". So in a program, the vault's
 *   private endpoints come first, then its protected VMs; a vault that already holds (or held) items cannot get one.
 * - A secondary private endpoint ("AzureBackup_secondary", for cross-region restore) can be created before or after
 *   items are protected.
 * - At most 12 private endpoints per vault.
 * - Azure VM backup itself needs no private endpoint ("VM backup doesn't require you to allow access to any IPs or
 *   FQDNs ... it doesn't require private endpoints for backup and restore of disks"); file recovery from a vault with
 *   private endpoints is restricted to virtual networks that contain one; workload backups (SQL, SAP HANA in VMs) and
 *   the MARS agent use them. With public network access denied, data moves only to and from networks that contain a
 *   private endpoint of the vault.
 * - A private endpoint created by the vault's owner is approved at once; otherwise its connection waits, "Pending",
 *   until the owner approves it.
 *
 * The vault's state comes from the vault API (Azure/azure-rest-api-specs specification/recoveryservices/.../
 * 2026-07-01: read-only `privateEndpointConnections` with `groupIds` and `privateLinkServiceConnectionState.status`,
 * and `privateEndpointStateForBackup` "None" | "Enabled"), and whether items were ever registered from the backup
 * storage config (`storageTypeState` is "Locked" once a machine is registered: DOCS.armApi).
 */
import { sameArmId } from "./arm-id";
import { createContext, type RuleContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { joinPath } from "./diagnostics";

/** "you can create a maximum of 12 private endpoints for a vault" (DOCS.privateEndpointsConcept). */
export const MAX_PRIVATE_ENDPOINTS_PER_VAULT = 12;

/** The target sub-resource (group id) of a vault's private endpoint for Azure Backup, and the secondary one (cross-region restore). */
export const BACKUP_GROUP_ID = "AzureBackup";
export const BACKUP_SECONDARY_GROUP_ID = "AzureBackup_secondary";

/** A private endpoint the program declares for a vault: a resource of the program (by its name) or an existing one's ARM id. */
export interface DeclaredPrivateEndpoint {
  /** The program's name of the private endpoint resource. */
  name?: string;
  /** The ARM id of a private endpoint created elsewhere. */
  id?: string;
  /** A secondary private endpoint (group id AzureBackup_secondary): allowed after items are protected. */
  secondary?: boolean;
}

/** A private endpoint connection the vault holds (its `privateEndpointConnections`). */
export interface PrivateEndpointConnectionFact {
  /** The private endpoint's ARM id. */
  privateEndpointId: string;
  groupIds: string[];
  /** Approved, Pending, Rejected or Disconnected. */
  status: string;
}

/** What Azure holds for an existing vault. */
export interface VaultPrivateEndpointFacts {
  /** Whether items have ever been registered in the vault (storage type Locked). */
  itemsRegistered: boolean;
  /** `privateEndpointStateForBackup`: "None" or "Enabled". */
  stateForBackup?: string;
  connections: PrivateEndpointConnectionFact[];
}

export interface PrivateEndpointArgs {
  /** The vault's name, for messages. */
  vaultName: string;
  privateEndpoints?: readonly DeclaredPrivateEndpoint[];
  /** BackupVault `publicNetworkAccess`, when given. */
  publicNetworkAccess?: string;
  /** The vault as it exists in Azure; undefined for a vault still to be created. */
  existing?: VaultPrivateEndpointFacts;
}

const isBackupGroup = (c: PrivateEndpointConnectionFact, secondary: boolean) =>
  c.groupIds.some((g) => g.toLowerCase() === (secondary ? BACKUP_SECONDARY_GROUP_ID : BACKUP_GROUP_ID).toLowerCase());

const sameId = sameArmId;

const describe = (p: DeclaredPrivateEndpoint) => (p.name !== undefined ? `'${p.name}'` : `'${p.id ?? "?"}'`);

export function validatePrivateEndpoints(args: PrivateEndpointArgs, options?: RuleOptions): Diagnostic[] {
  const ctx = createContext(options);
  checkPrivateEndpoints(ctx, args);
  return ctx.diagnostics;
}

export function checkPrivateEndpoints(ctx: RuleContext, args: PrivateEndpointArgs, path = ""): void {
  const declared = args.privateEndpoints ?? [];
  const endpointsPath = joinPath(path, "privateEndpoints");
  const vault = `BackupVault '${args.vaultName}'`;
  const connections = args.existing?.connections ?? [];

  // (c) At most 12 per vault: those declared, and those the vault holds that the program does not name.
  const unnamed = connections.filter((c) => !declared.some((p) => p.id !== undefined && sameId(p.id, c.privateEndpointId)));
  const declaredResources = declared.filter((p) => p.id === undefined).length;
  // A declared resource may be one of the vault's connections already (its id is not known in a preview): count the larger.
  const total = declared.length - declaredResources + Math.max(declaredResources, unnamed.length);
  if (total > MAX_PRIVATE_ENDPOINTS_PER_VAULT) {
    ctx.report(
      "vault/private-endpoints-per-vault",
      endpointsPath,
      `${vault} would have ${total} private endpoints (${declared.length} declared${connections.length > 0 ? `, ${connections.length} in Azure` : ""}); a vault takes at most ${MAX_PRIVATE_ENDPOINTS_PER_VAULT}.`,
      {
        remedy: `Declare at most ${MAX_PRIVATE_ENDPOINTS_PER_VAULT} private endpoints for the vault; one virtual network can hold private endpoints of several vaults.`,
      },
    );
  }

  // (a) Private endpoints before the first protected VM: a vault that has had items refuses a new one.
  if (args.existing?.itemsRegistered === true) {
    // Only primary ones: a secondary private endpoint may be created after items are protected.
    const mine = declared.filter((p) => p.secondary !== true);
    const held = connections.filter((c) => isBackupGroup(c, false));
    const byId = mine.filter((p) => p.id !== undefined && !held.some((c) => sameId(c.privateEndpointId, p.id!)));
    // A declared resource's id is not known in a preview: the vault's connections no declared id names may be theirs.
    const free = held.filter((c) => !mine.some((p) => p.id !== undefined && sameId(p.id, c.privateEndpointId))).length;
    const missing = [...byId, ...mine.filter((p) => p.id === undefined).slice(free)];
    if (missing.length > 0) {
      const state = args.existing.stateForBackup === undefined ? "" : ` (privateEndpointStateForBackup "${args.existing.stateForBackup}")`;
      ctx.report(
        "vault/private-endpoint-after-protection",
        endpointsPath,
        `${vault} declares the private endpoint${missing.length > 1 ? "s" : ""} ${missing.map(describe).join(", ")} for Azure Backup, which the vault does not have yet${state}, ` +
          `but items have already been registered or protected in this vault. Azure creates private endpoints for Azure Backup only in a vault that never had an item registered or protected, so creating ${missing.length > 1 ? "them" : "it"} would fail.`,
        {
          remedy:
            "Create a new vault (another vaultName) for private endpoints: declare its private endpoints (addPrivateEndpoint) and protect the VMs in it afterwards, as ProtectedVm resources of that vault do. " +
            "Or remove the private endpoint from this vault: Azure VM backup itself does not need one.",
        },
      );
    }
  }

  // Connections waiting for approval (created by someone who does not own the vault).
  for (const c of connections) {
    if (c.status.toLowerCase() !== "pending") continue;
    ctx.report(
      "vault/private-endpoint-pending",
      endpointsPath,
      `The private endpoint connection of ${c.privateEndpointId} to ${vault} waits for approval: it is used only once the vault's owner approves it.`,
      {
        remedy:
          "Approve it on the vault (Private endpoint connections > Approve), or create the private endpoint as an owner of the vault, which approves it at once.",
      },
    );
  }

  // (b) Public network access denied and no private endpoint.
  if (args.publicNetworkAccess?.toLowerCase() === "disabled" && declared.length === 0 && connections.length === 0) {
    ctx.report(
      "vault/public-access-without-private-endpoint",
      joinPath(path, "publicNetworkAccess"),
      `${vault} denies public network access and has no private endpoint. Azure VM backup and the restore of disks do not need one, ` +
        "but file recovery, and the backup of SQL Server or SAP HANA in VMs or with the MARS agent, then work only from networks that hold a private endpoint of the vault; " +
        "and once a VM is protected in this vault, no private endpoint can be added to it.",
      { remedy: "If the vault will ever need a private endpoint, declare it now (addPrivateEndpoint), before the first VM is protected." },
    );
  }
}
