import { describe, expect, it } from "vitest";
import { SERVER_ACTION_BODY_LIMIT_BYTES, serverActionBodyRefusal } from "./server-action-limit";

const limit = SERVER_ACTION_BODY_LIMIT_BYTES;
const refusal = (method: string, headers: Record<string, string>) =>
  serverActionBodyRefusal(method, new Headers(headers));
const action = { "next-action": "7f3e0c", "content-type": "text/plain;charset=UTF-8" };

describe("server-action body limit", () => {
  it("is Next's default of 1 MB", () => {
    expect(limit).toBe(1024 * 1024);
  });

  it("refuses an action whose Content-Length is over the limit with 413 and the sizes", () => {
    expect(refusal("POST", { ...action, "content-length": String(limit + 1) })).toEqual({
      status: 413,
      reason: `The form is too large to send: ${limit + 1} bytes, where at most ${limit} are accepted.`,
    });
    expect(
      refusal("POST", { ...action, "content-type": "multipart/form-data; boundary=x", "content-length": "5000000" }),
    ).toMatchObject({ status: 413 });
  });

  it("refuses form posts without the header too (a form submitted before hydration or without JavaScript)", () => {
    expect(
      refusal("POST", { "content-type": "multipart/form-data; boundary=----x", "content-length": String(limit + 1) }),
    ).toMatchObject({ status: 413 });
    expect(
      refusal("POST", { "content-type": "application/x-www-form-urlencoded", "content-length": String(limit + 1) }),
    ).toMatchObject({ status: 413 });
  });

  it("lets through bodies up to the limit, requests without a body, and what is not an action", () => {
    expect(refusal("POST", { ...action, "content-length": String(limit) })).toBeNull();
    expect(refusal("POST", { ...action })).toBeNull(); // no length and not chunked: no body
    expect(refusal("POST", { "content-type": "application/json", "content-length": String(10 * limit) })).toBeNull(); // a route's own limit applies
    expect(refusal("GET", { "next-action": "x", "content-length": String(10 * limit) })).toBeNull();
  });

  it("refuses a streamed action body without a length (411) and a malformed length", () => {
    expect(refusal("POST", { ...action, "transfer-encoding": "chunked" })).toEqual({
      status: 411,
      reason: "A form submission must state its Content-Length.",
    });
    expect(refusal("POST", { ...action, "content-length": "12abc" })).toMatchObject({ status: 411 });
    expect(refusal("POST", { ...action, "content-length": "-1" })).toMatchObject({ status: 411 });
  });
});
