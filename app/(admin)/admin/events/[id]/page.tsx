import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { eventsEnv } from "@/lib/env";
import { deliveryQuerySchema, getEndpointDeliveries, type DeliveryView } from "@/lib/events/list-endpoints";
import { AdminActionForm } from "../../_components/action-form";
import { formatDate } from "../../_components/format";
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
export const metadata: Metadata = { title: "Event endpoint" };

const statusLabels: Record<DeliveryView["status"], string> = {
  pending: "Waiting",
  delivered: "Delivered",
  dead_lettered: "Dead-lettered",
};
const statusClass: Record<DeliveryView["status"], string> = {
  pending: "bg-amber-50 text-amber-900",
  delivered: "bg-emerald-50 text-emerald-900",
  dead_lettered: "bg-red-50 text-red-800",
};
const filters = [
  ["", "All"],
  ["pending", "Waiting"],
  ["delivered", "Delivered"],
  ["dead_lettered", "Dead-lettered"],
] as const;

export default async function EventEndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const parsed = parseAdminQuery(deliveryQuerySchema, await searchParams);
  if (!parsed.ok)
    return <RefusedQuery title="Event endpoint" reason={parsed.reason} clearHref={`/admin/events/${id}`} />;
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
        ← All endpoints
      </Link>
      <section aria-labelledby="endpoint-title" className="space-y-1">
        <h1 id="endpoint-title" className="text-2xl font-semibold break-all">
          {endpoint.description || endpoint.url}
        </h1>
        <p className="break-all font-mono text-sm text-slate-700">{endpoint.url}</p>
        <p className="text-sm" data-testid="endpoint-state">
          {endpoint.enabled ? (
            <span className="text-emerald-800">Enabled</span>
          ) : (
            <span className="text-red-800">
              Disabled{endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ""} since{" "}
              {formatDate(endpoint.disabledAt)}
            </span>
          )}
          {" · "}
          {endpoint.eventTypes.length ? `Types: ${endpoint.eventTypes.join(", ")}` : "All event types"}
          {" · "}Created {formatDate(endpoint.createdAt)}
          {endpoint.secretRotatedAt ? ` · Secret rotated ${formatDate(endpoint.secretRotatedAt)}` : ""}
          {overlapUntil ? ` · Previous secret signs too until ${formatDate(overlapUntil)}` : ""}
        </p>
      </section>

      <section aria-labelledby="actions-title" className="grid gap-3 lg:grid-cols-2">
        <h2 id="actions-title" className="sr-only">
          Actions
        </h2>
        <div className="space-y-3">
          <details className="rounded-md border border-slate-200 bg-white p-3">
            <summary className="cursor-pointer font-medium text-brand-700">Edit settings…</summary>
            <div className="mt-3">
              <EndpointForm
                action={updateEndpointAction.bind(null, endpoint.id)}
                initial={{ url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes }}
                submitLabel="Save changes"
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
              label="Disable endpoint"
              description="New events are not sent to it; deliveries waiting for a retry are dead-lettered when they come up (replayable after you enable it again). Events are still recorded."
            />
          ) : (
            <AdminActionForm
              action={setEndpointEnabledAction.bind(null, endpoint.id, true)}
              label="Enable endpoint"
              description="New events are sent to it again. Dead-lettered deliveries stay as they are: replay them below if the product needs them."
            />
          )}
          <AdminActionForm
            action={replayFailedAction.bind(null, endpoint.id)}
            label="Replay failed events"
            description={`Sends every dead-lettered delivery of this endpoint again (${endpoint.counts.dead_lettered} now, up to 500 at a time), with the same webhook-id and a fresh retry window. The endpoint must be enabled.`}
          />
          <AdminActionForm
            action={deleteEndpointAction.bind(null, endpoint.id)}
            label="Delete endpoint"
            description={`Removes this endpoint with its ${total} deliveries and their attempts; nothing more is sent to it. The events stay, for other endpoints. This cannot be undone.`}
            danger
          />
        </div>
      </section>

      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title" className="text-lg font-semibold">
          Deliveries
        </h2>
        <p className="text-sm text-slate-600">
          {endpoint.counts.delivered} delivered · {endpoint.counts.pending} waiting · {endpoint.counts.dead_lettered}{" "}
          dead-lettered. Newest first; open one to see every attempt.
        </p>
        <nav aria-label="Filter by status" className="mt-3 flex flex-wrap gap-2 text-sm">
          {filters.map(([status, label]) => (
            <Link
              key={label}
              href={href({ status: status || undefined })}
              aria-current={(query.status ?? "") === status ? "page" : undefined}
              className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${(query.status ?? "") === status ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`}
            >
              {label}
            </Link>
          ))}
        </nav>
        {deliveries.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">No deliveries{query.status ? " with this status" : " yet"}.</p>
        ) : (
          <ul className="mt-3 space-y-2">
            {deliveries.map((delivery) => (
              <li key={delivery.id} data-testid="delivery-row" data-event-type={delivery.event.type}>
                <DeliveryItem endpointId={endpoint.id} delivery={delivery} />
              </li>
            ))}
          </ul>
        )}
        <Pager page={query.page} lastPage={lastPage} hrefFor={(page) => href({ page })} note={`${total} in all`} />
      </section>
    </div>
  );
}

function DeliveryItem({ endpointId, delivery }: { endpointId: string; delivery: DeliveryView }) {
  const { event } = delivery;
  return (
    <details className="rounded-lg border border-slate-200 bg-white">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusClass[delivery.status]}`}>
          {statusLabels[delivery.status]}
        </span>
        <code className="text-xs">{event.type}</code>
        <span>
          {event.subscriptionName ?? "Subscription"}
          {event.offerName ? <span className="text-slate-600"> · {event.offerName}</span> : null}
          <span className="text-slate-600"> · #{event.sequence}</span>
        </span>
        <span className="text-xs text-slate-600">{formatDate(event.createdAt)}</span>
        <span className="text-xs text-slate-600">
          {delivery.attemptCount} {delivery.attemptCount === 1 ? "attempt" : "attempts"}
          {delivery.status === "pending" && delivery.nextAttemptAt
            ? ` · next ${formatDate(delivery.nextAttemptAt)}`
            : ""}
        </span>
      </summary>
      <div className="space-y-3 border-t border-slate-100 px-3 py-3 text-sm">
        <p className="text-xs text-slate-600">
          webhook-id <code>{event.id}</code> ·{" "}
          <Link href={`/admin/subscriptions/${event.subscriptionId}`} className="text-brand-700 underline">
            Open the subscription
          </Link>
        </p>
        {delivery.deadLetterReason ? (
          <p className="rounded-md bg-red-50 p-2 text-red-800">
            Dead-lettered {formatDate(delivery.deadLetteredAt)}: {delivery.deadLetterReason}
          </p>
        ) : null}
        {delivery.attempts.length === 0 ? (
          <p className="text-slate-600">No attempt yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-xs">
              <caption className="sr-only">Attempts, newest first</caption>
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    When
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Result
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Latency
                  </th>
                  <th scope="col" className="py-1">
                    Answer
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {delivery.attempts.map((attempt) => (
                  <tr key={attempt.id} data-testid="attempt-row" className="align-top">
                    <td className="whitespace-nowrap py-1 pr-3">{formatDate(attempt.startedAt)}</td>
                    <td className="py-1 pr-3">
                      {attempt.statusCode ? `HTTP ${attempt.statusCode}` : "No answer"}
                      {attempt.error ? <div className="text-red-800">{attempt.error}</div> : null}
                    </td>
                    <td className="whitespace-nowrap py-1 pr-3 tabular-nums">{attempt.latencyMs} ms</td>
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
          label="Replay this event"
          description="Sends this event to this endpoint again now, with the same webhook-id (your product can tell it already has it) and a fresh retry window."
        />
      </div>
    </details>
  );
}
