import { NextResponse, type NextRequest } from "next/server";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { webhookEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { receiveWebhook } from "@/lib/webhooks/receive-webhook";
import { webhookVerifier } from "@/lib/webhooks/webhook-verifier";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Microsoft's SaaS webhook (the "Connection webhook" URL in Partner Center). */
export async function POST(request: NextRequest) {
  const limit = webhookEnv().WEBHOOK_MAX_BODY_BYTES;
  const body = await readLimitedBody(request, limit);
  if (body === null) return NextResponse.json({ error: `The body is larger than ${limit} bytes.` }, { status: 413 });
  try {
    const receipt = await receiveWebhook({
      authorization: request.headers.get("authorization"),
      body,
      verify: webhookVerifier(),
    });
    return NextResponse.json(receipt.body, { status: receipt.status });
  } catch (error) {
    // 5xx makes Microsoft retry the delivery: nothing is lost.
    logger.error("webhook could not be recorded", { error });
    return NextResponse.json({ error: "The event could not be recorded; please retry." }, { status: 503 });
  }
}
