import Link from "next/link";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { isKnownAction } from "@/lib/webhooks/webhook-payload";
import { WEBHOOK_FILTERS } from "@/lib/webhooks/webhook-statuses";
import { listWebhookEvents, webhookQuerySchema } from "@/lib/admin/list-webhook-events";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { formatDate } from "../_components/format";
import { Pager } from "../_components/pager";
import { RefusedQuery } from "../_components/refused-query";

export const metadata = { title: "Webhook deliveries" };
const filters = ["", ...WEBHOOK_FILTERS] as const;

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const parsed = parseAdminQuery(webhookQuerySchema, await searchParams);
  if (!parsed.ok) return <RefusedQuery title="Webhook deliveries" reason={parsed.reason} clearHref="/admin/webhooks" />;
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
        Webhook deliveries
      </h1>
      <p className="mt-1 text-sm text-slate-600">
        Every authenticated delivery from Microsoft, with personal data redacted. Unconfirmed means Microsoft's Get
        Operation did not confirm it (nothing was changed); refused means the change was refused by your policy;
        duplicate means another delivery of the same operation was already processed; stuck means it was not processed
        after 10 minutes.
      </p>
      <nav aria-label="Filter by status" className="mt-3 flex flex-wrap gap-2 text-sm">
        {filters.map((status) => (
          <Link
            key={status || "all"}
            href={href({ status: status || undefined, page: 1 })}
            aria-current={(query.status ?? "") === status ? "page" : undefined}
            className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${(query.status ?? "") === status ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`}
          >
            {status || "all"}
          </Link>
        ))}
      </nav>
      <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                Received
              </th>
              <th scope="col" className="px-3 py-2">
                Action
              </th>
              <th scope="col" className="px-3 py-2">
                Subscription
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <th scope="col" className="px-3 py-2">
                Outcome
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((row) => (
              <tr key={row.id} data-testid="webhook-row">
                <td className="whitespace-nowrap px-3 py-2">
                  <Link href={`/admin/webhooks/${row.id}`} className="text-brand-700 hover:underline">
                    {formatDate(row.receivedAt)}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  {row.action}
                  {isKnownAction(row.action) ? null : (
                    <span className="block text-xs text-amber-800" data-testid="unknown-action">
                      not an action we know: recorded only
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  <Link href={`/admin/subscriptions/${row.subscriptionId}`} className="text-brand-700 hover:underline">
                    {row.subscriptionId}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  {row.status}
                  {row.acknowledgement ? (
                    <span className="block text-xs text-slate-600">ack {row.acknowledgement}</span>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-slate-700">{row.outcome ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.rows.length === 0 ? <p className="p-4 text-sm text-slate-600">No deliveries.</p> : null}
      </div>
      <Pager page={result.page} lastPage={result.lastPage} hrefFor={(page) => href({ page })} />
    </section>
  );
}
