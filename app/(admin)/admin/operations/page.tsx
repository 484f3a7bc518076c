import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { listOperations, operationQuerySchema } from "@/lib/admin/list-operations";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { AdminActionForm } from "../_components/action-form";
import { retryJobAction } from "../_components/console-actions";
import { formatMoment } from "../_components/format";
import { Pager } from "../_components/pager";
import { RefusedQuery } from "../_components/refused-query";
import { FilterSelect } from "../_components/filter-select";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.operations"))("title") };
}

const OPERATION_STATUSES = ["Requested", "NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"] as const;

export default async function OperationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, format] = await Promise.all([getTranslations("admin.operations"), getFormatter()]);
  const parsed = parseAdminQuery(operationQuerySchema, await searchParams);
  if (!parsed.ok) return <RefusedQuery title={t("title")} problems={parsed.problems} clearHref="/admin/operations" />;
  const label = (group: "statuses" | "sources", code: string) =>
    t.has(`${group}.${code}` as "statuses.Failed") ? t(`${group}.${code}` as "statuses.Failed") : code;
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
          {t("title")}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
        <form method="get" className="mt-3 flex flex-wrap items-end gap-3 text-sm">
          <label>
            {t("filterId")}{" "}
            <input
              name="id"
              defaultValue={query.id ?? ""}
              maxLength={100}
              className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5"
            />
          </label>
          <FilterSelect
            label={t("filterStatus")}
            name="status"
            value={query.status}
            anyLabel={t("any")}
            options={OPERATION_STATUSES.map((status) => ({ value: status, label: label("statuses", status) }))}
          />
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
            {t("filter")}
          </button>
        </form>
        <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("columns.created")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.action")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.source")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.status")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.subscription")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.details")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.rows.map((row) => (
                <tr key={row.id} data-testid="operation-row">
                  <td className="whitespace-nowrap px-3 py-2">
                    {formatMoment(format, row.createdAt)}
                    <span className="block font-mono text-xs text-slate-500">{row.id}</span>
                  </td>
                  <td className="px-3 py-2">{row.action}</td>
                  <td className="px-3 py-2">{label("sources", row.source)}</td>
                  <td className="px-3 py-2">{label("statuses", row.status)}</td>
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
                      row.requestedPlanId && t("planDetail", { plan: row.requestedPlanId }),
                      row.requestedQuantity !== null && t("seatsDetail", { count: row.requestedQuantity }),
                      row.errorMessage,
                    ]
                      .filter(Boolean)
                      .join(" · ") || "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.rows.length === 0 ? <p className="p-4 text-sm text-slate-600">{t("none")}</p> : null}
        </div>
        <Pager page={result.page} lastPage={result.lastPage} hrefFor={href} />
      </section>

      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title" className="text-lg font-semibold">
          {t("jobs.title")}
        </h2>
        <p className="text-sm text-slate-600">
          {t("jobs.counts", {
            waiting: format.number(result.jobCounts.created + result.jobCounts.retry),
            running: format.number(result.jobCounts.active),
            failed: format.number(result.jobCounts.failed),
            completed: format.number(result.jobCounts.completed),
          })}
        </p>
        <h3 className="mt-3 font-semibold">{t("jobs.failedTitle")}</h3>
        {result.jobs.length === 0 ? <p className="text-sm text-emerald-800">{t("jobs.none")}</p> : null}
        <ul className="mt-2 space-y-2">
          {result.jobs.map((job) => (
            <li
              key={job.id}
              className="rounded-md border border-slate-200 bg-white p-3 text-sm"
              data-testid="failed-job"
            >
              <p>
                <strong className="break-all">{job.name}</strong> —{" "}
                {t("jobs.attempts", {
                  attempts: job.attempts,
                  limit: job.retryLimit + 1,
                  last: formatMoment(format, job.completedOn ?? job.startAfter),
                })}
              </p>
              <p className="break-all font-mono text-xs text-slate-600">
                {job.id} · {JSON.stringify(job.data)}
              </p>
              {job.error ? <p className="text-xs text-red-800">{job.error.slice(0, 400)}</p> : null}
              {job.state === "failed" ? (
                <div className="mt-2">
                  <AdminActionForm
                    action={retryJobAction}
                    label={t("jobs.retryLabel", { job: job.id })}
                    description={t("jobs.retryDescription")}
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
