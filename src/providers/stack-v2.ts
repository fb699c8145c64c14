/**
 * The subscription's upgrade to VM backup stack V2 (https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md): registers `InstantBackupandRecovery` on
 * `Microsoft.RecoveryServices` and verifies it says Registered. A subscription already upgraded (as every
 * subscription is today: "All Azure Backup users have now been upgraded", https://learn.microsoft.com/azure/backup/backup-instant-restore-capability) is a success. Destroy leaves it registered: the upgrade is
 * one-directional.
 */
import type * as pulumi from "@pulumi/pulumi";
import { getFeatureState, registerFeature, STACK_V2_FEATURE, STACK_V2_NAMESPACE } from "../azure";
import { formatFeatureId, isGuid, UNKNOWN_SENTINEL } from "../rules";
import { clients, lower, settings } from "./context";
import type { StackV2Inputs, StackV2Outputs } from "./types";

const FEATURE = `${STACK_V2_NAMESPACE}/${STACK_V2_FEATURE}`;

export const stackV2Provider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: StackV2Inputs, news: StackV2Inputs): Promise<pulumi.dynamic.CheckResult> {
    if (news.subscriptionId !== undefined && news.subscriptionId !== UNKNOWN_SENTINEL && !isGuid(news.subscriptionId)) {
      return {
        inputs: news,
        failures: [{ property: "subscriptionId", reason: `[vault/subscription-id] '${news.subscriptionId}' is not a subscription id (a GUID).` }],
      };
    }
    return { inputs: news, failures: [] };
  },

  async diff(_id: string, olds: StackV2Outputs, news: StackV2Inputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = news.subscriptionId !== undefined && lower(news.subscriptionId) !== lower(olds.subscriptionId);
    return { changes: changed, replaces: changed ? ["subscriptionId"] : [] };
  },

  async create(inputs: StackV2Inputs): Promise<pulumi.dynamic.CreateResult> {
    const c = clients(inputs.subscriptionId);
    const state = await registerFeature(c, settings().operationTimeoutMs);
    const outs: StackV2Outputs = { subscriptionId: c.subscriptionId, feature: FEATURE, state };
    return { id: formatFeatureId({ subscriptionId: c.subscriptionId, namespace: STACK_V2_NAMESPACE, feature: STACK_V2_FEATURE }), outs };
  },

  async read(id: string, props: StackV2Outputs): Promise<pulumi.dynamic.ReadResult> {
    const state = await getFeatureState(clients(props.subscriptionId));
    return { id, props: { ...props, state } };
  },

  async update(_id: string, olds: StackV2Outputs): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: olds };
  },

  /** Left registered: the upgrade to stack V2 cannot be undone ("one directional", DOCS.stackV2Upgrade in rules/sources.ts). */
  async delete(): Promise<void> {},
};
