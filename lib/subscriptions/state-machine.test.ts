import { describe, expect, it } from "vitest";
import { allowedTransitions, canTransition } from "./state-machine";

const statuses = Object.keys(allowedTransitions) as (keyof typeof allowedTransitions)[];

describe("subscription state machine", () => {
  it.each([
    ["PendingFulfillmentStart", "Subscribed"],
    ["PendingFulfillmentStart", "Unsubscribed"],
    ["Subscribed", "Suspended"],
    ["Subscribed", "Unsubscribed"],
    ["Suspended", "Subscribed"],
    ["Suspended", "Unsubscribed"],
  ] as const)("allows %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    ["Unsubscribed", "Subscribed"],
    ["Unsubscribed", "PendingFulfillmentStart"],
    ["Unsubscribed", "Suspended"],
    ["Subscribed", "PendingFulfillmentStart"],
    ["PendingFulfillmentStart", "Suspended"],
    ["Suspended", "PendingFulfillmentStart"],
  ] as const)("refuses %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it("never allows a status to 'transition' to itself", () => {
    for (const status of statuses) expect(canTransition(status, status)).toBe(false);
  });

  it("has Unsubscribed as its only terminal state", () => {
    expect(statuses.filter((status) => allowedTransitions[status].length === 0)).toEqual(["Unsubscribed"]);
  });
});
