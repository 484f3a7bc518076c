/**
 * What a plan or seat change will do to a subscription, worked out before the customer confirms
 * it: the seats the new plan allows (its minimum and maximum applied), flat price ↔ per user, a
 * change of term, and the price when Microsoft's plan data carries one (List Plans,
 * marketplace-contract.md §6.5). Pure: the review page shows it, and the server works it out again
 * when the customer confirms. `reviewed` is what the customer agreed to; if the server's answer
 * differs (Microsoft's plans or the subscription changed in between), the change is refused rather
 * than applied differently (docs/decisions/0010, §15.24). Language-free: notes, prices and
 * refusals are data (codes and values), compared as data; the pages put them into words in the
 * reader's language (lib/subscriptions/subscription-words.ts).
 */
import { z } from "zod";
import type { Plan } from "../marketplace/schemas";
import { validateSeatCount, type SeatRefusal } from "./change-rules";

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

/** One of a plan's prices: an amount per term, in Microsoft's currency code (or none). */
export interface PriceEntry {
  amount: number;
  currency: string | null;
  unit: string | null;
}

/**
 * A price as data: the plan's prices for the terms in question (several when the plan offers
 * several), per user or flat, and for how many seats. Words: `priceWords`.
 */
export interface PriceQuote {
  perSeat: boolean;
  seats: number | null;
  entries: PriceEntry[];
}

export interface PlanSide {
  planId: string;
  planName: string;
  perSeat: boolean;
  /** Seats on a per-user plan; null on a flat-price plan (or when Microsoft gives none). */
  seats: number | null;
  /** The term(s) as Microsoft names them (`P1M`; several when the plan offers several); [] when unknown. */
  termUnits: string[];
  /** The price, when Microsoft's plan data carries one. */
  price: PriceQuote | null;
}

/**
 * One consequence, as data (the page words it in the reader's language: `noteWords`).
 * "attention": something the customer may not expect (seats moved, another term); "info": the rest.
 */
export type ConsequenceNote =
  /** The new plan's minimum raised the seats (`from` → `seats`). */
  | { tone: "attention"; code: "seats-raised"; plan: string; limit: number; seats: number; from: number }
  /** The new plan's maximum lowered them. */
  | { tone: "attention"; code: "seats-lowered"; plan: string; limit: number; seats: number; from: number }
  /** Flat → per user: the seats it starts with (`atMinimum`: the plan's minimum). */
  | { tone: "attention"; code: "seats-start"; plan: string; seats: number; atMinimum: boolean }
  | { tone: "info"; code: "seats-kept"; seats: number }
  /** A seat change. */
  | { tone: "info"; code: "seats-new"; seats: number; from: number }
  /** Per user → flat (`from`: the seats now, when known). */
  | { tone: "attention"; code: "flat-price"; plan: string; from: number | null }
  /** The same term (`unit` null: not known) and, when known, the day the current one ends. */
  | { tone: "info"; code: "term-stays"; unit: string | null; endDate: Date | null }
  /** Another term (`from` null: the current one is not known); its dates come when Microsoft applies it. */
  | { tone: "attention"; code: "term-changes"; from: string | null; to: string }
  /** A plan sold with several terms: Microsoft picks one when it applies the change. */
  | { tone: "attention"; code: "term-one-of"; plan: string; units: string[] }
  | { tone: "attention"; code: "term-unknown"; plan: string }
  | { tone: "info"; code: "price-unknown"; plan: string }
  /** The price after the change, and the one now when it differs. */
  | { tone: "info"; code: "price"; after: PriceQuote; before: PriceQuote | null };

/** Why a plan or seat change is not possible, as data (words: `refusalWords`). */
export type ChangeRefusal =
  | SeatRefusal
  | { code: "plan-not-offered" }
  | { code: "plan-is-current" }
  | { code: "seats-below-plan-minimum"; plan: string; min: number; max: number }
  | { code: "seats-above-plan-maximum"; plan: string; min: number; max: number }
  /** The publisher's policy (lib/subscriptions/publisher-policy.ts) does not offer this plan move. */
  | { code: "policy-plan-move"; from: string; to: string }
  | { code: "policy-seats-minimum"; plan: string; limit: number }
  | { code: "policy-seats-maximum"; plan: string; limit: number };

export interface ChangeConsequences {
  kind: "plan" | "quantity";
  before: PlanSide;
  after: PlanSide;
  /** Why the seats are not simply carried over: the new plan's minimum or maximum, or a flat → per-user start. */
  seatsAdjusted: { reason: "minimum" | "maximum" | "start"; limit: number } | null;
  term: {
    change: "no" | "yes" | "unknown";
    /** The end of the term after the change when it can be known now; otherwise it shows once Microsoft has applied the change. */
    endDate: Date | null;
  };
  /** The consequences, most surprising first. */
  notes: ConsequenceNote[];
  reviewed: ReviewedTerms;
}

export type ConsequencesResult =
  { ok: true; consequences: ChangeConsequences } | { ok: false; field: "planId" | "quantity"; refusal: ChangeRefusal };

const DEFAULT_MAX_SEATS = 1_000_000;

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
    termUnits: fromUnit ? [fromUnit] : [],
    price: current ? priceQuote(current, fromPerSeat, fromSeats, fromUnit ? [fromUnit] : []) : null,
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
  if (!target) return { ok: false, field: "planId", refusal: { code: "plan-not-offered" } };
  if (target.planId === subscription.planId)
    return { ok: false, field: "planId", refusal: { code: "plan-is-current" } };

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
    termUnits: units,
    price: priceQuote(target, perSeat, seats, units),
  };

  const notes: ConsequenceNote[] = [];
  if (seatsAdjusted?.reason === "minimum")
    notes.push({
      tone: "attention",
      code: "seats-raised",
      plan: name,
      limit: seatsAdjusted.limit,
      seats: seats!,
      from: before.seats!,
    });
  else if (seatsAdjusted?.reason === "maximum")
    notes.push({
      tone: "attention",
      code: "seats-lowered",
      plan: name,
      limit: seatsAdjusted.limit,
      seats: seats!,
      from: before.seats!,
    });
  else if (seatsAdjusted?.reason === "start")
    notes.push({
      tone: "attention",
      code: "seats-start",
      plan: name,
      seats: seats!,
      atMinimum: seats === seatsAdjusted.limit,
    });
  else if (perSeat && before.seats !== null) notes.push({ tone: "info", code: "seats-kept", seats: before.seats });
  if (!perSeat && before.perSeat) notes.push({ tone: "attention", code: "flat-price", plan: name, from: before.seats });
  notes.push(termNote(change, name, fromUnit, units, endDate));
  notes.push(priceNote(before, after));
  notes.sort((a, b) => (a.tone === b.tone ? 0 : a.tone === "attention" ? -1 : 1));

  return {
    ok: true,
    consequences: {
      kind: "plan",
      before,
      after,
      seatsAdjusted,
      term: { change, endDate },
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
    const refusal: ChangeRefusal =
      checked.refusal.code === "below-minimum"
        ? { code: "seats-below-plan-minimum", plan: before.planName, ...limits }
        : checked.refusal.code === "above-maximum"
          ? { code: "seats-above-plan-maximum", plan: before.planName, ...limits }
          : checked.refusal;
    return { ok: false, field: "quantity", refusal };
  }
  const seats = checked.quantity;
  const units = fromUnit ? [fromUnit] : [];
  const endDate = subscription.termEndDate;
  const after: PlanSide = {
    ...before,
    seats,
    price: current ? priceQuote(current, true, seats, units) : null,
  };
  const notes: ConsequenceNote[] = [
    { tone: "info", code: "seats-new", seats, from: before.seats ?? 0 },
    termNote("no", before.planName, fromUnit, units, endDate),
    priceNote(before, after),
  ];
  return {
    ok: true,
    consequences: {
      kind: "quantity",
      before,
      after,
      seatsAdjusted: null,
      term: { change: "no", endDate },
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

function termNote(
  change: "no" | "yes" | "unknown",
  plan: string,
  fromUnit: string | null,
  units: string[],
  endDate: Date | null,
): ConsequenceNote {
  if (change === "no") return { tone: "info", code: "term-stays", unit: fromUnit, endDate };
  if (change === "yes") return { tone: "attention", code: "term-changes", from: fromUnit, to: units[0]! };
  if (units.length > 1) return { tone: "attention", code: "term-one-of", plan, units };
  return { tone: "attention", code: "term-unknown", plan };
}

function priceNote(before: PlanSide, after: PlanSide): ConsequenceNote {
  if (!after.price) return { tone: "info", code: "price-unknown", plan: after.planName };
  const differs = before.price !== null && JSON.stringify(before.price) !== JSON.stringify(after.price);
  return { tone: "info", code: "price", after: after.price, before: differs ? before.price : null };
}

/** What the list to choose a plan from says about each: per user or flat, seat range, terms, price. */
export interface PlanOutline {
  perSeat: boolean;
  /** The seat range of a per-user plan; null for a flat price. */
  seats: { min: number; max: number } | null;
  termUnits: string[];
  /** Per user (seats null) or flat, all the plan's prices. */
  price: PriceQuote | null;
}

export function planOutline(plan: PlanFacts): PlanOutline {
  const perSeat = plan.isPricePerSeat ?? false;
  return {
    perSeat,
    seats: perSeat ? seatLimits(plan) : null,
    termUnits: termUnitsOf(plan),
    price: priceQuote(plan, perSeat, null, []),
  };
}

// --- Terms and prices ------------------------------------------------------------------------------

const TERM_PATTERN = /^P(\d{1,3})([MY])$/;

/** Months in a term unit (`P1M` 1, `P1Y` 12, `P5Y` 60), or null for a unit Microsoft has not documented. */
export function termMonths(unit: string | null | undefined): number | null {
  const match = TERM_PATTERN.exec(unit?.trim().toUpperCase() ?? "");
  if (!match) return null;
  const count = Number(match[1]);
  if (count === 0) return null;
  return match[2] === "Y" ? count * 12 : count;
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

/** The plan's price for these seats; with `units`, only the prices of those terms (the subscription's own) when it has any. */
function priceQuote(plan: PlanFacts, perSeat: boolean, seats: number | null, units: string[]): PriceQuote | null {
  const all = pricesOf(plan);
  const matching =
    units.length > 0 ? all.filter((price) => units.some((unit) => sameUnit(unit, price.unit ?? ""))) : all;
  const entries = matching.length > 0 ? matching : all;
  return entries.length > 0 ? { perSeat, seats: perSeat ? seats : null, entries } : null;
}

function seatLimits(plan: PlanFacts): { min: number; max: number } {
  const min = Math.max(1, plan.minQuantity ?? 1);
  return { min, max: Math.max(min, plan.maxQuantity ?? DEFAULT_MAX_SEATS) };
}

function planName(plan: PlanFacts | undefined, planId: string): string {
  return plan?.displayName?.trim() || planId;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
