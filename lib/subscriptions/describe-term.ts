/**
 * A subscription's term in words, from Microsoft's open values (marketplace-contract.md §5.3,
 * §15.12): `termUnit` is an ISO-8601 duration (`P1M`, `P1Y` … `P5Y` documented; others such as
 * `P6M` read the same way), and a value that is not one (e.g. `PAY`) is shown as it is, never
 * dropped or guessed at. `chargeDuration` (how often the customer pays within the term; meaning
 * unverified) is described the same way when present. Pure: used by pages and tested alone.
 */

export interface TermDescription {
  /** "1 year", "3 years", or the raw value; null when Microsoft sent none. */
  length: string | null;
  /** "charged every month", "charged every 3 months", "charged up front", or with the raw value; null when absent. */
  charge: string | null;
  /** Both together, e.g. "3 years, charged every month"; "—" when nothing is known. */
  text: string;
}

const UNITS: Record<string, [string, string]> = {
  D: ["day", "days"],
  W: ["week", "weeks"],
  M: ["month", "months"],
  Y: ["year", "years"],
};

/** "P1M" → "1 month", "P3Y" → "3 years"; null for anything that is not a single-unit ISO duration. */
export function durationInWords(value: string | null | undefined): string | null {
  const match = /^P(\d{1,3})([DWMY])$/i.exec((value ?? "").trim());
  if (!match) return null;
  const count = Number(match[1]);
  const [one, many] = UNITS[match[2]!.toUpperCase()]!;
  return count === 0 ? null : `${count} ${count === 1 ? one : many}`;
}

export function describeTerm(term: {
  termUnit: string | null | undefined;
  chargeDuration?: string | null | undefined;
}): TermDescription {
  const unit = term.termUnit?.trim() || null;
  const length = unit ? (durationInWords(unit) ?? unit) : null;
  const chargeRaw = term.chargeDuration?.trim() || null;
  let charge: string | null = null;
  if (chargeRaw) {
    const words = durationInWords(chargeRaw);
    charge = !words
      ? `charge period ${chargeRaw}`
      : chargeRaw.toUpperCase() === unit?.toUpperCase()
        ? "charged up front"
        : `charged every ${words.startsWith("1 ") ? words.slice(2) : words}`;
  }
  const text = [length, charge].filter(Boolean).join(", ") || "—";
  return { length, charge, text };
}
