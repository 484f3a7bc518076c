import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import {
  listUsageReconciliation,
  usageReconciliationQuerySchema,
  type UsageFindingFilter,
  type UsageReconciliationQuery,
} from "@/lib/admin/list-usage-reconciliation";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { meteringSettings } from "@/lib/metering/metering-settings";
import { AdminActionForm } from "../../_components/action-form";
import { formatMoment, joinSentences } from "../../_components/format";
import { Pager } from "../../_components/pager";
import { RefusedQuery } from "../../_components/refused-query";
import { formatQuantity } from "../usage-status";
import { checkUsageNowAction } from "./actions";

export const dynamic = "force-dynamic";
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminUsage.reconciliation"))("metaTitle") };
}

const cell = "px-3 py-2 align-top";
const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

const outcomeColours: Record<string, string> = {
  rejected: "text-red-800",
  mismatch: "text-red-800",
  missing: "text-red-900",
  pending: "text-sky-800",
  matched: "text-emerald-800",
};

const filters: UsageFindingFilter[] = ["attention", "rejected", "mismatch", "missing", "pending", "matched", "all"];
const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;
export default async function UsageReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, format, locale] = await Promise.all([
    getTranslations("adminUsage.reconciliation"),
    getFormatter(),
    getLocale(),
  ]);
  const parsed = parseAdminQuery(usageReconciliationQuerySchema, await searchParams);
  if (!parsed.ok)
    return <RefusedQuery title={t("title")} problems={parsed.problems} clearHref="/admin/usage/reconciliation" />;
  const outcomeLabel = (outcome: string) =>
    t.has(`outcomes.${outcome}` as "outcomes.matched") ? t(`outcomes.${outcome}` as "outcomes.matched") : outcome;
  // An hour in the operator's time zone ("25 Nov 2026, 19:00–20:00"); a day is Microsoft's UTC day.
  const periodLabel = (period: string, start: Date) =>
    period === "day"
      ? t("wholeDay", { day: format.dateTime(start, "day") })
      : format.dateTimeRange(start, new Date(start.getTime() + 3_600_000), {
          year: "numeric",
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
        });
  const { query } = parsed;
  const [result, settings] = [await listUsageReconciliation(query), meteringSettings()];
  const href = (overrides: Partial<UsageReconciliationQuery>) => {
    const params = new URLSearchParams();
    const merged = { ...query, ...overrides };
    if (merged.outcome !== "attention") params.set("outcome", merged.outcome);
    if (merged.subscription) params.set("subscription", merged.subscription);
    if (merged.dimension) params.set("dimension", merged.dimension);
    if (merged.page > 1) params.set("page", String(merged.page));
    return `/admin/usage/reconciliation${params.size ? `?${params}` : ""}`;
  };
  const countOf = (filter: UsageFindingFilter) =>
    filter === "all"
      ? Object.values(result.counts).reduce((sum, n) => sum + (n ?? 0), 0)
      : filter === "attention"
        ? (result.counts.rejected ?? 0) + (result.counts.mismatch ?? 0) + (result.counts.missing ?? 0)
        : (result.counts[filter] ?? 0);

  return (
    <div className="space-y-6">
      <section aria-labelledby="recon-title" className="space-y-2">
        <p className="text-sm">
          <Link href="/admin/usage" className="text-brand-700 hover:underline">
            {t("back")}
          </Link>
        </p>
        <h1 id="recon-title" className="text-2xl font-semibold break-keep">
          {t("title")}
        </h1>
        <p className="max-w-3xl text-sm text-slate-700">
          {t.rich("intro", { days: settings.reconcileDays, graceHours: settings.reconcileGraceHours, strong })}
        </p>
        <p className="text-sm text-slate-700" data-testid="recon-schedule">
          {joinSentences(locale, [
            settings.reconcileIntervalMinutes > 0
              ? t("schedule.every", { minutes: settings.reconcileIntervalMinutes })
              : t("schedule.off"),
            result.lastChecked
              ? t("schedule.lastChecked", { at: formatMoment(format, result.lastChecked) })
              : t("schedule.notYet"),
            result.queued.length > 0
              ? t("schedule.next", {
                  runs: format.list(
                    result.queued.map((job) =>
                      job.status === "active" ? t("schedule.runningNow") : formatMoment(format, job.runAt),
                    ),
                  ),
                })
              : "",
            result.lastRun?.state === "failed"
              ? t("schedule.lastFailed", { error: result.lastRun.error ?? t("schedule.unknownError") })
              : "",
          ])}
        </p>
        <div className="max-w-md">
          <AdminActionForm
            action={checkUsageNowAction}
            label={t("checkNow.label")}
            description={t("checkNow.description", { days: settings.reconcileDays })}
          />
        </div>
      </section>

      <section aria-labelledby="findings-title" className="space-y-3">
        <h2 id="findings-title" className="text-lg font-semibold">
          {t("findings")}
        </h2>
        <nav aria-label={t("filterLabel")} className="flex flex-wrap gap-2 text-sm">
          {filters.map((filter) => (
            <Link
              key={filter}
              href={href({ outcome: filter, page: 1 })}
              aria-current={query.outcome === filter ? "page" : undefined}
              data-outcome-filter={filter}
              className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${query.outcome === filter ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`}
            >
              {t(`filters.${filter}`)} <span className="tabular-nums">({format.number(countOf(filter))})</span>
            </Link>
          ))}
        </nav>
        <form method="get" role="search" className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <input type="hidden" name="outcome" value={query.outcome} />
          <label className="text-sm">
            {t("form.subscription")}
            <input
              name="subscription"
              type="search"
              defaultValue={query.subscription ?? ""}
              maxLength={100}
              placeholder={t("form.subscriptionPlaceholder")}
              className={field}
            />
          </label>
          <label className="text-sm">
            {t("form.dimension")}
            <input
              name="dimension"
              type="search"
              defaultValue={query.dimension ?? ""}
              maxLength={100}
              placeholder={t("form.dimensionPlaceholder")}
              className={field}
            />
          </label>
          <div className="flex items-end gap-3">
            <button
              type="submit"
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
            >
              {t("form.filter")}
            </button>
            <Link href="/admin/usage/reconciliation" className="text-sm text-brand-700 underline">
              {t("form.clear")}
            </Link>
          </div>
        </form>

        <p className="text-sm text-slate-600" role="status">
          {t("count", {
            count: result.total,
            formatted: format.number(result.total),
            what: format.list(
              [
                t(`filterNames.${query.outcome}`),
                query.subscription ? t("subscriptionIs", { id: query.subscription }) : "",
                query.dimension ? t("dimensionIs", { dimension: query.dimension }) : "",
              ].filter(Boolean),
              { type: "conjunction", style: "narrow" },
            ),
          })}
        </p>
        {result.rows.length === 0 ? (
          <p
            className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-emerald-800"
            data-testid="recon-none"
          >
            {query.outcome === "attention" ? t("noneAttention") : t("noneMatch")}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t("caption")}</caption>
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className={cell}>
                    {t("columns.period")}
                  </th>
                  <th scope="col" className={cell}>
                    {t("columns.subscription")}
                  </th>
                  <th scope="col" className={cell}>
                    {t("columns.dimension")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.ours")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.submitted")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.processed")}
                  </th>
                  <th scope="col" className={cell}>
                    {t("columns.outcome")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((row) => (
                  <tr
                    key={row.id}
                    data-testid="recon-row"
                    data-subscription={row.subscriptionId}
                    data-dimension={row.dimension}
                    data-period={row.period}
                    data-period-start={row.periodStart.toISOString()}
                    data-outcome={row.outcome}
                  >
                    <td className={`${cell} whitespace-nowrap`}>{periodLabel(row.period, row.periodStart)}</td>
                    <td className={cell}>
                      {row.known ? (
                        <Link
                          href={`/admin/usage/${row.subscriptionId}`}
                          className="font-medium text-brand-700 hover:underline"
                        >
                          {row.subscriptionName ?? row.subscriptionId}
                        </Link>
                      ) : (
                        <span className="font-medium">{t("unknownSubscription")}</span>
                      )}
                      <div className="text-xs text-slate-600">
                        {row.offerName || row.offerId || "—"} · {row.planName || row.planId || "—"}
                      </div>
                      <div className="font-mono text-xs text-slate-500">{row.subscriptionId}</div>
                    </td>
                    <td className={cell}>{row.dimension}</td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="recon-ours">
                      {formatQuantity(format, row.ourQuantity)}
                      <div className="text-xs text-slate-500">{t("hours", { count: row.ourHours })}</div>
                    </td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="recon-submitted">
                      {row.submittedQuantity === null ? "—" : formatQuantity(format, row.submittedQuantity)}
                    </td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="recon-processed">
                      {row.processedQuantity === null ? "—" : formatQuantity(format, row.processedQuantity)}
                    </td>
                    <td className={`${cell} min-w-72`}>
                      <p className={`font-medium ${outcomeColours[row.outcome] ?? "text-slate-700"}`}>
                        {outcomeLabel(row.outcome)}
                      </p>
                      <p className="text-xs text-slate-600">
                        {t.rich("microsoftStatus", {
                          status: row.reconStatus ?? t("noRow"),
                          since: formatMoment(format, row.outcomeSince),
                          code: (chunks) => (
                            <span className="font-mono" data-testid="recon-status">
                              {chunks}
                            </span>
                          ),
                        })}
                      </p>
                      {row.reason ? <p className="mt-1 text-xs text-slate-700">{row.reason}</p> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={result.page} lastPage={result.lastPage} hrefFor={(page) => href({ page })} />
      </section>
    </div>
  );
}
