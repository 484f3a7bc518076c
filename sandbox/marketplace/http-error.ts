/**
 * The marketplace emulator's HttpError, the Fulfillment and Metering APIs' error body (marketplace-contract.md §3.2),
 * and the body readers that answer with them. The generic node:http helpers are in sandbox/http.ts.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { isBodyTooLarge, readBody } from "../http";

const MAX_BODY_BYTES = 1024 * 1024;

/** An error that maps to an HTTP answer with the Fulfillment API's error body (§3.2). */
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

/** The body as text; a body over the limit is the API's 413. */
export async function readText(req: IncomingMessage): Promise<string> {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString("utf8");
  } catch (error) {
    if (isBodyTooLarge(error)) throw new HttpError(413, "PayloadTooLarge", error.message);
    throw error;
  }
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
