import type { IncomingMessage } from "node:http";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLimitedBody, readLimitedNodeBody } from "./read-limited-body";

const streamed = (parts: string[]) =>
  new Request("http://x/", {
    method: "POST",
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);

describe("readLimitedBody", () => {
  it("returns the body up to the limit, bytes counted (not characters)", async () => {
    expect(await readLimitedBody(new Request("http://x/", { method: "POST", body: "héllo" }), 6)).toBe("héllo");
    expect(await readLimitedBody(new Request("http://x/", { method: "POST", body: "héllo" }), 5)).toBeNull();
  });

  it("refuses an oversized chunked body that declares no length", async () => {
    expect(await readLimitedBody(streamed(["aaaa", "bbbb", "cccc"]), 10)).toBeNull();
    expect(await readLimitedBody(streamed(["aaaa", "bbbb"]), 10)).toBe("aaaabbbb");
  });

  it("trusts a declared length that is already too large", async () => {
    expect(
      await readLimitedBody(
        new Request("http://x/", { method: "POST", body: "x", headers: { "content-length": "999" } }),
        10,
      ),
    ).toBeNull();
  });

  it("reads a request without a body as empty", async () => {
    expect(await readLimitedBody(new Request("http://x/"), 10)).toBe("");
  });
});

describe("readLimitedNodeBody", () => {
  /** A Node request as the http server gives it: a readable stream with headers. */
  const incoming = (parts: string[], headers: Record<string, string> = {}) =>
    Object.assign(Readable.from(parts.map((part) => Buffer.from(part))), { headers }) as unknown as IncomingMessage;

  it("returns the body up to the limit, bytes counted (not characters)", async () => {
    expect(await readLimitedNodeBody(incoming(["hé", "llo"]), 6)).toBe("héllo");
    expect(await readLimitedNodeBody(incoming(["hé", "llo"]), 5)).toBeNull();
    expect(await readLimitedNodeBody(incoming([]), 10)).toBe("");
  });

  it("refuses a chunked body once more than the limit has come, and reads no further", async () => {
    const request = incoming(["aaaa", "bbbb", "cccc", "dddd"]);
    expect(await readLimitedNodeBody(request, 10)).toBeNull();
    expect(request.isPaused()).toBe(true);
    expect(request.listenerCount("data")).toBe(0);
  });

  it("trusts a declared length that is already too large, without reading", async () => {
    const request = incoming(["x"], { "content-length": "999" });
    expect(await readLimitedNodeBody(request, 10)).toBeNull();
    expect(request.readableFlowing).toBeNull(); // never started flowing
  });

  it("rejects when the client goes away before the body ends", async () => {
    const request = Object.assign(new PassThrough(), { headers: {} }) as unknown as IncomingMessage;
    const reading = readLimitedNodeBody(request, 100);
    request.emit("data", Buffer.from('{"id":'));
    request.destroy();
    await expect(reading).rejects.toThrow("The client closed the connection before the body ended.");
  });
});
