import * as pulumi from "@pulumi/pulumi";
import { makeShim, PROVIDERS_MODULE } from "../../src/providers/shim";

const KINDS = ["vault", "policy", "protected-vm", "stack-v2", "policy-set"];
const SECRETS = {
  ARM_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  ARM_CLIENT_SECRET: "client-secret-value-Zq8~",
  ARM_TENANT_ID: "66666666-7777-8888-9999-000000000000",
  ARM_OIDC_TOKEN: "eyJhbGciOiJSUzI1NiJ9.oidc-token-value",
  AZURE_CLIENT_SECRET: "azure-client-secret-value",
  AZURE_VM_BACKUP_ENDPOINT: "https://127.0.0.1:9999",
};

describe("the serialized provider (__provider)", () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, SECRETS));
  afterAll(() => {
    for (const key of Object.keys(SECRETS)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it.each(KINDS)("%s: a shim of a few hundred bytes per method, at most 4 KB, holding no credential", async (kind) => {
    const provider = makeShim(kind);
    const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    expect(text.length).toBeLessThanOrEqual(4096);
    const methods = (text.match(/^function __f\d+\(/gm) ?? []).length;
    expect(methods).toBe(9); // handler, load, and the seven methods
    expect(text.length / methods).toBeLessThan(400);
    expect(text).toContain(`("${PROVIDERS_MODULE}").provider(kind)`);
    expect(text).toContain(`kind: "${kind}"`);
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    // Nothing of the implementation is captured by value: no SDK, no rules.
    expect(text).not.toMatch(/@azure|RecoveryServices|validatePolicy|limitProfiles/);
  });

  it("does not grow with the package: every kind serializes to the same text but for its name", async () => {
    const texts = await Promise.all(
      KINDS.map(async (kind) => {
        const provider = makeShim(kind);
        return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text.replace(`"${kind}"`, '"KIND"');
      }),
    );
    expect(new Set(texts).size).toBe(1);
  });
});
