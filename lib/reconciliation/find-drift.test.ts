import { describe, expect, it } from "vitest";
import { subscriptionSchema } from "../marketplace/schemas";
import { findDrift } from "./reconcile-subscriptions";

const id = "6a2e0f6d-2b9b-4c36-8a0e-2f5f7f0d0c01";
const remote = (overrides: Record<string, unknown> = {}) =>
  subscriptionSchema.parse({
    id,
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    saasSubscriptionStatus: "Subscribed",
    term: { termUnit: "P1M", startDate: "2026-11-25T00:00:00Z", endDate: "2026-12-24T00:00:00Z" },
    ...overrides,
  });
type Local = NonNullable<Parameters<typeof findDrift>[0]>;
const local = (overrides: Partial<Local> = {}) =>
  ({
    id,
    status: "Subscribed",
    planId: "pro-seats",
    quantity: 5,
    termStartDate: new Date("2026-11-25T00:00:00Z"),
    termEndDate: new Date("2026-12-24T00:00:00Z"),
    ...overrides,
  }) as Local;

describe("findDrift", () => {
  it("finds nothing when our row matches Microsoft's", () => {
    expect(findDrift(local(), remote())).toEqual([]);
  });

  it("reports a subscription we do not have", () => {
    expect(findDrift(null, remote())).toEqual([
      { subscriptionId: id, field: "missing", localValue: null, remoteValue: "Subscribed" },
    ]);
  });

  it("reports each differing field with both values: status, plan, seats and term (by day)", () => {
    const findings = findDrift(
      local({ status: "Suspended", planId: "basic", quantity: null, termEndDate: new Date("2026-12-23T00:00:00Z") }),
      remote(),
    );
    expect(findings).toEqual([
      { subscriptionId: id, field: "status", localValue: "Suspended", remoteValue: "Subscribed" },
      { subscriptionId: id, field: "planId", localValue: "basic", remoteValue: "pro-seats" },
      { subscriptionId: id, field: "quantity", localValue: null, remoteValue: "5" },
      {
        subscriptionId: id,
        field: "term",
        localValue: "2026-11-25..2026-12-23",
        remoteValue: "2026-11-25..2026-12-24",
      },
    ]);
  });

  it("ignores the time of day within a term date", () => {
    expect(findDrift(local({ termStartDate: new Date("2026-11-25T13:45:00Z") }), remote())).toEqual([]);
  });
});
