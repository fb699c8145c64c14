/** The Azure edge: settings, credentials, SDK clients, ids, polling, errors, and the operations providers use. */
export * from "./settings";
export * from "./credentials";
export * from "./clients";
export * from "./ids";
export * from "./errors";
export * from "./poll";
export * from "./lookups";
export * from "./policy-body";
export * from "./policy-properties";
export * from "./vaults";
export * from "./policies";
export * from "./protection";
export * from "./vms";
export * from "./registration";
export * from "./resource-guard";
export * from "./private-endpoints";
