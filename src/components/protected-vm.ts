/**
 * ProtectedVm: a VM backed up in a vault with a policy ("Enable Backup", https://github.com/MicrosoftDocs/azure-docs/blob/077c272250fbf992d576acf8c53ba0f2bd4dde10/articles/virtual-machines/linux/tutorial-backup-vms.md), optionally with an
 * on-demand backup ("Backup now") kept until a date. Its check reads the VM, the vault and the policy
 * and refuses what Azure would refuse; destroy stops protection and keeps the backups unless told
 * otherwise.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProtectedVmOutputs } from "../providers/types";
import {
  componentEntry,
  DEFAULT_BACKUP_NOW_RETAIN_DAYS,
  parsePolicyId,
  PlanBuilder,
  DEFAULT_POLICY_NAME,
  UNKNOWN_SENTINEL,
  validateProtectedVm,
  validateProtectedVmLifecycle,
  type PolicyArgs,
  type VmOnDestroy,
} from "../rules";
import { checkArguments } from "./arguments";
import { BackupResource, childOptions } from "./dynamic";
import { vaultParts, type BackupPolicy, type VaultParts } from "./policy";
import { afterPrivateEndpoints } from "./private-endpoints";
import { programPlan, type PolicyRefInput, type VaultRefInput } from "./program";
import type { BackupVault } from "./vault";
import { isVirtualMachine, vmDescriptionOf, type VirtualMachineLike, type VmDescription } from "./vm-description";
import { logAdvice } from "./warnings";
import { policyWiring, type PolicyWiring } from "./wiring";

export interface BackupNowInput {
  /** Keep the recovery point until this date ("2027-03-31", or a Date). */
  retainUntil?: pulumi.Input<string | Date>;
  /** Or keep it this many days after the backup (default 30, as Azure and its CLI do). */
  retainDays?: pulumi.Input<number>;
}

export interface ProtectedVmArgs {
  /** The VM: an `@pulumi/azure-native` `compute.VirtualMachine`, or an existing VM's resource id. */
  vm: VirtualMachineLike | pulumi.Input<string>;
  /** The vault: a BackupVault or a vault's resource id. Default: the policy's vault. It must be in the VM's region. */
  vault?: BackupVault | pulumi.Input<string>;
  /** The policy: a BackupPolicy, a policy's resource id, or the name of a policy in the vault. Default: the vault's "DefaultPolicy". */
  policy?: BackupPolicy | pulumi.Input<string>;
  /** Back up only these data disks (with the OS disk); `[]` backs up the OS disk only. */
  includeDiskLuns?: pulumi.Input<pulumi.Input<number>[]>;
  /** Back up every data disk but these. */
  excludeDiskLuns?: pulumi.Input<pulumi.Input<number>[]>;
  /**
   * Back up now, once the VM is protected ("Backup now" in DOCS.vmBackupTutorial2017): `true` keeps the recovery point 30 days,
   * or give `retainUntil` / `retainDays`. Changing the date or the days takes another backup.
   */
  backupNow?: pulumi.Input<boolean | BackupNowInput>;
  /** Wait for that first backup to complete before the deployment goes on (needs backupNow). Default false. */
  waitForInitialBackup?: pulumi.Input<boolean>;
  /**
   * What destroy does: "stopProtectionRetainData" (default) stops backups and keeps every recovery point;
   * "suspendBackups" (immutable vaults only) stops backups and keeps each point until its policy expires it;
   * "deleteBackupData" deletes them (soft delete, when on, keeps them 14 days more; refused on an immutable vault).
   */
  onDestroy?: pulumi.Input<VmOnDestroy>;
  /**
   * For a VM encrypted with Azure Disk Encryption: Azure Backup must be able to read the VM's Key Vault (an access policy
   * for the "Backup Management Service" with get, list and backup on secrets, and on keys when a key encryption key is
   * used; or, on a vault that uses Azure RBAC, the Key Vault Administrator role), or every backup fails
   * (UserErrorKeyvaultPermissionsNotConfigured). "require" (default): the preview fails when it cannot. "grant": the
   * package gives it that access before protecting the VM (the identity running Pulumi must be allowed to change the
   * vault's access policies or role assignments). Destroy never takes the access back: other backups of VMs using the
   * same vault may need it, and the VM's recovery points need it to be restored. Needs the Backup Management Service's
   * object id in your tenant: azure-vm-backup:backupManagementServiceObjectId, else looked up in Microsoft Graph with the
   * same credential (which must then be allowed to read service principals). Ignored for a VM that is not encrypted.
   */
  keyVaultAccess?: pulumi.Input<"require" | "grant">;
}

export class ProtectedVm extends pulumi.ComponentResource {
  /** The protected item's ARM id. */
  declare readonly id: pulumi.Output<string>;
  declare readonly vmId: pulumi.Output<string>;
  declare readonly vaultName: pulumi.Output<string>;
  declare readonly policyName: pulumi.Output<string>;
  /** Azure's protection state: IRPending until the first backup, then Protected (ProtectionStopped after a stop). */
  declare readonly protectionState: pulumi.Output<string>;
  /** The last backup's status, e.g. "Completed" (empty before the first). */
  declare readonly lastBackupStatus: pulumi.Output<string>;
  declare readonly lastBackupTime: pulumi.Output<string | undefined>;
  /**
   * The newest recovery point: `{ time, consistency, name }`, its consistency as Azure reports it (AppConsistent,
   * FileSystemConsistent or CrashConsistent); undefined before the first backup. Read at create and update when the VM
   * has a point, and by `pulumi refresh`.
   */
  declare readonly latestRecoveryPoint: pulumi.Output<{ time: string; consistency: string; name: string } | undefined>;
  /**
   * The protected-instance size the bill counts: used data on the backed-up disks, GB. Once the VM's first backup has
   * completed and Azure still lists its job, it is the data that backup sent to the vault (the job's "Backup Size"):
   * Azure's own measure of the used data at that backup. Until then it is the used data the VM declares (`usedGb`),
   * or the disks' sizes where it declares none: then `protectedInstanceUpperBound` is true. Computed at create and
   * update and read again by `pulumi refresh`; the figure does not follow data written after the first backup.
   */
  declare readonly protectedInstanceGb: pulumi.Output<number>;
  /**
   * True when `protectedInstanceGb` counts the full size of some disk, because neither Azure (no first backup measured
   * yet) nor the program gave its used data: the real size, and the bill, can only be smaller. False when the figure
   * is Azure's measure or the declared used data. Undefined in a state written before this output existed, until its
   * next update.
   */
  declare readonly protectedInstanceUpperBound: pulumi.Output<boolean | undefined>;
  /** Protected-instance billing units (≤50 GB small instance, ≤500 GB one, then one per started 500 GB). */
  declare readonly billingUnits: pulumi.Output<number>;
  declare readonly billingTier: pulumi.Output<string>;
  /** Estimated hours of the first (full) backup at the 2018 documentation's 160 Mbps (DOCS.vmBackupPlanning2018). */
  declare readonly initialBackupHours: pulumi.Output<number>;

  constructor(name: string, args: ProtectedVmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-vm-backup:index:ProtectedVm", name, {}, opts);
    checkArguments(this, "ProtectedVm", name, args);
    const plan = programPlan();
    const policyComponent = componentPolicy(args.policy) ?? policyByName(args.vault, args.policy);
    const policy = policyComponent === undefined ? undefined : policyWiring.get(policyComponent);
    const vault = vaultOf(args.vault, policy, args.policy);
    const policyName = policyNameOf(args.policy, policy);
    const vmResource = isVirtualMachine(args.vm) ? args.vm : undefined;
    const vmId = vmResource !== undefined ? vmResource.id : pulumi.output(args.vm as pulumi.Input<string>);
    const description = vmResource === undefined ? undefined : vmDescriptionOf(vmResource);
    const backupNow = backupNowRequest(args.backupNow);
    const vaultRef: VaultRefInput | undefined =
      args.vault === undefined ? undefined : vault.component !== undefined ? { vault: vault.component } : { id: args.vault as pulumi.Input<string> };
    const policyRef: PolicyRefInput | undefined =
      args.policy === undefined ? undefined : policyComponent !== undefined ? { policy: policyComponent } : { idOrName: args.policy as pulumi.Input<string> };
    const programChecks = plan.addProtectedVm({
      key: this,
      label: name,
      vault: vaultRef,
      policy: policyRef,
      vm: vmResource !== undefined ? { resource: vmResource } : { id: vmId },
      vmId,
    });

    const dependsOn = [vault.resource, policy?.resource, vmResource].filter((r): r is pulumi.Resource => r !== undefined);
    const resource = new BackupResource<ProtectedVmOutputs>(
      "protected-vm",
      name,
      {
        subscriptionId: vault.subscriptionId,
        vaultResourceGroupName: vault.resourceGroupName,
        vaultName: vault.vaultName,
        vaultLocation: vault.location,
        policyName,
        policy: policy?.definition,
        vmId,
        vm: description,
        includeDiskLuns: args.includeDiskLuns,
        excludeDiskLuns: args.excludeDiskLuns,
        onDestroy: args.onDestroy,
        ...(args.keyVaultAccess === undefined ? {} : { keyVaultAccess: args.keyVaultAccess }),
        // Not named at all when the program asks for no backup now (each property named costs Pulumi promises per VM).
        backupNowRetainUntil: args.backupNow === undefined ? undefined : backupNow.apply((b) => b.retainUntil),
        backupNowRetainDays: args.backupNow === undefined ? undefined : backupNow.apply((b) => b.retainDays),
        waitForInitialBackup: args.waitForInitialBackup,
        programChecks,
        componentName: name,
      },
      // The outputs this component reads (each one named costs Pulumi a promise per VM; the state keeps them all).
      [
        "vmId",
        "vaultName",
        "policyName",
        "protectionState",
        "lastBackupStatus",
        "lastBackupTime",
        "latestRecoveryPoint",
        "protectedInstanceGb",
        "protectedInstanceUpperBound",
        "billingUnits",
        "billingTier",
        "initialBackupHours",
      ],
      // After the vault's private endpoints: Azure creates none once an item is registered in the vault.
      childOptions(this, afterPrivateEndpoints(vault.component, opts), dependsOn),
    );
    plan.own(resource, this);
    if (description !== undefined) adviseEarly(this, name, description, vault, policyName, policy?.definition, args);
    // What destroy will delete, as soon as it is known (errors are check()'s to report); nothing to say when none is given.
    const lifecycleGiven = args.onDestroy !== undefined || args.backupNow !== undefined || args.waitForInitialBackup !== undefined;
    if (lifecycleGiven)
      pulumi.all([args.onDestroy, backupNow, args.waitForInitialBackup]).apply(([onDestroy, request, wait]) =>
        logAdvice(
          this,
          validateProtectedVmLifecycle({
            ...(onDestroy === undefined ? {} : { onDestroy }),
            ...(Object.keys(request).length === 0 ? {} : { backupNow: request }),
            ...(wait === undefined ? {} : { waitForInitialBackup: wait }),
          }),
        ),
      );

    this.id = resource.id;
    this.vmId = resource.out("vmId");
    this.vaultName = resource.out("vaultName");
    this.policyName = resource.out("policyName");
    this.protectionState = resource.out("protectionState");
    this.lastBackupStatus = resource.out("lastBackupStatus");
    this.lastBackupTime = resource.out("lastBackupTime");
    this.latestRecoveryPoint = resource.out("latestRecoveryPoint");
    this.protectedInstanceGb = resource.out("protectedInstanceGb");
    this.protectedInstanceUpperBound = resource.out("protectedInstanceUpperBound");
    this.billingUnits = resource.out("billingUnits");
    this.billingTier = resource.out("billingTier");
    this.initialBackupHours = resource.out("initialBackupHours");
    this.registerOutputs({
      id: this.id,
      vmId: this.vmId,
      vaultName: this.vaultName,
      policyName: this.policyName,
      protectionState: this.protectionState,
      lastBackupStatus: this.lastBackupStatus,
      lastBackupTime: this.lastBackupTime,
      latestRecoveryPoint: this.latestRecoveryPoint,
      protectedInstanceGb: this.protectedInstanceGb,
      protectedInstanceUpperBound: this.protectedInstanceUpperBound,
      billingUnits: this.billingUnits,
      billingTier: this.billingTier,
      initialBackupHours: this.initialBackupHours,
    });
  }
}

/** Backup now as the provider takes it: a retain-until date (ISO 8601) or a number of days. */
function backupNowRequest(input: ProtectedVmArgs["backupNow"]): pulumi.Output<{ retainUntil?: string; retainDays?: number }> {
  const iso = (d: string | Date | undefined): string | undefined => (d instanceof Date ? d.toISOString() : d);
  // Dates are turned into ISO text before Pulumi sees them (lifting a Date into an Output empties it).
  const direct =
    typeof input === "object" && input !== null && !pulumi.Output.isInstance(input) && !(input instanceof Promise) ? (input as BackupNowInput) : undefined;
  type Request = { retainUntil?: string | Date; retainDays?: number } | undefined;
  const request: pulumi.Output<Request> =
    direct !== undefined
      ? (pulumi.output({
          retainUntil: direct.retainUntil instanceof Date ? direct.retainUntil.toISOString() : direct.retainUntil,
          retainDays: direct.retainDays,
        }) as pulumi.Output<Request>)
      : pulumi.output(input as pulumi.Input<boolean> | undefined).apply((b): Request => (b === true ? {} : undefined));
  return request.apply((r) => {
    if (r === undefined) return {};
    const until = iso(r.retainUntil);
    const days = r.retainDays;
    if (until === undefined && days === undefined) return { retainDays: DEFAULT_BACKUP_NOW_RETAIN_DAYS };
    return { ...(until === undefined ? {} : { retainUntil: until }), ...(days === undefined ? {} : { retainDays: days }) };
  });
}

/** The BackupPolicy given as a component or as its id output, if any. */
function componentPolicy(policy: ProtectedVmArgs["policy"]): object | undefined {
  if (policy === undefined) return undefined;
  const component = pulumi.Output.isInstance(policy) ? programPlan().componentOf(policy) : typeof policy === "object" ? (policy as object) : undefined;
  return component !== undefined && policyWiring.has(component) ? component : undefined;
}

/** A policy given by name that the program declares in the same vault (a BackupVault). */
function policyByName(vault: ProtectedVmArgs["vault"], policy: ProtectedVmArgs["policy"]): object | undefined {
  if (typeof policy !== "string" || policy.includes("/") || vault === undefined || pulumi.Output.isInstance(vault) || typeof vault !== "object")
    return undefined;
  return programPlan().policyNamed(vault as object, policy);
}

/** The vault: as given, else the policy's (a BackupPolicy's vault, or the vault in a policy id). */
function vaultOf(given: ProtectedVmArgs["vault"], policy: PolicyWiring | undefined, policyArg: ProtectedVmArgs["policy"]): VaultParts {
  if (given !== undefined) return vaultParts(given);
  if (policy !== undefined) {
    return {
      component: policy.vault,
      resource: policy.vault === undefined ? undefined : vaultParts(policy.vault as BackupVault).resource,
      vaultName: policy.vaultName,
      resourceGroupName: policy.vaultResourceGroupName,
      location: policy.vaultLocation,
      subscriptionId: policy.subscriptionId,
    };
  }
  if (policyArg !== undefined) {
    // A policy id names its vault.
    const parsed = pulumi.output(policyArg as pulumi.Input<string>).apply((id) => parsePolicyId(typeof id === "string" ? id : ""));
    return {
      component: undefined,
      resource: undefined,
      vaultName: parsed.apply((p) => p?.vaultName ?? ""),
      resourceGroupName: parsed.apply((p) => p?.resourceGroupName ?? ""),
      location: pulumi.output(undefined),
      subscriptionId: parsed.apply((p) => p?.subscriptionId),
    };
  }
  // No vault at all: the program-wide check says so, and the provider's check refuses the empty name.
  return {
    component: undefined,
    resource: undefined,
    vaultName: pulumi.output(""),
    resourceGroupName: pulumi.output(""),
    location: pulumi.output(undefined),
    subscriptionId: pulumi.output(undefined),
  };
}

function policyNameOf(given: ProtectedVmArgs["policy"], policy: PolicyWiring | undefined): pulumi.Output<string> {
  if (policy !== undefined) return policy.policyName;
  if (given === undefined) return pulumi.output(DEFAULT_POLICY_NAME);
  return pulumi
    .output(given as pulumi.Input<string>)
    .apply((text) => (typeof text === "string" && text.includes("/") ? (parsePolicyId(text)?.policyName ?? text) : text));
}

/** Warnings about the VM as declared (OS support, backup window), once its description is known. */
function adviseEarly(
  component: ProtectedVm,
  name: string,
  description: pulumi.Output<VmDescription>,
  vault: VaultParts,
  policyName: pulumi.Output<string>,
  definition: pulumi.Output<PolicyArgs> | undefined,
  args: ProtectedVmArgs,
): void {
  pulumi
    .all([description, vault.vaultName, vault.location, policyName, definition, args.includeDiskLuns, args.excludeDiskLuns])
    .apply(([vm, vaultName, location, policy, declared, include, exclude]) => {
      const selection = { ...(include === undefined ? {} : { includeDiskLuns: include }), ...(exclude === undefined ? {} : { excludeDiskLuns: exclude }) };
      const withId = { ...vm, id: UNKNOWN_SENTINEL };
      const own = validateProtectedVm({
        vm: withId,
        vault: { location: location ?? vm.location },
        ...(declared === undefined ? {} : { policy: declared }),
        ...selection,
      });
      const plan = new PlanBuilder().vault({ name: vaultName || "vault", location: location ?? vm.location });
      if (declared !== undefined) plan.policy(vaultName || "vault", policy, declared);
      const report = plan.vm(vaultName || "vault", policy, withId, selection, componentEntry("vm", name)).analyze();
      const window = report.diagnostics.filter((d) => d.code.startsWith("plan/") && d.code.endsWith("-backup-window"));
      logAdvice(component, [...own, ...window]);
    });
}
