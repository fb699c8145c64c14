import { estimateBilling, estimateProtectedInstance, type VmArgs } from "../../src";
import { vm } from "./helpers";

describe("estimateProtectedInstance", () => {
  it("reproduces the seeds' 47 GB example: used data on OS and data disks, temporary disk excluded", () => {
    // Plan your VM backup infrastructure in Azure (Microsoft Docs, 2018): OS disk 4095 GB with 17 GB, temporary disk 5 GB (not backed up, not described),
    // data disks of 4095 GB with 30 GB and 0 GB: "The actual size of the VM ... is 47 GB".
    const example: VmArgs = {
      id: vm().id,
      location: "westeurope",
      osDisk: { sizeGb: 4095, usedGb: 17 },
      dataDisks: [
        { lun: 0, sizeGb: 4095, usedGb: 30 },
        { lun: 1, sizeGb: 4095, usedGb: 0 },
      ],
    };
    const estimate = estimateProtectedInstance(example);
    expect(estimate.protectedInstanceGb).toBe(47);
    expect(estimate.usedDataEstimated).toBe(false);
    expect(estimate.billing).toEqual({ tier: "small", units: 1 });
  });

  it.each([
    [50, "small", 1],
    [51, "standard", 1],
    [500, "standard", 1],
    [501, "standard", 2],
    [1000, "standard", 2],
    [1001, "standard", 3],
  ])("%i GB is billed as %s x %i", (usedGb, tier, units) => {
    const estimate = estimateProtectedInstance({ ...vm("a", 0), osDisk: { sizeGb: 2048, usedGb } });
    expect(estimate.billing).toEqual({ tier, units });
  });

  it("counts the disk size when used data is not given, and says it is an upper bound", () => {
    const estimate = estimateProtectedInstance({ ...vm("a", 0), osDisk: { sizeGb: 128 } });
    expect(estimate.protectedInstanceGb).toBe(128);
    expect(estimate.usedDataEstimated).toBe(true);
  });

  it("takes the used data Azure measured over the disk sizes, and then it is not an upper bound", () => {
    // The VM: 1,663 GB of disks, 960 GB of data.
    const sizes: VmArgs = {
      ...vm("a", 0),
      osDisk: { sizeGb: 127 },
      dataDisks: [
        { lun: 0, sizeGb: 1024 },
        { lun: 1, sizeGb: 512 },
      ],
    };
    const bySize = estimateProtectedInstance(sizes);
    expect([bySize.protectedInstanceGb, bySize.usedDataEstimated, bySize.usedDataMeasured, bySize.billing]).toEqual([
      1663,
      true,
      false,
      { tier: "standard", units: 4 },
    ]);
    const measured = estimateProtectedInstance(sizes, { measuredUsedGb: 960 });
    expect([measured.protectedInstanceGb, measured.usedDataEstimated, measured.usedDataMeasured, measured.billing]).toEqual([
      960,
      false,
      true,
      { tier: "standard", units: 2 },
    ]);
    // The measure wins over declared used data too: it is what the service counted.
    const declared = estimateProtectedInstance({ ...vm("a", 0), osDisk: { sizeGb: 128, usedGb: 100 } }, { measuredUsedGb: 40 });
    expect([declared.protectedInstanceGb, declared.usedDataEstimated, declared.billing]).toEqual([40, false, { tier: "small", units: 1 }]);
  });

  it("ignores a measure that is not a size", () => {
    for (const measuredUsedGb of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      const e = estimateProtectedInstance({ ...vm("a", 0), osDisk: { sizeGb: 128 } }, { measuredUsedGb });
      expect([e.protectedInstanceGb, e.usedDataEstimated, e.usedDataMeasured]).toEqual([128, true, false]);
    }
  });

  it("bills a measured size like any other: estimateBilling", () => {
    expect([50, 51, 501].map((gb) => estimateBilling(gb))).toEqual([
      { tier: "small", units: 1 },
      { tier: "standard", units: 1 },
      { tier: "standard", units: 2 },
    ]);
  });

  it("leaves out disks excluded from backup", () => {
    const v = vm("a", 3, 100); // OS 12 GB used, data disks 10 GB used each
    expect(estimateProtectedInstance(v).protectedInstanceGb).toBe(42);
    expect(estimateProtectedInstance(v, { excludeDiskLuns: [1] }).protectedInstanceGb).toBe(32);
    expect(estimateProtectedInstance(v, { includeDiskLuns: [] }).protectedInstanceGb).toBe(12);
  });

  it("times the first backup by the slowest disk at 160 Mbps (disks back up in parallel)", () => {
    const v: VmArgs = { ...vm("a", 0), osDisk: { sizeGb: 200, usedGb: 100 }, dataDisks: [{ lun: 0, sizeGb: 200, usedGb: 50 }] };
    const estimate = estimateProtectedInstance(v);
    const hoursFor100Gb = (100 * 2 ** 30 * 8) / 160e6 / 3600;
    expect(estimate.initialBackupHours).toBeCloseTo(hoursFor100Gb, 6);
    expect(estimate.initialBackupHours).toBeCloseTo(1.491, 3);
    expect(estimate.disks.map((d) => d.disk)).toEqual(["The OS disk", "Data disk LUN 0"]);
  });

  it("caps incremental throughput at the 60 MB/s blob target (seed 001)", () => {
    // 640 Mbps incremental exceeds 60 MB/s = 480 Mbps; a day moves 480e6 * 86400 / 8 bytes per disk.
    const expected = (480e6 * 86400) / 8 / 2 ** 30;
    expect(estimateProtectedInstance(vm()).incrementalCapacityGb).toBeCloseTo(expected, 6);
  });

  it("follows the profile's throughput and billing limits", () => {
    const v = { ...vm("a", 0), osDisk: { sizeGb: 200, usedGb: 100 } };
    expect(estimateProtectedInstance(v, { limits: { initialBackupMbps: 80 } }).initialBackupHours).toBeCloseTo(2.983, 3);
    expect(estimateProtectedInstance(v, { limits: { smallInstanceMaxGb: 100 } }).billing.tier).toBe("small");
  });
});
