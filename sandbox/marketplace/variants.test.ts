import { describe, expect, it } from "vitest";
import { parseVariantList, resolveVariants, unknownVariantsMessage, VARIANTS } from "./variants";

const ALL = VARIANTS.map((v) => v.name);

describe("parseVariantList (SANDBOX_VARIANTS)", () => {
  it("reads unset and empty as no variants", () => {
    expect(resolveVariants(parseVariantList(undefined))).toEqual({ enabled: [], unknown: [] });
    expect(resolveVariants(parseVariantList(""))).toEqual({ enabled: [], unknown: [] });
    expect(resolveVariants(parseVariantList("  ,  , "))).toEqual({ enabled: [], unknown: [] });
  });

  it("reads comma-separated names with stray whitespace", () => {
    expect(resolveVariants(parseVariantList(" bare-arrays ,text-bodies,\tlost-answer ,")).enabled).toEqual([
      "text-bodies",
      "bare-arrays",
      "lost-answer",
    ]);
  });

  it("reads `all`, alone or among names", () => {
    expect(parseVariantList(" all ")).toBe("all");
    expect(resolveVariants(parseVariantList(" all ")).enabled).toEqual(ALL);
    expect(resolveVariants(parseVariantList("text-bodies, all")).enabled).toEqual(ALL);
  });
});

describe("resolveVariants", () => {
  it("keeps registry order and drops duplicates", () => {
    expect(resolveVariants(["reordered-webhooks", "text-bodies", "reordered-webhooks"]).enabled).toEqual([
      "text-bodies",
      "reordered-webhooks",
    ]);
  });

  it("names the unknown ones, once each, and is exact about spelling", () => {
    const { enabled, unknown } = resolveVariants(["text-bodies", "Text-Bodies", "slow", "slow", "textbodies"]);
    expect(enabled).toEqual(["text-bodies"]);
    expect(unknown).toEqual(["Text-Bodies", "slow", "textbodies"]);
    expect(unknownVariantsMessage(["slow"])).toMatch(
      /^Unknown sandbox variant "slow"; known: text-bodies, bare-arrays, .*reordered-webhooks, subscribe-operation-unknown, hourly-usage-events, app-id-uri-audience, v2-webhook-tokens, throttle-no-retry-after, html-errors, no-operation-location, operation-statuses, mixed-usage-batch, pending-expiry, or "all"\.$/,
    );
    expect(unknownVariantsMessage(["a", "b"])).toMatch(/^Unknown sandbox variants "a", "b";/);
  });

  it("accepts the `all` request form", () => {
    expect(resolveVariants("all")).toEqual({ enabled: ALL, unknown: [] });
  });

  it("has twenty distinct variants, each described in one line", () => {
    expect(new Set(ALL).size).toBe(20);
    for (const v of VARIANTS) expect(v.description).toMatch(/^[^\n]{20,200}$/);
  });
});
