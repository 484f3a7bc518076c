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
    expect(variants.answerLostBy("updateSubscription", { status: 202 })).toBeUndefined();
    expect(variants.answerLostBy("updateOperation", { status: 200 })).toBeUndefined();
    expect(variants.answerLostBy("activate", { status: 200, changedState: true })).toBeUndefined();
    expect(variants.refusesRepeatedActivation()).toBe(false);
    expect(variants.webhookHoldMs()).toBe(0);
    expect(variants.usageRowsPerHour()).toBe(false);
    expect(variants.shapeAnswer("activate", { status: 200 })).toEqual({ status: 200 });
    expect(variants.operationKnown({ action: "Subscribe" })).toBe(true);
    expect(variants.webhookAudience("f0f00000-0000-4000-8000-00000000f001")).toBe(
      "f0f00000-0000-4000-8000-00000000f001",
    );
    expect(variants.gatewayAnswer({ method: "GET", path: "/api/saas/subscriptions/x", correlationId: "c" })).toBe(
      undefined,
    );
    expect(variants.shapeServerError({ status: 500, body: { error: { code: "InternalServerError" } } })).toEqual({
      status: 500,
      body: { error: { code: "InternalServerError" } },
    });
    expect(variants.forcedUsageOutcome(1)).toBeUndefined();
    expect(variants.usageResultsReversed()).toBe(false);
    expect(variants.injectedFailureStatus()).toBe("Failed");
    expect(variants.expiresPendingPurchases()).toBe(false);
  });

  it("count gateway tries per call: throttling first, then html-errors' gateway pages, for GETs only", () => {
    const live = settings();
    live.throttledTries = 1;
    live.gatewayErrorTries = 2;
    const variants = new Variants(live, ["throttle-no-retry-after", "html-errors"]);
    const get = { method: "GET", path: "/api/saas/subscriptions/x", correlationId: "c1" };
    const answers = [1, 2, 3, 4].map(() => variants.gatewayAnswer(get)?.result.status);
    expect(answers).toEqual([429, 502, 503, undefined]);
    const post = { method: "POST", path: "/api/saas/subscriptions/x/activate", correlationId: "c1" };
    expect([1, 2].map(() => variants.gatewayAnswer(post)?.result.status)).toEqual([429, undefined]);
    expect(variants.gatewayAnswer({ ...get, correlationId: "c2" })?.variant).toBe("throttle-no-retry-after");
  });

  it("sign webhooks for the App ID URI under app-id-uri-audience, as v2 tokens under v2-webhook-tokens", () => {
    expect(new Variants(settings(), ["app-id-uri-audience"]).webhookAudience("f0f0")).toBe("api://f0f0");
    expect(new Variants(settings()).webhookTokenVersion()).toBe(1);
    expect(new Variants(settings(), ["v2-webhook-tokens"]).webhookTokenVersion()).toBe(2);
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
    expect(variants.answerLostBy("updateSubscription", { status: 202 })).toBe("lost-answer");
    expect(variants.answerLostBy("deleteSubscription", { status: 400 })).toBe("lost-answer");
    expect(variants.answerLostBy("updateOperation", { status: 200 })).toBe("ack-answer-lost");
    expect(variants.answerLostBy("updateOperation", { status: 409 })).toBeUndefined();
    expect(variants.answerLostBy("getSubscription", { status: 200 })).toBeUndefined();
  });

  it("lose the answer of an Activate or a usage batch only when it changed something", () => {
    const variants = new Variants(settings(), ["lost-answer"]);
    expect(variants.answerLostBy("activate", { status: 200, changedState: true })).toBe("lost-answer");
    expect(variants.answerLostBy("batchUsageEvent", { status: 200, changedState: true })).toBe("lost-answer");
    // A repeat (already active, every item a Duplicate) or a refusal is answered as usual.
    expect(variants.answerLostBy("activate", { status: 200 })).toBeUndefined();
    expect(variants.answerLostBy("activate", { status: 400 })).toBeUndefined();
    expect(variants.answerLostBy("batchUsageEvent", { status: 200 })).toBeUndefined();
    expect(variants.answerLostBy("usageEvent", { status: 200, changedState: true })).toBeUndefined();
  });

  it("refuse a repeated Activate only under activate-not-idempotent", () => {
    expect(new Variants(settings(), ["activate-not-idempotent"]).refusesRepeatedActivation()).toBe(true);
    expect(new Variants(settings(), ["lost-answer"]).refusesRepeatedActivation()).toBe(false);
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
