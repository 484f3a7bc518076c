import { describe, expect, it } from "vitest";
import { redact } from "./logger";

describe("redact", () => {
  it("hides secrets and tokens at any depth, keeping the rest", () => {
    const out = redact({
      subscriptionId: "s-1",
      headers: { authorization: "Bearer abc", "x-ms-marketplace-token": "purchase+token/==" },
      nested: [{ clientSecret: "p@ss", accessToken: "t", apiKey: "k", api_key: "k2", cookie: "c", status: 500 }],
    });
    expect(JSON.stringify(out)).not.toMatch(/abc|purchase\+token|p@ss|"t"|"k"|"k2"|"c"/);
    expect(out).toMatchObject({ subscriptionId: "s-1", nested: [{ status: 500 }] });
  });

  it("keeps only the name and message of errors (no stacks, no attached request data)", () => {
    const error = Object.assign(new Error("boom"), { config: { headers: { authorization: "Bearer secret" } } });
    expect(redact({ error })).toEqual({ error: { name: "Error", message: "boom" } });
  });
});
