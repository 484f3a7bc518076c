import Link from "next/link";
import type { TimelineEntry } from "@/lib/admin/get-subscription-detail";
import { formatDate } from "../../_components/format";

const kindLabels: Record<TimelineEntry["kind"], { text: string; className: string }> = {
  audit: { text: "Audit", className: "bg-slate-100 text-slate-800" },
  operation: { text: "Operation", className: "bg-sky-50 text-sky-900" },
  webhook: { text: "Webhook", className: "bg-violet-50 text-violet-900" },
  drift: { text: "Drift", className: "bg-orange-50 text-orange-900" },
};

/** Everything that happened to the subscription, newest first. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <section aria-labelledby="timeline-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="timeline-title" className="text-lg font-semibold">
        Timeline
      </h2>
      {entries.length === 0 ? <p className="mt-2 text-sm text-slate-600">Nothing recorded yet.</p> : null}
      <ol className="mt-3 divide-y divide-slate-100" data-testid="timeline">
        {entries.map((entry, index) => (
          <li
            key={`${entry.kind}-${index}`}
            className="grid gap-1 py-2 text-sm sm:grid-cols-[12rem_6rem_1fr]"
            data-kind={entry.kind}
          >
            <time dateTime={entry.at.toISOString()} className="text-slate-600">
              {formatDate(entry.at)}
            </time>
            <span>
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${kindLabels[entry.kind].className}`}>
                {kindLabels[entry.kind].text}
              </span>
            </span>
            <div>
              <p>
                {entry.href ? (
                  <Link href={entry.href} className="font-medium text-brand-700 hover:underline">
                    {entry.title}
                  </Link>
                ) : (
                  <span className="font-medium">{entry.title}</span>
                )}
                {entry.status ? <span className="ml-2 text-slate-700">{entry.status}</span> : null}
                <span className="ml-2 text-xs text-slate-500">by {entry.actor}</span>
              </p>
              {entry.detail ? <p className="break-all font-mono text-xs text-slate-600">{entry.detail}</p> : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
