import type { Metadata } from "next";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { getTranslations } from "next-intl/server";
import { AppErrorPanel } from "@/app/components/app-error-panel";
import { SubmitButton } from "@/app/components/buttons";
import { OpenProductButton } from "@/app/components/open-product-button";
import { currentUser, type Actor } from "@/lib/auth/current-user";
import { portalEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { productTarget } from "@/lib/handoff/product-target";
import { logger } from "@/lib/logger";
import { normalizePurchaseToken } from "@/lib/subscriptions/purchase-token";
import { resolvePurchase, type PurchaseView } from "@/lib/subscriptions/resolve-purchase";
import { accountFormProps } from "./account-form-props";
import { AccountSetupForm } from "./account-setup-form";
import { signInForLanding, signOutOfLanding } from "./actions";
import { PurchaseEnded } from "./purchase-ended";
import { PurchaseSummary } from "./purchase-summary";
import { TenantSignInOffer } from "./tenant-sign-in-offer";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("landing");
  return { title: t("metaTitle"), referrer: "same-origin" };
}

/**
 * The landing page registered in Partner Center: Microsoft sends buyers here with ?token=.
 * Sign in (token kept across the round trip) → resolve server-side → configure → activate.
 */
export default async function LandingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const parsed = normalizePurchaseToken(params.token);
  if (!parsed.ok)
    return <AppErrorPanel error={new AppError(parsed.reason === "missing" ? "token_missing" : "token_invalid")} />;
  const token = parsed.token;
  const actor = await currentUser();
  if (!actor) return <SignInPrompt token={token} chooseAccount={params.account === "choose"} />;

  let view: PurchaseView;
  try {
    view = await resolvePurchase({ token, actor });
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) logger.error("landing page failed", { error });
    const tenantHints = appError.code === "not_owner" ? (appError.tenantHints ?? []) : [];
    const t = await getTranslations("landing");
    // With a sign-in to offer, the panel states the fact and leaves the way forward to the offer.
    const message =
      tenantHints.length > 0
        ? t("notOwnerSignedInAs", { account: actor.email ?? actor.name ?? t("anotherAccount") })
        : undefined;
    return (
      <div className="space-y-6">
        <AppErrorPanel error={appError} message={message}>
          {appError.code === "marketplace_unavailable" ? (
            <a href="" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
              {t("tryAgain")}
            </a>
          ) : null}
          {appError.code === "not_owner" ? <SwitchAccount token={token} /> : null}
        </AppErrorPanel>
        {tenantHints.length > 0 ? <TenantSignInOffer token={token} actor={actor} hints={tenantHints} /> : null}
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <SignedInAs actor={actor} token={token} />
      <PurchaseSummary view={view} />
      <NextStep view={view} actor={actor} />
    </div>
  );
}

function NextStep({ view, actor }: { view: PurchaseView; actor: Actor }) {
  const t = useTranslations("landing");
  // The offer's product (catalog), else the portal's PRODUCT_NAME.
  const PRODUCT_NAME = view.offer.known ? view.offer.displayName : portalEnv().PRODUCT_NAME;
  switch (view.status) {
    case "PendingFulfillmentStart":
    case "NotStarted": {
      const form = accountFormProps(
        { offerId: view.offerId, planId: view.plan.id, accountConfig: view.accountConfig },
        actor,
      );
      return (
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          {view.activationRequestedAt ? (
            <p role="status" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
              {t("activationUnconfirmed")}
            </p>
          ) : null}
          <AccountSetupForm subscriptionId={view.subscriptionId} {...form} />
        </section>
      );
    }
    case "Subscribed": {
      if (view.setupState === "pending") {
        // Microsoft already activated it (an auto-activated plan, or the publisher did): the buyer
        // sets up the account of a live, billed subscription. No Activate (docs/decisions/0008).
        const form = accountFormProps(
          { offerId: view.offerId, planId: view.plan.id, accountConfig: view.accountConfig },
          actor,
        );
        return (
          <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
              {t("finishSetupIntro")}
            </p>
            <AccountSetupForm mode="finish" subscriptionId={view.subscriptionId} {...form} />
          </section>
        );
      }
      const setUpHere = view.activatedBy === "marketplace";
      return (
        <section className="rounded-lg border border-emerald-200 bg-white p-6 shadow-sm" aria-labelledby="active-title">
          <h2 id="active-title" className="text-lg font-semibold">
            {setUpHere ? t("active.setUpTitle") : t("active.alreadyActiveTitle")}
          </h2>
          <p className="mt-1 text-slate-700">{t("active.body", { product: PRODUCT_NAME })}</p>
          <div className="mt-4 flex flex-wrap gap-3">
            <OpenProductButton
              subscriptionId={view.subscriptionId}
              productName={productTarget(view.offerId, view.plan.id).name}
              className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
            />
            <Link
              href="/account"
              className="rounded-md border border-slate-300 px-4 py-2 font-medium text-slate-700 hover:bg-slate-50"
            >
              {t("active.manage")}
            </Link>
          </div>
        </section>
      );
    }
    case "Suspended":
      return (
        <section role="status" className="rounded-lg border border-orange-200 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold">{t("suspended.title")}</h2>
          <p className="mt-1 text-slate-700">{t("suspended.body")}</p>
        </section>
      );
    case "Unsubscribed":
      return <PurchaseEnded view={view} product={PRODUCT_NAME} />;
  }
}

function SignInPrompt({ token, chooseAccount }: { token: string; chooseAccount: boolean }) {
  const t = useTranslations("landing.signIn");
  return (
    <section
      className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm"
      aria-labelledby="signin-title"
    >
      <h1 id="signin-title" className="text-2xl font-semibold [word-break:auto-phrase]">
        {t("title")}
      </h1>
      <p className="mt-3 text-slate-700">{t("intro")}</p>
      <form action={signInForLanding} className="mt-6">
        <input type="hidden" name="token" value={token} />
        {chooseAccount ? <input type="hidden" name="chooseAccount" value="1" /> : null}
        <SubmitButton pendingText={t("pending")}>{t("button")}</SubmitButton>
      </form>
      <p className="mt-4 text-xs text-slate-500">{t("privacy")}</p>
    </section>
  );
}

function SignedInAs({ actor, token }: { actor: Actor; token: string }) {
  const t = useTranslations("landing");
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p className="min-w-0 break-words">
        {t.rich("signedInAs", {
          account: actor.email ?? actor.name ?? actor.oid,
          who: (chunks) => (
            <span className="font-medium text-slate-900" data-testid="signed-in-as">
              {chunks}
            </span>
          ),
        })}
      </p>
      <SwitchAccount token={token} />
    </div>
  );
}

function SwitchAccount({ token }: { token: string }) {
  const t = useTranslations("landing");
  return (
    <form action={signOutOfLanding}>
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
      >
        {t("useDifferentAccount")}
      </button>
    </form>
  );
}
