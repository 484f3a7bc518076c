/**
 * The HTTP side of `GET /api/v1/entitlements` and `GET /api/v1/entitlements/{subscriptionId}`,
 * so the route handlers stay one line: the key first (401/403 before any input is looked at), then
 * the parameters (400 naming the one at fault), then one read. Every answer is `no-store`.
 */
import "server-only";
import { NextResponse } from "next/server";
import { authenticateApiKey, type AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { logger } from "../logger";
import {
  apiRefusals,
  cursorParam,
  DEFAULT_PAGE_SIZE,
  limitParam,
  subscriptionIdParam,
  tenantIdParam,
  type ApiError,
  type ApiRefusalCode,
} from "./entitlement-schemas";
import { getEntitlement } from "./get-entitlement";
import { decodeCursor } from "./cursor";
import { listEntitlements } from "./list-entitlements";

const NO_STORE = { "cache-control": "no-store" };

function refused(code: ApiRefusalCode, message: string, field?: string): NextResponse<ApiError> {
  const headers: Record<string, string> = { ...NO_STORE };
  if (code === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="entitlements"';
  if (code === "unavailable") headers["retry-after"] = "5";
  return NextResponse.json(
    { error: field === undefined ? { code, message } : { code, message, field } },
    { status: apiRefusals[code], headers },
  );
}

async function answer(request: Request, read: (apiKey: AuthenticatedApiKey) => Promise<NextResponse>) {
  const started = performance.now();
  let response: NextResponse;
  try {
    const authentication = await authenticateApiKey({
      authorization: request.headers.get("authorization"),
      scope: "entitlements:read",
    });
    response = authentication.ok
      ? await read(authentication.apiKey)
      : refused(authentication.refusal.code, authentication.refusal.message);
  } catch (error) {
    logger.error("entitlements request failed", { error });
    response = refused("unavailable", "The entitlements could not be read just now; retry in a few seconds.");
  }
  // The handler's own time (key check, read, catalog, JSON), for the product's tracing and npm run bench.
  response.headers.set("server-timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
  return response;
}

/** `GET /api/v1/entitlements/{subscriptionId}`. */
export function answerEntitlementRequest(request: Request, subscriptionId: string): Promise<NextResponse> {
  return answer(request, async (apiKey) => {
    const id = subscriptionIdParam.safeParse(subscriptionId);
    if (!id.success)
      return refused("invalid_request", `subscriptionId ${id.error.issues[0]?.message}.`, "subscriptionId");
    const entitlement = await getEntitlement({ apiKey, subscriptionId: id.data });
    if (!entitlement)
      return refused(
        "not_found",
        "No subscription with this id is visible to this key (unknown to the portal, or outside the key's offers or customer tenants).",
      );
    return NextResponse.json(entitlement, { headers: NO_STORE });
  });
}

/** `GET /api/v1/entitlements?tenantId=…[&cursor=…][&limit=…]`. */
export function answerEntitlementListRequest(request: Request): Promise<NextResponse> {
  return answer(request, async (apiKey) => {
    const query = new URL(request.url).searchParams;
    const rawTenant = query.get("tenantId");
    if (rawTenant === null)
      return refused(
        "invalid_request",
        "tenantId is required: the customer's Entra tenant id (a GUID), e.g. ?tenantId=22222222-2222-4222-8222-222222222222.",
        "tenantId",
      );
    const tenantId = tenantIdParam.safeParse(rawTenant);
    if (!tenantId.success)
      return refused("invalid_request", `tenantId ${tenantId.error.issues[0]?.message}.`, "tenantId");

    const rawLimit = query.get("limit");
    const limit =
      rawLimit === null ? { success: true as const, data: DEFAULT_PAGE_SIZE } : limitParam.safeParse(rawLimit);
    if (!limit.success) return refused("invalid_request", `limit ${limit.error.issues[0]?.message}.`, "limit");

    const rawCursor = query.get("cursor");
    let after: string | undefined;
    if (rawCursor !== null) {
      after = cursorParam.safeParse(rawCursor).success ? decodeCursor(rawCursor) : undefined;
      if (!after)
        return refused(
          "invalid_request",
          "cursor is not one this API gave out: pass nextCursor from the previous page as it is, or start again without it.",
          "cursor",
        );
    }
    const list = await listEntitlements({ apiKey, tenantId: tenantId.data, after, limit: limit.data });
    return NextResponse.json(list, { headers: NO_STORE });
  });
}
