/**
 * The portal's languages and how a request picks one: the visitor's explicit choice (a cookie set
 * by the header's switcher), else the browser's Accept-Language, else English. URLs carry no locale:
 * the landing URL registered in Partner Center must keep working as it is.
 * Imported by client and server code alike: no server-only imports here.
 */
export const locales = ["en", "ja"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** Each language named in itself, for the switcher. */
export const localeNames: Record<Locale, string> = { en: "English", ja: "日本語" };

export const LOCALE_COOKIE = "portal_locale";
/** The browser's IANA time zone, written by the page itself (app/components/time-zone-cookie.tsx). */
export const TIME_ZONE_COOKIE = "portal_tz";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * The best of our locales for an Accept-Language header (RFC 9110 §12.5.4): language ranges by
 * weight, matched on their primary language subtag ("ja-JP" → ja). Malformed entries are skipped;
 * nothing acceptable → undefined.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | undefined {
  if (!acceptLanguage || acceptLanguage.length > 1_000) return undefined;
  const ranges = acceptLanguage
    .split(",")
    .map((entry, index) => {
      const [tag = "", ...parameters] = entry.trim().split(";");
      const weight = parameters.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      const q = weight ? Number(weight[1]) : parameters.length ? Number.NaN : 1;
      return { tag: tag.trim().toLowerCase(), q, index };
    })
    .filter(({ tag, q }) => /^([a-z]{1,8})(-[a-z0-9]{1,8})*$/.test(tag) && q > 0 && q <= 1)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const language = tag.split("-")[0];
    if (isLocale(language)) return language;
  }
  return undefined;
}

export function resolveLocale(input: { cookie?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(input.cookie)) return input.cookie;
  return negotiateLocale(input.acceptLanguage) ?? defaultLocale;
}

/**
 * The time zone to show moments in: the browser's own when it told us (and it is a zone this
 * runtime knows), else the language's usual one (Japanese → Asia/Tokyo), else UTC.
 */
export function resolveTimeZone(cookie: string | null | undefined, locale: Locale): string {
  if (cookie && cookie.length <= 64 && /^[A-Za-z0-9_+\-/]+$/.test(cookie)) {
    try {
      return new Intl.DateTimeFormat("en", { timeZone: cookie }).resolvedOptions().timeZone;
    } catch {
      // an unknown zone: fall through
    }
  }
  return locale === "ja" ? "Asia/Tokyo" : "UTC";
}
