import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { isKnownAction } from "@/lib/webhooks/webhook-payload";
import { WEBHOOK_FILTERS } from "@/lib/webhooks/webhook-statuses";
import { listWebhookEvents, webhookQuerySchema } from "@/lib/admin/list-webhook-events";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { formatMoment } from "../_components/format";
import { Pager } from "../_components/pager";
import { RefusedQuery } from "../_components/refused-query";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.webhooks"))("title") };
}
const filters = ["", ...WEBHOOK_FILTERS] as const;

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, format] = await Promise.all([getTranslations("admin.webhooks"), getFormatter()]);
  const parsed = parseAdminQuery(webhookQuerySchema, await searchParams);
  if (!parsed.ok) return <RefusedQuery title={t("title")} problems={parsed.problems} clearHref="/admin/webhooks" />;
  const label = (group: "statuses" | "acknowledgements" | "filters", code: string) =>
    t.has(`${group}.${code}` as "statuses.failed") ? t(`${group}.${code}` as "statuses.failed") : code;
  const { query } = parsed;
  const result = await listWebhookEvents(query);
  const href = (overrides: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ status: query.status, subscription: query.subscription, ...overrides }))
      if (value !== undefined && value !== "" && !(key === "page" && String(value) === "1"))
        params.set(key, String(value));
    return `/admin/webhooks${params.size ? `?${params}` : ""}`;
  };
  return (
    <section aria-labelledby="wh-title">
      <h1 id="wh-title" className="text-2xl font-semibold">
        {t("title")}
      </h1>
      <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
      <nav aria-label={t("filterLabel")} className="mt-3 flex flex-wrap gap-2 text-sm">
        {filters.map((status) => (
          <Link
            key={status || "all"}
            href={href({ status: status || undefined, page: 1 })}
            aria-current={(query.status ?? "") === status ? "page" : undefined}
            className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${(query.status ?? "") === status ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`}
          >
            {["", "attention", "stuck"].includes(status)
              ? label("filters", status || "all")
              : label("statuses", status)}
          </Link>
        ))}
      </nav>
      <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t("columns.received")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.action")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.subscription")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.status")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.outcome")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((row) => (
              <tr key={row.id} data-testid="webhook-row">
                <td className="whitespace-nowrap px-3 py-2">
                  <Link href={`/admin/webhooks/${row.id}`} className="text-brand-700 hover:underline">
                    {formatMoment(format, row.receivedAt)}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  {row.action}
                  {isKnownAction(row.action) ? null : (
                    <span className="block text-xs text-amber-800" data-testid="unknown-action">
                      {t("unknownAction")}
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  <Link href={`/admin/subscriptions/${row.subscriptionId}`} className="text-brand-700 hover:underline">
                    {row.subscriptionId}
                  </Link>
                </td>
                <td className="whitespace-nowrap px-3 py-2">
                  {label("statuses", row.status)}
                  {row.acknowledgement ? (
                    <span className="block text-xs text-slate-600">
                      {t("ack", { result: label("acknowledgements", row.acknowledgement) })}
                    </span>
                  ) : null}
                </td>
                <td className="min-w-64 px-3 py-2 text-slate-700">{row.outcome ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.rows.length === 0 ? <p className="p-4 text-sm text-slate-600">{t("none")}</p> : null}
      </div>
      <Pager page={result.page} lastPage={result.lastPage} hrefFor={(page) => href({ page })} />
    </section>
  );
}
