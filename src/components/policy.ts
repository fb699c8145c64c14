/**
 * BackupPolicy: when VMs in a vault are backed up and how long recovery points are kept ("Pick from an
 * existing set of policies or define a new one": https://github.com/MicrosoftDocs/azure-docs/blob/2b1effae96c9cabea029fbb5a12d8ca49673a8f2/articles/backup-azure-vms.md). With no schedule and retention it is the
 * 2017 portal's default policy: daily at 8:30 PM, kept 180 days (DOCS.vmBackupTutorial2017 in rules/sources.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyOutputs } from "../providers/types";
import {
  parseVaultId,
  validatePolicy,
  type InstantRestoreResourceGroupArgs,
  type PolicyArgs,
  type PolicyType,
  type RetentionArgs,
  type ScheduleArgs,
  type SnapshotConsistency,
  type Tiering,
  type TieringArgs,
} from "../rules";
import { checkArguments } from "./arguments";
import { BackupResource, childOptions } from "./dynamic";
import { programPlan } from "./program";
import type { BackupVault } from "./vault";
import { logAdvice } from "./warnings";
import { policyWiring, vaultWiring } from "./wiring";

export interface BackupPolicyArgs {
  /** The vault the policy belongs to: a BackupVault, or an existing vault's resource id. */
  vault: BackupVault | pulumi.Input<string>;
  /** The policy's name; default: this resource's name. */
  policyName?: pulumi.Input<string>;
  /** "V1" (standard, default) or "V2" (enhanced: hourly schedules, Ultra and Premium SSD v2 disks). */
  policyType?: pulumi.Input<PolicyType>;
  /** The Windows time-zone id the schedule's time is in, e.g. "W. Europe Standard Time"; default "UTC". */
  timeZone?: pulumi.Input<string>;
  /** When backups run; default daily at 20:30 (DOCS.vmBackupTutorial2017). Times are on the hour or the half hour. */
  schedule?: pulumi.Input<ScheduleArgs>;
  /** Days snapshots are kept for instant restore: V1 1-5 (default 2), V2 1-30 (default 7); weekly V1 policies use 5. */
  instantRestoreRetentionDays?: pulumi.Input<number>;
  /** How long daily, weekly, monthly and yearly recovery points are kept; default 180 daily points (DOCS.vmBackupTutorial2017). */
  retention?: pulumi.Input<RetentionArgs>;
  /** The resource group instant-restore snapshots are kept in: `{ prefix, suffix? }` (Azure appends a number). */
  instantRestoreResourceGroup?: pulumi.Input<InstantRestoreResourceGroupArgs>;
  /**
   * Move long-term (monthly and yearly) recovery points to the archive tier; default: no tiering. `{ mode: "TierRecommended" }`
   * is smart tiering (the points Azure recommends, to save cost); `{ mode: "TierAfter", duration, durationType? }` moves every
   * eligible point after `duration` (at least 3 months; durationType "Days", "Weeks", "Months" (default) or "Years");
   * `{ mode: "DoNotTier" }` is the same as leaving it out. A point moves only after 3 months in the standard tier and with
   * 6 months of retention left (Microsoft Learn archive-tier-support). Changes in place; removing it turns tiering off
   * (points already archived stay there).
   */
  tiering?: pulumi.Input<TieringArgs>;
  /**
   * "OnlyCrashConsistent": agentless crash-consistent snapshots, with an enhanced (V2) policy only, not for VMs with Ultra or
   * Premium SSD v2 disks (Microsoft Learn backup-azure-vms-agentless-multi-disk-crash-consistent); default "Default"
   * (application/file-system consistent). Changes in place.
   */
  snapshotConsistency?: pulumi.Input<SnapshotConsistency>;
}

/** The vault a policy or protected VM was given, as names and the resource to depend on. */
export interface VaultParts {
  component: object | undefined;
  resource: pulumi.Resource | undefined;
  vaultName: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  location: pulumi.Output<string | undefined>;
  subscriptionId: pulumi.Output<string | undefined>;
}

/** A BackupVault's declared values, or the parts of a vault id (empty when it is not one: check says so). */
export function vaultParts(vault: BackupVault | pulumi.Input<string>): VaultParts {
  // A BackupVault, or its id (an output of one of this program's vaults).
  const component = pulumi.Output.isInstance(vault) ? programPlan().componentOf(vault) : (vault as object);
  const wiring = typeof component === "object" && component !== null ? vaultWiring.get(component) : undefined;
  if (wiring !== undefined) {
    return {
      component: component!,
      resource: wiring.resource,
      vaultName: wiring.vaultName,
      resourceGroupName: wiring.resourceGroupName,
      location: wiring.location,
      subscriptionId: wiring.subscriptionId,
    };
  }
  const parsed = pulumi.output(vault as pulumi.Input<string>).apply((id) => parseVaultId(typeof id === "string" ? id : ""));
  return {
    component: undefined,
    resource: undefined,
    vaultName: parsed.apply((p) => p?.vaultName ?? ""),
    resourceGroupName: parsed.apply((p) => p?.resourceGroupName ?? ""),
    location: pulumi.output(undefined),
    subscriptionId: parsed.apply((p) => p?.subscriptionId),
  };
}

export class BackupPolicy extends pulumi.ComponentResource {
  /** The policy's ARM id. */
  declare readonly id: pulumi.Output<string>;
  declare readonly policyName: pulumi.Output<string>;
  declare readonly vaultName: pulumi.Output<string>;
  declare readonly policyType: pulumi.Output<string>;
  declare readonly timeZone: pulumi.Output<string>;
  /** The schedule as Azure holds it, every default applied. */
  declare readonly schedule: pulumi.Output<unknown>;
  declare readonly retention: pulumi.Output<unknown>;
  declare readonly instantRestoreRetentionDays: pulumi.Output<number>;
  /** The archive tiering as Azure holds it; undefined when the policy does not tier. */
  declare readonly tiering: pulumi.Output<Tiering | undefined>;
  /** "OnlyCrashConsistent", or undefined for application/file-system consistent snapshots. */
  declare readonly snapshotConsistency: pulumi.Output<string | undefined>;
  /**
   * VMs protected with this policy, as Azure counts them (the policy's `protectedItemsCount`). Current as of the
   * policy's last create, update or `pulumi refresh` (or `pulumi up --refresh`): Pulumi reads a resource's outputs
   * only then, and protecting VMs does not update the policy, so after an `up` that protects VMs with an unchanged
   * policy it still shows the count from before. Run `pulumi refresh` to read the current count.
   */
  declare readonly protectedItemsCount: pulumi.Output<number>;

  constructor(name: string, args: BackupPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-vm-backup:index:BackupPolicy", name, {}, opts);
    const namedArguments = checkArguments(this, "BackupPolicy", name, args);
    const vault = vaultParts(args.vault);
    const policyName = pulumi.output(args.policyName ?? name);
    const definition = pulumi
      .all([
        args.policyType,
        args.timeZone,
        args.schedule,
        args.instantRestoreRetentionDays,
        args.retention,
        args.instantRestoreResourceGroup,
        args.tiering,
        args.snapshotConsistency,
      ])
      .apply(([policyType, timeZone, schedule, instantRestoreRetentionDays, retention, instantRestoreResourceGroup, tiering, snapshotConsistency]) => {
        const declared: PolicyArgs = {};
        if (policyType !== undefined) declared.policyType = policyType;
        if (timeZone !== undefined) declared.timeZone = timeZone;
        if (schedule !== undefined) declared.schedule = schedule;
        if (instantRestoreRetentionDays !== undefined) declared.instantRestoreRetentionDays = instantRestoreRetentionDays;
        if (retention !== undefined) declared.retention = retention;
        if (instantRestoreResourceGroup !== undefined) declared.instantRestoreResourceGroup = instantRestoreResourceGroup;
        if (tiering !== undefined) declared.tiering = tiering;
        if (snapshotConsistency !== undefined) declared.snapshotConsistency = snapshotConsistency;
        return declared;
      });
    const plan = programPlan();
    const programChecks = plan.addPolicy({
      key: this,
      label: name,
      vault: vault.component !== undefined ? { vault: vault.component } : { id: args.vault as pulumi.Input<string> },
      name: policyName,
      nameText: typeof (args.policyName ?? name) === "string" ? ((args.policyName ?? name) as string) : undefined,
      args: definition,
    });
    const resource = new BackupResource<PolicyOutputs>(
      "policy",
      name,
      {
        subscriptionId: vault.subscriptionId,
        resourceGroupName: vault.resourceGroupName,
        vaultName: vault.vaultName,
        name: policyName,
        policyType: args.policyType,
        timeZone: args.timeZone,
        schedule: args.schedule,
        instantRestoreRetentionDays: args.instantRestoreRetentionDays,
        retention: args.retention,
        instantRestoreResourceGroup: args.instantRestoreResourceGroup,
        tiering: args.tiering,
        snapshotConsistency: args.snapshotConsistency,
        programChecks,
      },
      [
        "subscriptionId",
        "resourceGroupName",
        "vaultName",
        "name",
        "policyType",
        "timeZone",
        "schedule",
        "retention",
        "instantRestoreRetentionDays",
        "instantRestoreResourceGroup",
        "tiering",
        "snapshotConsistency",
        "protectedItemsCount",
      ],
      childOptions(this, opts, vault.resource === undefined ? [] : [vault.resource]),
    );
    plan.own(resource, this);
    policyWiring.set(this, {
      resource,
      vault: vault.component,
      policyName,
      vaultName: vault.vaultName,
      vaultResourceGroupName: vault.resourceGroupName,
      vaultLocation: vault.location,
      subscriptionId: vault.subscriptionId,
      definition,
    });
    pulumi.all([policyName, definition]).apply(([n, declared]) => logAdvice(this, validatePolicy({ ...declared, name: n }), namedArguments));

    this.id = resource.id;
    this.policyName = resource.out("name");
    this.vaultName = resource.out("vaultName");
    this.policyType = resource.out("policyType");
    this.timeZone = resource.out("timeZone");
    this.schedule = resource.out("schedule");
    this.retention = resource.out("retention");
    this.instantRestoreRetentionDays = resource.out("instantRestoreRetentionDays");
    this.tiering = resource.out("tiering");
    this.snapshotConsistency = resource.out("snapshotConsistency");
    this.protectedItemsCount = resource.out("protectedItemsCount");
    this.registerOutputs({
      id: this.id,
      policyName: this.policyName,
      vaultName: this.vaultName,
      policyType: this.policyType,
      timeZone: this.timeZone,
      schedule: this.schedule,
      retention: this.retention,
      instantRestoreRetentionDays: this.instantRestoreRetentionDays,
      tiering: this.tiering,
      snapshotConsistency: this.snapshotConsistency,
      protectedItemsCount: this.protectedItemsCount,
    });
  }
}
