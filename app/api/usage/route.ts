import { NextResponse, type NextRequest } from "next/server";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { logger } from "@/lib/logger";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { ingestUsage } from "@/lib/metering/ingest-usage";
import { checkUsageRate } from "@/lib/metering/usage-rate-limit";
import { refusalStatus, type UsageRefusal } from "@/lib/metering/usage-refusals";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Enough for the largest batch (1000 records) with room to spare. */
const MAX_BODY_BYTES = 1024 * 1024;

function refused(error: UsageRefusal, status = refusalStatus(error)) {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="usage"';
  return NextResponse.json({ accepted: 0, refused: 0, results: [], error }, { status, headers });
}

/**
 * The product reports metered usage: `Authorization: Bearer <API key>`, one record or
 * `{ records: [...] }`. 202 with a result per record; the portal bills Microsoft once per hour.
 */
export async function POST(request: NextRequest) {
  try {
    const authentication = await authenticateApiKey({
      authorization: request.headers.get("authorization"),
      scope: "usage:write",
    });
    if (!authentication.ok) return refused(authentication.refusal);
    const text = await readLimitedBody(request, MAX_BODY_BYTES);
    if (text === null)
      return refused(
        {
          code: "invalid_body",
          message: `The body is larger than ${MAX_BODY_BYTES} bytes; send at most 1000 records per request.`,
        },
        413,
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refused({
        code: "invalid_json",
        message: "The body is not valid JSON (note: NaN and Infinity are not JSON numbers).",
      });
    }
    const rate = await checkUsageRate(authentication.apiKey.id, body);
    if (!rate.ok) {
      const response = refused(rate.refusal);
      response.headers.set("retry-after", String(rate.retryAfterSeconds));
      return response;
    }
    const result = await ingestUsage({ apiKey: authentication.apiKey, body });
    return NextResponse.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
  } catch (error) {
    // Nothing was recorded for a request that failed here: the product can retry it as is.
    logger.error("usage ingest failed", { error });
    const response = refused({
      code: "unavailable",
      message: "The usage could not be recorded just now; retry the same request (idempotency keys make that safe).",
    });
    response.headers.set("retry-after", "5");
    return response;
  }
}
