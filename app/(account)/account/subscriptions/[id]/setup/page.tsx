import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { StatusBadge } from "@/app/components/status-badge";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { findAccessibleSubscription } from "@/lib/subscriptions/find-own-subscription";
import { isPartyToSubscription } from "@/lib/subscriptions/ownership";
import { AccountSetupForm } from "@/app/(buyer)/landing/account-setup-form";
import { accountFormProps } from "@/app/(buyer)/landing/account-form-props";
import { describeOffer } from "@/lib/catalog";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.setup");
  return { title: t("metaTitle") };
}

/**
 * The account setup of a subscription Microsoft already activated, for a buyer who did not finish
 * it on the landing page: the same form, saved without any call to Microsoft (docs/decisions/0008).
 */
export default async function SetupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireBuyer();
  const found = await findAccessibleSubscription({ subscriptionId: id, actor });
  if (!found) notFound();
  const { subscription } = found;
  const t = await getTranslations("account.setup");
  const back = (
    <Link href={`/account/subscriptions/${subscription.id}`} className="text-sm text-brand-700 hover:underline">
      ← {subscription.name}
    </Link>
  );
  const header = (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <p className="text-sm text-slate-500">{describeOffer(subscription.offerId).displayName}</p>
        <h1 className="text-2xl font-semibold break-words">{subscription.name}</h1>
      </div>
      <StatusBadge status={subscription.status} />
    </div>
  );

  if (subscription.setupState === "complete" || subscription.status !== "Subscribed") {
    return (
      <div className="space-y-6">
        {back}
        <section role="status" className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          {header}
          <p className="text-slate-700">
            {subscription.setupState === "complete"
              ? t("complete")
              : subscription.status === "PendingFulfillmentStart" || subscription.status === "NotStarted"
                ? t("waitsForActivation")
                : t("notActive")}
          </p>
        </section>
      </div>
    );
  }
  if (!isPartyToSubscription(actor, subscription)) {
    return (
      <div className="space-y-6">
        {back}
        <section role="status" className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          {header}
          <p className="text-slate-700">{t("notParty", { name: subscription.name })}</p>
        </section>
      </div>
    );
  }
  const form = accountFormProps(subscription, actor);
  return (
    <div className="space-y-6">
      {back}
      <section className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {header}
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {t("oneStepLeft")}
        </p>
        <AccountSetupForm mode="finish" subscriptionId={subscription.id} {...form} />
      </section>
    </div>
  );
}
