import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureSandboxTls } from "../tls";
import type { CallRecord } from "./call-log";
import { ALICE, buy, CARL, NINA, startEmulator, waitFor, type RunningEmulator } from "./test-harness";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.request("DELETE", "/sandbox-api/faults");
});

describe("faults", () => {
  it("answers 500 once, then normally", async () => {
    const added = await emu.request("POST", "/sandbox-api/faults", {
      body: { method: "GET", pathPattern: "/api/saas/subscriptions", status: 500, times: 1 },
    });
    expect(added.status).toBe(201);
    const faultId = added.json<{ id: string }>().id;

    const failed = await emu.api("GET", "/api/saas/subscriptions");
    expect(failed.status).toBe(500);
    expect(failed.json<{ error: { code: string } }>().error.code).toBe("InternalServerError");
    expect(failed.headers["x-ms-requestid"]).toBeDefined();
    expect((await emu.api("GET", "/api/saas/subscriptions")).status).toBe(200);

    const calls = (await emu.request("GET", "/sandbox-api/calls")).json<{ calls: CallRecord[] }>().calls;
    expect(calls.some((c) => c.faultId === faultId && c.status === 500)).toBe(true);
  });

  it("answers 429 with Retry-After and a custom body, for matching calls only", async () => {
    await emu.request("POST", "/sandbox-api/faults", {
      body: {
        pathPattern: "/activate$",
        status: 429,
        retryAfterSeconds: 2,
        body: { error: { code: "Throttled", message: "slow down" } },
        times: 2,
      },
    });
    const { subscriptionId } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    expect((await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}`)).status).toBe(200);
    const path = `/api/saas/subscriptions/${subscriptionId}/activate`;
    for (let i = 0; i < 2; i += 1) {
      const throttled = await emu.api("POST", path, { body: { planId: "standard" } });
      expect(throttled.status).toBe(429);
      expect(throttled.headers["retry-after"]).toBe("2");
      expect(throttled.json()).toEqual({ error: { code: "Throttled", message: "slow down" } });
    }
    expect((await emu.api("POST", path, { body: { planId: "standard" } })).status).toBe(200);
  });

  it("answers slowly with delayMs (for timeout tests)", async () => {
    await emu.request("POST", "/sandbox-api/faults", {
      body: { pathPattern: "subscriptions", delayMs: 300, status: 503 },
    });
    const started = Date.now();
    const reply = await emu.api("GET", "/api/saas/subscriptions");
    expect(reply.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("a delay without a status still processes the call when the client gave up waiting (a timeout that went through)", async () => {
    await emu.request("POST", "/sandbox-api/faults", { body: { pathPattern: "/activate$", delayMs: 400 } });
    const { subscriptionId } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const url = new URL(`/api/saas/subscriptions/${subscriptionId}/activate?api-version=2018-08-31`, emu.baseUrl);
    const body = JSON.stringify({ planId: "standard" });
    const token = await emu.publisherToken();
    const outcome = await new Promise<string>((resolve) => {
      const req = httpsRequest(
        url,
        {
          method: "POST",
          ca: readFileSync(ensureSandboxTls(emu.dataDir).caPath),
          family: 4,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        },
        () => resolve("answered"),
      );
      req.on("error", () => resolve("gave up"));
      req.end(body);
      setTimeout(() => req.destroy(), 100);
    });
    expect(outcome).toBe("gave up");
    await waitFor(async () => {
      const status = (await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}`)).json<{
        saasSubscriptionStatus: string;
      }>().saasSubscriptionStatus;
      return status === "Subscribed" ? status : undefined;
    });
  });

  it("rejects a fault without status or delay, and DELETE clears all", async () => {
    expect((await emu.request("POST", "/sandbox-api/faults", { body: { times: 1 } })).status).toBe(400);
    await emu.request("POST", "/sandbox-api/faults", { body: { status: 500, times: 5 } });
    expect((await emu.request("DELETE", "/sandbox-api/faults")).json()).toEqual({ cleared: 1 });
    expect((await emu.api("GET", "/api/saas/subscriptions")).status).toBe(200);
  });
});

describe("call log", () => {
  it("records method, path, status and ids, never tokens", async () => {
    const since = new Date().toISOString();
    const { token } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const bearer = await emu.publisherToken();
    await emu.api("POST", "/api/saas/subscriptions/resolve", {
      token: bearer,
      headers: {
        "x-ms-marketplace-token": token,
        "x-ms-requestid": "aaaaaaaa-0000-4000-8000-000000000001",
        "x-ms-correlationid": "bbbbbbbb-0000-4000-8000-000000000001",
      },
    });
    await emu.api("GET", "/api/saas/subscriptions", { apiVersion: null });

    const reply = await emu.request("GET", `/sandbox-api/calls?since=${encodeURIComponent(since)}`);
    expect(reply.text).not.toContain(token);
    expect(reply.text).not.toContain(encodeURIComponent(token));
    expect(reply.text).not.toContain(bearer);
    const calls = reply.json<{ calls: CallRecord[] }>().calls;
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      method: "POST",
      path: "/api/saas/subscriptions/resolve?api-version=2018-08-31",
      status: 200,
      requestId: "aaaaaaaa-0000-4000-8000-000000000001",
      correlationId: "bbbbbbbb-0000-4000-8000-000000000001",
      requestIdSent: true,
      correlationIdSent: true,
      appId: "f0f00000-0000-4000-8000-00000000f001",
    });
    expect(calls[1]).toMatchObject({ method: "GET", status: 400, requestIdSent: false, correlationIdSent: false });
    expect((await emu.request("GET", "/sandbox-api/calls?since=yesterday")).status).toBe(400);
  });
});

describe("purchases", () => {
  it("validates products, seats and users", async () => {
    const cases: Array<Record<string, unknown>> = [
      { offerId: "nope", planId: "basic", beneficiary: ALICE },
      { offerId: "contoso-analytics", planId: "nope", beneficiary: ALICE },
      { offerId: "contoso-analytics", planId: "pro-seats", beneficiary: ALICE },
      { offerId: "contoso-analytics", planId: "enterprise-seats", quantity: 5, beneficiary: ALICE },
      { offerId: "contoso-analytics", planId: "basic", quantity: 5, beneficiary: ALICE },
      { offerId: "contoso-backup", planId: "standard", isFreeTrial: true, beneficiary: ALICE },
      { offerId: "contoso-analytics", planId: "basic", beneficiary: { tid: ALICE.tid, oid: NINA.oid } },
      { offerId: "contoso-analytics", planId: "basic", beneficiary: ALICE, purchaser: { tid: "x", oid: "y" } },
      { offerId: "contoso-analytics", planId: "basic" },
    ];
    for (const body of cases) {
      const reply = await emu.request("POST", "/sandbox-api/purchases", { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json<{ error: { message: string } }>().error.message).not.toBe("");
    }
    expect((await emu.request("POST", "/sandbox-api/purchases", { body: "{" })).status).toBe(400);
  });

  it("stores the purchase and shows it with its operations", async () => {
    const { subscriptionId, landingUrl, token } = await buy(emu, {
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: NINA,
      purchaser: CARL,
      isTest: true,
      isFreeTrial: true,
      name: "Northwind dashboards",
    });
    expect(landingUrl).toBe(`http://localhost:3000/landing?token=${encodeURIComponent(token)}`);
    const reply = await emu.request("GET", `/sandbox-api/subscriptions/${subscriptionId}`);
    expect(reply.status).toBe(200);
    const state = reply.json<{ subscription: Record<string, unknown>; operations: unknown[] }>();
    expect(state.subscription).toMatchObject({
      name: "Northwind dashboards",
      isTest: true,
      isFreeTrial: true,
      saasSubscriptionStatus: "PendingFulfillmentStart",
      purchaser: { tenantId: CARL.tid },
      beneficiary: { tenantId: NINA.tid },
      // An explicit purchaser is not a CSP purchase unless csp is set.
      allowedCustomerOperations: ["Delete", "Update", "Read"],
      sandboxType: "None",
    });
    expect(state.operations).toEqual([]);
    expect(JSON.stringify(state)).not.toContain(token);
    expect((await emu.request("GET", "/sandbox-api/subscriptions/00000000-0000-4000-8000-000000000000")).status).toBe(
      404,
    );
    expect(
      (await emu.request("POST", "/sandbox-api/subscriptions/00000000-0000-4000-8000-000000000000/token")).status,
    ).toBe(404);
  });
});

describe("settings", () => {
  it("returns and updates the settings", async () => {
    const current = (await emu.request("POST", "/sandbox-api/settings", { body: {} })).json<Record<string, number>>();
    expect(current).toMatchObject({ activationDelayMs: 0, failNextOperations: 0 });
    const updated = await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 1234 } });
    expect(updated.json()).toMatchObject({ operationDelayMs: 1234 });
    expect((await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: -1 } })).status).toBe(400);
    await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: current.operationDelayMs } });
  });

  it("answers 404/405 for unknown control routes", async () => {
    expect((await emu.request("GET", "/sandbox-api/nothing")).status).toBe(404);
    expect((await emu.request("PUT", "/sandbox-api/faults")).status).toBe(405);
  });
});
