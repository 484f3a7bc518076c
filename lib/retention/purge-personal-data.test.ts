import { describe, expect, it } from "vitest";
import { redactSubscriptionPayload, withoutKeys } from "./purge-personal-data";

describe("withoutKeys", () => {
  it("removes the keys at any depth, in arrays too, and says whether it removed any", () => {
    const detail = {
      companyName: "Fabrikam",
      reason: "landing",
      nested: { contactEmail: "a@b.example", keep: 1, list: [{ contactName: "A", id: 2 }] },
    };
    expect(withoutKeys(detail, new Set(["companyName", "contactEmail", "contactName"]))).toEqual({
      value: { reason: "landing", nested: { keep: 1, list: [{ id: 2 }] } },
      changed: true,
    });
    expect(withoutKeys({ reason: "x" }, new Set(["companyName"]))).toEqual({ value: { reason: "x" }, changed: false });
    expect(withoutKeys("text", new Set(["a"]))).toEqual({ value: "text", changed: false });
  });
});

describe("redactSubscriptionPayload", () => {
  it("replaces the subscription's name and every account configuration, nothing else", () => {
    const payload = {
      subscriptionId: "s",
      change: { accountConfiguration: { companyName: "Fabrikam" } },
      subscription: {
        name: "Fabrikam analytics",
        offer: { id: "o", name: "Contoso Analytics" },
        accountConfiguration: { contactEmail: "a@b.example" },
      },
    };
    expect(redactSubscriptionPayload(payload)).toEqual({
      value: {
        subscriptionId: "s",
        change: { accountConfiguration: null },
        subscription: { name: "[redacted]", offer: { id: "o", name: "Contoso Analytics" }, accountConfiguration: null },
      },
      changed: true,
    });
    const done = redactSubscriptionPayload(payload).value;
    expect(redactSubscriptionPayload(done)).toEqual({ value: done, changed: false });
  });
});
