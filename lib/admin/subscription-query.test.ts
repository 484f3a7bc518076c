import { describe, expect, it } from "vitest";
import {
  MAX_PAGE,
  parseSubscriptionQuery,
  subscriptionQueryString,
  type SubscriptionQuery,
} from "./subscription-query";

const parse = (params: Parameters<typeof parseSubscriptionQuery>[0]): SubscriptionQuery => {
  const parsed = parseSubscriptionQuery(params);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
  return parsed.query;
};

describe("subscriptions list URL params", () => {
  it("keeps valid values", () => {
    expect(
      parse({ q: " fabrikam ", status: "Subscribed", test: "no", sort: "name", dir: "asc", page: "3" }),
    ).toMatchObject({ q: "fabrikam", status: "Subscribed", test: "no", sort: "name", dir: "asc", page: 3 });
  });
  it("reads the account-setup filter, and drops anything else given for it", () => {
    expect(parse({ setup: "pending" }).setup).toBe("pending");
    expect(parse({ setup: "complete" }).setup).toBe("complete");
    expect(parse({ setup: "soon" }).setup).toBeUndefined();
    expect(subscriptionQueryString(parse({ setup: "pending", status: "Subscribed" }))).toBe(
      "?status=Subscribed&setup=pending",
    );
  });
  it("drops junk instead of failing: unknown status, sort column, negative or huge pages, arrays, long text", () => {
    const query = parse({
      status: "Hacked",
      sort: "password",
      dir: "sideways",
      page: "-5",
      test: "maybe",
      q: "x".repeat(500),
    });
    expect(query).toMatchObject({
      status: undefined,
      sort: "created",
      dir: "desc",
      page: 1,
      test: undefined,
      q: undefined,
    });
    expect(parse({ page: "99999999999999999999" }).page).toBe(MAX_PAGE);
    expect(parse({ page: "1e400" }).page).toBe(1); // not a number zod accepts: the first page
    expect(parse({ page: "NaN" }).page).toBe(1);
    expect(parse({ q: ["a", "b"] }).q).toBe("a");
  });
  it("refuses text the database cannot take, naming the field, instead of searching", () => {
    expect(parseSubscriptionQuery({ q: "a\u0000b" })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Search: contains a control character \(such as NUL\)/),
      problems: [{ param: "q", problem: "control_character" }],
    });
    expect(parseSubscriptionQuery(new URLSearchParams("offer=%00"))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Offer: .*NUL/),
      problems: [{ param: "offer", problem: "control_character" }],
    });
    expect(parseSubscriptionQuery({ plan: "pro\uD800" })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Plan: is not valid Unicode/),
      problems: [{ param: "plan", problem: "invalid_unicode" }],
    });
    // The junk fallbacks still apply to the other fields of a refused query: only the text is the problem.
    expect(parseSubscriptionQuery({ q: "\u0000", status: "Hacked" })).toMatchObject({ ok: false });
  });
  it("round-trips through the query string, leaving defaults out", () => {
    const query = parse({ q: "a&b=c", plan: "pro", page: "2" });
    expect(subscriptionQueryString(query)).toBe("?q=a%26b%3Dc&plan=pro&page=2");
    expect(parse(new URLSearchParams(subscriptionQueryString(query).slice(1)))).toEqual(query);
  });
});
