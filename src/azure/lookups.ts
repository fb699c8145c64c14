/**
 * Lookups that many resources share, made once per process (one provider host runs all of a stack's
 * resources of a kind): a vault's protected items, its policies, its protectable VMs. Our own changes
 * update or drop the cached value, so later reads in the process stay true.
 */
export class Lookups {
  private readonly values = new Map<string, Promise<unknown>>();

  get<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    let value = this.values.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = fetch();
      this.values.set(key, value);
      // A failed lookup is not remembered: the next caller tries again.
      this.forgetOnFailure(key, value);
    }
    return value;
  }

  /**
   * Replaces a cached value if it is cached (a change we made ourselves). The change is chained on the value at once,
   * so that changes made while the value is still being read (several operations ending together) all apply, in order.
   */
  async update<T>(key: string, change: (value: T) => T): Promise<void> {
    const current = this.values.get(key) as Promise<T> | undefined;
    if (current === undefined) return;
    const next = current.then(change);
    this.values.set(key, next);
    this.forgetOnFailure(key, next);
    await next.catch(() => undefined);
  }

  /** Drops the value if it fails, unless a newer one replaced it meanwhile. */
  private forgetOnFailure(key: string, value: Promise<unknown>): void {
    value.catch(() => {
      if (this.values.get(key) === value) this.values.delete(key);
    });
  }

  forget(key: string): void {
    this.values.delete(key);
  }

  clear(): void {
    this.values.clear();
  }
}

/** The process's lookups. */
export const lookups = new Lookups();
