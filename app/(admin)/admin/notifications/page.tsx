import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { parseAdminQuery } from "@/lib/admin/query-text";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import {
  listNotifications,
  notificationQuerySchema,
  notificationSetup,
  type NotificationQuery,
} from "@/lib/notifications/list-notifications";
import { isNotificationKind } from "@/lib/notifications/notification-kinds";
import { AdminActionForm } from "../_components/action-form";
import { formatMoment, joinSentences } from "../_components/format";
import { Pager } from "../_components/pager";
import { RefusedQuery } from "../_components/refused-query";
import { resendNotificationAction } from "./actions";
import { FilterSelect } from "../_components/filter-select";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminNotifications"))("metaTitle") };
}

const statusClass = {
  queued: "bg-amber-50 text-amber-900",
  sent: "bg-emerald-50 text-emerald-900",
  failed: "bg-red-50 text-red-800",
  skipped: "bg-slate-100 text-slate-700",
} as const;
// Product names, the same in every language.
const chatNames = { teams: "Teams", slack: "Slack" } as const;

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePublisherAdmin();
  const [t, format, locale] = await Promise.all([getTranslations("adminNotifications"), getFormatter(), getLocale()]);
  const parsed = parseAdminQuery(notificationQuerySchema, await searchParams);
  if (!parsed.ok)
    return <RefusedQuery title={t("title")} problems={parsed.problems} clearHref="/admin/notifications" />;
  const { query } = parsed;
  const [{ notifications, total, lastPage, counts }, setup] = await Promise.all([
    listNotifications(query),
    Promise.resolve(notificationSetup()),
  ]);
  const href = (overrides: Partial<NotificationQuery>) => {
    const merged = { ...query, page: 1, ...overrides };
    const search = new URLSearchParams();
    for (const key of ["status", "channel", "audience", "kind", "q"] as const)
      if (merged[key]) search.set(key, String(merged[key]));
    if (merged.page > 1) search.set("page", String(merged.page));
    return `/admin/notifications${search.size ? `?${search}` : ""}`;
  };
  const chip = (active: boolean) =>
    `rounded-full px-3 py-1 ring-1 ring-slate-300 ${active ? "bg-brand-600 text-white" : "bg-white text-brand-700"}`;
  // A kind by its name in the reader's language; one the portal no longer knows, as stored.
  const kindLabel = (kind: string) => (isNotificationKind(kind) ? t(`kinds.${kind}.label`) : kind);
  const kindDescription = (kind: string) => (isNotificationKind(kind) ? t(`kinds.${kind}.description`) : kind);
  const channelLabel = (channel: "email" | "teams" | "slack") =>
    channel === "email" ? t("channels.email") : chatNames[channel];
  const languageName = (language: string) => (language === "ja" ? t("languages.ja") : t("languages.en"));
  const moment = (date: Date | null | undefined) => formatMoment(format, date);
  // Between the intro and the counts, one in bold: as joinSentences does, a space in English, none after 。.
  const sentenceGap = locale === "ja" ? "" : " ";

  return (
    <div className="space-y-6">
      <section aria-labelledby="notifications-title" className="space-y-2">
        <h1 id="notifications-title" className="text-2xl font-semibold">
          {t("title")}
        </h1>
        <p className="text-sm text-slate-700">
          {t("intro")}
          {counts.failed ? (
            <>
              {sentenceGap}
              <strong className="text-red-800">{t("failed", { count: format.number(counts.failed) })}</strong>
            </>
          ) : null}
          {counts.queued ? sentenceGap + t("waiting", { count: format.number(counts.queued) }) : null}
        </p>
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]" data-testid="notification-setup">
          <dt className="font-medium">{t("setup.email")}</dt>
          <dd>
            {setup.email
              ? [
                  t("setup.emailConfigured", {
                    host: setup.email.host,
                    port: String(setup.email.port),
                    security: setup.email.security,
                    auth: setup.email.auth,
                    from: setup.email.from?.address ?? "—",
                  }),
                  setup.buyers ? null : t("setup.buyersOff"),
                ]
                  .filter(Boolean)
                  .join(" · ")
              : t("setup.emailNotConfigured")}
          </dd>
          <dt className="font-medium">{t("setup.alerts")}</dt>
          <dd>
            {[
              setup.alertEmails.length ? setup.alertEmails.join(", ") : t("setup.noAddresses"),
              `${chatNames.teams} ${setup.teamsHost ?? t("setup.off")}`,
              `${chatNames.slack} ${setup.slackHost ?? t("setup.off")}`,
              setup.routes.length ? t("setup.routes", { kinds: format.list(setup.routes.map(kindLabel)) }) : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="filters-title" className="space-y-3">
        <h2 id="filters-title" className="sr-only">
          {t("filters.title")}
        </h2>
        <nav aria-label={t("filters.byStatus")} className="flex flex-wrap gap-2 text-sm">
          {(["", "queued", "sent", "failed", "skipped"] as const).map((status) => (
            <Link
              key={status || "all"}
              href={href({ status: status || undefined })}
              aria-current={(query.status ?? "") === status ? "page" : undefined}
              className={chip((query.status ?? "") === status)}
            >
              {status ? t(`status.${status}`) : t("filters.all")}
              {status && counts[status] ? ` (${format.number(counts[status])})` : ""}
            </Link>
          ))}
        </nav>
        <form method="get" action="/admin/notifications" className="flex flex-wrap items-end gap-3 text-sm">
          {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
          <FilterSelect
            label={t("filters.who")}
            name="audience"
            value={query.audience}
            anyLabel={t("filters.everyone")}
            options={[
              { value: "buyer", label: t("filters.buyers") },
              { value: "publisher", label: t("filters.team") },
            ]}
          />
          <FilterSelect
            label={t("filters.channel")}
            name="channel"
            value={query.channel}
            anyLabel={t("filters.any")}
            options={(["email", "teams", "slack"] as const).map((channel) => ({
              value: channel,
              label: channelLabel(channel),
            }))}
          />
          <FilterSelect
            label={t("filters.kind")}
            name="kind"
            value={query.kind}
            anyLabel={t("filters.any")}
            options={setup.kinds.map((kind) => ({ value: kind, label: kindLabel(kind) }))}
          />
          <label className="space-y-1">
            <span className="block font-medium">{t("filters.search")}</span>
            <input
              name="q"
              defaultValue={query.q ?? ""}
              maxLength={200}
              className="w-72 max-w-full rounded-md border border-slate-300 px-2 py-1.5"
            />
          </label>
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
            {t("filters.submit")}
          </button>
          <Link href="/admin/notifications" className="py-2 text-brand-700 underline">
            {t("filters.clear")}
          </Link>
        </form>
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title" className="sr-only">
          {t("list.title")}
        </h2>
        {notifications.length === 0 ? (
          <p className="text-sm text-slate-600">
            {total === 0 && !query.status ? t("list.noneYet") : t("list.noneMatch")}
          </p>
        ) : (
          <ul className="space-y-2">
            {notifications.map((n) => (
              <li key={n.id} data-testid="notification-row" data-kind={n.kind} data-status={n.status}>
                <details className="rounded-lg border border-slate-200 bg-white">
                  <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusClass[n.status]}`}>
                      {t(`status.${n.status}`)}
                    </span>
                    <span className="font-medium">{kindLabel(n.kind)}</span>
                    <span>
                      {channelLabel(n.channel)} →{" "}
                      {n.channel === "email"
                        ? n.recipientName
                          ? `${n.recipientName} <${n.recipient}>`
                          : n.recipient
                        : t("list.teamChannel")}
                    </span>
                    {n.subscriptionId ? (
                      <span className="text-slate-600">· {n.subscriptionName || n.subscriptionId}</span>
                    ) : null}
                    <span className="text-xs text-slate-600">{moment(n.createdAt)}</span>
                  </summary>
                  <div className="space-y-3 border-t border-slate-100 px-3 py-3 text-sm">
                    <p className="text-slate-700">
                      {joinSentences(locale, [kindDescription(n.kind), !n.essential && t("list.reminder")])}
                    </p>
                    <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
                      <dt className="text-slate-600">{t("list.subject")}</dt>
                      <dd>{n.subject ?? t("list.notWrittenYet")}</dd>
                      <dt className="text-slate-600">{t("list.language")}</dt>
                      <dd>{languageName(n.locale)}</dd>
                      <dt className="text-slate-600">{t("list.attempts")}</dt>
                      <dd>
                        {[
                          n.lastAttemptAt
                            ? t("list.attemptCountLast", {
                                count: format.number(n.attempts),
                                at: moment(n.lastAttemptAt),
                              })
                            : t("list.attemptCount", { count: format.number(n.attempts) }),
                          n.status === "queued" ? t("list.due", { at: moment(n.nextAttemptAt ?? n.notBefore) }) : null,
                          n.sentAt ? t("list.sentAt", { at: moment(n.sentAt) }) : null,
                        ]
                          .filter(Boolean)
                          .join(" · ")}
                      </dd>
                      {n.lastError ? (
                        <>
                          <dt className="text-slate-600">
                            {n.status === "skipped" ? t("list.whySkipped") : t("list.lastError")}
                          </dt>
                          <dd className={n.status === "skipped" ? "" : "text-red-800"}>{n.lastError}</dd>
                        </>
                      ) : null}
                    </dl>
                    {n.subscriptionId ? (
                      <Link href={`/admin/subscriptions/${n.subscriptionId}`} className="text-brand-700 underline">
                        {t("list.openSubscription")}
                      </Link>
                    ) : null}
                    {n.canResend ? (
                      <AdminActionForm
                        action={resendNotificationAction.bind(null, n.id)}
                        label={t("list.resend")}
                        description={joinSentences(locale, [
                          t("list.resendDescription", { language: languageName(n.locale) }),
                          n.status === "sent" && t("list.resendTwice"),
                        ])}
                      />
                    ) : n.status !== "queued" ? (
                      <p className="text-xs text-slate-600">{t("list.invitationLinkGone")}</p>
                    ) : null}
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={query.page}
          lastPage={lastPage}
          hrefFor={(page) => href({ page })}
          note={t("list.inAll", { count: format.number(total) })}
        />
      </section>
    </div>
  );
}
