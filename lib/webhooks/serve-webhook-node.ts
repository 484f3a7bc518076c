import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readLimitedNodeBody } from "../http/read-limited-body";
import { STATIC_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "../http/security-headers";
import { webhookEnv } from "../env";
import { logger } from "../logger";
import { withIncomingRequestSpan } from "../telemetry/telemetry";
import { answerWebhookDelivery, WEBHOOK_ANSWER_HEADERS, webhookBodyLimit } from "./answer-webhook-delivery";
import { DEFAULT_WEBHOOK_PATH, webhookPaths } from "./webhook-paths";

/** One delivery as it was served: what came in and the status it was answered with. */
export interface ServedDelivery {
  authorization: string | null;
  /** null when the body was larger than the limit (answered 413, not read further). */
  body: string | null;
  status: number;
}

const SECURITY_HEADERS = Object.fromEntries(STATIC_SECURITY_HEADERS.map(({ key, value }) => [key, value]));

/** The request's path without its query. */
const pathOf = (req: IncomingMessage) => (req.url ?? "").split("?")[0] ?? "";

/**
 * Microsoft's webhook on a Node `http` request: the same answer as the route handler
 * (answerWebhookDelivery) with the headers next.config.ts gives every response, in a request span.
 * Rejects only when the client went away before its body ended (nothing was recorded).
 */
export function serveWebhookDelivery(req: IncomingMessage, res: ServerResponse): Promise<ServedDelivery> {
  const attributes = { "http.method": "POST", "http.target": pathOf(req), "http.route": DEFAULT_WEBHOOK_PATH };
  return withIncomingRequestSpan(`POST ${DEFAULT_WEBHOOK_PATH}`, req.headers, attributes, async (span) => {
    const authorization = req.headers.authorization ?? null;
    const body = await readLimitedNodeBody(req, webhookBodyLimit());
    const answer = await answerWebhookDelivery({ authorization, body });
    span.setAttribute("http.status_code", answer.status);
    res.writeHead(answer.status, {
      ...WEBHOOK_ANSWER_HEADERS,
      ...SECURITY_HEADERS,
      // As next.config.ts: behind a proxy that terminated TLS.
      ...(req.headers["x-forwarded-proto"] === "https"
        ? { "strict-transport-security": STRICT_TRANSPORT_SECURITY }
        : {}),
    });
    res.end(JSON.stringify(answer.body));
    return { authorization, body, status: answer.status };
  });
}

/**
 * The standalone server's webhook fast path (scripts/standalone/server.js, docs/decisions/0023): a
 * POST to a webhook path is answered here, before Next.js's request pipeline, which costs more CPU
 * than verifying and recording the delivery; true when it took the request, false for every other
 * request (Next.js serves it).
 */
export function createWebhookFastPath(paths: string[] = webhookPaths(webhookEnv().WEBHOOK_PATH)) {
  const served = new Set(paths);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "POST" || !served.has(pathOf(req))) return false;
    serveWebhookDelivery(req, res).catch((error: unknown) => {
      // Only when the client left before its body ended (answerWebhookDelivery answers its own errors).
      logger.warn("webhook request could not be answered", { error });
      res.destroy();
    });
    return true;
  };
}
