/**
 * Small node:http helpers shared by the sandbox's identity provider and marketplace emulator.
 * Each part keeps only what speaks its own protocol (Entra's OAuth error shape, the Fulfillment
 * API's error body) next to its handlers.
 */
import { IncomingMessage, type ServerResponse } from "node:http";

/** Thrown by `readBody` past its limit; recognised by `isBodyTooLarge`, which maps it to a 413. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`Request body exceeds ${maxBytes} bytes`);
  }
}

export function isBodyTooLarge(error: unknown): error is BodyTooLargeError {
  return error instanceof Error && error.name === "BodyTooLargeError";
}

/** Reads the whole body, refusing more than `maxBytes` as soon as it arrives. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
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
 * A fresh request carrying an already-read body, for handing a request on to another handler
 * after looking at its body (the identity provider's token endpoint is shared between its own
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

/** The first value of a header (node gives arrays for repeated headers). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function requestUrl(req: IncomingMessage): URL {
  // Only the path and query matter; the origin is a placeholder.
  return new URL(req.url ?? "/", "https://sandbox.invalid");
}

/** decodeURIComponent that leaves a malformed escape as it is instead of throwing. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Headers = Record<string, string | string[]>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A page: never cached (it shows live state or a form), never framed (it takes passwords and clicks). */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Headers = {}): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Headers = {}, status = 302): void {
  res.writeHead(status, { location, "content-length": 0, "cache-control": "no-store", ...headers });
  res.end();
}
