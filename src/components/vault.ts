/**
 * BackupVault: a Recovery Services vault for VM backups ("the vault must be in the same region as the
 * virtual machines", https://github.com/MicrosoftDocs/azure-docs/blob/5d08d1b2583bb8772866585ea6306c2cb9caf59c/articles/backup-azure-vms-introduction.md), with its storage redundancy, cross-region restore, soft delete and
 * immutability. Destroy keeps backup data unless `onDestroy` is "purge".
 */
import * as pulumi from "@pulumi/pulumi";
import type { VaultOutputs } from "../providers/types";
import { validateVault, validateVaultLifecycle, type ImmutabilityState, type Redundancy, type SoftDeleteState, type VaultOnDestroy } from "../rules";
import { checkArguments } from "./arguments";
import { BackupResource, childOptions } from "./dynamic";
import { programPlan } from "./program";
import { vaultWiring } from "./wiring";
import { logAdvice } from "./warnings";

export interface BackupVaultArgs {
  /** The resource group to create the vault in (it must exist). */
  resourceGroupName: pulumi.Input<string>;
  /** The Azure region, e.g. "westeurope". A vault backs up VMs of its own region only. */
  location: pulumi.Input<string>;
  /** The vault's name; default: this resource's name. 2-50 letters, digits and hyphens, starting with a letter. */
  vaultName?: pulumi.Input<string>;
  /** Default: `azure-vm-backup:subscriptionId`, then `azure-native:subscriptionId`, then ARM_SUBSCRIPTION_ID. */
  subscriptionId?: pulumi.Input<string>;
  /** Storage redundancy; default "GeoRedundant" (DOCS.vmBackupTutorial2017). It cannot change once a VM is protected. */
  redundancy?: pulumi.Input<Redundancy>;
  /** Restore in the paired region; GeoRedundant vaults only, and it cannot be turned off. Default false. */
  crossRegionRestore?: pulumi.Input<boolean>;
  /**
   * Soft delete of backup data: state (default "Enabled"; "AlwaysOn" is irreversible; "Disabled" fails the preview, as
   * Azure enforces soft delete on every vault today) and days kept (14-180, default 14). Azure may hold a stronger
   * state than asked (new vaults are AlwaysON): that is no drift, and `softDelete` shows Azure's state.
   */
  softDelete?: pulumi.Input<{ state?: pulumi.Input<SoftDeleteState>; retentionDays?: pulumi.Input<number> }>;
  /** Immutability: "Disabled" (default), "Unlocked" or "Locked" (irreversible). */
  immutability?: pulumi.Input<ImmutabilityState>;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * What destroy does: "retain" (default) never deletes backup data: a vault that still holds backups is
   * left in Azure with them (an empty one is deleted). "purge" deletes the backups of the VMs this program
   * protects in the vault (its ProtectedVm resources), which stay soft-deleted for the soft-delete retention
   * (Azure enforces soft delete), then the vault; backups of any other VM are never deleted and keep the vault in Azure.
   */
  onDestroy?: pulumi.Input<VaultOnDestroy>;
  /**
   * Multi-user authorization: the ARM id of a Resource Guard (Microsoft.DataProtection/resourceGuards) to associate
   * the vault with (https://learn.microsoft.com/azure/backup/multi-user-authorization). Its critical operations (a
   * policy update that reduces retention, deleting backup data, removing the guard) then need the guard's approval,
   * which the preview announces. Removing this argument removes the guard, itself a critical operation. A guard in
   * another tenant needs `azure-vm-backup:auxiliaryTenantIds` (or ARM_AUXILIARY_TENANT_IDS) set to its tenant.
   */
  resourceGuard?: pulumi.Input<string>;
}

export class BackupVault extends pulumi.ComponentResource {
  /** The vault's ARM id. */
  declare readonly id: pulumi.Output<string>;
  declare readonly vaultName: pulumi.Output<string>;
  declare readonly resourceGroupName: pulumi.Output<string>;
  declare readonly location: pulumi.Output<string>;
  declare readonly subscriptionId: pulumi.Output<string>;
  declare readonly redundancy: pulumi.Output<string>;
  declare readonly crossRegionRestore: pulumi.Output<boolean>;
  declare readonly softDelete: pulumi.Output<{ state: string; retentionDays: number }>;
  declare readonly immutability: pulumi.Output<string>;
  /** Whether storage redundancy is locked (a VM has been protected). */
  declare readonly storageLocked: pulumi.Output<boolean>;
  declare readonly onDestroy: pulumi.Output<string>;
  /** The Resource Guard the vault is associated with (multi-user authorization), as Azure reports it. */
  declare readonly resourceGuard: pulumi.Output<string | undefined>;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-vm-backup:index:BackupVault", name, {}, opts);
    const namedArguments = checkArguments(this, "BackupVault", name, args);
    const vaultName = pulumi.output(args.vaultName ?? name);
    const plan = programPlan();
    const programChecks = plan.addVault({
      key: this,
      label: name,
      name: vaultName,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      subscriptionId: args.subscriptionId,
    });
    const resource = new BackupResource<VaultOutputs>(
      "vault",
      name,
      {
        subscriptionId: args.subscriptionId,
        resourceGroupName: args.resourceGroupName,
        name: vaultName,
        location: args.location,
        redundancy: args.redundancy,
        crossRegionRestore: args.crossRegionRestore,
        softDelete: args.softDelete,
        immutability: args.immutability,
        tags: args.tags,
        onDestroy: args.onDestroy,
        resourceGuard: args.resourceGuard,
        ownedVmIds: plan.ownedVmIds(this),
        programChecks,
      },
      [
        "subscriptionId",
        "resourceGroupName",
        "name",
        "location",
        "redundancy",
        "crossRegionRestore",
        "softDelete",
        "immutability",
        "tags",
        "onDestroy",
        "storageLocked",
        "resourceGuard",
      ],
      childOptions(this, opts, []),
    );
    plan.own(resource, this);
    vaultWiring.set(this, {
      resource,
      vaultName,
      resourceGroupName: pulumi.output(args.resourceGroupName),
      location: pulumi.output(args.location),
      subscriptionId: pulumi.output(args.subscriptionId),
    });

    pulumi
      .all([vaultName, args.location, args.subscriptionId, args.redundancy, args.crossRegionRestore, args.softDelete, args.immutability, args.onDestroy])
      .apply(([n, location, subscriptionId, redundancy, crossRegionRestore, softDelete, immutability, onDestroy]) => {
        const diagnostics = validateVault({
          name: n,
          location,
          ...(subscriptionId === undefined ? {} : { subscriptionId }),
          ...(redundancy === undefined ? {} : { redundancy }),
          ...(crossRegionRestore === undefined ? {} : { crossRegionRestore }),
          ...(softDelete === undefined ? {} : { softDelete }),
          ...(immutability === undefined ? {} : { immutability }),
        });
        const lifecycle = validateVaultLifecycle({
          name: n,
          ...(onDestroy === undefined ? {} : { onDestroy }),
          ...(softDelete === undefined ? {} : { softDelete }),
          ...(immutability === undefined ? {} : { immutability }),
        });
        logAdvice(this, [...diagnostics, ...lifecycle], namedArguments);
      });

    this.id = resource.id;
    this.vaultName = resource.out("name");
    this.resourceGroupName = resource.out("resourceGroupName");
    this.location = resource.out("location");
    this.subscriptionId = resource.out("subscriptionId");
    this.redundancy = resource.out("redundancy");
    this.crossRegionRestore = resource.out("crossRegionRestore");
    this.softDelete = resource.out("softDelete");
    this.immutability = resource.out("immutability");
    this.storageLocked = resource.out("storageLocked");
    this.onDestroy = resource.out("onDestroy");
    this.resourceGuard = resource.out("resourceGuard");
    this.registerOutputs({
      id: this.id,
      vaultName: this.vaultName,
      resourceGroupName: this.resourceGroupName,
      location: this.location,
      subscriptionId: this.subscriptionId,
      redundancy: this.redundancy,
      crossRegionRestore: this.crossRegionRestore,
      softDelete: this.softDelete,
      immutability: this.immutability,
      storageLocked: this.storageLocked,
      onDestroy: this.onDestroy,
      resourceGuard: this.resourceGuard,
    });
  }
}
