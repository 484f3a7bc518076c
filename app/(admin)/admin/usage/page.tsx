import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { countUsageFindings } from "@/lib/admin/list-usage-reconciliation";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getUsageOverview } from "@/lib/metering/get-usage-overview";
import { AdminActionForm } from "../_components/action-form";
import { formatMoment, joinSentences } from "../_components/format";
import { retryUsageHourAction, submitUsageNowAction } from "./actions";
import { formatQuantity, statusOf, usageStatusLabel } from "./usage-status";
import { describeOffer, describePlan } from "@/lib/catalog";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminUsage.overview"))("metaTitle") };
}

const cell = "px-3 py-2";
const code = (chunks: ReactNode) => <code>{chunks}</code>;

export default async function UsagePage() {
  await requirePublisherAdmin();
  const [overview, tUsage, format, locale] = await Promise.all([
    getUsageOverview(),
    getTranslations("adminUsage"),
    getFormatter(),
    getLocale(),
  ]);
  const t = await getTranslations("adminUsage.overview");
  const findings = await countUsageFindings({ since: overview.since });
  const trigger = (name: string) =>
    t.has(`triggers.${name}` as "triggers.manual") ? t(`triggers.${name}` as "triggers.manual") : name;
  const schedule = joinSentences(locale, [
    overview.queued.length > 0
      ? t("nextSubmission", {
          runs: format.list(
            overview.queued.map((job) =>
              t("queuedRun", {
                when: job.status === "active" ? t("runningNow") : formatMoment(format, job.runAt),
                trigger: trigger(job.trigger),
              }),
            ),
          ),
        })
      : t("noneQueued"),
    overview.lastRun
      ? overview.lastRun.state === "failed"
        ? t("lastRunFailed", {
            at: formatMoment(format, overview.lastRun.completedOn),
            error: overview.lastRun.error ?? t("unknownError"),
          })
        : t("lastRun", { at: formatMoment(format, overview.lastRun.completedOn) })
      : "",
  ]);
  return (
    <div className="space-y-6">
      <section aria-labelledby="usage-title" className="space-y-2">
        <h1 id="usage-title" className="text-2xl font-semibold">
          {t("title")}
        </h1>
        <p className="text-sm text-slate-700">
          {t.rich("intro", {
            code,
            link: (chunks) => (
              <Link href="/admin/api-keys" className="text-brand-700 hover:underline">
                {chunks}
              </Link>
            ),
          })}
        </p>
        <p className="text-sm text-slate-700" data-testid="usage-schedule">
          {schedule}
        </p>
        <p className="text-sm text-slate-700" data-testid="usage-reconciliation-link">
          {t.rich("reconciliationLink", {
            link: (chunks) => (
              <Link href="/admin/usage/reconciliation" className="font-medium text-brand-700 hover:underline">
                {chunks}
              </Link>
            ),
          })}
        </p>
        <div className="max-w-md">
          <AdminActionForm
            action={submitUsageNowAction}
            label={t("submitNow.label")}
            description={t("submitNow.description")}
          />
        </div>
      </section>

      <section aria-labelledby="attention-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="attention-title" className="text-lg font-semibold">
          {t("attention.title")}
        </h2>
        {findings > 0 ? (
          <p className="mt-2 text-sm" data-testid="usage-attention-reconciliation">
            {t.rich("attention.findings", {
              count: findings,
              link: (chunks) => (
                <Link href="/admin/usage/reconciliation" className="font-medium text-red-800 hover:underline">
                  {chunks}
                </Link>
              ),
            })}
          </p>
        ) : null}
        {overview.attention.length === 0 ? (
          <p className="mt-2 text-sm text-emerald-800" data-testid="usage-attention-none">
            {findings > 0 ? t("attention.noHourProblems") : t("attention.none")}
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="usage-attention">
            {overview.attention.map((hour) => (
              <li key={hour.id} className="space-y-1 py-2" data-status={hour.status}>
                <p className="break-words">
                  {t.rich("attention.hour", {
                    status: hour.quantityMismatch
                      ? t("attention.billedDiffers")
                      : usageStatusLabel(tUsage, hour.status),
                    subscription: hour.subscriptionName ?? hour.subscriptionId,
                    dimension: hour.dimension,
                    hour: formatMoment(format, hour.hourStart),
                    quantity: formatQuantity(format, hour.quantity),
                    em: (chunks) => <span className={`font-medium ${statusOf(hour.status).text}`}>{chunks}</span>,
                    link: (chunks) => (
                      <Link href={`/admin/usage/${hour.subscriptionId}`} className="text-brand-700 hover:underline">
                        {chunks}
                      </Link>
                    ),
                  })}
                  {hour.billedQuantity && hour.quantityMismatch
                    ? t("attention.microsoftBilled", { quantity: formatQuantity(format, hour.billedQuantity) })
                    : ""}
                  {["pending", "submitting", "held"].includes(hour.status)
                    ? t("attention.billableUntil", { at: formatMoment(format, hour.billableUntil) })
                    : ""}
                </p>
                {hour.reason ? <p className="break-words text-slate-600">{hour.reason}</p> : null}
                {hour.retryable ? (
                  <div className="max-w-md">
                    <AdminActionForm
                      action={retryUsageHourAction.bind(null, hour.id)}
                      label={tUsage("retryHour.label")}
                      description={tUsage("retryHour.description")}
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
          {t("byStatus")}{" "}
          <span className="text-sm font-normal text-slate-600">
            {t("since", { at: formatMoment(format, overview.since) })}
          </span>
        </h2>
        <ul className="mt-2 flex flex-wrap gap-3 text-sm">
          {overview.byStatus.length === 0 ? <li className="text-slate-600">{t("noUsageInPeriod")}</li> : null}
          {overview.byStatus.map((group) => (
            <li
              key={group.status}
              className="rounded-md border border-slate-200 bg-white px-3 py-2"
              data-usage-status={group.status}
            >
              <span className={statusOf(group.status).text}>{usageStatusLabel(tUsage, group.status)}</span>
              {t.rich("hours", {
                count: group.hours,
                formatted: format.number(group.hours),
                strong: (chunks) => <strong className="tabular-nums">{chunks}</strong>,
              })}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="per-sub-title">
        <h2 id="per-sub-title" className="text-lg font-semibold">
          {t("perSubscription")}
        </h2>
        {overview.rows.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("noUsage")}</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className={cell}>
                    {t("columns.subscription")}
                  </th>
                  <th scope="col" className={cell}>
                    {t("columns.plan")}
                  </th>
                  <th scope="col" className={cell}>
                    {t("columns.dimension")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.reported")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.billed")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.waiting")}
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    {t("columns.lost")}
                  </th>
                  <th scope="col" className={cell}>
                    {t("columns.lastHour")}
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
                    <td className={`${cell} text-right tabular-nums`}>{formatQuantity(format, row.reported)}</td>
                    <td className={`${cell} text-right tabular-nums`} data-testid="usage-billed">
                      {formatQuantity(format, row.billed)}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>{formatQuantity(format, row.waiting)}</td>
                    <td className={`${cell} text-right tabular-nums ${row.lost !== "0" ? "text-red-800" : ""}`}>
                      {formatQuantity(format, row.lost)}
                    </td>
                    <td className={`${cell} whitespace-nowrap`}>{formatMoment(format, row.lastHour)}</td>
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
