/**
 * Text the offer catalog gives either once for every language ("Company name") or per language
 * ({ "en": "Company name", "ja": "会社名" }; English required, as English is the portal's
 * reference language). These are the ISV's own words: the portal's catalogs do not translate them.
 * No server-only imports: client components use it.
 */
import { z } from "zod";
import type { Locale } from "@/lib/i18n/locales";

export type LocalizedText = string | ({ en: string } & Partial<Record<Locale, string>>);

/** A text field of the catalog that may also be given per language. */
export function localizedTextSchema(text: z.ZodString) {
  return z.union([text, z.object({ en: text, ja: text.optional() }).strict()], {
    error: 'must be text, or texts per language such as { "en": "…", "ja": "…" }',
  });
}

/** The text in this language, else English. */
export function localize(text: LocalizedText, locale: Locale): string {
  return typeof text === "string" ? text : (text[locale] ?? text.en);
}
