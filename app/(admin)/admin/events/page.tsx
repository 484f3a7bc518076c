import type { Metadata } from "next";
import Link from "next/link";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { eventsEnv } from "@/lib/env";
import { listEndpoints } from "@/lib/events/list-endpoints";
import { formatDate } from "../_components/format";
import { createEndpointAction } from "./actions";
import { EndpointForm } from "./endpoint-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const deleted = (await searchParams).deleted === "1";
  const endpoints = await listEndpoints();
  const allowed = eventsEnv().EVENT_ENDPOINT_ALLOWED_HOSTS;
  return (
    <div className="space-y-6">
      <section aria-labelledby="events-title" className="space-y-2">
        <h1 id="events-title" className="text-2xl font-semibold">
          Events to your product
        </h1>
        <p className="max-w-3xl text-sm text-slate-700">
          The portal tells your product&apos;s systems what happens to subscriptions (created, activated, plan and seat
          changes, suspensions, cancellations, …) by signed POSTs following the Standard Webhooks specification. Failed
          deliveries are retried with backoff for about three days, then dead-lettered; you can replay them here. See
          the README, section “Events to your product”, for the payload and how to verify it.
        </p>
        <p className="text-xs text-slate-600">
          Non-public addresses allowed (EVENT_ENDPOINT_ALLOWED_HOSTS): {allowed.length ? allowed.join(", ") : "none"}.
        </p>
      </section>

      {deleted ? (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          The endpoint was deleted, with its deliveries. Nothing more is sent to it.
        </p>
      ) : null}
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title" className="text-lg font-semibold">
          Endpoints
        </h2>
        {endpoints.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No endpoints yet: events are recorded, and sent nowhere.</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Endpoint
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Event types
                  </th>
                  <th scope="col" className="px-3 py-2">
                    State
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Deliveries
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Last attempt
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
                      {endpoint.eventTypes.length ? endpoint.eventTypes.join(", ") : "All types"}
                    </td>
                    <td className="px-3 py-2">
                      {endpoint.enabled ? (
                        <span className="text-emerald-800">Enabled</span>
                      ) : (
                        <span className="text-red-800">
                          Disabled{endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ""}
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2 text-xs tabular-nums">
                      {endpoint.counts.delivered} delivered · {endpoint.counts.pending} waiting ·{" "}
                      <span className={endpoint.counts.dead_lettered ? "font-semibold text-red-800" : undefined}>
                        {endpoint.counts.dead_lettered} dead-lettered
                      </span>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 text-xs">{formatDate(endpoint.lastAttemptAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="create-title" className="max-w-2xl">
        <h2 id="create-title" className="mb-2 text-lg font-semibold">
          Add an endpoint
        </h2>
        <EndpointForm action={createEndpointAction} submitLabel="Add endpoint" idPrefix="new-endpoint" />
      </section>
    </div>
  );
}
