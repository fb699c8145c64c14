/**
 * The policy pack (`pulumi-azure-vm-backup/policy`) served by @pulumi/policy's own analyzer server and driven over gRPC as
 * the engine drives it (src/testing/analyzer.ts): the pack of test/fixtures/policy-pack, in a directory whose node_modules
 * holds this package (linked, loaded from its sources through the `azure-vm-backup-source` condition with tsx) and
 * @pulumi/policy. Resources are azure-native's, with the properties the engine sends: a resource's inputs to Analyze,
 * every resource of the stack to AnalyzeStack.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { POLICY_NAMES } from "../../src/policy";
import { policyProvider } from "../../src/providers/policy";
import { PolicyAnalyzer, urnOf, type AnalyzerDiagnostic } from "../../src/testing/analyzer";

const ROOT = join(__dirname, "../..");
const SUB = "00000000-0000-0000-0000-00000000aaaa";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const T = {
  vault: "azure-native:recoveryservices:Vault",
  policy: "azure-native:recoveryservices:ProtectionPolicy",
  item: "azure-native:recoveryservices:ProtectedItem",
  vm: "azure-native:compute:VirtualMachine",
};

/**
 * A pack's directory as a user's would be: the pack's files, and node_modules holding this package (linked, its sources
 * loaded through the `azure-vm-backup-source` condition with tsx) and @pulumi/policy.
 */
function packDirectory(source: string, packageJson?: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "avb-policy-pack-"));
  cpSync(source, dir, { recursive: true });
  if (packageJson !== undefined) writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
  mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
  symlinkSync(ROOT, join(dir, "node_modules", "pulumi-azure-vm-backup"), "dir");
  for (const pkg of ["policy", "pulumi"])
    symlinkSync(dirname(require.resolve(`@pulumi/${pkg}/package.json`)), join(dir, "node_modules", "@pulumi", pkg), "dir");
  return dir;
}

function startPack(dir: string): Promise<PolicyAnalyzer> {
  return PolicyAnalyzer.start({
    cwd: dir,
    nodeArgs: ["--conditions=azure-vm-backup-source", "--import", require.resolve("tsx", { paths: [ROOT] })],
    // run-policy-pack registers ts-node for TypeScript programs; the package's sources are loaded by tsx instead (a user's
    // installed package is JavaScript, which ts-node leaves alone), so ts-node is told to leave every file to it.
    env: { ...process.env, TS_NODE_IGNORE: "." },
  });
}

let analyzer: PolicyAnalyzer;
let dir: string;

beforeAll(async () => {
  dir = packDirectory(join(ROOT, "test/fixtures/policy-pack"));
  analyzer = await startPack(dir);
}, 60_000);

afterAll(async () => {
  await analyzer?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const at = (time: string) => `2026-01-01T${time}:00Z`;

/** An azure-native ProtectionPolicy of Azure VMs, daily at `time`, kept 30 days (LongTermRetentionPolicy). */
function dailyPolicy(time: string, extra: Record<string, unknown> = {}) {
  return {
    resourceGroupName: "rg-backup",
    vaultName: "rsv-prod",
    policyName: "nightly",
    properties: {
      backupManagementType: "AzureIaasVM",
      policyType: "V1",
      timeZone: "UTC",
      instantRpRetentionRangeInDays: 2,
      schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: [at(time)] },
      retentionPolicy: {
        retentionPolicyType: "LongTermRetentionPolicy",
        dailySchedule: { retentionTimes: [at(time)], retentionDuration: { count: 30, durationType: "Days" } },
      },
      ...extra,
    },
  };
}

const vaultProps = (properties: Record<string, unknown> = {}) => ({
  resourceGroupName: "rg-backup",
  vaultName: "rsv-prod",
  location: "westeurope",
  sku: { name: "RS0", tier: "Standard" },
  properties: { publicNetworkAccess: "Enabled", ...properties },
});

const vmId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`;
const policyId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod/backupPolicies/${name}`;

function vm(name: string, tags?: Record<string, string>, dataDiskType = "Premium_LRS") {
  return {
    type: T.vm,
    name,
    properties: {
      resourceGroupName: "rg-app",
      vmName: name,
      location: "westeurope",
      hardwareProfile: { vmSize: "Standard_D2s_v5" },
      storageProfile: {
        imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
        osDisk: { createOption: "FromImage", diskSizeGB: 30, managedDisk: { storageAccountType: "Premium_LRS" } },
        dataDisks: [{ lun: 0, createOption: "Empty", diskSizeGB: 128, managedDisk: { storageAccountType: dataDiskType } }],
      },
      osProfile: { computerName: name, adminUsername: "azureuser", linuxConfiguration: { disablePasswordAuthentication: true } },
      ...(tags === undefined ? {} : { tags }),
    },
  };
}

function item(name: string, vmName: string, sourceResourceId: string = vmId(vmName), policy = "nightly", dependencies: string[] = []) {
  return {
    type: T.item,
    name,
    dependencies,
    properties: {
      resourceGroupName: "rg-backup",
      vaultName: "rsv-prod",
      fabricName: "Azure",
      containerName: `iaasvmcontainer;iaasvmcontainerv2;rg-app;${vmName}`,
      protectedItemName: `vm;iaasvmcontainerv2;rg-app;${vmName}`,
      properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId, policyId: policyId(policy) },
    },
  };
}

const codes = (ds: readonly AnalyzerDiagnostic[]) => ds.map((d) => /\[([a-z-]+\/[a-z0-9-]+)\]/.exec(d.message)?.[1]);

describe("the policy pack through @pulumi/policy's analyzer server", () => {
  it("serves its policies: errors mandatory, warnings advisory", async () => {
    const info = await analyzer.info();
    expect(info.name).toBe("azure-vm-backup");
    const levels = Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel]));
    expect(levels).toEqual({
      [POLICY_NAMES.vault]: "mandatory",
      [POLICY_NAMES.policy]: "mandatory",
      [POLICY_NAMES.protectedItem]: "mandatory",
      [POLICY_NAMES.warnings]: "advisory",
      [POLICY_NAMES.vmsProtected]: "mandatory",
      [POLICY_NAMES.plan]: "mandatory",
      [POLICY_NAMES.planWarnings]: "advisory",
    });
  });

  it("refuses a ProtectionPolicy at 22:15 with policy/time-half-hour, word for word what the BackupPolicy component's check says", async () => {
    const found = await analyzer.analyze(T.policy, "nightly", dailyPolicy("22:15"));
    expect(found).toHaveLength(1);
    // The engine knows which resource Analyze was about: the violation carries no URN.
    expect(found[0]).toMatchObject({ policyName: POLICY_NAMES.policy, enforcementLevel: "mandatory", urn: "" });
    expect(codes(found)).toEqual(["policy/time-half-hour"]);

    // The component (BackupPolicy) with the same schedule: its provider's check, as a preview runs it.
    const component = await policyProvider.check!(
      {},
      {
        subscriptionId: SUB,
        resourceGroupName: "rg-backup",
        vaultName: "rsv-prod",
        name: "nightly",
        schedule: { frequency: "Daily", time: "22:15" },
        retention: { daily: { count: 30 } },
        programChecks: [],
      },
    );
    expect(component.failures).toHaveLength(1);
    const reason = component.failures![0]!.reason;
    expect(reason).toMatch(/^\[policy\/time-half-hour\] /);
    // @pulumi/policy prints the policy's description, then the violation: the component's words, then the property.
    expect(found[0]!.message.split("\n").slice(1)).toEqual([reason, "Property: properties.schedulePolicy"]);
    expect(reason).toContain("Fix: Use 22:00 or 22:30.");
  });

  it("passes a valid policy, and leaves policies of other workloads alone", async () => {
    expect(await analyzer.analyze(T.policy, "nightly", dailyPolicy("22:30"))).toEqual([]);
    const fileShares = { ...dailyPolicy("22:15"), properties: { backupManagementType: "AzureStorage", workLoadType: "AzureFileShare" } };
    expect(await analyzer.analyze(T.policy, "files", fileShares)).toEqual([]);
  });

  it("judges what is known in a preview: the time is refused while the vault's name is unknown", async () => {
    const found = await analyzer.analyze(T.policy, "nightly", { ...dailyPolicy("22:15"), vaultName: UNKNOWN });
    expect(codes(found)).toEqual(["policy/time-half-hour"]);
  });

  it("reads an enhanced (V2) policy's hourly schedule", async () => {
    const hourly = dailyPolicy("08:00", {
      policyType: "V2",
      schedulePolicy: {
        schedulePolicyType: "SimpleSchedulePolicyV2",
        scheduleRunFrequency: "Hourly",
        hourlySchedule: { interval: 5, scheduleWindowStartTime: at("08:00"), scheduleWindowDuration: 12 },
      },
    });
    expect(codes(await analyzer.analyze(T.policy, "hourly", hourly))).toEqual(["policy/hourly-interval"]);
  });

  it("refuses a Vault with soft delete Disabled (vault/soft-delete-disabled), and warns, advisory, of a Locked immutability", async () => {
    const refused = await analyzer.analyze(T.vault, "vault", vaultProps({ securitySettings: { softDeleteSettings: { softDeleteState: "Disabled" } } }));
    expect(refused.map((d) => [d.policyName, d.enforcementLevel])).toEqual([[POLICY_NAMES.vault, "mandatory"]]);
    expect(codes(refused)).toEqual(["vault/soft-delete-disabled"]);
    expect(refused[0]!.message).toContain("Source: ");
    expect(refused[0]!.message).toMatch(/\nProperty: properties\.securitySettings\.softDeleteSettings\.softDeleteState$/);

    const locked = await analyzer.analyze(T.vault, "vault", vaultProps({ securitySettings: { immutabilitySettings: { state: "Locked" } } }));
    expect(locked.map((d) => [d.policyName, d.enforcementLevel])).toEqual([[POLICY_NAMES.warnings, "advisory"]]);
    expect(codes(locked)).toEqual(["vault/immutability-locked"]);

    expect(await analyzer.analyze(T.vault, "vault", vaultProps({ redundancySettings: { standardTierStorageRedundancy: "GeoRedundant" } }))).toEqual([]);
  });

  it("refuses a ProtectedItem whose policy is another vault's (plan/policy-other-vault)", async () => {
    const other = item("web-01-backup", "web-01");
    other.properties.properties.policyId = policyId("nightly").replace("/vaults/rsv-prod/", "/vaults/rsv-other/");
    expect(codes(await analyzer.analyze(T.item, "web-01-backup", other.properties))).toEqual(["plan/policy-other-vault"]);
    expect(await analyzer.analyze(T.item, "web-01-backup", item("web-01-backup", "web-01").properties)).toEqual([]);
  });

  const stackBase = [
    { type: T.vault, name: "vault", properties: vaultProps() },
    { type: T.policy, name: "nightly", properties: dailyPolicy("22:00") },
  ];

  it("refuses a stack with a VM that has no protected item (plan/vm-unprotected, on the VM)", async () => {
    const found = await analyzer.analyzeStack([...stackBase, vm("web-01"), vm("web-02"), item("web-01-backup", "web-01")]);
    expect(found.map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([[POLICY_NAMES.vmsProtected, "mandatory", urnOf(T.vm, "web-02")]]);
    expect(codes(found)).toEqual(["plan/vm-unprotected"]);
    expect(found[0]!.message).toContain("compute.VirtualMachine 'web-02' has no protected item");
  });

  it("passes a stack whose VMs have protected items, by id or, in a preview of a new VM, by dependency", async () => {
    expect(await analyzer.analyzeStack([...stackBase, vm("web-01"), item("web-01-backup", "web-01")])).toEqual([]);
    const preview = [...stackBase, vm("web-01"), { ...item("web-01-backup", "web-01", UNKNOWN, "nightly", [urnOf(T.vm, "web-01")]) }];
    preview[3]!.properties = { ...preview[3]!.properties, containerName: UNKNOWN, protectedItemName: UNKNOWN };
    expect(await analyzer.analyzeStack(preview)).toEqual([]);
  });

  it("requires only the VMs selected by tag, once the pack is configured so", async () => {
    await analyzer.configure({ [POLICY_NAMES.vmsProtected]: { enforcementLevel: "mandatory", properties: { tagKey: "backup", tagValue: "daily" } } });
    try {
      const found = await analyzer.analyzeStack([...stackBase, vm("scratch"), vm("db-01", { Backup: "Daily" })]);
      expect(found.map((d) => d.urn)).toEqual([urnOf(T.vm, "db-01")]);
      expect(found[0]!.message).toContain("(its tag 'backup' is 'daily')");
      expect(await analyzer.analyzeStack([...stackBase, vm("scratch", { backup: "none" })])).toEqual([]);
    } finally {
      await analyzer.configure({});
    }
  });

  it("judges a protected item with its VM of the stack: a PremiumV2 disk needs an enhanced policy (vm/disk-needs-enhanced-policy)", async () => {
    const found = await analyzer.analyzeStack([...stackBase, vm("web-01", undefined, "PremiumV2_LRS"), item("web-01-backup", "web-01")]);
    expect(found.map((d) => [d.policyName, d.urn])).toEqual([[POLICY_NAMES.plan, urnOf(T.item, "web-01-backup")]]);
    expect(codes(found)).toEqual(["vm/disk-needs-enhanced-policy"]);
    expect(found[0]!.message).toContain("recoveryservices.ProtectedItem 'web-01-backup'");
  });
});

describe("the example pack (examples/policy-pack)", () => {
  it("runs as a pack, with the package.json its comment asks for, and refuses 22:15", async () => {
    const example = packDirectory(join(ROOT, "examples/policy-pack"), { name: "azure-vm-backup-policy-pack", version: "0.1.0", main: "index.ts" });
    const served = await startPack(example);
    try {
      expect((await served.info()).policies.map((p) => p.name)).toEqual(Object.values(POLICY_NAMES));
      expect(codes(await served.analyze(T.policy, "nightly", dailyPolicy("22:15")))).toEqual(["policy/time-half-hour"]);
    } finally {
      await served.stop();
      rmSync(example, { recursive: true, force: true });
    }
  }, 60_000);
});
