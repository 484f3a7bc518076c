import Link from "next/link";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { listReconciliationRuns } from "@/lib/admin/list-reconciliation-runs";
import { AdminActionForm } from "../_components/action-form";
import { syncNowAction } from "../_components/console-actions";
import { formatDate } from "../_components/format";

export const metadata = { title: "Reconciliation" };

export default async function ReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const run = (await searchParams).run;
  const { runs, selected, drifts, queued } = await listReconciliationRuns({
    runId: typeof run === "string" ? run : undefined,
  });
  return (
    <div className="space-y-6">
      <section aria-labelledby="rec-title">
        <h1 id="rec-title" className="text-2xl font-semibold">
          Reconciliation
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          Compares every subscription Microsoft lists with ours, records each difference as drift and brings ours in
          line. It heals missed webhooks.
        </p>
        {queued ? (
          <p className="mt-2 text-sm text-amber-900" data-testid="reconcile-queued">
            A run is {queued.status === "running" ? "running" : `queued for ${formatDate(queued.runAt)}`}.
          </p>
        ) : null}
        <div className="mt-3 max-w-md">
          <AdminActionForm
            action={syncNowAction}
            label="Sync now"
            description="Runs a reconciliation now, in the background."
          />
        </div>
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title" className="text-lg font-semibold">
          Last runs
        </h2>
        <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Started
                </th>
                <th scope="col" className="px-3 py-2">
                  Trigger
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Seen
                </th>
                <th scope="col" className="px-3 py-2">
                  Drift
                </th>
                <th scope="col" className="px-3 py-2">
                  Operations checked
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
                  <td className="px-3 py-2">
                    <Link href={`/admin/reconciliation?run=${row.id}`} className="text-brand-700 hover:underline">
                      {formatDate(row.startedAt)}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{row.trigger}</td>
                  <td className="px-3 py-2">
                    {row.status}
                    {row.error ? <span className="block text-xs text-red-800">{row.error.slice(0, 200)}</span> : null}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{row.subscriptionsSeen}</td>
                  <td className="px-3 py-2 tabular-nums">{row.driftCount}</td>
                  <td className="px-3 py-2 tabular-nums">{row.operationsChecked}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.length === 0 ? <p className="p-4 text-sm text-slate-600">No run yet.</p> : null}
        </div>
      </section>
      {selected ? (
        <section aria-labelledby="drift-title">
          <h2 id="drift-title" className="text-lg font-semibold">
            Drift found by the run of {formatDate(selected.startedAt)}
          </h2>
          {drifts.length === 0 ? (
            <p className="text-sm text-emerald-800">None: our records matched Microsoft's.</p>
          ) : null}
          <ul className="mt-2 space-y-1 text-sm">
            {drifts.map((drift) => (
              <li key={drift.id} data-testid="drift">
                <Link
                  href={`/admin/subscriptions/${drift.subscriptionId}`}
                  className="font-mono text-xs text-brand-700 hover:underline"
                >
                  {drift.subscriptionId}
                </Link>{" "}
                — {drift.field}: ours {drift.localValue ?? "—"}, Microsoft&apos;s {drift.remoteValue ?? "—"} (
                {drift.resolution})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
