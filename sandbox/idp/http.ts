/** Small node:http helpers shared by the identity provider's handlers. */
import { IncomingMessage, type ServerResponse } from "node:http";

const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super("request body too large");
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Form fields of an application/x-www-form-urlencoded body; other content types yield no fields. */
export function parseForm(req: IncomingMessage, body: Buffer): Record<string, string> {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return {};
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}

/**
 * A fresh request carrying an already-read body, for handing a request on to oidc-provider
 * after the router has looked at the body (the token endpoint is shared between our own
 * client-credentials grant and oidc-provider's grants). It reuses the TLS socket, so Koa still
 * sees an https request.
 */
export function replayRequest(
  original: IncomingMessage,
  body: Buffer,
  headerOverrides: Record<string, string> = {},
): IncomingMessage {
  const replay = new IncomingMessage(original.socket);
  replay.method = original.method;
  replay.url = original.url;
  replay.headers = { ...original.headers, ...headerOverrides };
  replay.rawHeaders = original.rawHeaders;
  replay.httpVersion = original.httpVersion;
  replay.httpVersionMajor = original.httpVersionMajor;
  replay.httpVersionMinor = original.httpVersionMinor;
  // Marked complete so that ending this stream does not count as an aborted request (which
  // would destroy the shared socket).
  replay.complete = true;
  replay.push(body);
  replay.push(null);
  return replay;
}

export function parseCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(index + 1).trim()));
    } catch {
      // Malformed percent-encoding: ignore that cookie.
    }
  }
  return cookies;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * oidc-provider answers errors as HTML when Accept prefers it; Entra's token endpoint always
 * answers JSON, so token requests are forwarded as JSON requests.
 */
export const ACCEPT_JSON = { accept: "application/json" } as const;

/** Token responses must never be cached (RFC 6749 §5.1); Entra sends both headers. */
export const NO_STORE = { "cache-control": "no-store, no-cache", pragma: "no-cache" } as const;

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    ...headers,
  });
  res.end(html);
}

export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
  status = 302,
): void {
  res.writeHead(status, { location, "content-length": 0, "cache-control": "no-store", ...headers });
  res.end();
}

export function requestUrl(req: IncomingMessage): URL {
  // Only path and query matter; the origin is a placeholder.
  return new URL(req.url ?? "/", "https://sandbox.invalid");
}
