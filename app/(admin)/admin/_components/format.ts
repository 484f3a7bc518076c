import type { createFormatter } from "next-intl";

type Formatter = ReturnType<typeof createFormatter>;

/**
 * A moment in the console: to the second, in the operator's time zone (the layout names the
 * zone), in their language's order; "—" when there is none.
 */
export function formatMoment(format: Formatter, date: Date | null | undefined): string {
  return date ? format.dateTime(date, "precise") : "—";
}

/** Sentences side by side: a space between English ones, none after a Japanese 。 */
export function joinSentences(locale: string, sentences: Array<string | false | null | undefined>): string {
  return sentences.filter(Boolean).join(locale === "ja" ? "" : " ");
}
