import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { checkHealth, type CheckStatus, type HealthCheck } from "@/lib/admin/check-health";
import { joinSentences } from "../_components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.health"))("title") };
}

const checks = ["database", "token", "credential", "marketplace", "jobs"] as const;
const looks: Record<CheckStatus, string> = {
  ok: "bg-emerald-50 text-emerald-900 ring-emerald-300",
  warn: "bg-amber-50 text-amber-900 ring-amber-300",
  error: "bg-red-50 text-red-900 ring-red-300",
};

export default async function HealthPage() {
  await requirePublisherAdmin();
  const [report, t, format, locale] = await Promise.all([
    checkHealth({ fresh: true }),
    getTranslations("admin.health"),
    getFormatter(),
    getLocale(),
  ]);
  const has = (key: string) => t.has(key as "messages.database_ok");
  const say = (key: string, values?: Record<string, string | number>) => t(key as "messages.database_ok", values);
  // The day a credential expires: its calendar day (UTC), as Entra shows it.
  const day = (iso: unknown) => (typeof iso === "string" ? format.dateTime(new Date(iso), "day") : "—");

  /** A secret's or certificate's expiry in words, from its status, date and days left; with how to renew it. */
  const credentialExpiry = (check: HealthCheck) => {
    const kind = check.type === "certificate" ? "certificate" : "secret";
    const daysLeft = Number(check.daysLeft);
    const date = day(check.expiresAt);
    if (check.status === "ok") return say(`messages.credential_${kind}_valid`, { date });
    const state =
      check.status === "error"
        ? say(`messages.credential_${kind}_expired`, { date, daysAgo: Math.max(0, -daysLeft) })
        : say(`messages.credential_${kind}_expiring`, { date, days: daysLeft });
    return joinSentences(locale, [state, say(`messages.renew_${kind}`)]);
  };

  // The check's message in the reader's language when its code is in the catalog; else as the check wrote it.
  const message = (check: HealthCheck, key: (typeof checks)[number]) => {
    if (
      key === "credential" &&
      !check.code &&
      (check.type === "secret" || check.type === "certificate") &&
      typeof check.expiresAt === "string" &&
      typeof check.daysLeft === "number"
    )
      return credentialExpiry(check);
    if (!check.code || !has(`messages.${check.code}`)) return check.message;
    if (check.code === "jobs_behind")
      return joinSentences(locale, [
        Number(check.failed) > 0 && t("messages.jobs_failed", { count: Number(check.failed) }),
        check.late === true && t("messages.jobs_late", { minutes: Math.round(Number(check.oldestDueSeconds) / 60) }),
      ]);
    return say(`messages.${check.code}`, {
      seconds: Number(check.timeoutSeconds ?? 0),
      file: typeof check.tokenFile === "string" ? check.tokenFile : "",
      date: day(check.notBefore ?? check.expiresAt),
      at: typeof check.expiresAt === "string" ? format.dateTime(new Date(check.expiresAt), "precise") : "—",
      clientId: typeof check.clientId === "string" ? check.clientId : "",
    });
  };
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title" className="text-2xl font-semibold">
        {t("title")}
      </h1>
      <p className="mt-1 text-lg" data-testid="health-summary" data-status={report.status}>
        {t(`summary.${report.status}`)}
      </p>
      <p className="text-sm text-slate-600">{t.rich("sameChecks", { code: (chunks) => <code>{chunks}</code> })}</p>
      <ul className="mt-4 space-y-3">
        {checks.map((key) => {
          const check = report.checks[key];
          return (
            <li
              key={key}
              className="rounded-lg border border-slate-200 bg-white p-4"
              data-check={key}
              data-status={check.status}
            >
              <p className="flex flex-wrap items-center gap-3">
                <strong>{t(`names.${key}`)}</strong>
                <span className={`rounded-full px-2.5 py-0.5 text-sm ring-1 ${looks[check.status]}`}>
                  {t(`looks.${check.status}`)}
                </span>
                {check.ms !== undefined ? (
                  <span className="text-xs text-slate-500">{t("ms", { ms: format.number(check.ms) })}</span>
                ) : null}
              </p>
              <p className="mt-1 text-sm break-words text-slate-700">{message(check, key)}</p>
              {key === "jobs" && check.status !== "error" ? (
                <p className="text-xs text-slate-600">
                  {t("jobCounts", {
                    pending: format.number(Number(check.pending)),
                    running: format.number(Number(check.running)),
                    failed: format.number(Number(check.failed)),
                    seconds: format.number(Number(check.oldestDueSeconds)),
                  })}
                </p>
              ) : null}
              {key === "credential" ? (
                <p className="text-xs text-slate-600" data-testid="credential-details">
                  {t("credential.type", {
                    type:
                      typeof check.type === "string" && has(`credential.types.${check.type}`)
                        ? say(`credential.types.${check.type}`)
                        : typeof check.type === "string"
                          ? check.type
                          : "—",
                  })}
                  {typeof check.expiresAt === "string"
                    ? ` · ${t("credential.expires", { date: day(check.expiresAt) })}`
                    : ""}
                  {typeof check.thumbprint === "string" ? (
                    <>
                      {` · ${t("credential.thumbprint")} `}
                      <span className="font-mono break-all">{check.thumbprint}</span>
                    </>
                  ) : null}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
