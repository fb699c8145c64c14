/**
 * Conformance of the emulator's subscription-level APIs with Microsoft's examples (test/fixtures/arm) and
 * reference/ARM-API.md §4.11-4.12: feature registration (Microsoft.Features, arm-features), resource provider
 * registration (Microsoft.Resources, which has no SDK here: the SDKs' own pipeline, raw) and the compute VM GET.
 */
import { createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { MINUTE } from "../../src/emulator";
import { SUB, world, type TestWorld } from "./harness";
import { expectShape, fixture, fixtureResponse, recorder, type Exclusion } from "./conformance-helpers";

const FEATURE_NS = "Microsoft.RecoveryServices";
const FEATURE = "InstantBackupandRecovery";

/** Key paths of the VM GET example that the emulator does not model (the component reads the disks, size and location). */
const VM_EXCLUSIONS: Exclusion[] = [
  { path: "tags", reason: "tag names and values are the example's own data; the VMs under test have no tags" },
  { path: "etag", reason: "VM etags (optimistic concurrency) are not modelled; the component sends no If-Match" },
  { path: "properties.availabilitySet", reason: "availability sets are not modelled" },
  { path: "properties.proximityPlacementGroup", reason: "proximity placement groups are not modelled" },
  { path: "properties.applicationProfile", reason: "gallery applications are not modelled" },
  { path: "properties.userData", reason: "returned only with $expand=userData, which is not modelled" },
  { path: "properties.osProfile", reason: "OS configuration is not modelled" },
  { path: "properties.networkProfile", reason: "networking is not modelled" },
  { path: "properties.diagnosticsProfile", reason: "boot diagnostics are not modelled" },
  { path: "properties.extensionsTimeBudget", reason: "VM extensions are not modelled" },
  { path: "properties.timeCreated", reason: "the VM's creation time is not modelled (the component does not read it)" },
  { path: "resources", reason: "VM extensions are not modelled" },
  { path: "managedBy", reason: "scale-set membership is not modelled" },
];
const PROVIDER_RESOURCE_TYPES: Exclusion = {
  path: "resourceTypes[0]",
  reason: "a provider's resource types are not modelled (the emulator answers an empty list); the component reads registrationState only",
};

describe("conformance: registrations and compute", () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => w.stop());

  const featureId = `/subscriptions/${SUB}/providers/Microsoft.Features/providers/${FEATURE_NS}/features/${FEATURE}`;

  describe("Microsoft.Features (arm-features)", () => {
    it("features.get answers 200 with the structure of getFeature.json, NotRegistered at first", async () => {
      const rec = recorder();
      const feature = await w.features.features.get(FEATURE_NS, FEATURE, { onResponse: rec.onResponse });
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, fixtureResponse("feature-get", 200).body);
      expect(feature.properties?.state).toBe("NotRegistered");
      expect(feature.name).toBe(`${FEATURE_NS}/${FEATURE}`);
      expect(feature.type).toBe("Microsoft.Features/providers/features");
      expect(feature.id?.toLowerCase()).toBe(featureId.toLowerCase());
    });

    it("features.register answers 200 with the structure of registerFeature.json; the registration passes through Registering to Registered once its 5 emulated minutes have passed", async () => {
      const example = fixture("feature-register");
      expect(Object.keys(example.responses)).toEqual(["200"]);
      const rec = recorder();
      const registering = await w.features.features.register(FEATURE_NS, FEATURE, { onResponse: rec.onResponse });
      expect(rec.last().method).toBe("POST");
      expect(new URL(rec.last().url).pathname.toLowerCase()).toBe(`${featureId}/register`.toLowerCase());
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, example.responses["200"]!.body);
      expect(registering.properties?.state).toBe("Registering");

      const states: string[] = [];
      for (const wait of [0, 5 * MINUTE]) {
        w.emulator.clock.advance(wait);
        const r = recorder();
        states.push((await w.features.features.get(FEATURE_NS, FEATURE, { onResponse: r.onResponse })).properties!.state!);
        expectShape(r.last().json, fixtureResponse("feature-get", 200).body);
      }
      expect(states).toEqual(["Registering", "Registered"]);
      // It stays registered, and registering again changes nothing.
      expect((await w.features.features.register(FEATURE_NS, FEATURE)).properties?.state).toBe("Registered");
      expect((await w.features.features.get(FEATURE_NS, FEATURE)).properties?.state).toBe("Registered");
    });

    it("features.list and features.listAll answer 200 with pages of features in the structure of getFeature.json", async () => {
      const byNamespace = recorder();
      const names: string[] = [];
      for await (const f of w.features.features.list(FEATURE_NS, { onResponse: byNamespace.onResponse })) names.push(f.name!);
      expect(byNamespace.last().status).toBe(200);
      expect(names).toContain(`${FEATURE_NS}/${FEATURE}`);
      const page = byNamespace.last().json as { value: unknown[] };
      expect(page.value.length).toBe(names.length);
      for (const f of page.value) expectShape(f, fixtureResponse("feature-get", 200).body);

      const all = recorder();
      const everything: string[] = [];
      for await (const f of w.features.features.listAll({ onResponse: all.onResponse })) everything.push(f.name!);
      expect(all.last().status).toBe(200);
      expect(everything).toContain(`${FEATURE_NS}/${FEATURE}`);
      for (const f of (all.last().json as { value: unknown[] }).value) expectShape(f, fixtureResponse("feature-get", 200).body);
    });

    it("features.get of an unknown feature answers 404 with an ARM error body", async () => {
      await expect(w.features.features.get(FEATURE_NS, "NoSuchFeature")).rejects.toMatchObject({ statusCode: 404, code: expect.any(String) });
    });
  });

  describe("Microsoft.Resources providers (raw pipeline, api 2021-04-01)", () => {
    const providerUrl = (ns: string, action = "") => `${w.emulator.endpoint}/subscriptions/${SUB}/providers/${ns}${action}?api-version=2021-04-01`;
    const send = (url: string, method: "GET" | "POST"): Promise<PipelineResponse> => w.raw.sendRequest(createPipelineRequest({ url, method }));
    const json = (r: PipelineResponse): Record<string, unknown> => JSON.parse(r.bodyAsText ?? "") as Record<string, unknown>;

    it("provider GET answers 200 with the structure of GetProvider.json", async () => {
      const response = await send(providerUrl("Microsoft.RecoveryServices"), "GET");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = json(response);
      expectShape(body, fixtureResponse("provider-get", 200).body, [PROVIDER_RESOURCE_TYPES]);
      expect(body).toMatchObject({ namespace: "Microsoft.RecoveryServices", registrationState: "Registered", registrationPolicy: "RegistrationRequired" });
      expect(String(body.id).toLowerCase()).toBe(`/subscriptions/${SUB}/providers/Microsoft.RecoveryServices`.toLowerCase());
    });

    it("provider register answers 200 (RegisterProviders.json); the registration passes through Registering to Registered once its 5 emulated minutes have passed", async () => {
      const ns = "Microsoft.DataProtection";
      expect(json(await send(providerUrl(ns), "GET")).registrationState).toBe("NotRegistered");

      const registered = await send(providerUrl(ns, "/register"), "POST");
      expect(Object.keys(fixture("provider-register").responses)).toEqual(["200"]);
      expect(registered.status).toBe(200);
      expectShape(json(registered), fixtureResponse("provider-register", 200).body);
      expect(json(registered).registrationState).toBe("Registering");

      const states: string[] = [];
      for (const wait of [0, 5 * MINUTE]) {
        w.emulator.clock.advance(wait);
        const response = await send(providerUrl(ns), "GET");
        expect(response.status).toBe(200);
        expectShape(json(response), fixtureResponse("provider-get", 200).body, [PROVIDER_RESOURCE_TYPES]);
        states.push(String(json(response).registrationState));
      }
      expect(states).toEqual(["Registering", "Registered"]);
    });
  });

  describe("Microsoft.Compute (arm-compute)", () => {
    it("virtualMachines.get answers 200 with the structure of VirtualMachine_Get.json; the client flattens properties", async () => {
      const rec = recorder();
      const vm = await w.compute.virtualMachines.get("rg-app", "vm1", { onResponse: rec.onResponse });
      expect(rec.last().status).toBe(200);
      expectShape(rec.last().json, fixtureResponse("vm-get", 200).body, VM_EXCLUSIONS);
      // The modular compute client lifts `properties` to the top level (ARM-API.md §4.12).
      expect(vm.storageProfile?.dataDisks?.[0]?.diskSizeGB).toBe(128);
      expect(vm.storageProfile?.dataDisks?.[0]?.lun).toBe(0);
      expect(vm.storageProfile?.osDisk?.diskSizeGB).toBe(64);
      expect(vm.storageProfile?.dataDisks?.[0]?.managedDisk?.storageAccountType).toBe("Premium_LRS");
      expect(vm.location).toBe("westeurope");
      expect((vm as { properties?: unknown }).properties).toBeUndefined();
    });

    it("virtualMachines.get of a missing VM answers 404 ResourceNotFound", async () => {
      await expect(w.compute.virtualMachines.get("rg-app", "no-such-vm")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    });
  });
});
