/**
 * Backup's access to the Key Vault(s) of a VM encrypted with Azure Disk Encryption (ADE).
 *
 * ADE keeps each disk's BitLocker/dm-crypt key (the BEK) as a Key Vault secret, optionally wrapped by a Key Vault key
 * (the KEK). To back such a VM up, Azure Backup reads and backs up the secret (and the key) with its own identity, the
 * "Backup Management Service" (application id 262044b1-e2ce-469f-a196-69ab7ada62d3), so the vault must let it:
 * - a vault using access policies: a policy for the Backup Management Service with the portal's "Azure Backup"
 *   template, Get, List and Backup on secrets, and on keys when a KEK is used ("If your VM is encrypted using BEK
 *   only, remove the selection for Key permissions since you only need permissions for secrets"): DOCS.backupEncryptedVms,
 *   "Provide permissions"; the PowerShell and CLI instructions grant the same lists (DOCS.backupVmsAutomation);
 * - a vault using Azure RBAC (enableRbacAuthorization): the Key Vault Administrator role for the Backup Management
 *   Service (DOCS.backupEncryptedVms, "Back up ADE encrypted VMs with RBAC enabled key vaults").
 * Without it, protection is configured but every backup job fails with UserErrorKeyvaultPermissionsNotConfigured
 * (DOCS.backupVmsTroubleshoot). This module decides, from what was read of the vaults, what is missing.
 */
import { resourceNameOf } from "./arm-id";
import type { Diagnostic } from "./diagnostics";
import { RULES } from "./catalog";

/** The Backup Management Service's application id (the same in every Azure public cloud tenant). */
export const BACKUP_MANAGEMENT_SERVICE_APP_ID = "262044b1-e2ce-469f-a196-69ab7ada62d3";
/** The built-in Key Vault Administrator role (a role definition name that is the same in every tenant). */
export const KEY_VAULT_ADMINISTRATOR_ROLE_ID = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
export const KEY_VAULT_ADMINISTRATOR_ROLE_NAME = "Key Vault Administrator";
/** The access-policy permissions Backup needs (the "Azure Backup" template). */
export const BACKUP_KEY_VAULT_PERMISSIONS = ["get", "list", "backup"] as const;

/** A VM's Azure Disk Encryption, as the compute API shows it (the OS disk's encryptionSettings). */
export interface DiskEncryptionArgs {
  /** The BEK: a Key Vault secret. */
  secret: { keyVaultId: string; secretUrl: string };
  /** The KEK wrapping it, if any. */
  keyEncryptionKey?: { keyVaultId: string; keyUrl: string };
}

/** What Backup needs on one Key Vault: secrets always, keys when it holds the KEK. */
export interface KeyVaultNeed {
  keyVaultId: string;
  secrets: boolean;
  keys: boolean;
}

/** What was read of a Key Vault: its access model and what it grants the Backup Management Service. */
export type KeyVaultAccess =
  | {
      keyVaultId: string;
      readable: true;
      enableRbacAuthorization: boolean;
      /** Access-policy permissions of the Backup Management Service (empty lists: no policy). */
      secrets: string[];
      keys: string[];
      /** RBAC: whether it holds the Key Vault Administrator role on the vault or above. */
      administratorRole: boolean;
    }
  | { keyVaultId: string; readable: false; reason: "not-found" | "forbidden" | "failed"; detail: string };

/** The vaults a VM's encryption uses and what Backup needs on each. */
export function keyVaultNeeds(ade: DiskEncryptionArgs): KeyVaultNeed[] {
  const needs: KeyVaultNeed[] = [{ keyVaultId: ade.secret.keyVaultId, secrets: true, keys: false }];
  if (ade.keyEncryptionKey !== undefined) {
    const same = needs.find((n) => n.keyVaultId.toLowerCase() === ade.keyEncryptionKey!.keyVaultId.toLowerCase());
    if (same !== undefined) same.keys = true;
    else needs.push({ keyVaultId: ade.keyEncryptionKey.keyVaultId, secrets: false, keys: true });
  }
  return needs;
}

/** The permissions (`secrets: get, backup`) a readable vault still lacks for a need; [] when it has them all. */
export function missingPermissions(need: KeyVaultNeed, access: Extract<KeyVaultAccess, { readable: true }>): string[] {
  if (access.enableRbacAuthorization) return access.administratorRole ? [] : [`role ${KEY_VAULT_ADMINISTRATOR_ROLE_NAME}`];
  const lacking = (granted: readonly string[]) => {
    const have = new Set(granted.map((p) => p.toLowerCase()));
    return have.has("all") ? [] : BACKUP_KEY_VAULT_PERMISSIONS.filter((p) => !have.has(p));
  };
  const out: string[] = [];
  if (need.secrets && lacking(access.secrets).length > 0) out.push(`secrets: ${lacking(access.secrets).join(", ")}`);
  if (need.keys && lacking(access.keys).length > 0) out.push(`keys: ${lacking(access.keys).join(", ")}`);
  return out;
}

const vaultName = (id: string) => resourceNameOf(id) || id;

/** The manual fix, per access model (undefined: not known, both are named), in words a user can act on. */
function manualGrant(need: KeyVaultNeed, rbac: boolean | undefined, objectId: string | undefined): string {
  const who = `the Backup Management Service (application ${BACKUP_MANAGEMENT_SERVICE_APP_ID}${objectId === undefined ? "" : `, object id ${objectId}`})`;
  const lists = BACKUP_KEY_VAULT_PERMISSIONS.join("/");
  const policy = [need.secrets ? `secrets ${lists}` : "", need.keys ? `keys ${lists}` : ""].filter((s) => s !== "").join(" and ");
  const role = `assign the ${KEY_VAULT_ADMINISTRATOR_ROLE_NAME} role on Key Vault '${vaultName(need.keyVaultId)}' to ${who}`;
  const access = `add an access policy on Key Vault '${vaultName(need.keyVaultId)}' for ${who} with ${policy}`;
  return rbac === true ? role : rbac === false ? access : `${access} (a vault using Azure RBAC: ${role.replace(/ to the Backup.*$/, "")} to it instead)`;
}

function howToGrant(need: KeyVaultNeed, rbac: boolean, objectId: string | undefined): string {
  return `set keyVaultAccess: "grant" on this ProtectedVm to have the package do it before protecting the VM, or ${manualGrant(need, rbac, objectId)}.`;
}

export interface KeyVaultAccessInput {
  /** The VM in the user's words (its name). */
  vm: string;
  ade: DiskEncryptionArgs;
  /** What was read of each vault the encryption uses (by id; a vault left out was not read). */
  vaults: readonly KeyVaultAccess[];
  /** The user asked the package to grant the access (keyVaultAccess: "grant"). */
  grant: boolean;
  /** The Backup Management Service's object id in the tenant, when known (messages only). */
  objectId?: string;
  /** The input path of the option (`keyVaultAccess`). */
  path?: string;
}

/**
 * Diagnostics for an encrypted VM's Key Vault access: an error per vault that does not grant Backup what it needs
 * (unless the user asked for it to be granted: then info), and an error per vault that could not be read.
 */
export function checkKeyVaultAccess(input: KeyVaultAccessInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const path = input.path ?? "keyVaultAccess";
  const kind =
    input.ade.keyEncryptionKey === undefined
      ? "BEK only: the disk encryption key is a Key Vault secret"
      : "BEK and KEK: the secret is wrapped by a Key Vault key";
  for (const need of keyVaultNeeds(input.ade)) {
    const access = input.vaults.find((v) => v.keyVaultId.toLowerCase() === need.keyVaultId.toLowerCase());
    const name = vaultName(need.keyVaultId);
    if (access === undefined || !access.readable) {
      const why =
        access === undefined
          ? "it was not read"
          : access.reason === "not-found"
            ? "it does not exist (or the credential cannot see it)"
            : access.reason === "forbidden"
              ? "the credential this program runs with may not read it (Microsoft.KeyVault/vaults/read)"
              : `reading it failed: ${access.detail}`;
      out.push({
        code: "vm/key-vault-unreadable",
        severity: RULES["vm/key-vault-unreadable"].severity,
        path,
        message: `VM '${input.vm}' is encrypted with Azure Disk Encryption (${kind}) in Key Vault '${name}' (${need.keyVaultId}), but whether Azure Backup may read it cannot be checked: ${why}.`,
        remedy: `give the credential read access to Key Vault '${name}' (for example the Reader role on it), or make sure by hand that Backup can read it: ${manualGrant(need, undefined, input.objectId)}.`,
        source: RULES["vm/key-vault-unreadable"].source!,
      });
      continue;
    }
    const missing = missingPermissions(need, access);
    if (missing.length === 0) continue;
    const model = access.enableRbacAuthorization ? "Azure RBAC" : "access policies";
    if (input.grant) {
      out.push({
        code: "vm/key-vault-access-grant",
        severity: RULES["vm/key-vault-access-grant"].severity,
        path,
        message: `Azure Backup will be given ${missing.join("; ")} on Key Vault '${name}' (${model}) before VM '${input.vm}' is protected (${kind}); removing the ProtectedVm does not take it back.`,
        source: RULES["vm/key-vault-access-grant"].source!,
      });
      continue;
    }
    out.push({
      code: "vm/key-vault-access",
      severity: RULES["vm/key-vault-access"].severity,
      path,
      message: `VM '${input.vm}' is encrypted with Azure Disk Encryption (${kind}), and Key Vault '${name}' (${model}) does not give the Backup Management Service ${missing.join("; ")}: every backup of the VM would fail with UserErrorKeyvaultPermissionsNotConfigured.`,
      remedy: howToGrant(need, access.enableRbacAuthorization, input.objectId),
      source: RULES["vm/key-vault-access"].source!,
    });
  }
  return out;
}

/**
 * The diagnostic for an encrypted VM when the Backup Management Service's object id is not configured (and, when
 * `lookupFailure` says why, could not be looked up in Microsoft Graph either).
 */
export function backupServicePrincipalUnknown(vm: string, setting: string, path = "keyVaultAccess", lookupFailure?: string): Diagnostic {
  const why = lookupFailure === undefined ? "" : `, and looking it up in Microsoft Graph failed: ${lookupFailure}`;
  return {
    code: "vm/backup-service-principal",
    severity: RULES["vm/backup-service-principal"].severity,
    path,
    message: `VM '${vm}' is encrypted with Azure Disk Encryption; to check (or grant) Azure Backup's access to its Key Vault the package needs the object id of the Backup Management Service's service principal in your tenant, which differs per tenant, and ${setting} is not set${why}.`,
    remedy: `run \`az ad sp show --id ${BACKUP_MANAGEMENT_SERVICE_APP_ID} --query id -o tsv\` and set ${setting} to the id it prints.`,
    source: RULES["vm/backup-service-principal"].source!,
  };
}
