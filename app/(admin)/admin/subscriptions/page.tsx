import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { describeAge } from "@/lib/admin/describe-age";
import { listOfferPlans, listSubscriptions } from "@/lib/admin/list-subscriptions";
import { setupOverdue } from "@/lib/subscriptions/setup-state";
import {
  parseSubscriptionQuery,
  subscriptionQueryString,
  MAX_PAGE,
  PAGE_SIZE,
  SORT_KEYS,
  SUBSCRIPTION_STATUSES,
  type SubscriptionQuery,
} from "@/lib/admin/subscription-query";
import { formatMoment } from "../_components/format";
import { Pager } from "../_components/pager";
import { PreviewBadge } from "../_components/preview-badge";
import { RefusedQuery } from "../_components/refused-query";
import { describeOffer, describePlan } from "@/lib/catalog";
import { FilterSelect } from "../_components/filter-select";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.subscriptions"))("title") };
}

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export default async function SubscriptionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, tStatus, tAge, format] = await Promise.all([
    getTranslations("admin.subscriptions"),
    getTranslations("admin.status"),
    getTranslations("admin.age"),
    getFormatter(),
  ]);
  const parsed = parseSubscriptionQuery(await searchParams);
  if (!parsed.ok)
    return <RefusedQuery title={t("title")} problems={parsed.problems} clearHref="/admin/subscriptions" />;
  const { query } = parsed;
  const [result, offerPlans] = await Promise.all([listSubscriptions(query), listOfferPlans()]);
  const sortLabel = (key: SubscriptionQuery["sort"]) => t(`sort.${key}`);
  const now = new Date();
  const age = (since: Date) => {
    const { unit, count } = describeAge(since, now);
    return tAge(unit, { count });
  };
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
          {t("title")}
        </h1>
        <a
          href={`/api/admin/subscriptions/export${subscriptionQueryString(query, { page: 1 })}`}
          className="text-sm text-brand-700 underline"
          download
        >
          {result.truncated
            ? t("exportAll")
            : t("export", { count: result.total, formatted: format.number(result.total) })}
        </a>
      </div>

      <form
        method="get"
        role="search"
        className="mt-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        <label className="text-sm sm:col-span-2">
          {t("filters.search")}
          <input
            name="q"
            type="search"
            defaultValue={query.q ?? ""}
            maxLength={200}
            placeholder={t("filters.searchPlaceholder")}
            className={field}
          />
        </label>
        <FilterSelect
          label={t("filters.status")}
          name="status"
          value={query.status}
          anyLabel={t("filters.any")}
          options={SUBSCRIPTION_STATUSES.map((status) => ({ value: status, label: tStatus(status) }))}
        />
        <FilterSelect
          label={t("filters.offer")}
          name="offer"
          value={query.offer}
          anyLabel={t("filters.any")}
          options={offers.map((offer) => ({
            value: offer,
            label: `${describeOffer(offer).displayName}${describeOffer(offer).preview ? " (preview)" : ""}`,
          }))}
        />
        <FilterSelect
          label={t("filters.plan")}
          name="plan"
          value={query.plan}
          anyLabel={t("filters.any")}
          options={plans.map((plan) => ({ value: plan, label: planLabel(plan) }))}
        />
        <FilterSelect
          label={t("filters.test")}
          name="test"
          value={query.test}
          anyLabel={t("filters.testIncluded")}
          options={[
            { value: "yes", label: t("filters.testOnly") },
            { value: "no", label: t("filters.testExcluded") },
          ]}
        />
        <FilterSelect
          label={t("filters.trial")}
          name="trial"
          value={query.trial}
          anyLabel={t("filters.any")}
          options={[
            { value: "yes", label: t("filters.trialOnly") },
            { value: "no", label: t("filters.trialExcluded") },
          ]}
        />
        <FilterSelect
          label={t("filters.setup")}
          name="setup"
          value={query.setup}
          anyLabel={t("filters.any")}
          options={[
            { value: "pending", label: t("filters.setupPending") },
            { value: "complete", label: t("filters.setupComplete") },
          ]}
        />
        <FilterSelect
          label={t("filters.sort")}
          name="sort"
          value={query.sort}
          options={SORT_KEYS.map((key) => ({ value: key, label: sortLabel(key) }))}
        />
        <FilterSelect
          label={t("filters.order")}
          name="dir"
          value={query.dir}
          options={[
            { value: "desc", label: t("filters.descending") },
            { value: "asc", label: t("filters.ascending") },
          ]}
        />
        <div className="flex items-end gap-3">
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            {t("filters.submit")}
          </button>
          <Link href="/admin/subscriptions" className="text-sm text-brand-700 underline">
            {t("filters.clear")}
          </Link>
        </div>
      </form>

      <p className="mt-4 text-sm text-slate-600" role="status">
        {result.truncated
          ? t("foundMoreThan", { count: result.total - 1, formatted: format.number(result.total - 1) })
          : t("found", { count: result.total, formatted: format.number(result.total) })}
      </p>
      <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">{t("caption", { sort: sortLabel(query.sort), dir: query.dir })}</caption>
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
                    {sortLabel(key)}
                  </Link>
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                {t("columns.seats")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.beneficiary")}
              </th>
              <th
                scope="col"
                className="px-3 py-2"
                aria-sort={query.sort === "created" ? (query.dir === "asc" ? "ascending" : "descending") : undefined}
              >
                <Link href={sortHref("created")} className="hover:underline">
                  {sortLabel("created")}
                </Link>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((row) => (
              <tr key={row.id} data-testid="subscription-row">
                <td className="min-w-48 px-3 py-2">
                  <Link href={`/admin/subscriptions/${row.id}`} className="font-medium text-brand-700 hover:underline">
                    {row.name || row.id}
                  </Link>
                  <span className="block font-mono text-xs text-slate-500">{row.id}</span>
                  {row.isTest ? <span className="mr-1 text-xs text-amber-800">{t("labels.test")}</span> : null}
                  {row.isFreeTrial ? (
                    <span className="mr-1 text-xs text-emerald-800">{t("labels.freeTrial")}</span>
                  ) : null}
                  {row.activatedBy === "marketplace" ? (
                    <span className="mr-1 text-xs text-violet-800" data-testid="auto-activated">
                      {t("labels.autoActivated")}
                    </span>
                  ) : null}
                </td>
                <td className="min-w-36 px-3 py-2" data-status={row.status}>
                  {tStatus(row.status)}
                  {row.marketplaceStatus && row.marketplaceStatus !== row.status ? (
                    <span className="block text-xs text-amber-800" data-testid="marketplace-status">
                      {t("labels.microsoftStatus", { status: row.marketplaceStatus })}
                    </span>
                  ) : null}
                  {row.dataPurgedAt ? (
                    <span className="block text-xs text-slate-600" data-testid="data-purge">
                      {t("labels.dataRemoved", { day: format.dateTime(row.dataPurgedAt, "day") })}
                    </span>
                  ) : row.status === "Unsubscribed" && row.dataRetainedUntil ? (
                    <span className="block text-xs text-slate-600" data-testid="data-purge">
                      {t("labels.dataRemovedAfter", { day: format.dateTime(row.dataRetainedUntil, "day") })}
                    </span>
                  ) : null}
                  {setupOverdue(row) ? (
                    <span className="block text-xs text-amber-800" data-testid="setup-pending">
                      {t("labels.setupPendingFor", { age: age(row.activatedAt ?? row.createdAt) })}
                    </span>
                  ) : null}
                </td>
                <td className="min-w-32 px-3 py-2" title={row.offerId}>
                  {describeOffer(row.offerId).displayName}
                  {describeOffer(row.offerId).preview ? <PreviewBadge /> : null}
                </td>
                <td className="min-w-32 px-3 py-2" title={row.planId}>
                  {describePlan(row.offerId, row.planId).displayName}
                </td>
                <td className="px-3 py-2 tabular-nums">{row.quantity === null ? "—" : format.number(row.quantity)}</td>
                <td className="px-3 py-2">
                  {row.beneficiaryEmail ?? "—"}
                  <span className="block font-mono text-xs text-slate-500">{row.beneficiaryTenantId}</span>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{formatMoment(format, row.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.rows.length === 0 ? <p className="p-4 text-sm text-slate-600">{t("none")}</p> : null}
      </div>
      <Pager
        page={result.page}
        lastPage={result.lastPage}
        hrefFor={(page) => `/admin/subscriptions${subscriptionQueryString(query, { page })}`}
        note={result.truncated ? t("truncated", { limit: format.number(MAX_PAGE * PAGE_SIZE) }) : undefined}
      />
    </section>
  );
}
