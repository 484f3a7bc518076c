/**
 * Where "Open <product>" leads for an offer, what it is called, and the audience its hand-off
 * tokens carry (docs/decisions/0014): from the offer catalog (config/catalog.json), else
 * PRODUCT_URL and PRODUCT_NAME, so an offer the catalog does not list still opens the product.
 */
import "server-only";
import { catalogOffer, describeOffer, describePlan, planEntitlements } from "../catalog";
import { portalEnv } from "../env";
import { defaultAudience, type FeatureValue } from "./handoff-claims";

export interface ProductTarget {
  /** Shown on the button: "Open <name>". */
  name: string;
  /** Where the buyer's browser posts the token. */
  url: string;
  /** The token's `aud`: the offer's `handoffAudience`, else the product URL's origin. */
  audience: string;
  offerName: string;
  planName: string;
  features: Record<string, FeatureValue>;
}

export function productTarget(offerId: string, planId: string): ProductTarget {
  const offer = describeOffer(offerId);
  return {
    name: offer.known ? offer.displayName : portalEnv().PRODUCT_NAME,
    url: offer.productUrl,
    audience: catalogOffer(offerId)?.handoffAudience ?? defaultAudience(offer.productUrl),
    offerName: offer.displayName,
    planName: describePlan(offerId, planId).displayName,
    features: planEntitlements(offerId, planId).features,
  };
}
