/**
 * The production topology on one PostgreSQL database: two web instances (web-only,
 * WORKERS_ENABLED=false; tests/support/web-instance.ts) behind one origin and a dedicated worker
 * process (the real `npm run worker` script), against the sandbox over https.
 *
 *   - Each of Microsoft's deliveries reaches both web instances at once (a retry landing on the
 *     other instance): it is recorded once, processed once by the worker process and acknowledged
 *     to Microsoft once; each job starts on the worker at once, although it polls only every 60 s
 *     (PostgreSQL NOTIFY at commit).
 *   - The usage rate limit is one allowance for both instances (a bucket in PostgreSQL).
 *   - A session signed in on one instance is the same session on the other (JWT sessions sealed
 *     with AUTH_SECRET; nothing kept per instance).
 *
 * The job engine's own multi-process cases (80 jobs on two processes, a worker killed mid-job)
 * are in lib/jobs/engine.int.test.ts. PostgreSQL only: an embedded database belongs to one process.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKind, db } from "@/lib/db";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { SandboxHttpClient, readForm } from "@/sandbox/idp/testing/https-client";
import { startPortalProcess, type PortalProcess } from "@/tests/support/portal-process";
import { sandboxControl, type WebhookDelivery } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";

const sandbox = sandboxControl();
const sandboxUrl = process.env.SANDBOX_URL ?? "";
const origin = process.env.PUBLIC_BASE_URL ?? ""; // the one origin of both instances (the load balancer's)
const alice = { ...seeded.alice, roles: [] };
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };

const webEnv = { WORKERS_ENABLED: "false", METERING_RATE_LIMIT_PER_MINUTE: "1000" };
const instances: Array<{ process: PortalProcess; url: string }> = [];
let worker: PortalProcess | undefined;

async function startWeb(name: string) {
  const started = await startPortalProcess({
    name,
    script: "tests/support/web-instance.ts",
    env: webEnv,
    ready: /^listening \d+$/,
  });
  return { process: started, url: `http://127.0.0.1:${started.readyLine.split(" ")[1]}` };
}

/** Microsoft's deliveries, each sent to both web instances at once; what each answered. */
interface Fanned {
  operationId: string;
  answers: Array<{ status: number; result?: string }>;
}
const fanned: Fanned[] = [];
let balancer: Server;

function startBalancer(): Promise<string> {
  balancer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      void Promise.all(
        instances.map(async (instance) => {
          const response = await fetch(`${instance.url}/api/marketplace/webhook`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" },
            body,
          });
          const json = (await response.json().catch(() => ({}))) as { result?: string };
          return { status: response.status, result: json.result };
        }),
      ).then((answers) => {
        fanned.push({ operationId: (JSON.parse(body) as { id: string }).id, answers });
        const failed = answers.find((answer) => answer.status !== 200);
        res.writeHead(failed?.status ?? 200, { "content-type": "application/json" }).end("{}");
      });
    });
  });
  return new Promise((resolve) =>
    balancer.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(balancer.address() as AddressInfo).port}/api/marketplace/webhook`),
    ),
  );
}

async function activeSubscription(planId: string, quantity?: number) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId,
    quantity,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: { companyName: "Fabrikam", contactName: "Alice", contactEmail: alice.email, acceptTerms: "on" },
    actor: alice,
  });
  return purchase.subscriptionId;
}

describe.skipIf(databaseKind() !== "postgresql")("two web instances and a worker process on one database", () => {
  beforeAll(async () => {
    const [a, b, started] = await Promise.all([
      startWeb("web-a"),
      startWeb("web-b"),
      startPortalProcess({
        name: "worker",
        script: "scripts/worker.ts",
        // Only the jobs under test: nothing on a schedule; a poll so slow that only NOTIFY explains a prompt start.
        env: {
          JOB_POLL_INTERVAL_SECONDS: "60",
          RECONCILE_INTERVAL_MINUTES: "0",
          METERING_SUBMIT_INTERVAL_MINUTES: "0",
          USAGE_RECONCILE_INTERVAL_MINUTES: "0",
          LOG_LEVEL: "info",
        },
        ready: /"message":"worker started"/,
      }),
    ]);
    instances.push(a, b);
    worker = started;
    // A first request loads the route and fetches the signing keys (a token with an unknown kid does
    // that too, and is refused): the sandbox's 5 s delivery timeout is then about the instances, not a cold start.
    const unknownKid = Buffer.from(JSON.stringify({ alg: "RS256", kid: "warm-up", typ: "JWT" })).toString("base64url");
    for (const instance of instances) {
      const response = await fetch(`${instance.url}/api/marketplace/webhook`, {
        method: "POST",
        headers: { authorization: `Bearer ${unknownKid}.e30.c2ln`, "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(401);
    }
    // A loaded 2-core machine answers slower than Microsoft's 10 s window assumes.
    await sandbox.settings({ webhookUrl: await startBalancer(), webhookTimeoutMs: 15_000, ackTimeoutMs: 30_000 });
  }, 120_000);
  afterAll(async () => {
    await sandbox.settings({ webhookUrl: null, webhookTimeoutMs: 5000, ackTimeoutMs: 10_000 }); // the defaults
    balancer?.close();
    await Promise.all([...instances.map((instance) => instance.process.stop()), worker?.stop()]);
  }, 60_000);

  it("a delivery sent to both web instances is recorded once, processed once by the worker and acknowledged once; each job starts at once", async () => {
    const since = new Date();
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(await activeSubscription("pro-seats", 5));
    // One at a time, so each job reaches an idle worker: only a notification can start it before its next poll.
    for (const [index, id] of ids.entries()) {
      await sandbox.act(id, "ChangeQuantity", { quantity: 10 + index });
      await until(
        () => sandbox.deliveries(id).then((all) => all.find((d) => d.action === "ChangeQuantity")),
        (d): d is WebhookDelivery => d?.acknowledgement?.status === "Success",
        "acknowledged",
        20_000,
      );
    }

    for (const [index, id] of ids.entries()) {
      const [event, ...more] = await db().webhookEvent.findMany({ where: { subscriptionId: id } });
      expect(more).toEqual([]);
      // Both instances answered 200: one recorded it, the other found it recorded. (The balancer notes
      // the answers once both came; the worker may have acknowledged before the slower one answered.)
      const { answers } = await until(
        () => Promise.resolve(fanned.find((entry) => entry.operationId === event?.operationId)),
        (entry): entry is Fanned => entry !== undefined,
        "both instances' answers",
      );
      expect(answers.map((answer) => answer.result).sort()).toEqual(["accepted", "duplicate"]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      await until(
        () => db().webhookEvent.findUniqueOrThrow({ where: { id: event!.id } }),
        (row) => row.acknowledgement === "Success",
        "acknowledgement recorded",
      );
      expect((await db().subscription.findUniqueOrThrow({ where: { id } })).quantity).toBe(10 + index);
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "quantity_changed" } })).toBe(1);
      const acknowledgements = await sandbox.calls({ since, operation: "updateOperation", subscriptionId: id });
      expect(acknowledgements).toHaveLength(1);

      // The web instances run no workers and this test process none: the worker process ran it, at once.
      const [job] = await db().$queryRaw<Array<{ state: string; lag_ms: number }>>`
        SELECT state::text AS state, EXTRACT(EPOCH FROM (started_on - created_on)) * 1000 AS lag_ms
        FROM pgboss.job WHERE name = 'process-webhook-event' AND data ->> 'eventId' = ${event!.id}`;
      expect(job?.state).toBe("completed");
      expect(Number(job?.lag_ms)).toBeLessThan(2000);
    }
  }, 120_000);

  it("the usage rate limit is one allowance for both instances", async () => {
    const subscriptionId = await activeSubscription("basic");
    const { key } = await createApiKey({
      input: { name: "two instances", scopes: ["usage:write"], offerIds: [], tenantIds: [] },
      actor: paula,
    });
    const report = (instance: (typeof instances)[number], count: number) =>
      fetch(`${instance.url}/api/usage`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          records: Array.from({ length: count }, () => ({
            subscriptionId,
            dimension: "reports",
            quantity: 1,
            effectiveAt: new Date(Date.now() - 30 * 60_000).toISOString(),
            idempotencyKey: randomUUID(),
          })),
        }),
      });
    const [a, b] = instances as [(typeof instances)[number], (typeof instances)[number]];

    expect((await report(a, 600)).status).toBe(202);
    // Each instance alone would allow 1000 a minute; together they allow 1000 too (plus what refills meanwhile, 17/s).
    const refused = await report(b, 600);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await report(b, 400)).status).toBe(202);
    expect(await db().usageRecord.count({ where: { subscriptionId } })).toBe(1000);
  });

  it("a session signed in on one instance is accepted by the other", async () => {
    const [a, b] = instances as [(typeof instances)[number], (typeof instances)[number]];
    const cookies = new Map<string, string>();
    /** The browser: requests to the portal's origin go to the instance given (the balancer's choice). */
    const portal = async (instance: (typeof instances)[number], url: string, init: RequestInit = {}) => {
      const target = new URL(url, origin);
      const headers = new Headers(init.headers);
      headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
      const response = await fetch(`${instance.url}${target.pathname}${target.search}`, {
        ...init,
        headers,
        redirect: "manual",
      });
      for (const header of response.headers.getSetCookie()) {
        const [pair = ""] = header.split(";");
        const eq = pair.indexOf("=");
        if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return response;
    };
    const session = async (instance: (typeof instances)[number]) =>
      (await (await portal(instance, "/api/auth/session")).json()) as { user?: Record<string, unknown> } | null;

    expect(await session(b)).toBeNull();
    // Sign in on instance A, through the sandbox's Entra-like sign-in page.
    const { csrfToken } = (await (await portal(a, "/api/auth/csrf")).json()) as { csrfToken: string };
    const started = await portal(a, "/api/auth/signin/microsoft-entra-id", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${origin}/account` }),
    });
    const idp = new SandboxHttpClient(readFileSync(process.env.NODE_EXTRA_CA_CERTS ?? "", "utf8"));
    const authorizeUrl = started.headers.get("location") ?? "";
    let step = await idp.followWithin(sandboxUrl, authorizeUrl);
    if (step.page) {
      const form = readForm(step.page.body, step.hops.at(-1) ?? authorizeUrl);
      const submitted = await idp.request(form.action, {
        form: { ...form.fields, email: alice.email, password: "sandbox" },
      });
      step = await idp.followWithin(sandboxUrl, submitted.location ?? "");
    }
    const callback = await portal(a, step.exitUrl ?? "");
    expect(callback.headers.get("location")).toBe(`${origin}/account`);

    // Instance B knows nothing of the sign-in on A, and reads the same session from the cookie.
    const expected = { tid: alice.tid, oid: alice.oid, email: alice.email };
    expect((await session(a))?.user).toMatchObject(expected);
    expect((await session(b))?.user).toMatchObject(expected);
  });
});
