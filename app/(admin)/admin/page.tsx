import Link from "next/link";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getDashboard } from "@/lib/admin/get-dashboard";
import { statusLabels } from "./_components/format";
import { NewSubscriptionsChart } from "./_components/new-subscriptions-chart";
import { describeOffer, describePlan } from "@/lib/catalog";

export const metadata = { title: "Dashboard" };

export default async function AdminDashboard() {
  await requirePublisherAdmin();
  const dashboard = await getDashboard();
  const needing = dashboard.attention.filter((item) => item.count > 0);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Marketplace dashboard</h1>

      <section aria-labelledby="attention-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="attention-title" className="text-lg font-semibold">
          Needs attention
        </h2>
        {needing.length === 0 ? (
          <p className="mt-2 text-sm text-emerald-800" data-testid="attention-none">
            Nothing needs attention.
          </p>
        ) : null}
        <ul className="mt-2 space-y-1 text-sm" data-testid="attention">
          {needing.map((item) => (
            <li key={item.key} data-key={item.key}>
              <Link href={item.href} className="text-brand-700 hover:underline">
                <strong className="mr-1">{item.count}</strong>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="status-title" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="status-title" className="text-lg font-semibold">
            By status{" "}
            <span className="text-sm font-normal text-slate-600">({dashboard.total.toLocaleString("en")} in all)</span>
          </h2>
          <table className="mt-2 w-full text-sm">
            <thead className="sr-only">
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Subscriptions</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.byStatus.map((row) => (
                <tr key={row.status} className="border-t border-slate-100">
                  <td className="py-1">
                    <Link href={`/admin/subscriptions?status=${row.status}`} className="text-brand-700 hover:underline">
                      {statusLabels[row.status]}
                    </Link>
                  </td>
                  <td className="py-1 text-right tabular-nums" data-status-count={row.status}>
                    {row.count.toLocaleString("en")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="plan-title" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="plan-title" className="text-lg font-semibold">
            By offer and plan
          </h2>
          <table className="mt-2 w-full text-sm">
            <thead className="text-left text-xs uppercase text-slate-600">
              <tr>
                <th scope="col">Offer</th>
                <th scope="col">Plan</th>
                <th scope="col" className="text-right">
                  Subscriptions
                </th>
              </tr>
            </thead>
            <tbody>
              {dashboard.byPlan.map((row) => (
                <tr key={`${row.offerId}/${row.planId}`} className="border-t border-slate-100">
                  <td className="py-1" title={row.offerId}>
                    {describeOffer(row.offerId).displayName}
                  </td>
                  <td className="py-1">
                    <Link
                      href={`/admin/subscriptions?offer=${encodeURIComponent(row.offerId)}&plan=${encodeURIComponent(row.planId)}`}
                      className="text-brand-700 hover:underline"
                    >
                      {describePlan(row.offerId, row.planId).displayName}
                    </Link>
                  </td>
                  <td className="py-1 text-right tabular-nums">{row.count.toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <NewSubscriptionsChart series={dashboard.series} />
    </div>
  );
}
