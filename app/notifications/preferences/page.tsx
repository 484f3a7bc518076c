import type { Metadata } from "next";
import { SubmitButton } from "@/app/components/buttons";
import { notificationTranslator } from "@/lib/notifications/mail/translator";
import { readPreferences } from "@/lib/notifications/read-preferences";
import { savePreferencesAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Email preferences", robots: { index: false } };

/**
 * Where every mail's footer leads (no sign-in: the signed token is the proof): reminders on or off
 * and the language of the mails, in the language the mail was written in. `stop=reminders` (a
 * reminder's "Stop reminders") asks to confirm first: mail scanners open links, and opening one
 * must change nothing.
 */
export default async function PreferencesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const view = token ? await readPreferences(token) : null;
  const t = notificationTranslator(view?.pageLocale ?? "en");
  if (!view)
    return (
      <section className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">{t("preferences.title")}</h1>
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {t("preferences.invalid")}
        </p>
      </section>
    );
  const done = params.done;
  const askToStop = params.stop === "reminders" && !view.remindersOff && !done;
  return (
    <section
      lang={view.pageLocale}
      className="mx-auto max-w-lg space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm"
    >
      <h1 className="text-2xl font-semibold">{t("preferences.title")}</h1>
      {done === "saved" || done === "stopped" ? (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {done === "stopped" ? t("preferences.stopped") : t("preferences.saved")}
        </p>
      ) : done === "invalid" ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {t("preferences.invalid")}
        </p>
      ) : null}
      {askToStop ? (
        <form action={savePreferencesAction} className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-4">
          <h2 className="font-semibold">{t("preferences.stopTitle")}</h2>
          <p className="text-sm text-slate-800">{t("preferences.stopText")}</p>
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="reminders" value="off" />
          <input type="hidden" name="stop" value="reminders" />
          <SubmitButton pendingText="…">{t("preferences.stopConfirm")}</SubmitButton>
        </form>
      ) : null}
      <form action={savePreferencesAction} className="space-y-5">
        <p className="text-sm text-slate-700">{t("preferences.intro")}</p>
        <input type="hidden" name="token" value={token} />
        <fieldset className="space-y-2">
          <legend className="font-medium">{t("preferences.reminders")}</legend>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="reminders" value="on" defaultChecked={!view.remindersOff} className="mt-1" />
            <span>{t("preferences.remindersOn")}</span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="reminders" value="off" defaultChecked={view.remindersOff} className="mt-1" />
            <span>{t("preferences.remindersOff")}</span>
          </label>
          <p className="text-xs text-slate-600">{t("preferences.essential")}</p>
        </fieldset>
        <div className="space-y-1">
          <label htmlFor="locale" className="block font-medium">
            {t("preferences.language")}
          </label>
          <select
            id="locale"
            name="locale"
            defaultValue={view.locale ?? view.pageLocale}
            className="rounded-md border border-slate-300 px-3 py-2 text-sm"
          >
            <option value="en" lang="en">
              English
            </option>
            <option value="ja" lang="ja">
              日本語
            </option>
          </select>
        </div>
        <SubmitButton pendingText="…">{t("preferences.save")}</SubmitButton>
      </form>
    </section>
  );
}
