import { limitProfiles, UNKNOWN_SENTINEL, validateProtectedVm, type ProtectedVmArgs, type VmArgs } from "../../src/rules";
import { errors, only, OTHER_SUB, SUB, vm, vmId, warnings, bySeverity } from "./helpers";

const protect = (v: VmArgs, extra: Partial<ProtectedVmArgs> = {}): ProtectedVmArgs => ({
  vm: v,
  vault: { name: "rsv-weu", location: "westeurope", subscriptionId: SUB },
  ...extra,
});

describe("validateProtectedVm", () => {
  it("accepts a valid VM", () => {
    expect(validateProtectedVm(protect(vm()))).toEqual([]);
  });

  describe("VM id", () => {
    it("accepts ids in any case and with a classic provider", () => {
      expect(errors(validateProtectedVm(protect(vm("a", 1, 10, { id: vmId("a").toLowerCase() }))))).toEqual([]);
      const classic = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ClassicCompute/virtualMachines/old`;
      expect(errors(validateProtectedVm(protect(vm("a", 1, 10, { id: classic }))))).toEqual([]);
    });
    it.each([
      "vm1",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/disks/d1`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/`,
    ])("rejects %s", (id) => {
      const d = only(validateProtectedVm(protect(vm("a", 1, 10, { id }))), "vm/id");
      expect(d.path).toBe("vm.id");
    });
    it("classic-2015 refuses Resource Manager VMs (seed 002)", () => {
      const d = only(
        validateProtectedVm(protect(vm("a", 1, 10, { osDisk: { sizeGb: 64 }, dataDisks: [] })), { profile: "classic-2015" }),
        "vm/kind-unsupported",
      );
      expect(d.source).toContain("Resource Manager");
    });
  });

  describe("vault and VM in one region and one subscription", () => {
    it("accepts a display-name region that matches", () => {
      expect(errors(validateProtectedVm(protect(vm(), { vault: { location: "West Europe" } })))).toEqual([]);
    });
    it("rejects another region", () => {
      const d = only(validateProtectedVm(protect(vm(), { vault: { name: "rsv-eus", location: "eastus" } })), "vm/location");
      expect(d.path).toBe("vm.location");
      expect(d.message).toContain("westeurope");
      expect(d.message).toContain("vault 'rsv-eus' is in eastus");
      expect(d.source).toContain("the vault must be in the same region as the virtual machines");
    });
    it("warns, in every profile, of a VM in another subscription (cross-subscription backup, 2026), naming its conditions", () => {
      for (const profile of Object.keys(limitProfiles)) {
        const diagnostics = validateProtectedVm(protect(vm(), { vault: { location: "westeurope", subscriptionId: OTHER_SUB } }), { profile });
        expect(errors(diagnostics)).not.toContain("vm/subscription");
        const d = only(diagnostics, "vm/subscription");
        expect(d).toMatchObject({ severity: "warning", path: "vm.id" });
        expect(d.message).toContain("cross-subscription backup");
        expect(d.message).toContain("same tenant");
        expect(d.source).toContain("https://github.com/Azure/azure-cli/pull/33703");
      }
    });
    it("still refuses another region when the subscription differs", () => {
      const diagnostics = validateProtectedVm(protect(vm(), { vault: { location: "eastus", subscriptionId: OTHER_SUB } }));
      expect(errors(diagnostics)).toEqual(["vm/location"]);
    });
    it("accepts a subscription id in another case", () => {
      expect(errors(validateProtectedVm(protect(vm(), { vault: { location: "westeurope", subscriptionId: SUB.toUpperCase() } })))).toEqual([]);
    });
  });

  describe("data disks: 16 per VM (seed 002)", () => {
    it("accepts 16", () => expect(errors(validateProtectedVm(protect(vm("a", 16))))).toEqual([]));
    it("rejects 17, pointing at the 17th disk", () => {
      const d = only(validateProtectedVm(protect(vm("a", 17))), "vm/data-disk-count");
      expect(d.path).toBe("vm.dataDisks[16]");
      expect(d.limit).toEqual({ key: "dataDisksPerVm", value: 16, profile: "stack-v2-2018" });
      expect(d.message).toBe("This VM has 17 data disks; backup supports at most 16 on a VM.");
    });
    it("unmanaged-disk VMs stay at 16 in azure-2025", () => {
      const unmanaged = (n: number) =>
        vm("u", 0, 10, {
          osDisk: { sizeGb: 64, managed: false, storageAccount: "sa1" },
          dataDisks: Array.from({ length: n }, (_, lun) => ({ lun, sizeGb: 10, managed: false, storageAccount: "sa1" })),
        });
      expect(errors(validateProtectedVm(protect(unmanaged(16)), { profile: "azure-2025" }))).toEqual([]);
      expect(only(validateProtectedVm(protect(unmanaged(17)), { profile: "azure-2025" }), "vm/data-disk-count").limit?.key).toBe("dataDisksPerUnmanagedVm");
    });
  });

  describe("disk size: 4 TB per disk with stack V2 (seed 000)", () => {
    it("accepts 4095 GB", () => expect(errors(validateProtectedVm(protect(vm("a", 1, 4095))))).toEqual([]));
    it("rejects 4096 GB", () => {
      const d = only(validateProtectedVm(protect(vm("a", 1, 4096))), "vm/disk-size");
      expect(d.path).toBe("vm.dataDisks[0].sizeGb");
      expect(d.source).toContain("Support for disk sizes up to 4 TB");
    });
    it("checks the OS disk too", () => {
      const big = vm("a", 0, 1, { osDisk: { sizeGb: 5000 } });
      expect(only(validateProtectedVm(protect(big)), "vm/disk-size").path).toBe("vm.osDisk.sizeGb");
    });
    it("classic-2015 stops at 1023 GB", () => {
      const standard = (sizeGb: number) => ({ ...vm("a", 0), id: vm().id.replace("Microsoft.Compute", "Microsoft.ClassicCompute"), osDisk: { sizeGb } });
      expect(errors(validateProtectedVm(protect(standard(1023)), { profile: "classic-2015" }))).toEqual([]);
      expect(errors(validateProtectedVm(protect(standard(1024)), { profile: "classic-2015" }))).toEqual(["vm/disk-size"]);
    });
    it("azure-2025 allows 32 TB per disk and 256 TB per VM", () => {
      const options = { profile: "azure-2025" };
      expect(errors(validateProtectedVm(protect(vm("a", 1, 32767)), options))).toEqual([]);
      expect(errors(validateProtectedVm(protect(vm("a", 1, 32768)), options))).toEqual(["vm/disk-size"]);
      const total = (n: number) => vm("a", n, 32767, { osDisk: { sizeGb: 262144 - 8 * 32767 } });
      expect(errors(validateProtectedVm(protect({ ...total(8), osDisk: { sizeGb: 8 } }), options))).toEqual([]);
      const tooBig = vm("a", 9, 32767, { osDisk: { sizeGb: 1024 } });
      expect(only(validateProtectedVm(protect(tooBig), options), "vm/vm-size").limit?.value).toBe(262144);
    });
    it("rejects sizes that cannot be", () => {
      expect(errors(validateProtectedVm(protect(vm("a", 1, 10, { osDisk: { sizeGb: 0 } }))))).toEqual(["vm/disk-size-value"]);
      expect(errors(validateProtectedVm(protect(vm("a", 1, 10, { osDisk: { sizeGb: 30, usedGb: 31 } }))))).toEqual(["vm/disk-size-value"]);
    });
  });

  describe("LUNs", () => {
    it("rejects two disks on one LUN and LUNs outside 0-63", () => {
      const dup = vm("a", 0, 1, {
        dataDisks: [
          { lun: 1, sizeGb: 8 },
          { lun: 1, sizeGb: 8 },
        ],
      });
      expect(only(validateProtectedVm(protect(dup)), "vm/disk-lun").path).toBe("vm.dataDisks[1].lun");
      const out = vm("a", 0, 1, { dataDisks: [{ lun: 64, sizeGb: 8 }] });
      expect(errors(validateProtectedVm(protect(out)))).toEqual(["vm/disk-lun"]);
    });
  });

  describe("security type (backup-support-matrix-iaas, 2023 and 2026)", () => {
    const codes = (d: { code: string; severity: string }[]) => d.map((x) => `${x.severity} ${x.code}`);
    it("reads Standard, TrustedLaunch and ConfidentialVM in any case, and refuses others", () => {
      for (const securityType of ["Standard", "trustedlaunch", "ConfidentialVM"]) {
        const args = protect(vm("a", 1, 10, { securityType, location: "uaenorth" }), { vault: { location: "uaenorth" }, policy: { policyType: "V2" } });
        expect(errors(validateProtectedVm(args))).toEqual([]);
      }
      const d = only(validateProtectedVm(protect(vm("a", 1, 10, { securityType: "TrustedLauch" }))), "vm/security-type");
      expect(d.path).toBe("vm.securityType");
      expect(d.message).toContain("did you mean 'TrustedLaunch'?");
    });
    it("accepts a Trusted Launch VM on either policy type; on a standard (V1) one it notes the 2025-01-01 API and the snapshot cost", () => {
      const tl = vm("a", 1, 10, { securityType: "TrustedLaunch" });
      expect(codes(validateProtectedVm(protect(tl)))).toEqual(["info vm/trusted-launch-standard-policy"]);
      const d = only(validateProtectedVm(protect(tl)), "vm/trusted-launch-standard-policy");
      expect(d.path).toBe("vm.securityType");
      expect(d.source).toContain("2025-01-01");
      expect(validateProtectedVm(protect(tl, { policy: { policyType: "V2" } }))).toEqual([]);
      expect(validateProtectedVm(protect(vm("a", 1, 10, { securityType: "Standard" })))).toEqual([]);
    });
    it("needs an enhanced (V2) policy for a Confidential VM, in a region of the preview", () => {
      const cvm = (location: string) => vm("a", 1, 10, { securityType: "ConfidentialVM", location });
      const at = (location: string, extra: Partial<ProtectedVmArgs> = {}) => protect(cvm(location), { vault: { location }, ...extra });
      expect(codes(validateProtectedVm(at("koreacentral")))).toEqual(["warning vm/confidential-preview", "error vm/confidential-needs-enhanced-policy"]);
      expect(codes(validateProtectedVm(at("uksouth", { policy: { policyType: "V2" } })))).toEqual(["warning vm/confidential-preview"]);
      const region = only(validateProtectedVm(at("westeurope", { policy: { policyType: "V2" } })), "vm/confidential-region");
      expect(region.path).toBe("vm.location");
      expect(region.message).toContain("uaenorth, koreacentral");
      expect(region.source).toContain("backup-support-matrix-iaas");
    });
    it("warns that a Confidential VM's vault with cross-region restore cannot restore it in the paired region", () => {
      const args = protect(vm("a", 1, 10, { securityType: "ConfidentialVM", location: "uaenorth" }), {
        vault: { name: "rsv-grs", location: "uaenorth", crossRegionRestore: true },
        policy: { policyType: "V2" },
      });
      const d = only(validateProtectedVm(args), "vm/confidential-cross-region-restore");
      expect(d.severity).toBe("warning");
      expect(d.message).toContain("Vault 'rsv-grs' has cross-region restore on");
      expect(warnings(validateProtectedVm({ ...args, vault: { ...args.vault, crossRegionRestore: false } }))).toEqual(["vm/confidential-preview"]);
    });
    it("applies in every profile: the security type is today's service's behaviour, not a limit", () => {
      for (const profile of ["stack-v2-2018", "azure-2025"]) {
        const cvm = vm("a", 1, 10, { securityType: "ConfidentialVM", location: "uaenorth" });
        expect(errors(validateProtectedVm(protect(cvm, { vault: { location: "uaenorth" } }), { profile }))).toEqual(["vm/confidential-needs-enhanced-policy"]);
      }
    });
  });

  describe("disk types", () => {
    const withType = (storageType: string) => vm("a", 0, 1, { dataDisks: [{ lun: 0, sizeGb: 64, storageType }] });
    it.each(["PremiumV2_LRS", "UltraSSD_LRS"])("%s needs an enhanced (V2) policy", (type) => {
      const d = only(validateProtectedVm(protect(withType(type))), "vm/disk-needs-enhanced-policy");
      expect(d.path).toBe("vm.dataDisks[0].storageType");
      expect(errors(validateProtectedVm(protect(withType(type), { policy: { policyType: "V2" } })))).toEqual([]);
      expect(errors(validateProtectedVm(protect(withType(type), { policy: { policyType: "V1" } })))).toEqual(["vm/disk-needs-enhanced-policy"]);
    });
    it("accepts Premium SSD with a standard policy", () => {
      expect(errors(validateProtectedVm(protect(withType("premium_lrs"))))).toEqual([]);
    });
    it("classic-2015 refuses premium storage (seed 002)", () => {
      const classic = { ...withType("Premium_LRS"), id: vm().id.replace("Microsoft.Compute", "Microsoft.ClassicCompute"), osDisk: { sizeGb: 64 } };
      expect(errors(validateProtectedVm(protect(classic), { profile: "classic-2015" }))).toEqual(["vm/premium-unsupported"]);
    });
    it("warns about an unknown type", () => {
      expect(warnings(validateProtectedVm(protect(withType("Super_SSD"))))).toEqual(["vm/storage-type"]);
    });
    it("rejects mixing managed and unmanaged disks", () => {
      const mixed = vm("a", 0, 1, { dataDisks: [{ lun: 0, sizeGb: 8, managed: false, storageAccount: "sa" }] });
      expect(errors(validateProtectedVm(protect(mixed)))).toEqual(["vm/mixed-disks"]);
    });
    it("notes an unmanaged disk without its storage account", () => {
      const unmanaged = vm("a", 0, 1, { osDisk: { sizeGb: 64, managed: false } });
      expect(bySeverity(validateProtectedVm(protect(unmanaged)), "info")).toEqual(["vm/storage-account-missing"]);
    });
  });

  describe("operating system", () => {
    it.each([
      ["MicrosoftWindowsServer:WindowsServer:2008-R2-SP1:latest", []],
      ["MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter:latest", []],
      ["Windows Server 2019 Datacenter", []],
      ["Canonical:UbuntuServer:18.04-LTS:latest", []],
      ["Windows Server 2008 SP2", ["vm/os-unsupported"]],
      ["Windows Server 2003 R2", ["vm/os-unsupported"]],
      ["Windows 7 Enterprise", ["vm/os-unsupported"]],
      ["Windows Server 2008 R2 x86", ["vm/os-unsupported"]],
    ])("%s → %j (stack-v2-2018)", (osImage, expected) => {
      expect(warnings(validateProtectedVm(protect(vm("a", 1, 10, { osType: "Windows", osImage }))))).toEqual(expected);
    });
    it("azure-2025 supports Windows Server 2008 (64-bit)", () => {
      const v = vm("a", 1, 10, { osImage: "Windows Server 2008 SP2" });
      expect(warnings(validateProtectedVm(protect(v), { profile: "azure-2025" }))).toEqual([]);
      expect(warnings(validateProtectedVm(protect({ ...v, osImage: "Windows Server 2003" }), { profile: "azure-2025" }))).toEqual(["vm/os-unsupported"]);
    });
    it("rejects an unknown OS type", () => {
      expect(errors(validateProtectedVm(protect(vm("a", 1, 10, { osType: "BeOS" }))))).toEqual(["vm/os-type"]);
    });
  });

  describe("selective disk backup", () => {
    it("accepts include or exclude LUNs of attached disks; [] means the OS disk only", () => {
      expect(errors(validateProtectedVm(protect(vm("a", 3), { includeDiskLuns: [0, 2] })))).toEqual([]);
      expect(errors(validateProtectedVm(protect(vm("a", 3), { excludeDiskLuns: [1] })))).toEqual([]);
      expect(errors(validateProtectedVm(protect(vm("a", 3), { includeDiskLuns: [] })))).toEqual([]);
    });
    it("rejects both lists at once", () => {
      const d = only(validateProtectedVm(protect(vm("a", 3), { includeDiskLuns: [0], excludeDiskLuns: [1] })), "vm/disk-luns-conflict");
      expect(d.path).toBe("excludeDiskLuns");
    });
    it("rejects a LUN with no disk, naming the attached ones", () => {
      const d = only(validateProtectedVm(protect(vm("a", 3), { excludeDiskLuns: [5] })), "vm/disk-lun-unknown");
      expect(d.path).toBe("excludeDiskLuns[0]");
      expect(d.message).toContain("LUN 0, 1, 2");
    });
    it("rejects negative and repeated LUNs", () => {
      expect(errors(validateProtectedVm(protect(vm("a", 3), { includeDiskLuns: [-1] })))).toEqual(["vm/disk-lun"]);
      expect(errors(validateProtectedVm(protect(vm("a", 3), { includeDiskLuns: [1, 1] })))).toEqual(["input/duplicate"]);
    });
  });

  describe("preview unknowns", () => {
    it("skip the region check when the VM's location is unknown", () => {
      const v = { ...vm(), location: UNKNOWN_SENTINEL };
      expect(validateProtectedVm(protect(v, { vault: { location: "eastus" } }))).toEqual([]);
    });
    it("skip everything about disks when the disk list is unknown", () => {
      const v = { ...vm(), dataDisks: UNKNOWN_SENTINEL } as unknown as VmArgs;
      expect(validateProtectedVm(protect(v, { includeDiskLuns: [9] }))).toEqual([]);
    });
    it("skip the id checks when the id is unknown, and still check the rest", () => {
      const v = { ...vm("a", 17), id: UNKNOWN_SENTINEL };
      expect(errors(validateProtectedVm(protect(v, { vault: { location: "westeurope", subscriptionId: OTHER_SUB } })))).toEqual(["vm/data-disk-count"]);
    });
  });

  it("requires the VM's id, location and OS disk", () => {
    const diagnostics = validateProtectedVm({ vm: { dataDisks: [] } as unknown as VmArgs, vault: { location: "westeurope" } });
    expect(diagnostics.filter((d) => d.code === "input/required").map((d) => d.path)).toEqual(["vm.id", "vm.location", "vm.osDisk"]);
  });
});

describe("VM location", () => {
  it("rejects what cannot be a region", () => {
    const d = only(validateProtectedVm({ vm: vm("a", 1, 10, { location: "west europe!" }), vault: { location: "westeurope" } }), "vm/location-name");
    expect(d.path).toBe("vm.location");
  });
});
