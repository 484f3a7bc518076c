import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/app/components/auto-refresh";
import { changeNames, formatDay, renewalOrEndDay } from "@/app/components/format";
import { OpenProductButton } from "@/app/components/open-product-button";
import { StatusBadge } from "@/app/components/status-badge";
import { AccountConfigList } from "@/app/components/account-config-list";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { describeAccountConfig, describePlan } from "@/lib/catalog";
import { retentionEnv } from "@/lib/env";
import { canOpenProduct } from "@/lib/handoff/can-open-product";
import { productTarget } from "@/lib/handoff/product-target";
import { planSummary } from "@/lib/subscriptions/change-consequences";
import { describeSubscription } from "@/lib/subscriptions/describe-subscription";
import { describeTerm } from "@/lib/subscriptions/describe-term";
import { needsSetup } from "@/lib/subscriptions/setup-state";
import { ChangePlanForm, ChangeSeatsForm, type PlanChoice } from "./change-forms";
import { PeopleSection } from "./people";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Manage subscription" };

export default async function SubscriptionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireBuyer();
  const view = await describeSubscription({ subscriptionId: id, actor });
  if (!view) notFound();
  const { subscription, offer, planName, pending, lastFinished, plans, currentPlan, permissions } = view;
  const choices: PlanChoice[] = plans.map((plan) => ({
    planId: plan.planId,
    name: plan.displayName ?? plan.planId,
    description: plan.description ?? null,
    summary: planSummary(plan),
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
      {pending ? <AutoRefresh everyMs={2000} /> : null}
      <Link href="/account" className="text-sm text-brand-700 hover:underline">
        ← My subscriptions
      </Link>
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="sub-title">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <p className="text-sm text-slate-500" data-testid="offer">
              {offer.displayName}
            </p>
            <h1 id="sub-title" className="text-2xl font-semibold">
              {subscription.name}
            </h1>
          </div>
          <StatusBadge status={subscription.status} />
        </div>
        <dl className="mt-5 grid gap-x-6 gap-y-4 sm:grid-cols-3">
          <div>
            <dt className="text-sm text-slate-500">Plan</dt>
            <dd className="font-medium" data-testid="plan">
              {planName}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">Seats</dt>
            <dd className="font-medium" data-testid="seats">
              {perSeat && subscription.quantity ? subscription.quantity : "Flat rate"}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">Term</dt>
            <dd className="font-medium" data-testid="term">
              {describeTerm({ termUnit: subscription.termUnit, chargeDuration: subscription.termChargeDuration }).text}
            </dd>
            <dd className="text-sm text-slate-600" data-testid="term-dates">
              {formatDay(subscription.termStartDate)} – {formatDay(subscription.termEndDate)}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">{subscription.autoRenew ? "Renews on" : "Ends on"}</dt>
            <dd className="font-medium">{formatDay(renewalOrEndDay(subscription))}</dd>
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
          <p>
            <strong>Finish setting up your account.</strong> The subscription is active and billed; tell us about your
            organisation to start using it.
          </p>
          <Link
            href={`/account/subscriptions/${subscription.id}/setup`}
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            Finish setup
          </Link>
        </section>
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
          <p>
            <strong>{changeNames[pending.action] ?? pending.action} in progress</strong>
            {pending.requestedPlanId
              ? ` to ${plans.find((plan) => plan.planId === pending.requestedPlanId)?.displayName ?? describePlan(subscription.offerId, pending.requestedPlanId).displayName}`
              : ""}
            {pending.requestedQuantity ? ` to ${pending.requestedQuantity} seats` : ""}. Microsoft is processing it;
            this page updates by itself. Other changes are possible once it completes.
          </p>
        </section>
      ) : failedChange ? (
        <section
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 p-4 text-red-900"
          data-testid="failed-change"
        >
          <strong>{changeNames[failedChange.action] ?? failedChange.action} did not go through.</strong>{" "}
          {failedChange.errorMessage ?? "Microsoft could not complete it."} Nothing was changed; you can request it
          again.
        </section>
      ) : null}

      <StatusExplanation
        status={subscription.status}
        retainedUntil={subscription.dataRetainedUntil}
        purgedAt={subscription.dataPurgedAt}
      />

      {subscription.accountConfig ? (
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="account-title">
          <h2 id="account-title" className="text-lg font-semibold">
            Your account details
          </h2>
          <p className="mt-1 text-sm text-slate-600">What you told us when you set up {offer.displayName}.</p>
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
              <ReadOnly title="Change plan" reason={permissions.plan.reason} />
            ) : view.plansError ? (
              <p role="alert" className="text-sm text-red-800">
                The plans could not be loaded from Microsoft just now. Reload the page to try again.
              </p>
            ) : (
              <ChangePlanForm subscriptionId={subscription.id} plans={choices} />
            )}
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            {!permissions.quantity.allowed ? (
              <ReadOnly title="Change seats" reason={permissions.quantity.reason} />
            ) : perSeat && subscription.quantity ? (
              <ChangeSeatsForm
                subscriptionId={subscription.id}
                current={subscription.quantity}
                min={currentPlan?.minQuantity ?? 1}
                max={currentPlan?.maxQuantity ?? 1_000_000}
              />
            ) : (
              <ReadOnly
                title="Seats"
                reason="This plan has a flat price: there are no seats to change. Choose a per-user plan to pay per seat."
              />
            )}
          </section>
        </div>
      ) : null}

      {permissions.cancel.allowed && !pending ? (
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold">Cancel subscription</h2>
          <p className="mt-1 text-sm text-slate-600">
            Access ends when Microsoft confirms the cancellation. Your data is kept for{" "}
            {retentionEnv().DATA_RETENTION_DAYS} days.
          </p>
          <Link
            href={`/account/subscriptions/${subscription.id}/cancel`}
            className="mt-3 inline-block rounded-md border border-red-300 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50"
          >
            Cancel subscription…
          </Link>
        </section>
      ) : !permissions.cancel.allowed && subscription.status !== "Unsubscribed" ? (
        <p className="text-sm text-slate-600">{permissions.cancel.reason}</p>
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
}: {
  status: string;
  retainedUntil: Date | null;
  purgedAt: Date | null;
}) {
  if (status === "Suspended") {
    return (
      <p role="status" className="rounded-lg border border-orange-200 bg-orange-50 p-4 text-orange-950">
        Microsoft suspended this subscription, usually because a payment did not go through. Access is paused and your
        data is kept. Settle the payment in the Azure portal or Microsoft 365 admin center within 30 days and access
        comes back automatically.
      </p>
    );
  }
  if (status === "Unsubscribed") {
    return (
      <p role="status" className="rounded-lg border border-slate-200 bg-slate-100 p-4 text-slate-800">
        This subscription is cancelled.{" "}
        {purgedAt
          ? `Your data was deleted on ${formatDay(purgedAt)}, as promised.`
          : retainedUntil
            ? `Your data is kept until ${formatDay(retainedUntil)}, then deleted.`
            : ""}{" "}
        To use the product again, buy it again from the marketplace.
      </p>
    );
  }
  if (status === "PendingFulfillmentStart") {
    return (
      <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-amber-950">
        This subscription is waiting for activation. Open it from the marketplace (“Configure account”) to finish the
        setup.
      </p>
    );
  }
  return null;
}
