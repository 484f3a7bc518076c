import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/app/components/auto-refresh";
import { formatDay, renewalOrEndDay } from "@/app/components/format";
import { OpenProductButton } from "@/app/components/open-product-button";
import { StatusBadge } from "@/app/components/status-badge";
import { AccountConfigList } from "@/app/components/account-config-list";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { describeAccountConfig, describePlan } from "@/lib/catalog";
import { retentionEnv } from "@/lib/env";
import { canOpenProduct } from "@/lib/handoff/can-open-product";
import { productTarget } from "@/lib/handoff/product-target";
import { planOutline } from "@/lib/subscriptions/change-consequences";
import { describeSubscription } from "@/lib/subscriptions/describe-subscription";
import { describeTerm } from "@/lib/subscriptions/describe-term";
import { needsSetup } from "@/lib/subscriptions/setup-state";
import {
  changeNameWords,
  permissionWords,
  planOutlineWords,
  seatCountWords,
  termWords,
  type Format,
} from "@/lib/subscriptions/subscription-words";
import { ChangePlanForm, ChangeSeatsForm, type PlanChoice } from "./change-forms";
import { PeopleSection } from "./people";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.detail");
  return { title: t("metaTitle") };
}

export default async function SubscriptionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireBuyer();
  const view = await describeSubscription({ subscriptionId: id, actor });
  if (!view) notFound();
  const { subscription, offer, planName, pending, lastFinished, awaitingMicrosoft, plans, currentPlan, permissions } =
    view;
  const [t, words, format] = await Promise.all([getTranslations("account.detail"), getTranslations(), getFormatter()]);
  const choices: PlanChoice[] = plans.map((plan) => ({
    planId: plan.planId,
    name: plan.displayName ?? plan.planId,
    description: plan.description ?? null,
    summary: planOutlineWords(words, format, planOutline(plan)),
    current: plan.planId === subscription.planId,
  }));
  const perSeat = currentPlan?.isPricePerSeat ?? subscription.quantity !== null;
  // A change that did not go through stays on the page for 15 minutes.
  const failedChange =
    lastFinished &&
    lastFinished.status !== "Succeeded" &&
    // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: the clock is read once
    Date.now() - lastFinished.updatedAt.getTime() < 15 * 60_000
      ? lastFinished
      : null;

  return (
    <div className="space-y-6">
      {pending ? <AutoRefresh everyMs={2000} /> : awaitingMicrosoft ? <AutoRefresh everyMs={3000} /> : null}
      <Link href="/account" className="text-sm text-brand-700 hover:underline">
        ← {words("common.mySubscriptions")}
      </Link>
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="sub-title">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-sm text-slate-500" data-testid="offer">
              {offer.displayName}
            </p>
            <h1 id="sub-title" className="text-2xl font-semibold break-words">
              {subscription.name}
            </h1>
          </div>
          <StatusBadge status={subscription.status} />
        </div>
        <dl className="mt-5 grid gap-x-6 gap-y-4 sm:grid-cols-3">
          <div>
            <dt className="text-sm text-slate-500">{t("plan")}</dt>
            <dd className="font-medium" data-testid="plan">
              {planName}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">{t("seats")}</dt>
            <dd className="font-medium" data-testid="seats">
              {perSeat && subscription.quantity ? format.number(subscription.quantity) : t("flatRate")}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">{t("term")}</dt>
            <dd className="font-medium" data-testid="term">
              {termWords(
                words,
                describeTerm({ termUnit: subscription.termUnit, chargeDuration: subscription.termChargeDuration }),
              )}
            </dd>
            <dd className="text-sm text-slate-600" data-testid="term-dates">
              {words("subscription.dayRange", {
                start: formatDay(format, subscription.termStartDate),
                end: formatDay(format, subscription.termEndDate),
              })}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">{subscription.autoRenew ? t("renewsOn") : t("endsOn")}</dt>
            <dd className="font-medium">{formatDay(format, renewalOrEndDay(subscription))}</dd>
          </div>
        </dl>
        {canOpenProduct(subscription) ? (
          <div className="mt-5 border-t border-slate-100 pt-5">
            <OpenProductButton
              subscriptionId={subscription.id}
              productName={productTarget(subscription.offerId, subscription.planId).name}
            />
          </div>
        ) : null}
      </section>

      {needsSetup(subscription) ? (
        <section
          className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950"
          data-testid="finish-setup-banner"
        >
          <p className="min-w-0">{t.rich("setupBanner", { b: (chunks) => <strong>{chunks}</strong> })}</p>
          <Link
            href={`/account/subscriptions/${subscription.id}/setup`}
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            {t("finishSetup")}
          </Link>
        </section>
      ) : null}

      {!pending && awaitingMicrosoft ? (
        <p
          role="status"
          aria-live="polite"
          className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-950"
          data-testid="awaiting-microsoft"
        >
          {t("awaitingMicrosoft")}
        </p>
      ) : null}

      {pending ? (
        <section
          role="status"
          aria-live="polite"
          className="flex items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950"
          data-testid="pending-change"
        >
          <span
            aria-hidden
            className="h-4 w-4 animate-spin rounded-full border-2 border-amber-300 border-t-amber-800"
          />
          <p className="min-w-0">
            {pending.requestedPlanId
              ? t.rich("pendingToPlan", {
                  change: changeNameWords(words, pending.action),
                  plan:
                    plans.find((plan) => plan.planId === pending.requestedPlanId)?.displayName ??
                    describePlan(subscription.offerId, pending.requestedPlanId).displayName,
                  b: (chunks) => <strong>{chunks}</strong>,
                })
              : pending.requestedQuantity
                ? t.rich("pendingToSeats", {
                    change: changeNameWords(words, pending.action),
                    seats: seatCountWords(words, pending.requestedQuantity),
                    b: (chunks) => <strong>{chunks}</strong>,
                  })
                : t.rich("pending", {
                    change: changeNameWords(words, pending.action),
                    b: (chunks) => <strong>{chunks}</strong>,
                  })}
          </p>
        </section>
      ) : failedChange ? (
        <section
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 p-4 text-red-900"
          data-testid="failed-change"
        >
          {t.rich("failed", {
            change: changeNameWords(words, failedChange.action),
            reason: failedChange.errorMessage ?? t("failedReasonUnknown"),
            b: (chunks) => <strong>{chunks}</strong>,
          })}
        </section>
      ) : null}

      <StatusExplanation
        status={subscription.status}
        retainedUntil={subscription.dataRetainedUntil}
        purgedAt={subscription.dataPurgedAt}
        t={t}
        format={format}
      />

      {subscription.accountConfig ? (
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="account-title">
          <h2 id="account-title" className="text-lg font-semibold">
            {t("accountDetails")}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t("accountDetailsHint", { offer: offer.displayName })}</p>
          <AccountConfigList
            className="mt-3"
            entries={describeAccountConfig(subscription.offerId, subscription.planId, subscription.accountConfig)}
          />
        </section>
      ) : null}

      {subscription.status === "Subscribed" && !pending ? (
        <div className="grid gap-6 md:grid-cols-2">
          <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            {!permissions.plan.allowed ? (
              <ReadOnly title={t("changePlan")} reason={permissionWords(words, permissions.plan.reason)} />
            ) : view.plansError ? (
              <p role="alert" className="text-sm text-red-800">
                {t("plansError")}
              </p>
            ) : (
              <ChangePlanForm subscriptionId={subscription.id} plans={choices} />
            )}
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            {!permissions.quantity.allowed ? (
              <ReadOnly title={t("changeSeats")} reason={permissionWords(words, permissions.quantity.reason)} />
            ) : perSeat && subscription.quantity ? (
              <ChangeSeatsForm
                subscriptionId={subscription.id}
                current={subscription.quantity}
                min={currentPlan?.minQuantity ?? 1}
                max={currentPlan?.maxQuantity ?? 1_000_000}
              />
            ) : (
              <ReadOnly title={t("seats")} reason={t("flatSeats")} />
            )}
          </section>
        </div>
      ) : null}

      {permissions.cancel.allowed && !pending ? (
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold">{t("cancelTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("cancelHint", { days: retentionEnv().DATA_RETENTION_DAYS })}</p>
          <Link
            href={`/account/subscriptions/${subscription.id}/cancel`}
            className="mt-3 inline-block rounded-md border border-red-300 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50"
          >
            {t("cancelLink")}
          </Link>
        </section>
      ) : !permissions.cancel.allowed && subscription.status !== "Unsubscribed" ? (
        <p className="text-sm text-slate-600">{permissionWords(words, permissions.cancel.reason)}</p>
      ) : null}

      <PeopleSection
        subscriptionId={subscription.id}
        access={view.access}
        cancelled={subscription.status === "Unsubscribed"}
      />
    </div>
  );
}

function ReadOnly({ title, reason }: { title: string; reason: string }) {
  return (
    <div>
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mt-1 text-sm text-slate-600">{reason}</p>
    </div>
  );
}

function StatusExplanation({
  status,
  retainedUntil,
  purgedAt,
  t,
  format,
}: {
  status: string;
  retainedUntil: Date | null;
  purgedAt: Date | null;
  t: Awaited<ReturnType<typeof getTranslations<"account.detail">>>;
  format: Format;
}) {
  if (status === "Suspended") {
    return (
      <p role="status" className="rounded-lg border border-orange-200 bg-orange-50 p-4 text-orange-950">
        {t("status.suspended")}
      </p>
    );
  }
  if (status === "Unsubscribed") {
    return (
      <p role="status" className="rounded-lg border border-slate-200 bg-slate-100 p-4 text-slate-800">
        {purgedAt
          ? t("status.cancelledPurged", { day: formatDay(format, purgedAt) })
          : retainedUntil
            ? t("status.cancelledRetained", { day: formatDay(format, retainedUntil) })
            : t("status.cancelled")}
      </p>
    );
  }
  if (status === "PendingFulfillmentStart") {
    return (
      <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-amber-950">
        {t("status.pendingActivation")}
      </p>
    );
  }
  return null;
}
