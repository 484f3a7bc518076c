import "server-only";
/**
 * The account configuration a buyer fills in (landing page, setup page), checked on the server
 * against the fields the offer catalog defines for the subscription's offer and plan — the same
 * schema the form runs in the browser (lib/catalog/account-fields.ts).
 */
import {
  accountConfigSchema,
  accountFields,
  accountFormProblemTexts,
  localizeAccountFields,
  type AccountConfig,
} from "../catalog";
import { AppError } from "../errors";
import { defaultLocale, type Locale } from "../i18n/locales";

/** What the buyer typed, as a form posts it (strings, "on") or as typed values. */
export type AccountConfigInput = Record<string, unknown>;
export type { AccountConfig };

/**
 * The stored configuration for a subscription of this offer and plan, or AppError "invalid_input"
 * whose fieldErrors say, per field, what to correct, in the buyer's language (nothing is written then).
 */
export function validateAccountConfig(
  subscription: { offerId: string; planId: string },
  input: AccountConfigInput,
  locale: Locale = defaultLocale,
): AccountConfig {
  const fields = localizeAccountFields(accountFields(subscription.offerId, subscription.planId), locale);
  const parsed = accountConfigSchema(fields, accountFormProblemTexts(fields, locale)).safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError("invalid_input", { fieldErrors: fieldErrorsOf(parsed.error) });
}

function fieldErrorsOf(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    (errors[field] ??= []).push(issue.message);
  }
  return errors;
}

/** The company name for audit rows, when the form has one. */
export const companyNameOf = (config: AccountConfig) =>
  typeof config.companyName === "string" ? config.companyName : undefined;
