/**
 * The largest request body a server action accepts. next.config.ts hands it to Next.js
 * (`serverActions.bodySizeLimit`) and proxy.ts checks it first: past the limit Next.js throws
 * while reading the body and answers 500, where the client deserves a 413 that says why.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export interface BodyRefusal {
  status: 411 | 413;
  reason: string;
}

/**
 * Whether Next.js would treat the request as a server action: a POST with the `next-action`
 * header (the client's fetch), or a form post (multipart or urlencoded), which is how a form
 * submits before hydration or without JavaScript. The same test as Next's own
 * getServerActionRequestMetadata; proxy.ts never sees /api, where route handlers take their posts.
 */
function isPossibleServerAction(method: string, headers: Headers): boolean {
  if (method !== "POST") return false;
  const type = headers.get("content-type") ?? "";
  return (
    headers.has("next-action") || type.startsWith("multipart/form-data") || type === "application/x-www-form-urlencoded"
  );
}

/** Why a server-action request is refused before Next.js reads its body, or null to let it through. */
export function serverActionBodyRefusal(
  method: string,
  headers: Headers,
  limit = SERVER_ACTION_BODY_LIMIT_BYTES,
): BodyRefusal | null {
  if (!isPossibleServerAction(method, headers)) return null;
  const declared = headers.get("content-length");
  if (declared === null) {
    // No length: a streamed (chunked) body. Browsers always state the length of a form post and
    // of the fetch Next.js sends, so only other clients stream one; and behind proxy.ts Next.js
    // buffers such a body (cut off silently at proxyClientMaxBodySize) before its own limit
    // answers 500. Refusing up front is the one answer that is both bounded and honest.
    return headers.has("transfer-encoding")
      ? { status: 411, reason: "A form submission must state its Content-Length." }
      : null;
  }
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0)
    return { status: 411, reason: "A form submission must state a valid Content-Length." };
  if (length > limit)
    return {
      status: 413,
      reason: `The form is too large to send: ${length} bytes, where at most ${limit} are accepted.`,
    };
  return null;
}
