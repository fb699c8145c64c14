/**
 * The process's shared lookups (src/azure/lookups.ts): our own changes update a cached list in the order they are
 * made, even when several arrive while the list is still being read (a fleet's operations end together), so that a
 * later create or delete of the process finds each item as the last change left it.
 */
import { Lookups } from "../../src/azure/lookups";

describe("Lookups.update", () => {
  it("keeps every change made while the list is still being read", async () => {
    const lookups = new Lookups();
    let answer: (items: string[]) => void = () => undefined;
    void lookups.get("items", () => new Promise<string[]>((resolve) => (answer = resolve)));
    // Two operations end while the list is in flight: each remembers its item.
    const first = lookups.update<string[]>("items", (items) => [...items, "vm1"]);
    const second = lookups.update<string[]>("items", (items) => [...items, "vm2"]);
    answer(["vm0"]);
    await Promise.all([first, second]);
    await expect(lookups.get("items", () => Promise.resolve(["listed again"]))).resolves.toEqual(["vm0", "vm1", "vm2"]);
  });

  it("forgets a list whose reading failed, so that the next reader lists again", async () => {
    const lookups = new Lookups();
    void lookups.get("items", () => Promise.reject(new Error("429"))).catch(() => undefined);
    await lookups.update<string[]>("items", (items) => [...items, "vm1"]);
    await expect(lookups.get("items", () => Promise.resolve(["vm0"]))).resolves.toEqual(["vm0"]);
  });
});
