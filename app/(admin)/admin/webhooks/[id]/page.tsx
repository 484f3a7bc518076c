import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { getWebhookEvent } from "@/lib/admin/list-webhook-events";
import { FINAL_WEBHOOK_STATUSES } from "@/lib/webhooks/webhook-statuses";
import { AdminActionForm } from "../../_components/action-form";
import { retryWebhookAction } from "../../_components/console-actions";
import { formatMoment } from "../../_components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.webhook"))("metaTitle") };
}

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePublisherAdmin();
  const found = await getWebhookEvent((await params).id);
  if (!found) notFound();
  const { event, jobs } = found;
  const [t, tList, format] = await Promise.all([
    getTranslations("admin.webhook"),
    getTranslations("admin.webhooks"),
    getFormatter(),
  ]);
  const label = (group: "statuses" | "acknowledgements", code: string) =>
    tList.has(`${group}.${code}` as "statuses.failed") ? tList(`${group}.${code}` as "statuses.failed") : code;
  const status = label("statuses", event.status);
  const rows: Array<[string, string]> = [
    [t("fields.operationId"), event.operationId],
    [t("fields.action"), event.action],
    [t("fields.status"), status],
    [t("fields.outcome"), event.outcome ?? "—"],
    [t("fields.eventTime"), formatMoment(format, event.eventTime)],
    [t("fields.received"), formatMoment(format, event.receivedAt)],
    [t("fields.processed"), formatMoment(format, event.processedAt)],
    [t("fields.requestSource"), event.requestSource ?? "—"],
    [t("fields.planSeats"), `${event.planId ?? "—"} / ${event.quantity ?? "—"}`],
    [
      t("fields.acknowledgement"),
      event.acknowledgement
        ? t("acknowledgedAt", {
            result: label("acknowledgements", event.acknowledgement),
            at: formatMoment(format, event.acknowledgedAt),
          })
        : "—",
    ],
  ];
  return (
    <div className="space-y-4">
      <Link href="/admin/webhooks" className="text-sm text-brand-700 underline">
        {t("back")}
      </Link>
      <h1 className="text-2xl font-semibold">
        {t("title", { action: event.action })}{" "}
        <span className="text-base font-normal" data-testid="webhook-status">
          {status}
        </span>
      </h1>
      <p className="text-sm">
        {t("subscription")}{" "}
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
          label={t("retry.label")}
          description={t("retry.description")}
        />
      ) : null}
      <section aria-labelledby="verification-title">
        <h2 id="verification-title" className="font-semibold">
          {t("verification")}
        </h2>
        <pre className="mt-1 overflow-x-auto rounded bg-white p-3 text-xs ring-1 ring-slate-200">
          {JSON.stringify(event.verification, null, 2) ?? "—"}
        </pre>
      </section>
      <section aria-labelledby="payload-title">
        <h2 id="payload-title" className="font-semibold">
          {t("payload")}
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
          {t("jobs")}
        </h2>
        <ul className="mt-1 space-y-1 text-sm">
          {jobs.map((job) => (
            <li key={job.id}>
              {t("job", {
                name: job.name,
                id: job.id,
                state: job.state,
                attempts: job.attempts,
                limit: job.retryLimit + 1,
              })}
              {job.error ? <span className="block text-xs text-red-800">{job.error.slice(0, 300)}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
