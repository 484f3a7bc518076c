/**
 * The entitlements API over its real route handlers (Request in, Response out) on a real database
 * (PostgreSQL and PGlite), with subscriptions bought in the sandbox and resolved/activated by the
 * portal, plus seeded rows for paging. Every answer — 200s and refusals alike — is checked against
 * the OpenAPI document as `/api/v1/openapi.json` serves it.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getOne } from "@/app/api/v1/entitlements/[subscriptionId]/route";
import { GET as getList } from "@/app/api/v1/entitlements/route";
import { GET as getOpenApi } from "@/app/api/v1/openapi.json/route";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import type { CreateApiKeyInput } from "@/lib/api-keys/api-key-input";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { describeOffer, describePlan, planEntitlements } from "@/lib/catalog";
import { db } from "@/lib/db";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { openApiChecker } from "@/tests/support/openapi-check";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import type { ApiError, Entitlement, EntitlementList } from "./entitlement-schemas";
import { entitlementsOpenApi } from "./openapi";

const sandbox = sandboxControl();
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const alice = { ...seeded.alice, roles: [] };
const carl = { ...seeded.carl, roles: [] };
const LIST = "/api/v1/entitlements";
const ONE = "/api/v1/entitlements/{subscriptionId}";
/** A tenant only seeded rows belong to, for paging. */
const pagingTenant = "77777777-7777-4777-8777-777777777777";

let check: ReturnType<typeof openApiChecker>["check"];
const ids = { active: "", pending: "", csp: "", paged: [] as string[] };
const keys = { all: "", usageOnly: "", fabrikamOnly: "", backupOnly: "", revoked: "" };

async function newKey(input: Partial<CreateApiKeyInput>): Promise<string> {
  const created = await createApiKey({
    input: { name: "entitlements test", scopes: ["entitlements:read"], offerIds: [], tenantIds: [], ...input },
    actor: paula,
  });
  return `Bearer ${created.key}`;
}

/** Calls a handler, checks the answer against the served OpenAPI document, returns status, headers and body. */
async function call(path: typeof LIST | typeof ONE, url: string, authorization: string | null, id?: string) {
  const request = new Request(`http://localhost${url}`, {
    headers: authorization === null ? {} : { authorization },
  });
  const response =
    path === ONE
      ? await getOne(request, { params: Promise.resolve({ subscriptionId: id ?? "" }) })
      : await getList(request);
  // Read loosely: one of the three shapes, checked against the document just below.
  const body = (await response.json()) as Entitlement & EntitlementList & ApiError;
  expect(check({ path, method: "get", status: response.status, body }), `${url} → ${response.status}`).toEqual([]);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d$/);
  return { status: response.status, headers: response.headers, body };
}
const one = (id: string, authorization: string | null = keys.all) =>
  call(ONE, `${LIST}/${encodeURIComponent(id)}`, authorization, id);
const list = (query: string, authorization: string | null = keys.all) => call(LIST, `${LIST}?${query}`, authorization);
/**
 * A tenant's whole list, page by page, checked for what holds whatever else is in the database
 * (other test files buy for the same sandbox tenants): each entry is the tenant's, within the key's
 * limits, in id order, once. Returns the ids of this file's subscriptions among them.
 */
async function listIds(
  tenantId: string,
  authorization: string = keys.all,
  limits: { tenant?: string; offer?: string } = {},
): Promise<string[]> {
  const entries: Entitlement[] = [];
  let cursor: string | null = null;
  do {
    const answer: Awaited<ReturnType<typeof list>> = await list(
      `tenantId=${tenantId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`,
      authorization,
    );
    expect(answer.status).toBe(200);
    entries.push(...answer.body.entitlements);
    cursor = answer.body.nextCursor;
  } while (cursor);
  for (const entry of entries) {
    expect([entry.beneficiaryTenantId, entry.purchaserTenantId]).toContain(tenantId.toLowerCase());
    if (limits.tenant) expect(entry.beneficiaryTenantId).toBe(limits.tenant);
    if (limits.offer) expect(entry.offer.id).toBe(limits.offer);
  }
  const all = entries.map((entry) => entry.subscriptionId);
  expect(all).toEqual([...all].sort());
  expect(new Set(all).size).toBe(all.length);
  const mine = new Set([ids.active, ids.pending, ids.csp, ...ids.paged]);
  return all.filter((id) => mine.has(id));
}

beforeAll(async () => {
  const served = getOpenApi();
  expect(served.status).toBe(200);
  const document = (await served.json()) as Record<string, unknown>;
  expect(document).toEqual(JSON.parse(JSON.stringify(entitlementsOpenApi("http://localhost:3999"))));
  check = openApiChecker(document).check;

  // Fabrikam: an active flat-rate subscription and a per-seat one not activated yet.
  const active = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name: "Fabrikam analytics",
  });
  await resolvePurchase({ token: active.token, actor: alice });
  await activateSubscription({
    subscriptionId: active.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "alice@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  ids.active = active.subscriptionId;
  const pending = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: pending.token, actor: alice });
  ids.pending = pending.subscriptionId;
  // A reseller (CSP) buys backup for Northwind: Northwind uses it, the reseller's tenant bought it.
  const csp = await sandbox.purchase({
    offerId: "contoso-backup",
    planId: "standard",
    beneficiary: { tid: seeded.nina.tid, oid: seeded.nina.oid },
    purchaser: { tid: seeded.carl.tid, oid: seeded.carl.oid },
    csp: true,
  });
  await resolvePurchase({ token: csp.token, actor: carl });
  ids.csp = csp.subscriptionId;
  // Seven rows of one tenant for paging, created out of id order.
  ids.paged = Array.from({ length: 7 }, () => randomUUID()).sort();
  for (const id of [...ids.paged].reverse())
    await db().subscription.create({
      data: {
        id,
        offerId: "contoso-crm",
        planId: "team",
        name: `Paged ${id.slice(0, 8)}`,
        status: "Subscribed",
        beneficiaryTenantId: pagingTenant,
        purchaserTenantId: pagingTenant,
        allowedCustomerOperations: ["Read", "Update", "Delete"],
      },
    });

  keys.all = await newKey({ name: "product" });
  keys.usageOnly = await newKey({ name: "usage job", scopes: ["usage:write"] });
  keys.fabrikamOnly = await newKey({ name: "Fabrikam deployment", tenantIds: [seeded.fabrikam] });
  keys.backupOnly = await newKey({ name: "backup product", offerIds: ["contoso-backup"] });
  const revoked = await createApiKey({
    input: { name: "retired", scopes: ["entitlements:read"], offerIds: [], tenantIds: [] },
    actor: paula,
  });
  await revokeApiKey({ apiKeyId: revoked.apiKey.id, actor: paula });
  keys.revoked = `Bearer ${revoked.key}`;
});

describe("GET /api/v1/entitlements/{subscriptionId}", () => {
  it("answers what an active subscription entitles to: status, setup, offer and plan names, features from the catalog, term, flags, tenants, last change", async () => {
    const row = await db().subscription.findUniqueOrThrow({ where: { id: ids.active } });
    const answer = await one(ids.active);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      subscriptionId: ids.active,
      name: "Fabrikam analytics",
      status: "Subscribed",
      setupState: "complete",
      activatedBy: "portal",
      offer: { id: "contoso-analytics", displayName: describeOffer("contoso-analytics").displayName },
      plan: { id: "basic", displayName: describePlan("contoso-analytics", "basic").displayName },
      seats: null,
      ...planEntitlements("contoso-analytics", "basic"),
      term: {
        unit: row.termUnit,
        chargeDuration: row.termChargeDuration,
        startDate: row.termStartDate?.toISOString() ?? null,
        endDate: row.termEndDate?.toISOString() ?? null,
      },
      autoRenew: true,
      isTest: false,
      isFreeTrial: false,
      beneficiaryTenantId: seeded.fabrikam,
      purchaserTenantId: seeded.fabrikam,
      updatedAt: row.updatedAt.toISOString(),
    });
    // The catalog knows this offer and plan: real names and features, not ids and empty objects.
    expect(answer.body.offer.displayName).not.toBe("contoso-analytics");
    expect(Object.keys(answer.body.features).length).toBeGreaterThan(0);
    expect(answer.body.term.unit).toBe("P1M");
    expect(answer.body.term.startDate).not.toBeNull();
    // No personal data: no emails or account configuration.
    expect(JSON.stringify(answer.body)).not.toMatch(/@|Alice|companyName/);
  });

  it("answers a per-seat subscription not activated yet: seats, pending status and setup, no activator", async () => {
    const answer = await one(ids.pending.toUpperCase());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      subscriptionId: ids.pending,
      status: "PendingFulfillmentStart",
      setupState: "pending",
      activatedBy: null,
      seats: 5,
      plan: { id: "pro-seats", displayName: describePlan("contoso-analytics", "pro-seats").displayName },
    });
  });

  it("answers an offer the catalog does not list with ids and empty features", async () => {
    const answer = await one(ids.paged[0] ?? "");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      offer: { id: "contoso-crm", displayName: "contoso-crm" },
      plan: { id: "team", displayName: "team" },
      features: {},
      includedQuantities: {},
      term: { unit: null, chargeDuration: null, startDate: null, endDate: null },
    });
  });

  it("404 for an unknown subscription, 400 naming the parameter for a malformed id", async () => {
    const unknown = await one(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: "not_found", message: expect.stringContaining("No subscription") } });
    for (const bad of ["not-a-guid", `${ids.active}x`, "' OR 1=1 --", ""]) {
      const answer = await one(bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.body).toEqual({
        error: { code: "invalid_request", field: "subscriptionId", message: expect.stringContaining("GUID") },
      });
    }
  });
});

describe("GET /api/v1/entitlements?tenantId=", () => {
  it("lists a tenant's subscriptions as beneficiary or purchaser, in id order", async () => {
    expect(await listIds(seeded.fabrikam)).toEqual([ids.active, ids.pending].sort());
    // The CSP purchase: listed for the customer who uses it and for the reseller who bought it.
    expect(await listIds(seeded.northwind)).toEqual([ids.csp]);
    expect(await listIds(seeded.cspTenant.toUpperCase())).toEqual([ids.csp]);
    const csp = await list(`tenantId=${seeded.cspTenant}&limit=200`);
    expect(csp.body.entitlements.find((entry) => entry.subscriptionId === ids.csp)).toMatchObject({
      beneficiaryTenantId: seeded.northwind,
      purchaserTenantId: seeded.cspTenant,
      offer: { id: "contoso-backup" },
      ...planEntitlements("contoso-backup", "standard"),
    });
    expect(await list(`tenantId=${randomUUID()}`)).toMatchObject({
      status: 200,
      body: { entitlements: [], nextCursor: null },
    });
  });

  it("pages with a cursor until nextCursor is null, each subscription once", async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const answer: Awaited<ReturnType<typeof list>> = await list(
        `tenantId=${pagingTenant}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(answer.status).toBe(200);
      sizes.push(answer.body.entitlements.length);
      seen.push(...answer.body.entitlements.map((entry) => entry.subscriptionId));
      cursor = answer.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(ids.paged);
    // Exactly one page: no cursor to follow.
    expect((await list(`tenantId=${pagingTenant}&limit=7`)).body.nextCursor).toBeNull();
    expect((await list(`tenantId=${pagingTenant}`)).body.entitlements).toHaveLength(7);
  });

  it("400 naming the parameter: tenantId missing or not a GUID, limit out of range, a cursor it did not give out", async () => {
    const cases: Array<[string, string]> = [
      ["", "tenantId"],
      ["tenantid=" + seeded.fabrikam, "tenantId"],
      ["tenantId=fabrikam.example", "tenantId"],
      ["tenantId=", "tenantId"],
      [`tenantId=${seeded.fabrikam}&limit=0`, "limit"],
      [`tenantId=${seeded.fabrikam}&limit=201`, "limit"],
      [`tenantId=${seeded.fabrikam}&limit=ten`, "limit"],
      [`tenantId=${seeded.fabrikam}&limit=1.5`, "limit"],
      [`tenantId=${seeded.fabrikam}&cursor=%25%25`, "cursor"],
      [`tenantId=${seeded.fabrikam}&cursor=${Buffer.from("' OR 1=1").toString("base64url")}`, "cursor"],
    ];
    for (const [query, field] of cases) {
      const answer = await list(query);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toEqual({ error: { code: "invalid_request", field, message: expect.any(String) } });
      expect(answer.body.error.message.startsWith(field), query).toBe(true);
    }
  });
});

describe("keys", () => {
  it("401 without a valid key — missing, malformed, unknown, revoked — with no data, before the input is looked at", async () => {
    const unknown = `Bearer usk_${"0".repeat(12)}_${"A".repeat(43)}`;
    for (const authorization of [null, "Basic dXNlcjpwYXNz", "Bearer usk_short", unknown, keys.revoked]) {
      for (const answer of [
        await one(ids.active, authorization),
        await one("not-a-guid", authorization),
        await list(`tenantId=${seeded.fabrikam}`, authorization),
      ]) {
        expect(answer.status, String(authorization)).toBe(401);
        expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="entitlements"');
        expect(Object.keys(answer.body)).toEqual(["error"]);
        expect(answer.body.error.code).toBe("unauthenticated");
      }
    }
    expect((await one(ids.active, keys.revoked)).body.error.message).toContain("revoked");
  });

  it("403 for a key without entitlements:read (a usage key), with no data", async () => {
    for (const answer of [
      await one(ids.active, keys.usageOnly),
      await list(`tenantId=${seeded.fabrikam}`, keys.usageOnly),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        error: { code: "forbidden", message: expect.stringContaining("lacks the entitlements:read scope") },
      });
    }
  });

  it("a key limited to one customer tenant never sees another's subscriptions: 404 as for an unknown id, filtered lists", async () => {
    const key = keys.fabrikamOnly;
    const LIMITS = { tenant: seeded.fabrikam };
    expect((await one(ids.active, key)).status).toBe(200);
    const other = await one(ids.csp, key);
    const unknown = await one(randomUUID(), key);
    expect(other.status).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect(await listIds(seeded.fabrikam, key, LIMITS)).toEqual([ids.active, ids.pending].sort());
    expect(await listIds(seeded.northwind, key, LIMITS)).toEqual([]);
    // The reseller's list holds Northwind's subscription: filtered out for a Fabrikam key.
    expect(await listIds(seeded.cspTenant, key, LIMITS)).toEqual([]);
    expect(await listIds(pagingTenant, key, LIMITS)).toEqual([]);
  });

  it("a key limited to one offer sees only that offer's subscriptions", async () => {
    const key = keys.backupOnly;
    const LIMITS = { offer: "contoso-backup" };
    expect((await one(ids.csp, key)).status).toBe(200);
    expect((await one(ids.active, key)).status).toBe(404);
    expect((await one(ids.paged[0] ?? "", key)).status).toBe(404);
    expect(await listIds(seeded.fabrikam, key, LIMITS)).toEqual([]);
    expect(await listIds(seeded.northwind, key, LIMITS)).toEqual([ids.csp]);
    expect(await listIds(seeded.cspTenant, key, LIMITS)).toEqual([ids.csp]);
  });

  it("records when a key was last used", async () => {
    const created = await createApiKey({
      input: { name: "last used", scopes: ["entitlements:read"], offerIds: [], tenantIds: [] },
      actor: paula,
    });
    expect((await one(ids.active, `Bearer ${created.key}`)).status).toBe(200);
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });
});
