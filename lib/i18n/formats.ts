/**
 * Named formats, so every page writes a date or a number the same way in each language
 * (`format.dateTime(date, "day")`; Japanese gets 2026年11月25日, English November 25, 2026).
 */
import type { Formats } from "next-intl";

export const formats = {
  dateTime: {
    /** A calendar day of a term (Microsoft's term dates are UTC days). */
    day: { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" },
    /** A moment something happened, in the reader's time zone. */
    moment: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
    /** A moment with seconds, for operators' logs and timelines. */
    precise: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" },
  },
  number: {
    count: { maximumFractionDigits: 0 },
  },
} satisfies Formats;
