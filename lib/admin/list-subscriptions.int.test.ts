/**
 * Search, filters, sorting, paging and CSV export of the admin list on a real database, with
 * hostile input. Rows are seeded under an offer id unique to this run, so other test files'
 * subscriptions in the same database never interfere.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { seeded } from "@/tests/support/sandbox-env";
import { exportSubscriptionsCsv } from "./export-subscriptions-csv";
import { listOfferPlans, listSubscriptions } from "./list-subscriptions";
import {
  MAX_PAGE,
  PAGE_SIZE,
  parseSubscriptionQuery as parseOrRefuse,
  type SubscriptionQuery,
} from "./subscription-query";

// The export route's guard reads the session: an admin by the Publisher.Admin role (paula).
vi.mock("@/auth", () => ({
  auth: async () => ({
    user: { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001", roles: ["Publisher.Admin"] },
  }),
}));

const parseSubscriptionQuery = (params: Record<string, string>): SubscriptionQuery => {
  const parsed = parseOrRefuse(params);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
  return parsed.query;
};

const offer = `admintest-${Date.now().toString(36)}`;
const statuses = ["Subscribed", "PendingFulfillmentStart", "Suspended", "Unsubscribed"] as const;
const tenantA = randomUUID();
const COUNT = 130;
const rows = Array.from({ length: COUNT }, (_, i) => ({
  id: randomUUID(),
  offerId: i % 10 === 0 ? `${offer}-other` : offer,
  planId: i % 2 === 0 ? "basic" : "pro-seats",
  quantity: i % 2 === 0 ? null : i,
  name:
    i === 7
      ? "Weird 100%_done \\ 'quoted'; DROP TABLE \"Subscription\";--"
      : i === 8
        ? '=HYPERLINK("http://evil")'
        : `Tenant ${String(i).padStart(3, "0")} workspace`,
  status: statuses[i % 4]!,
  beneficiaryTenantId: i < 3 ? tenantA : randomUUID(),
  beneficiaryEmail: `user${i}@${i % 3 === 0 ? "fabrikam" : "northwind"}.example`,
  purchaserEmail: i === 11 ? "Buyer.Special@Contoso.example" : null,
  isTest: i % 5 === 0,
  isFreeTrial: i % 7 === 0,
  allowedCustomerOperations: ["Read", "Update", "Delete"],
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
}));
const mine = (query: Record<string, string>) => listSubscriptions(parseSubscriptionQuery({ offer, ...query }));
const all = (query: Record<string, string>) => listSubscriptions(parseSubscriptionQuery(query));
const expected = (predicate: (row: (typeof rows)[number]) => boolean) =>
  rows.filter((row) => row.offerId === offer && predicate(row));

beforeAll(async () => {
  await db().subscription.createMany({ data: rows });
});
afterAll(async () => {
  await db().subscription.deleteMany({ where: { offerId: { startsWith: offer } } });
  await disconnectDatabase();
});

describe("search", () => {
  it("finds a subscription by its whole id, in any case", async () => {
    const target = rows[42]!;
    const result = await all({ q: target.id.toUpperCase() });
    expect(result.rows.map((row) => row.id)).toEqual([target.id]);
  });
  it("finds by part of the name, case-insensitively", async () => {
    const result = await mine({ q: "TENANT 04" });
    expect(result.rows.map((row) => row.name).sort()).toEqual(
      expected((row) => row.name.startsWith("Tenant 04"))
        .map((row) => row.name)
        .sort(),
    );
  });
  it("finds by customer tenant id (beneficiary)", async () => {
    const result = await all({ q: tenantA });
    expect(result.total).toBe(3);
  });
  it("finds by purchaser or beneficiary email, case-insensitively", async () => {
    expect((await all({ q: "buyer.special@contoso" })).rows.map((row) => row.id)).toEqual([rows[11]!.id]);
    expect((await mine({ q: "user12@fabrikam" })).rows.map((row) => row.id)).toEqual([rows[12]!.id]);
  });
  it("finds by offer and by plan text", async () => {
    expect((await all({ q: `${offer}-other` })).total).toBe(
      rows.filter((row) => row.offerId === `${offer}-other`).length,
    );
    expect((await mine({ q: "pro-seats" })).total).toBe(expected((row) => row.planId === "pro-seats").length);
  });
  it("finds a changed name or email by its new value at once, and no longer by the old one", async () => {
    // The search column is the database's (trigger subscription_search_text): every write path keeps it.
    const target = rows[21]!;
    await db().subscription.update({
      where: { id: target.id },
      data: { name: "Renamed Ärztekammer workspace", beneficiaryEmail: "ops@renamed.example" },
    });
    // Case folding beyond ASCII follows the database's locale.
    expect((await mine({ q: "Ärztekammer" })).rows.map((row) => row.id)).toEqual([target.id]);
    expect((await mine({ q: "OPS@RENAMED" })).rows.map((row) => row.id)).toEqual([target.id]);
    expect((await mine({ q: "ärztekammer" })).total).toBe(1);
    expect((await mine({ q: "Tenant 021" })).total).toBe(0);
    // A value written by anyone else is replaced by what the row's own columns say.
    await db().$executeRaw`UPDATE "Subscription" SET "searchText" = 'forged' WHERE id = ${target.id}`;
    expect((await mine({ q: "forged" })).total).toBe(0);
    expect((await mine({ q: "Ärztekammer" })).total).toBe(1);
    await db().subscription.update({
      where: { id: target.id },
      data: { name: target.name, beneficiaryEmail: target.beneficiaryEmail },
    });
  });
  it("treats LIKE wildcards, quotes and SQL as plain text", async () => {
    expect((await mine({ q: "100%_done" })).rows.map((row) => row.id)).toEqual([rows[7]!.id]);
    expect((await mine({ q: "%" })).rows.map((row) => row.id)).toEqual([rows[7]!.id]);
    expect((await mine({ q: "_" })).rows.map((row) => row.id)).toEqual([rows[7]!.id]);
    expect((await mine({ q: "\\" })).rows.map((row) => row.id)).toEqual([rows[7]!.id]);
    expect((await mine({ q: '\'; DROP TABLE "Subscription";--' })).total).toBe(1);
    expect((await mine({ q: "' OR '1'='1" })).total).toBe(0);
    expect(await db().subscription.count({ where: { offerId: offer } })).toBe(expected(() => true).length); // still there
  });
  it("refuses a NUL or broken Unicode before the database, which would fail on it", async () => {
    await expect(listSubscriptions({ ...parseSubscriptionQuery({ offer }), q: "a\u0000b" })).rejects.toThrow(); // why the schema refuses it
    expect(parseOrRefuse({ q: "a\u0000b" })).toMatchObject({ ok: false, reason: expect.stringMatching(/NUL/) });
    expect(parseOrRefuse({ offer: `${offer}\u0000` })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Offer/),
    });
    expect(parseOrRefuse({ plan: "\uDC00" })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Plan.*Unicode/),
    });
  });
});

describe("filters", () => {
  it("status, plan, test and free trial combine", async () => {
    const result = await mine({ status: "Subscribed", plan: "basic", test: "no", trial: "no" });
    const want = expected(
      (row) => row.status === "Subscribed" && row.planId === "basic" && !row.isTest && !row.isFreeTrial,
    );
    expect(result.total).toBe(want.length);
    expect(
      result.rows.every(
        (row) => row.status === "Subscribed" && row.planId === "basic" && !row.isTest && !row.isFreeTrial,
      ),
    ).toBe(true);
    expect((await mine({ test: "yes" })).total).toBe(expected((row) => row.isTest).length);
    expect((await mine({ trial: "yes" })).total).toBe(expected((row) => row.isFreeTrial).length);
  });
  it("an unknown status is ignored rather than an error", async () => {
    expect((await mine({ status: "'; DELETE" })).total).toBe(expected(() => true).length);
  });
  it("the filter menus list each offer and plan present once, in order", async () => {
    const pairs = (await listOfferPlans()).filter((pair) => pair.offerId.startsWith(offer));
    expect(pairs).toEqual([
      { offerId: offer, planId: "basic" },
      { offerId: offer, planId: "pro-seats" },
      { offerId: `${offer}-other`, planId: "basic" },
    ]);
  });
});

describe("more matches than can be paged", () => {
  const many = `${offer}-many`;
  afterAll(async () => {
    await db().subscription.deleteMany({ where: { offerId: many } });
  });
  it("counts up to 10,001 and says there are more than 10,000; the last page is 200", async () => {
    await db().subscription.createMany({
      data: Array.from({ length: MAX_PAGE * PAGE_SIZE + 40 }, (_, i) => ({
        id: randomUUID(),
        offerId: many,
        planId: "basic",
        name: `Many ${i}`,
        status: "Subscribed" as const,
        allowedCustomerOperations: ["Read"],
      })),
    });
    const result = await all({ offer: many, page: "9999" });
    expect(result).toMatchObject({
      total: MAX_PAGE * PAGE_SIZE + 1,
      truncated: true,
      page: MAX_PAGE,
      lastPage: MAX_PAGE,
    });
    expect(result.rows).toHaveLength(PAGE_SIZE);
    // Below the cap the count is exact.
    expect(await all({ offer: many, q: "many 12" })).toMatchObject({ total: 111, truncated: false });
  }, 60_000);
});

describe("sorting and paging", () => {
  it("walks every row exactly once across pages, in order", async () => {
    const first = await mine({ sort: "name", dir: "asc" });
    expect(first.total).toBe(expected(() => true).length);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    const seen: string[] = [];
    for (let page = 1; page <= first.lastPage; page += 1)
      seen.push(...(await mine({ sort: "name", dir: "asc", page: String(page) })).rows.map((row) => row.id));
    const want = expected(() => true)
      .sort((a, b) => (a.name === b.name ? a.id.localeCompare(b.id) : a.name < b.name ? -1 : 1))
      .map((row) => row.id);
    expect(seen).toEqual(want);
  });
  it("sorts by creation date, newest first by default", async () => {
    const result = await mine({});
    const dates = result.rows.map((row) => row.createdAt.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });
  it("a huge or junk page number shows the last page instead of failing", async () => {
    const last = await mine({ page: "99999999" });
    expect(last.page).toBe(last.lastPage);
    expect(last.rows.length).toBeGreaterThan(0);
    expect(last.page).toBeLessThanOrEqual(MAX_PAGE);
    expect((await mine({ page: "-3" })).page).toBe(1);
    expect((await mine({ page: "abc" })).page).toBe(1);
  });
});

describe("CSV export", () => {
  it("streams every matching row with formula cells neutralised", async () => {
    const text = await new Response(await exportSubscriptionsCsv(parseSubscriptionQuery({ offer }))).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,name,status,offerId,planId/);
    expect(lines).toHaveLength(expected(() => true).length + 1);
    expect(text).toContain(`${rows[8]!.id},"'=HYPERLINK(""http://evil"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });
  it("honours the filters", async () => {
    const text = await new Response(
      await exportSubscriptionsCsv(parseSubscriptionQuery({ offer, status: "Suspended" })),
    ).text();
    expect(text.trimEnd().split("\r\n")).toHaveLength(expected((row) => row.status === "Suspended").length + 1);
  });
  it("answers 400 with the reason for text the database cannot take, before streaming anything", async () => {
    const { GET } = await import("@/app/api/admin/subscriptions/export/route");
    for (const search of ["q=a%00b", `offer=${offer}%00`, "plan=%00"]) {
      const response = await GET(new Request(`http://localhost/api/admin/subscriptions/export?${search}`));
      expect(response.status, search).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toMatch(/contains a control character \(such as NUL\)/);
    }
    const ok = await GET(
      new Request(`http://localhost/api/admin/subscriptions/export?offer=${offer}&status=Suspended`),
    );
    expect(ok.status).toBe(200);
    expect((await ok.text()).trimEnd().split("\r\n")).toHaveLength(
      expected((row) => row.status === "Suspended").length + 1,
    );
  });
});
