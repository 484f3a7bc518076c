import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { TimelineActor, TimelineEntry } from "@/lib/admin/get-subscription-detail";
import { formatMoment } from "../../_components/format";

const kindClass: Record<TimelineEntry["kind"], string> = {
  audit: "bg-slate-100 text-slate-800",
  operation: "bg-sky-50 text-sky-900",
  webhook: "bg-violet-50 text-violet-900",
  drift: "bg-orange-50 text-orange-900",
};

type Translator = Awaited<ReturnType<typeof getTranslations<"admin">>>;

/** A code's label from the catalog (`group.code`), or the code itself when the catalog has none (an open enum). */
function labelOf(t: Translator, group: string, code: string): string {
  const key = `${group}.${code}` as "status.Subscribed";
  return t.has(key) ? t(key) : code;
}

/** Everything that happened to the subscription, newest first, put into words here. */
export async function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const [t, format] = await Promise.all([getTranslations("admin"), getFormatter()]);
  const actorName = (actor: TimelineActor) => {
    const type = labelOf(t, "timeline.actors", actor.type);
    const who = actor.name ? (actor.type === "user" ? actor.name : `${type} ${actor.name}`) : type;
    return actor.via ? t("timeline.via", { who, via: actor.via }) : who;
  };
  const describe = (entry: TimelineEntry): { title: string; status?: string; detail?: string } => {
    switch (entry.kind) {
      case "audit":
        return {
          title: t.has(`audit.${entry.action}` as "audit.activated")
            ? t(`audit.${entry.action}` as "audit.activated")
            : entry.action.replace(/_/g, " "),
          status: entry.fromStatus
            ? t("timeline.statusChange", {
                from: labelOf(t, "status", entry.fromStatus),
                to: entry.toStatus ? labelOf(t, "status", entry.toStatus) : "—",
              })
            : entry.toStatus
              ? t("timeline.statusSet", { to: labelOf(t, "status", entry.toStatus) })
              : undefined,
          detail: entry.detail,
        };
      case "operation":
        return {
          title: t("timeline.operation", {
            action: entry.action,
            source: labelOf(t, "operations.sources", entry.source),
          }),
          status: labelOf(t, "operations.statuses", entry.status),
          detail:
            [
              entry.planId && t("timeline.planDetail", { plan: entry.planId }),
              entry.quantity !== null && t("timeline.seatsDetail", { count: entry.quantity }),
              entry.error,
            ]
              .filter(Boolean)
              .join(" · ") || undefined,
        };
      case "webhook":
        return {
          title: t("timeline.webhook", { action: entry.action }),
          status: labelOf(t, "webhooks.statuses", entry.status),
          detail:
            [
              entry.outcome,
              entry.acknowledgement &&
                t("timeline.acknowledged", { result: labelOf(t, "webhooks.acknowledgements", entry.acknowledgement) }),
            ]
              .filter(Boolean)
              .join(" · ") || undefined,
        };
      case "drift":
        return {
          title: t("timeline.drift", { field: entry.field }),
          status: labelOf(t, "reconciliation.resolutions", entry.resolution),
          detail: t("timeline.driftValues", { ours: entry.localValue ?? "—", theirs: entry.remoteValue ?? "—" }),
        };
    }
  };
  return (
    <section aria-labelledby="timeline-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="timeline-title" className="text-lg font-semibold">
        {t("timeline.title")}
      </h2>
      {entries.length === 0 ? <p className="mt-2 text-sm text-slate-600">{t("timeline.empty")}</p> : null}
      <ol className="mt-3 divide-y divide-slate-100" data-testid="timeline">
        {entries.map((entry, index) => {
          const words = describe(entry);
          return (
            <li
              key={`${entry.kind}-${index}`}
              className="grid gap-1 py-2 text-sm sm:grid-cols-[13rem_7rem_minmax(0,1fr)]"
              data-kind={entry.kind}
            >
              <time dateTime={entry.at.toISOString()} className="text-slate-600">
                {formatMoment(format, entry.at)}
              </time>
              <span>
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${kindClass[entry.kind]}`}>
                  {t(`timeline.kinds.${entry.kind}`)}
                </span>
              </span>
              <div className="min-w-0">
                <p>
                  {entry.href ? (
                    <Link href={entry.href} className="font-medium text-brand-700 hover:underline">
                      {words.title}
                    </Link>
                  ) : (
                    <span className="font-medium">{words.title}</span>
                  )}
                  {words.status ? <span className="ml-2 text-slate-700">{words.status}</span> : null}
                  <span className="ml-2 text-xs text-slate-500">
                    {t("timeline.by", { actor: actorName(entry.actor) })}
                  </span>
                </p>
                {words.detail ? <p className="break-all font-mono text-xs text-slate-600">{words.detail}</p> : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
