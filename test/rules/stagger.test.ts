import { estimateBackupHours, staggerPolicies, windowStartTimes, type StaggerVm } from "../../src/rules";

const vms = (n: number, hours = 1, prefix = "vm"): StaggerVm[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/${prefix}-${String(i).padStart(4, "0")}`,
    estimateHours: hours,
  }));

/** A small deterministic PRNG (mulberry32), so that the property checks repeat exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
const offset = (start: string, t: string) => (minutes(t) - minutes(start) + 1440) % 1440;

describe("staggerPolicies", () => {
  it("the start times of a window: every half hour from its start, past midnight", () => {
    expect(windowStartTimes({ start: "22:00", hours: 2 })).toEqual([1320, 1350, 1380, 1410]);
    expect(windowStartTimes({ start: "23:30", hours: 1.5 })).toEqual([1410, 0, 30]);
    expect(windowStartTimes({ start: "22:15", hours: 2 })).toBeUndefined();
    expect(windowStartTimes({ start: "22:00", hours: 0 })).toBeUndefined();
    expect(windowStartTimes({ start: "22:00", hours: 25 })).toBeUndefined();
  });

  it("250 VMs: three start times of at most 100, the first at the window's start, spread over the window (00:30 halfway between 22:00 and 03:00, the last start that leaves an hour)", () => {
    const result = staggerPolicies({ vms: vms(250), window: { start: "22:00", hours: 6 } });
    expect(result.diagnostics).toEqual([]);
    expect(result.slots.map((s) => [s.time, s.vmKeys.length])).toEqual([
      ["22:00", 100],
      ["00:30", 50],
      ["03:00", 100],
    ]);
    expect(Object.keys(result.assignment)).toHaveLength(250);
  });

  it("keeps every previous assignment when VMs are added anywhere, and places only the new ones", () => {
    const first = staggerPolicies({ vms: vms(250), window: { start: "22:00", hours: 6 } });
    const more = [...vms(250)];
    more.splice(125, 0, ...vms(10, 1, "added"));
    const second = staggerPolicies({ vms: more, window: { start: "22:00", hours: 6 }, previous: first.assignment });
    expect(second.diagnostics).toEqual([]);
    for (const [key, time] of Object.entries(first.assignment)) expect(second.assignment[key]).toBe(time);
    expect(Object.keys(second.assignment)).toHaveLength(260);
    // The new VMs go to the least loaded start time with room.
    expect(second.slots.map((s) => [s.time, s.vmKeys.length])).toEqual([
      ["22:00", 100],
      ["00:30", 60],
      ["03:00", 100],
    ]);
  });

  it("a VM leaves the assignment with the set; the others stay", () => {
    const first = staggerPolicies({ vms: vms(5), window: { start: "22:00", hours: 6 } });
    const second = staggerPolicies({ vms: vms(5).slice(1), window: { start: "22:00", hours: 6 }, previous: first.assignment });
    expect(Object.keys(second.assignment)).toHaveLength(4);
    for (const [key, time] of Object.entries(second.assignment)) expect(first.assignment[key]).toBe(time);
  });

  it("places a VM only where its backup ends within the window, largest first", () => {
    const fleet = [...vms(3, 5.5, "big"), ...vms(100, 1, "small"), ...vms(2, 3, "mid")];
    const result = staggerPolicies({ vms: fleet, window: { start: "22:00", hours: 6 } });
    expect(result.diagnostics).toEqual([]);
    for (const vm of fleet) expect(offset("22:00", result.assignment[vm.key]!) + vm.estimateHours * 60).toBeLessThanOrEqual(360);
    expect(result.assignment[fleet[0]!.key]).toBe("22:00");
  });

  it("a VM whose backup is longer than the window: an error naming it, the estimate and the window needed", () => {
    const result = staggerPolicies({ vms: [{ key: "k", label: "db-01", estimateHours: 7.2 }, ...vms(2)], window: { start: "22:00", hours: 6 }, path: "vms" });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: "plan/stagger-vm-too-long",
        severity: "error",
        path: "vms[0]",
        message: expect.stringContaining("VM 'db-01': its backup is estimated at 7.2 hours, longer than the 6-hour backup window"),
        remedy: expect.stringContaining("at least 7.5 hours"),
        source: expect.stringContaining("Plan your VM backup infrastructure"),
      }),
    ]);
    expect(Object.keys(result.assignment)).toHaveLength(2);
  });

  it("start times full: an error with the count, the limit and how many more start times are needed", () => {
    const result = staggerPolicies({ vms: vms(250, 0.5), window: { start: "22:00", hours: 1 } });
    const [d] = result.diagnostics;
    expect(result.diagnostics).toHaveLength(1);
    expect(d).toMatchObject({ code: "plan/stagger-start-times-full", severity: "error", limit: { key: "vmsPerSchedule", value: 100 } });
    expect(d!.message).toMatch(/^50 VMs cannot be placed/);
    expect(d!.remedy).toContain("1 more start time: make the window 0.5 hours longer");
    expect(result.slots.map((s) => s.vmKeys.length)).toEqual([100, 100]);
  });

  it("the limit comes from the profile and its overrides", () => {
    const result = staggerPolicies({ vms: vms(250), window: { start: "22:00", hours: 6 } }, { limits: { vmsPerSchedule: 50 } });
    expect(result.slots.map((s) => s.vmKeys.length)).toEqual([50, 50, 50, 50, 50]);
  });

  it("a kept start time outside a narrowed window: a warning, and the VM is not moved", () => {
    const first = staggerPolicies({ vms: vms(150), window: { start: "22:00", hours: 6 } });
    const second = staggerPolicies({ vms: vms(150), window: { start: "22:00", hours: 2 }, previous: first.assignment, path: "vms" });
    expect(second.assignment).toEqual(first.assignment);
    expect(second.diagnostics.length).toBe(50);
    expect(second.diagnostics[0]).toMatchObject({
      code: "plan/stagger-kept-outside-window",
      severity: "warning",
      path: "vms[100].startTime",
      message: expect.stringContaining("keeps its start time 03:00 from the previous run"),
    });
  });

  it("kept start times over a lowered limit: an error", () => {
    const first = staggerPolicies({ vms: vms(150), window: { start: "22:00", hours: 6 } });
    const second = staggerPolicies({ vms: vms(150), window: { start: "22:00", hours: 6 }, previous: first.assignment }, { limits: { vmsPerSchedule: 60 } });
    expect(second.diagnostics.map((d) => d.code)).toEqual(["plan/stagger-start-times-full"]);
    expect(second.diagnostics[0]!.message).toContain("100 VMs keep their start time 22:00");
  });

  it("an invalid window: an error, nothing placed", () => {
    const result = staggerPolicies({ vms: vms(2), window: { start: "22:10", hours: 6 } });
    expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([["plan/stagger-window", "window"]]);
    expect(result.slots).toEqual([]);
  });

  it("property: random fleets are never over the limit, fit the window, are stable on additions and do not depend on order", () => {
    const next = random(20261202);
    for (let round = 0; round < 60; round++) {
      const limit = 1 + Math.floor(next() * 40);
      const hours = 1 + Math.floor(next() * 16) / 2;
      const window = { start: `${String(Math.floor(next() * 24)).padStart(2, "0")}:${next() < 0.5 ? "00" : "30"}`, hours };
      const fleet: StaggerVm[] = Array.from({ length: Math.floor(next() * 120) }, (_, i) => ({ key: `vm-${round}-${i}`, estimateHours: next() * hours * 1.1 }));
      const options = { limits: { vmsPerSchedule: limit } };
      const first = staggerPolicies({ vms: fleet, window }, options);
      const check = (r: typeof first, list: StaggerVm[]) => {
        for (const slot of r.slots) expect(slot.vmKeys.length).toBeLessThanOrEqual(limit);
        for (const vm of list) {
          const time = r.assignment[vm.key];
          if (time === undefined) continue;
          expect(minutes(time) % 30).toBe(0);
          expect(offset(window.start, time) + vm.estimateHours * 60).toBeLessThanOrEqual(hours * 60 + 1e-6);
        }
        const placed = Object.keys(r.assignment).length;
        expect(placed === list.length).toBe(!r.diagnostics.some((d) => d.severity === "error"));
      };
      check(first, fleet);
      // Deterministic, whatever the order of the input.
      const shuffled = [...fleet].sort(() => next() - 0.5);
      expect(staggerPolicies({ vms: shuffled, window }, options).assignment).toEqual(first.assignment);
      // Additions anywhere keep every placed VM where it was.
      const added: StaggerVm[] = Array.from({ length: Math.floor(next() * 30) }, (_, i) => ({ key: `new-${round}-${i}`, estimateHours: next() * hours }));
      const grown = [...fleet];
      for (const vm of added) grown.splice(Math.floor(next() * (grown.length + 1)), 0, vm);
      const second = staggerPolicies({ vms: grown, window, previous: first.assignment }, options);
      for (const [key, time] of Object.entries(first.assignment)) expect(second.assignment[key]).toBe(time);
      check(second, grown);
    }
  });
});

describe("estimateBackupHours", () => {
  const vm = {
    id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a",
    location: "westeurope",
    osDisk: { sizeGb: 128 },
    dataDisks: [{ lun: 0, sizeGb: 1024, usedGb: 512 }],
  };
  it("the first backup: the slowest disk at 160 Mbps; an incremental one of the largest disk at 640 Mbps", () => {
    expect(estimateBackupHours(vm)).toBeCloseTo((512 * 2 ** 30 * 8) / 160e6 / 3600, 6);
    expect(estimateBackupHours(vm, "incremental")).toBeCloseTo((512 * 2 ** 30 * 8) / 480e6 / 3600, 6);
  });
});
