import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { formatDay } from "@/app/components/format";
import { requireBuyer } from "@/lib/auth/require-buyer";
import type { ChangeConsequences, RequestedChange } from "@/lib/subscriptions/change-consequences";
import { reviewSubscriptionChange, type ChangeReview } from "@/lib/subscriptions/review-subscription-change";
import {
  noteWords,
  permissionWords,
  priceWords,
  refusalWords,
  sideSeatsWords,
  termUnitWords,
  termUnitsWords,
  type Format,
  type Translate,
} from "@/lib/subscriptions/subscription-words";
import { confirmChange } from "../actions";
import { ConfirmChangeForm } from "../change-forms";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account.review");
  return { title: t("metaTitle") };
}

type ReviewT = Awaited<ReturnType<typeof getTranslations<"account.review">>>;

type SearchParams = Record<string, string | string[] | undefined>;

/** `?plan=<planId>` or `?seats=<n>` (the subscription page's forms); anything else is not a change. */
function requestedChange(params: SearchParams): RequestedChange | null {
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const plan = one(params.plan);
  if (plan && plan.length <= 200) return { kind: "plan", planId: plan };
  const seats = one(params.seats);
  if (seats !== undefined) return { kind: "quantity", quantity: seats.slice(0, 20) };
  return null;
}

/**
 * The review step of a plan or seat change: what it will do, in plain words, before the customer
 * confirms (seats moved by the new plan's limits, flat ↔ per user, another term, the price). The
 * confirmation carries what was shown here, and the server refuses if that is no longer what the
 * change does (lib/subscriptions/change-consequences.ts).
 */
export default async function ReviewChangePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const actor = await requireBuyer();
  const change = requestedChange(await searchParams);
  const result = change ? await reviewSubscriptionChange({ subscriptionId: id, actor, change }) : null;
  if (!result) notFound();
  const { subscription, review } = result;
  const back = `/account/subscriptions/${subscription.id}`;
  const isPlan = change?.kind === "plan";
  const [t, words, format] = await Promise.all([getTranslations("account.review"), getTranslations(), getFormatter()]);

  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href={back} className="text-sm text-brand-700 hover:underline">
        ← {subscription.name}
      </Link>
      <section
        className="space-y-5 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
        aria-labelledby="review-title"
      >
        {review.state === "ready" ? (
          <Ready
            consequences={review.consequences}
            subscriptionId={subscription.id}
            termEndDate={subscription.termEndDate}
            back={back}
            t={t}
            words={words}
            format={format}
          />
        ) : (
          <NotReady review={review} isPlan={isPlan} back={back} t={t} words={words} />
        )}
      </section>
    </div>
  );
}

function Ready({
  consequences: c,
  subscriptionId,
  termEndDate,
  back,
  t,
  words,
  format,
}: {
  consequences: ChangeConsequences;
  subscriptionId: string;
  termEndDate: Date | null;
  back: string;
  t: ReviewT;
  words: Translate;
  format: Format;
}) {
  const isPlan = c.kind === "plan";
  return (
    <>
      <div>
        <h1 id="review-title" className="text-2xl font-semibold break-words">
          {isPlan ? t("titlePlan", { plan: c.after.planName }) : t("titleSeats")}
        </h1>
        <p className="mt-1 text-slate-600">{t("intro")}</p>
      </div>

      <ul className="space-y-2" data-testid="consequences" aria-label={t("consequences")}>
        {c.notes.map((note) => (
          <li
            key={note.code}
            data-tone={note.tone}
            className={
              note.tone === "attention"
                ? "flex gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950"
                : "flex gap-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-slate-800"
            }
          >
            <span aria-hidden className="font-semibold">
              {note.tone === "attention" ? "!" : "•"}
            </span>
            <span className="min-w-0 break-words">
              {note.tone === "attention" ? <span className="sr-only">{t("pleaseNote")} </span> : null}
              {noteWords(words, format, note)}
            </span>
          </li>
        ))}
      </ul>

      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm break-words" data-testid="before-after">
          <caption className="sr-only">{t("table.caption")}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              <th scope="col" className="py-2 pr-3 font-medium">
                <span className="sr-only">{t("table.what")}</span>
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                {t("table.now")}
              </th>
              <th scope="col" className="py-2 font-medium">
                {t("table.after")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows(c, termEndDate, t, words, format).map((row) => (
              <tr key={row.key} className="border-b border-slate-100 align-top" data-testid={`row-${row.key}`}>
                <th scope="row" className="py-2 pr-3 font-medium whitespace-nowrap text-slate-600">
                  {row.label}
                </th>
                <td className="py-2 pr-3">{row.now}</td>
                <td className={`py-2 ${row.now !== row.after ? "font-semibold text-slate-950" : ""}`}>
                  {row.after}
                  {row.now !== row.after ? <span className="sr-only"> {t("table.changes")}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-500">{t("priceFootnote")}</p>

      <div className="border-t border-slate-200 pt-4">
        <ConfirmChangeForm
          action={confirmChange.bind(null, subscriptionId)}
          terms={JSON.stringify(c.reviewed)}
          label={
            isPlan ? t("confirmPlan", { plan: c.after.planName }) : t("confirmSeats", { seats: c.after.seats ?? 0 })
          }
        >
          <Link href={back} className="text-sm text-brand-700 hover:underline">
            {isPlan ? t("keepPlan") : t("keepSeats")}
          </Link>
        </ConfirmChangeForm>
      </div>
    </>
  );
}

function rows(c: ChangeConsequences, termEndDate: Date | null, t: ReviewT, words: Translate, format: Format) {
  const pricing = (perSeat: boolean) => words(perSeat ? "subscription.pricing.perUser" : "subscription.pricing.flat");
  const endAfter = c.term.endDate ? formatDay(format, c.term.endDate) : t("table.knownLater");
  const [termNow] = c.before.termUnits;
  return [
    { key: "plan", label: t("table.plan"), now: c.before.planName, after: c.after.planName },
    { key: "billing", label: t("table.priced"), now: pricing(c.before.perSeat), after: pricing(c.after.perSeat) },
    {
      key: "seats",
      label: t("table.seats"),
      now: sideSeatsWords(words, format, c.before),
      after: sideSeatsWords(words, format, c.after),
    },
    {
      key: "term",
      label: t("table.term"),
      now: termNow ? termUnitWords(words, termNow) : t("table.notKnown"),
      after: termUnitsWords(words, format, c.after.termUnits) ?? t("table.notKnownYet"),
    },
    { key: "term-end", label: t("table.termEnds"), now: formatDay(format, termEndDate), after: endAfter },
    {
      key: "price",
      label: t("table.price"),
      now: c.before.price ? priceWords(words, format, c.before.price) : t("table.notGiven"),
      after: c.after.price ? priceWords(words, format, c.after.price) : t("table.notGiven"),
    },
  ];
}

function NotReady({
  review,
  isPlan,
  back,
  t,
  words,
}: {
  review: Exclude<ChangeReview, { state: "ready" }>;
  isPlan: boolean;
  back: string;
  t: ReviewT;
  words: Translate;
}) {
  const title =
    review.state === "invalid" || review.state === "not-allowed"
      ? t("notPossible")
      : review.state === "pending"
        ? t("pendingTitle")
        : t("plansErrorTitle");
  const message =
    review.state === "invalid"
      ? refusalWords(words, review.refusal)
      : review.state === "not-allowed"
        ? permissionWords(words, review.reason)
        : review.state === "pending"
          ? t("pendingMessage")
          : t("plansErrorMessage");
  return (
    <div role="alert" className="space-y-3">
      <h1 id="review-title" className="text-2xl font-semibold break-words">
        {title}
      </h1>
      <p className="text-slate-700" data-testid="review-refusal">
        {message}
      </p>
      <Link href={back} className="inline-block text-sm font-medium text-brand-700 hover:underline">
        {review.state === "invalid" ? (isPlan ? t("choosePlan") : t("chooseSeats")) : t("back")}
      </Link>
    </div>
  );
}
