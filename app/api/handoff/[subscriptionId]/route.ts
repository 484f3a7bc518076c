import { randomUUID } from "node:crypto";
import { currentUser } from "@/lib/auth/current-user";
import { portalEnv } from "@/lib/env";
import { issueHandoff, type HandoffRefusal } from "@/lib/handoff/issue-handoff";
import { isSameOriginRequest } from "@/lib/http/same-origin";
import { logger } from "@/lib/logger";
import { handoffPage, refusalPage } from "./handoff-page";

export const dynamic = "force-dynamic";

/**
 * "Open <product>" (docs/decisions/0014): a form on the portal's own pages posts here; the answer
 * posts a short-lived signed token to the product. A form from another site, a signed-out visitor
 * (sent to sign in and back to the subscription) and anyone who may not see the subscription get
 * no token.
 */
export async function POST(request: Request, { params }: { params: Promise<{ subscriptionId: string }> }) {
  const { subscriptionId } = await params;
  const base = portalEnv().PUBLIC_BASE_URL;
  const subscriptionPage = `/account/subscriptions/${encodeURIComponent(subscriptionId)}`;
  const sameOrigin = isSameOriginRequest({
    requestUrl: request.url,
    publicBaseUrl: base,
    secFetchSite: request.headers.get("sec-fetch-site"),
    origin: request.headers.get("origin"),
  });
  if (!sameOrigin) {
    logger.warn("product hand-off refused: the form came from another site", {
      subscriptionId,
      origin: request.headers.get("origin"),
    });
    return refusalPage({
      status: 403,
      title: "Open the product from your subscription",
      message: "This request did not come from the portal's own pages. Open the product from your subscription page.",
      back: { href: `${base}/account`, label: "My subscriptions" },
    });
  }
  const actor = await currentUser();
  if (!actor)
    return new Response(null, {
      status: 303,
      headers: {
        location: `${base}/signin?callbackUrl=${encodeURIComponent(subscriptionPage)}`,
        "cache-control": "no-store",
      },
    });
  try {
    const issued = await issueHandoff({ subscriptionId, actor });
    if (!issued.ok) return refused(issued, base, subscriptionPage);
    return handoffPage({ productName: issued.productName, productUrl: issued.productUrl, token: issued.token });
  } catch (error) {
    const reference = randomUUID();
    logger.error("product hand-off failed", { subscriptionId, reference, error });
    return refusalPage({
      status: 500,
      title: "Something went wrong on our side",
      message:
        "The product could not be opened just now. Please try again; if it persists, contact support with the reference below.",
      back: { href: `${base}${subscriptionPage}`, label: "Back to the subscription" },
      reference,
    });
  }
}

function refused(refusal: HandoffRefusal, base: string, subscriptionPage: string) {
  if (refusal.reason === "not_found")
    return refusalPage({
      status: 404,
      title: "Subscription not found",
      message:
        "You are signed in with an account that neither bought nor uses this subscription, or it does not exist. Sign in with the account that made the purchase or the one it was bought for.",
      back: { href: `${base}/account`, label: "My subscriptions" },
    });
  if (refusal.reason === "setup_pending")
    return refusalPage({
      status: 409,
      title: "Finish setting up your account first",
      message: `${refusal.productName} needs your organisation's details before you can open it.`,
      back: { href: `${base}${subscriptionPage}/setup`, label: "Finish setup" },
    });
  const why: Record<string, string> = {
    Suspended:
      "Microsoft suspended this subscription, usually because a payment did not go through. Settle it in the Azure portal or the Microsoft 365 admin center, then try again.",
    Unsubscribed: `This subscription is cancelled. To use ${refusal.productName} again, buy it again from the marketplace.`,
  };
  return refusalPage({
    status: 409,
    title: `${refusal.productName} cannot be opened for this subscription`,
    message:
      why[refusal.status] ??
      "This subscription is not active yet. Finish the activation from the marketplace (“Configure account”) first.",
    back: { href: `${base}${subscriptionPage}`, label: "Back to the subscription" },
  });
}
