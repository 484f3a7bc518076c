/**
 * An external OpenID issuer on the sandbox origin, standing in for the ones workload identity
 * federation trusts: a Kubernetes cluster's service-account issuer (AKS's OIDC issuer URL) or
 * GitHub Actions' `token.actions.githubusercontent.com`.
 *
 *   GET {baseUrl}/workload-identity/.well-known/openid-configuration   its discovery document
 *   GET {baseUrl}/workload-identity/openid/v1/jwks                     its public keys (Kubernetes' path)
 *
 * It signs with a key of its own (`<dataDir>/workload-identity-signing-key.json`), not Entra's.
 * Like the kubelet with a projected service-account token, the sandbox keeps a fresh token in
 * `<dataDir>/workload-identity/token` (subject `system:serviceaccount:marketplace:portal`,
 * audience `api://AzureADTokenExchange`, valid an hour, rewritten every ten minutes): point
 * MARKETPLACE_FEDERATED_TOKEN_FILE at it. Tests mint tokens of their choice through
 * POST /sandbox-api/identity/workload-tokens.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { SignJWT, type JSONWebKeySet } from "jose";
import { requestUrl, sendJson } from "../http";
import { loadOrCreateSigningKey, type SigningKey } from "./signing-key";

export const WORKLOAD_IDENTITY_PATH = "/workload-identity";
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";
export const PROJECTED_TOKEN_SUBJECT = "system:serviceaccount:marketplace:portal";
const KEY_FILE = "workload-identity-signing-key.json";
const PROJECTED_LIFETIME_SECONDS = 3600;
const PROJECTED_REFRESH_MS = 10 * 60_000;

export interface WorkloadTokenRequest {
  subject?: string;
  audience?: string;
  /** Seconds until it expires; negative for a token that expired that long ago. Default 3600. */
  expiresInSeconds?: number;
}

export interface WorkloadIdentityIssuer {
  issuer: string;
  jwks(): JSONWebKeySet;
  mint(request?: WorkloadTokenRequest): Promise<{ token: string; subject: string; audience: string; expiresAt: Date }>;
  /** Serves the discovery document and the keys; false for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  projectedTokenPath: string;
  close(): void;
}

export async function createWorkloadIdentityIssuer(baseUrl: string, dataDir: string): Promise<WorkloadIdentityIssuer> {
  const issuer = `${baseUrl}${WORKLOAD_IDENTITY_PATH}`;
  const key: SigningKey = await loadOrCreateSigningKey(dataDir, KEY_FILE);
  const jwks = (): JSONWebKeySet => ({ keys: [{ ...key.publicJwk, alg: "RS256" }] });

  async function mint(request: WorkloadTokenRequest = {}) {
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + (request.expiresInSeconds ?? 3600);
    const issuedAt = Math.min(now, expiresAt - 3600);
    const subject = request.subject ?? PROJECTED_TOKEN_SUBJECT;
    const audience = request.audience ?? FEDERATION_AUDIENCE;
    const token = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience([audience])
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(key.privateKey);
    return { token, subject, audience, expiresAt: new Date(expiresAt * 1000) };
  }

  const projectedTokenPath = path.join(dataDir, "workload-identity", "token");
  async function project() {
    const { token } = await mint({ expiresInSeconds: PROJECTED_LIFETIME_SECONDS });
    mkdirSync(path.dirname(projectedTokenPath), { recursive: true });
    // Replaced in one step, as the kubelet does, so a reader never sees half a token.
    const tmp = `${projectedTokenPath}.${process.pid}.tmp`;
    writeFileSync(tmp, token, { mode: 0o600 });
    renameSync(tmp, projectedTokenPath);
  }
  await project();
  const timer = setInterval(() => {
    project().catch((error: unknown) => console.error("[sandbox] could not renew the workload-identity token", error));
  }, PROJECTED_REFRESH_MS);
  timer.unref();

  return {
    issuer,
    jwks,
    mint,
    projectedTokenPath,
    handle(req, res) {
      if (req.method !== "GET") return false;
      const pathname = requestUrl(req).pathname;
      if (pathname === `${WORKLOAD_IDENTITY_PATH}/.well-known/openid-configuration`) {
        sendJson(res, 200, {
          issuer,
          jwks_uri: `${issuer}/openid/v1/jwks`,
          response_types_supported: ["id_token"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
        });
        return true;
      }
      if (pathname === `${WORKLOAD_IDENTITY_PATH}/openid/v1/jwks`) {
        sendJson(res, 200, jwks());
        return true;
      }
      return false;
    },
    close: () => clearInterval(timer),
  };
}
