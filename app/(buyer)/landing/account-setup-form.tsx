import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { accountFormProblemTexts, localizeAccountFields } from "@/lib/catalog";
import { AccountForm } from "./account-form";
import type { AccountFormProps } from "./account-form-props";

const linkClass = "font-medium text-brand-700 underline hover:text-brand-800";

/**
 * The account form in the reader's language: the catalog's fields localized, and every word the
 * form may say (labels, buttons, each problem a field can have) computed here and handed to the
 * client form as plain strings, so the browser gets no message catalog for it.
 */
export async function AccountSetupForm({
  subscriptionId,
  fields,
  defaults,
  terms,
  mode = "activate",
}: AccountFormProps & { subscriptionId: string; mode?: "activate" | "finish" }) {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("accountForm")]);
  const localized = localizeAccountFields(fields, locale);
  const link = (href: string | undefined) =>
    function TermsLink(chunks: ReactNode) {
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer" className={linkClass}>
          {chunks}
        </a>
      ) : (
        chunks
      );
    };
  const acceptTerms = terms.privacyUrl
    ? t.rich("acceptTermsAndPrivacy", {
        offer: terms.offerName,
        terms: link(terms.termsUrl),
        privacy: link(terms.privacyUrl),
      })
    : t.rich("acceptTerms", { offer: terms.offerName, terms: link(terms.termsUrl) });
  return (
    <AccountForm
      subscriptionId={subscriptionId}
      mode={mode}
      fields={localized}
      defaults={defaults}
      problems={accountFormProblemTexts(localized, locale)}
      text={{
        title: t(`${mode}.title`),
        submit: t(`${mode}.submit`),
        pending: t(`${mode}.pending`),
        note: t(`${mode}.note`),
        optional: t("optional"),
        choose: t("choose"),
        notNow: t("notNow"),
        acceptTerms,
      }}
    />
  );
}
