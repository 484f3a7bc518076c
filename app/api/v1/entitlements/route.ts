import { answerEntitlementListRequest } from "@/lib/entitlements/answer-entitlements-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** A tenant's entitlements for the ISV's product: `Authorization: Bearer <key with entitlements:read>`. */
export function GET(request: Request) {
  return answerEntitlementListRequest(request);
}
