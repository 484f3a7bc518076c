import { describe, expect, it } from "vitest";
import type { StoredOperation, StoredSubscription } from "./model";
import { acknowledgementOf, backoffDelay } from "./webhooks";
import { webhookPayload } from "./wire";

const operation: StoredOperation = {
  id: "0f0c0000-0000-4000-8000-000000000001",
  activityId: "9a1e0000-0000-4000-8000-000000000001",
  subscriptionId: "5c7e0000-0000-4000-8000-000000000001",
  offerId: "contoso-analytics",
  publisherId: "contoso-software",
  planId: "pro-seats",
  quantity: 5,
  action: "ChangePlan",
  timeStamp: "2025-01-15T10:04:12.123Z",
  status: "InProgress",
  source: "Azure",
  dueAt: "2025-01-15T10:04:12.123Z",
  injectedFailure: false,
  errorStatusCode: "",
  errorMessage: "",
};

const subscription: StoredSubscription = {
  id: operation.subscriptionId,
  publisherId: "contoso-software",
  offerId: "contoso-analytics",
  name: "Fabrikam",
  status: "Subscribed",
  beneficiary: { emailId: "alice@fabrikam.example", objectId: "b2", tenantId: "22", puid: "P" },
  purchaser: { emailId: "alice@fabrikam.example", objectId: "b2", tenantId: "22", puid: "P" },
  planId: "basic",
  termUnit: "P1M",
  termStartDate: "2025-01-01T00:00:00Z",
  termEndDate: "2025-01-31T00:00:00Z",
  autoRenew: true,
  isTest: false,
  isFreeTrial: false,
  allowedCustomerOperations: ["Delete", "Update", "Read"],
  sandboxType: "None",
  sessionMode: "None",
  created: "2025-01-01T00:00:00Z",
  lastModified: "2025-01-01T00:00:00Z",
};

describe("backoffDelay", () => {
  it("doubles from the base and caps each step", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(1000, n))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(60_000, 20)).toBe(300_000);
    expect(backoffDelay(0, 3)).toBe(0);
  });
});

describe("webhookPayload (marketplace-contract.md §8.3)", () => {
  it("has the target plan at the top and the current subscription in the snapshot", () => {
    const payload = webhookPayload(operation, subscription);
    expect(payload).toMatchObject({
      id: operation.id,
      planId: "pro-seats",
      quantity: 5,
      action: "ChangePlan",
      status: "InProgress",
      operationRequestSource: "Azure",
      purchaseToken: null,
      subscription: { planId: "basic", saasSubscriptionStatus: "Subscribed" },
    });
    expect(webhookPayload({ ...operation, action: "Renew", planId: "basic" }, subscription).status).toBe("Succeeded");
    expect(webhookPayload({ ...operation, action: "Reinstate" }, subscription).status).toBe("InProgress");
    const { quantity: _quantity, ...flat } = operation;
    expect("quantity" in webhookPayload({ ...flat, action: "Suspend", planId: "basic" }, subscription)).toBe(false);
  });
});

describe("acknowledgementOf", () => {
  it("tells PATCH answers, 4xx refusals and auto-accepts apart", () => {
    const done = { ...operation, completedAt: "2025-01-15T10:04:13.000Z" };
    expect(acknowledgementOf({ ...done, status: "Succeeded", settledBy: "acknowledgement" })).toEqual({
      status: "Success",
      at: done.completedAt,
      via: "patch",
    });
    expect(acknowledgementOf({ ...done, status: "Failed", settledBy: "acknowledgement" })).toMatchObject({
      status: "Failure",
    });
    expect(acknowledgementOf({ ...done, status: "Failed", settledBy: "webhookRejection" })).toMatchObject({
      status: "Failure",
      via: "webhookResponse",
    });
    expect(acknowledgementOf({ ...done, status: "Succeeded", settledBy: "autoAccept", ackWindowMs: 10_000 })).toEqual({
      autoAccepted: true,
      at: done.completedAt,
      afterMs: 10_000,
    });
    expect(acknowledgementOf({ ...done, status: "Succeeded", settledBy: "immediate" })).toBeUndefined();
    expect(acknowledgementOf(operation)).toBeUndefined();
  });
});
