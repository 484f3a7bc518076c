/**
 * What a plan or seat change will do to a subscription, worked out before the customer confirms
 * it: the seats the new plan allows (its minimum and maximum applied), flat price ↔ per user, a
 * change of term, and the price when Microsoft's plan data carries one (List Plans,
 * marketplace-contract.md §6.5). Pure: the review page shows it, and the server works it out again
 * when the customer confirms. `reviewed` is what the customer agreed to; if the server's answer
 * differs (Microsoft's plans or the subscription changed in between), the change is refused rather
 * than applied differently (docs/decisions/0010, §15.24).
 */
import { z } from "zod";
import type { Plan } from "../marketplace/schemas";
import { validateSeatCount } from "./change-rules";
import { durationInWords } from "./describe-term";

/** What a change needs to know of Microsoft's plan (List Plans). */
export type PlanFacts = Pick<
  Plan,
  "planId" | "displayName" | "isPricePerSeat" | "minQuantity" | "maxQuantity" | "planComponents"
>;

/** The subscription as it is now (our copy of Microsoft's). */
export interface CurrentSubscription {
  planId: string;
  quantity: number | null;
  termUnit: string | null;
  termEndDate: Date | null;
}

export type RequestedChange = { kind: "plan"; planId: string } | { kind: "quantity"; quantity: unknown };

/** The facts the customer confirms; compared field by field when the confirmation reaches the server. */
export const reviewedTermsSchema = z.object({
  kind: z.enum(["plan", "quantity"]),
  fromPlanId: z.string().min(1).max(200),
  fromSeats: z.number().int().nonnegative().nullable(),
  planId: z.string().min(1).max(200),
  seats: z.number().int().nonnegative().nullable(),
  /** The term(s) after the change as Microsoft names them (`P1Y`, or several when the plan offers several; [] unknown). */
  termUnits: z.array(z.string().max(50)).max(20),
  /** The end of the term after the change, `YYYY-MM-DD`, when it can be known before the change. */
  termEnd: z.string().max(10).nullable(),
  /** The new plan's price list, `USD 240 P1Y` per entry ([] when Microsoft's data carries none). */
  prices: z.array(z.string().max(100)).max(20),
});
export type ReviewedTerms = z.infer<typeof reviewedTermsSchema>;

/** True when two reviews describe the same change with the same consequences. */
export function sameTerms(a: ReviewedTerms, b: ReviewedTerms): boolean {
  return canonical(a) === canonical(b);
}

function canonical(parsed: ReviewedTerms): string {
  return JSON.stringify([
    parsed.kind,
    parsed.fromPlanId,
    parsed.fromSeats,
    parsed.planId,
    parsed.seats,
    [...parsed.termUnits].sort(),
    parsed.termEnd,
    [...parsed.prices].sort(),
  ]);
}

export interface PlanSide {
  planId: string;
  planName: string;
  perSeat: boolean;
  /** Seats on a per-user plan; null on a flat-price plan (or when Microsoft gives none). */
  seats: number | null;
  /** The term in words ("1 month"), "1 month or 1 year" when the plan offers several, or null when unknown. */
  term: string | null;
  /** The price in words, when Microsoft's plan data carries one. */
  price: string | null;
}

export interface ConsequenceNote {
  /** "attention": something the customer may not expect (seats moved, another term); "info": everything else. */
  tone: "attention" | "info";
  text: string;
}

export interface ChangeConsequences {
  kind: "plan" | "quantity";
  before: PlanSide;
  after: PlanSide;
  /** Why the seats are not simply carried over: the new plan's minimum or maximum, or a flat → per-user start. */
  seatsAdjusted: { reason: "minimum" | "maximum" | "start"; limit: number } | null;
  term: {
    change: "no" | "yes" | "unknown";
    /** The end of the term after the change when it can be known now; otherwise `knownWhen` says when. */
    endDate: Date | null;
    knownWhen: string | null;
  };
  /** The consequences in plain words, most surprising first. */
  notes: ConsequenceNote[];
  reviewed: ReviewedTerms;
}

export type ConsequencesResult =
  | { ok: true; consequences: ChangeConsequences }
  | { ok: false; field: "planId" | "quantity"; message: string; fieldMessage: string };

const DEFAULT_MAX_SEATS = 1_000_000;
const KNOWN_WHEN = "once Microsoft has applied the change";
export const PRICE_FOOTNOTE =
  "Prices are Microsoft's list prices for these plans. Microsoft bills you: taxes, discounts and the part of the current term already used can make your invoice differ.";

export function changeConsequences(input: {
  subscription: CurrentSubscription;
  plans: readonly PlanFacts[];
  change: RequestedChange;
}): ConsequencesResult {
  const { subscription, plans, change } = input;
  const current = plans.find((plan) => plan.planId === subscription.planId);
  const fromPerSeat = current?.isPricePerSeat ?? subscription.quantity !== null;
  const fromSeats = fromPerSeat ? subscription.quantity : null;
  const fromUnit = cleanUnit(subscription.termUnit);
  const before: PlanSide = {
    planId: subscription.planId,
    planName: planName(current, subscription.planId),
    perSeat: fromPerSeat,
    seats: fromSeats,
    term: fromUnit ? describeTermUnit(fromUnit) : null,
    price: current ? priceWords(current, fromPerSeat, fromSeats, fromUnit ? [fromUnit] : []) : null,
  };
  return change.kind === "plan"
    ? planChange(subscription, plans, change.planId, before, fromUnit)
    : seatChange(subscription, current, change.quantity, before, fromUnit);
}

function planChange(
  subscription: CurrentSubscription,
  plans: readonly PlanFacts[],
  planId: string,
  before: PlanSide,
  fromUnit: string | null,
): ConsequencesResult {
  const target = plans.find((plan) => plan.planId === planId);
  if (!target)
    return {
      ok: false,
      field: "planId",
      message: "That plan is not available for this subscription.",
      fieldMessage: "Choose one of the plans listed.",
    };
  if (target.planId === subscription.planId)
    return {
      ok: false,
      field: "planId",
      message: "This is already the subscription's plan.",
      fieldMessage: "This is already the current plan.",
    };

  const name = planName(target, target.planId);
  const perSeat = target.isPricePerSeat ?? false;
  let seats: number | null = null;
  let seatsAdjusted: ChangeConsequences["seatsAdjusted"] = null;
  if (perSeat) {
    const { min, max } = seatLimits(target);
    const base = before.seats ?? min;
    seats = Math.min(max, Math.max(min, base));
    if (before.seats === null) seatsAdjusted = { reason: "start", limit: min };
    else if (seats > before.seats) seatsAdjusted = { reason: "minimum", limit: min };
    else if (seats < before.seats) seatsAdjusted = { reason: "maximum", limit: max };
  }

  const units = termUnitsOf(target);
  const change: ChangeConsequences["term"]["change"] =
    units.length === 1 && fromUnit !== null && sameUnit(units[0]!, fromUnit)
      ? "no"
      : units.length === 1
        ? "yes"
        : "unknown";
  const endDate = change === "no" ? subscription.termEndDate : null;
  const after: PlanSide = {
    planId: target.planId,
    planName: name,
    perSeat,
    seats,
    term: units.length > 0 ? units.map(describeTermUnit).join(" or ") : null,
    price: priceWords(target, perSeat, seats, units),
  };

  const notes: ConsequenceNote[] = [];
  if (seatsAdjusted?.reason === "minimum")
    notes.push({
      tone: "attention",
      text: `${name} needs at least ${seatWords(seatsAdjusted.limit)}: you will have ${seatWords(seats!)} instead of ${before.seats}.`,
    });
  else if (seatsAdjusted?.reason === "maximum")
    notes.push({
      tone: "attention",
      text: `${name} allows at most ${seatWords(seatsAdjusted.limit)}: you will have ${seatWords(seats!)} instead of ${before.seats}.`,
    });
  else if (seatsAdjusted?.reason === "start")
    notes.push({
      tone: "attention",
      text: `${name} is priced per user: you will start with ${seatWords(seats!)}${seats === seatsAdjusted.limit ? ", the plan's minimum" : ""}. You can change the number of seats once the plan change is done.`,
    });
  else if (perSeat && before.seats !== null)
    notes.push({ tone: "info", text: `You keep your ${seatWords(before.seats)}.` });
  if (!perSeat && before.perSeat)
    notes.push({
      tone: "attention",
      text: `${name} has a flat price: you will no longer pay per user${before.seats !== null ? ` (you have ${seatWords(before.seats)} now)` : ""}.`,
    });
  notes.push(termNote(change, name, before.term, units, endDate));
  notes.push(priceNote(before, after));
  notes.sort((a, b) => (a.tone === b.tone ? 0 : a.tone === "attention" ? -1 : 1));

  return {
    ok: true,
    consequences: {
      kind: "plan",
      before,
      after,
      seatsAdjusted,
      term: { change, endDate, knownWhen: endDate ? null : KNOWN_WHEN },
      notes,
      reviewed: {
        kind: "plan",
        fromPlanId: subscription.planId,
        fromSeats: before.seats,
        planId: target.planId,
        seats,
        termUnits: units,
        termEnd: endDate ? isoDay(endDate) : null,
        prices: priceKeys(target),
      },
    },
  };
}

function seatChange(
  subscription: CurrentSubscription,
  current: PlanFacts | undefined,
  raw: unknown,
  before: PlanSide,
  fromUnit: string | null,
): ConsequencesResult {
  const limits = current ? seatLimits(current) : { min: 1, max: DEFAULT_MAX_SEATS };
  const checked = validateSeatCount(
    raw,
    { isPricePerSeat: current?.isPricePerSeat ?? false, minQuantity: limits.min, maxQuantity: limits.max },
    subscription.quantity,
  );
  if (!checked.ok) {
    const message = outOfRange(raw, before.planName, limits) ?? checked.message;
    return { ok: false, field: "quantity", message, fieldMessage: message };
  }
  const seats = checked.quantity;
  const units = fromUnit ? [fromUnit] : [];
  const endDate = subscription.termEndDate;
  const after: PlanSide = {
    ...before,
    seats,
    price: current ? priceWords(current, true, seats, units) : null,
  };
  const notes: ConsequenceNote[] = [
    { tone: "info", text: `You will have ${seatWords(seats)} instead of ${before.seats ?? 0}.` },
    termNote("no", before.planName, before.term, units, endDate),
    priceNote(before, after),
  ];
  return {
    ok: true,
    consequences: {
      kind: "quantity",
      before,
      after,
      seatsAdjusted: null,
      term: { change: "no", endDate, knownWhen: endDate ? null : KNOWN_WHEN },
      notes,
      reviewed: {
        kind: "quantity",
        fromPlanId: subscription.planId,
        fromSeats: before.seats,
        planId: subscription.planId,
        seats,
        termUnits: units,
        termEnd: endDate ? isoDay(endDate) : null,
        prices: current ? priceKeys(current) : [],
      },
    },
  };
}

/** A whole number outside the plan's range, refused with both limits in words. */
function outOfRange(raw: unknown, name: string, limits: { min: number; max: number }): string | null {
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
  if (!/^\d{1,7}$/.test(text)) return null;
  const seats = Number(text);
  const range = `choose between ${limits.min.toLocaleString("en-US")} and ${limits.max.toLocaleString("en-US")}`;
  if (seats < limits.min) return `${name} needs at least ${seatWords(limits.min)}: ${range}.`;
  if (seats > limits.max) return `${name} allows at most ${seatWords(limits.max)}: ${range}, or a larger plan.`;
  return null;
}

function termNote(
  change: "no" | "yes" | "unknown",
  name: string,
  beforeTerm: string | null,
  units: string[],
  endDate: Date | null,
): ConsequenceNote {
  if (change === "no")
    return {
      tone: "info",
      text: `Your term stays ${beforeTerm ?? "as it is"}${endDate ? `: the current term ends on ${formatDay(endDate)}` : ""}.`,
    };
  const dates = `Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page ${KNOWN_WHEN}.`;
  if (change === "yes")
    return {
      tone: "attention",
      text: beforeTerm
        ? `Your term changes from ${beforeTerm} to ${describeTermUnit(units[0]!)}. ${dates}`
        : `Your term will be ${describeTermUnit(units[0]!)}. ${dates}`,
    };
  if (units.length > 1)
    return {
      tone: "attention",
      text: `${name} is offered with a ${units.map(describeTermUnit).join(" or a ")} term: Microsoft decides which one your subscription gets when it applies the change. The term and its dates show on this subscription's page ${KNOWN_WHEN}.`,
    };
  return {
    tone: "attention",
    text: `Microsoft's plan data does not say which term ${name} has: the term and its dates show on this subscription's page ${KNOWN_WHEN}.`,
  };
}

function priceNote(before: PlanSide, after: PlanSide): ConsequenceNote {
  if (!after.price)
    return {
      tone: "info",
      text: `Microsoft's plan data carries no price for ${after.planName}: the Azure portal or the Microsoft 365 admin center shows it.`,
    };
  return {
    tone: "info",
    text: `Price after the change: ${after.price}${before.price && before.price !== after.price ? `; now ${before.price}` : ""}.`,
  };
}

/** One line about a plan for the list to choose from: "Per user · 10–5,000 seats · 1 year · USD 240.00 per user per year". */
export function planSummary(plan: PlanFacts): string {
  const perSeat = plan.isPricePerSeat ?? false;
  const { min, max } = seatLimits(plan);
  const units = termUnitsOf(plan);
  const price = priceWords(plan, perSeat, null, []);
  return [
    perSeat ? "Per user" : "Flat price",
    perSeat ? `${min.toLocaleString("en-US")}–${max.toLocaleString("en-US")} seats` : null,
    units.length > 0 ? units.map(describeTermUnit).join(" or ") : null,
    price?.replace(/ \(flat price\)$/, ""),
  ]
    .filter(Boolean)
    .join(" · ");
}

// --- Words -------------------------------------------------------------------------------------

const TERM_PATTERN = /^P(\d{1,3})([MY])$/;

/** Months in a term unit (`P1M` 1, `P1Y` 12, `P5Y` 60), or null for a unit Microsoft has not documented. */
export function termMonths(unit: string | null | undefined): number | null {
  const match = TERM_PATTERN.exec(unit?.trim().toUpperCase() ?? "");
  if (!match) return null;
  const count = Number(match[1]);
  if (count === 0) return null;
  return match[2] === "Y" ? count * 12 : count;
}

/** "1 month", "1 year", "5 years" (as the subscription pages write a term); a unit that is no duration (`PAY`) as Microsoft wrote it, quoted (§15.12). */
export function describeTermUnit(unit: string): string {
  return durationInWords(unit) ?? `“${unit.trim()}”`;
}

function perTerm(unit: string | null): string {
  const months = termMonths(unit);
  if (months === 1) return "per month";
  if (months === 12) return "per year";
  if (months !== null) return `for ${months % 12 === 0 ? `${months / 12} years` : `${months} months`}`;
  return unit ? `per “${unit}” term` : "per term";
}

function cleanUnit(unit: string | null | undefined): string | null {
  const text = unit?.trim();
  return text ? text : null;
}

function sameUnit(a: string, b: string): boolean {
  const months = [termMonths(a), termMonths(b)];
  if (months[0] !== null && months[1] !== null) return months[0] === months[1];
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** The distinct terms a plan is sold with, as Microsoft names them. */
function termUnitsOf(plan: PlanFacts): string[] {
  const units: string[] = [];
  for (const term of plan.planComponents?.recurrentBillingTerms ?? []) {
    const unit = cleanUnit(term.termUnit);
    if (unit && !units.some((known) => sameUnit(known, unit))) units.push(unit);
  }
  return units;
}

interface PriceEntry {
  amount: number;
  currency: string | null;
  unit: string | null;
}

function pricesOf(plan: PlanFacts): PriceEntry[] {
  return (plan.planComponents?.recurrentBillingTerms ?? []).flatMap((term) =>
    typeof term.price === "number" && Number.isFinite(term.price) && term.price >= 0
      ? [{ amount: term.price, currency: cleanUnit(term.currency), unit: cleanUnit(term.termUnit) }]
      : [],
  );
}

function priceKeys(plan: PlanFacts): string[] {
  return pricesOf(plan).map((price) => `${price.currency ?? "?"} ${price.amount} ${price.unit ?? "?"}`);
}

/**
 * The price in words: "USD 2,400.00 per year for 10 seats (USD 240.00 per user per year)". With
 * `units`, only the prices of those terms (the subscription's own); several prices are listed.
 */
function priceWords(plan: PlanFacts, perSeat: boolean, seats: number | null, units: string[]): string | null {
  const all = pricesOf(plan);
  const matching =
    units.length > 0 ? all.filter((price) => units.some((unit) => sameUnit(unit, price.unit ?? ""))) : all;
  const prices = matching.length > 0 ? matching : all;
  if (prices.length === 0) return null;
  if (prices.length > 1)
    return prices
      .map(
        (price) => `${formatMoney(price.amount, price.currency)}${perSeat ? " per user" : ""} ${perTerm(price.unit)}`,
      )
      .join(", or ");
  const price = prices[0]!;
  if (!perSeat) return `${formatMoney(price.amount, price.currency)} ${perTerm(price.unit)} (flat price)`;
  const each = `${formatMoney(price.amount, price.currency)} per user ${perTerm(price.unit)}`;
  return seats === null
    ? each
    : `${formatMoney(price.amount * seats, price.currency)} ${perTerm(price.unit)} for ${seatWords(seats)} (${each})`;
}

/** "USD 2,400.00": the currency's code (as Microsoft sends it) and its usual decimals. */
export function formatMoney(amount: number, currency: string | null): string {
  const code = currency?.toUpperCase() ?? null;
  let digits = 2;
  if (code && /^[A-Z]{3}$/.test(code)) {
    try {
      digits =
        new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ??
        2;
    } catch {
      digits = 2;
    }
  }
  const number = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
  return code ? `${code} ${number}` : number;
}

function seatLimits(plan: PlanFacts): { min: number; max: number } {
  const min = Math.max(1, plan.minQuantity ?? 1);
  return { min, max: Math.max(min, plan.maxQuantity ?? DEFAULT_MAX_SEATS) };
}

function planName(plan: PlanFacts | undefined, planId: string): string {
  return plan?.displayName?.trim() || planId;
}

function seatWords(count: number): string {
  return `${count.toLocaleString("en-US")} seat${count === 1 ? "" : "s"}`;
}

/** "24 November 2026" (UTC: term dates are calendar days), as the account pages write dates. */
export function formatDay(date: Date): string {
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
