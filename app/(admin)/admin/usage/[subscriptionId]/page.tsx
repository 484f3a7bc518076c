import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { countUsageFindings } from "@/lib/admin/list-usage-reconciliation";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getSubscriptionUsage } from "@/lib/metering/get-subscription-usage";
import { AdminActionForm } from "../../_components/action-form";
import { formatDate } from "../../_components/format";
import { retryUsageHourAction } from "../actions";
import { UsageChart } from "../usage-chart";
import { statusOf } from "../usage-status";
import { describeOffer, describePlan } from "@/lib/catalog";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Usage of a subscription" };

const ranges = [
  { hours: 24, label: "24 hours" },
  { hours: 48, label: "48 hours" },
  { hours: 168, label: "7 days" },
] as const;
const cell = "px-3 py-2";

export default async function SubscriptionUsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ subscriptionId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [{ subscriptionId }, query] = await Promise.all([params, searchParams]);
  const hours = ranges.find((range) => String(range.hours) === query.hours)?.hours ?? 48;
  const usage = await getSubscriptionUsage({ subscriptionId, hours });
  if (!usage) notFound();
  const { subscription } = usage;
  const findings = await countUsageFindings({ subscriptionId: subscription.id });
  return (
    <div className="space-y-6">
      <section aria-labelledby="sub-usage-title" className="space-y-1">
        <p className="text-sm">
          <Link href="/admin/usage" className="text-brand-700 hover:underline">
            ← All usage
          </Link>{" "}
          ·{" "}
          <Link href={`/admin/subscriptions/${subscription.id}`} className="text-brand-700 hover:underline">
            Subscription details
          </Link>{" "}
          ·{" "}
          <Link
            href={`/admin/usage/reconciliation?outcome=all&subscription=${subscription.id}`}
            className="text-brand-700 hover:underline"
          >
            What Microsoft recorded (reconciliation)
          </Link>
        </p>
        <h1 id="sub-usage-title" className="text-2xl font-semibold">
          Usage of {subscription.name}
        </h1>
        <p className="text-sm text-slate-700">
          <span className="font-mono text-xs">{subscription.id}</span> ·{" "}
          {describeOffer(subscription.offerId).displayName} · plan{" "}
          {describePlan(subscription.offerId, subscription.planId).displayName} · {subscription.status}
          {subscription.beneficiaryEmail ? ` · ${subscription.beneficiaryEmail}` : ""}
        </p>
        <nav aria-label="Period" className="flex gap-2 pt-2 text-sm">
          {ranges.map((range) => (
            <Link
              key={range.hours}
              href={`/admin/usage/${subscription.id}?hours=${range.hours}`}
              aria-current={range.hours === hours ? "page" : undefined}
              className={`rounded-md px-3 py-1 ${range.hours === hours ? "bg-brand-600 text-white" : "text-brand-700 hover:bg-brand-50"}`}
            >
              {range.label}
            </Link>
          ))}
        </nav>
      </section>

      {findings > 0 ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="usage-findings">
          Microsoft&apos;s usage report differs from what the portal billed for this subscription ({findings} finding
          {findings === 1 ? "" : "s"} in the last 7 days: rejected, processed differently or missing).{" "}
          <Link href={`/admin/usage/reconciliation?subscription=${subscription.id}`} className="font-medium underline">
            See what Microsoft reports
          </Link>
        </p>
      ) : null}
      {usage.dimensions.length === 0 ? (
        <p className="text-sm text-slate-600">
          No usage reported for this subscription, and its plan has no metering dimensions the portal knows of.
        </p>
      ) : null}
      {usage.dimensions.map((dimension) => {
        const reported = dimension.points.filter((point) => point.status !== "none");
        return (
          <section key={dimension.id} aria-labelledby={`dim-${dimension.id}`} className="space-y-3">
            <h2 id={`dim-${dimension.id}`} className="text-lg font-semibold">
              {dimension.displayName ?? dimension.id}{" "}
              <span className="text-sm font-normal text-slate-600">
                ({dimension.id}
                {dimension.unitOfMeasure ? `, per ${dimension.unitOfMeasure}` : ""})
              </span>
            </h2>
            <UsageChart title={dimension.id} unit={dimension.unitOfMeasure} points={dimension.points} />
            {reported.length === 0 ? (
              <p className="text-sm text-slate-600">No usage in this period.</p>
            ) : (
              <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                <table className="min-w-full text-left text-sm">
                  <caption className="sr-only">Hours with usage of {dimension.id}, newest first</caption>
                  <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                    <tr>
                      <th scope="col" className={cell}>
                        Hour (UTC)
                      </th>
                      <th scope="col" className={`${cell} text-right`}>
                        Quantity
                      </th>
                      <th scope="col" className={cell}>
                        Status
                      </th>
                      <th scope="col" className={cell}>
                        Microsoft
                      </th>
                      <th scope="col" className={cell}>
                        Attempts
                      </th>
                      <th scope="col" className={cell}>
                        Why / next
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {[...reported].reverse().map((point) => (
                      <tr
                        key={point.hourStart.toISOString()}
                        data-testid="usage-hour"
                        data-hour={point.hourStart.toISOString()}
                        data-status={point.status}
                        className="align-top"
                      >
                        <td className={cell}>{formatDate(point.hourStart)}</td>
                        <td className={`${cell} text-right tabular-nums`}>
                          {point.quantity}
                          <div className="text-xs text-slate-500">
                            {point.records} record{point.records === 1 ? "" : "s"}
                          </div>
                        </td>
                        <td className={`${cell} ${statusOf(point.status).text}`}>{statusOf(point.status).label}</td>
                        <td className={`${cell} text-xs`}>
                          {point.usageEventId ? (
                            <div>
                              event{" "}
                              <span className="font-mono" data-testid="usage-event-id">
                                {point.usageEventId}
                              </span>
                            </div>
                          ) : null}
                          {point.billedQuantity !== null ? (
                            <div className={point.quantityMismatch ? "text-red-800" : undefined}>
                              billed {point.billedQuantity}
                            </div>
                          ) : null}
                          {point.lastStatus ? (
                            <div className="text-slate-600">
                              {point.lastStatus}
                              {point.resolvedAt
                                ? ` at ${formatDate(point.resolvedAt)}`
                                : point.submittedAt
                                  ? `, sent ${formatDate(point.submittedAt)}`
                                  : ""}
                            </div>
                          ) : null}
                        </td>
                        <td className={`${cell} tabular-nums`}>{point.attempts}</td>
                        <td className={`${cell} max-w-md text-xs text-slate-700`}>
                          {point.reason ?? (point.status === "open" ? "Sent after the hour closes." : "")}
                          {point.nextAttemptAt && ["pending", "held"].includes(point.status) ? (
                            <div>Next attempt {formatDate(point.nextAttemptAt)}</div>
                          ) : null}
                          {point.retryable && point.hourId ? (
                            <div className="mt-2">
                              <AdminActionForm
                                action={retryUsageHourAction.bind(null, point.hourId)}
                                label="Send this hour again"
                                description="Queues this hour for another attempt now (its quantity stays as it was sent)."
                              />
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
