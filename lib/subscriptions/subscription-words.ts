/**
 * A subscription's facts in the reader's words: terms, seats, prices, the consequences of a change
 * and why one is refused. lib/ works these out as data (describe-term.ts, change-consequences.ts,
 * change-rules.ts); these functions put them into a sentence of the catalogs (messages/<locale>/
 * subscription.json), with the translator and formatter of the page (`getTranslations()` and
 * `getFormatter()` on the server, `useTranslations()` and `useFormatter()` in the browser) or of
 * `wordsFor("en")` for what the server records in English. No request APIs here: pure, usable from
 * server and client components and tested in both languages.
 */
import type { createFormatter, createTranslator } from "next-intl";
import type { Messages } from "@/messages";
import type {
  ChangeConsequences,
  ChangeRefusal,
  ConsequenceNote,
  PlanOutline,
  PriceQuote,
} from "./change-consequences";
import type { PermissionReason, SeatRefusal } from "./change-rules";
import { termValue, type Duration, type TermDescription, type TermValue } from "./describe-term";

/** A translator over the whole catalog (keys are `namespace.key`). */
export type Translate = ReturnType<typeof createTranslator<Messages>>;
export type Format = ReturnType<typeof createFormatter>;

export function seatCountWords(t: Translate, count: number): string {
  return t("subscription.seatCount", { count });
}

export function durationWords(t: Translate, duration: Duration): string {
  return t("subscription.duration", { unit: duration.unit, count: duration.count });
}

/** A term unit as the review page names it: "1 year", or a value that is no duration quoted as sent (“PAY”). */
export function termUnitWords(t: Translate, unit: string): string {
  const value = termValue(unit);
  return value.kind === "duration"
    ? durationWords(t, value.duration)
    : t("subscription.rawTerm", { value: value.value });
}

/** Several terms a plan is offered with: "1 month or 1 year"; null when none is known. */
export function termUnitsWords(t: Translate, format: Format, units: readonly string[]): string | null {
  if (units.length === 0) return null;
  return format.list(
    units.map((unit) => termUnitWords(t, unit)),
    { type: "disjunction" },
  );
}

function lengthWords(t: Translate, value: TermValue): string {
  return value.kind === "duration" ? durationWords(t, value.duration) : value.value;
}

/** "3 years, charged every month", "1 year, charged up front", "PAY" (as sent); "—" when nothing is known. */
export function termWords(t: Translate, term: TermDescription): string {
  const length = term.length ? lengthWords(t, term.length) : null;
  const charge = !term.charge
    ? null
    : term.charge.kind === "upfront"
      ? t("subscription.charge.upfront")
      : term.charge.kind === "every"
        ? t("subscription.charge.every", { unit: term.charge.duration.unit, count: term.charge.duration.count })
        : t("subscription.charge.raw", { value: term.charge.value });
  if (length && charge) return t("subscription.termWithCharge", { length, charge });
  return length ?? charge ?? t("common.none");
}

/** "USD 2,400.00": Microsoft's currency code and the currency's usual decimals; a code Intl cannot use is written as sent. */
export function moneyWords(format: Format, amount: number, currency: string | null): string {
  const code = currency?.trim().toUpperCase() || null;
  if (code && /^[A-Z]{3}$/.test(code))
    return format.number(amount, { style: "currency", currency: code, currencyDisplay: "code" });
  const number = format.number(amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return code ? `${code} ${number}` : number;
}

/** The period a price is for, as an argument of subscription.price.period. */
function period(unit: string | null): { period: string; count: number; value: string } {
  const value = termValue(unit ?? "");
  if (!unit || value.kind === "raw") return { period: unit ? "raw" : "none", count: 0, value: unit?.trim() ?? "" };
  const { count, unit: kind } = value.duration;
  if (kind === "month" && count % 12 === 0)
    return { period: count === 12 ? "year" : "years", count: count / 12, value: "" };
  if (kind === "month") return { period: count === 1 ? "month" : "months", count, value: "" };
  if (kind === "year") return { period: count === 1 ? "year" : "years", count, value: "" };
  return { period: "raw", count: 0, value: unit.trim() };
}

/**
 * A price in words: "USD 2,400.00 per year for 10 seats (USD 240.00 per user per year)",
 * "USD 99.00 per month (flat price)", "USD 240.00 per user per year"; several prices listed with "or".
 * `flatNote: false` leaves out "(flat price)" where the line says it already.
 */
export function priceWords(
  t: Translate,
  format: Format,
  quote: PriceQuote,
  options: { flatNote?: boolean } = {},
): string {
  const per = (unit: string | null) => t("subscription.price.period", period(unit));
  const money = (amount: number, currency: string | null) => moneyWords(format, amount, currency);
  if (quote.entries.length > 1)
    return format.list(
      quote.entries.map((entry) =>
        quote.perSeat
          ? t("subscription.price.perUser", { money: money(entry.amount, entry.currency), per: per(entry.unit) })
          : t("subscription.price.plain", { money: money(entry.amount, entry.currency), per: per(entry.unit) }),
      ),
      { type: "disjunction" },
    );
  const entry = quote.entries[0]!;
  const values = { money: money(entry.amount, entry.currency), per: per(entry.unit) };
  if (!quote.perSeat)
    return options.flatNote === false ? t("subscription.price.plain", values) : t("subscription.price.flat", values);
  const each = t("subscription.price.perUser", values);
  if (quote.seats === null) return each;
  return t("subscription.price.forSeats", {
    total: money(entry.amount * quote.seats, entry.currency),
    per: values.per,
    seats: quote.seats,
    each,
  });
}

/** One line about a plan for the list to choose from: "Per user · 10–5,000 seats · 1 year · USD 240.00 per user per year". */
export function planOutlineWords(t: Translate, format: Format, outline: PlanOutline): string {
  return [
    outline.perSeat ? t("subscription.pricing.perUser") : t("subscription.pricing.flat"),
    outline.seats ? t("subscription.seatRange", outline.seats) : null,
    termUnitsWords(t, format, outline.termUnits),
    outline.price ? priceWords(t, format, outline.price, { flatNote: false }) : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** A consequence of a change, as one sentence. */
export function noteWords(t: Translate, format: Format, note: ConsequenceNote): string {
  switch (note.code) {
    case "seats-raised":
    case "seats-lowered":
      return t(note.code === "seats-raised" ? "subscription.notes.seatsRaised" : "subscription.notes.seatsLowered", {
        plan: note.plan,
        limit: note.limit,
        seats: note.seats,
        from: note.from,
      });
    case "seats-start":
      return t("subscription.notes.seatsStart", {
        plan: note.plan,
        seats: note.seats,
        atMinimum: note.atMinimum ? "yes" : "no",
      });
    case "seats-kept":
      return t("subscription.notes.seatsKept", { seats: note.seats });
    case "seats-new":
      return t("subscription.notes.seatsNew", { seats: note.seats, from: note.from });
    case "flat-price":
      return note.from === null
        ? t("subscription.notes.flatPrice", { plan: note.plan })
        : t("subscription.notes.flatPriceSeats", { plan: note.plan, from: note.from });
    case "term-stays": {
      const end = note.endDate ? format.dateTime(note.endDate, "day") : null;
      if (note.unit === null)
        return end ? t("subscription.notes.termStaysEnds", { end }) : t("subscription.notes.termStays");
      const term = termUnitWords(t, note.unit);
      return end
        ? t("subscription.notes.termStaysAsEnds", { term, end })
        : t("subscription.notes.termStaysAs", { term });
    }
    case "term-changes":
      return note.from === null
        ? t("subscription.notes.termWillBe", { to: termUnitWords(t, note.to) })
        : t("subscription.notes.termChanges", { from: termUnitWords(t, note.from), to: termUnitWords(t, note.to) });
    case "term-one-of":
      return t("subscription.notes.termOneOf", { plan: note.plan, terms: termUnitsWords(t, format, note.units) ?? "" });
    case "term-unknown":
      return t("subscription.notes.termUnknown", { plan: note.plan });
    case "price-unknown":
      return t("subscription.notes.priceUnknown", { plan: note.plan });
    case "price":
      return note.before
        ? t("subscription.notes.priceNow", {
            after: priceWords(t, format, note.after),
            before: priceWords(t, format, note.before),
          })
        : t("subscription.notes.price", { after: priceWords(t, format, note.after) });
  }
}

/** Why a seat count is refused (the seat form in the browser, and the server's refusals). */
export function seatRefusalWords(t: Translate, refusal: SeatRefusal): string {
  switch (refusal.code) {
    case "flat-price":
      return t("accountForms.seatRefusal.flatPrice");
    case "not-whole":
      return t("accountForms.seatRefusal.notWhole");
    case "below-minimum":
      return t("accountForms.seatRefusal.belowMinimum", { min: refusal.min });
    case "above-maximum":
      return t("accountForms.seatRefusal.aboveMaximum", { max: refusal.max });
    case "unchanged":
      return t("accountForms.seatRefusal.unchanged", { seats: refusal.seats });
  }
}

/**
 * Why a plan or seat change is not possible. `field`: the shorter words next to the field
 * (the plan list) where they differ from the page's.
 */
export function refusalWords(t: Translate, refusal: ChangeRefusal, options: { field?: boolean } = {}): string {
  switch (refusal.code) {
    case "plan-not-offered":
      return options.field ? t("subscription.refusal.planNotOfferedField") : t("subscription.refusal.planNotOffered");
    case "plan-is-current":
      return options.field ? t("subscription.refusal.planIsCurrentField") : t("subscription.refusal.planIsCurrent");
    case "seats-below-plan-minimum":
      return t("subscription.refusal.seatsBelowPlanMinimum", {
        plan: refusal.plan,
        min: refusal.min,
        max: refusal.max,
      });
    case "seats-above-plan-maximum":
      return t("subscription.refusal.seatsAbovePlanMaximum", {
        plan: refusal.plan,
        min: refusal.min,
        max: refusal.max,
      });
    case "policy-plan-move":
      return t("subscription.refusal.policyPlanMove", { from: refusal.from, to: refusal.to });
    case "policy-seats-minimum":
      return t("subscription.refusal.policySeatsMinimum", { plan: refusal.plan, limit: refusal.limit });
    case "policy-seats-maximum":
      return t("subscription.refusal.policySeatsMaximum", { plan: refusal.plan, limit: refusal.limit });
    default:
      return seatRefusalWords(t, refusal);
  }
}

/** Why the customer may not make a change (change-rules.ts). */
export function permissionWords(t: Translate, reason: PermissionReason): string {
  return t(`subscription.permission.${reason}`);
}

/** A change in progress or just finished, by its Microsoft action: "Plan change", "Seat change", "Cancellation". */
export function changeNameWords(t: Translate, action: string): string {
  return t("subscription.changeName", { action });
}

/** The seats of a side of the change, for the review table: "10", or "Flat price". */
export function sideSeatsWords(t: Translate, format: Format, side: ChangeConsequences["before"]): string {
  return side.perSeat
    ? side.seats === null
      ? t("common.none")
      : format.number(side.seats)
    : t("subscription.pricing.flat");
}
