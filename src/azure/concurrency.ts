/**
 * How many protection operations of one vault run at once in this process (`maxConcurrentProtections`).
 * Protect, change policy or disks, undelete, stop protection, delete backup data and Backup now each hold a
 * slot of their vault from their first request until their operation has ended (the polls included); the
 * rest wait in arrival order (FIFO) instead of all being sent at once.
 *
 * A tiny semaphore rather than a library: p-limit (the usual choice) is ESM-only from v4 and this package is
 * CommonJS; its v3 (CommonJS) is only a transitive dependency here, and neither keys limits per vault.
 *
 * Why bound at all: Azure throttles Recovery Services requests per resource and action with 429
 * `ResourceRequestsThrottled` and a Retry-After (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling;
 * hashicorp/terraform-provider-azurerm#26874 shows it on `.../protectedItems/read`), and Terraform users who
 * protect a large batch of VMs in one vault at Terraform's default parallelism of 10 see their applies fail
 * with 429s (hashicorp/terraform-provider-azurerm#15737, whose maintainers advise fewer parallel operations).
 * The default, 5, is half of that parallelism; Microsoft documents no per-vault number of concurrent
 * configure-protection operations for Recovery Services vaults.
 */

/** The default bound per vault (see above: half of Terraform's default parallelism, which fails at scale). */
export const DEFAULT_MAX_CONCURRENT_PROTECTIONS = 5;

class Semaphore {
  private active = 0;
  private peak = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    // A raised bound lets waiting operations start now.
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      this.waiting.shift()!();
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  snapshot(): { active: number; queued: number; peak: number; limit: number } {
    return { active: this.active, queued: this.waiting.length, peak: this.peak, limit: this.limit };
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    if (this.active <= this.limit) {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line: `active` stays the same.
      if (next !== undefined) {
        next();
        return;
      }
    }
    this.active--;
  }
}

export interface VaultKeyParts {
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
}

const semaphores = new Map<string, Semaphore>();

/** The vault's key: subscription, resource group and name, case-insensitive as ARM compares them. */
export const protectionVaultKey = (ref: VaultKeyParts): string => `${ref.subscriptionId}/${ref.resourceGroupName}/${ref.vaultName}`.toLowerCase();

/** Runs a protection operation of the vault within its bound: waits (FIFO) for a slot, holds it until `work` settles. */
export function withProtectionSlot<T>(ref: VaultKeyParts, limit: number, work: () => Promise<T>): Promise<T> {
  const key = protectionVaultKey(ref);
  let semaphore = semaphores.get(key);
  if (semaphore === undefined) semaphores.set(key, (semaphore = new Semaphore(limit)));
  else semaphore.setLimit(limit);
  return semaphore.run(work);
}

/** Each vault's slots in this process: running, waiting, the most ever running at once, and the bound (for bench/ and diagnostics). */
export function protectionSlots(): Record<string, { active: number; queued: number; peak: number; limit: number }> {
  return Object.fromEntries([...semaphores].map(([key, s]) => [key, s.snapshot()]));
}
