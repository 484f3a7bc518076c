import { describe, expect, it } from "vitest";
import type { StoredDelivery } from "./model";
import { DeliveryHold } from "./webhook-hold";

function delivery(id: string, subscriptionId: string): StoredDelivery {
  return {
    id,
    operationId: `op-${id}`,
    subscriptionId,
    action: "Suspend",
    createdAt: "2026-01-01T00:00:00.000Z",
    url: "http://portal/webhook",
    payload: {},
    attempts: [],
    outcome: "pending",
  };
}

describe("DeliveryHold (reordered-webhooks)", () => {
  it("holds the first delivery of a subscription; a newer one overtakes it and releases it after its attempt", () => {
    const hold = new DeliveryHold();
    const older = delivery("d1", "s1");
    const newer = delivery("d2", "s1");
    expect(hold.admit(older)).toEqual({ hold: true });
    expect(hold.admit(newer)).toEqual({ hold: false, overtakes: [older] });
    expect(hold.takeOvertaken(newer)).toEqual([older]);
    expect(hold.takeOvertaken(newer)).toEqual([]);
    // The older one is no longer held: the next delivery is held again, not sent ahead.
    expect(hold.admit(delivery("d3", "s1"))).toEqual({ hold: true });
  });

  it("keeps subscriptions apart and forgets a delivery once its hold is over", () => {
    const hold = new DeliveryHold();
    const a = delivery("a", "s1");
    expect(hold.admit(a)).toEqual({ hold: true });
    expect(hold.admit(delivery("b", "s2"))).toEqual({ hold: true });
    hold.release(a);
    expect(hold.admit(delivery("c", "s1"))).toEqual({ hold: true });
  });
});
