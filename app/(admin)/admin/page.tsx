import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getDashboard } from "@/lib/admin/get-dashboard";
import { NewSubscriptionsChart } from "./_components/new-subscriptions-chart";
import { describeOffer, describePlan } from "@/lib/catalog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.dashboard"))("metaTitle") };
}

export default async function AdminDashboard() {
  await requirePublisherAdmin();
  const [dashboard, t, tStatus, format] = await Promise.all([
    getDashboard(),
    getTranslations("admin.dashboard"),
    getTranslations("admin.status"),
    getFormatter(),
  ]);
  const needing = dashboard.attention.filter((item) => item.count > 0);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold break-keep">{t("title")}</h1>

      <section aria-labelledby="attention-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="attention-title" className="text-lg font-semibold">
          {t("attentionTitle")}
        </h2>
        {needing.length === 0 ? (
          <p className="mt-2 text-sm text-emerald-800" data-testid="attention-none">
            {t("attentionNone")}
          </p>
        ) : null}
        <ul className="mt-2 space-y-1 text-sm" data-testid="attention">
          {needing.map((item) => (
            <li key={item.key} data-key={item.key}>
              <Link href={item.href} className="text-brand-700 hover:underline">
                <strong className="mr-1">{format.number(item.count)}</strong>
                {t(`attention.${item.key}`)}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="status-title" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="status-title" className="text-lg font-semibold">
            {t("byStatus")}{" "}
            <span className="text-sm font-normal text-slate-600">
              {t("inAll", { count: format.number(dashboard.total) })}
            </span>
          </h2>
          <table className="mt-2 w-full text-sm">
            <thead className="sr-only">
              <tr>
                <th scope="col">{t("statusColumn")}</th>
                <th scope="col">{t("subscriptionsColumn")}</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.byStatus.map((row) => (
                <tr key={row.status} className="border-t border-slate-100">
                  <td className="py-1">
                    <Link href={`/admin/subscriptions?status=${row.status}`} className="text-brand-700 hover:underline">
                      {tStatus(row.status)}
                    </Link>
                  </td>
                  <td className="py-1 text-right tabular-nums" data-status-count={row.status}>
                    {format.number(row.count)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="plan-title" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="plan-title" className="text-lg font-semibold">
            {t("byPlan")}
          </h2>
          <div className="overflow-x-auto">
            <table className="mt-2 w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col">{t("offerColumn")}</th>
                  <th scope="col">{t("planColumn")}</th>
                  <th scope="col" className="text-right">
                    {t("subscriptionsColumn")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {dashboard.byPlan.map((row) => (
                  <tr key={`${row.offerId}/${row.planId}`} className="border-t border-slate-100">
                    <td className="py-1 pr-2" title={row.offerId}>
                      {describeOffer(row.offerId).displayName}
                    </td>
                    <td className="py-1 pr-2">
                      <Link
                        href={`/admin/subscriptions?offer=${encodeURIComponent(row.offerId)}&plan=${encodeURIComponent(row.planId)}`}
                        className="text-brand-700 hover:underline"
                      >
                        {describePlan(row.offerId, row.planId).displayName}
                      </Link>
                    </td>
                    <td className="py-1 text-right tabular-nums">{format.number(row.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      <NewSubscriptionsChart series={dashboard.series} />
    </div>
  );
}
