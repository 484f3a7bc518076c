/**
 * The account form of an offer the catalog does not list (or that lists no fields): the portal's
 * original form. Unlike an ISV's fields, these are the portal's own words, so their texts come
 * from the portal's catalogs (messages/<locale>/accountForm.json) in every language, and the
 * countries are named by Intl (Intl.DisplayNames), as each language names them.
 */
import { locales, type Locale } from "@/lib/i18n/locales";
import { catalogs } from "@/messages";
import { accountFieldListSchema, type CatalogAccountField } from "./account-fields";
import type { LocalizedText } from "./localized-text";

type DefaultFieldText = keyof (typeof catalogs)["en"]["accountForm"]["defaultFields"];

const inEveryLanguage = (text: (locale: Locale) => string) =>
  Object.fromEntries(locales.map((locale) => [locale, text(locale)])) as Exclude<LocalizedText, string>;
const portalText = (key: DefaultFieldText) =>
  inEveryLanguage((locale) => catalogs[locale].accountForm.defaultFields[key]);
const country = (code: string) =>
  inEveryLanguage((locale) => new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code);

export const defaultAccountFields: readonly CatalogAccountField[] = accountFieldListSchema.parse([
  {
    type: "text",
    name: "companyName",
    label: portalText("companyName"),
    required: true,
    maxLength: 120,
    autoComplete: "organization",
  },
  {
    type: "text",
    name: "contactName",
    label: portalText("contactName"),
    required: true,
    maxLength: 120,
    autoComplete: "name",
  },
  {
    type: "email",
    name: "contactEmail",
    label: portalText("contactEmail"),
    required: true,
    autoComplete: "email",
    helpText: portalText("contactEmailHelp"),
  },
  {
    type: "text",
    name: "phone",
    label: portalText("phone"),
    maxLength: 40,
    autoComplete: "tel",
    pattern: "[+()\\d\\s.-]*",
    patternMessage: portalText("phonePattern"),
  },
  {
    type: "select",
    name: "country",
    label: portalText("country"),
    options: ["US", "GB", "DE", "FR", "NL", "IE", "ES", "IT", "SE", "CH", "CA", "AU", "JP", "IN", "BR", "SG"].map(
      (code) => ({ value: code, label: country(code) }),
    ),
  },
  { type: "number", name: "seatsExpected", label: portalText("seatsExpected"), min: 0, max: 999_999 },
]);
