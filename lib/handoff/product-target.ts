/**
 * Where "Open <product>" leads for an offer, what it is called, and the audience its hand-off
 * tokens carry (docs/decisions/0014).
 */
import "server-only";
import { portalEnv } from "../env";
import { defaultAudience, type FeatureValue } from "./handoff-claims";

export interface ProductTarget {
  /** Shown on the button: "Open <name>". */
  name: string;
  /** Where the buyer's browser posts the token. */
  url: string;
  /** The token's `aud`: the product's URL origin unless the offer names another. */
  audience: string;
  offerName: string;
  planName: string;
  features: Record<string, FeatureValue>;
}

export function productTarget(offerId: string, planId: string): ProductTarget {
  const { PRODUCT_URL, PRODUCT_NAME } = portalEnv();
  return {
    name: PRODUCT_NAME,
    url: PRODUCT_URL,
    audience: defaultAudience(PRODUCT_URL),
    offerName: offerId,
    planName: planId,
    features: {},
  };
}
