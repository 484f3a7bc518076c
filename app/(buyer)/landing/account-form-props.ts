import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { accountFields, describeOffer, type AccountConfigValue, type CatalogAccountField } from "@/lib/catalog";

/** The account form's inputs for a subscription, before they are put in the reader's language (./account-setup-form.tsx). */
export interface AccountFormProps {
  /** The catalog's fields for the subscription's offer and plan (the default fields when it has none). */
  fields: CatalogAccountField[];
  /** Values to start from: what was saved before, the signed-in user's name and email, the fields' defaults. */
  defaults: Record<string, AccountConfigValue | undefined>;
  /** Whose terms the buyer accepts: the offer's name and links from the catalog. */
  terms: { offerName: string; termsUrl?: string; privacyUrl?: string };
}

/**
 * What the account form shows for a subscription: the catalog's fields for its offer and plan,
 * values saved before (an activation that was not confirmed), else the signed-in user's name and
 * email, else each field's default; and the offer's terms to accept.
 */
export function accountFormProps(
  subscription: { offerId: string; planId: string; accountConfig?: unknown },
  actor: Actor,
): AccountFormProps {
  const fields = accountFields(subscription.offerId, subscription.planId);
  const saved =
    subscription.accountConfig && typeof subscription.accountConfig === "object"
      ? (subscription.accountConfig as Record<string, unknown>)
      : {};
  const firstEmail = fields.find((field) => field.type === "email")?.name;
  const defaults: Record<string, AccountConfigValue | undefined> = {};
  for (const field of fields) {
    const value = saved[field.name];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      defaults[field.name] = value;
      continue;
    }
    const fromActor = field.name === "contactName" ? actor.name : field.name === firstEmail ? actor.email : undefined;
    defaults[field.name] = fromActor ?? field.default;
  }
  const offer = describeOffer(subscription.offerId);
  return {
    fields,
    defaults,
    terms: { offerName: offer.displayName, termsUrl: offer.termsUrl, privacyUrl: offer.privacyUrl },
  };
}
