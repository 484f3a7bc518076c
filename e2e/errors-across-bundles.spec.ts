/**
 * Next.js compiles pages and instrumentation (where the job worker runs) into separate bundles,
 * each with its own copy of lib/marketplace/errors.ts, while the marketplace client is one per
 * process: whichever bundle uses it first decides which copy of MarketplaceError every later
 * failure is. Identified by class identity, either a buyer with an expired link saw "Something
 * went wrong" or a webhook for an operation Microsoft does not know was retried 20 times.
 *
 * This runs the production artefact (`node server.js`) in its own process, twice — the landing page first, then the
 * worker first — and checks that both handle Microsoft's errors correctly in both orders.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { encode } from "@auth/core/jwt";
import pg from "pg";
import { STANDALONE_SERVER } from "../scripts/standalone";
import { createTestDatabase, type TestDatabase } from "../tests/support/database";
import { freePort } from "../tests/support/free-port";
import { portalEnvForSandbox, seeded } from "../tests/support/sandbox-env";
import { sandbox, sandboxUrl } from "./support";

const caPath = path.join(path.resolve(process.env.E2E_SANDBOX_DATA_DIR ?? ".data/e2e-sandbox"), "tls", "ca.pem");
const env = portalEnvForSandbox(sandboxUrl, "http://localhost");

interface Portal {
  url: string;
  process: ChildProcess;
  database: TestDatabase;
  client: pg.Client;
}

const query = async <T extends pg.QueryResultRow>(portal: Portal, sql: string, values: unknown[] = []) =>
  (await portal.client.query<T>(sql, values)).rows;

async function startPortal(): Promise<Portal> {
  const database = await createTestDatabase("postgresql", "bundles");
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [STANDALONE_SERVER], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "localhost",
      ...portalEnvForSandbox(sandboxUrl, url),
      ...database.env,
      NODE_EXTRA_CA_CERTS: caPath,
      // Nothing on a schedule: the first marketplace call is the one each test makes.
      RECONCILE_INTERVAL_MINUTES: "0",
      METERING_SUBMIT_INTERVAL_MINUTES: "0",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await expect(async () => {
    const response = await fetch(`${url}/api/health?scope=database`);
    expect(response.status).toBe(200);
  }).toPass({ timeout: 60_000 });
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  return { url, process: child, database, client };
}

async function stopPortal(portal: Portal) {
  await portal.client.end();
  portal.process.kill("SIGTERM");
  await new Promise((resolve) => portal.process.once("exit", resolve));
  await portal.database.drop();
}

/** The landing page, signed in as Alice (a session cookie as next-auth issues it), with an expired purchase link. */
async function expiredLinkPage(portal: Portal): Promise<string> {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    tokenTtlSeconds: 0,
  });
  const session = await encode({
    token: {
      sub: `${seeded.alice.tid}:${seeded.alice.oid}`,
      tid: seeded.alice.tid,
      oid: seeded.alice.oid,
      name: seeded.alice.name,
      email: seeded.alice.email,
      roles: [],
      directoryRoles: [],
    },
    secret: env.AUTH_SECRET!,
    salt: "authjs.session-token",
  });
  const response = await fetch(`${portal.url}/landing?token=${encodeURIComponent(purchase.token)}`, {
    headers: { cookie: `authjs.session-token=${session}` },
  });
  return response.text();
}

/**
 * A genuine, signed delivery from the sandbox for an operation Get Operation then says it does not
 * know (404): the worker must record it unconfirmed after one attempt, not retry it.
 */
async function unknownOperationDelivery(portal: Portal) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await sandbox.settings({ webhookUrl: `${portal.url}/api/marketplace/webhook` });
  try {
    await sandbox.addFault({
      method: "GET",
      pathPattern: `/api/saas/subscriptions/${purchase.subscriptionId}/operations/`,
      status: 404,
      times: 5,
    });
    const { operationId } = await sandbox.act(purchase.subscriptionId, "Unsubscribe");
    await expect(async () => {
      const [event] = await query<{ status: string }>(
        portal,
        'SELECT status FROM "WebhookEvent" WHERE "operationId" = $1',
        [operationId],
      );
      expect(event?.status).toBe("unconfirmed");
      const jobs = await query<{ retry_count: number; state: string }>(
        portal,
        `SELECT retry_count, state::text AS state FROM pgboss.job WHERE name = 'process-webhook-event'`,
      );
      expect(jobs).toEqual([{ retry_count: 0, state: "completed" }]);
    }).toPass({ timeout: 20_000 });
  } finally {
    await sandbox.clearFaults();
    await sandbox.settings({ webhookUrl: null });
  }
}

test.describe.configure({ mode: "serial" });

test("page first, then the worker: an expired link is explained, and a webhook Microsoft does not confirm is refused once", async () => {
  test.setTimeout(120_000);
  const portal = await startPortal();
  try {
    expect(await expiredLinkPage(portal)).toContain("This purchase link is invalid or has expired");
    await unknownOperationDelivery(portal);
  } finally {
    await stopPortal(portal);
  }
});

test("worker first, then the page: the same answers", async () => {
  test.setTimeout(120_000);
  const portal = await startPortal();
  try {
    await unknownOperationDelivery(portal);
    const html = await expiredLinkPage(portal);
    expect(html).toContain("This purchase link is invalid or has expired");
    // What the page shows (its <main>), not the client's message catalogs in the RSC payload,
    // which carry the generic error page's title too.
    const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
    expect(main).toContain("This purchase link is invalid or has expired");
    expect(main).not.toContain("Something went wrong on our side");
  } finally {
    await stopPortal(portal);
  }
});
