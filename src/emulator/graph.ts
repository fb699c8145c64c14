/**
 * The one Microsoft Graph request the package makes, served on the emulator's own endpoint (a custom endpoint is the
 * Graph endpoint too: src/azure/settings.ts): the Backup Management Service's service principal looked up by its
 * application id, `GET /v1.0/servicePrincipals(appId='{appId}')` ("Get servicePrincipal": "You can address the service
 * principal using either its id or appId", https://learn.microsoft.com/graph/api/serviceprincipal-get), as
 * `Set-AzKeyVaultAccessPolicy -ServicePrincipalName` and `az ad sp show --id` resolve it.
 *
 * Answers as Graph does: 200 with `@odata.context` and the properties `$select` names (`id` here; without `$select` the
 * service principal's id, appId, displayName and servicePrincipalType); 401 InvalidAuthenticationToken without a bearer
 * token; 404 Request_ResourceNotFound for an application id the tenant has no service principal of, or a path the
 * emulator does not model. Graph's error body is `{error: {code, message, innerError: {date, request-id,
 * client-request-id}}}` (https://learn.microsoft.com/graph/errors). A 403 (a credential without the right to read
 * service principals: Authorization_RequestDenied, "Insufficient privileges to complete the operation.") comes from a
 * fault (`{path: "servicePrincipals", action: {kind: "status", status: 403, code: "Authorization_RequestDenied"}}`).
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { BACKUP_MANAGEMENT_SERVICE_APP_ID, BACKUP_MANAGEMENT_SERVICE_OBJECT_ID } from "./arm/key-vaults";
import type { EmulatorResponse } from "./http";

/** The service principals of the emulator's tenant, by application id. */
const SERVICE_PRINCIPALS: Record<string, { id: string; appId: string; displayName: string; servicePrincipalType: string }> = {
  [BACKUP_MANAGEMENT_SERVICE_APP_ID]: {
    id: BACKUP_MANAGEMENT_SERVICE_OBJECT_ID,
    appId: BACKUP_MANAGEMENT_SERVICE_APP_ID,
    displayName: "Backup Management Service",
    servicePrincipalType: "Application",
  },
};

/** Whether a request path is Microsoft Graph's (`/v1.0/...` or `/beta/...`), not ARM's. */
export function isGraphPath(segments: readonly string[]): boolean {
  return segments[0] === "v1.0" || segments[0] === "beta";
}

function graphError(status: number, code: string, message: string, headers: IncomingHttpHeaders): EmulatorResponse {
  const clientRequestId = String(headers["client-request-id"] ?? headers["x-ms-client-request-id"] ?? randomUUID());
  const requestId = randomUUID();
  return {
    status,
    headers: { "request-id": requestId, "client-request-id": clientRequestId },
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": requestId, "client-request-id": clientRequestId },
      },
    },
  };
}

export function handleGraph(method: string, segments: readonly string[], url: URL, headers: IncomingHttpHeaders, origin: string): EmulatorResponse {
  const auth = headers.authorization;
  if (auth === undefined || !/^Bearer\s+\S+/i.test(auth)) {
    return graphError(401, "InvalidAuthenticationToken", "Access token is empty.", headers);
  }
  const [version, resource] = segments;
  const byAppId = segments.length === 2 ? /^servicePrincipals\(appId='([^']+)'\)$/i.exec(resource ?? "") : null;
  if (byAppId === null) {
    return graphError(400, "BadRequest", `Resource not found for the segment '${segments.slice(1).join("/")}'.`, headers);
  }
  if (method !== "GET") return graphError(405, "Request_BadRequest", `Specified HTTP method is not allowed for the request target.`, headers);
  const appId = byAppId[1]!.toLowerCase();
  const sp = SERVICE_PRINCIPALS[appId];
  if (sp === undefined) {
    return graphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${appId}' does not exist or one of its queried reference-property objects are not present.`,
      headers,
    );
  }
  const select = (url.searchParams.get("$select") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const fields = select.length === 0 ? (Object.keys(sp) as Array<keyof typeof sp>) : select.filter((f): f is keyof typeof sp => f in sp);
  const body: Record<string, unknown> = {
    "@odata.context": `${origin}/${version}/$metadata#servicePrincipals(${select.length === 0 ? "" : fields.join(",")})/$entity`.replace("()", ""),
  };
  for (const f of fields) body[f] = sp[f];
  return { status: 200, headers: { "request-id": randomUUID(), "client-request-id": String(headers["client-request-id"] ?? randomUUID()) }, body };
}
