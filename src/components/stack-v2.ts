/**
 * StackV2Registration: the subscription's upgrade to VM backup stack V2 (https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md: instant restore,
 * 4 TB disks; registered as the `InstantBackupandRecovery` feature of `Microsoft.RecoveryServices`).
 * Registering is idempotent and verified; destroy leaves it registered, as the upgrade cannot be undone.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackV2Outputs } from "../providers/types";
import { checkArguments } from "./arguments";
import { BackupResource, childOptions } from "./dynamic";

export interface StackV2RegistrationArgs {
  /** Default: `azure-vm-backup:subscriptionId`, then `azure-native:subscriptionId`, then ARM_SUBSCRIPTION_ID. */
  subscriptionId?: pulumi.Input<string>;
}

export class StackV2Registration extends pulumi.ComponentResource {
  /** The feature's ARM id. */
  declare readonly id: pulumi.Output<string>;
  declare readonly subscriptionId: pulumi.Output<string>;
  /** `Microsoft.RecoveryServices/InstantBackupandRecovery`. */
  declare readonly feature: pulumi.Output<string>;
  /** The registration state Azure reports: "Registered" once the upgrade is done. */
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: StackV2RegistrationArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("azure-vm-backup:index:StackV2Registration", name, {}, opts);
    checkArguments(this, "StackV2Registration", name, args);
    const resource = new BackupResource<StackV2Outputs>(
      "stack-v2",
      name,
      { subscriptionId: args.subscriptionId },
      ["subscriptionId", "feature", "state"],
      childOptions(this, opts, []),
    );
    this.id = resource.id;
    this.subscriptionId = resource.out("subscriptionId");
    this.feature = resource.out("feature");
    this.state = resource.out("state");
    this.registerOutputs({ id: this.id, subscriptionId: this.subscriptionId, feature: this.feature, state: this.state });
  }
}
