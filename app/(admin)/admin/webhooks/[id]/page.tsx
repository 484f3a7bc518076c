import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getWebhookEvent } from "@/lib/admin/list-webhook-events";
import { FINAL_WEBHOOK_STATUSES } from "@/lib/webhooks/webhook-statuses";
import { AdminActionForm } from "../../_components/action-form";
import { retryWebhookAction } from "../../_components/console-actions";
import { formatDate } from "../../_components/format";

export const metadata = { title: "Webhook delivery" };

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePublisherAdmin();
  const found = await getWebhookEvent((await params).id);
  if (!found) notFound();
  const { event, jobs } = found;
  const rows: Array<[string, string]> = [
    ["Operation id", event.operationId],
    ["Action", event.action],
    ["Status", event.status],
    ["Outcome", event.outcome ?? "—"],
    ["Event time (Microsoft)", formatDate(event.eventTime)],
    ["Received", formatDate(event.receivedAt)],
    ["Processed", formatDate(event.processedAt)],
    ["Request source", event.requestSource ?? "—"],
    ["Plan / seats in the payload", `${event.planId ?? "—"} / ${event.quantity ?? "—"}`],
    [
      "Acknowledgement",
      event.acknowledgement ? `${event.acknowledgement} at ${formatDate(event.acknowledgedAt)}` : "—",
    ],
  ];
  return (
    <div className="space-y-4">
      <Link href="/admin/webhooks" className="text-sm text-brand-700 underline">
        ← All deliveries
      </Link>
      <h1 className="text-2xl font-semibold">
        Webhook {event.action}{" "}
        <span className="text-base font-normal" data-testid="webhook-status">
          {event.status}
        </span>
      </h1>
      <p className="text-sm">
        Subscription{" "}
        <Link href={`/admin/subscriptions/${event.subscriptionId}`} className="font-mono text-brand-700 underline">
          {event.subscriptionId}
        </Link>
      </p>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
      </dl>
      {!FINAL_WEBHOOK_STATUSES.includes(event.status) ? (
        <AdminActionForm
          action={retryWebhookAction.bind(null, event.id)}
          label="Process this delivery again"
          description="Queues the processing job again. It confirms the operation with Microsoft before changing anything."
        />
      ) : null}
      <section aria-labelledby="verification-title">
        <h2 id="verification-title" className="font-semibold">
          Verification (who signed the delivery)
        </h2>
        <pre className="mt-1 overflow-x-auto rounded bg-white p-3 text-xs ring-1 ring-slate-200">
          {JSON.stringify(event.verification, null, 2) ?? "—"}
        </pre>
      </section>
      <section aria-labelledby="payload-title">
        <h2 id="payload-title" className="font-semibold">
          Payload (personal data redacted)
        </h2>
        <pre
          className="mt-1 overflow-x-auto rounded bg-white p-3 text-xs ring-1 ring-slate-200"
          data-testid="webhook-payload"
        >
          {JSON.stringify(event.payload, null, 2)}
        </pre>
      </section>
      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title" className="font-semibold">
          Processing jobs
        </h2>
        <ul className="mt-1 space-y-1 text-sm">
          {jobs.map((job) => (
            <li key={job.id}>
              {job.name} {job.id}: {job.state}, {job.attempts}/{job.retryLimit + 1} attempts
              {job.error ? <span className="block text-xs text-red-800">{job.error.slice(0, 300)}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
