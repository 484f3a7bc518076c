import { describe, expect, it } from "vitest";
import { subscriptionSchema } from "../marketplace/schemas";
import { compareSubscribe, describeDelivery } from "./confirm-subscribe";

const tenant = "22222222-2222-4222-8222-222222222222";
const remote = (overrides: Record<string, unknown> = {}) =>
  subscriptionSchema.parse({
    id: "5c7e0000-0000-4000-8000-000000000001",
    offerId: "contoso-backup",
    planId: "team-auto",
    quantity: 12,
    saasSubscriptionStatus: "Subscribed",
    purchaser: { tenantId: tenant, objectId: "b2000000-0000-4000-8000-000000000001" },
    ...overrides,
  });
const delivery = { offerId: "contoso-backup", purchaserTenantId: tenant };

describe("confirming a Subscribe with Get Subscription", () => {
  it("confirms a live subscription for the same offer and purchaser tenant, whatever its plan and seats now", () => {
    expect(compareSubscribe(delivery, remote())).toBeNull();
    expect(compareSubscribe(delivery, remote({ planId: "enterprise", quantity: 40 }))).toBeNull();
    expect(compareSubscribe({ ...delivery, purchaserTenantId: tenant.toUpperCase() }, remote())).toBeNull();
  });
  it("accepts a later state: suspended or cancelled since (the newest state wins)", () => {
    expect(compareSubscribe(delivery, remote({ saasSubscriptionStatus: "Suspended" }))).toBeNull();
    expect(compareSubscribe(delivery, remote({ saasSubscriptionStatus: "Unsubscribed" }))).toBeNull();
  });
  it("refuses a subscription that is not a completed purchase, or whose status we do not know", () => {
    expect(compareSubscribe(delivery, remote({ saasSubscriptionStatus: "PendingFulfillmentStart" }))).toMatch(
      /PendingFulfillmentStart, not a completed purchase/,
    );
    expect(compareSubscribe(delivery, remote({ saasSubscriptionStatus: "PendingPayment" }))).toMatch(/PendingPayment/);
  });
  it("refuses another offer or another purchaser tenant, and a delivery that names neither", () => {
    expect(compareSubscribe({ ...delivery, offerId: "contoso-analytics" }, remote())).toBe(
      "offer contoso-analytics ≠ contoso-backup",
    );
    expect(
      compareSubscribe({ ...delivery, purchaserTenantId: "33333333-3333-4333-8333-333333333333" }, remote()),
    ).toMatch(/^purchaser tenant/);
    expect(compareSubscribe({ ...delivery, offerId: null }, remote())).toBe("the delivery names no offer");
    expect(compareSubscribe({ ...delivery, purchaserTenantId: null }, remote())).toBe(
      "the delivery names no purchaser tenant",
    );
    expect(compareSubscribe(delivery, remote({ purchaser: null }))).toMatch(/≠ none/);
  });
});

describe("what a stored Subscribe delivery names", () => {
  it("reads the offer from the top level (else the snapshot) and the purchaser tenant from the snapshot", () => {
    const base = {
      id: "0f0c0000-0000-4000-8000-000000000001",
      subscriptionId: "5c7e0000-0000-4000-8000-000000000001",
      action: "Subscribe",
      timeStamp: "2026-11-30T10:00:00Z",
    };
    expect(
      describeDelivery({
        ...base,
        offerId: "contoso-backup",
        subscription: { ...remote(), purchaser: { tenantId: tenant, emailId: "[redacted]" } },
      }),
    ).toEqual({ offerId: "contoso-backup", purchaserTenantId: tenant });
    expect(describeDelivery({ ...base, subscription: remote() })).toEqual({
      offerId: "contoso-backup",
      purchaserTenantId: tenant,
    });
    expect(describeDelivery({ ...base })).toEqual({ offerId: null, purchaserTenantId: null });
    expect(describeDelivery("not a payload")).toEqual({ offerId: null, purchaserTenantId: null });
  });
});
