import { answerEntitlementRequest } from "@/lib/entitlements/answer-entitlements-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** One subscription's entitlement for the ISV's product: `Authorization: Bearer <key with entitlements:read>`. */
export async function GET(request: Request, context: { params: Promise<{ subscriptionId: string }> }) {
  const { subscriptionId } = await context.params;
  return answerEntitlementRequest(request, subscriptionId);
}
