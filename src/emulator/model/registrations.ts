/**
 * Feature and resource-provider registrations on the emulated clock: a registration is found or recorded,
 * and `Registering` becomes `Registered` (and `Unregistering` `Unregistered`) once its time has passed.
 */
import type { RegistrationRecord } from "../state";
import type { Model } from "./index";

export function registration(model: Model, subscriptionId: string, namespace: string, name: string, initial: RegistrationRecord["state"]): RegistrationRecord {
  const key = `${subscriptionId}/${namespace}/${name}`.toLowerCase();
  let record = model.state.registrations.find((r) => r.key === key);
  if (record === undefined) {
    record = { key, subscriptionId, namespace, name, state: initial, since: model.now() };
    model.state.registrations.push(record);
  }
  return record;
}

/** `Registering` becomes `Registered` (and `Unregistering` `Unregistered`) once its time has passed. */
export function advanceRegistration(record: RegistrationRecord, now: number, registrationMs: number): boolean {
  if (record.state !== "Registering" && record.state !== "Unregistering") return false;
  const doneAt = record.since + registrationMs;
  if (now < doneAt) return false;
  record.state = record.state === "Registering" ? "Registered" : "Unregistered";
  record.since = doneAt;
  return true;
}

export function changeRegistration(record: RegistrationRecord, to: "Registering" | "Unregistering", now: number): void {
  const done = to === "Registering" ? "Registered" : "Unregistered";
  if (record.state === done || record.state === to) return;
  record.state = to;
  record.since = now;
}
