/**
 * Azure region names. ARM accepts a region's display name ("West Europe") or its name ("westeurope");
 * comparisons use the name: lower case, no spaces.
 */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** Whether `location` can be an Azure region name once normalised (letters and digits only). */
export function isLocationName(location: string): boolean {
  return /^[a-z][a-z0-9]*$/.test(normalizeLocation(location));
}
