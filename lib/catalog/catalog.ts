import "server-only";
import { portalEnv } from "../env";
import { displayValue, type CatalogAccountField, type DisplayValue } from "./account-fields";
import { defaultAccountFields } from "./default-account-fields";
import type { LocalizedText } from "./localized-text";
import type { CatalogOffer, CatalogPlan } from "./catalog-schema";
import { loadCatalog } from "./load-catalog";
import { previewOffer } from "./preview-offer";

/**
 * The catalog's entry for an offer, or null when the catalog does not list it. A preview purchase's
 * `<offer>-preview` is the offer's own entry, unless the catalog lists the preview id itself.
 */
export function catalogOffer(offerId: string): CatalogOffer | null {
  const offers = loadCatalog().offers;
  const exact = offers.find((offer) => offer.offerId === offerId);
  if (exact) return exact;
  const base = previewOffer(offerId);
  return base.preview ? (offers.find((offer) => offer.offerId === base.offerId) ?? null) : null;
}

function catalogPlan(offerId: string, planId: string): CatalogPlan | null {
  return catalogOffer(offerId)?.plans.find((plan) => plan.planId === planId) ?? null;
}

export interface OfferDescription {
  offerId: string;
  /** The catalog's name; the offer id when the catalog does not list the offer. */
  displayName: string;
  description?: string;
  logoUrl?: string;
  termsUrl?: string;
  privacyUrl?: string;
  /** The catalog's product URL, else PRODUCT_URL. */
  productUrl: string;
  /** Whether the catalog lists the offer. */
  known: boolean;
  /** Bought through the offer's preview (offer id `<offer>-preview`), not the live offer. */
  preview: boolean;
}

/** What the pages show of an offer. An offer not in the catalog still works: its id is its name. */
export function describeOffer(offerId: string): OfferDescription {
  const offer = catalogOffer(offerId);
  const productUrl = offer?.productUrl ?? portalEnv().PRODUCT_URL;
  const preview = previewOffer(offerId).preview;
  if (!offer) return { offerId, displayName: offerId, productUrl, known: false, preview };
  return {
    offerId,
    displayName: offer.displayName,
    description: offer.description,
    logoUrl: offer.logoUrl,
    termsUrl: offer.termsUrl,
    privacyUrl: offer.privacyUrl,
    productUrl,
    known: true,
    preview,
  };
}

export interface PlanDescription {
  planId: string;
  /** The catalog's override, else Microsoft's plan name, else the plan id. */
  displayName: string;
}

export function describePlan(offerId: string, planId: string, microsoftName?: string | null): PlanDescription {
  const override = catalogPlan(offerId, planId)?.displayName;
  return { planId, displayName: override ?? (microsoftName?.trim() || planId) };
}

export interface PlanEntitlements {
  /** What the product enforces, e.g. { reports: true, maxProjects: 50 }. */
  features: Record<string, boolean | number | string>;
  /** Metered dimension id → units included in the plan's price. */
  includedQuantities: Record<string, number>;
}

/** The plan's entitlements from the catalog; empty objects when the catalog does not list the plan. */
export function planEntitlements(offerId: string, planId: string): PlanEntitlements {
  const plan = catalogPlan(offerId, planId);
  return { features: { ...(plan?.features ?? {}) }, includedQuantities: { ...(plan?.includedQuantities ?? {}) } };
}

/**
 * The account-configuration fields for a plan: the offer's (the default fields when the catalog
 * lists none), then the plan's own; a plan field with an offer field's name replaces it in place.
 */
export function accountFields(offerId: string, planId: string): CatalogAccountField[] {
  const offer = catalogOffer(offerId);
  const base = offer?.accountFields ?? defaultAccountFields;
  const extra = catalogPlan(offerId, planId)?.accountFields ?? [];
  const replaced = base.map((field) => extra.find((planField) => planField.name === field.name) ?? field);
  return [...replaced, ...extra.filter((planField) => !base.some((field) => field.name === planField.name))];
}

export interface AccountConfigEntry {
  name: string;
  /** The field's label (possibly per language); the stored key when the catalog no longer has the field. */
  label: LocalizedText;
  /** As a person reads it, for the page to put in words: yes/no, a number, a select's option label, empty. */
  value: DisplayValue;
}

/**
 * A stored account configuration as label/value pairs, in the form's order: every field of the
 * plan (empty ones too), then any stored key the catalog does not define (a field removed
 * since), so nothing stored is hidden. The terms acceptance is left out (it is always true).
 */
export function describeAccountConfig(offerId: string, planId: string, stored: unknown): AccountConfigEntry[] {
  const values =
    stored && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const fields = accountFields(offerId, planId);
  const entries = fields.map((field) => ({
    name: field.name,
    label: field.label,
    value: displayValue(field, values[field.name]),
  }));
  for (const [name, value] of Object.entries(values)) {
    if (name === "acceptTerms" || fields.some((field) => field.name === name)) continue;
    entries.push({ name, label: name, value: displayValue(undefined, value) });
  }
  return entries;
}

/** Microsoft's plans of an offer with the catalog's names (displayName: the override, else Microsoft's, else the id). */
export function namedPlans<P extends { planId: string; displayName?: string | null }>(
  offerId: string,
  plans: P[],
): P[] {
  return plans.map((plan) => ({
    ...plan,
    displayName: describePlan(offerId, plan.planId, plan.displayName).displayName,
  }));
}
