/**
 * Subscriptions and tenants (Microsoft.Resources, api 2022-12-01): what every `az login` reads first
 * (`GET /subscriptions`, `GET /tenants`), and a subscription by id. The shapes follow the
 * SubscriptionClient's models (@azure/arm-resources-subscriptions 3.x): `subscriptionId`, `tenantId`,
 * `displayName`, `state`, `subscriptionPolicies`, `authorizationSource`. An unknown subscription answers
 * 404 `SubscriptionNotFound`, as ARM does.
 */
import { ArmError, ok } from "../http";
import { page } from "./render";
import type { Services } from "./services";

/** The emulator's one tenant (a fixed GUID, like its default subscription). */
export const EMULATOR_TENANT = "00000000-0000-0000-0000-00000000cccc";
/** The subscription every emulator knows, the one `azure-vm-backup offline` deploys into. */
export const DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-00000000aaaa";

export function registerSubscriptions(s: Services): void {
  const { router, model } = s;
  /** The subscriptions the emulator serves: those configured, and every one its state uses. */
  const known = (): string[] => {
    const ids = new Map<string, string>();
    for (const id of s.subscriptions ?? [DEFAULT_SUBSCRIPTION]) ids.set(id.toLowerCase(), id);
    for (const v of model.state.vaults) ids.set(v.subscriptionId.toLowerCase(), v.subscriptionId);
    for (const vm of model.state.vms) {
      const id = /^\/subscriptions\/([^/]+)\//i.exec(vm.id)?.[1];
      if (id !== undefined) ids.set(id.toLowerCase(), id);
    }
    return [...ids.values()];
  };
  const render = (id: string) => ({
    id: `/subscriptions/${id}`,
    subscriptionId: id,
    tenantId: EMULATOR_TENANT,
    displayName: `Emulator subscription ${id.slice(-4)}`,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    authorizationSource: "RoleBased",
    managedByTenants: [],
  });

  router.add("GET", "/subscriptions", () => ok({ ...page(known().map(render)), count: { type: "Total", value: known().length } }));
  router.add("GET", "/subscriptions/{subscriptionId}", (r) => {
    const id = known().find((k) => k.toLowerCase() === r.params.subscriptionId!.toLowerCase());
    if (id === undefined) throw new ArmError(404, "SubscriptionNotFound", `The subscription '${r.params.subscriptionId}' could not be found.`);
    return ok(render(id));
  });
  router.add("GET", "/tenants", () =>
    ok(
      page([
        {
          id: `/tenants/${EMULATOR_TENANT}`,
          tenantId: EMULATOR_TENANT,
          tenantCategory: "Home",
          displayName: "azure-vm-backup emulator",
          defaultDomain: "emulator.invalid",
          domains: ["emulator.invalid"],
          tenantType: "AAD",
        },
      ]),
    ),
  );
}
