import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseAdminQuery, queryText } from "./query-text";

const schema = z.object({ q: queryText("Search", 20) });
const parse = (q: string | string[] | undefined) => parseAdminQuery(schema, { q });

describe("console query text", () => {
  it("trims, keeps ordinary text (emoji and other scripts included) and treats empty as absent", () => {
    expect(parse("  Fabrikam GmbH ")).toEqual({ ok: true, query: { q: "Fabrikam GmbH" } });
    expect(parse("Ünïcødé 😀 日本")).toEqual({ ok: true, query: { q: "Ünïcødé 😀 日本" } });
    expect(parse("   ")).toEqual({ ok: true, query: { q: undefined } });
    expect(parse(undefined)).toEqual({ ok: true, query: { q: undefined } });
    expect(parse(["first", "\u0000second"])).toEqual({ ok: true, query: { q: "first" } });
  });

  it("drops text longer than the field allows, like other junk", () => {
    expect(parse("x".repeat(21))).toEqual({ ok: true, query: { q: undefined } });
  });

  it.each([
    ["NUL", "a\u0000b", /control character/, "control_character"],
    ["NUL alone", "\u0000", /control character/, "control_character"],
    ["another C0 control inside the text", "a\u0007b", /control character/, "control_character"],
    ["DEL", "a\u007fb", /control character/, "control_character"],
    ["a C1 control", "a\u0085b", /control character/, "control_character"],
    ["a lone high surrogate", "a\uD83Db", /not valid Unicode/, "invalid_unicode"],
    ["a lone low surrogate at the end", "ab\uDE00", /not valid Unicode/, "invalid_unicode"],
  ])("refuses %s with a reason naming the field, and the problem as a code", (_name, q, reason, problem) => {
    const result = parse(q);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^Search: /);
    expect(!result.ok && result.reason).toMatch(reason);
    expect(!result.ok && result.problems).toEqual([{ param: "q", problem }]);
  });

  it("reads URLSearchParams as the browser sent them (%00 decodes to NUL)", () => {
    expect(parseAdminQuery(schema, new URLSearchParams("q=a%00b")).ok).toBe(false);
    // Invalid UTF-8 (here an encoded surrogate) is already replaced with U+FFFD by the decoder: harmless text.
    expect(parseAdminQuery(schema, new URLSearchParams("q=%ED%A0%80"))).toEqual({
      ok: true,
      query: { q: "\uFFFD\uFFFD\uFFFD" },
    });
  });
});
