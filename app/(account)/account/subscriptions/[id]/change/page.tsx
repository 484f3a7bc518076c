import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDay } from "@/app/components/format";
import { requireBuyer } from "@/lib/auth/require-buyer";
import {
  PRICE_FOOTNOTE,
  type ChangeConsequences,
  type PlanSide,
  type RequestedChange,
} from "@/lib/subscriptions/change-consequences";
import { reviewSubscriptionChange, type ChangeReview } from "@/lib/subscriptions/review-subscription-change";
import { confirmChange } from "../actions";
import { ConfirmChangeForm } from "../change-forms";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review change" };

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
          />
        ) : (
          <NotReady review={review} isPlan={isPlan} back={back} />
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
}: {
  consequences: ChangeConsequences;
  subscriptionId: string;
  termEndDate: Date | null;
  back: string;
}) {
  const isPlan = c.kind === "plan";
  return (
    <>
      <div>
        <h1 id="review-title" className="text-2xl font-semibold">
          {isPlan ? `Review your change to ${c.after.planName}` : "Review your seat change"}
        </h1>
        <p className="mt-1 text-slate-600">Nothing changes until you confirm. This is what the change does:</p>
      </div>

      <ul className="space-y-2" data-testid="consequences" aria-label="What the change does">
        {c.notes.map((note) => (
          <li
            key={note.text}
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
            <span>
              {note.tone === "attention" ? <span className="sr-only">Please note: </span> : null}
              {note.text}
            </span>
          </li>
        ))}
      </ul>

      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm break-words" data-testid="before-after">
          <caption className="sr-only">The subscription now and after the change</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              <th scope="col" className="py-2 pr-3 font-medium">
                <span className="sr-only">What</span>
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Now
              </th>
              <th scope="col" className="py-2 font-medium">
                After the change
              </th>
            </tr>
          </thead>
          <tbody>
            {rows(c, termEndDate).map((row) => (
              <tr key={row.label} className="border-b border-slate-100 align-top" data-testid={`row-${row.key}`}>
                <th scope="row" className="py-2 pr-3 font-medium text-slate-600">
                  {row.label}
                </th>
                <td className="py-2 pr-3">{row.now}</td>
                <td className={`py-2 ${row.now !== row.after ? "font-semibold text-slate-950" : ""}`}>
                  {row.after}
                  {row.now !== row.after ? <span className="sr-only"> (changes)</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-500">{PRICE_FOOTNOTE}</p>

      <div className="border-t border-slate-200 pt-4">
        <ConfirmChangeForm
          action={confirmChange.bind(null, subscriptionId)}
          terms={JSON.stringify(c.reviewed)}
          label={isPlan ? `Confirm change to ${c.after.planName}` : `Confirm ${c.after.seats} seats`}
        >
          <Link href={back} className="text-sm text-brand-700 hover:underline">
            {isPlan ? "Keep my current plan" : "Keep my current seats"}
          </Link>
        </ConfirmChangeForm>
      </div>
    </>
  );
}

function rows(c: ChangeConsequences, termEndDate: Date | null) {
  const seats = (side: PlanSide) => (side.perSeat ? (side.seats?.toLocaleString("en-US") ?? "—") : "Flat price");
  const endAfter = c.term.endDate ? formatDay(c.term.endDate) : `Known ${c.term.knownWhen ?? "later"}`;
  return [
    { key: "plan", label: "Plan", now: c.before.planName, after: c.after.planName },
    {
      key: "billing",
      label: "Priced",
      now: c.before.perSeat ? "Per user" : "Flat price",
      after: c.after.perSeat ? "Per user" : "Flat price",
    },
    { key: "seats", label: "Seats", now: seats(c.before), after: seats(c.after) },
    { key: "term", label: "Term", now: c.before.term ?? "Not known", after: c.after.term ?? "Not known yet" },
    { key: "term-end", label: "Term ends", now: formatDay(termEndDate), after: endAfter },
    { key: "price", label: "Price", now: c.before.price ?? "Not given", after: c.after.price ?? "Not given" },
  ];
}

function NotReady({
  review,
  isPlan,
  back,
}: {
  review: Exclude<ChangeReview, { state: "ready" }>;
  isPlan: boolean;
  back: string;
}) {
  const title =
    review.state === "invalid" || review.state === "not-allowed"
      ? "This change is not possible"
      : review.state === "pending"
        ? "A change is already in progress"
        : "The plans could not be loaded";
  const message =
    review.state === "invalid"
      ? review.message
      : review.state === "not-allowed"
        ? review.reason
        : review.state === "pending"
          ? "Microsoft is still processing a change on this subscription. Once it completes, you can review another one."
          : "Microsoft's marketplace did not answer just now. Reload this page to try again; nothing was changed.";
  return (
    <div role="alert" className="space-y-3">
      <h1 id="review-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <p className="text-slate-700" data-testid="review-refusal">
        {message}
      </p>
      <Link href={back} className="inline-block text-sm font-medium text-brand-700 hover:underline">
        {review.state === "invalid" ? (isPlan ? "Choose another plan" : "Choose another number of seats") : "Back"}
      </Link>
    </div>
  );
}
