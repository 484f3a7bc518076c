/**
 * OpenTelemetry from the production build (`next start`): a second portal, started by this file
 * with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a receiver in the test process, on its own database
 * and receiving the sandbox's webhooks for a while. A page in Chromium, the landing page's
 * marketplace call inside its request, an incoming W3C traceparent, a refused webhook whose log line
 * carries the trace id, and an auto-activated purchase and a seat change from Microsoft's side:
 * request spans from Next.js, job and marketplace spans and the portal's metrics arrive. (The main
 * e2e portal runs with telemetry off, the default.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { encode } from "@auth/core/jwt";
import { expect, test } from "@playwright/test";
import { createTestDatabase, type TestDatabase } from "../tests/support/database";
import { freePort } from "../tests/support/free-port";
import { portalEnvForSandbox, seeded } from "../tests/support/sandbox-env";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedPoint, type ReceivedSpan } from "../scripts/otel-receiver";
import { configureAndActivate, sandbox, sandboxUrl } from "./support";

test.describe.configure({ mode: "serial" });

const caPath = path.join(path.resolve(process.env.E2E_SANDBOX_DATA_DIR ?? ".data/e2e-sandbox"), "tls", "ca.pem");
let receiver: OtlpReceiver;
let database: TestDatabase;
let portal: ChildProcess;
let portalUrl: string;
const logLines: Array<Record<string, unknown>> = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  receiver = await startOtlpReceiver();
  database = await createTestDatabase("postgresql", "otel");
  const port = await freePort();
  portalUrl = `http://localhost:${port}`;
  portal = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      ...portalEnvForSandbox(sandboxUrl, portalUrl),
      ...database.env,
      NODE_EXTRA_CA_CERTS: caPath,
      RECONCILE_INTERVAL_MINUTES: "0",
      METERING_SUBMIT_INTERVAL_MINUTES: "0",
      LOG_LEVEL: "warn",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_SERVICE_NAME: "portal-e2e",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=e2e",
      OTEL_BSP_SCHEDULE_DELAY: "200",
      OTEL_METRIC_EXPORT_INTERVAL: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let pending = "";
  const collect = (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("{")) logLines.push(JSON.parse(line) as Record<string, unknown>);
  };
  portal.stdout?.on("data", collect);
  portal.stderr?.on("data", collect);
  await expect(async () => {
    const response = await fetch(`${portalUrl}/api/health?scope=database`);
    expect(response.status).toBe(200);
  }).toPass({ timeout: 60_000 });
});

test.afterAll(async () => {
  await sandbox.settings({ webhookUrl: null }); // webhooks to the main e2e portal again
  if (portal && portal.exitCode === null) {
    const exited = new Promise((resolve) => portal.once("exit", resolve));
    portal.kill("SIGTERM");
    await exited;
  }
  await receiver?.close();
  await database?.drop();
});

async function span(what: string, match: (span: ReceivedSpan) => boolean): Promise<ReceivedSpan> {
  let found: ReceivedSpan | undefined;
  await expect(() => {
    found = receiver.spans.find(match);
    expect(found, `${what}; received: ${[...new Set(receiver.spans.map((s) => s.name))].join(", ")}`).toBeDefined();
  }).toPass({ timeout: 20_000 });
  return found!;
}

/** The span's parent, its parent, … up to the trace's root (as far as they arrived). */
function ancestors(start: ReceivedSpan): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  let current: ReceivedSpan | undefined = start;
  while (current?.parentSpanId) {
    const parentId: string = current.parentSpanId;
    current = receiver.spans.find((s) => s.spanId === parentId && s.traceId === start.traceId);
    if (current) chain.push(current);
  }
  return chain;
}

/**
 * The span's ancestors once every one of them has arrived, up to the trace's root. Spans are
 * exported in batches as they end (every 200 ms here), and a parent ends after its children: Next.js'
 * outer request span ends with the response, often a batch after the spans inside it. Reading the
 * chain as soon as the child arrived made this file flaky (the chain stopped short of its root).
 */
async function ancestorsToRoot(start: ReceivedSpan): Promise<ReceivedSpan[]> {
  let chain: ReceivedSpan[] = [];
  await expect(() => {
    chain = ancestors(start);
    const top = chain.at(-1) ?? start;
    expect(
      top.parentSpanId,
      `the ancestors of "${start.name}" up to the trace's root; arrived: ${[start, ...chain].map((s) => s.name).join(" < ")}`,
    ).toBeUndefined();
  }).toPass({ timeout: 20_000 });
  return chain;
}

async function point(what: string, match: (point: ReceivedPoint) => boolean): Promise<ReceivedPoint> {
  let found: ReceivedPoint | undefined;
  await expect(() => {
    found = [...receiver.points].reverse().find(match);
    expect(found, `${what}; received: ${[...new Set(receiver.points.map((p) => p.metric))].join(", ")}`).toBeDefined();
  }).toPass({ timeout: 20_000 });
  return found!;
}

test("a page in the browser is a request span from Next.js, with the service's name", async ({ page }) => {
  await page.goto(`${portalUrl}/signin`);
  await expect(page.getByRole("button", { name: "Sign in with Microsoft" })).toBeVisible();
  const request = await span("GET /signin", (s) => s.name === "GET /signin");
  expect(request).toMatchObject({
    kind: 2, // server
    scope: "next.js",
    attributes: { "http.method": "GET", "http.status_code": 200, "next.route": "/signin" },
    resource: { "service.name": "portal-e2e", "deployment.environment.name": "e2e" },
  });
  // Next.js' outer span of the request (proxy.ts runs inside it) is the trace's root.
  expect((await ancestorsToRoot(request)).at(-1)).toMatchObject({ name: "GET", kind: 2, parentSpanId: undefined });
});

test("the landing page's call to Microsoft (Resolve) is inside the page's request span, and the activation is a server action span with its calls", async ({
  page,
}) => {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  // Alice's session as next-auth issues it (the sign-in itself is tested elsewhere; the sandbox's
  // identity provider only knows the main e2e portal's callback URL).
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
    secret: portalEnvForSandbox(sandboxUrl, portalUrl).AUTH_SECRET!,
    salt: "authjs.session-token",
  });
  await page.context().addCookies([{ name: "authjs.session-token", value: session, url: portalUrl }]);
  await page.goto(`${portalUrl}/landing?token=${encodeURIComponent(purchase.token)}`);
  await expect(page.getByTestId("subscription-id")).toHaveText(purchase.subscriptionId);
  const resolve = await span(
    "the Resolve call",
    (s) => s.name === "marketplace resolveSubscription" && s.attributes["http.response.status_code"] === 200,
  );
  await span("the landing request", (s) => s.traceId === resolve.traceId && s.name === "GET /landing");
  expect((await ancestorsToRoot(resolve)).map((s) => s.name)).toContain("GET /landing");
  const [recorded] = await sandbox
    .calls({ operation: "resolve", since: new Date(Date.now() - 60_000) })
    .then((calls) => calls.filter((call) => call.requestId === resolve.attributes["marketplace.request_id"]));
  expect(recorded).toBeDefined();

  // Activate: the form's server action, and Microsoft's Activate inside it.
  await page.getByLabel("Workspace address").fill("fabrikam-otel");
  await page.getByLabel("Expected number of users").fill("5");
  await configureAndActivate(page);
  await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
  const action = await span("the server action", (s) => s.name === "server action activate from landing");
  expect(action.attributes).toMatchObject({ "portal.server_action": "activate from landing" });
  expect((await ancestorsToRoot(action)).map((s) => s.name)).toContain("POST /landing");
  const activate = await span("Activate", (s) => s.name === "marketplace activateSubscription");
  expect((await ancestorsToRoot(activate)).map((s) => s.spanId)).toContain(action.spanId);

  // The page's URL carried the purchase token: no span does.
  const exported = JSON.stringify(receiver.spans);
  expect(exported).toContain("/landing?token=[redacted]");
  for (const form of [purchase.token, encodeURIComponent(purchase.token)]) expect(exported).not.toContain(form);
});

test("a caller's W3C traceparent is continued, and a log line written in the request carries its trace id", async ({
  request,
}) => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const response = await request.post(`${portalUrl}/api/marketplace/webhook`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, authorization: "Bearer not-a-token" },
    data: { id: "x" },
  });
  expect(response.status()).toBe(401);
  const root = await span("the webhook's request span", (s) => s.traceId === traceId && s.kind === 2);
  expect(root).toMatchObject({ parentSpanId: "00f067aa0ba902b7", attributes: { "http.status_code": 401 } });
  await span("the route's span", (s) => s.traceId === traceId && s.name === "POST /api/marketplace/webhook");
  await point(
    "the refused delivery counted",
    (p) =>
      p.metric === "portal.webhook.deliveries" &&
      p.attributes.outcome === "refused" &&
      p.attributes["http.response.status_code"] === 401,
  );
  const line = logLines.find((entry) => entry.message === "webhook refused: authentication failed");
  expect(line).toMatchObject({ level: "warn", trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
});

test("Microsoft's webhooks: the delivery, the job that confirms it and its marketplace calls are traced; the acknowledgement's latency and the queue are measured", async () => {
  await sandbox.settings({ webhookUrl: `${portalUrl}/api/marketplace/webhook` });
  const bought = await sandbox.purchase({
    offerId: "contoso-backup",
    planId: "team-auto",
    quantity: 6,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name: `Telemetry e2e ${Date.now()}`,
  });
  const id = bought.subscriptionId;

  // The Subscribe webhook: accepted, then confirmed with Microsoft by a job.
  await point(
    "the accepted delivery",
    (p) => p.metric === "portal.webhook.deliveries" && p.attributes.outcome === "accepted",
  );
  const job = await span(
    "the webhook's processing job",
    (s) => s.name === "job process-webhook-event" && s.attributes["job.outcome"] === "completed",
  );
  expect(job).toMatchObject({ kind: 5, parentSpanId: undefined, attributes: { "job.name": "process-webhook-event" } });
  const call = await span("a marketplace call inside the job", (s) => s.parentSpanId === job.spanId && s.kind === 3);
  expect(call.name).toMatch(/^marketplace (getOperation|getSubscription)$/);
  expect(call.attributes).toMatchObject({
    "http.response.status_code": 200,
    "marketplace.request_id": expect.stringMatching(/^[0-9a-f-]{36}$/),
    "marketplace.correlation_id": expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  const recorded = await sandbox.calls({ subscriptionId: id });
  expect(recorded.map((entry) => entry.requestId)).toContain(call.attributes["marketplace.request_id"]);

  // Microsoft changes the seats: the portal decides and acknowledges; the latency is measured.
  await sandbox.act(id, "ChangeQuantity", { quantity: 8 });
  await span("the acknowledgement's call", (s) => s.name === "marketplace updateOperation");
  const latency = await point(
    "the acknowledgement latency",
    (p) =>
      p.metric === "portal.acknowledgement.duration" && p.attributes["marketplace.webhook.action"] === "ChangeQuantity",
  );
  expect(latency).toMatchObject({
    unit: "s",
    count: 1,
    attributes: {
      "marketplace.acknowledgement.answer": "Success",
      "marketplace.acknowledgement.outcome": "acknowledged",
    },
  });
  expect(latency.sum).toBeGreaterThan(0);
  const depth = await point(
    "the queue's depth",
    (p) => p.metric === "portal.jobs.queue.depth" && p.attributes["job.name"] === "acknowledge-operation",
  );
  expect(depth.type).toBe("gauge");
});
