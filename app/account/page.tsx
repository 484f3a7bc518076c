import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { StatusBadge } from "@/app/components/status-badge";
import { currentUser } from "@/lib/auth/current-user";
import { listOwnSubscriptions } from "@/lib/subscriptions/find-own-subscription";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My subscriptions" };

const day = (value: Date | null) => (value ? value.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }) : "—");
const pendingNames: Record<string, string> = { ChangePlan: "Plan change", ChangeQuantity: "Seat change", Unsubscribe: "Cancellation", Reinstate: "Reinstatement" };

export default async function AccountPage() {
  const actor = await currentUser();
  if (!actor) redirect("/signin?callbackUrl=/account");
  const subscriptions = await listOwnSubscriptions({ actor });
  return (
    <section aria-labelledby="subs-title" className="space-y-4">
      <h1 id="subs-title" className="text-2xl font-semibold">My subscriptions</h1>
      {subscriptions.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">No subscriptions yet for {actor.email ?? "this account"}. After buying in the marketplace, choose “Configure account” to activate it here.</p>
      ) : (
        <ul className="space-y-3">
          {subscriptions.map((subscription) => (
            <li key={subscription.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="account-subscription">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <Link href={`/account/subscriptions/${subscription.id}`} className="font-semibold text-brand-700 hover:underline">{subscription.name}</Link>
                  <p className="text-sm text-slate-600">{subscription.offerId} · {subscription.planId}{subscription.quantity ? ` · ${subscription.quantity} seats` : ""}</p>
                  {subscription.termEndDate && subscription.status !== "Unsubscribed" ? (
                    <p className="text-sm text-slate-500">Term {day(subscription.termStartDate)} – {day(subscription.termEndDate)} · {subscription.autoRenew ? "renews" : "ends"} {day(new Date(subscription.termEndDate.getTime() + (subscription.autoRenew ? 86_400_000 : 0)))}</p>
                  ) : null}
                  {subscription.operations[0] ? (
                    <p className="text-sm text-amber-800" data-testid="account-pending">{pendingNames[subscription.operations[0].action] ?? subscription.operations[0].action} in progress</p>
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
