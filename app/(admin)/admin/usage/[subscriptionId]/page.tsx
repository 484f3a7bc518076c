import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { countUsageFindings } from "@/lib/admin/list-usage-reconciliation";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getSubscriptionUsage } from "@/lib/metering/get-subscription-usage";
import { AdminActionForm } from "../../_components/action-form";
import { formatMoment } from "../../_components/format";
import { retryUsageHourAction } from "../actions";
import { UsageChart } from "../usage-chart";
import { formatQuantity, statusOf, usageStatusLabel } from "../usage-status";
import { describeOffer, describePlan } from "@/lib/catalog";

export const dynamic = "force-dynamic";
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminUsage.subscription"))("metaTitle") };
}

const ranges = [
  { hours: 24, unit: "hours", count: 24 },
  { hours: 48, unit: "hours", count: 48 },
  { hours: 168, unit: "days", count: 7 },
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
  const [t, tUsage, tStatus, format] = await Promise.all([
    getTranslations("adminUsage.subscription"),
    getTranslations("adminUsage"),
    getTranslations("admin.status"),
    getFormatter(),
  ]);
  return (
    <div className="space-y-6">
      <section aria-labelledby="sub-usage-title" className="space-y-1">
        <p className="text-sm">
          <Link href="/admin/usage" className="text-brand-700 hover:underline">
            {t("back")}
          </Link>{" "}
          ·{" "}
          <Link href={`/admin/subscriptions/${subscription.id}`} className="text-brand-700 hover:underline">
            {t("details")}
          </Link>{" "}
          ·{" "}
          <Link
            href={`/admin/usage/reconciliation?outcome=all&subscription=${subscription.id}`}
            className="text-brand-700 hover:underline"
          >
            {t("recorded")}
          </Link>
        </p>
        <h1 id="sub-usage-title" className="text-2xl font-semibold break-words">
          {t("title", { name: subscription.name })}
        </h1>
        <p className="text-sm text-slate-700">
          <span className="font-mono text-xs break-all">{subscription.id}</span> ·{" "}
          {describeOffer(subscription.offerId).displayName} ·{" "}
          {t("plan", { plan: describePlan(subscription.offerId, subscription.planId).displayName })} ·{" "}
          {tStatus(subscription.status)}
          {subscription.beneficiaryEmail ? ` · ${subscription.beneficiaryEmail}` : ""}
        </p>
        <nav aria-label={t("period")} className="flex gap-2 pt-2 text-sm">
          {ranges.map((range) => (
            <Link
              key={range.hours}
              href={`/admin/usage/${subscription.id}?hours=${range.hours}`}
              aria-current={range.hours === hours ? "page" : undefined}
              className={`rounded-md px-3 py-1 ${range.hours === hours ? "bg-brand-600 text-white" : "text-brand-700 hover:bg-brand-50"}`}
            >
              {t(`ranges.${range.unit}`, { count: range.count })}
            </Link>
          ))}
        </nav>
      </section>

      {findings > 0 ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="usage-findings">
          {t("findings", { count: findings })}{" "}
          <Link href={`/admin/usage/reconciliation?subscription=${subscription.id}`} className="font-medium underline">
            {t("seeFindings")}
          </Link>
        </p>
      ) : null}
      {usage.dimensions.length === 0 ? <p className="text-sm text-slate-600">{t("noDimensions")}</p> : null}
      {usage.dimensions.map((dimension) => {
        const reported = dimension.points.filter((point) => point.status !== "none");
        return (
          <section key={dimension.id} aria-labelledby={`dim-${dimension.id}`} className="space-y-3">
            <h2 id={`dim-${dimension.id}`} className="text-lg font-semibold">
              {dimension.displayName ?? dimension.id}{" "}
              <span className="text-sm font-normal text-slate-600">
                {dimension.unitOfMeasure
                  ? t("dimensionPer", { id: dimension.id, unit: dimension.unitOfMeasure })
                  : `(${dimension.id})`}
              </span>
            </h2>
            <UsageChart title={dimension.id} unit={dimension.unitOfMeasure} points={dimension.points} />
            {reported.length === 0 ? (
              <p className="text-sm text-slate-600">{t("noUsage")}</p>
            ) : (
              <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                <table className="min-w-full text-left text-sm">
                  <caption className="sr-only">{t("caption", { dimension: dimension.id })}</caption>
                  <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                    <tr>
                      <th scope="col" className={cell}>
                        {t("columns.hour")}
                      </th>
                      <th scope="col" className={`${cell} text-right`}>
                        {t("columns.quantity")}
                      </th>
                      <th scope="col" className={cell}>
                        {t("columns.status")}
                      </th>
                      <th scope="col" className={cell}>
                        {t("columns.microsoft")}
                      </th>
                      <th scope="col" className={cell}>
                        {t("columns.attempts")}
                      </th>
                      <th scope="col" className={cell}>
                        {t("columns.why")}
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
                        <td className={`${cell} whitespace-nowrap`}>{formatMoment(format, point.hourStart)}</td>
                        <td className={`${cell} text-right tabular-nums`}>
                          {formatQuantity(format, point.quantity)}
                          <div className="text-xs text-slate-500">{t("records", { count: point.records })}</div>
                        </td>
                        <td className={`${cell} ${statusOf(point.status).text}`}>
                          {usageStatusLabel(tUsage, point.status)}
                        </td>
                        <td className={`${cell} text-xs`}>
                          {point.usageEventId ? (
                            <div>
                              {t("event")}{" "}
                              <span className="font-mono" data-testid="usage-event-id">
                                {point.usageEventId}
                              </span>
                            </div>
                          ) : null}
                          {point.billedQuantity !== null ? (
                            <div className={point.quantityMismatch ? "text-red-800" : undefined}>
                              {t("billed", { quantity: formatQuantity(format, point.billedQuantity) })}
                            </div>
                          ) : null}
                          {point.lastStatus ? (
                            <div className="text-slate-600">
                              {point.resolvedAt
                                ? t("statusAt", {
                                    status: point.lastStatus,
                                    at: formatMoment(format, point.resolvedAt),
                                  })
                                : point.submittedAt
                                  ? t("statusSent", {
                                      status: point.lastStatus,
                                      at: formatMoment(format, point.submittedAt),
                                    })
                                  : point.lastStatus}
                            </div>
                          ) : null}
                        </td>
                        <td className={`${cell} tabular-nums`}>{point.attempts}</td>
                        <td className={`${cell} max-w-md text-xs text-slate-700`}>
                          {point.reason ?? (point.status === "open" ? t("sentAfterClose") : "")}
                          {point.nextAttemptAt && ["pending", "held"].includes(point.status) ? (
                            <div>{t("nextAttempt", { at: formatMoment(format, point.nextAttemptAt) })}</div>
                          ) : null}
                          {point.retryable && point.hourId ? (
                            <div className="mt-2">
                              <AdminActionForm
                                action={retryUsageHourAction.bind(null, point.hourId)}
                                label={tUsage("retryHour.label")}
                                description={tUsage("retryHour.description")}
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
