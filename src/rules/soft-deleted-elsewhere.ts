/**
 * A VM whose backup item is soft-deleted in another vault. Azure keeps the item, and the VM with it, in that
 * vault until soft delete's retention has passed: it cannot be force-deleted, and protecting the VM in a new
 * vault before then needs Microsoft support (DOCS.softDeleteFaq); the VM is not offered for protection
 * elsewhere meanwhile (DOCS.selfHelpConfigureProtection). Stopping its protection there, the usual advice for
 * a VM protected in another vault, does not apply: it is already stopped.
 */
import { createContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";

export interface SoftDeletedElsewhere {
  /** The VM's name, for the message. */
  vmName: string;
  /** ARM id of the vault that holds the soft-deleted item. */
  vaultId: string;
  /** That vault's name and resource group, when its id could be read. */
  vaultName?: string;
  resourceGroupName?: string;
  /** When Azure deletes the item for good (ISO date-time), when Azure said. */
  purgeAt?: string;
  /** The vault the program wants to protect the VM in. */
  wantedVault: string;
}

/** The diagnostic for a VM soft-deleted in another vault, at `path` (the VM's id in the plan). */
export function checkSoftDeletedElsewhere(found: SoftDeletedElsewhere, path: string, options: RuleOptions = {}): Diagnostic[] {
  const ctx = createContext(options);
  const there = found.vaultName === undefined ? `'${found.vaultId}'` : `'${found.vaultName}' of resource group '${found.resourceGroupName ?? "?"}'`;
  const purge = found.purgeAt === undefined ? undefined : found.purgeAt.slice(0, 10);
  const when = purge === undefined ? "when its soft-delete retention has passed (14 days or the vault's longer setting after the deletion)" : `on ${purge}`;
  ctx.report(
    "plan/vm-soft-deleted-in-other-vault",
    path,
    `VM '${found.vmName}' has soft-deleted backups in vault ${there} (${found.vaultId}); Azure keeps the VM with that vault until they are purged ${when}, and will not protect it in vault '${found.wantedVault}' before then.`,
    {
      remedy:
        `Either protect it with vault ${there}: undelete its backup item there (it returns to "protection stopped, data retained") and resume protection with a policy of that vault; ` +
        `or keep it out of this program until ${purge ?? "the purge"}, then deploy; to move it to '${found.wantedVault}' sooner, Microsoft asks you to contact its support.`,
    },
  );
  return ctx.diagnostics.filter((d) => d.code === "plan/vm-soft-deleted-in-other-vault");
}
