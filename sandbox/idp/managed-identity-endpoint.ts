/**
 * Azure App Service's local managed-identity endpoint, on the sandbox origin:
 *
 *   GET {baseUrl}/msi/token?api-version=2019-08-01&resource=…[&client_id=…|&object_id=…|&principal_id=…]
 *   X-IDENTITY-HEADER: sandbox-identity-header
 *
 * App Service gives a process IDENTITY_ENDPOINT and IDENTITY_HEADER; MSAL's
 * ManagedIdentityApplication reads them. Point them at this endpoint and the header below to use
 * the sandbox's managed identities (directory.json `managedIdentities`). The token is an Entra
 * app-only token of the tenant (v2 issuer `{baseUrl}/{tid}/v2.0`), for the identity's service
 * principal (`sub` = `oid` = its principal id): the fulfillment app trusts the system-assigned
 * one as a federated credential, as Entra's "app trusts a managed identity" set-up does.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { headerValue, requestUrl, sendJson } from "../http";
import type { DirectoryManagedIdentity } from "../types";
import type { AccessTokenSigner } from "./access-tokens";

export const MANAGED_IDENTITY_PATH = "/msi/token";
export const SANDBOX_IDENTITY_HEADER = "sandbox-identity-header";

export function createManagedIdentityEndpoint(identities: DirectoryManagedIdentity[], signer: AccessTokenSigner) {
  const fail = (res: ServerResponse, status: number, message: string) =>
    sendJson(res, status, { statusCode: status, message });

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = requestUrl(req);
    if (url.pathname !== MANAGED_IDENTITY_PATH) return false;
    if (req.method !== "GET") {
      fail(res, 405, "Use GET.");
      return true;
    }
    if (headerValue(req, "x-identity-header") !== SANDBOX_IDENTITY_HEADER) {
      fail(res, 401, "The X-IDENTITY-HEADER header is missing or wrong.");
      return true;
    }
    const resource = url.searchParams.get("resource");
    if (!resource) {
      fail(res, 400, "The 'resource' query parameter is required.");
      return true;
    }
    const clientId = url.searchParams.get("client_id")?.toLowerCase();
    const objectId = (url.searchParams.get("object_id") ?? url.searchParams.get("principal_id"))?.toLowerCase();
    const identity = identities.find((candidate) =>
      clientId
        ? candidate.clientId.toLowerCase() === clientId
        : objectId
          ? candidate.principalId.toLowerCase() === objectId
          : candidate.systemAssigned === true,
    );
    if (!identity) {
      fail(
        res,
        400,
        clientId || objectId
          ? "No user-assigned managed identity with this id is assigned to this app."
          : "No system-assigned managed identity is enabled for this app.",
      );
      return true;
    }
    const audience = resource.replace(/\/\.default$/, "");
    const { accessToken, expiresAt } = await signer.sign({
      tid: identity.tenantId,
      clientId: identity.clientId,
      audience,
      version: 2,
      extraClaims: { sub: identity.principalId, oid: identity.principalId, azpacr: "2" },
    });
    sendJson(
      res,
      200,
      {
        access_token: accessToken,
        expires_on: String(expiresAt),
        resource: audience,
        token_type: "Bearer",
        client_id: identity.clientId,
      },
      { "cache-control": "no-store" },
    );
    return true;
  };
}
