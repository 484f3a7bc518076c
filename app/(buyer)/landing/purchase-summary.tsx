import { useFormatter, useTranslations } from "next-intl";
import { formatDay } from "@/app/components/format";
import { StatusBadge } from "@/app/components/status-badge";
import { describeTerm } from "@/lib/subscriptions/describe-term";
import type { PurchaseView } from "@/lib/subscriptions/resolve-purchase";
import { termWords } from "@/lib/subscriptions/subscription-words";

export function PurchaseSummary({ view }: { view: PurchaseView }) {
  const words = useTranslations();
  const t = useTranslations("landing.summary");
  const format = useFormatter();
  const term = termWords(words, describeTerm({ termUnit: view.term.unit, chargeDuration: view.term.chargeDuration }));
  const dates =
    view.term.start && view.term.end
      ? t("termDates", { start: formatDay(format, view.term.start), end: formatDay(format, view.term.end) })
      : t("startsWhenActivated");
  return (
    <section aria-labelledby="purchase-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-start gap-3">
          {view.offer.logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- a small logo from the catalog, any host
            <img src={view.offer.logoUrl} alt="" width={48} height={48} className="h-12 w-12 shrink-0 rounded-lg" />
          ) : null}
          <div className="min-w-0">
            <p className="text-sm text-slate-500">{t("yourPurchase")}</p>
            <h1
              id="purchase-title"
              className="break-words text-2xl font-semibold [word-break:auto-phrase]"
              data-testid="subscription-name"
            >
              {view.subscriptionName}
            </h1>
          </div>
        </div>
        <StatusBadge status={view.status} />
      </div>
      {view.isTest || view.isFreeTrial ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {view.isTest ? (
            <span className="rounded bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-900 ring-1 ring-violet-300">
              {t("testPurchase")}
            </span>
          ) : null}
          {view.isFreeTrial ? (
            <span className="rounded bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-900 ring-1 ring-sky-300">
              {t("freeTrial")}
            </span>
          ) : null}
        </div>
      ) : null}
      <dl className="mt-5 grid gap-x-6 gap-y-4 sm:grid-cols-2">
        <Item label={t("offer")} value={view.offer.displayName} detail={view.offer.description} testId="offer" />
        <Item label={t("plan")} value={view.plan.name} testId="plan" detail={view.plan.description ?? undefined} />
        <Item
          label={t("seats")}
          value={view.plan.isPricePerSeat && view.quantity ? t("seatCount", { count: view.quantity }) : t("flatRate")}
          testId="seats"
        />
        <Item label={t("term")} value={term} detail={dates} testId="term" />
        <Item
          label={t("purchaser")}
          value={view.purchaser.email ?? "—"}
          detail={view.isCsp ? t("boughtByPartner") : undefined}
          testId="purchaser"
        />
        <Item label={t("beneficiary")} value={view.beneficiary.email ?? "—"} testId="beneficiary" />
        <Item label={t("subscriptionId")} value={view.subscriptionId} testId="subscription-id" mono />
        <Item label={t("autoRenew")} value={view.autoRenew ? t("yes") : t("no")} />
      </dl>
    </section>
  );
}

function Item({
  label,
  value,
  detail,
  testId,
  mono,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
  mono?: boolean;
}) {
  return (
    <div className="min-w-0">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className={`font-medium ${mono ? "break-all font-mono text-sm" : "break-words"}`} data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="text-sm text-slate-600">{detail}</dd> : null}
    </div>
  );
}
