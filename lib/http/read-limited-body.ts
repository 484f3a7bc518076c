import type { IncomingMessage } from "node:http";

/**
 * Reads a request body of at most `limit` bytes; null when it is larger, whether it says so in
 * Content-Length or not (a chunked body has none), without buffering more than the limit.
 */
export async function readLimitedBody(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The same for a Node request (the standalone server's webhook fast path): null when the body is
 * larger than `limit`, without keeping more than that. The rest of an oversized body is left to
 * Node's server, which discards it once the answer is sent (closing the connection instead would
 * reset it under a client still sending, and lose the answer). Rejects when the client goes away
 * before the body ends.
 */
export function readLimitedNodeBody(request: IncomingMessage, limit: number): Promise<string | null> {
  if (Number(request.headers["content-length"] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (settleWith: () => void) => {
      request.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      settleWith();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) return void chunks.push(chunk);
      request.pause();
      settle(() => resolve(null));
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks).toString("utf8")));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new Error("The client closed the connection before the body ended.")));
    request.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}
