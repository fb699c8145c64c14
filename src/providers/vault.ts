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
  rehydrate,
  setImmutability,
  AzureOperationError,
  type VaultRef,
  type VaultState,
} from "../azure";
import {
  DEFAULT_VAULT_ON_DESTROY,
  IMMUTABILITY_STATES,
  normalizeVault,
  validateResourceGroupName,
  validateVault,
  validateVaultChange,
  validateVaultLifecycle,
  sameValue,
  UNKNOWN_SENTINEL,
  type ImmutabilityState,
  type Vault,
  type VaultArgs,
} from "../rules";
import { clients, failures, hasUnknown, lower, programFailures, ruleOptions, settings } from "./context";
import type { VaultInputs, VaultOutputs } from "./types";

const VAULT_FIELDS = ["name", "location", "subscriptionId", "redundancy", "crossRegionRestore", "softDelete", "immutability"] as const;

function vaultArgs(inputs: VaultInputs): VaultArgs {
  const args: Record<string, unknown> = {};
  for (const key of VAULT_FIELDS) if (inputs[key] !== undefined) args[key] = inputs[key];
  return args as unknown as VaultArgs;
}

function refOf(inputs: { subscriptionId?: string; resourceGroupName: string; name: string }): VaultRef {
  const c = clients(inputs.subscriptionId);
  return { subscriptionId: c.subscriptionId, resourceGroupName: inputs.resourceGroupName, vaultName: inputs.name };
}

function outputs(inputs: VaultInputs, vault: Vault, state: VaultState): VaultOutputs {
  return {
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
  };
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
    sameValue(vault.softDelete, state.softDelete)
  );
}

/** The immutability recorded in the stack's state (a string there). */
function immutabilityOf(value: string): ImmutabilityState {
  return IMMUTABILITY_STATES.find((state) => state.toLowerCase() === value.toLowerCase()) ?? "Disabled";
}

export const vaultProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: VaultInputs, news: VaultInputs): Promise<pulumi.dynamic.CheckResult> {
    const options = ruleOptions();
    const diagnostics = [
      ...validateVault(vaultArgs(news), options),
      ...(news.resourceGroupName === UNKNOWN_SENTINEL ? [] : validateResourceGroupName(news.resourceGroupName, "resourceGroupName", options)),
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
    const inputs: VaultInputs = {
      ...news,
      location: vault.location,
      redundancy: vault.redundancy,
      crossRegionRestore: vault.crossRegionRestore,
      softDelete: vault.softDelete,
      immutability: vault.immutability,
    };
    return { inputs, failures: [...failures(change), ...lifecycle] };
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
      !sameValue(vault.softDelete, olds.softDelete) ||
      !sameValue(news.tags ?? {}, olds.tags ?? {}) ||
      (news.onDestroy ?? DEFAULT_VAULT_ON_DESTROY) !== olds.onDestroy;
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
        return { id: existing.id, outs: outputs(inputs, vault, existing) };
      }
      if (existing.storageLocked && existing.location === vault.location) {
        throw new AzureOperationError(
          "Creating",
          `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`,
          "VaultExistsWithBackups",
          "a vault of this name already exists, holds backups and has other settings. What to do: import it (`pulumi import`) or choose another name.",
        );
      }
    }
    // A vault declared Locked is created Unlocked and locked in a second request; an interrupted create finds it Unlocked here and locks it.
    const state = await putVault(c, ref, vault, inputs.tags ?? {}, s.pollIntervalMs, existing?.immutability);
    return { id: state.id, outs: outputs(inputs, vault, state) };
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
    return { id: id === "" ? state.id : id, props: outputs({ ...props, tags: state.tags }, vault, state) };
  },

  async update(_id: string, olds: VaultOutputs, news: VaultInputs): Promise<pulumi.dynamic.UpdateResult> {
    const s = settings();
    const vault = canonical(news);
    const ref = { subscriptionId: olds.subscriptionId, resourceGroupName: olds.resourceGroupName, vaultName: olds.name };
    // Immutability first, a step at a time (Disabled -> Unlocked -> Locked), before the PATCH that may reset soft delete.
    await setImmutability(clients(olds.subscriptionId), ref, immutabilityOf(olds.immutability), vault.immutability, s.pollIntervalMs);
    const state = await patchVault(
      clients(olds.subscriptionId),
      ref,
      {
        ...(vault.redundancy !== olds.redundancy ? { redundancy: vault.redundancy } : {}),
        ...(vault.crossRegionRestore !== olds.crossRegionRestore ? { crossRegionRestore: vault.crossRegionRestore } : {}),
        ...(!sameValue(news.tags ?? {}, olds.tags) ? { tags: news.tags ?? {} } : {}),
      },
      sameValue(vault.softDelete, olds.softDelete) ? undefined : vault.softDelete,
      s.pollIntervalMs,
    );
    return { outs: outputs(news, vault, state) };
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
      if ((props.onDestroy ?? DEFAULT_VAULT_ON_DESTROY) !== "purge") return;
      await purge(ref, state);
    }
    await deleteVault(c, ref, s.pollIntervalMs);
  },
};

/** onDestroy "purge": turn soft delete off, undelete soft-deleted items, and delete every item's data. */
async function purge(ref: VaultRef, state: VaultState): Promise<void> {
  const s = settings();
  const c = clients(ref.subscriptionId);
  const where = `vault '${ref.vaultName}' (resource group ${ref.resourceGroupName})`;
  if (state.softDelete.state === "AlwaysOn") {
    throw new AzureOperationError(
      "Purging",
      where,
      "SoftDeleteAlwaysOn",
      `soft delete is AlwaysOn, so deleted backups stay for ${state.softDelete.retentionDays} days and the vault cannot be deleted before. What to do: keep the vault, or delete it after the retention has passed.`,
    );
  }
  if (state.immutability !== "Disabled") {
    throw new AzureOperationError(
      "Purging",
      where,
      "VaultImmutable",
      `immutability is ${state.immutability}: recovery points cannot be deleted before they expire. What to do: keep the vault (onDestroy "retain").`,
    );
  }
  if (state.softDelete.state !== "Disabled") {
    await patchVault(c, ref, {}, { state: "Disabled", retentionDays: state.softDelete.retentionDays }, s.pollIntervalMs);
  }
  for (const item of await listItems(c, ref)) {
    const names = itemNamesFor(item.vmId);
    if (item.softDeleted) await rehydrate(c, s, ref, names);
    await deleteBackupData(c, s, ref, names);
  }
}
