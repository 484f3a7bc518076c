import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { eventsEnv } from "@/lib/env";
import { listEndpoints } from "@/lib/events/list-endpoints";
import { formatMoment } from "../_components/format";
import { createEndpointAction } from "./actions";
import { EndpointForm } from "./endpoint-form";

export const dynamic = "force-dynamic";
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminIntegration.events.list"))("metaTitle") };
}

export default async function EventsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const deleted = (await searchParams).deleted === "1";
  const endpoints = await listEndpoints();
  const allowed = eventsEnv().EVENT_ENDPOINT_ALLOWED_HOSTS;
  const [t, format] = await Promise.all([getTranslations("adminIntegration.events.list"), getFormatter()]);
  return (
    <div className="space-y-6">
      <section aria-labelledby="events-title" className="space-y-2">
        <h1 id="events-title" className="text-2xl font-semibold">
          {t("title")}
        </h1>
        <p className="max-w-3xl text-sm text-slate-700">{t("intro")}</p>
        <p className="text-xs break-words text-slate-600">
          {t("allowed", { hosts: allowed.length ? allowed.join(", ") : t("allowedNone") })}
        </p>
      </section>

      {deleted ? (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {t("deleted")}
        </p>
      ) : null}
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title" className="text-lg font-semibold">
          {t("endpoints")}
        </h2>
        {endpoints.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("noEndpoints")}</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.endpoint")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.eventTypes")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.state")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.deliveries")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("columns.lastAttempt")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {endpoints.map((endpoint) => (
                  <tr key={endpoint.id} data-testid="endpoint-row" className="align-top">
                    <td className="px-3 py-2">
                      <Link
                        href={`/admin/events/${endpoint.id}`}
                        className="font-medium text-brand-700 hover:underline"
                      >
                        {endpoint.description || endpoint.url}
                      </Link>
                      {endpoint.description ? (
                        <div className="break-all font-mono text-xs text-slate-600">{endpoint.url}</div>
                      ) : null}
                    </td>
                    <td className="px-3 py-2 text-xs">
                      {endpoint.eventTypes.length ? endpoint.eventTypes.join(", ") : t("allTypes")}
                    </td>
                    <td className="px-3 py-2">
                      {endpoint.enabled ? (
                        <span className="text-emerald-800">{t("enabled")}</span>
                      ) : (
                        <span className="text-red-800">
                          {endpoint.disabledReason
                            ? t("disabledBecause", { reason: endpoint.disabledReason })
                            : t("disabled")}
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2 text-xs tabular-nums">
                      {t("counts", {
                        delivered: format.number(endpoint.counts.delivered),
                        pending: format.number(endpoint.counts.pending),
                      })}{" "}
                      ·{" "}
                      <span className={endpoint.counts.dead_lettered ? "font-semibold text-red-800" : undefined}>
                        {t("deadLettered", { count: format.number(endpoint.counts.dead_lettered) })}
                      </span>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 text-xs">
                      {formatMoment(format, endpoint.lastAttemptAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="create-title" className="max-w-2xl">
        <h2 id="create-title" className="mb-2 text-lg font-semibold">
          {t("addTitle")}
        </h2>
        <EndpointForm action={createEndpointAction} submitLabel={t("add")} idPrefix="new-endpoint" />
      </section>
    </div>
  );
}
