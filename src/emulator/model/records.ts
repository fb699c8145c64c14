/**
 * How the emulator names and matches its records: a protected item's key, a location, the subscription of
 * an ARM id, and a vault's etag. Pure string functions, written here on their own (not shared with
 * src/azure) so that the emulator can catch src/azure's mistakes.
 */

/** Item keys ignore case and the `IaasVMContainer;`/`VM;` prefixes' spelling. */
export function itemKey(containerName: string, itemName: string): string | undefined {
  const c = /^iaasvmcontainer;(iaasvmcontainerv2|iaasvmcontainer);([^;]+);([^;]+)$/i.exec(containerName);
  const i = /^vm;(iaasvmcontainerv2|iaasvmcontainer);([^;]+);([^;]+)$/i.exec(itemName);
  if (c === null || i === null) return undefined;
  if (`${c[1]};${c[2]};${c[3]}`.toLowerCase() !== `${i[1]};${i[2]};${i[3]}`.toLowerCase()) return undefined;
  return `${c[1]};${c[2]};${c[3]}`.toLowerCase();
}

export function sameLocation(a: string, b: string): boolean {
  return a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();
}

export function subscriptionOf(armId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)\//i.exec(armId)?.[1]?.toLowerCase();
}

export function etag(now: number): string {
  return `W/"datetime'${encodeURIComponent(new Date(now).toISOString())}'"`;
}
