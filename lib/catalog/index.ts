/**
 * The offer catalog (config/catalog.json): names, links, account fields and entitlements per
 * offer and plan. Server-only; client components import ./account-fields directly.
 */
import "server-only";

export {
  accountFields,
  catalogOffer,
  describeAccountConfig,
  describeOffer,
  describePlan,
  namedPlans,
  planEntitlements,
} from "./catalog";
export type { AccountConfigEntry, OfferDescription, PlanDescription, PlanEntitlements } from "./catalog";
export { loadCatalog } from "./load-catalog";
export { previewOffer } from "./preview-offer";
export { accountConfigSchema, displayValue, localizeAccountFields } from "./account-fields";
export type {
  AccountConfig,
  AccountConfigValue,
  AccountField,
  CatalogAccountField,
  DisplayValue,
} from "./account-fields";
export { defaultAccountFields } from "./default-account-fields";
export { localize, type LocalizedText } from "./localized-text";
export { accountFormProblemTexts } from "./problem-texts";
export type { Catalog, CatalogOffer, CatalogPlan } from "./catalog-schema";
export { CatalogError } from "./catalog-schema";
