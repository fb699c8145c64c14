/**
 * Parsing of the ARM ids the rules need (virtual machines), case-insensitively as ARM treats them.
 * The names Azure Backup derives from them (containers, protected items) are built in `src/azure`.
 */
export type VmKind = "arm" | "classic";

export interface VmId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  kind: VmKind;
}

const VM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.(Compute|ClassicCompute)\/virtualMachines\/([^/]+)\/?$/i;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** Parses a VM's ARM id, or returns undefined when `id` is not one. */
export function parseVmId(id: string): VmId | undefined {
  const match = VM_ID.exec(id.trim());
  if (match === null) return undefined;
  const [, subscriptionId, resourceGroup, provider, name] = match as unknown as [string, string, string, string, string];
  return {
    subscriptionId,
    resourceGroup,
    name,
    kind: provider.toLowerCase() === "compute" ? "arm" : "classic",
  };
}

/** A key under which ids of the same resource are equal: ARM ids are case-insensitive. */
export function armIdKey(id: string): string {
  return id.trim().replace(/\/+$/, "").toLowerCase();
}

/** Whether two ids name the same resource (they may differ in case). */
export function sameArmId(a: string, b: string): boolean {
  return armIdKey(a) === armIdKey(b);
}
