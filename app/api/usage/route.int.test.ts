/**
 * The usage route over its real handler (Request in, Response out) on a real database: the
 * per-key rate limit refuses a runaway product with 429 + Retry-After and records nothing.
 */
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { POST } from "./route";

process.env.METERING_RATE_LIMIT_PER_MINUTE = "1000"; // read lazily, on the first request below

const sandbox = sandboxControl();
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
let subscriptionId: string;

async function newKey(name: string) {
  return `Bearer ${(await createApiKey({ input: { name, scopes: ["usage:write"], offerIds: [], tenantIds: [] }, actor: paula })).key}`;
}

const records = (count: number) =>
  Array.from({ length: count }, () => ({
    subscriptionId,
    dimension: "reports",
    quantity: 1,
    effectiveAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    idempotencyKey: randomUUID(),
  }));

const post = (authorization: string, body: unknown) =>
  POST(
    new NextRequest("http://localhost/api/usage", {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

beforeAll(async () => {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  const alice = { ...seeded.alice, roles: [] };
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "alice@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  subscriptionId = purchase.subscriptionId;
});
afterAll(async () => {
  await disconnectDatabase();
});

describe("POST /api/usage rate limit", () => {
  it("counts records per key: over the limit the whole request is refused with 429 and Retry-After, and nothing is stored", async () => {
    const key = await newKey("rate limit A");
    const first = await post(key, { records: records(600) });
    expect(first.status).toBe(202);
    expect((await first.json()).accepted).toBe(600);

    const second = await post(key, { records: records(600) });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await second.json()).toMatchObject({
      error: { code: "rate_limited", message: expect.stringContaining("1000 records") },
    });
    expect(await db().usageRecord.count({ where: { subscriptionId } })).toBe(600);

    // Another key has its own allowance; a request without a valid key is still a 401, not a 429.
    expect((await post(await newKey("rate limit B"), records(1)[0])).status).toBe(202);
    expect((await post("Bearer usk_nope", records(1)[0])).status).toBe(401);
  });
});
