/**
 * Subscription feature registration (Microsoft.Features, api 2021-07-01) and resource provider
 * registration (Microsoft.Resources, api 2021-04-01). A registration passes through `Registering` before it
 * is `Registered` (preview-features.md), for the time durations.ts gives, polled or not. The feature that matters here is `InstantBackupandRecovery` on
 * `Microsoft.RecoveryServices` (the one-directional upgrade to VM backup stack V2: https://github.com/MicrosoftDocs/azure-docs/blob/cfd01ac73ffdc8e68d56c9693c616c16d751ac90/articles/backup/backup-upgrade-to-vm-backup-stack-v2.md).
 */
import { ArmError, ok, type EmulatorRequest } from "../http";
import type { RegistrationRecord } from "../state";
import { page } from "./render";
import type { Services } from "./services";

/** Features the emulator knows, by `namespace/feature` (lower case); others answer 404. */
export const KNOWN_FEATURES = ["microsoft.recoveryservices/instantbackupandrecovery"];

/** Providers a fresh subscription has registered. */
const REGISTERED_PROVIDERS = ["microsoft.recoveryservices", "microsoft.compute", "microsoft.features", "microsoft.resources"];

export function registerRegistrations(s: Services): void {
  const { router, model } = s;
  const featuresBase = "/subscriptions/{subscriptionId}/providers/Microsoft.Features/providers/{resourceProviderNamespace}/features";

  const feature = (r: EmulatorRequest): RegistrationRecord => {
    const ns = r.params.resourceProviderNamespace!;
    const name = r.params.featureName!;
    const key = `${ns}/${name}`.toLowerCase();
    if (!KNOWN_FEATURES.includes(key)) {
      // emulator: the service's code for an unknown feature is not established (no public recording found).
      throw new ArmError(404, "FeatureNotFound", `The feature '${name}' could not be found in namespace '${ns}'.`);
    }
    const canonical = key === KNOWN_FEATURES[0] ? { ns: "Microsoft.RecoveryServices", name: "InstantBackupandRecovery" } : { ns, name };
    return model.registration(r.params.subscriptionId!, canonical.ns, canonical.name, s.featureDefaults.get(key) ?? "NotRegistered");
  };
  const renderFeature = (f: RegistrationRecord) => ({
    id: `/subscriptions/${f.subscriptionId}/providers/Microsoft.Features/providers/${f.namespace}/features/${f.name}`,
    name: `${f.namespace}/${f.name}`,
    type: "Microsoft.Features/providers/features",
    properties: { state: f.state },
  });

  router.add("GET", `${featuresBase}/{featureName}`, (r) => ok(renderFeature(feature(r))));
  router.add("POST", `${featuresBase}/{featureName}/register`, (r) => {
    const f = feature(r);
    model.changeRegistration(f, "Registering");
    return ok(renderFeature(f));
  });
  router.add("POST", `${featuresBase}/{featureName}/unregister`, (r) => {
    const f = feature(r);
    model.changeRegistration(f, "Unregistering");
    return ok(renderFeature(f));
  });
  const listFeatures = (subscriptionId: string, ns?: string) =>
    KNOWN_FEATURES.filter((k) => ns === undefined || k.startsWith(`${ns.toLowerCase()}/`)).map((k) => {
      const [namespace, name] = k === KNOWN_FEATURES[0] ? ["Microsoft.RecoveryServices", "InstantBackupandRecovery"] : k.split("/");
      return renderFeature(model.registration(subscriptionId, namespace!, name!, s.featureDefaults.get(k) ?? "NotRegistered"));
    });
  router.add("GET", featuresBase, (r) => ok(page(listFeatures(r.params.subscriptionId!, r.params.resourceProviderNamespace))));
  router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Features/features", (r) => ok(page(listFeatures(r.params.subscriptionId!))));

  const provider = (r: EmulatorRequest): RegistrationRecord => {
    const ns = r.params.resourceProviderNamespace!;
    return model.registration(r.params.subscriptionId!, ns, "", REGISTERED_PROVIDERS.includes(ns.toLowerCase()) ? "Registered" : "NotRegistered");
  };
  const renderProvider = (p: RegistrationRecord) => ({
    id: `/subscriptions/${p.subscriptionId}/providers/${p.namespace}`,
    namespace: p.namespace,
    registrationState: p.state,
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [],
  });
  router.add("GET", "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}", (r) => ok(renderProvider(provider(r))));
  router.add("POST", "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}/register", (r) => {
    const p = provider(r);
    model.changeRegistration(p, "Registering");
    return ok(renderProvider(p));
  });
}
