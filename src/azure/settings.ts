/**
 * Where and how to reach Azure, read at call time (never captured into state): the subscription, the
 * cloud or a custom endpoint with its CA (how the emulator is reached), polling and limits. Stack config
 * comes first (`azure-vm-backup:*`, then `azure-native:*`, as users of @pulumi/azure-native already set
 * it), then environment variables (`ARM_*` as azure-native reads them, then `AZURE_*`).
 */
import { readFileSync } from "node:fs";
import { DEFAULT_UNKNOWN_ARGUMENTS, parseUnknownArgumentsSetting, type Limits, type UnknownArgumentsSetting } from "../rules";
import { DEFAULT_MAX_CONCURRENT_PROTECTIONS } from "./concurrency";

/** Reads one stack config value by full key (`namespace:key`). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export const NO_CONFIG: ConfigSource = { get: () => undefined };

export type CloudName = "public" | "usgovernment" | "china" | "custom";

export interface Cloud {
  name: CloudName;
  /** Resource Manager endpoint, without a trailing slash. */
  armEndpoint: string;
  /** Microsoft Entra authority host for credentials. */
  authorityHost: string;
  /**
   * Microsoft Graph's service root, without a trailing slash (the Backup Management Service's object id is looked up
   * there: src/azure/graph.ts); per cloud as https://learn.microsoft.com/graph/deployments lists them ("Microsoft Graph
   * and Graph Explorer service root endpoints"). A custom endpoint (the emulator) serves Graph too.
   */
  graphEndpoint: string;
}

export const CLOUDS: Record<Exclude<CloudName, "custom">, Cloud> = {
  public: {
    name: "public",
    armEndpoint: "https://management.azure.com",
    authorityHost: "https://login.microsoftonline.com",
    graphEndpoint: "https://graph.microsoft.com",
  },
  usgovernment: {
    name: "usgovernment",
    armEndpoint: "https://management.usgovcloudapi.net",
    authorityHost: "https://login.microsoftonline.us",
    graphEndpoint: "https://graph.microsoft.us",
  },
  china: {
    name: "china",
    armEndpoint: "https://management.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
  },
};

export interface AzureSettings {
  subscriptionId: string | undefined;
  cloud: Cloud;
  /** A trusted CA (PEM) for a custom endpoint such as the emulator. */
  ca: string | undefined;
  /** Use a static token: the endpoint is the emulator (explicitly, or a loopback address). */
  emulator: boolean;
  /** Wait between polls when the service gives no Retry-After (or 0), ms. */
  pollIntervalMs: number;
  /** Give up on a long-running operation after this long, ms. */
  operationTimeoutMs: number;
  /** Base delay of the SDKs' exponential retries (undefined: the SDKs' default). */
  retryDelayMs: number | undefined;
  limitProfile: string | undefined;
  limits: Partial<Limits> | undefined;
  /** Protection operations of one vault run at once in this process (src/azure/concurrency.ts); the rest queue. */
  maxConcurrentProtections: number;
  /** Tenants to send auxiliary tokens for (a Resource Guard in another tenant): src/azure/resource-guard.ts. */
  auxiliaryTenantIds?: string[];
  /**
   * The object id of the Backup Management Service's service principal in the tenant (it differs per tenant), for the
   * Key Vault access of VMs encrypted with Azure Disk Encryption (src/azure/key-vaults.ts).
   */
  backupManagementServiceObjectId?: string;
}

/** Problems with the settings themselves, reported in the user's words. */
export class SettingsError extends Error {}

function first(config: ConfigSource, env: NodeJS.ProcessEnv, keys: string[], envKeys: string[]): string | undefined {
  for (const key of keys) {
    const value = config.get(key);
    if (value !== undefined && value !== "") return value;
  }
  for (const key of envKeys) {
    const value = env[key];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

function cloudNamed(name: string): Cloud {
  const key = name.toLowerCase().replace(/[\s_-]/g, "");
  if (key === "public" || key === "azurecloud" || key === "azurepubliccloud") return CLOUDS.public;
  if (key === "usgovernment" || key === "azureusgovernment" || key === "azureusgovernmentcloud") return CLOUDS.usgovernment;
  if (key === "china" || key === "azurechinacloud") return CLOUDS.china;
  throw new SettingsError(`Unknown Azure environment '${name}': use public, usgovernment or china (or set azure-vm-backup:endpoint for a custom endpoint).`);
}

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
}

export function resolveSettings(config: ConfigSource = NO_CONFIG, env: NodeJS.ProcessEnv = process.env): AzureSettings {
  const subscriptionId = first(
    config,
    env,
    ["azure-vm-backup:subscriptionId", "azure-native:subscriptionId"],
    ["ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"],
  );
  const endpoint = first(config, env, ["azure-vm-backup:endpoint"], ["AZURE_VM_BACKUP_ENDPOINT"]);
  let cloud: Cloud;
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new SettingsError(`azure-vm-backup:endpoint '${endpoint}' is not a URL.`);
    }
    if (url.protocol !== "https:")
      throw new SettingsError(`azure-vm-backup:endpoint must be an https:// URL (the Azure SDKs refuse to send tokens over HTTP); got '${endpoint}'.`);
    cloud = {
      name: "custom",
      armEndpoint: endpoint.replace(/\/+$/, ""),
      authorityHost: CLOUDS.public.authorityHost,
      graphEndpoint: endpoint.replace(/\/+$/, ""),
    };
  } else {
    const name = first(config, env, ["azure-vm-backup:environment", "azure-native:environment"], ["ARM_ENVIRONMENT", "AZURE_ENVIRONMENT"]);
    cloud = name === undefined ? CLOUDS.public : cloudNamed(name);
  }
  const caText = first(config, env, ["azure-vm-backup:caCertificate"], []);
  const caFile = first(config, env, ["azure-vm-backup:caCertificateFile"], ["AZURE_VM_BACKUP_CA_FILE"]);
  let ca = caText;
  if (ca === undefined && caFile !== undefined) {
    try {
      ca = readFileSync(caFile, "utf8");
    } catch (error) {
      throw new SettingsError(`Cannot read the CA certificate file '${caFile}' (azure-vm-backup:caCertificateFile): ${(error as Error).message}`);
    }
  }
  const credentialMode = first(config, env, ["azure-vm-backup:credential"], ["AZURE_VM_BACKUP_CREDENTIAL"]);
  const emulator = credentialMode === "emulator" || (credentialMode === undefined && endpoint !== undefined && isLoopback(endpoint));
  const number = (keys: string[], envKeys: string[], fallback: number): number => {
    const text = first(config, env, keys, envKeys);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new SettingsError(`${keys[0]} must be a number of 0 or more; got '${text}'.`);
    return n;
  };
  const { limitProfile, limits } = limitSettings(config, env);
  return {
    subscriptionId,
    cloud,
    ca,
    emulator,
    pollIntervalMs: number(["azure-vm-backup:pollIntervalMs"], ["AZURE_VM_BACKUP_POLL_INTERVAL_MS"], emulator ? 20 : 5000),
    operationTimeoutMs: number(["azure-vm-backup:operationTimeoutMinutes"], ["AZURE_VM_BACKUP_OPERATION_TIMEOUT_MINUTES"], 60) * 60_000,
    retryDelayMs:
      first(config, env, ["azure-vm-backup:retryDelayMs"], ["AZURE_VM_BACKUP_RETRY_DELAY_MS"]) === undefined
        ? undefined
        : number(["azure-vm-backup:retryDelayMs"], ["AZURE_VM_BACKUP_RETRY_DELAY_MS"], 0),
    limitProfile,
    limits,
    maxConcurrentProtections: maxConcurrentProtections(
      first(config, env, ["azure-vm-backup:maxConcurrentProtections"], ["AZURE_VM_BACKUP_MAX_CONCURRENT_PROTECTIONS"]),
    ),
    ...auxiliaryTenants(first(config, env, ["azure-vm-backup:auxiliaryTenantIds", "azure-native:auxiliaryTenantIds"], ["ARM_AUXILIARY_TENANT_IDS"])),
    ...backupServiceObjectId(first(config, env, [BACKUP_SERVICE_OBJECT_ID_SETTING], ["AZURE_VM_BACKUP_BACKUP_MANAGEMENT_SERVICE_OBJECT_ID"])),
  };
}

/** Where the Backup Management Service's object id is set (config key; the environment variable is AZURE_VM_BACKUP_BACKUP_MANAGEMENT_SERVICE_OBJECT_ID). */
export const BACKUP_SERVICE_OBJECT_ID_SETTING = "azure-vm-backup:backupManagementServiceObjectId";

function backupServiceObjectId(text: string | undefined): { backupManagementServiceObjectId?: string } {
  if (text === undefined) return {};
  const id = text.trim();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new SettingsError(
      `${BACKUP_SERVICE_OBJECT_ID_SETTING} must be an object id (a GUID, as \`az ad sp show --id 262044b1-e2ce-469f-a196-69ab7ada62d3 --query id -o tsv\` prints); got '${text}'.`,
    );
  return { backupManagementServiceObjectId: id };
}

/** `maxConcurrentProtections`: a whole number of 1 or more (src/azure/concurrency.ts explains the default). */
function maxConcurrentProtections(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_CONCURRENT_PROTECTIONS;
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1) {
    throw new SettingsError(
      `azure-vm-backup:maxConcurrentProtections (or AZURE_VM_BACKUP_MAX_CONCURRENT_PROTECTIONS) must be a whole number of 1 or more; got '${text}'.`,
    );
  }
  return n;
}

/**
 * `auxiliaryTenantIds`, as azure-native (a JSON list) and Terraform's azurerm (`ARM_AUXILIARY_TENANT_IDS`, separated
 * by ';') take it; ARM accepts at most three auxiliary tokens (https://learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant).
 */
function auxiliaryTenants(text: string | undefined): { auxiliaryTenantIds?: string[] } {
  if (text === undefined) return {};
  let ids: unknown;
  try {
    ids = text.trim().startsWith("[") ? JSON.parse(text) : text.split(/[;,]/);
  } catch {
    ids = undefined;
  }
  const list = Array.isArray(ids) ? ids.map((id) => String(id).trim()).filter((id) => id !== "") : [];
  if (list.length === 0 || list.length > 3) {
    throw new SettingsError(`auxiliaryTenantIds (azure-vm-backup:auxiliaryTenantIds or ARM_AUXILIARY_TENANT_IDS) must list 1 to 3 tenant ids; got '${text}'.`);
  }
  return { auxiliaryTenantIds: list };
}

/** The limit profile and per-limit overrides (what the rules need; components read them too). */
export function limitSettings(config: ConfigSource = NO_CONFIG, env: NodeJS.ProcessEnv = process.env): Pick<AzureSettings, "limitProfile" | "limits"> {
  const limitsText = first(config, env, ["azure-vm-backup:limits"], ["AZURE_VM_BACKUP_LIMITS"]);
  let limits: Partial<Limits> | undefined;
  if (limitsText !== undefined) {
    try {
      limits = JSON.parse(limitsText) as Partial<Limits>;
    } catch {
      throw new SettingsError(`azure-vm-backup:limits must be a JSON object such as {"dataDisksPerVm": 32}; got '${limitsText}'.`);
    }
  }
  return { limitProfile: first(config, env, ["azure-vm-backup:limitProfile"], ["AZURE_VM_BACKUP_LIMIT_PROFILE"]), limits };
}

/**
 * What a component does with an argument it does not have (`input/unknown-argument`): `warning` (default),
 * `error` (construction fails) or `off`. Read by the components only, when a program declares them.
 */
export function unknownArgumentsSetting(config: ConfigSource = NO_CONFIG, env: NodeJS.ProcessEnv = process.env): UnknownArgumentsSetting {
  const text = first(config, env, ["azure-vm-backup:unknownArguments"], ["AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS"]);
  if (text === undefined) return DEFAULT_UNKNOWN_ARGUMENTS;
  const parsed = parseUnknownArgumentsSetting(text);
  if ("problem" in parsed) throw new SettingsError(`azure-vm-backup:unknownArguments (or AZURE_VM_BACKUP_UNKNOWN_ARGUMENTS) ${parsed.problem}.`);
  return parsed.setting;
}

/** The subscription to work in: the resource's own, else the settings'. */
export function subscriptionFor(settings: AzureSettings, explicit?: string): string {
  const subscription = explicit ?? settings.subscriptionId;
  if (subscription === undefined) {
    throw new SettingsError(
      "No Azure subscription is set: set `pulumi config set azure-vm-backup:subscriptionId <id>` (or azure-native:subscriptionId), or ARM_SUBSCRIPTION_ID.",
    );
  }
  return subscription;
}
