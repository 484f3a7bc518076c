/** Small node:http helpers shared by the API, the control API and the pages. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";

const MAX_BODY_BYTES = 1024 * 1024;

/** An error that maps to an HTTP answer with the Fulfillment API's error body (marketplace-contract.md §3.2). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, "PayloadTooLarge", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Parses a JSON body with a zod schema. Malformed JSON and schema violations are 400s with a
 * message that names the problem. `emptyAs` is used when the body is empty (e.g. `{}`).
 */
export function parseJsonBody<T extends z.ZodType>(text: string, schema: T, emptyAs?: unknown): z.infer<T> {
  let raw: unknown;
  if (text.trim() === "") {
    if (emptyAs === undefined)
      throw new HttpError(400, "BadRequest", "The request body is empty; a JSON body is required");
    raw = emptyAs;
  } else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, "BadRequest", "The request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "BadRequest", `Invalid request body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
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

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "content-length": 0, "cache-control": "no-store" });
  res.end();
}

export function requestUrl(req: IncomingMessage): URL {
  // Only the path and query matter; the origin is a placeholder.
  return new URL(req.url ?? "/", "http://sandbox.invalid");
}

/** The first value of a header (node gives arrays for repeated headers). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** decodeURIComponent that leaves a malformed escape as it is instead of throwing. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
