/**
 * How the identity provider's endpoints read requests and answer tokens, on top of the
 * sandbox's generic helpers (sandbox/http.ts).
 */
import type { IncomingMessage } from "node:http";
import { parseForm, readBody } from "../http";

/** Sign-in forms and token requests are small; anything larger is refused with a 413. */
const MAX_BODY_BYTES = 64 * 1024;

/** The raw body (to hand the request on to oidc-provider) and its form fields. */
export async function readFormBody(req: IncomingMessage): Promise<{ raw: Buffer; form: Record<string, string> }> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  return { raw, form: parseForm(req, raw) };
}

/**
 * oidc-provider answers errors as HTML when Accept prefers it; Entra's token endpoint always
 * answers JSON, so token requests are forwarded as JSON requests.
 */
export const ACCEPT_JSON = { accept: "application/json" } as const;

/** Token responses must never be cached (RFC 6749 §5.1); Entra sends both headers. */
export const NO_STORE = { "cache-control": "no-store, no-cache", pragma: "no-cache" } as const;
