/** What every handler module gets: the model and the emulator's response settings. */
import type { Model } from "../model";
import type { Router } from "../router";

export interface Services {
  model: Model;
  router: Router;
  /** Retry-After on 202 and status responses (the real service says 60; tests want 0). */
  retryAfterSeconds: number;
  /** Records per page of the paged lists (render.ts pageOf); undefined: every list answers in one page. */
  pageSize?: number;
  /** When set, resource groups that exist; others answer 404 ResourceGroupNotFound. */
  resourceGroups?: ReadonlySet<string>;
  /** Subscriptions the emulator serves besides those its state uses (default: the offline subscription). */
  subscriptions?: readonly string[];
  /** Initial state of subscription features by `namespace/feature` (lower case). */
  featureDefaults: ReadonlyMap<string, "NotRegistered" | "Registered">;
}

export const VAULT_PATH = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{vaultName}";
