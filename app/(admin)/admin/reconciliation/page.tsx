import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { listReconciliationRuns } from "@/lib/admin/list-reconciliation-runs";
import { AdminActionForm } from "../_components/action-form";
import { syncNowAction } from "../_components/console-actions";
import { formatMoment } from "../_components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.reconciliation"))("title") };
}

export default async function ReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, format] = await Promise.all([getTranslations("admin.reconciliation"), getFormatter()]);
  const label = (group: "statuses" | "triggers" | "resolutions", code: string) =>
    t.has(`${group}.${code}` as "statuses.failed") ? t(`${group}.${code}` as "statuses.failed") : code;
  const run = (await searchParams).run;
  const { runs, selected, drifts, queued } = await listReconciliationRuns({
    runId: typeof run === "string" ? run : undefined,
  });
  return (
    <div className="space-y-6">
      <section aria-labelledby="rec-title">
        <h1 id="rec-title" className="text-2xl font-semibold">
          {t("title")}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
        {queued ? (
          <p className="mt-2 text-sm text-amber-900" data-testid="reconcile-queued">
            {queued.status === "running" ? t("running") : t("queued", { at: formatMoment(format, queued.runAt) })}
          </p>
        ) : null}
        <div className="mt-3 max-w-md">
          <AdminActionForm action={syncNowAction} label={t("syncNow.label")} description={t("syncNow.description")} />
        </div>
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title" className="text-lg font-semibold">
          {t("lastRuns")}
        </h2>
        <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("columns.started")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.trigger")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.status")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.seen")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.drift")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.operationsChecked")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {runs.map((row) => (
                <tr
                  key={row.id}
                  data-testid="reconcile-run"
                  aria-current={row.id === selected?.id ? "true" : undefined}
                  className={row.id === selected?.id ? "bg-brand-50" : undefined}
                >
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link href={`/admin/reconciliation?run=${row.id}`} className="text-brand-700 hover:underline">
                      {formatMoment(format, row.startedAt)}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{label("triggers", row.trigger)}</td>
                  <td className="min-w-48 px-3 py-2">
                    {label("statuses", row.status)}
                    {row.error ? <span className="block text-xs text-red-800">{row.error.slice(0, 200)}</span> : null}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{format.number(row.subscriptionsSeen)}</td>
                  <td className="px-3 py-2 tabular-nums">{format.number(row.driftCount)}</td>
                  <td className="px-3 py-2 tabular-nums">{format.number(row.operationsChecked)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.length === 0 ? <p className="p-4 text-sm text-slate-600">{t("noRuns")}</p> : null}
        </div>
      </section>
      {selected ? (
        <section aria-labelledby="drift-title">
          <h2 id="drift-title" className="text-lg font-semibold">
            {t("driftTitle", { at: formatMoment(format, selected.startedAt) })}
          </h2>
          {drifts.length === 0 ? <p className="text-sm text-emerald-800">{t("noDrift")}</p> : null}
          <ul className="mt-2 space-y-1 text-sm">
            {drifts.map((drift) => (
              <li key={drift.id} data-testid="drift">
                <Link
                  href={`/admin/subscriptions/${drift.subscriptionId}`}
                  className="font-mono text-xs text-brand-700 hover:underline"
                >
                  {drift.subscriptionId}
                </Link>{" "}
                —{" "}
                {t("drift", {
                  field: drift.field,
                  ours: drift.localValue ?? "—",
                  theirs: drift.remoteValue ?? "—",
                  resolution: label("resolutions", drift.resolution),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
