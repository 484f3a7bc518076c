import { describe, expect, it } from "vitest";
import { MAX_PAGE, parseSubscriptionQuery, subscriptionQueryString } from "./subscription-query";

describe("subscriptions list URL params", () => {
  it("keeps valid values", () => {
    expect(parseSubscriptionQuery({ q: " fabrikam ", status: "Subscribed", test: "no", sort: "name", dir: "asc", page: "3" }))
      .toMatchObject({ q: "fabrikam", status: "Subscribed", test: "no", sort: "name", dir: "asc", page: 3 });
  });
  it("drops junk instead of failing: unknown status, sort column, negative or huge pages, arrays, long text", () => {
    const query = parseSubscriptionQuery({ status: "Hacked", sort: "password", dir: "sideways", page: "-5", test: "maybe", q: "x".repeat(500) });
    expect(query).toMatchObject({ status: undefined, sort: "created", dir: "desc", page: 1, test: undefined, q: undefined });
    expect(parseSubscriptionQuery({ page: "99999999999999999999" }).page).toBe(MAX_PAGE);
    expect(parseSubscriptionQuery({ page: "1e400" }).page).toBe(1); // not a number zod accepts: the first page
    expect(parseSubscriptionQuery({ page: "NaN" }).page).toBe(1);
    expect(parseSubscriptionQuery({ q: ["a", "b"] }).q).toBe("a");
  });
  it("round-trips through the query string, leaving defaults out", () => {
    const query = parseSubscriptionQuery({ q: "a&b=c", plan: "pro", page: "2" });
    expect(subscriptionQueryString(query)).toBe("?q=a%26b%3Dc&plan=pro&page=2");
    expect(parseSubscriptionQuery(new URLSearchParams(subscriptionQueryString(query).slice(1)))).toEqual(query);
  });
});
