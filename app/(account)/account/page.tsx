import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { formatDay, renewalOrEndDay } from "@/app/components/format";
import { StatusBadge } from "@/app/components/status-badge";
import { requireBuyer } from "@/lib/auth/require-buyer";
import { describeOffer, describePlan } from "@/lib/catalog";
import { listOwnSubscriptions } from "@/lib/subscriptions/find-own-subscription";
import { needsSetup } from "@/lib/subscriptions/setup-state";
import { changeNameWords, seatCountWords } from "@/lib/subscriptions/subscription-words";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return { title: t("mySubscriptions") };
}

export default async function AccountPage() {
  const actor = await requireBuyer();
  const [subscriptions, t, words, format] = await Promise.all([
    listOwnSubscriptions({ actor }),
    getTranslations("account.list"),
    getTranslations(),
    getFormatter(),
  ]);
  return (
    <section aria-labelledby="subs-title" className="space-y-4">
      <h1 id="subs-title" className="text-2xl font-semibold">
        {words("common.mySubscriptions")}
      </h1>
      {subscriptions.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">
          {t("empty", { who: actor.email ?? words("account.thisAccount") })}
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
                <div className="min-w-0">
                  <Link
                    href={`/account/subscriptions/${subscription.id}`}
                    className="font-semibold break-words text-brand-700 hover:underline"
                  >
                    {subscription.name}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {[
                      describeOffer(subscription.offerId).displayName,
                      describePlan(subscription.offerId, subscription.planId).displayName,
                      subscription.quantity ? seatCountWords(words, subscription.quantity) : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </p>
                  {subscription.termEndDate && subscription.status !== "Unsubscribed" ? (
                    <p className="text-sm text-slate-500">
                      {t("term", {
                        start: formatDay(format, subscription.termStartDate),
                        end: formatDay(format, subscription.termEndDate),
                        autoRenew: subscription.autoRenew ? "yes" : "no",
                        day: formatDay(format, renewalOrEndDay(subscription)),
                      })}
                    </p>
                  ) : null}
                  {needsSetup(subscription) ? (
                    <p
                      className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
                      data-testid="finish-setup-banner"
                    >
                      {t.rich("setupBanner", {
                        link: (chunks) => (
                          <Link
                            href={`/account/subscriptions/${subscription.id}/setup`}
                            className="font-medium text-brand-700 underline"
                          >
                            {chunks}
                          </Link>
                        ),
                      })}
                    </p>
                  ) : null}
                  {subscription.operations[0] ? (
                    <p className="text-sm text-amber-800" data-testid="account-pending">
                      {t("pending", { change: changeNameWords(words, subscription.operations[0].action) })}
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
