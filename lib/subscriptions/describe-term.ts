/**
 * A subscription's term as data, from Microsoft's open values (marketplace-contract.md §5.3,
 * §15.12): `termUnit` is an ISO-8601 duration (`P1M`, `P1Y` … `P5Y` documented; others such as
 * `P6M` read the same way), and a value that is not one (e.g. `PAY`) is kept as it is, never
 * dropped or guessed at. `chargeDuration` (how often the customer pays within the term; meaning
 * unverified) is read the same way when present. Pure and language-free: the words are
 * `termWords` (lib/subscriptions/subscription-words.ts), in the reader's language.
 */

/** A single-unit ISO-8601 duration: `P3Y` is { count: 3, unit: "year" }. */
export interface Duration {
  count: number;
  unit: "day" | "week" | "month" | "year";
}

/** A value Microsoft sent: a duration when it reads as one, else the text as Microsoft wrote it. */
export type TermValue = { kind: "duration"; duration: Duration } | { kind: "raw"; value: string };

export type TermCharge =
  /** The charge duration is the term itself: paid once for the whole term. */
  { kind: "upfront" } | { kind: "every"; duration: Duration } | { kind: "raw"; value: string };

export interface TermDescription {
  /** The term's length; null when Microsoft sent none. */
  length: TermValue | null;
  /** How often the customer pays within the term; null when Microsoft sent none. */
  charge: TermCharge | null;
}

const UNITS: Record<string, Duration["unit"]> = { D: "day", W: "week", M: "month", Y: "year" };

/** "P1M" → 1 month, "P3Y" → 3 years; null for anything that is not a single-unit ISO duration. */
export function parseDuration(value: string | null | undefined): Duration | null {
  const match = /^P(\d{1,3})([DWMY])$/i.exec((value ?? "").trim());
  if (!match) return null;
  const count = Number(match[1]);
  return count === 0 ? null : { count, unit: UNITS[match[2]!.toUpperCase()]! };
}

/** A term unit as data: its duration, or the value as Microsoft wrote it (`PAY`). */
export function termValue(value: string): TermValue {
  const duration = parseDuration(value);
  return duration ? { kind: "duration", duration } : { kind: "raw", value: value.trim() };
}

export function describeTerm(term: {
  termUnit: string | null | undefined;
  chargeDuration?: string | null | undefined;
}): TermDescription {
  const unit = term.termUnit?.trim() || null;
  const chargeRaw = term.chargeDuration?.trim() || null;
  let charge: TermCharge | null = null;
  if (chargeRaw) {
    const duration = parseDuration(chargeRaw);
    charge = !duration
      ? { kind: "raw", value: chargeRaw }
      : chargeRaw.toUpperCase() === unit?.toUpperCase()
        ? { kind: "upfront" }
        : { kind: "every", duration };
  }
  return { length: unit ? termValue(unit) : null, charge };
}
