import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { z } from "zod";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { eventsEnv } from "@/lib/env";
import { deliveryQuerySchema, getEndpointDeliveries, type DeliveryView } from "@/lib/events/list-endpoints";
import { AdminActionForm } from "../../_components/action-form";
import { formatMoment } from "../../_components/format";
import { Pager } from "../../_components/pager";
import { RefusedQuery } from "../../_components/refused-query";
import {
  deleteEndpointAction,
  replayDeliveryAction,
  replayFailedAction,
  rotateSecretAction,
  setEndpointEnabledAction,
  updateEndpointAction,
} from "../actions";
import { EndpointForm } from "../endpoint-form";
import { RotateSecretForm } from "../rotate-secret-form";

export const dynamic = "force-dynamic";
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminIntegration.events.endpoint"))("metaTitle") };
}

type Formatter = Awaited<ReturnType<typeof getFormatter>>;
type Translator = Awaited<ReturnType<typeof getTranslations<"adminIntegration.events.endpoint">>>;

const statusClass: Record<DeliveryView["status"], string> = {
  pending: "bg-amber-50 text-amber-900",
  delivered: "bg-emerald-50 text-emerald-900",
  dead_lettered: "bg-red-50 text-red-800",
};
const filters = ["", "pending", "delivered", "dead_lettered"] as const;

export default async function EventEndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, format] = await Promise.all([getTranslations("adminIntegration.events.endpoint"), getFormatter()]);
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const parsed = parseAdminQuery(deliveryQuerySchema, await searchParams);
  if (!parsed.ok)
    return <RefusedQuery title={t("metaTitle")} problems={parsed.problems} clearHref={`/admin/events/${id}`} />;
  const found = await getEndpointDeliveries(id, parsed.query);
  if (!found) notFound();
  const { endpoint, deliveries, total, lastPage } = found;
  const { query } = parsed;
  const href = (overrides: { status?: string; page?: number }) => {
    const search = new URLSearchParams();
    const status = "status" in overrides ? overrides.status : query.status;
    const page = overrides.page ?? 1;
    if (status) search.set("status", status);
    if (page > 1) search.set("page", String(page));
    return `/admin/events/${id}${search.size ? `?${search}` : ""}`;
  };
  const overlapUntil =
    endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()
      ? endpoint.previousSecretExpiresAt
      : null;

  return (
    <div className="space-y-6">
      <Link href="/admin/events" className="text-sm text-brand-700 underline">
        {t("back")}
      </Link>
      <section aria-labelledby="endpoint-title" className="space-y-1">
        <h1 id="endpoint-title" className="text-2xl font-semibold break-all">
          {endpoint.description || endpoint.url}
        </h1>
        <p className="break-all font-mono text-sm text-slate-700">{endpoint.url}</p>
        <p className="text-sm" data-testid="endpoint-state">
          {endpoint.enabled ? (
            <span className="text-emerald-800">{t("enabled")}</span>
          ) : (
            <span className="text-red-800">
              {endpoint.disabledReason
                ? t("disabledSinceBecause", {
                    reason: endpoint.disabledReason,
                    at: formatMoment(format, endpoint.disabledAt),
                  })
                : t("disabledSince", { at: formatMoment(format, endpoint.disabledAt) })}
            </span>
          )}
          {" · "}
          {endpoint.eventTypes.length ? t("types", { types: endpoint.eventTypes.join(", ") }) : t("allTypes")}
          {" · "}
          {t("created", { at: formatMoment(format, endpoint.createdAt) })}
          {endpoint.secretRotatedAt
            ? ` · ${t("secretRotated", { at: formatMoment(format, endpoint.secretRotatedAt) })}`
            : ""}
          {overlapUntil ? ` · ${t("overlapUntil", { at: formatMoment(format, overlapUntil) })}` : ""}
        </p>
      </section>

      <section aria-labelledby="actions-title" className="grid gap-3 lg:grid-cols-2">
        <h2 id="actions-title" className="sr-only">
          {t("actions")}
        </h2>
        <div className="space-y-3">
          <details className="rounded-md border border-slate-200 bg-white p-3">
            <summary className="cursor-pointer font-medium text-brand-700">{t("edit")}…</summary>
            <div className="mt-3">
              <EndpointForm
                action={updateEndpointAction.bind(null, endpoint.id)}
                initial={{ url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes }}
                submitLabel={t("save")}
                idPrefix="edit-endpoint"
              />
            </div>
          </details>
          <RotateSecretForm
            action={rotateSecretAction.bind(null, endpoint.id)}
            defaultOverlapHours={eventsEnv().EVENT_SECRET_OVERLAP_HOURS}
          />
        </div>
        <div className="space-y-3">
          {endpoint.enabled ? (
            <AdminActionForm
              action={setEndpointEnabledAction.bind(null, endpoint.id, false)}
              label={t("disable.label")}
              description={t("disable.description")}
            />
          ) : (
            <AdminActionForm
              action={setEndpointEnabledAction.bind(null, endpoint.id, true)}
              label={t("enable.label")}
              description={t("enable.description")}
            />
          )}
          <AdminActionForm
            action={replayFailedAction.bind(null, endpoint.id)}
            label={t("replayFailed.label")}
            description={t("replayFailed.description", {
              count: format.number(endpoint.counts.dead_lettered),
              batch: format.number(500),
            })}
          />
          <AdminActionForm
            action={deleteEndpointAction.bind(null, endpoint.id)}
            label={t("delete.label")}
            description={t("delete.description", { count: total, formatted: format.number(total) })}
            danger
          />
        </div>
      </section>

      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title" className="text-lg font-semibold">
          {t("deliveries")}
        </h2>
        <p className="text-sm text-slate-600">
          {t("deliveryCounts", {
            delivered: format.number(endpoint.counts.delivered),
            pending: format.number(endpoint.counts.pending),
            deadLettered: format.number(endpoint.counts.dead_lettered),
          })}
        </p>
        <nav aria-label={t("filterLabel")} className="mt-3 flex flex-wrap gap-2 text-sm">
          {filters.map((status) => (
            <Link
              key={status || "all"}
              href={href({ status: status || undefined })}
              aria-current={(query.status ?? "") === status ? "page" : undefined}
              className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${(query.status ?? "") === status ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`}
            >
              {t(`filters.${status || "all"}`)}
            </Link>
          ))}
        </nav>
        {deliveries.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">
            {query.status ? t("noDeliveriesWithStatus") : t("noDeliveries")}
          </p>
        ) : (
          <ul className="mt-3 space-y-2">
            {deliveries.map((delivery) => (
              <li key={delivery.id} data-testid="delivery-row" data-event-type={delivery.event.type}>
                <DeliveryItem endpointId={endpoint.id} delivery={delivery} t={t} format={format} />
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={query.page}
          lastPage={lastPage}
          hrefFor={(page) => href({ page })}
          note={t("inAll", { count: format.number(total) })}
        />
      </section>
    </div>
  );
}

function DeliveryItem({
  endpointId,
  delivery,
  t,
  format,
}: {
  endpointId: string;
  delivery: DeliveryView;
  t: Translator;
  format: Formatter;
}) {
  const { event } = delivery;
  return (
    <details className="rounded-lg border border-slate-200 bg-white">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusClass[delivery.status]}`}>
          {t(`filters.${delivery.status}`)}
        </span>
        <code className="text-xs">{event.type}</code>
        <span>
          {event.subscriptionName ?? t("subscription")}
          {event.offerName ? <span className="text-slate-600"> · {event.offerName}</span> : null}
          <span className="text-slate-600"> · #{event.sequence}</span>
        </span>
        <span className="text-xs text-slate-600">{formatMoment(format, event.createdAt)}</span>
        <span className="text-xs text-slate-600">
          {t("attemptCount", { count: delivery.attemptCount })}
          {delivery.status === "pending" && delivery.nextAttemptAt
            ? ` · ${t("next", { at: formatMoment(format, delivery.nextAttemptAt) })}`
            : ""}
        </span>
      </summary>
      <div className="space-y-3 border-t border-slate-100 px-3 py-3 text-sm">
        <p className="text-xs text-slate-600">
          webhook-id <code className="break-all">{event.id}</code> ·{" "}
          <Link href={`/admin/subscriptions/${event.subscriptionId}`} className="text-brand-700 underline">
            {t("openSubscription")}
          </Link>
        </p>
        {delivery.deadLetterReason ? (
          <p className="rounded-md bg-red-50 p-2 break-words text-red-800">
            {t("deadLetteredBecause", {
              at: formatMoment(format, delivery.deadLetteredAt),
              reason: delivery.deadLetterReason,
            })}
          </p>
        ) : null}
        {delivery.attempts.length === 0 ? (
          <p className="text-slate-600">{t("noAttempt")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-xs">
              <caption className="sr-only">{t("attemptsCaption")}</caption>
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    {t("attemptColumns.when")}
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    {t("attemptColumns.result")}
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    {t("attemptColumns.latency")}
                  </th>
                  <th scope="col" className="py-1">
                    {t("attemptColumns.answer")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {delivery.attempts.map((attempt) => (
                  <tr key={attempt.id} data-testid="attempt-row" className="align-top">
                    <td className="whitespace-nowrap py-1 pr-3">{formatMoment(format, attempt.startedAt)}</td>
                    <td className="py-1 pr-3">
                      {attempt.statusCode ? `HTTP ${attempt.statusCode}` : t("noAnswer")}
                      {attempt.error ? <div className="text-red-800">{attempt.error}</div> : null}
                    </td>
                    <td className="whitespace-nowrap py-1 pr-3 tabular-nums">
                      {t("latency", { ms: format.number(attempt.latencyMs) })}
                    </td>
                    <td className="py-1">
                      {attempt.responseExcerpt ? (
                        <pre className="max-w-xl whitespace-pre-wrap break-all font-mono text-xs text-slate-700">
                          {attempt.responseExcerpt}
                        </pre>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <AdminActionForm
          action={replayDeliveryAction.bind(null, endpointId, delivery.id)}
          label={t("replay.label")}
          description={t("replay.description")}
        />
      </div>
    </details>
  );
}
