import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type EmulatorSettings } from "./model";
import { Variants } from "./variant-hooks";

const settings = (): EmulatorSettings => ({ ...DEFAULT_SETTINGS, webhookUrl: "http://portal/webhook" });

describe("Variants hooks", () => {
  it("answer as Microsoft documents when no variant is on", () => {
    const variants = new Variants(settings());
    expect(variants.enabled()).toEqual([]);
    expect(variants.activationDelayMs()).toBe(0);
    expect(variants.applyDelayMs("ChangePlan")).toBe(0);
    expect(variants.awaitsAcknowledgement("Reinstate")).toBe(true);
    expect(variants.awaitsAcknowledgement("Suspend")).toBe(false);
    expect(variants.answerLostBy("updateSubscription", 202)).toBeUndefined();
    expect(variants.answerLostBy("updateOperation", 200)).toBeUndefined();
    expect(variants.webhookHoldMs()).toBe(0);
    expect(variants.usageRowsPerHour()).toBe(false);
    expect(variants.shapeAnswer("activate", { status: 200 })).toEqual({ status: 200 });
    expect(variants.operationKnown({ action: "Subscribe" })).toBe(true);
  });

  it("hide only the Subscribe operation under subscribe-operation-unknown", () => {
    const variants = new Variants(settings(), ["subscribe-operation-unknown"]);
    expect(variants.operationKnown({ action: "Subscribe" })).toBe(false);
    for (const action of ["ChangePlan", "ChangeQuantity", "Suspend", "Reinstate", "Unsubscribe", "Renew"] as const)
      expect(variants.operationKnown({ action })).toBe(true);
  });

  it("read their timings from the live settings", () => {
    const live = settings();
    const variants = new Variants(live, ["slow-activation", "delayed-apply", "reordered-webhooks"]);
    expect(variants.activationDelayMs()).toBe(4000);
    live.slowActivationMs = 700;
    expect(variants.activationDelayMs()).toBe(700);
    live.activationDelayMs = 50; // an explicit activation delay wins
    expect(variants.activationDelayMs()).toBe(50);
    expect(variants.applyDelayMs("ChangeQuantity")).toBe(3000);
    expect(variants.applyDelayMs("Suspend")).toBe(0);
    live.webhookHoldMs = 900;
    expect(variants.webhookHoldMs()).toBe(900);
  });

  it("lose the answers they own, and only those", () => {
    const variants = new Variants(settings(), ["lost-answer", "ack-answer-lost"]);
    expect(variants.answerLostBy("updateSubscription", 202)).toBe("lost-answer");
    expect(variants.answerLostBy("deleteSubscription", 400)).toBe("lost-answer");
    expect(variants.answerLostBy("updateOperation", 200)).toBe("ack-answer-lost");
    expect(variants.answerLostBy("updateOperation", 409)).toBeUndefined();
    expect(variants.answerLostBy("getSubscription", 200)).toBeUndefined();
  });

  it("replace the whole set", () => {
    const variants = new Variants(settings(), ["notify-only-reinstate"]);
    expect(variants.awaitsAcknowledgement("Reinstate")).toBe(false);
    expect(variants.awaitsAcknowledgement("ChangePlan")).toBe(true);
    variants.replace(["text-bodies", "bare-arrays", "hourly-usage-events"]);
    expect(variants.enabled()).toEqual(["text-bodies", "bare-arrays", "hourly-usage-events"]);
    expect(variants.usageRowsPerHour()).toBe(true);
    expect(variants.awaitsAcknowledgement("Reinstate")).toBe(true);
  });
});
