/**
 * Mints the token that carries a buyer into the product (docs/decisions/0014): only for someone
 * who may see the subscription on the account pages (findAccessibleSubscription: party, tenant
 * admin, invited colleague; anyone else gets "not found"), only once it is live and set up.
 * The token is short-lived, signed with the portal's current key, and never logged; the audit
 * trail records its id (jti) and audience, so a product can trace a refused replay.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/current-user";
import { recordAudit } from "../audit/record-audit";
import { db } from "../db";
import { handoffEnv, portalEnv } from "../env";
import type { SubscriptionStatus } from "../generated/prisma/enums";
import { findAccessibleSubscription } from "../subscriptions/find-own-subscription";
import { productAccess } from "./can-open-product";
import { handoffClaims, type HandoffClaims } from "./handoff-claims";
import { productTarget } from "./product-target";
import { signHandoff } from "./sign-handoff";
import { handoffKeys } from "./signing-keys";

export interface IssuedHandoff {
  ok: true;
  token: string;
  claims: HandoffClaims;
  productUrl: string;
  productName: string;
}

/** No token: the subscription is not one the user may see (the same answer as unknown), or not ready for the product. */
export type HandoffRefusal =
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "setup_pending" | "not_active"; status: SubscriptionStatus; productName: string };

export async function issueHandoff(options: {
  subscriptionId: string;
  actor: Actor;
  now?: Date;
}): Promise<IssuedHandoff | HandoffRefusal> {
  const found = await findAccessibleSubscription(options);
  if (!found) return { ok: false, reason: "not_found" };
  const { subscription, access } = found;
  const allowed = productAccess(subscription);
  if (!allowed.allowed)
    return {
      ok: false,
      reason: allowed.reason,
      status: subscription.status,
      productName: productTarget(subscription.offerId, subscription.planId).name,
    };
  const target = productTarget(subscription.offerId, subscription.planId);
  const claims = handoffClaims({
    issuer: portalEnv().PUBLIC_BASE_URL,
    audience: target.audience,
    user: options.actor,
    access,
    subscription,
    offerName: target.offerName,
    planName: target.planName,
    features: target.features,
    jti: randomUUID(),
    now: options.now ?? new Date(),
    ttlSeconds: handoffEnv().HANDOFF_TOKEN_TTL_SECONDS,
  });
  const { signer } = handoffKeys();
  const token = await signHandoff(claims, signer);
  await recordAudit(db(), {
    subscriptionId: subscription.id,
    actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
    action: "handoff_issued",
    detail: { jti: claims.jti, audience: claims.aud, expiresAt: new Date(claims.exp * 1000).toISOString() },
  });
  return { ok: true, token, claims, productUrl: target.url, productName: target.name };
}
