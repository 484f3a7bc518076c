import type { Metadata } from "next";
import Link from "next/link";
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
import { formatDate } from "../../_components/format";
import { Pager } from "../../_components/pager";
import { RefusedQuery } from "../../_components/refused-query";
import { checkUsageNowAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Usage reconciliation" };

const cell = "px-3 py-2 align-top";
const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

const outcomes: Record<string, { label: string; text: string }> = {
  rejected: { label: "Rejected by Microsoft", text: "text-red-800" },
  mismatch: { label: "Quantities differ", text: "text-red-800" },
  missing: { label: "Missing at Microsoft", text: "text-red-900" },
  pending: { label: "Waiting for Microsoft", text: "text-sky-800" },
  matched: { label: "Matched", text: "text-emerald-800" },
};
const outcomeOf = (outcome: string) => outcomes[outcome] ?? { label: outcome, text: "text-slate-700" };

const filters: Array<{ value: UsageFindingFilter; label: string }> = [
  { value: "attention", label: "Needs attention" },
  { value: "rejected", label: "Rejected" },
  { value: "mismatch", label: "Quantities differ" },
  { value: "missing", label: "Missing" },
  { value: "pending", label: "Waiting" },
  { value: "matched", label: "Matched" },
  { value: "all", label: "All" },
];

/** "2026-11-25 10:00–11:00 UTC" for an hour, "2026-11-25 (whole UTC day)" for a day. */
function periodLabel(period: string, start: Date): string {
  const iso = start.toISOString();
  if (period === "day") return `${iso.slice(0, 10)} (whole UTC day)`;
  const end = new Date(start.getTime() + 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}–${end.slice(11, 16)} UTC`;
}

export default async function UsageReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const parsed = parseAdminQuery(usageReconciliationQuerySchema, await searchParams);
  if (!parsed.ok)
    return <RefusedQuery title="Usage reconciliation" reason={parsed.reason} clearHref="/admin/usage/reconciliation" />;
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
  const current = filters.find((f) => f.value === query.outcome)?.label ?? query.outcome;

  return (
    <div className="space-y-6">
      <section aria-labelledby="recon-title" className="space-y-2">
        <p className="text-sm">
          <Link href="/admin/usage" className="text-brand-700 hover:underline">
            ← Metered usage
          </Link>
        </p>
        <h1 id="recon-title" className="text-2xl font-semibold">
          Usage reconciliation with Microsoft
        </h1>
        <p className="max-w-3xl text-sm text-slate-700">
          The portal asks Microsoft&apos;s Metering API what it recorded for the usage it was sent (the last{" "}
          {settings.reconcileDays} UTC day{settings.reconcileDays === 1 ? "" : "s"}) and compares it with what the
          portal billed, per subscription, dimension and hour — or per day, when Microsoft reports days.{" "}
          <strong>Rejected</strong> and <strong>quantities differ</strong> are Microsoft&apos;s own verdicts and show at
          once; a difference only the portal sees, or usage Microsoft does not show at all, counts{" "}
          {settings.reconcileGraceHours} hours after the hour or day ends, since Microsoft&apos;s reports lag behind.
          Rejected usage is not paid: open a support case in Partner Center with the subscription, dimension and period.
        </p>
        <p className="text-sm text-slate-700" data-testid="recon-schedule">
          {settings.reconcileIntervalMinutes > 0
            ? `Checked every ${settings.reconcileIntervalMinutes} minutes. `
            : "Not checked on a schedule (USAGE_RECONCILE_INTERVAL_MINUTES=0). "}
          {result.lastChecked ? `Last checked ${formatDate(result.lastChecked)}.` : "Not checked yet."}
          {result.queued.length > 0
            ? ` Next check: ${result.queued.map((job) => (job.status === "active" ? "running now" : formatDate(job.runAt))).join(", ")}.`
            : ""}
          {result.lastRun?.state === "failed"
            ? ` The last check failed: ${result.lastRun.error ?? "unknown error"}; it is tried again on the next run.`
            : ""}
        </p>
        <div className="max-w-md">
          <AdminActionForm
            action={checkUsageNowAction}
            label="Check with Microsoft now"
            description={`Asks Microsoft now what it recorded for the last ${settings.reconcileDays} days of usage and compares it with what the portal billed. Nothing is sent to Microsoft or changed there; each new rejection or difference is written to the audit trail once.`}
          />
        </div>
      </section>

      <section aria-labelledby="findings-title" className="space-y-3">
        <h2 id="findings-title" className="text-lg font-semibold">
          Findings
        </h2>
        <nav aria-label="Filter by outcome" className="flex flex-wrap gap-2 text-sm">
          {filters.map((filter) => (
            <Link
              key={filter.value}
              href={href({ outcome: filter.value, page: 1 })}
              aria-current={query.outcome === filter.value ? "page" : undefined}
              data-outcome-filter={filter.value}
              className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${query.outcome === filter.value ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`}
            >
              {filter.label} <span className="tabular-nums">({countOf(filter.value).toLocaleString("en")})</span>
            </Link>
          ))}
        </nav>
        <form method="get" role="search" className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <input type="hidden" name="outcome" value={query.outcome} />
          <label className="text-sm">
            Subscription id
            <input
              name="subscription"
              type="search"
              defaultValue={query.subscription ?? ""}
              maxLength={100}
              placeholder="e.g. 0f0c0000-…"
              className={field}
            />
          </label>
          <label className="text-sm">
            Dimension
            <input
              name="dimension"
              type="search"
              defaultValue={query.dimension ?? ""}
              maxLength={100}
              placeholder="e.g. reports"
              className={field}
            />
          </label>
          <div className="flex items-end gap-3">
            <button
              type="submit"
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
            >
              Filter
            </button>
            <Link href="/admin/usage/reconciliation" className="text-sm text-brand-700 underline">
              Clear
            </Link>
          </div>
        </form>

        <p className="text-sm text-slate-600" role="status">
          {result.total.toLocaleString("en")} finding{result.total === 1 ? "" : "s"}: {current.toLowerCase()}
          {query.subscription ? `, subscription ${query.subscription}` : ""}
          {query.dimension ? `, dimension ${query.dimension}` : ""}.
        </p>
        {result.rows.length === 0 ? (
          <p
            className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-emerald-800"
            data-testid="recon-none"
          >
            {query.outcome === "attention"
              ? "Nothing needs attention: Microsoft has not rejected or changed any usage the portal billed."
              : "No findings match."}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">
                Usage as the portal billed it and as Microsoft reports it, per subscription, dimension and period
              </caption>
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className={cell}>
                    Period
                  </th>
                  <th scope="col" className={cell}>
                    Subscription
                  </th>
                  <th scope="col" className={cell}>
                    Dimension
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Billed by the portal
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Microsoft received
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Microsoft processed
                  </th>
                  <th scope="col" className={cell}>
                    Outcome
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
                        <span className="font-medium">Not a subscription the portal knows</span>
                      )}
                      <div className="text-xs text-slate-600">
                        {row.offerName || row.offerId || "—"} · {row.planName || row.planId || "—"}
                      </div>
                      <div className="font-mono text-xs text-slate-500">{row.subscriptionId}</div>
                    </td>
                    <td className={cell}>{row.dimension}</td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="recon-ours">
                      {row.ourQuantity}
                      <div className="text-xs text-slate-500">
                        {row.ourHours} hour{row.ourHours === 1 ? "" : "s"}
                      </div>
                    </td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="recon-submitted">
                      {row.submittedQuantity ?? "—"}
                    </td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="recon-processed">
                      {row.processedQuantity ?? "—"}
                    </td>
                    <td className={`${cell} min-w-72`}>
                      <p className={`font-medium ${outcomeOf(row.outcome).text}`}>{outcomeOf(row.outcome).label}</p>
                      <p className="text-xs text-slate-600">
                        Microsoft&apos;s status:{" "}
                        <span className="font-mono" data-testid="recon-status">
                          {row.reconStatus ?? "no row"}
                        </span>{" "}
                        · since {formatDate(row.outcomeSince)}
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
