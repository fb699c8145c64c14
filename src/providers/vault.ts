/**
 * The vault resource: a Recovery Services vault with its storage redundancy, cross-region restore, soft
 * delete and immutability. `check` runs the vault rules and, for a vault that exists, the rules about
 * changing it (redundancy locked once VMs are protected, ...). Destroy never deletes backup data unless
 * `onDestroy` is "purge".
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  deleteBackupData,
  deleteVault,
  getVault,
  itemNamesFor,
  listItems,
  lookups,
  itemsKey,
  patchVault,
  putVault,
  setImmutability,
  AzureOperationError,
  type ItemState,
  type VaultRef,
  type VaultState,
} from "../azure";
import {
  DEFAULT_VAULT_ON_DESTROY,
  IMMUTABILITY_STATES,
  normalizeVault,
  parseVmId,
  validateResourceGroupName,
  validateVault,
  validateVaultChange,
  validateVaultLifecycle,
  validateResourceGuard,
  validateVaultSettingsChange,
  vaultSettingsDifferences,
  sameValue,
  softDeleteSatisfies,
  UNKNOWN_SENTINEL,
  type ImmutabilityState,
  type Vault,
  type VaultArgs,
  VAULT_KEYS,
} from "../rules";
import { clients, failures, hasUnknown, lower, programFailures, ruleOptions, settings } from "./context";
import { createVaultGuard, guardNeedsUpdate, readVaultGuard, updateVaultGuard, vaultGuardNotes, type GuardOutputs } from "./resource-guard";
import { privateEndpointFailures } from "./private-endpoints";
import type { VaultInputs, VaultOutputs } from "./types";
import { explainPolicyDenial, vaultPolicyFailures, vaultStage } from "./vault-guardrails";
import { givenSettings, plannedPatch } from "./vault-patch";
import { SETTINGS_FIELDS, settingsOutputs, settingsInState } from "./vault-settings";

function vaultArgs(inputs: VaultInputs): VaultArgs {
  const args: Record<string, unknown> = {};
  for (const key of VAULT_KEYS) if (inputs[key] !== undefined) args[key] = inputs[key];
  return args as unknown as VaultArgs;
}

function refOf(inputs: { subscriptionId?: string; resourceGroupName: string; name: string }): VaultRef {
  const c = clients(inputs.subscriptionId);
  return { subscriptionId: c.subscriptionId, resourceGroupName: inputs.resourceGroupName, vaultName: inputs.name };
}

function outputs(inputs: VaultInputs, vault: Vault, state: VaultState, guard: GuardOutputs = {}): VaultOutputs {
  return {
    ...guard,
    id: state.id,
    subscriptionId: state.subscriptionId,
    resourceGroupName: inputs.resourceGroupName,
    name: inputs.name,
    location: vault.location,
    redundancy: state.redundancy,
    crossRegionRestore: state.crossRegionRestore,
    softDelete: { state: state.softDelete.state, retentionDays: state.softDelete.retentionDays },
    immutability: state.immutability,
    tags: inputs.tags ?? {},
    onDestroy: inputs.onDestroy ?? DEFAULT_VAULT_ON_DESTROY,
    storageLocked: state.storageLocked,
    ...settingsOutputs(state.settings),
    ...(inputs.ownedVmIds === undefined ? {} : { ownedVmIds: inputs.ownedVmIds }),
  };
}

/** The owned VM ids in one spelling, to compare lists. */
function ownedKey(ids: readonly string[] | undefined): string {
  return (ids ?? []).map(lower).sort().join("|");
}

function canonical(inputs: VaultInputs): Vault {
  const { vault, diagnostics } = normalizeVault(vaultArgs(inputs), ruleOptions());
  if (vault === undefined) {
    throw new Error(
      `The vault's inputs are not valid: ${diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.message)
        .join(" ")}`,
    );
  }
  return vault;
}

/** The settings of a vault as Azure reports them, in canonical form. */
function sameSettings(vault: Vault, state: VaultState): boolean {
  return (
    vault.location === state.location &&
    vault.redundancy === state.redundancy &&
    vault.crossRegionRestore === state.crossRegionRestore &&
    vault.immutability === state.immutability &&
    softDeleteSatisfies(vault.softDelete, state.softDelete) &&
    vaultSettingsDifferences(vault, state.settings).length === 0
  );
}

/** The immutability recorded in the stack's state (a string there). */
function immutabilityOf(value: string): ImmutabilityState {
  return IMMUTABILITY_STATES.find((state) => state.toLowerCase() === value.toLowerCase()) ?? "Disabled";
}

export const vaultProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: VaultInputs, news: VaultInputs): Promise<pulumi.dynamic.CheckResult> {
    const options = ruleOptions();
    const diagnostics = [
      ...validateVault(vaultArgs(news), options),
      ...(news.resourceGroupName === UNKNOWN_SENTINEL ? [] : validateResourceGroupName(news.resourceGroupName, "resourceGroupName", options)),
      ...validateResourceGuard(news.resourceGuard, news.name, options),
    ];
    // onDestroy judges nothing the checks below need: it never stops them, and is reported with every other
    // failure of this check.
    const lifecycle = failures(
      validateVaultLifecycle(
        {
          name: news.name,
          onDestroy: news.onDestroy,
          ...(news.softDelete === undefined ? {} : { softDelete: news.softDelete }),
          ...(news.immutability === undefined ? {} : { immutability: news.immutability }),
          ...(news.ownedVmIds === undefined || hasUnknown(news.ownedVmIds) ? {} : { ownedVmIds: news.ownedVmIds }),
        },
        options,
      ),
    );
    const program = programFailures(news.programChecks);
    const errors = failures(diagnostics);
    if (
      errors.length > 0 ||
      program.length > 0 ||
      hasUnknown([
        news.name,
        news.resourceGroupName,
        news.subscriptionId,
        news.location,
        news.redundancy,
        news.crossRegionRestore,
        news.softDelete,
        news.immutability,
        news.resourceGuard,
        ...SETTINGS_FIELDS.map((key) => news[key]),
      ])
    ) {
      return { inputs: news, failures: [...errors, ...lifecycle, ...program] };
    }
    const vault = canonical(news);
    // A vault that exists: would Azure accept the change?
    const current = await getVault(clients(news.subscriptionId), refOf(news));
    const change =
      current === undefined
        ? []
        : validateVaultChange(
            {
              location: current.location,
              redundancy: current.redundancy,
              crossRegionRestore: current.crossRegionRestore,
              immutability: current.immutability,
              softDeleteState: current.softDelete.state,
              storageLocked: current.storageLocked,
            },
            {
              location: vault.location,
              redundancy: vault.redundancy,
              crossRegionRestore: vault.crossRegionRestore,
              immutability: vault.immutability,
              softDeleteState: vault.softDelete.state,
            },
            options,
          );
    // Multi-user authorization: which planned changes the vault's guard will ask approval for.
    const guard = { desired: news.resourceGuard, declaredBefore: olds?.resourceGuard };
    await vaultGuardNotes(clients(news.subscriptionId), refOf(news), vault, current, guard, news.onDestroy, options);
    // Settings Azure refuses to change on a vault that exists (a CMK removed, added to a vault with items, ...).
    const settingsChange =
      current === undefined
        ? []
        : validateVaultSettingsChange(
            {
              name: news.name,
              identity: current.settings.identity,
              ...(current.settings.encryption === undefined ? {} : { encryption: current.settings.encryption }),
              crossSubscriptionRestore: current.settings.crossSubscriptionRestore,
              storageLocked: current.storageLocked,
            },
            givenSettings(vault),
            { encryption: olds?.encryption },
            options,
          );
    const inputs: VaultInputs = {
      ...news,
      location: vault.location,
      redundancy: vault.redundancy,
      crossRegionRestore: vault.crossRegionRestore,
      softDelete: vault.softDelete,
      immutability: vault.immutability,
      ...givenSettings(vault),
    };
    const endpoints = await privateEndpointFailures(news, refOf(news), current !== undefined, options);
    // Azure Policy: would a Deny assignment refuse the request this vault needs (none when nothing changes)?
    const tags = news.tags === undefined || hasUnknown(news.tags) ? (current?.tags ?? {}) : news.tags;
    const denied =
      current !== undefined && sameSettings(vault, current) && sameValue(tags, current.tags)
        ? []
        : await vaultPolicyFailures(clients(news.subscriptionId), refOf(news), vault, tags, current, options);
    return { inputs, failures: [...failures(change), ...failures(settingsChange), ...endpoints, ...denied, ...lifecycle] };
  },

  async diff(_id: string, olds: VaultOutputs, news: VaultInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (news.subscriptionId !== undefined && lower(news.subscriptionId) !== lower(olds.subscriptionId)) replaces.push("subscriptionId");
    if (lower(news.resourceGroupName) !== lower(olds.resourceGroupName)) replaces.push("resourceGroupName");
    if (lower(news.name) !== lower(olds.name)) replaces.push("name");
    if (lower(news.location).replace(/\s+/g, "") !== lower(olds.location)) replaces.push("location");
    const vault = hasUnknown(news) ? undefined : canonical(news);
    const updates =
      vault === undefined ||
      vault.redundancy !== olds.redundancy ||
      vault.crossRegionRestore !== olds.crossRegionRestore ||
      vault.immutability !== olds.immutability ||
      // Azure may hold a stronger soft delete than asked (AlwaysON where Enabled was asked): no drift.
      !softDeleteSatisfies(vault.softDelete, olds.softDelete as Vault["softDelete"]) ||
      // Only the settings given are compared with Azure's (a setting left out keeps Azure's value: no drift).
      vaultSettingsDifferences(vault, settingsInState(olds)).length > 0 ||
      !sameValue(news.tags ?? {}, olds.tags ?? {}) ||
      (news.onDestroy ?? DEFAULT_VAULT_ON_DESTROY) !== olds.onDestroy ||
      guardNeedsUpdate(news.resourceGuard, olds) ||
      (news.ownedVmIds !== undefined && ownedKey(news.ownedVmIds) !== ownedKey(olds.ownedVmIds));
    return { changes: replaces.length > 0 || updates, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: VaultInputs): Promise<pulumi.dynamic.CreateResult> {
    const s = settings();
    const c = clients(inputs.subscriptionId);
    const ref = refOf(inputs);
    const vault = canonical(inputs);
    const existing = await getVault(c, ref);
    if (existing !== undefined) {
      // Adopt an identical vault; converge an empty one; never take over a vault that holds backups.
      if (sameSettings(vault, existing) && existing.provisioningState === "Succeeded") {
        return { id: existing.id, outs: outputs(inputs, vault, existing, await createVaultGuard(c, ref, inputs.resourceGuard)) };
      }
      if (existing.storageLocked && existing.location === vault.location) {
        throw new AzureOperationError(
          "Creating",
          `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`,
          "VaultExistsWithBackups",
          "a vault of this name already exists, holds backups and has other settings. What to do: import it (`pulumi import`) or choose another name.",
        );
      }
      if (existing.location === vault.location && existing.provisioningState === "Succeeded") {
        // Converge an empty vault with PATCHes, as update() does: a PUT would replace its properties, and drop the settings
        // the program does not declare (public network access back to Enabled, the identity, ...).
        const state = await convergeVault(ref, vault, inputs.tags ?? {}, existing);
        return { id: state.id, outs: outputs(inputs, vault, state, await createVaultGuard(c, ref, inputs.resourceGuard)) };
      }
    }
    // A vault declared Locked is created Unlocked and locked in a second request; an interrupted create finds it Unlocked here and locks it.
    // A 403 RequestDisallowedByPolicy says which argument to change (vault-guardrails.ts). A vault whose creation failed is
    // PUT again with the settings it holds that the program does not declare (armBody).
    const state = await putVault(c, ref, vault, inputs.tags ?? {}, s.pollIntervalMs, existing?.immutability, existing?.settings).catch((error: unknown) => {
      throw explainPolicyDenial(error, ref.vaultName, vaultStage(existing), ruleOptions(s));
    });
    return { id: state.id, outs: outputs(inputs, vault, state, await createVaultGuard(c, ref, inputs.resourceGuard)) };
  },

  async read(id: string, props: VaultOutputs): Promise<pulumi.dynamic.ReadResult> {
    const state = await getVault(clients(props.subscriptionId), {
      subscriptionId: props.subscriptionId,
      resourceGroupName: props.resourceGroupName,
      vaultName: props.name,
    });
    if (state === undefined) return { id: "", props: {} };
    const vault: Vault = {
      name: props.name,
      location: state.location,
      subscriptionId: state.subscriptionId,
      redundancy: state.redundancy,
      crossRegionRestore: state.crossRegionRestore,
      softDelete: state.softDelete,
      immutability: state.immutability,
    };
    // An empty id reads a create that was interrupted before its id was recorded (Pulumi's pending create): by name.
    const ref = { subscriptionId: props.subscriptionId, resourceGroupName: props.resourceGroupName, vaultName: props.name };
    const guard = await readVaultGuard(clients(props.subscriptionId), ref, props.resourceGuardDeclared);
    return { id: id === "" ? state.id : id, props: outputs({ ...props, tags: state.tags }, vault, state, guard) };
  },

  async update(_id: string, olds: VaultOutputs, news: VaultInputs): Promise<pulumi.dynamic.UpdateResult> {
    const s = settings();
    const vault = canonical(news);
    const ref = { subscriptionId: olds.subscriptionId, resourceGroupName: olds.resourceGroupName, vaultName: olds.name };
    const explain = (error: unknown): never => {
      throw explainPolicyDenial(error, ref.vaultName, vaultStage(olds), ruleOptions(s));
    };
    // Immutability first, a step at a time (Disabled -> Unlocked -> Locked), before the PATCH that may reset soft delete.
    await setImmutability(clients(olds.subscriptionId), ref, immutabilityOf(olds.immutability), vault.immutability, s.pollIntervalMs).catch(explain);
    const state = await patchVault(
      clients(olds.subscriptionId),
      ref,
      plannedPatch(vault, news.tags ?? {}, { ...olds, settings: settingsInState(olds) }),
      softDeleteSatisfies(vault.softDelete, olds.softDelete as Vault["softDelete"]) ? undefined : vault.softDelete,
      s.pollIntervalMs,
    ).catch(explain);
    // The guard last: added or replaced when given; removed (a critical operation) only when declared before and no longer given.
    const guard = await updateVaultGuard(clients(olds.subscriptionId), ref, news.resourceGuard, olds);
    return { outs: outputs(news, vault, state, guard) };
  },

  async delete(_id: string, props: VaultOutputs): Promise<void> {
    const s = settings();
    const c = clients(props.subscriptionId);
    const ref: VaultRef = { subscriptionId: props.subscriptionId, resourceGroupName: props.resourceGroupName, vaultName: props.name };
    const state = await getVault(c, ref);
    if (state === undefined) return;
    lookups.forget(itemsKey(ref));
    const items = await listItems(c, ref);
    if (items.length > 0) {
      // "retain" (the default) never deletes backup data: a vault holding backups stays in Azure, with
      // them, and only leaves the stack. An empty vault is deleted.
      if ((props.onDestroy ?? DEFAULT_VAULT_ON_DESTROY) !== "purge") {
        tell(`${where(ref)} stays in Azure and leaves the stack: onDestroy is "retain" and it holds the backups of ${items.map(describeItem).join(", ")}.`);
        return;
      }
      if (!(await purge(ref, state, props.ownedVmIds ?? []))) return;
    }
    await deleteOrLeave(ref, s.pollIntervalMs);
  },
};

/**
 * Takes a vault that exists, where no VM is protected, to the declared one with the requests update() sends:
 * immutability a step at a time, then one PATCH of what differs, then soft delete. Settings the program does not
 * declare stay as Azure holds them.
 */
async function convergeVault(ref: VaultRef, vault: Vault, tags: Record<string, string>, existing: VaultState): Promise<VaultState> {
  const s = settings();
  const c = clients(ref.subscriptionId);
  const explain = (error: unknown): never => {
    throw explainPolicyDenial(error, ref.vaultName, vaultStage(existing), ruleOptions(s));
  };
  await setImmutability(c, ref, existing.immutability, vault.immutability, s.pollIntervalMs).catch(explain);
  const softDelete = softDeleteSatisfies(vault.softDelete, existing.softDelete) ? undefined : vault.softDelete;
  return patchVault(c, ref, plannedPatch(vault, tags, existing), softDelete, s.pollIntervalMs).catch(explain);
}

const where = (ref: VaultRef) => `Vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`;

/** What the destroy has to say that is no error: printed where Pulumi shows a provider's output. */
function tell(message: string): void {
  console.warn(`warning: azure-vm-backup: ${message}`);
}

/** The VM's name, from the VM id the item backs up (src/rules/arm-id.ts). */
function vmNameOf(item: ItemState): string {
  return parseVmId(item.vmId)?.name ?? item.vmId;
}

function describeItem(item: ItemState): string {
  const name = `VM '${vmNameOf(item)}'`;
  if (!item.softDeleted) return `${name} (${item.protectionState === "ProtectionStopped" ? "protection stopped, data kept" : "protected"})`;
  return `${name} (soft-deleted${item.purgeAt === undefined ? "" : `, recoverable until ${item.purgeAt}`})`;
}

/**
 * onDestroy "purge": deletes the backup data of the VMs this stack declared in the vault (its ProtectedVm
 * resources, destroyed before the vault: those kept with "stopProtectionRetainData" left their data here).
 * Never switches soft delete off (Azure enforces it: https://learn.microsoft.com/azure/backup/secure-by-default),
 * so the deleted data stays soft-deleted, recoverable, for the vault's retention days. Never touches the
 * items of other VMs: they keep the vault in Azure. Says whether the vault can now be deleted.
 */
async function purge(ref: VaultRef, state: VaultState, ownedVmIds: readonly string[]): Promise<boolean> {
  const s = settings();
  const c = clients(ref.subscriptionId);
  if (state.immutability !== "Disabled") {
    throw new AzureOperationError(
      "Purging",
      `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`,
      "VaultImmutable",
      `immutability is ${state.immutability}: recovery points cannot be deleted before they expire. What to do: keep the vault (onDestroy "retain").`,
    );
  }
  const owned = new Set(ownedVmIds.map(lower));
  const items = await listItems(c, ref);
  const foreign = items.filter((i) => !owned.has(lower(i.vmId)));
  const deleted: ItemState[] = [];
  for (const item of items) {
    // Soft-deleted items of owned VMs stay as they are: undeleting them to delete again would only restart their retention.
    if (!owned.has(lower(item.vmId)) || item.softDeleted) continue;
    await deleteBackupData(c, s, ref, itemNamesFor(item.vmId));
    deleted.push(item);
  }
  const days = state.softDelete.retentionDays;
  const done =
    deleted.length === 0
      ? ""
      : `The backup data of ${deleted.map((i) => `VM '${vmNameOf(i)}'`).join(", ")} was deleted; it stays soft-deleted, and can be undeleted, for ${days} days. `;
  if (foreign.length > 0) {
    tell(
      `${where(ref)} stays in Azure and leaves the stack: it holds the backups of VMs this stack does not protect, which a purge never deletes: ${foreign.map(describeItem).join(", ")}. ` +
        `${done}Delete the vault yourself once those backups are no longer needed.`,
    );
    return false;
  }
  if (done !== "") tell(done.trim());
  return true;
}

/**
 * Deletes the vault. A vault holding only soft-deleted items is soft-deleted itself where Azure enforces soft delete
 * (secure by default, GA: every API version; https://learn.microsoft.com/azure/backup/secure-by-default); Recovery
 * Services API 2025-08-01 is reported as needed for it (hashicorp/pandora#5021). Where Azure still refuses
 * (ServiceResourceNotEmptyWithBackendMessage), the vault stays in Azure, leaves the stack, and the destroy says when
 * it can go: once its soft-deleted items are purged at the end of their retention.
 */
async function deleteOrLeave(ref: VaultRef, pollIntervalMs: number): Promise<void> {
  const c = clients(ref.subscriptionId);
  try {
    await deleteVault(c, ref, pollIntervalMs);
  } catch (error) {
    if (!(error instanceof AzureOperationError) || error.code !== "ServiceResourceNotEmptyWithBackendMessage") throw error;
    lookups.forget(itemsKey(ref));
    const left = await listItems(c, ref);
    const until = left
      .map((i) => i.purgeAt)
      .filter((t): t is string => t !== undefined)
      .sort()
      .pop();
    tell(
      `${where(ref)} stays in Azure and leaves the stack: Azure refuses to delete it while it holds soft-deleted backups (${left.map(describeItem).join(", ")}). ` +
        `It can be deleted ${until === undefined ? "once their soft-delete retention has passed" : `after ${until}, when their soft-delete retention ends`}.`,
    );
  }
}
