/**
 * The floor for the webhook benchmark: a bare Node `http` server that does what the portal must
 * do before answering Microsoft — the same JWT verification (lib/webhooks/verify-webhook-token.ts,
 * JWKS cached) and one INSERT — and nothing else (no schema, no job, no framework). Started by
 * bench/webhooks.ts as its own process; prints `listening <port>` when ready.
 */
import { createServer } from "node:http";
import pg from "pg";
import { createWebhookVerifier, issuersFor } from "../lib/webhooks/verify-webhook-token";

const { DATABASE_URL, SANDBOX_URL, PUBLISHER_TENANT_ID, WEBHOOK_AUDIENCE } = process.env;
if (!DATABASE_URL || !SANDBOX_URL || !PUBLISHER_TENANT_ID || !WEBHOOK_AUDIENCE)
  throw new Error("DATABASE_URL, SANDBOX_URL, PUBLISHER_TENANT_ID and WEBHOOK_AUDIENCE are required");

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
await pool.query(
  `CREATE TABLE IF NOT EXISTS bench_webhook_floor (operation_id text NOT NULL, action text NOT NULL, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (operation_id, action))`,
);
const verify = createWebhookVerifier({
  jwksUrl: `${SANDBOX_URL}/${PUBLISHER_TENANT_ID}/discovery/v2.0/keys`,
  issuers: issuersFor(SANDBOX_URL, PUBLISHER_TENANT_ID),
  audience: WEBHOOK_AUDIENCE,
  tenantId: PUBLISHER_TENANT_ID,
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    void (async () => {
      const verified = await verify(req.headers.authorization);
      if (!verified.ok) return res.writeHead(401).end();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string; action: string };
      await pool.query(
        `INSERT INTO bench_webhook_floor (operation_id, action, payload) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [body.id, body.action, body],
      );
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    })().catch(() => {
      res.writeHead(500).end();
    });
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => {
  server.close();
  void pool.end();
});
