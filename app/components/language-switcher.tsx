import { cookies } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { portalEnv } from "@/lib/env";
import { isLocale, LOCALE_COOKIE, localeNames, locales } from "@/lib/i18n/locales";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

/** Remembers the visitor's language for a year; the page re-renders in it (a plain form post without JavaScript). */
async function chooseLanguage(formData: FormData) {
  "use server";
  return withServerActionSpan("choose language", async () => {
    const choice = formData.get("locale");
    if (!isLocale(choice)) return;
    (await cookies()).set(LOCALE_COOKIE, choice, {
      path: "/",
      maxAge: 365 * 24 * 60 * 60,
      sameSite: "lax",
      httpOnly: true,
      secure: portalEnv().PUBLIC_BASE_URL.startsWith("https:"),
    });
  });
}

/** The header's language choice: one button per language, each named in its own language. */
export async function LanguageSwitcher() {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("common.language")]);
  return (
    <form action={chooseLanguage} aria-label={t("label")} className="flex items-center gap-1 text-sm">
      {locales.map((option) => (
        <button
          key={option}
          type="submit"
          name="locale"
          value={option}
          lang={option}
          aria-pressed={option === locale}
          disabled={option === locale}
          className="rounded px-1.5 py-0.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:cursor-default disabled:bg-transparent disabled:font-semibold disabled:text-slate-900"
        >
          {localeNames[option]}
        </button>
      ))}
    </form>
  );
}
