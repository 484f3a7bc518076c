/**
 * Admin console at scale: seeds 100k subscriptions with a realistic mix of history (audit rows for
 * every one, operations for a fifth, webhook deliveries for a tenth) in a few set-based INSERT …
 * SELECT generate_series statements, then measures the server time of the subscriptions list
 * (searches and filters, p50/p95) and of the streamed CSV export. Called from bench/run.ts.
 */
import pg from "pg";
import type { Browser } from "@playwright/test";
import type { BenchRow } from "./stats";

const SUBSCRIPTIONS = Number(process.env.BENCH_ADMIN_SUBSCRIPTIONS ?? 100_000);

// Deterministic GUID-shaped text from a number, so searches below can aim at known rows.
const guid = (expr: string) =>
  `(substr(md5(${expr}),1,8)||'-'||substr(md5(${expr}),9,4)||'-4'||substr(md5(${expr}),14,3)||'-8'||substr(md5(${expr}),18,3)||'-'||substr(md5(${expr}),21,12))`;

async function seed(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    await client.query(
      `
      INSERT INTO "Subscription" (id, "offerId", "planId", quantity, name, status, "beneficiaryTenantId", "beneficiaryObjectId", "beneficiaryEmail",
        "purchaserTenantId", "purchaserObjectId", "purchaserEmail", "isTest", "isFreeTrial", "allowedCustomerOperations", "termUnit", "createdAt", "updatedAt")
      SELECT ${guid("'sub'||i")}, (ARRAY['contoso-analytics','contoso-backup','contoso-crm'])[1 + i % 3],
        (ARRAY['basic','pro-seats','enterprise-seats','standard'])[1 + (i / 3) % 4], CASE WHEN i % 2 = 0 THEN 1 + i % 200 END,
        'Workspace ' || i || ' of ' || (ARRAY['Fabrikam','Northwind','Adatum','Tailspin','Wingtip','Litware'])[1 + i % 6],
        (ARRAY['Subscribed','Subscribed','Subscribed','Subscribed','Subscribed','Subscribed','PendingFulfillmentStart','Suspended','Unsubscribed','Unsubscribed'])[1 + (i * 7) % 10]::"SubscriptionStatus",
        ${guid("'tenant'||(i % 20000)")}, ${guid("'user'||i")}, 'user' || i || '@' || (ARRAY['fabrikam','northwind','adatum','tailspin','wingtip','litware'])[1 + i % 6] || '.example',
        ${guid("'tenant'||(i % 20000)")}, ${guid("'buyer'||i")}, 'buyer' || i || '@' || (ARRAY['fabrikam','northwind','adatum-csp'])[1 + i % 3] || '.example',
        i % 50 = 0, i % 13 = 0, ARRAY['Read','Update','Delete'], 'P1M',
        now() - make_interval(secs => (i * 313) % (365 * 86400)), now()
      FROM generate_series(1, $1) AS i`,
      [SUBSCRIPTIONS],
    );
    await client.query(`
      INSERT INTO "AuditEvent" ("subscriptionId", "actorType", action, "toStatus", "createdAt")
      SELECT id, 'user', 'subscription_recorded', 'PendingFulfillmentStart'::"SubscriptionStatus", "createdAt" FROM "Subscription" WHERE name LIKE 'Workspace %'
      UNION ALL
      SELECT id, 'user', 'activated', 'Subscribed'::"SubscriptionStatus", "createdAt" + interval '2 minutes' FROM "Subscription" WHERE name LIKE 'Workspace %' AND status <> 'PendingFulfillmentStart'`);
    await client.query(`
      INSERT INTO "Operation" (id, "subscriptionId", action, status, source, "requestedPlanId", "createdAt", "updatedAt", "completedAt")
      SELECT 'bench-op-' || id, id, 'ChangePlan', 'Succeeded', 'Customer', "planId", "createdAt" + interval '1 day', now(), "createdAt" + interval '1 day'
      FROM "Subscription" WHERE name LIKE 'Workspace %' AND hashtext(id) % 5 = 0`);
    await client.query(`
      INSERT INTO "WebhookEvent" (id, "operationId", action, "subscriptionId", "payloadHash", status, payload, "receivedAt", "processedAt")
      SELECT gen_random_uuid()::text, 'bench-wh-' || id, 'Suspend', id, md5(id), 'applied', '{}'::jsonb, "createdAt" + interval '2 days', "createdAt" + interval '2 days'
      FROM "Subscription" WHERE name LIKE 'Workspace %' AND hashtext(id) % 10 = 0`);
    await client.query(`ANALYZE`);
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

export async function benchAdmin(options: {
  browser: Browser;
  portalUrl: string;
  databaseUrl: string;
  iterations: number;
}): Promise<BenchRow[]> {
  const seedMs = await seed(options.databaseUrl);
  console.log(
    `admin bench: seeded ${SUBSCRIPTIONS.toLocaleString("en")} subscriptions with history in ${(seedMs / 1000).toFixed(1)} s`,
  );

  const context = await options.browser.newContext({ ignoreHTTPSErrors: true, baseURL: options.portalUrl });
  const page = await context.newPage();
  await page.goto("/signin?callbackUrl=/admin");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page.getByLabel("Email").fill("paula@contoso-software.example");
  await page.getByLabel("Password").fill("sandbox");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Marketplace dashboard" }).waitFor();
  const cookie = (await context.cookies(options.portalUrl)).map((entry) => `${entry.name}=${entry.value}`).join("; ");
  await context.close();

  const timed = async (path: string, check: (body: string) => boolean) => {
    const started = performance.now();
    const response = await fetch(`${options.portalUrl}${path}`, { headers: { cookie } });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !check(body)) throw new Error(`admin bench: ${path} answered ${response.status}`);
    return { elapsed, body };
  };

  const queries = [
    "", // first page, newest first
    "?q=northwind", // substring over names and emails
    "?q=user4242%40fabrikam", // one email
    `?q=${"c4ca4238"}`, // part of an id
    "?status=Subscribed&offer=contoso-crm&plan=pro-seats&test=no",
    "?q=tailspin&status=Suspended&sort=name&dir=asc",
    "?trial=yes&sort=plan&page=120",
  ];
  const list: number[] = [];
  const perQuery = new Map<string, number[]>();
  for (let i = 0; i < options.iterations + queries.length; i += 1) {
    const query = queries[i % queries.length] ?? "";
    const { elapsed } = await timed(`/admin/subscriptions${query}`, (body) => body.includes(" found.")); // React splits "N subscriptions found." into text nodes
    if (i < queries.length) continue; // one warm-up round
    list.push(elapsed);
    perQuery.set(query, [...(perQuery.get(query) ?? []), elapsed]);
  }
  if (process.env.BENCH_VERBOSE)
    for (const [query, samples] of perQuery)
      console.log(`admin list ${query || "(first page)"}: ${samples.map((ms) => ms.toFixed(0)).join(", ")} ms`);

  const exportAll: number[] = [];
  const exportFiltered: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    exportAll.push(
      (await timed("/api/admin/subscriptions/export", (body) => body.split("\r\n").length > SUBSCRIPTIONS)).elapsed,
    );
    exportFiltered.push(
      (await timed("/api/admin/subscriptions/export?q=northwind&status=Subscribed", (body) => body.startsWith("id,")))
        .elapsed,
    );
  }
  return [
    { name: `admin list, ${SUBSCRIPTIONS / 1000}k subscriptions: search + filters + sort (server)`, samples: list },
    { name: `admin CSV export, all ${SUBSCRIPTIONS / 1000}k rows (streamed, full download)`, samples: exportAll },
    { name: "admin CSV export, search + status filter", samples: exportFiltered },
  ];
}
