/**
 * Free text from the console's URLs (search boxes and filters), one schema for every admin list
 * and the CSV export. PostgreSQL refuses NUL in text (the query failed and the page answered 500),
 * and no id, name, email, offer or plan holds a control character or a lone surrogate, so such
 * text is refused with a reason before it reaches the database.
 */
import { z } from "zod";
import { single } from "./paging";

// \p{Cc}: C0 controls (NUL included), DEL and C1 controls. With the u flag a surrogate pair is one
// code point, so \p{Cs} matches only a lone (unpaired) surrogate: text that has no UTF-8 form.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a search text was refused, for the console to say in the reader's language. */
export type QueryProblemKind = "control_character" | "invalid_unicode";

/**
 * Trimmed text, or undefined when empty or absent. Longer than `max` is dropped like other junk
 * (the inputs carry the same maxLength); a control character or broken Unicode is an error
 * naming `label` (in English, for the CSV export's plain-text answer) and carrying the problem as
 * a code, so the caller can say what was wrong instead of searching for something else.
 */
export function queryText(label: string, max: number) {
  return z.preprocess(
    single,
    z
      .string()
      .trim()
      .refine((text) => !CONTROL.test(text), {
        message: `${label}: contains a control character (such as NUL); remove it and search again`,
        params: { problem: "control_character" satisfies QueryProblemKind },
      })
      .refine((text) => !LONE_SURROGATE.test(text), {
        message: `${label}: is not valid Unicode (a lone surrogate); remove it and search again`,
        params: { problem: "invalid_unicode" satisfies QueryProblemKind },
      })
      .transform((text) => (text && text.length <= max ? text : undefined))
      .optional(),
  );
}

/** One refused search parameter: its name in the URL (q, offer, id…) and what is wrong with it. */
export interface QueryProblem {
  param: string;
  problem: QueryProblemKind;
}

export type AdminQuery<T> = { ok: true; query: T } | { ok: false; reason: string; problems: QueryProblem[] };

/** A console list's search params through its schema: the query, or the reason it was refused. */
export function parseAdminQuery<T>(
  schema: z.ZodType<T>,
  params: Record<string, string | string[] | undefined> | URLSearchParams,
): AdminQuery<T> {
  const record = params instanceof URLSearchParams ? Object.fromEntries(params.entries()) : params;
  const parsed = schema.safeParse(record);
  if (parsed.success) return { ok: true, query: parsed.data };
  return {
    ok: false,
    reason: parsed.error.issues.map((issue) => issue.message).join("; "),
    problems: parsed.error.issues.map((issue) => ({
      param: String(issue.path[0] ?? ""),
      problem:
        issue.code === "custom" && issue.params?.problem === "invalid_unicode"
          ? "invalid_unicode"
          : "control_character",
    })),
  };
}
