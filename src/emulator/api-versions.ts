/**
 * The api-versions the emulator serves, per ARM resource type, and ARM's answer to one a type does not support.
 *
 * ARM checks a request's api-version against the versions the resource type registers, before the resource
 * provider sees the request. What it answers (docs/azure-today.md, "API versions"):
 * - a type bound to a location (a tracked resource such as a vault or a VM, the types nested under it, a
 *   `locations/...` type): 400 `NoRegisteredProviderFound`, "No registered resource provider found for location
 *   '{location}' and API version '{version}' for type '{type}'. The supported api-versions are '{a, b}'. The
 *   supported locations are '{x, y}'." (Microsoft Learn, "Resolve errors for resource provider registration"
 *   <https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider>;
 *   observed bodies in Azure/azure-cli#28496, Azure/azure-sdk-for-js#4097, pulumi/pulumi-azure-nextgen#170,
 *   which also shows the 400 status; `location '*'` when the request names none, as in azure-sdk-for-js#4097);
 * - a type with no location (subscription-level types such as features or providers): 404 `InvalidResourceType`,
 *   "The resource type '{type}' could not be found in the namespace '{namespace}' for api version '{version}'.
 *   The supported api-versions are '{a,b}'." (Azure/azure-rest-api-specs#14807, Azure/acs-engine#4037).
 * Nested types are registered on their own (`vaults/backupPolicies` has the backup API's versions, `vaults` the
 * vault API's): Azure/azure-resource-manager-schemas#2037 lists them per type.
 *
 * The lists hold the stable versions of each API's spec folder that the emulator answers alike (its bodies are
 * those of today's versions), plus the versions the installed SDK clients send. Azure keeps older stable versions
 * registered (the spec keeps every stable folder since 2016, and tools pin them: clients nobody here wrote, such as
 * a packaged azure-cli, send versions of their own), so a well-formed stable version no newer than the newest listed
 * is served too, with today's bodies. Refused: a version newer than any the API has, and previews not listed.
 */
import { ArmError } from "./http";

export interface ApiFamily {
  /** What the versions belong to, for messages and docs. */
  name: string;
  versions: readonly string[];
}

/**
 * Microsoft.RecoveryServices vaults (Azure/azure-rest-api-specs specification/recoveryservices/resource-manager/
 * Microsoft.RecoveryServices/RecoveryServices/stable/{version}): 2024-04-01 is what @azure/arm-recoveryservices
 * 6.0.0 sends by default; 2025-02-01 ... 2026-11-01 are the stable versions of the spec's TypeSpec project
 * (main.tsp `Versions`, and the stable folders 2026-07-01, 2026-08-01, 2026-11-01); 2026-07-01 is what
 * @azure/arm-recoveryservices 7.2.0 sends.
 */
export const VAULT_API: ApiFamily = {
  name: "Recovery Services vaults",
  versions: ["2024-04-01", "2025-02-01", "2025-08-01", "2026-01-01", "2026-02-01", "2026-05-01", "2026-07-01", "2026-08-01", "2026-11-01"],
};

/**
 * Azure Backup (Azure/azure-rest-api-specs specification/recoveryservicesbackup/resource-manager/
 * Microsoft.RecoveryServices/stable/{version} and .../RecoveryServicesBackup/stable/{version}): 2023-06-01 is what
 * @azure/arm-recoveryservicesbackup 12.0.0 sends by default; 2025-01-01 is the first version with which the Standard
 * policy protects Trusted Launch VMs (Microsoft Learn backup-azure-vms-enhanced-policy); the rest are the stable
 * versions of the spec's TypeSpec project (main.tsp `Versions`, previews left out).
 */
export const BACKUP_API: ApiFamily = {
  name: "Azure Backup",
  versions: [
    "2023-06-01",
    "2025-01-01",
    "2025-02-01",
    "2025-08-01",
    "2026-01-01",
    "2026-02-01",
    "2026-05-01",
    "2026-07-01",
    "2026-08-01",
    "2026-10-01",
    "2026-11-01",
  ],
};

/** Microsoft.Features (specification/resources/resource-manager/Microsoft.Features/stable): @azure/arm-features 3.1.0 sends 2021-07-01. */
export const FEATURES_API: ApiFamily = { name: "Microsoft.Features", versions: ["2015-12-01", "2021-07-01", "2025-03-01"] };

/**
 * Microsoft.Resources providers, subscriptions and tenants, and Microsoft.Compute virtual machines: Azure serves
 * dozens of versions of each, which the emulator answers alike, and which every tool (az CLI, Terraform, the SDKs:
 * 2021-04-01 for our provider registration, 2022-12-01 for @azure/arm-resources-subscriptions, 2026-03-01 for
 * @azure/arm-compute 24.1.0) picks differently. The emulator checks only that such a version is well formed.
 */
export const ANY_DATED: ApiFamily = { name: "any dated version", versions: [] };

const STABLE = /^\d{4}-\d{2}-\d{2}$/;

const DATED = /^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha|-privatepreview)?$/i;

/**
 * Status and result URLs of long-running operations (vault `operationStatus`/`operationResults`, `backupOperations`,
 * item `operationsStatus`, policy `operations`, ...): the service hands them out with versions of its own choosing
 * (the spec examples show 2015-03-15, 2016-12-01, 2019-05-13, 2020-06-01) and clients follow them verbatim
 * (reference/ARM-API.md §6), so any version is served there.
 */
const STATUS_TYPES = /\/(operationstatus|operationresults|operationsstatus|operations|backupoperations|backupoperationresults)$/i;

export interface ResourceType {
  namespace: string;
  /** `vaults`, `vaults/backupPolicies`, `locations/backupStatus`, `features`, ... */
  type: string;
  family: ApiFamily;
  /** Whether ARM routes the type by location (NoRegisteredProviderFound) or not (InvalidResourceType). */
  located: boolean;
  /** Any version served (operation status and result URLs). */
  anyVersion: boolean;
}

/**
 * The ARM resource type a request path addresses: the namespace after the last `providers`, and the type
 * segments (every other segment after it). `/subscriptions`, `/tenants` and `/subscriptions/{id}/providers/{ns}`
 * are Microsoft.Resources; `/providers/Microsoft.Features/providers/{ns}/features/...` is Microsoft.Features.
 */
export function resourceTypeOf(segments: readonly string[]): ResourceType {
  const lower = segments.map((s) => s.toLowerCase());
  const providerAt = lower.lastIndexOf("providers");
  const resources = (type: string): ResourceType => ({ namespace: "Microsoft.Resources", type, family: ANY_DATED, located: false, anyVersion: false });
  if (providerAt < 0) return resources(lower[0] === "tenants" ? "tenants" : "subscriptions");
  if (lower.includes("microsoft.features")) {
    return { namespace: "Microsoft.Features", type: "features", family: FEATURES_API, located: false, anyVersion: false };
  }
  const namespace = segments[providerAt + 1] ?? "";
  const rest = segments.slice(providerAt + 2);
  // `/subscriptions/{id}/providers/{namespace}[/register]`: the provider itself (Microsoft.Resources/providers).
  if (rest.length === 0 || (rest.length === 1 && lower[lower.length - 1] === "register")) return resources("providers");
  const type = rest.filter((_, i) => i % 2 === 0).join("/");
  if (namespace.toLowerCase() === "microsoft.recoveryservices") {
    const anyVersion = STATUS_TYPES.test(`/${type}`);
    const family = /^vaults$/i.test(type) || /^vaults\/operation(status|results)$/i.test(type) ? VAULT_API : BACKUP_API;
    return { namespace: "Microsoft.RecoveryServices", type, family, located: true, anyVersion };
  }
  return { namespace, type, family: ANY_DATED, located: true, anyVersion: false };
}

/** Whether the type serves the version. */
export function serves(resourceType: ResourceType, apiVersion: string): boolean {
  if (resourceType.anyVersion) return true;
  if (resourceType.family === ANY_DATED) return DATED.test(apiVersion);
  if (resourceType.family.versions.includes(apiVersion)) return true;
  const newest = resourceType.family.versions[resourceType.family.versions.length - 1];
  return STABLE.test(apiVersion) && newest !== undefined && apiVersion <= newest;
}

/**
 * ARM's refusal of an api-version the type does not serve. `location` is the resource's (or the request's)
 * location when known; `locations` the regions the emulator knows.
 */
export function unsupportedApiVersion(resourceType: ResourceType, apiVersion: string, location: string | undefined, locations: readonly string[]): ArmError {
  const supported = resourceType.family === ANY_DATED ? "any dated version (yyyy-mm-dd)" : resourceType.family.versions.join(", ");
  if (resourceType.located) {
    const where = locations.length > 0 ? ` The supported locations are '${locations.join(", ")}'.` : "";
    return new ArmError(
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location '${location ?? "*"}' and API version '${apiVersion}' for type '${resourceType.type}'. The supported api-versions are '${supported}'.${where}`,
    );
  }
  return new ArmError(
    404,
    "InvalidResourceType",
    `The resource type '${resourceType.type}' could not be found in the namespace '${resourceType.namespace}' for api version '${apiVersion}'. The supported api-versions are '${resourceType.family === ANY_DATED ? supported : resourceType.family.versions.join(",")}'.`,
  );
}
