import type { Metadata } from "next";
import Link from "next/link";
import { countUsageFindings } from "@/lib/admin/list-usage-reconciliation";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getUsageOverview } from "@/lib/metering/get-usage-overview";
import { AdminActionForm } from "../_components/action-form";
import { formatDate } from "../_components/format";
import { retryUsageHourAction, submitUsageNowAction } from "./actions";
import { statusOf } from "./usage-status";
import { describeOffer, describePlan } from "@/lib/catalog";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Usage" };

const cell = "px-3 py-2";

export default async function UsagePage() {
  await requirePublisherAdmin();
  const overview = await getUsageOverview();
  const findings = await countUsageFindings({ since: overview.since });
  return (
    <div className="space-y-6">
      <section aria-labelledby="usage-title" className="space-y-2">
        <h1 id="usage-title" className="text-2xl font-semibold">
          Metered usage
        </h1>
        <p className="text-sm text-slate-700">
          The product reports usage through <code>POST /api/usage</code> (see{" "}
          <Link href="/admin/api-keys" className="text-brand-700 hover:underline">
            API keys
          </Link>
          ). Each closed UTC hour is sent to Microsoft&apos;s Metering API as one event per subscription and dimension;
          Microsoft bills an hour once and only within 24 hours.
        </p>
        <p className="text-sm text-slate-700" data-testid="usage-schedule">
          {overview.queued.length > 0
            ? `Next submission: ${overview.queued.map((job) => `${job.status === "active" ? "running now" : formatDate(job.runAt)} (${job.trigger})`).join(", ")}.`
            : "No submission is queued."}
          {overview.lastRun
            ? ` Last run ended ${formatDate(overview.lastRun.completedOn)}${overview.lastRun.state === "failed" ? ` and failed: ${overview.lastRun.error ?? "unknown error"}` : ""}.`
            : ""}
        </p>
        <p className="text-sm text-slate-700" data-testid="usage-reconciliation-link">
          What Microsoft recorded of the usage sent, hour by hour:{" "}
          <Link href="/admin/usage/reconciliation" className="font-medium text-brand-700 hover:underline">
            usage reconciliation
          </Link>
          .
        </p>
        <div className="max-w-md">
          <AdminActionForm
            action={submitUsageNowAction}
            label="Submit closed hours now"
            description="Sends every closed hour that is not billed yet, now: without the usual few minutes' wait after the hour and without waiting for retry backoff."
          />
        </div>
      </section>

      <section aria-labelledby="attention-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="attention-title" className="text-lg font-semibold">
          Needs attention
        </h2>
        {findings > 0 ? (
          <p className="mt-2 text-sm" data-testid="usage-attention-reconciliation">
            <Link href="/admin/usage/reconciliation" className="font-medium text-red-800 hover:underline">
              {findings} finding{findings === 1 ? "" : "s"} in Microsoft&apos;s usage report
            </Link>
            : usage Microsoft rejected, processed differently or does not show.
          </p>
        ) : null}
        {overview.attention.length === 0 ? (
          <p className="mt-2 text-sm text-emerald-800" data-testid="usage-attention-none">
            {findings > 0
              ? "No hour failed to send, expired or is about to expire."
              : "Nothing: no usage was lost, refused or is about to expire."}
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="usage-attention">
            {overview.attention.map((hour) => (
              <li key={hour.id} className="space-y-1 py-2" data-status={hour.status}>
                <p>
                  <span className={`font-medium ${statusOf(hour.status).text}`}>
                    {hour.quantityMismatch ? "Billed quantity differs" : statusOf(hour.status).label}
                  </span>
                  {" — "}
                  <Link href={`/admin/usage/${hour.subscriptionId}`} className="text-brand-700 hover:underline">
                    {hour.subscriptionName ?? hour.subscriptionId}
                  </Link>
                  {`, ${hour.dimension}, hour of ${formatDate(hour.hourStart)}: ${hour.quantity}`}
                  {hour.billedQuantity && hour.quantityMismatch ? ` (Microsoft billed ${hour.billedQuantity})` : ""}
                  {["pending", "submitting", "held"].includes(hour.status)
                    ? `; billable until ${formatDate(hour.billableUntil)}`
                    : ""}
                </p>
                {hour.reason ? <p className="text-slate-600">{hour.reason}</p> : null}
                {hour.retryable ? (
                  <div className="max-w-md">
                    <AdminActionForm
                      action={retryUsageHourAction.bind(null, hour.id)}
                      label="Send this hour again"
                      description="Queues this hour for another attempt now (its quantity stays as it was sent)."
                    />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="status-title">
        <h2 id="status-title" className="text-lg font-semibold">
          Subscription-hours by status{" "}
          <span className="text-sm font-normal text-slate-600">(since {formatDate(overview.since)})</span>
        </h2>
        <ul className="mt-2 flex flex-wrap gap-3 text-sm">
          {overview.byStatus.length === 0 ? <li className="text-slate-600">No usage in this period.</li> : null}
          {overview.byStatus.map((group) => (
            <li
              key={group.status}
              className="rounded-md border border-slate-200 bg-white px-3 py-2"
              data-usage-status={group.status}
            >
              <span className={statusOf(group.status).text}>{statusOf(group.status).label}</span>:{" "}
              <strong className="tabular-nums">{group.hours}</strong> hour{group.hours === 1 ? "" : "s"}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="per-sub-title">
        <h2 id="per-sub-title" className="text-lg font-semibold">
          Usage per subscription and dimension
        </h2>
        {overview.rows.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No usage reported yet.</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className={cell}>
                    Subscription
                  </th>
                  <th scope="col" className={cell}>
                    Plan
                  </th>
                  <th scope="col" className={cell}>
                    Dimension
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Reported
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Billed
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Waiting
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Lost
                  </th>
                  <th scope="col" className={cell}>
                    Last hour
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {overview.rows.map((row) => (
                  <tr
                    key={`${row.subscriptionId}|${row.dimension}`}
                    data-testid="usage-row"
                    data-subscription={row.subscriptionId}
                    data-dimension={row.dimension}
                  >
                    <td className={cell}>
                      <Link href={`/admin/usage/${row.subscriptionId}`} className="text-brand-700 hover:underline">
                        {row.subscriptionName ?? row.subscriptionId}
                      </Link>
                      <div className="font-mono text-xs text-slate-500">{row.subscriptionId}</div>
                    </td>
                    <td className={cell}>
                      {row.offerId ? describeOffer(row.offerId).displayName : "—"} ·{" "}
                      {row.offerId && row.planId
                        ? describePlan(row.offerId, row.planId).displayName
                        : (row.planId ?? "—")}
                    </td>
                    <td className={cell}>{row.dimension}</td>
                    <td className={`${cell} text-right tabular-nums`}>{row.reported}</td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="usage-billed">
                      {row.billed}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>{row.waiting}</td>
                    <td className={`${cell} text-right tabular-nums ${row.lost !== "0" ? "text-red-800" : ""}`}>
                      {row.lost}
                    </td>
                    <td className={cell}>{formatDate(row.lastHour)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
