/**
 * Buying a subscription "in the marketplace" and minting landing-page tokens. Used by the purchase
 * page, the home page's "Open landing page" button (Microsoft's "Manage SaaS experience") and the
 * control API, so all three follow the same rules.
 */
import { randomUUID } from "node:crypto";
import type { Catalog, CatalogPlan, Directory, DirectoryUser } from "../types";
import { cspReseller, findOffer, findPlan, findUser, identityOf, PREVIEW_SUFFIX } from "./catalog";
import { DEFAULT_TOKEN_TTL_SECONDS, type StoredDelivery, type StoredOperation, type StoredSubscription } from "./model";
import type { OperationEngine } from "./operations";
import { generatePurchaseToken, hashPurchaseToken } from "./purchase-token";
import type { MarketplaceStore } from "./store";
import { activate } from "./subscription-rules";

export interface UserRef {
  tid: string;
  oid: string;
}

export interface PurchaseRequest {
  offerId: string;
  planId: string;
  quantity?: number | undefined;
  beneficiary: UserRef;
  /** Defaults to the beneficiary, or to the CSP reseller for a CSP purchase. */
  purchaser?: UserRef | undefined;
  csp?: boolean | undefined;
  isTest?: boolean | undefined;
  isFreeTrial?: boolean | undefined;
  /** Bought through the offer's preview (preview audience): the subscription's offer id is `<offerId>-preview`. */
  preview?: boolean | undefined;
  name?: string | undefined;
  tokenTtlSeconds?: number | undefined;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
  landingUrl: string;
}

export interface PurchaseDeps {
  store: MarketplaceStore;
  catalog: Catalog;
  directory: Directory;
  landingUrl: string;
  /** Records the `Subscribe` operation of an auto-activated purchase and sends its webhook. */
  engine: Pick<OperationEngine, "recordSubscribe">;
}

/** A completed purchase: the subscription, its first landing token, and for an auto-activated plan its `Subscribe` operation. */
export interface CompletedPurchase extends IssuedToken {
  subscription: StoredSubscription;
  subscribe?: { operation: StoredOperation; delivery: StoredDelivery };
}

interface ValidPurchase {
  plan: CatalogPlan;
  beneficiary: DirectoryUser;
  purchaser: DirectoryUser;
}

/** Every problem with the request, worded for a person filling in the purchase form, or the checked purchase. */
function checkPurchase(deps: PurchaseDeps, request: PurchaseRequest): string[] | ValidPurchase {
  const problems: string[] = [];
  const offer = findOffer(deps.catalog, request.offerId);
  const plan = offer ? findPlan(deps.catalog, request.offerId, request.planId) : undefined;
  if (!offer) problems.push(`Unknown offer "${request.offerId}".`);
  else if (!plan) problems.push(`Offer "${request.offerId}" has no plan "${request.planId}".`);

  if (plan?.isPricePerSeat) {
    const min = plan.minQuantity ?? 1;
    const max = plan.maxQuantity ?? Number.MAX_SAFE_INTEGER;
    if (request.quantity === undefined)
      problems.push(`Enter the number of seats for ${plan.displayName} (${min}–${max}).`);
    else if (request.quantity < min || request.quantity > max) {
      problems.push(`${plan.displayName} allows ${min}–${max} seats; ${request.quantity} is out of range.`);
    }
  } else if (plan && request.quantity !== undefined) {
    problems.push(`${plan.displayName} is a flat-rate plan: it takes no seat count.`);
  }
  if (plan && request.isFreeTrial && !plan.hasFreeTrials) problems.push(`${plan.displayName} has no free trial.`);

  const beneficiary = findUser(deps.directory, request.beneficiary.tid, request.beneficiary.oid);
  if (!beneficiary) problems.push("The buyer must be a user of the seeded directory (tid + oid).");
  let purchaser: DirectoryUser | undefined = beneficiary;
  if (request.purchaser) {
    purchaser = findUser(deps.directory, request.purchaser.tid, request.purchaser.oid);
    if (!purchaser) problems.push("The purchaser must be a user of the seeded directory (tid + oid).");
  } else if (request.csp) {
    purchaser = cspReseller(deps.directory);
    if (!purchaser) problems.push("The directory has no CSP partner tenant to buy on the customer's behalf.");
  }
  if (request.name !== undefined && request.name.trim() === "") problems.push("Enter a subscription name.");

  if (problems.length > 0 || !plan || !beneficiary || !purchaser) return problems;
  return { plan, beneficiary, purchaser };
}

/**
 * Creates the subscription and its first purchase token. Throws on invalid input.
 * A classic plan gives a `PendingFulfillmentStart` subscription that the publisher activates;
 * an auto-activated one (marketplace-contract.md §4.7) a `Subscribed` subscription with its term started, a `Subscribe`
 * operation and its webhook. The buyer gets a landing token either way.
 */
export async function createPurchase(deps: PurchaseDeps, request: PurchaseRequest): Promise<CompletedPurchase> {
  const checked = checkPurchase(deps, request);
  if (Array.isArray(checked)) throw new PurchaseRejected(checked);
  const { plan, beneficiary, purchaser } = checked;
  const now = new Date().toISOString();
  const subscription: StoredSubscription = {
    id: randomUUID(),
    publisherId: deps.catalog.publisherId,
    offerId: request.preview ? `${request.offerId}${PREVIEW_SUFFIX}` : request.offerId,
    name: request.name?.trim() || defaultName(deps, beneficiary, request.offerId),
    status: "PendingFulfillmentStart",
    beneficiary: identityOf(beneficiary),
    purchaser: identityOf(purchaser),
    planId: plan.planId,
    ...(plan.isPricePerSeat ? { quantity: request.quantity } : {}),
    termUnit: plan.termUnit,
    ...(plan.chargeDuration !== undefined ? { chargeDuration: plan.chargeDuration } : {}),
    ...(plan.autoActivate ? { autoActivated: true } : {}),
    autoRenew: true,
    isTest: request.isTest ?? false,
    isFreeTrial: request.isFreeTrial ?? false,
    // marketplace-contract.md §12: the beneficiary of a CSP purchase can only read; the reseller changes and cancels.
    allowedCustomerOperations: request.csp ? ["Read"] : ["Delete", "Update", "Read"],
    sandboxType: request.csp ? "Csp" : "None",
    sessionMode: "None",
    created: now,
    lastModified: now,
  };
  // Auto-activation: billing starts with the purchase, as if the publisher had activated at once.
  if (plan.autoActivate) activate(subscription, new Date(now), 0);
  deps.store.addSubscription(subscription);
  const issued = addToken(deps, subscription.id, request.tokenTtlSeconds);
  if (!plan.autoActivate) {
    await deps.store.persist();
    return { subscription, ...issued };
  }
  const subscribe = await deps.engine.recordSubscribe(subscription);
  return { subscription, ...issued, subscribe };
}

/** A fresh landing-page token for an existing subscription (Microsoft's "Configure account" / "Manage"). */
export async function issueToken(
  deps: PurchaseDeps,
  subscriptionId: string,
  tokenTtlSeconds?: number,
): Promise<IssuedToken | undefined> {
  const subscription = deps.store.getSubscription(subscriptionId);
  if (!subscription) return undefined;
  const issued = addToken(deps, subscription.id, tokenTtlSeconds);
  await deps.store.persist();
  return issued;
}

function addToken(deps: PurchaseDeps, subscriptionId: string, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): IssuedToken {
  const token = generatePurchaseToken();
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + ttlSeconds * 1000).toISOString();
  deps.store.addPurchaseToken({
    sha256: hashPurchaseToken(token),
    subscriptionId,
    createdAt: createdAt.toISOString(),
    expiresAt,
  });
  return { token, expiresAt, landingUrl: landingUrlFor(deps.landingUrl, token) };
}

/** Microsoft appends `?token=<url-encoded token>` to the configured landing URL (§4.4). */
export function landingUrlFor(landingUrl: string, token: string): string {
  const separator = landingUrl.includes("?") ? "&" : "?";
  return `${landingUrl}${separator}token=${encodeURIComponent(token)}`;
}

function defaultName(deps: PurchaseDeps, beneficiary: DirectoryUser, offerId: string): string {
  const tenant = deps.directory.tenants.find((t) => t.id === beneficiary.tid);
  const offer = findOffer(deps.catalog, offerId);
  const company = tenant?.name.split(/[ ,]/)[0] ?? "Customer";
  return `${company} ${offer?.displayName ?? offerId}`;
}

export class PurchaseRejected extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
  }
}
