import Link from "next/link";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { listOperations, operationQuerySchema } from "@/lib/admin/list-operations";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { AdminActionForm } from "../_components/action-form";
import { retryJobAction } from "../_components/console-actions";
import { formatDate } from "../_components/format";
import { Pager } from "../_components/pager";
import { RefusedQuery } from "../_components/refused-query";

export const metadata = { title: "Operations" };

export default async function OperationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const parsed = parseAdminQuery(operationQuerySchema, await searchParams);
  if (!parsed.ok) return <RefusedQuery title="Operations" reason={parsed.reason} clearHref="/admin/operations" />;
  const { query } = parsed;
  const result = await listOperations(query);
  const href = (page: number) => {
    const params = new URLSearchParams();
    if (query.id) params.set("id", query.id);
    if (query.status) params.set("status", query.status);
    if (query.jobs) params.set("jobs", query.jobs);
    if (page > 1) params.set("page", String(page));
    return `/admin/operations${params.size ? `?${params}` : ""}`;
  };
  return (
    <div className="space-y-6">
      <section aria-labelledby="ops-title">
        <h1 id="ops-title" className="text-2xl font-semibold">
          Operations
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          Changes we sent to Microsoft and those Microsoft started, with their status and Microsoft's reason when one
          failed.
        </p>
        <form method="get" className="mt-3 flex flex-wrap items-end gap-3 text-sm">
          <label>
            Operation id{" "}
            <input
              name="id"
              defaultValue={query.id ?? ""}
              maxLength={100}
              className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5"
            />
          </label>
          <label>
            Status{" "}
            <select
              name="status"
              defaultValue={query.status ?? ""}
              className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5"
            >
              <option value="">Any</option>
              {["Requested", "NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"].map((status) => (
                <option key={status}>{status}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
            Filter
          </button>
        </form>
        <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Created
                </th>
                <th scope="col" className="px-3 py-2">
                  Action
                </th>
                <th scope="col" className="px-3 py-2">
                  Source
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Subscription
                </th>
                <th scope="col" className="px-3 py-2">
                  Details
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.rows.map((row) => (
                <tr key={row.id} data-testid="operation-row">
                  <td className="whitespace-nowrap px-3 py-2">
                    {formatDate(row.createdAt)}
                    <span className="block font-mono text-xs text-slate-500">{row.id}</span>
                  </td>
                  <td className="px-3 py-2">{row.action}</td>
                  <td className="px-3 py-2">{row.source}</td>
                  <td className="px-3 py-2">{row.status}</td>
                  <td className="px-3 py-2 font-mono text-xs">
                    <Link
                      href={`/admin/subscriptions/${row.subscriptionId}`}
                      className="text-brand-700 hover:underline"
                    >
                      {row.subscriptionId}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    {[
                      row.requestedPlanId && `plan ${row.requestedPlanId}`,
                      row.requestedQuantity !== null && `seats ${row.requestedQuantity}`,
                      row.errorMessage,
                    ]
                      .filter(Boolean)
                      .join(" · ") || "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.rows.length === 0 ? <p className="p-4 text-sm text-slate-600">No operations.</p> : null}
        </div>
        <Pager page={result.page} lastPage={result.lastPage} hrefFor={href} />
      </section>

      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title" className="text-lg font-semibold">
          Background jobs
        </h2>
        <p className="text-sm text-slate-600">
          Waiting {result.jobCounts.created + result.jobCounts.retry} · running {result.jobCounts.active} · failed{" "}
          {result.jobCounts.failed} · completed {result.jobCounts.completed}
        </p>
        <h3 className="mt-3 font-semibold">Jobs that failed for good</h3>
        {result.jobs.length === 0 ? <p className="text-sm text-emerald-800">None.</p> : null}
        <ul className="mt-2 space-y-2">
          {result.jobs.map((job) => (
            <li
              key={job.id}
              className="rounded-md border border-slate-200 bg-white p-3 text-sm"
              data-testid="failed-job"
            >
              <p>
                <strong>{job.name}</strong> — {job.attempts}/{job.retryLimit + 1} attempts, last{" "}
                {formatDate(job.completedOn ?? job.startAfter)}
              </p>
              <p className="break-all font-mono text-xs text-slate-600">
                {job.id} · {JSON.stringify(job.data)}
              </p>
              {job.error ? <p className="text-xs text-red-800">{job.error.slice(0, 400)}</p> : null}
              {job.state === "failed" ? (
                <div className="mt-2">
                  <AdminActionForm
                    action={retryJobAction}
                    label={`Retry job ${job.id}`}
                    description="Queues the job again with a fresh set of attempts."
                  >
                    <input type="hidden" name="jobId" value={job.id} />
                  </AdminActionForm>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
