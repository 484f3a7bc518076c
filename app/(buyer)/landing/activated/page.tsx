import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AppErrorPanel } from "@/app/components/app-error-panel";
import { AutoRefresh } from "@/app/components/auto-refresh";
import { OpenProductButton } from "@/app/components/open-product-button";
import { StatusBadge } from "@/app/components/status-badge";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { AppError } from "@/lib/errors";
import { productTarget } from "@/lib/handoff/product-target";
import { findOwnSubscription } from "@/lib/subscriptions/find-own-subscription";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("landing.activated");
  return { title: t("metaTitle") };
}

export default async function ActivatedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { subscription: id } = await searchParams;
  const actor = await requireBuyer();
  const [subscription, t] = await Promise.all([
    typeof id === "string" ? findOwnSubscription({ subscriptionId: id, actor }) : null,
    getTranslations("landing.activated"),
  ]);
  if (!subscription) {
    // Unknown and not-yours read the same: the not_owner explanation, under a plainer title.
    return <AppErrorPanel error={new AppError("not_owner")} title={t("notFoundTitle")} />;
  }
  const product = productTarget(subscription.offerId, subscription.planId);
  const active = subscription.status === "Subscribed";
  // Microsoft activated it at purchase (docs/decisions/0008): what the buyer just did is the account setup.
  const setUp = active && subscription.activatedBy === "marketplace" && subscription.setupState === "complete";
  const names = { subscription: subscription.name, product: product.name };
  return (
    <section className="rounded-lg border border-emerald-200 bg-white p-8 shadow-sm" aria-labelledby="done-title">
      {active ? null : <AutoRefresh />}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="done-title" className="min-w-0 text-2xl font-semibold [word-break:auto-phrase]">
          {setUp ? t("setUpTitle") : active ? t("activeTitle") : t("finishingTitle")}
        </h1>
        <StatusBadge status={subscription.status} />
      </div>
      <p className="mt-3 text-slate-700">
        {setUp ? t("setUpBody", names) : active ? t("activeBody", names) : t("finishingBody")}
      </p>
      {active ? (
        <div className="mt-6">
          <h2 className="font-semibold">{t("nextStep")}</h2>
          <p className="mt-1 text-slate-700">{t("nextStepBody", { product: product.name })}</p>
          <div className="mt-4 flex flex-wrap gap-3">
            <OpenProductButton subscriptionId={subscription.id} productName={product.name} />
            <Link
              href="/account"
              className="rounded-md border border-slate-300 px-5 py-2.5 font-medium text-slate-700 hover:bg-slate-50"
            >
              {t("manage")}
            </Link>
          </div>
        </div>
      ) : (
        <p role="status" className="mt-4 flex items-center gap-2 text-sm text-slate-600">
          <span
            aria-hidden
            className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600"
          />
          {t("waiting")}
        </p>
      )}
    </section>
  );
}
