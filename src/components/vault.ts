/**
 * BackupVault: a Recovery Services vault for VM backups ("the vault must be in the same region as the
 * virtual machines", https://github.com/MicrosoftDocs/azure-docs/blob/5d08d1b2583bb8772866585ea6306c2cb9caf59c/articles/backup-azure-vms-introduction.md), with its storage redundancy, cross-region restore, soft delete and
 * immutability. Destroy keeps backup data unless `onDestroy` is "purge".
 */
import * as pulumi from "@pulumi/pulumi";
import type { VaultOutputs } from "../providers/types";
import {
  validateVault,
  validateVaultLifecycle,
  type CrossSubscriptionRestoreState,
  type ImmutabilityState,
  type PublicNetworkAccess,
  type Redundancy,
  type SoftDeleteState,
  type VaultOnDestroy,
} from "../rules";
import { checkArguments } from "./arguments";
import { BackupResource, childOptions } from "./dynamic";
import { addPrivateEndpoint, startPrivateEndpoints, type PrivateEndpointOptions } from "./private-endpoints";
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
  /**
   * "Enabled" or "Disabled": whether the vault is reachable from public networks (Disabled: through private
   * endpoints only). Default: not set, Azure's value is kept (new vaults are "Enabled"). Changes in place. Removing
   * the argument leaves the vault as it is.
   */
  publicNetworkAccess?: pulumi.Input<PublicNetworkAccess>;
  /**
   * The vault's managed identities: its own (`systemAssigned`) and user-assigned ones (`userAssignedIdentityIds`, ARM
   * ids). Needed for `encryption`: the identity that reads the key must be listed here. Default: not set, Azure's
   * identities are kept. Changes in place, except that the identity reading the customer-managed key can never be
   * removed (DOCS.cmk: "must not be disabled (even temporarily)"). The system-assigned identity's principal id is the
   * output `identityPrincipalId`.
   */
  identity?: pulumi.Input<{ systemAssigned?: pulumi.Input<boolean>; userAssignedIdentityIds?: pulumi.Input<pulumi.Input<string>[]> }>;
  /**
   * Encryption with a customer-managed key (CMK): `keyId`, the Key Vault key URL (with or without a version; an RSA
   * key in a Key Vault of the vault's region, with soft delete and purge protection); `userAssignedIdentityId`, the
   * identity that reads the key (default: the vault's system-assigned identity); `infrastructureEncryption`, double
   * encryption (default false). Grant the identity Get, Wrap Key and Unwrap Key on the key first. Default: not set
   * (platform-managed keys). IRREVERSIBLE: a vault never returns to platform-managed keys, and infrastructure
   * encryption never changes; Azure accepts the key only on a vault where no VM was ever protected. The key may change
   * in place. (DOCS.cmk; Terraform azurerm.)
   */
  encryption?: pulumi.Input<{
    keyId: pulumi.Input<string>;
    userAssignedIdentityId?: pulumi.Input<string>;
    infrastructureEncryption?: pulumi.Input<boolean>;
  }>;
  /**
   * Alerts: `jobFailureAlerts`, Azure Monitor alerts for failed backup and restore jobs (Azure's default: on), and
   * `classicAlerts`, the classic alerts for critical operations (Microsoft recommends turning them off for Azure
   * Monitor alerts). Default: not set, Azure's values are kept; each switch given changes in place.
   */
  monitoring?: pulumi.Input<{ jobFailureAlerts?: pulumi.Input<boolean>; classicAlerts?: pulumi.Input<boolean> }>;
  /**
   * Restores to another subscription: "Enabled", "Disabled" or "PermanentlyDisabled". Default: not set, Azure's value is
   * kept (Azure's default: Enabled). Changes in place; "PermanentlyDisabled" is IRREVERSIBLE (DOCS.crossSubscriptionRestore).
   */
  crossSubscriptionRestore?: pulumi.Input<CrossSubscriptionRestoreState>;
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
   * policy update that reduces retention, deleting backup data, a new customer-managed key, immutability Unlocked ->
   * Disabled, removing the guard) then need the guard's approval, which the preview announces. Not given: the vault
   * keeps the guard Azure holds (one a security admin set outside the stack is never removed). Removing the argument
   * after giving it removes the guard, itself a critical operation. A guard in another tenant needs
   * `azure-vm-backup:auxiliaryTenantIds` (or ARM_AUXILIARY_TENANT_IDS) set to its tenant.
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
  /** Public network access as Azure reports it. */
  declare readonly publicNetworkAccess: pulumi.Output<string>;
  /** The vault's managed identities as Azure reports them. */
  declare readonly identity: pulumi.Output<{ systemAssigned: boolean; userAssignedIdentityIds: string[] }>;
  /** The system-assigned identity's principal (object) id, to grant it access to the Key Vault key; undefined without one. */
  declare readonly identityPrincipalId: pulumi.Output<string | undefined>;
  /** The customer-managed key encryption as Azure reports it; undefined with platform-managed keys. */
  declare readonly encryption: pulumi.Output<{ keyId: string; userAssignedIdentityId?: string; infrastructureEncryption: boolean } | undefined>;
  declare readonly monitoring: pulumi.Output<{ jobFailureAlerts?: boolean; classicAlerts?: boolean }>;
  declare readonly crossSubscriptionRestore: pulumi.Output<string>;
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
        publicNetworkAccess: args.publicNetworkAccess,
        identity: args.identity,
        encryption: args.encryption,
        monitoring: args.monitoring,
        crossSubscriptionRestore: args.crossSubscriptionRestore,
        tags: args.tags,
        onDestroy: args.onDestroy,
        resourceGuard: args.resourceGuard,
        ownedVmIds: plan.ownedVmIds(this),
        programChecks,
        privateEndpoints: startPrivateEndpoints(this, name, args),
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
        "publicNetworkAccess",
        "identity",
        "identityPrincipalId",
        "encryption",
        "monitoring",
        "crossSubscriptionRestore",
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

    const more = pulumi.output({
      onDestroy: args.onDestroy,
      access: args.publicNetworkAccess,
      identity: args.identity,
      encryption: args.encryption,
      monitoring: args.monitoring,
      csr: args.crossSubscriptionRestore,
    });
    pulumi
      .all([vaultName, args.location, args.subscriptionId, args.redundancy, args.crossRegionRestore, args.softDelete, args.immutability, more])
      .apply(
        ([
          n,
          location,
          subscriptionId,
          redundancy,
          crossRegionRestore,
          softDelete,
          immutability,
          { onDestroy, access, identity, encryption, monitoring, csr },
        ]) => {
          const diagnostics = validateVault({
            name: n,
            location,
            ...(subscriptionId === undefined ? {} : { subscriptionId }),
            ...(redundancy === undefined ? {} : { redundancy }),
            ...(crossRegionRestore === undefined ? {} : { crossRegionRestore }),
            ...(softDelete === undefined ? {} : { softDelete }),
            ...(immutability === undefined ? {} : { immutability }),
            ...(access === undefined ? {} : { publicNetworkAccess: access }),
            ...(identity === undefined ? {} : { identity }),
            ...(encryption === undefined ? {} : { encryption }),
            ...(monitoring === undefined ? {} : { monitoring }),
            ...(csr === undefined ? {} : { crossSubscriptionRestore: csr }),
          });
          const lifecycle = validateVaultLifecycle({
            name: n,
            ...(onDestroy === undefined ? {} : { onDestroy }),
            ...(softDelete === undefined ? {} : { softDelete }),
            ...(immutability === undefined ? {} : { immutability }),
          });
          logAdvice(this, [...diagnostics, ...lifecycle], namedArguments);
        },
      );

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
    this.publicNetworkAccess = resource.out("publicNetworkAccess") as pulumi.Output<string>;
    this.identity = resource.out("identity") as pulumi.Output<{ systemAssigned: boolean; userAssignedIdentityIds: string[] }>;
    this.identityPrincipalId = resource.out("identityPrincipalId");
    this.encryption = resource.out("encryption");
    this.monitoring = resource.out("monitoring") as pulumi.Output<{ jobFailureAlerts?: boolean; classicAlerts?: boolean }>;
    this.crossSubscriptionRestore = resource.out("crossSubscriptionRestore") as pulumi.Output<string>;
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
      publicNetworkAccess: this.publicNetworkAccess,
      identity: this.identity,
      identityPrincipalId: this.identityPrincipalId,
      encryption: this.encryption,
      monitoring: this.monitoring,
      crossSubscriptionRestore: this.crossSubscriptionRestore,
    });
  }

  /**
   * Declares a private endpoint of this vault for Azure Backup: a private endpoint resource of the program
   * (`@pulumi/azure-native` `network.PrivateEndpoint` with `privateLinkServiceConnections: [{ privateLinkServiceId:
   * vault.id, groupIds: ["AzureBackup"] }]`) or an existing private endpoint's ARM id. Azure creates private endpoints
   * for Azure Backup only in a vault that never had an item registered or protected, so the ProtectedVm resources of
   * this vault wait for it, and the preview fails when the vault already had items. Call it at the program's top level.
   */
  addPrivateEndpoint(endpoint: pulumi.Resource | string, options?: PrivateEndpointOptions): void {
    addPrivateEndpoint(this, endpoint, options);
  }
}
