/**
 * What a hand-off token says (docs/decisions/0014; README "Hand-off into the product"): who
 * arrives (`sub` = their Entra object id, with `tid`: an oid is unique only within its tenant) and
 * what their organisation bought. Pure, so the claims are unit-tested; signing is in issue-handoff.ts.
 */
import type { SubscriptionStatus } from "../generated/prisma/enums";

/** The JWT `typ` header: a product can refuse any other JWT of ours (or anyone's) presented as a hand-off. */
export const HANDOFF_TOKEN_TYPE = "handoff+jwt";
/** The form field the buyer's browser posts the token in. */
export const HANDOFF_FORM_FIELD = "handoff_token";
/** The longest lifetime a hand-off token may have. */
export const HANDOFF_MAX_TTL_SECONDS = 300;

export type FeatureValue = boolean | number | string;

export interface HandoffSubscriptionClaim {
  /** The marketplace subscription id. */
  id: string;
  /** The customer's Entra tenant (the beneficiary's): the organisation the product serves. */
  tenantId: string | null;
  status: SubscriptionStatus;
  offerId: string;
  offerName: string;
  planId: string;
  planName: string;
  /** Seats of a per-user plan; null for a flat-rate plan. */
  seats: number | null;
  /** The plan's entitlements from the offer catalog, e.g. { "reports": true, "maxProjects": 50 }. */
  features: Record<string, FeatureValue>;
  isTest: boolean;
  isFreeTrial: boolean;
}

export interface HandoffClaims {
  iss: string;
  aud: string;
  /** The user's Entra object id (unique within `tid`). */
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  tid: string;
  oid: string;
  name: string | null;
  email: string | null;
  /** Why the user may use the subscription: they bought or use it, administer the customer's tenant, or were invited. */
  access: "party" | "tenant_admin" | "colleague";
  subscription: HandoffSubscriptionClaim;
}

export interface HandoffClaimsInput {
  issuer: string;
  audience: string;
  user: { tid: string; oid: string; name?: string | null; email?: string | null };
  access: HandoffClaims["access"];
  subscription: {
    id: string;
    beneficiaryTenantId: string | null;
    status: SubscriptionStatus;
    offerId: string;
    planId: string;
    quantity: number | null;
    isTest: boolean;
    isFreeTrial: boolean;
  };
  offerName: string;
  planName: string;
  features: Record<string, FeatureValue>;
  jti: string;
  now: Date;
  ttlSeconds: number;
}

export function handoffClaims(input: HandoffClaimsInput): HandoffClaims {
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1 || input.ttlSeconds > HANDOFF_MAX_TTL_SECONDS)
    throw new RangeError(`a hand-off token lives 1 to ${HANDOFF_MAX_TTL_SECONDS} seconds, not ${input.ttlSeconds}`);
  if (!input.audience) throw new RangeError("a hand-off token needs an audience (the product)");
  const iat = Math.floor(input.now.getTime() / 1000);
  const oid = input.user.oid.toLowerCase();
  return {
    iss: input.issuer,
    aud: input.audience,
    sub: oid,
    jti: input.jti,
    iat,
    exp: iat + input.ttlSeconds,
    tid: input.user.tid.toLowerCase(),
    oid,
    name: input.user.name ?? null,
    email: input.user.email ?? null,
    access: input.access,
    subscription: {
      id: input.subscription.id,
      tenantId: input.subscription.beneficiaryTenantId,
      status: input.subscription.status,
      offerId: input.subscription.offerId,
      offerName: input.offerName,
      planId: input.subscription.planId,
      planName: input.planName,
      seats: input.subscription.quantity,
      features: { ...input.features },
      isTest: input.subscription.isTest,
      isFreeTrial: input.subscription.isFreeTrial,
    },
  };
}

/** The audience a product is told to expect by default: its URL's origin (`https://app.contoso.example`). */
export function defaultAudience(productUrl: string): string {
  return new URL(productUrl).origin;
}
