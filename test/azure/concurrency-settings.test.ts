import { resolveSettings, SettingsError } from "../../src/azure";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("maxConcurrentProtections", () => {
  it("is 5 by default, and read from config before the environment", () => {
    expect(resolveSettings(config({}), {}).maxConcurrentProtections).toBe(5);
    expect(resolveSettings(config({}), { AZURE_VM_BACKUP_MAX_CONCURRENT_PROTECTIONS: "3" }).maxConcurrentProtections).toBe(3);
    expect(
      resolveSettings(config({ "azure-vm-backup:maxConcurrentProtections": "12" }), { AZURE_VM_BACKUP_MAX_CONCURRENT_PROTECTIONS: "3" })
        .maxConcurrentProtections,
    ).toBe(12);
  });

  it.each(["0", "-1", "2.5", "many"])("refuses %p, naming the key", (value) => {
    const read = () => resolveSettings(config({ "azure-vm-backup:maxConcurrentProtections": value }), {});
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(/azure-vm-backup:maxConcurrentProtections .*AZURE_VM_BACKUP_MAX_CONCURRENT_PROTECTIONS.*whole number of 1 or more/);
    expect(() => resolveSettings(config({}), { AZURE_VM_BACKUP_MAX_CONCURRENT_PROTECTIONS: value })).toThrow(SettingsError);
  });
});
