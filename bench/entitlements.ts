/**
 * The entitlements API at scale (called from bench/run.ts): seeds 100k subscriptions across 20k
 * customer tenants — a tenth of them bought by one of 20 resellers (CSP, 500 each), another tenth by
 * one large reseller (10,000) — then measures, one request at a time and interleaved so that each
 * sees the same conditions on this shared machine:
 *
 *   baseline        GET /api/health?scope=database: Next.js route + one SELECT 1, no key
 *   by id           GET /api/v1/entitlements/{id}, a random subscription
 *   by id, limited  the same with a key limited to 100 tenants and 2 offers (the visibility check)
 *   tenant list     GET /api/v1/entitlements?tenantId=, a random customer (about 5 subscriptions)
 *   reseller list   a reseller's first page (50 of 500); the large reseller's page 150 of 200 (cursor)
 *
 * Each row is the time until the whole answer arrived (loopback, keep-alive); the handler's own time
 * (its Server-Timing header) is printed beside it. Then the query plans (EXPLAIN ANALYZE) of the
 * reads, to show they use indexes.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { seeded } from "../tests/support/sandbox-env";
import { percentile, type BenchRow } from "./stats";

const SUBSCRIPTIONS = Number(process.env.BENCH_ENTITLEMENTS_SUBSCRIPTIONS ?? 100_000);
const TENANTS = SUBSCRIPTIONS / 5;
const RESELLERS = 20;

// Deterministic GUID-shaped text from a SQL expression (as bench/admin.ts), so requests can aim at known rows.
const guid = (expr: string) =>
  `(substr(md5(${expr}),1,8)||'-'||substr(md5(${expr}),9,4)||'-4'||substr(md5(${expr}),14,3)||'-8'||substr(md5(${expr}),18,3)||'-'||substr(md5(${expr}),21,12))`;
const guidOf = (text: string) => {
  const md5 = createHash("md5").update(text).digest("hex");
  return `${md5.slice(0, 8)}-${md5.slice(8, 12)}-4${md5.slice(13, 16)}-8${md5.slice(17, 20)}-${md5.slice(20, 32)}`;
};

async function seed(client: pg.Client) {
  const started = performance.now();
  await client.query(
    `
    INSERT INTO "Subscription" (id, "offerId", "planId", quantity, name, status, "setupState", "activatedBy",
      "beneficiaryTenantId", "beneficiaryObjectId", "purchaserTenantId", "purchaserObjectId",
      "isTest", "isFreeTrial", "allowedCustomerOperations", "termUnit", "termStartDate", "termEndDate", "createdAt", "updatedAt")
    SELECT ${guid("'ent-sub'||i")}, (ARRAY['contoso-analytics','contoso-backup','contoso-crm'])[1 + i % 3],
      CASE i % 3 WHEN 0 THEN (ARRAY['basic','pro-seats','enterprise-seats'])[1 + (i / 3) % 3]
        WHEN 1 THEN (ARRAY['standard','premium'])[1 + (i / 3) % 2] ELSE 'team' END,
      CASE WHEN i % 2 = 0 THEN 1 + i % 200 END,
      'Entitlements ' || i,
      (ARRAY['Subscribed','Subscribed','Subscribed','Subscribed','Subscribed','Subscribed','PendingFulfillmentStart','Suspended','Unsubscribed','Subscribed'])[1 + (i * 7) % 10]::"SubscriptionStatus",
      (CASE WHEN i % 4 = 0 THEN 'pending' ELSE 'complete' END)::"SetupState",
      (CASE WHEN (i * 7) % 10 = 6 THEN NULL WHEN i % 5 = 0 THEN 'marketplace' ELSE 'portal' END)::"ActivatedBy",
      ${guid(`'ent-tenant'||(i % ${TENANTS})`)}, ${guid("'ent-user'||i")},
      CASE WHEN i % 10 = 0 THEN ${guid(`'ent-reseller'||(i / 10 % ${RESELLERS})`)} WHEN i % 10 = 5 THEN ${guid("'ent-large-reseller'")}
        ELSE ${guid(`'ent-tenant'||(i % ${TENANTS})`)} END,
      ${guid("'ent-buyer'||i")},
      i % 50 = 0, i % 13 = 0, ARRAY['Read','Update','Delete'], 'P1M',
      date_trunc('month', now()), date_trunc('month', now()) + interval '1 month', now() - make_interval(secs => i), now()
    FROM generate_series(1, $1::int) AS i`,
    [SUBSCRIPTIONS],
  );
  await client.query(`ANALYZE "Subscription"`);
  return performance.now() - started;
}

async function createKey(client: pg.Client, restrictions: { offerIds: string[]; tenantIds: string[] }) {
  const key = `usk_${randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`;
  await client.query(
    `INSERT INTO "ApiKey" (id, name, prefix, "secretHash", scopes, "offerIds", "tenantIds", "createdByTid", "createdByOid")
     VALUES ($1, 'entitlements bench', $2, $3, ARRAY['entitlements:read'], $4, $5, $6, $7)`,
    [
      randomUUID(),
      key.slice(0, 16),
      createHash("sha256").update(key).digest("hex"),
      restrictions.offerIds,
      restrictions.tenantIds,
      seeded.publisherTenant,
      "a1000000-0000-4000-8000-000000000001",
    ],
  );
  return `Bearer ${key}`;
}

export async function benchEntitlements(options: {
  portalUrl: string;
  databaseUrl: string;
  iterations: number;
}): Promise<BenchRow[]> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const seedMs = await seed(client);
    console.log(
      `entitlements bench: seeded ${SUBSCRIPTIONS.toLocaleString("en")} subscriptions of ${TENANTS.toLocaleString("en")} tenants in ${(seedMs / 1000).toFixed(1)} s`,
    );
    const all = await createKey(client, { offerIds: [], tenantIds: [] });
    // A key limited to 100 customers (the most the console allows) and two offers: the visibility check on every answer.
    const limitedTenants = Array.from({ length: 100 }, (_, t) => guidOf(`ent-tenant${t}`));
    const limited = await createKey(client, {
      offerIds: ["contoso-analytics", "contoso-backup"],
      tenantIds: limitedTenants,
    });
    const subscriptionId = (i: number) => guidOf(`ent-sub${i}`);
    const random = (n: number) => Math.floor(Math.random() * n);
    // Deep inside the large reseller's list: cursors of pages 100 to 199 of its 200.
    const largeReseller = guidOf("ent-large-reseller");
    const { rows: deep } = await client.query<{ id: string }>(
      `SELECT id FROM "Subscription" WHERE "purchaserTenantId" = $1 ORDER BY id`,
      [largeReseller],
    );
    if (deep.length !== SUBSCRIPTIONS / 10) throw new Error(`the large reseller has ${deep.length} subscriptions`);
    const deepCursor = () => Buffer.from(deep[(100 + random(99)) * 50 - 1]?.id ?? "").toString("base64url");

    const cases: Array<{ name: string; url: () => string; authorization?: string; check: (body: string) => boolean }> =
      [
        {
          name: "baseline: GET /api/health?scope=database (Next.js + SELECT 1, no key)",
          url: () => "/api/health?scope=database",
          check: (body) => body.includes('"ok"'),
        },
        {
          name: "GET /api/v1/entitlements/{id}",
          url: () => `/api/v1/entitlements/${subscriptionId(1 + random(SUBSCRIPTIONS))}`,
          authorization: all,
          check: (body) => body.includes('"subscriptionId"'),
        },
        {
          name: "GET /api/v1/entitlements/{id}, key limited to 100 tenants + 2 offers",
          // Tenants 0–99 own subscriptions i ≡ t (mod TENANTS); i % 3 ≠ 2 picks the two offers.
          url: () => {
            let i: number;
            do i = random(100) + TENANTS * random(5);
            while (i === 0 || i % 3 === 2);
            return `/api/v1/entitlements/${subscriptionId(i)}`;
          },
          authorization: limited,
          check: (body) => body.includes('"subscriptionId"'),
        },
        {
          name: "GET /api/v1/entitlements?tenantId= (a customer, ~5 subscriptions)",
          url: () => `/api/v1/entitlements?tenantId=${guidOf(`ent-tenant${random(TENANTS)}`)}`,
          authorization: all,
          check: (body) => body.includes('"nextCursor":null') && body.includes('"subscriptionId"'),
        },
        {
          name: `GET /api/v1/entitlements?tenantId= (a reseller: first 50 of ${SUBSCRIPTIONS / 10 / RESELLERS})`,
          url: () => `/api/v1/entitlements?tenantId=${guidOf(`ent-reseller${random(RESELLERS)}`)}`,
          authorization: all,
          check: (body) => (body.match(/"subscriptionId"/g)?.length ?? 0) === 50,
        },
        {
          name: `GET /api/v1/entitlements?tenantId=&cursor= (the large reseller: a page past 100 of ${SUBSCRIPTIONS / 10 / 50})`,
          url: () => `/api/v1/entitlements?tenantId=${largeReseller}&cursor=${deepCursor()}`,
          authorization: all,
          check: (body) => (body.match(/"subscriptionId"/g)?.length ?? 0) === 50,
        },
      ];

    const samples = cases.map(() => [] as number[]);
    const handler = cases.map(() => [] as number[]);
    const rounds = Math.max(300, options.iterations * 10);
    for (let round = 0; round < rounds + 20; round += 1) {
      for (const [index, entry] of cases.entries()) {
        const url = entry.url();
        const started = performance.now();
        const response = await fetch(`${options.portalUrl}${url}`, {
          headers: entry.authorization ? { authorization: entry.authorization } : {},
        });
        const body = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200 || !entry.check(body))
          throw new Error(`entitlements bench: ${url} answered ${response.status}: ${body.slice(0, 300)}`);
        if (round < 20) continue; // the first rounds warm up the server
        samples[index]?.push(elapsed);
        const timing = /app;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1];
        if (timing) handler[index]?.push(Number(timing));
      }
    }

    // The plans of the two reads, as Prisma sends them (the list with its OR over both tenant columns).
    const plan = async (label: string, sql: string, values: unknown[]) => {
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, values);
      console.log(`entitlements bench, plan of ${label}:\n  ${rows.map((row) => row["QUERY PLAN"]).join("\n  ")}`);
    };
    await plan("by id", `SELECT * FROM "Subscription" WHERE id = $1 LIMIT 1`, [subscriptionId(4242)]);
    const cursorId = deep[150 * 50 - 1]?.id;
    for (const role of ["beneficiaryTenantId", "purchaserTenantId"])
      await plan(
        `the large reseller's page 151, as ${role}`,
        `SELECT * FROM "Subscription" WHERE "${role}" = $1 AND id > $2 ORDER BY id LIMIT 51`,
        [largeReseller, cursorId],
      );

    console.log("entitlements bench, the handlers' own time (Server-Timing app;dur), p50 / p95:");
    for (const [index, entry] of cases.entries())
      if (handler[index]?.length)
        console.log(
          `  ${entry.name}: ${percentile(handler[index], 50).toFixed(1)} / ${percentile(handler[index], 95).toFixed(1)} ms`,
        );
    return cases.map((entry, index) => ({ name: `entitlements: ${entry.name}`, samples: samples[index] ?? [] }));
  } finally {
    await client.end();
  }
}
