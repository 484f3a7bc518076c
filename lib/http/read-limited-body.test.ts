import { describe, expect, it } from "vitest";
import { readLimitedBody } from "./read-limited-body";

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
