import type { NextRequest } from "next/server";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import {
  answerWebhookDelivery,
  WEBHOOK_ANSWER_HEADERS,
  webhookBodyLimit,
} from "@/lib/webhooks/answer-webhook-delivery";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Microsoft's webhook (the "Connection webhook" URL in Partner Center) under `next dev` and
 * `next start`. The standalone artefact's server answers this path before Next.js with the same
 * answerWebhookDelivery (lib/webhooks/serve-webhook-node.ts, docs/decisions/0023).
 */
export async function POST(request: NextRequest) {
  const answer = await answerWebhookDelivery({
    authorization: request.headers.get("authorization"),
    body: await readLimitedBody(request, webhookBodyLimit()),
  });
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: WEBHOOK_ANSWER_HEADERS });
}
