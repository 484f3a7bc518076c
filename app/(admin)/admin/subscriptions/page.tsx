import Link from "next/link";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { describeAge } from "@/lib/admin/describe-age";
import { listOfferPlans, listSubscriptions } from "@/lib/admin/list-subscriptions";
import { setupOverdue } from "@/lib/subscriptions/setup-state";
import {
  parseSubscriptionQuery,
  subscriptionQueryString,
  SORT_KEYS,
  SUBSCRIPTION_STATUSES,
  type SubscriptionQuery,
} from "@/lib/admin/subscription-query";
import { formatDate, statusLabels } from "../_components/format";
import { Pager } from "../_components/pager";
import { RefusedQuery } from "../_components/refused-query";
import { describeOffer, describePlan } from "@/lib/catalog";

export const metadata = { title: "Subscriptions" };

const sortLabels: Record<SubscriptionQuery["sort"], string> = {
  created: "Created",
  updated: "Updated",
  name: "Name",
  status: "Status",
  offer: "Offer",
  plan: "Plan",
};
const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export default async function SubscriptionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const parsed = parseSubscriptionQuery(await searchParams);
  if (!parsed.ok) return <RefusedQuery title="Subscriptions" reason={parsed.reason} clearHref="/admin/subscriptions" />;
  const { query } = parsed;
  const [result, offerPlans] = await Promise.all([listSubscriptions(query), listOfferPlans()]);
  const now = new Date();
  const offers = [...new Set(offerPlans.map((row) => row.offerId))];
  const plans = [
    ...new Set(offerPlans.filter((row) => !query.offer || row.offerId === query.offer).map((row) => row.planId)),
  ];
  // A plan id may be used by several offers: named by the filtered offer's catalog, else by the first that lists it.
  const planLabel = (planId: string) => {
    const offerId = query.offer ?? offerPlans.find((row) => row.planId === planId)?.offerId;
    return offerId ? describePlan(offerId, planId).displayName : planId;
  };
  const sortHref = (sort: SubscriptionQuery["sort"]) =>
    `/admin/subscriptions${subscriptionQueryString(query, { sort, dir: query.sort === sort && query.dir === "desc" ? "asc" : "desc", page: 1 })}`;

  return (
    <section aria-labelledby="subs-title">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 id="subs-title" className="text-2xl font-semibold">
          Subscriptions
        </h1>
        <a
          href={`/api/admin/subscriptions/export${subscriptionQueryString(query, { page: 1 })}`}
          className="text-sm text-brand-700 underline"
          download
        >
          Export these {result.total.toLocaleString("en")} as CSV
        </a>
      </div>

      <form
        method="get"
        role="search"
        className="mt-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        <label className="text-sm sm:col-span-2">
          Search
          <input
            name="q"
            type="search"
            defaultValue={query.q ?? ""}
            maxLength={200}
            placeholder="Subscription id or name, tenant id, email, offer, plan"
            className={field}
          />
        </label>
        <label className="text-sm">
          Status
          <select name="status" defaultValue={query.status ?? ""} className={field}>
            <option value="">Any</option>
            {SUBSCRIPTION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabels[status]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Offer
          <select name="offer" defaultValue={query.offer ?? ""} className={field}>
            <option value="">Any</option>
            {offers.map((offer) => (
              <option key={offer} value={offer}>
                {describeOffer(offer).displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Plan
          <select name="plan" defaultValue={query.plan ?? ""} className={field}>
            <option value="">Any</option>
            {plans.map((plan) => (
              <option key={plan} value={plan}>
                {planLabel(plan)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Test purchases
          <select name="test" defaultValue={query.test ?? ""} className={field}>
            <option value="">Included</option>
            <option value="yes">Only test</option>
            <option value="no">Exclude test</option>
          </select>
        </label>
        <label className="text-sm">
          Free trial
          <select name="trial" defaultValue={query.trial ?? ""} className={field}>
            <option value="">Any</option>
            <option value="yes">Only free trials</option>
            <option value="no">No free trials</option>
          </select>
        </label>
        <label className="text-sm">
          Account setup
          <select name="setup" defaultValue={query.setup ?? ""} className={field}>
            <option value="">Any</option>
            <option value="pending">Setup pending</option>
            <option value="complete">Setup complete</option>
          </select>
        </label>
        <label className="text-sm">
          Sort by
          <select name="sort" defaultValue={query.sort} className={field}>
            {SORT_KEYS.map((key) => (
              <option key={key} value={key}>
                {sortLabels[key]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Order
          <select name="dir" defaultValue={query.dir} className={field}>
            <option value="desc">Descending</option>
            <option value="asc">Ascending</option>
          </select>
        </label>
        <div className="flex items-end gap-3">
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            Search
          </button>
          <Link href="/admin/subscriptions" className="text-sm text-brand-700 underline">
            Clear
          </Link>
        </div>
      </form>

      <p className="mt-4 text-sm text-slate-600" role="status">
        {result.total.toLocaleString("en")} subscription{result.total === 1 ? "" : "s"} found.
      </p>
      <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">
            Subscriptions, sorted by {sortLabels[query.sort]} ({query.dir === "asc" ? "ascending" : "descending"})
          </caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              {(["name", "status", "offer", "plan"] as const).map((key) => (
                <th
                  key={key}
                  scope="col"
                  className="px-3 py-2"
                  aria-sort={query.sort === key ? (query.dir === "asc" ? "ascending" : "descending") : undefined}
                >
                  <Link href={sortHref(key)} className="hover:underline">
                    {sortLabels[key]}
                  </Link>
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                Seats
              </th>
              <th scope="col" className="px-3 py-2">
                Beneficiary
              </th>
              <th
                scope="col"
                className="px-3 py-2"
                aria-sort={query.sort === "created" ? (query.dir === "asc" ? "ascending" : "descending") : undefined}
              >
                <Link href={sortHref("created")} className="hover:underline">
                  Created
                </Link>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((row) => (
              <tr key={row.id} data-testid="subscription-row">
                <td className="px-3 py-2">
                  <Link href={`/admin/subscriptions/${row.id}`} className="font-medium text-brand-700 hover:underline">
                    {row.name || row.id}
                  </Link>
                  <span className="block font-mono text-xs text-slate-500">{row.id}</span>
                  {row.isTest ? <span className="mr-1 text-xs text-amber-800">test</span> : null}
                  {row.isFreeTrial ? <span className="mr-1 text-xs text-emerald-800">free trial</span> : null}
                  {row.activatedBy === "marketplace" ? (
                    <span className="mr-1 text-xs text-violet-800" data-testid="auto-activated">
                      auto-activated
                    </span>
                  ) : null}
                </td>
                <td className="px-3 py-2" data-status={row.status}>
                  {statusLabels[row.status]}
                  {row.marketplaceStatus && row.marketplaceStatus !== row.status ? (
                    <span className="block text-xs text-amber-800" data-testid="marketplace-status">
                      Microsoft: {row.marketplaceStatus}
                    </span>
                  ) : null}
                  {row.dataPurgedAt ? (
                    <span className="block text-xs text-slate-600" data-testid="data-purge">
                      personal data removed {row.dataPurgedAt.toISOString().slice(0, 10)}
                    </span>
                  ) : row.status === "Unsubscribed" && row.dataRetainedUntil ? (
                    <span className="block text-xs text-slate-600" data-testid="data-purge">
                      personal data removed after {row.dataRetainedUntil.toISOString().slice(0, 10)}
                    </span>
                  ) : null}
                  {setupOverdue(row) ? (
                    <span className="block text-xs text-amber-800" data-testid="setup-pending">
                      setup pending for {describeAge(row.activatedAt ?? row.createdAt, now)}
                    </span>
                  ) : null}
                </td>
                <td className="px-3 py-2" title={row.offerId}>
                  {describeOffer(row.offerId).displayName}
                </td>
                <td className="px-3 py-2" title={row.planId}>
                  {describePlan(row.offerId, row.planId).displayName}
                </td>
                <td className="px-3 py-2">{row.quantity ?? "—"}</td>
                <td className="px-3 py-2">
                  {row.beneficiaryEmail ?? "—"}
                  <span className="block font-mono text-xs text-slate-500">{row.beneficiaryTenantId}</span>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{formatDate(row.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.rows.length === 0 ? (
          <p className="p-4 text-sm text-slate-600">No subscription matches. Try fewer filters.</p>
        ) : null}
      </div>
      <Pager
        page={result.page}
        lastPage={result.lastPage}
        hrefFor={(page) => `/admin/subscriptions${subscriptionQueryString(query, { page })}`}
        note={
          result.truncated
            ? "Only the first 10,000 results can be paged through; narrow the search or export to CSV."
            : undefined
        }
      />
    </section>
  );
}
