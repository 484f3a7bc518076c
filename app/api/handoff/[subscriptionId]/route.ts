import { randomUUID } from "node:crypto";
import { getLocale, getTranslations } from "next-intl/server";
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
 * no token. The pages speak the reader's language (messages: handoff).
 */
export async function POST(request: Request, { params }: { params: Promise<{ subscriptionId: string }> }) {
  const { subscriptionId } = await params;
  const base = portalEnv().PUBLIC_BASE_URL;
  const subscriptionPage = `/account/subscriptions/${encodeURIComponent(subscriptionId)}`;
  const [lang, t] = await Promise.all([getLocale(), getTranslations("handoff")]);
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
      lang,
      title: t("crossSite.title"),
      message: t("crossSite.message"),
      back: { href: `${base}/account`, label: t("mySubscriptions") },
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
    if (!issued.ok) return refused(issued, { base, subscriptionPage, lang, t });
    const product = { product: issued.productName };
    return handoffPage({
      productUrl: issued.productUrl,
      token: issued.token,
      lang,
      text: {
        title: t("opening.title", product),
        status: t("opening.status", product),
        button: t("opening.button", product),
        note: t("opening.note", product),
      },
    });
  } catch (error) {
    const reference = randomUUID();
    logger.error("product hand-off failed", { subscriptionId, reference, error });
    return refusalPage({
      status: 500,
      lang,
      title: t("failed.title"),
      message: t("failed.message"),
      back: { href: `${base}${subscriptionPage}`, label: t("backToSubscription") },
      reference: t("reference", { reference }),
    });
  }
}

function refused(
  refusal: HandoffRefusal,
  page: {
    base: string;
    subscriptionPage: string;
    lang: string;
    t: Awaited<ReturnType<typeof getTranslations<"handoff">>>;
  },
) {
  const { base, subscriptionPage, lang, t } = page;
  if (refusal.reason === "not_found")
    return refusalPage({
      status: 404,
      lang,
      title: t("notFound.title"),
      message: t("notFound.message"),
      back: { href: `${base}/account`, label: t("mySubscriptions") },
    });
  const product = { product: refusal.productName };
  if (refusal.reason === "setup_pending")
    return refusalPage({
      status: 409,
      lang,
      title: t("setupPending.title"),
      message: t("setupPending.message", product),
      back: { href: `${base}${subscriptionPage}/setup`, label: t("finishSetup") },
    });
  return refusalPage({
    status: 409,
    lang,
    title: t("notActive.title", product),
    message:
      refusal.status === "Suspended" || refusal.status === "Unsubscribed"
        ? t(`notActive.${refusal.status}`, product)
        : t("notActive.other"),
    back: { href: `${base}${subscriptionPage}`, label: t("backToSubscription") },
  });
}
