import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMarketplaceClient, operationIdFromLocation } from "./client";
import { isMarketplaceError, MarketplaceError } from "./errors";
import { backoffDelay, parseRetryAfter, type HttpEvent } from "./http";

type Reply = (req: IncomingMessage, res: ServerResponse, body: string) => void;
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let baseUrl: string;
let replies: Reply[] = [];
let seen: Seen[] = [];
let events: HttpEvent[] = [];

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };

const subscription = {
  id: "6a2e0f6d-2b9b-4c36-8a0e-2f5f7f0d0c01",
  publisherId: "contoso",
  offerId: "contoso-analytics",
  name: "Fabrikam analytics",
  saasSubscriptionStatus: " PendingFulfillmentStart ",
  planId: "pro-seats",
  quantity: 5,
  beneficiary: {
    emailId: "alice@fabrikam.example",
    objectId: "b2000000-0000-4000-8000-000000000001",
    tenantId: "22222222-2222-4222-8222-222222222222",
    puid: "1",
  },
  purchaser: {
    emailId: "alice@fabrikam.example",
    objectId: "b2000000-0000-4000-8000-000000000001",
    tenantId: "22222222-2222-4222-8222-222222222222",
  },
  term: { termUnit: "P1M", startDate: "2026-11-25", endDate: "2026-12-24T00:00:00Z", chargeDuration: null },
  autoRenew: true,
  isTest: false,
  isFreeTrial: false,
  allowedCustomerOperations: ["Delete", "Update", "Read"],
  sandboxType: "None",
  sessionMode: "None",
  created: "2026-11-25T10:00:00Z",
  lastModified: "0001-01-01T00:00:00",
  futureField: { kept: true },
};

function client(overrides: Partial<Parameters<typeof createMarketplaceClient>[0]> = {}) {
  return createMarketplaceClient({
    baseUrl,
    getAccessToken: async () => "test-access-token",
    timeoutMs: 500,
    maxRetries: 3,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const reply = replies.shift();
      if (reply) reply(req, res, body);
      else json(500, { error: { code: "NoReply", message: "no scripted reply" } })(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  replies = [];
  seen = [];
  events = [];
});

describe("requests", () => {
  it("resolves with the decoded token, api-version, bearer and request/correlation ids", async () => {
    replies.push(
      json(200, {
        id: subscription.id,
        subscriptionName: "Fabrikam analytics",
        offerId: "contoso-analytics",
        planId: "pro-seats",
        quantity: 5,
        subscription,
      }),
    );
    const resolved = await client().resolveSubscription("ab+cd/ef==", { correlationId: "corr-1" });
    expect(resolved.subscription.saasSubscriptionStatus).toBe("PendingFulfillmentStart");
    expect(resolved.subscription.lastModified).toBeUndefined();
    expect(resolved.subscription.term?.startDate?.toISOString()).toBe("2026-11-25T00:00:00.000Z");
    expect((resolved.subscription as Record<string, unknown>).futureField).toEqual({ kept: true });
    const [request] = seen;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/saas/subscriptions/resolve?api-version=2018-08-31");
    expect(request?.headers["x-ms-marketplace-token"]).toBe("ab+cd/ef==");
    expect(request?.headers.authorization).toBe("Bearer test-access-token");
    expect(request?.headers["x-ms-correlationid"]).toBe("corr-1");
    expect(request?.headers["x-ms-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends the plan on activate and accepts an empty 200", async () => {
    replies.push(json(200, undefined));
    await client().activateSubscription(subscription.id, { planId: "pro-seats", quantity: 5 });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ planId: "pro-seats", quantity: 5 });
    expect(seen[0]?.url).toBe(`/api/saas/subscriptions/${subscription.id}/activate?api-version=2018-08-31`);
  });

  it("treats an empty list body as no subscriptions and follows @nextLink", async () => {
    replies.push(
      json(200, {
        subscriptions: [subscription],
        "@nextLink": `${baseUrl}/saas/subscriptions?continuationToken=abc%2B1&api-version=2018-08-31`,
      }),
    );
    replies.push(json(200, undefined));
    const first = await client().listSubscriptions();
    expect(first.subscriptions).toHaveLength(1);
    expect(first.nextLink).toContain("continuationToken=abc%2B1");
    const second = await client().listSubscriptions(first.nextLink);
    expect(second).toEqual({ subscriptions: [], nextLink: undefined });
    expect(seen[1]?.url).toBe("/api/saas/subscriptions?continuationToken=abc%2B1&api-version=2018-08-31");
  });

  it("falls back to the continuation token when @nextLink is malformed (as in the docs' sample)", async () => {
    replies.push(
      json(200, {
        subscriptions: [],
        "@nextLink":
          "https:// https://marketplaceapi.microsoft.com/api/saas/subscriptions/?continuationToken=xyz&api-version=2018-08-31",
      }),
    );
    const page = await client().listSubscriptions();
    expect(page.nextLink).toBe(`${baseUrl}/saas/subscriptions?continuationToken=xyz`);
  });

  it("returns the operation from Operation-Location on 202", async () => {
    const location = `${baseUrl}/saas/subscriptions/${subscription.id}/operations/0f0c0000-0000-4000-8000-000000000001?api-version=2018-08-31`;
    replies.push(json(202, undefined, { "operation-location": location }));
    const accepted = await client().changePlan(subscription.id, "enterprise-seats");
    expect(accepted).toEqual({ operationLocation: location, operationId: "0f0c0000-0000-4000-8000-000000000001" });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ planId: "enterprise-seats" });
  });

  it("takes a 202 without Operation-Location as accepted, with the operation left to find", async () => {
    replies.push(json(202, undefined));
    await expect(client().deleteSubscription(subscription.id)).resolves.toEqual({});
  });

  it("parses an empty operations list ({}) as no operations", async () => {
    replies.push(json(200, {}));
    expect(await client().listOperations(subscription.id)).toEqual([]);
  });
});

describe("retries", () => {
  it("lower-cases subscription ids from Microsoft, so one subscription has one id everywhere", async () => {
    replies.push(json(200, { ...subscription, id: subscription.id.toUpperCase() }));
    expect((await client().getSubscription(subscription.id)).id).toBe(subscription.id.toLowerCase());
  });

  it("retries 500 and 503 on idempotent calls with a new request id and the same correlation id", async () => {
    replies.push(json(500, { error: { code: "x", message: "boom" } }), json(503, {}), json(200, subscription));
    const result = await client().getSubscription(subscription.id);
    expect(result.id).toBe(subscription.id);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((request) => request.headers["x-ms-requestid"])).size).toBe(3);
    expect(new Set(seen.map((request) => request.headers["x-ms-correlationid"])).size).toBe(1);
    expect(events.map((event) => event.outcome)).toEqual(["retry", "retry", "ok"]);
  });

  it("honours Retry-After on 429", async () => {
    replies.push(json(429, {}, { "retry-after": "1" }), json(200, subscription));
    const started = Date.now();
    await client().getSubscription(subscription.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen).toHaveLength(2);
  });

  it("gives up after maxRetries with an 'unavailable' error carrying Microsoft's message and ids", async () => {
    for (let i = 0; i < 4; i += 1)
      replies.push(
        json(500, { error: { code: "InternalServerError", message: "try later" } }, { "x-ms-requestid": `srv-${i}` }),
      );
    const error = await client()
      .getSubscription(subscription.id)
      .catch((caught: unknown) => caught);
    expect(isMarketplaceError(error, "unavailable")).toBe(true);
    expect((error as MarketplaceError).detail).toBe("try later");
    expect((error as MarketplaceError).requestId).toBe("srv-3");
    expect((error as MarketplaceError).retryable).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it("does not repeat a plan change on 500 (not safe), but does on 429", async () => {
    replies.push(json(500, {}));
    await expect(client().changePlan(subscription.id, "basic")).rejects.toMatchObject({
      kind: "unavailable",
      status: 500,
    });
    expect(seen).toHaveLength(1);
    replies.push(
      json(429, {}, { "retry-after": "0" }),
      json(202, undefined, { "operation-location": `${baseUrl}/saas/subscriptions/s/operations/op-1` }),
    );
    await expect(client().changePlan(subscription.id, "basic")).resolves.toMatchObject({ operationId: "op-1" });
    expect(seen).toHaveLength(3);
  });

  it("does not repeat an Activate that may have reached Microsoft (500, timeout), but does on 429", async () => {
    replies.push(json(500, {}));
    await expect(
      client().activateSubscription(subscription.id, { planId: "pro-seats", quantity: 5 }),
    ).rejects.toMatchObject({ kind: "unavailable", mayHaveTakenEffect: true });
    expect(seen).toHaveLength(1);
    const slow: Reply = (_req, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end();
      }, 300);
    };
    replies.push(slow);
    await expect(
      client({ timeoutMs: 100 }).activateSubscription(subscription.id, { planId: "pro-seats", quantity: 5 }),
    ).rejects.toMatchObject({ kind: "timeout", mayHaveTakenEffect: true });
    expect(seen).toHaveLength(2);
    replies.push(json(429, {}, { "retry-after": "0" }), json(200, undefined));
    await client().activateSubscription(subscription.id, { planId: "pro-seats", quantity: 5 });
    expect(seen).toHaveLength(4);
  });

  it("says when a usage batch went out again after a try that may have reached Microsoft (5xx), not after a 429", async () => {
    const event = {
      resourceId: subscription.id,
      quantity: 2,
      dimension: "reports",
      effectiveStartTime: new Date("2026-11-25T10:00:00Z"),
      planId: "basic",
    };
    const answer = { count: 1, result: [{ status: "Accepted", resourceId: subscription.id }] };
    replies.push(json(200, answer));
    await expect(client().batchUsageEvent([event])).resolves.toMatchObject({ repeated: false });
    replies.push(json(429, {}, { "retry-after": "0" }), json(200, answer));
    await expect(client().batchUsageEvent([event])).resolves.toMatchObject({ repeated: false });
    replies.push(json(503, {}), json(200, answer));
    await expect(client().batchUsageEvent([event])).resolves.toMatchObject({
      repeated: true,
      items: [{ status: "Accepted" }],
    });
    expect(seen).toHaveLength(5);
  });

  it("keeps a call with a deadline inside it: attempts cut to the time left, no retry that would run past it", async () => {
    const event = {
      resourceId: subscription.id,
      quantity: 2,
      dimension: "reports",
      effectiveStartTime: new Date("2026-11-25T10:00:00Z"),
      planId: "basic",
    };
    // Microsoft asks for 2 s: with 1.5 s left the portal does not wait and retry past the deadline.
    replies.push(json(429, {}, { "retry-after": "2" }), json(200, { count: 0, result: [] }));
    const started = Date.now();
    await expect(client().batchUsageEvent([event], { deadline: Date.now() + 1_500 })).rejects.toMatchObject({
      kind: "throttled",
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(1);
    // A server that never answers: the attempt is cut at the deadline (1.2 s), not the 5 s timeout, and not retried.
    replies = [];
    seen = [];
    replies.push(() => undefined);
    const slow = client({ timeoutMs: 5_000 });
    const begun = Date.now();
    const error = await slow
      .batchUsageEvent([event], { deadline: Date.now() + 1_200 })
      .catch((caught: unknown) => caught);
    expect(isMarketplaceError(error, "timeout")).toBe(true);
    expect((error as MarketplaceError).mayHaveTakenEffect).toBe(true);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(1_100);
    expect(Date.now() - begun).toBeLessThan(2_500);
    expect(seen).toHaveLength(1);
    // Without a deadline the same answers are retried as before.
    replies = [];
    seen = [];
    replies.push(json(429, {}, { "retry-after": "0" }), json(200, { count: 0, result: [] }));
    await expect(client().batchUsageEvent([event])).resolves.toMatchObject({ items: [] });
    expect(seen).toHaveLength(2);
  });

  it("answers a 403 by trying once more with a fresh token (marketplace-contract.md §10.2), also for a plan change", async () => {
    const asked: Array<{ skipCache?: boolean } | undefined> = [];
    let issued = 0;
    const getAccessToken = async (options?: { skipCache?: boolean }) => {
      asked.push(options);
      issued += options?.skipCache ? 1 : 0;
      return `token-${issued}`;
    };
    replies.push(json(403, { error: { code: "Forbidden", message: "token revoked" } }), json(200, subscription));
    await expect(client({ getAccessToken, maxRetries: 0 }).getSubscription(subscription.id)).resolves.toMatchObject({
      id: subscription.id,
    });
    expect(seen.map((request) => request.headers.authorization)).toEqual(["Bearer token-0", "Bearer token-1"]);
    expect(asked).toEqual([undefined, { skipCache: true }]);

    // Microsoft refused the PATCH (403: not processed), so it may go once more; a second 403 is final.
    replies.push(json(403, {}), json(403, { error: { code: "Forbidden", message: "still not allowed" } }));
    await expect(client({ getAccessToken }).changePlan(subscription.id, "basic")).rejects.toMatchObject({
      kind: "forbidden",
      detail: "still not allowed",
      mayHaveTakenEffect: false,
    });
    expect(seen).toHaveLength(4);
    expect(asked.slice(2)).toEqual([undefined, { skipCache: true }]);
  });

  it("maps 4xx without retrying", async () => {
    replies.push(json(400, { error: { code: "BadRequest", message: "Token is expired" } }));
    await expect(client().resolveSubscription("t")).rejects.toMatchObject({
      kind: "bad_request",
      status: 400,
      detail: "Token is expired",
    });
    replies.push(json(404, undefined));
    await expect(client().getSubscription("x")).rejects.toMatchObject({ kind: "not_found" });
    replies.push(json(403, undefined), json(403, undefined)); // refused again with a fresh token
    await expect(client().getSubscription("x")).rejects.toMatchObject({ kind: "forbidden" });
    replies.push(json(409, undefined));
    await expect(client().deleteSubscription("x")).rejects.toMatchObject({ kind: "conflict" });
    expect(seen).toHaveLength(5);
  });

  it("times out slow answers and retries them, then reports a timeout", async () => {
    const slow: Reply = (_req, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end("{}");
      }, 300);
    };
    replies.push(slow, slow);
    const error = await client({ timeoutMs: 100, maxRetries: 1 })
      .getSubscription(subscription.id)
      .catch((caught: unknown) => caught);
    expect(isMarketplaceError(error, "timeout")).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it("reports a response that breaks the contract as invalid_response", async () => {
    replies.push(json(200, { id: subscription.id, saasSubscriptionStatus: "Exploded" }));
    await expect(client().getSubscription(subscription.id)).rejects.toMatchObject({ kind: "invalid_response" });
    replies.push((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    });
    await expect(client().getSubscription(subscription.id)).rejects.toMatchObject({ kind: "invalid_response" });
  });

  it("reports unreachable hosts as unavailable", async () => {
    const unreachable = client({ baseUrl: "http://127.0.0.1:9/api", maxRetries: 1 });
    await expect(unreachable.getSubscription("x")).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("does not treat a token failure as a network failure", async () => {
    const failing = client({
      getAccessToken: async () => {
        throw new MarketplaceError({ kind: "authentication", operation: "acquireToken", message: "bad secret" });
      },
    });
    await expect(failing.getSubscription("x")).rejects.toMatchObject({ kind: "authentication" });
    expect(seen).toHaveLength(0);
  });
});

describe("answers that vary from the contract (marketplace-contract.md §15)", () => {
  const text =
    (status: number, body: string, headers: Record<string, string> = {}): Reply =>
    (_req, res) => {
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      res.end(body);
    };
  const operation = {
    id: "0f0c0000-0000-4000-8000-000000000001",
    subscriptionId: subscription.id,
    action: "ChangePlan",
    planId: "basic",
    status: "InProgress",
    futureField: 1,
  };

  it("ignores a text body where the contract defines none: Activate 200, acknowledgement 200, PATCH/DELETE 202", async () => {
    replies.push(text(200, "OK"));
    await expect(
      client().activateSubscription(subscription.id, { planId: "pro-seats", quantity: 5 }),
    ).resolves.toBeUndefined();
    replies.push(text(200, "OK"));
    await expect(client().updateOperation(subscription.id, operation.id, "Success")).resolves.toBeUndefined();
    const location = `${baseUrl}/saas/subscriptions/${subscription.id}/operations/${operation.id}`;
    replies.push(
      text(202, "Accepted", { "operation-location": location }),
      text(202, "<html>Accepted</html>", { "operation-location": location }),
      text(202, "Accepted"),
    );
    await expect(client().changeQuantity(subscription.id, 7)).resolves.toEqual({
      operationLocation: location,
      operationId: operation.id,
    });
    await expect(client().changePlan(subscription.id, "basic")).resolves.toMatchObject({ operationId: operation.id });
    await expect(client().deleteSubscription(subscription.id)).resolves.toEqual({});
    expect(events.every((event) => event.outcome === "ok")).toBe(true);
  });

  it("reads bare arrays where {operations} and {plans} are documented, keeping unknown fields", async () => {
    replies.push(
      json(200, [operation]),
      json(200, []),
      json(200, [{ planId: "basic", displayName: "Basic", extra: true }]),
      json(200, [subscription]),
    );
    expect(await client().listOperations(subscription.id)).toEqual([
      expect.objectContaining({ id: operation.id, futureField: 1 }),
    ]);
    expect(await client().listOperations(subscription.id)).toEqual([]);
    expect(await client().listAvailablePlans(subscription.id)).toEqual([
      expect.objectContaining({ planId: "basic", extra: true }),
    ]);
    expect((await client().listSubscriptions()).subscriptions).toHaveLength(1);
  });

  it("recognises known statuses whatever their case and spaces, and carries unknown ones as strings", async () => {
    replies.push(json(200, { ...operation, status: "succeeded " }), json(200, { ...operation, status: "Pending" }));
    expect((await client().getOperation(subscription.id, operation.id)).status).toBe("Succeeded");
    expect((await client().getOperation(subscription.id, operation.id)).status).toBe("Pending");
    replies.push(
      json(200, { ...subscription, saasSubscriptionStatus: "subscribed" }),
      json(200, { ...subscription, saasSubscriptionStatus: "PendingPayment", term: { termUnit: "PAY" } }),
    );
    expect((await client().getSubscription(subscription.id)).saasSubscriptionStatus).toBe("Subscribed");
    const unknown = await client().getSubscription(subscription.id);
    expect(unknown.saasSubscriptionStatus).toBe("PendingPayment");
    expect(unknown.term?.termUnit).toBe("PAY");
  });

  it("reads usage rows (GET /usageEvents, §9.5, §15.23) in the documented query form, bare or wrapped, with open statuses", async () => {
    const row = {
      usageDate: "2026-11-25T10:00:00",
      usageResourceId: subscription.id.toUpperCase(),
      dimension: "reports",
      planId: "basic",
      reconStatus: "rejected ",
      submittedQuantity: 3.5,
      processedQuantity: "0",
      submittedCount: 1,
      futureField: "kept",
    };
    replies.push(
      json(200, [row, { ...row, usageDate: "2026-11-25", reconStatus: "Pondering", submittedQuantity: "lots" }]),
      json(200, { value: [row] }),
      json(200, {}),
      json(200, [{ ...row, usageDate: "not a date", reconStatus: 7 }]),
    );
    const rows = await client().listUsageEvents({
      usageStartDate: new Date("2026-11-18T00:00:00Z"),
      usageEndDate: new Date("2026-11-25T14:37:12.345Z"),
      dimension: "reports",
    });
    const query = new URL(seen[0]?.url ?? "", "http://x").searchParams;
    expect(query.get("usageStartDate")).toBe("2026-11-18");
    expect(query.get("UsageEndDate")).toBe("2026-11-25T14:37");
    expect(query.get("dimension")).toBe("reports");
    expect(query.has("offerId")).toBe(false);
    expect(rows).toEqual([
      expect.objectContaining({
        usageDate: new Date("2026-11-25T10:00:00Z"),
        usageResourceId: subscription.id,
        reconStatus: "Rejected",
        submittedQuantity: 3.5,
        processedQuantity: 0,
        futureField: "kept",
      }),
      expect.objectContaining({
        usageDate: new Date("2026-11-25T00:00:00Z"),
        reconStatus: "Pondering",
        submittedQuantity: null,
      }),
    ]);
    expect(await client().listUsageEvents({ usageStartDate: new Date("2026-11-18T06:00:00Z") })).toHaveLength(1);
    expect(new URL(seen[1]?.url ?? "", "http://x").searchParams.get("usageStartDate")).toBe("2026-11-18T06:00");
    expect(await client().listUsageEvents({ usageStartDate: new Date() })).toEqual([]);
    // A row the portal cannot place is still a row: the caller reports it instead of losing it.
    expect(await client().listUsageEvents({ usageStartDate: new Date() })).toEqual([
      expect.objectContaining({ usageDate: undefined, reconStatus: null, dimension: "reports" }),
    ]);
  });

  it("says whether a failed change may have reached Microsoft", async () => {
    const mayHave = (promise: Promise<unknown>) =>
      promise.then(
        () => {
          throw new Error("resolved");
        },
        (error: MarketplaceError) => error.mayHaveTakenEffect,
      );
    replies.push(json(500, {}));
    expect(await mayHave(client().changePlan(subscription.id, "basic"))).toBe(true);
    replies.push(json(400, { error: { message: "same plan" } }));
    expect(await mayHave(client().changePlan(subscription.id, "basic"))).toBe(false);
    replies.push((_req, res) => {
      res.socket?.destroy();
    });
    expect(await mayHave(client().changeQuantity(subscription.id, 3))).toBe(true);
    replies.push((_req, res) => {
      setTimeout(() => {
        res.writeHead(202);
        res.end();
      }, 300);
    });
    expect(await mayHave(client({ timeoutMs: 100 }).deleteSubscription(subscription.id))).toBe(true);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(
      await mayHave(client({ baseUrl: `http://127.0.0.1:${closedPort}/api` }).deleteSubscription(subscription.id)),
    ).toBe(false);
  });

  it("an HTML error page (a gateway's 502/503) is a transient error named by its title; its markup is never kept", async () => {
    const page = `<!DOCTYPE html><html><head><title>
      503 Service Unavailable </title><style>${"body{margin:0}".repeat(100)}</style></head>
      <body><h1>Service Unavailable</h1><!-- secret-ish gateway detail --></body></html>`;
    const html = (status: number): Reply => text(status, page, { "content-type": "text/html; charset=utf-8" });
    replies = [html(502), html(503), json(200, subscription)];
    await expect(client().getSubscription(subscription.id)).resolves.toMatchObject({ id: subscription.id });

    replies = [html(503), html(503), html(503), html(503)];
    const error = await client()
      .getSubscription(subscription.id)
      .catch((e: unknown) => e as MarketplaceError);
    expect(error).toMatchObject({ kind: "unavailable", status: 503, mayHaveTakenEffect: true });
    expect(error.message).toBe(
      'getSubscription: the marketplace answered 503 (an HTML page, not JSON: "503 Service Unavailable"); gave up after 4 tries, try again later',
    );
    expect(JSON.stringify({ message: error.message, detail: error.detail, body: error.body })).not.toMatch(
      /<|gateway detail|margin/,
    );

    // Without a content type, markup is still recognised; a 200 with HTML is not read as JSON either.
    replies = [text(500, page, { "content-type": "" })];
    await expect(client({ maxRetries: 0 }).deleteSubscription(subscription.id)).rejects.toThrow(
      'deleteSubscription: the marketplace answered 500 (an HTML page, not JSON: "503 Service Unavailable")',
    );
    replies = [html(200)];
    await expect(client().getSubscription(subscription.id)).rejects.toMatchObject({
      kind: "invalid_response",
      message: 'getSubscription: the marketplace answered 200 with an HTML page, not JSON: "503 Service Unavailable"',
    });
  });

  it("a long text error is cut to 300 characters, and says how long it was", async () => {
    replies = [text(400, `x${"y".repeat(1000)}`)];
    const error = await client()
      .changePlan(subscription.id, "basic")
      .then(
        () => undefined,
        (e: unknown) => e as MarketplaceError,
      );
    expect(error?.detail).toBe(`x${"y".repeat(299)}… (1001 characters)`);
  });
});

describe("errors across bundles", () => {
  it("recognises a MarketplaceError or AppError thrown by another copy of the module (Next bundles each have one)", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const otherMarketplace = await import("./errors");
    const otherApp = await import("../errors");
    expect(otherMarketplace.MarketplaceError).not.toBe(MarketplaceError);
    const foreign = new otherMarketplace.MarketplaceError({
      kind: "not_found",
      operation: "getOperation",
      message: "gone",
    });
    expect(isMarketplaceError(foreign)).toBe(true);
    expect(isMarketplaceError(foreign, "not_found")).toBe(true);
    expect(isMarketplaceError(foreign, "conflict")).toBe(false);
    expect(isMarketplaceError(new Error("plain"))).toBe(false);
    const { isAppError, fromMarketplaceError } = await import("../errors");
    expect(fromMarketplaceError(foreign, "resolve").code).toBe("subscription_unknown");
    expect(isAppError(new otherApp.AppError("token_invalid"), "token_invalid")).toBe(true);
  });
});

describe("helpers", () => {
  it("parses Retry-After seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 10:00:05 GMT", Date.parse("Wed, 25 Nov 2026 10:00:00 GMT"))).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("caps exponential backoff with full jitter", () => {
    expect(backoffDelay(0, 500, 8000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 8000, () => 1)).toBe(4000);
    expect(backoffDelay(10, 500, 8000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 500, 8000, () => 0)).toBe(0);
  });

  it("extracts operation ids from Operation-Location", () => {
    expect(operationIdFromLocation("https://h/api/saas/subscriptions/s/operations/abc-1?api-version=2018-08-31")).toBe(
      "abc-1",
    );
    expect(operationIdFromLocation("https://h/api/saas/subscriptions/s")).toBeUndefined();
    expect(operationIdFromLocation("https://h/api/saas/subscriptions/s/operations/%E0%A4%A")).toBeUndefined();
  });
});
