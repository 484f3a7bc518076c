/**
 * Sandbox home: every subscription with its operations, and a button per subscription that opens
 * the landing page with a fresh token, the sandbox's version of Microsoft's "Configure account"
 * / "Manage SaaS experience" (marketplace-contract.md §4.4 step 7). Each name links to the subscription's page
 * (marketplace-side actions, webhooks); the latest webhook deliveries are listed below.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { html, page } from "../html";
import { redirect, sendHtml } from "../http";
import { findOffer, findPlan, findTenant, findUser } from "./catalog";
import { completeDueChanges, type MarketplaceContext } from "./context";
import type { StoredSubscription } from "./model";
import { issueToken } from "./purchases";
import { deliveriesTable, subscriptionPagePath } from "./subscription-page";
import { variantsBanner } from "./variants-banner";

const RECENT_DELIVERIES = 10;

/** POST here mints a token and redirects to the landing page. Kept under /marketplace/ (the IdP owns /{guid}/...). */
export const OPEN_LANDING_PATTERN = /^\/marketplace\/subscriptions\/([0-9a-fA-F-]{36})\/open-landing-page$/;

export async function handleHomePage(
  ctx: MarketplaceContext,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  await completeDueChanges(ctx);
  const subscriptions = ctx.store.listSubscriptions().reverse();
  const deliveries = ctx.store.listDeliveries().reverse().slice(0, RECENT_DELIVERIES);
  const body = html`
<h1>Marketplace sandbox</h1>
${variantsBanner(ctx)}
<p><a href="/purchase">Buy a subscription</a> · Landing page: <span class="mono">${ctx.options.landingUrl}</span> · Webhook: <span class="mono">${ctx.settings.webhookUrl}</span></p>
<h2 id="subscriptions-title">Subscriptions (${subscriptions.length})</h2>
${
  subscriptions.length === 0
    ? html`<p>No subscriptions yet. <a href="/purchase">Buy one</a>.</p>`
    : html`<div class="table-wrap"><table aria-labelledby="subscriptions-title">
  <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Offer</th><th scope="col">Plan</th><th scope="col">Seats</th><th scope="col">Buyer</th><th scope="col">Operations</th><th scope="col">Configure account / Manage</th></tr></thead>
  <tbody>${subscriptions.map((s) => row(ctx, s))}</tbody>
</table></div>`
}
<h2 id="recent-webhooks-title">Recent webhook deliveries</h2>
${deliveriesTable(ctx, deliveries, "recent-webhooks-title", { showSubscription: true })}`;
  sendHtml(res, 200, page({ part: "marketplace", title: "Subscriptions", body }));
}

function row(ctx: MarketplaceContext, s: StoredSubscription) {
  const { catalog, directory } = ctx.options;
  const operations = ctx.store.operationsOf(s.id);
  const buyerTenant = findTenant(directory, s.beneficiary.tenantId);
  const buyer = findUser(directory, s.beneficiary.tenantId, s.beneficiary.objectId);
  return html`<tr>
  <td><a href="${subscriptionPagePath(s.id)}">${s.name}</a><div class="mono">${s.id}</div>${s.sandboxType === "Csp" ? html`<div>CSP purchase by ${s.purchaser.emailId}</div>` : ""}${s.isTest ? html`<div>Test</div>` : ""}${s.isFreeTrial ? html`<div>Free trial</div>` : ""}</td>
  <td class="status">${s.status}${s.activationDueAt ? " (activating)" : ""}</td>
  <td>${findOffer(catalog, s.offerId)?.displayName ?? s.offerId}</td>
  <td>${findPlan(catalog, s.offerId, s.planId)?.displayName ?? s.planId}</td>
  <td>${s.quantity ?? "—"}</td>
  <td>${buyer ? `${buyer.name} (${s.beneficiary.emailId})` : s.beneficiary.emailId}<div>${buyerTenant?.name ?? s.beneficiary.tenantId}</div></td>
  <td>${operations.length === 0 ? "—" : html`<ul class="ops">${operations.map((o) => html`<li>${o.action} → ${o.planId}${o.quantity !== undefined ? ` × ${o.quantity}` : ""}: <strong>${o.status}</strong> <span class="mono">${o.timeStamp}</span></li>`)}</ul>`}</td>
  <td><form method="post" action="/marketplace/subscriptions/${s.id}/open-landing-page"><button type="submit" class="secondary" aria-label="Open landing page (new token) for ${s.name}">Open landing page (new token)</button></form></td>
</tr>`;
}

export async function handleOpenLandingPage(
  ctx: MarketplaceContext,
  subscriptionId: string,
  res: ServerResponse,
): Promise<void> {
  const issued = await issueToken(ctx.purchases, subscriptionId);
  if (!issued) {
    sendHtml(
      res,
      404,
      page({
        part: "marketplace",
        title: "Not found",
        body: html`<h1>Subscription not found</h1><p><a href="/">Back to the subscriptions</a></p>`,
      }),
    );
    return;
  }
  redirect(res, issued.landingUrl);
}
