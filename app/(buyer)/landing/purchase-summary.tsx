import { formatDay } from "@/app/components/format";
import { StatusBadge } from "@/app/components/status-badge";
import { describeTerm } from "@/lib/subscriptions/describe-term";
import type { PurchaseView } from "@/lib/subscriptions/resolve-purchase";

export function PurchaseSummary({ view }: { view: PurchaseView }) {
  const term = describeTerm({ termUnit: view.term.unit, chargeDuration: view.term.chargeDuration }).text;
  const dates =
    view.term.start && view.term.end
      ? `${formatDay(view.term.start)} – ${formatDay(view.term.end)}`
      : "Starts when you activate";
  return (
    <section aria-labelledby="purchase-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex items-start gap-3">
          {view.offer.logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- a small logo from the catalog, any host
            <img src={view.offer.logoUrl} alt="" width={48} height={48} className="h-12 w-12 rounded-lg" />
          ) : null}
          <div>
            <p className="text-sm text-slate-500">Your purchase</p>
            <h1 id="purchase-title" className="text-2xl font-semibold" data-testid="subscription-name">
              {view.subscriptionName}
            </h1>
          </div>
        </div>
        <StatusBadge status={view.status} />
      </div>
      {view.isTest || view.isFreeTrial ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {view.isTest ? (
            <span className="rounded bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-900 ring-1 ring-violet-300">
              Test purchase
            </span>
          ) : null}
          {view.isFreeTrial ? (
            <span className="rounded bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-900 ring-1 ring-sky-300">
              Free trial
            </span>
          ) : null}
        </div>
      ) : null}
      <dl className="mt-5 grid gap-x-6 gap-y-4 sm:grid-cols-2">
        <Item label="Offer" value={view.offer.displayName} detail={view.offer.description} testId="offer" />
        <Item label="Plan" value={view.plan.name} testId="plan" detail={view.plan.description ?? undefined} />
        <Item
          label="Seats"
          value={
            view.plan.isPricePerSeat && view.quantity
              ? `${view.quantity} ${view.quantity === 1 ? "user" : "users"}`
              : "Flat rate (no per-user seats)"
          }
          testId="seats"
        />
        <Item label="Term" value={term} detail={dates} testId="term" />
        <Item
          label="Bought by (pays)"
          value={view.purchaser.email ?? "—"}
          detail={view.isCsp ? "A Microsoft partner (CSP) bought this on your behalf." : undefined}
          testId="purchaser"
        />
        <Item label="For (uses it)" value={view.beneficiary.email ?? "—"} testId="beneficiary" />
        <Item label="Subscription id" value={view.subscriptionId} testId="subscription-id" mono />
        <Item label="Renews automatically" value={view.autoRenew ? "Yes" : "No"} />
      </dl>
    </section>
  );
}

function Item({
  label,
  value,
  detail,
  testId,
  mono,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
  mono?: boolean;
}) {
  return (
    <div>
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className={`font-medium ${mono ? "break-all font-mono text-sm" : ""}`} data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="text-sm text-slate-600">{detail}</dd> : null}
    </div>
  );
}
