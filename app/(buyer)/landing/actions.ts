"use server";

import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { signIn, signInToTenant, signOut } from "@/auth";
import { parseTenantId } from "@/lib/auth/sign-in-tenant";
import { formText } from "@/lib/http/form-text";
import { runBuyerAction, type BuyerFormState } from "@/lib/auth/run-buyer-action";
import type { Actor } from "@/lib/auth/actor";
import type { Locale } from "@/lib/i18n/locales";
import type { AccountConfigInput } from "@/lib/subscriptions/account-config";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { completeSetup } from "@/lib/subscriptions/complete-setup";
import { landingPathFor, normalizePurchaseToken } from "@/lib/subscriptions/purchase-token";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

export interface ActivationFormState extends BuyerFormState {
  values?: Record<string, string>;
}

/** Starts Entra sign-in and brings the buyer back to the same landing URL (token included). */
export async function signInForLanding(formData: FormData) {
  return withServerActionSpan("sign in for landing", async () => {
    const token = normalizePurchaseToken(formText(formData, "token"));
    // After "Use a different account", ask Entra for the account picker instead of silent SSO.
    const chooseAccount = formData.get("chooseAccount") === "1";
    await signIn(
      "microsoft-entra-id",
      { redirectTo: token.ok ? landingPathFor(token.token) : "/landing" },
      chooseAccount ? { prompt: "select_account" } : undefined,
    );
  });
}

/**
 * Signs in through the tenant the purchase names (a GUID; anything else goes back to the page)
 * and returns to the same landing URL. Not checked against the purchase here: whoever signs in,
 * the landing page still lets only the purchaser or the beneficiary continue, by tid + oid.
 */
export async function signInToPurchaseTenant(formData: FormData) {
  return withServerActionSpan("sign in to purchase tenant", async () => {
    const token = normalizePurchaseToken(formText(formData, "token"));
    const back = token.ok ? landingPathFor(token.token) : "/landing";
    const tenantId = parseTenantId(formData.get("tenantId"));
    if (!tenantId) redirect(back);
    await signInToTenant(tenantId, back);
  });
}

export async function signOutOfLanding(formData: FormData) {
  return withServerActionSpan("sign out of landing", async () => {
    const token = normalizePurchaseToken(formText(formData, "token"));
    await signOut({ redirectTo: token.ok ? `${landingPathFor(token.token)}&account=choose` : "/" });
  });
}

const subscriptionIdSchema = z.uuid();

/** Values typed are kept in every answer but the redirect: the form shows them again. */
export async function activateFromLanding(
  _previous: ActivationFormState,
  formData: FormData,
): Promise<ActivationFormState> {
  return saveAccount("activate from landing", formData, (input) => activateSubscription(input));
}

/**
 * The same form for a subscription Microsoft already activated (an auto-activated plan): saves the
 * account and completes the setup, without calling Activate (lib/subscriptions/complete-setup.ts).
 * Used by the landing page and by the account's setup page.
 */
export async function finishSetup(_previous: ActivationFormState, formData: FormData): Promise<ActivationFormState> {
  return saveAccount("finish setup", formData, (input) => completeSetup(input));
}

async function saveAccount(
  name: string,
  formData: FormData,
  save: (input: {
    subscriptionId: string;
    accountConfig: AccountConfigInput;
    actor: Actor;
    locale: Locale;
  }) => Promise<{ subscriptionId: string }>,
): Promise<ActivationFormState> {
  // Every field the form posted; the catalog's schema for the subscription's plan checks them in
  // lib/subscriptions (AppError "invalid_input" with a reason per field) and drops any other key.
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries())
    if (typeof value === "string" && !key.startsWith("$") && key !== "subscriptionId") values[key] = value;
  const subscriptionId = subscriptionIdSchema.safeParse(formData.get("subscriptionId"));
  return runBuyerAction<ActivationFormState>(
    name,
    async (actor) => {
      if (!subscriptionId.success) {
        const t = await getTranslations("errors.formOutOfDate");
        return { values, error: { title: t("title"), message: t("message") } };
      }
      const locale = await getLocale();
      const outcome = await save({ subscriptionId: subscriptionId.data, accountConfig: values, actor, locale });
      redirect(`/landing/activated?subscription=${encodeURIComponent(outcome.subscriptionId)}`);
    },
    { context: { subscriptionId: subscriptionId.data }, keep: { values } },
  );
}
