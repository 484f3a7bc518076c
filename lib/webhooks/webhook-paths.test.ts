import { describe, expect, it } from "vitest";
import { customWebhookPath, DEFAULT_WEBHOOK_PATH, webhookPaths } from "./webhook-paths";

describe("webhook paths", () => {
  it("adds WEBHOOK_PATH when it is a plain path other than the default", () => {
    expect(webhookPaths("/hooks/microsoft-marketplace")).toEqual([
      DEFAULT_WEBHOOK_PATH,
      "/hooks/microsoft-marketplace",
    ]);
    expect(customWebhookPath("/a_b-c/d")).toBe("/a_b-c/d");
  });

  it("ignores an unset, default or unsafe value (no patterns, queries or relative paths)", () => {
    for (const value of [
      undefined,
      "",
      DEFAULT_WEBHOOK_PATH,
      "hooks",
      "/hooks/:id",
      "/hooks?x=1",
      "/hooks/(.*)",
      "/a b",
    ])
      expect([value, webhookPaths(value)]).toEqual([value, [DEFAULT_WEBHOOK_PATH]]);
  });
});
