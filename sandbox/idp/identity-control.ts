/**
 * The identity provider's part of the control API (JSON, no auth: a local sandbox), for tests and
 * for trying the portal's credential modes by hand:
 *
 *   POST /sandbox-api/identity/workload-tokens                 mint a token of the workload-identity issuer
 *        { subject?, audience?, expiresInSeconds? }            → 201 { token, issuer, subject, audience, expiresAt }
 *   POST /sandbox-api/identity/apps/{clientId}/certificates    register a certificate (public part) on an app
 *        { certificate: "-----BEGIN CERTIFICATE-----…" }       → 201 { thumbprint, x5tS256, notBefore, notAfter }
 *   GET  /sandbox-api/identity/apps/{clientId}/credentials     the app's certificates and federated credentials
 *
 * Registered certificates live in memory (the sandbox's own certificate is registered at every start).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { isBodyTooLarge, readBody, requestUrl, safeDecode, sendJson } from "../http";
import type { DirectoryApp, DirectoryFederatedCredential } from "../types";
import { InvalidCertificateError, type AppCertificates, type RegisteredCertificate } from "./app-certificates";
import type { WorkloadIdentityIssuer } from "./workload-identity";

export const IDENTITY_CONTROL_PREFIX = "/sandbox-api/identity/";

const workloadTokenSchema = z.strictObject({
  subject: z.string().min(1).max(400).optional(),
  audience: z.string().min(1).max(400).optional(),
  expiresInSeconds: z
    .number()
    .int()
    .min(-86_400)
    .max(86_400)
    .refine((seconds) => seconds !== 0, "must not be 0")
    .optional(),
});
const certificateSchema = z.strictObject({
  certificate: z
    .string()
    .min(1)
    .max(64 * 1024),
});

export interface IdentityControlDeps {
  app(clientId: string): DirectoryApp | undefined;
  certificates: AppCertificates;
  federatedCredentials(app: DirectoryApp): DirectoryFederatedCredential[];
  workload: WorkloadIdentityIssuer;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function jsonBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  let text: string;
  try {
    text = (await readBody(req, 128 * 1024)).toString("utf8");
  } catch (error) {
    if (isBodyTooLarge(error)) throw new ControlError(413, "The request body is too large.");
    throw error;
  }
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ControlError(400, "The request body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ControlError(400, `Invalid request body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const certificateView = (certificate: RegisteredCertificate) => ({
  thumbprint: certificate.thumbprint,
  x5tS256: certificate.x5tS256,
  subject: certificate.subject,
  notBefore: certificate.notBefore.toISOString(),
  notAfter: certificate.notAfter.toISOString(),
});

export function createIdentityControl(deps: IdentityControlDeps) {
  function appOf(clientId: string): DirectoryApp {
    const app = deps.app(clientId);
    if (!app) throw new ControlError(404, `No app with client id ${clientId} in the sandbox directory.`);
    return app;
  }

  async function route(req: IncomingMessage): Promise<[number, unknown]> {
    const path = requestUrl(req).pathname;
    const method = req.method ?? "GET";
    if (path === `${IDENTITY_CONTROL_PREFIX}workload-tokens` && method === "POST") {
      const minted = await deps.workload.mint(await jsonBody(req, workloadTokenSchema));
      return [201, { ...minted, issuer: deps.workload.issuer, expiresAt: minted.expiresAt.toISOString() }];
    }
    const appRoute = path.match(/^\/sandbox-api\/identity\/apps\/([^/]+)\/(certificates|credentials)$/);
    if (appRoute?.[2] === "certificates" && method === "POST") {
      const app = appOf(safeDecode(appRoute[1] ?? ""));
      const { certificate } = await jsonBody(req, certificateSchema);
      try {
        return [201, certificateView(deps.certificates.register(app.clientId, certificate))];
      } catch (error) {
        if (error instanceof InvalidCertificateError) throw new ControlError(400, error.message);
        throw error;
      }
    }
    if (appRoute?.[2] === "credentials" && method === "GET") {
      const app = appOf(safeDecode(appRoute[1] ?? ""));
      return [
        200,
        {
          clientId: app.clientId,
          certificates: deps.certificates.list(app.clientId).map(certificateView),
          federatedCredentials: deps.federatedCredentials(app),
        },
      ];
    }
    throw new ControlError(404, `No identity control route for ${method} ${path}.`);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (!requestUrl(req).pathname.startsWith(IDENTITY_CONTROL_PREFIX)) return false;
    try {
      const [status, body] = await route(req);
      sendJson(res, status, body);
    } catch (error) {
      if (!(error instanceof ControlError)) throw error;
      sendJson(res, error.status, {
        error: { code: error.status === 404 ? "NotFound" : "BadRequest", message: error.message },
      });
    }
    return true;
  };
}
