import type { Metadata } from "next";
import Link from "next/link";
import { changeNames, formatDay, renewalOrEndDay } from "@/app/components/format";
import { StatusBadge } from "@/app/components/status-badge";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { describeOffer, describePlan } from "@/lib/catalog";
import { listOwnSubscriptions } from "@/lib/subscriptions/find-own-subscription";
import { needsSetup } from "@/lib/subscriptions/setup-state";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My subscriptions" };

export default async function AccountPage() {
  const actor = await requireBuyer();
  const subscriptions = await listOwnSubscriptions({ actor });
  return (
    <section aria-labelledby="subs-title" className="space-y-4">
      <h1 id="subs-title" className="text-2xl font-semibold">
        My subscriptions
      </h1>
      {subscriptions.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">
          No subscriptions yet for {actor.email ?? "this account"}. After buying in the marketplace, choose “Configure
          account” to activate it here.
        </p>
      ) : (
        <ul className="space-y-3">
          {subscriptions.map((subscription) => (
            <li
              key={subscription.id}
              className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
              data-testid="account-subscription"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <Link
                    href={`/account/subscriptions/${subscription.id}`}
                    className="font-semibold text-brand-700 hover:underline"
                  >
                    {subscription.name}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {describeOffer(subscription.offerId).displayName} ·{" "}
                    {describePlan(subscription.offerId, subscription.planId).displayName}
                    {subscription.quantity ? ` · ${subscription.quantity} seats` : ""}
                  </p>
                  {subscription.termEndDate && subscription.status !== "Unsubscribed" ? (
                    <p className="text-sm text-slate-500">
                      Term {formatDay(subscription.termStartDate)} – {formatDay(subscription.termEndDate)} ·{" "}
                      {subscription.autoRenew ? "renews" : "ends"} {formatDay(renewalOrEndDay(subscription))}
                    </p>
                  ) : null}
                  {needsSetup(subscription) ? (
                    <p
                      className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
                      data-testid="finish-setup-banner"
                    >
                      Active and billed, but your account is not set up yet.{" "}
                      <Link
                        href={`/account/subscriptions/${subscription.id}/setup`}
                        className="font-medium text-brand-700 underline"
                      >
                        Finish setup
                      </Link>
                    </p>
                  ) : null}
                  {subscription.operations[0] ? (
                    <p className="text-sm text-amber-800" data-testid="account-pending">
                      {changeNames[subscription.operations[0].action] ?? subscription.operations[0].action} in progress
                    </p>
                  ) : null}
                </div>
                <StatusBadge status={subscription.status} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
