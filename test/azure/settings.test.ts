import { createCredential, resolveSettings, SettingsError, subscriptionFor } from "../../src/azure";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("settings: stack config first, then azure-native's, then the environment", () => {
  it("takes the subscription from azure-vm-backup, then azure-native config, then ARM_ and AZURE_ variables", () => {
    expect(
      resolveSettings(config({ "azure-vm-backup:subscriptionId": "a", "azure-native:subscriptionId": "b" }), { ARM_SUBSCRIPTION_ID: "c" }).subscriptionId,
    ).toBe("a");
    expect(resolveSettings(config({ "azure-native:subscriptionId": "b" }), { ARM_SUBSCRIPTION_ID: "c" }).subscriptionId).toBe("b");
    expect(resolveSettings(config({}), { ARM_SUBSCRIPTION_ID: "c", AZURE_SUBSCRIPTION_ID: "d" }).subscriptionId).toBe("c");
    expect(resolveSettings(config({}), { AZURE_SUBSCRIPTION_ID: "d" }).subscriptionId).toBe("d");
  });

  it("says how to set a missing subscription", () => {
    expect(() => subscriptionFor(resolveSettings(config({}), {}))).toThrow(/pulumi config set azure-vm-backup:subscriptionId/);
  });

  it.each([
    ["public", "https://management.azure.com", "https://login.microsoftonline.com"],
    ["AzureUSGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us"],
    ["china", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn"],
  ])("cloud %s", (name, arm, authority) => {
    const s = resolveSettings(config({ "azure-native:environment": name }), {});
    expect([s.cloud.armEndpoint, s.cloud.authorityHost, s.emulator]).toEqual([arm, authority, false]);
  });

  it("rejects an unknown cloud and a non-https endpoint", () => {
    expect(() => resolveSettings(config({ "azure-vm-backup:environment": "mars" }), {})).toThrow(SettingsError);
    expect(() => resolveSettings(config({ "azure-vm-backup:endpoint": "http://localhost:1" }), {})).toThrow(/https:\/\//);
  });

  it("uses a loopback endpoint as the emulator (static token, fast polling), a remote one as Azure", () => {
    const local = resolveSettings(config({}), { AZURE_VM_BACKUP_ENDPOINT: "https://127.0.0.1:8443/" });
    expect([local.cloud.name, local.cloud.armEndpoint, local.emulator, local.pollIntervalMs]).toEqual(["custom", "https://127.0.0.1:8443", true, 20]);
    expect(createCredential(local, {}).kind).toBe("emulator");
    const remote = resolveSettings(config({ "azure-vm-backup:endpoint": "https://arm.example.com" }), {});
    expect([remote.emulator, remote.pollIntervalMs]).toEqual([false, 5000]);
    expect(resolveSettings(config({ "azure-vm-backup:endpoint": "https://arm.example.com", "azure-vm-backup:credential": "emulator" }), {}).emulator).toBe(
      true,
    );
  });

  it("reads the CA from config text or a file, and explains an unreadable file", () => {
    expect(resolveSettings(config({ "azure-vm-backup:caCertificate": "PEM" }), {}).ca).toBe("PEM");
    expect(() => resolveSettings(config({}), { AZURE_VM_BACKUP_CA_FILE: "/nonexistent/ca.pem" })).toThrow(
      /Cannot read the CA certificate file '\/nonexistent\/ca\.pem'/,
    );
  });

  it("reads limits as JSON and explains bad JSON", () => {
    expect(resolveSettings(config({ "azure-vm-backup:limits": '{"dataDisksPerVm":32}', "azure-vm-backup:limitProfile": "azure-2025" }), {})).toMatchObject({
      limits: { dataDisksPerVm: 32 },
      limitProfile: "azure-2025",
    });
    expect(() => resolveSettings(config({ "azure-vm-backup:limits": "dataDisksPerVm=32" }), {})).toThrow(/JSON object/);
  });
});

describe("credentials: the environment decides, as azure-native's does", () => {
  const azure = resolveSettings(config({}), {});
  it.each([
    [{ ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s", ARM_TENANT_ID: "t" }, "client-secret"],
    [{ ARM_CLIENT_ID: "c", ARM_CLIENT_CERTIFICATE_PATH: "/cert.pem", ARM_TENANT_ID: "t" }, "client-certificate"],
    [{ ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "x" }, "oidc"],
    [{ AZURE_FEDERATED_TOKEN_FILE: "/var/run/token", AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "t" }, "workload-identity"],
    [{ ARM_USE_MSI: "true" }, "managed-identity"],
    [{}, "default"],
  ])("%j → %s", (env, kind) => {
    expect(createCredential(azure, env).kind).toBe(kind);
  });
  it("explains incomplete service-principal settings", () => {
    expect(() => createCredential(azure, { ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s" })).toThrow(/ARM_TENANT_ID/);
    expect(() => createCredential(azure, { ARM_USE_OIDC: "true" })).toThrow(/ARM_CLIENT_ID and ARM_TENANT_ID/);
  });
  it("gets the OIDC token from GitHub Actions when it is not given", async () => {
    const { credential } = createCredential(azure, { ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_USE_OIDC: "1" });
    // No token source at all: the assertion callback explains what to set (surfaced by @azure/identity).
    await expect(credential.getToken("https://management.azure.com/.default")).rejects.toThrow(/ARM_OIDC_TOKEN|id-token: write/);
  });
});
