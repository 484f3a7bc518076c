/**
 * A subscription "in the marketplace": its state, the actions the customer (Azure portal / M365
 * admin center) and Microsoft (billing) can take on it, its operations, and every webhook sent
 * for it with each attempt and the publisher's acknowledgement.
 *
 *   GET  /marketplace/subscriptions/{id}            the page
 *   POST /marketplace/subscriptions/{id}/actions    form: action=ChangePlan|ChangeQuantity|Suspend|Reinstate|Unsubscribe|Renew
 *   POST /marketplace/webhooks/{deliveryId}/redeliver
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { html, page, type SafeHtml } from "../html";
import { redirect, requestUrl, sendHtml } from "../http";
import { findOffer, findPlan, findTenant, findUser, seatRange } from "./catalog";
import { completeDueChanges, type MarketplaceContext } from "./context";
import { HttpError, readText } from "./http-error";
import { checkMarketplaceAction, marketplaceActionSchema } from "./marketplace-actions";
import type { StoredDelivery, StoredOperation, StoredSubscription } from "./model";
import { acknowledgementOf } from "./webhooks";
import { ACKNOWLEDGED_ACTIONS } from "./wire";
import { usageEventsTable } from "./usage-events-table";
import { variantsBanner } from "./variants-banner";

const GUID = "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
export const SUBSCRIPTION_PAGE_PATTERN = new RegExp(`^/marketplace/subscriptions/${GUID}$`);
export const SUBSCRIPTION_ACTIONS_PATTERN = new RegExp(`^/marketplace/subscriptions/${GUID}/actions$`);
export const REDELIVER_PATTERN = new RegExp(`^/marketplace/webhooks/${GUID}/redeliver$`);

export function subscriptionPagePath(id: string): string {
  return `/marketplace/subscriptions/${id}`;
}

export async function handleSubscriptionPage(
  ctx: MarketplaceContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  await completeDueChanges(ctx);
  const subscription = ctx.store.getSubscription(id);
  if (!subscription) return notFound(res);
  const started = requestUrl(req).searchParams.get("started");
  const operation = started ? ctx.store.getOperation(subscription.id, started) : undefined;
  sendHtml(res, 200, render(ctx, subscription, { started: operation }));
}

/** The action forms: start the action, then back to the page (or the page again with the error). */
export async function handleSubscriptionAction(
  ctx: MarketplaceContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  await completeDueChanges(ctx);
  const subscription = ctx.store.getSubscription(id);
  if (!subscription) return notFound(res);
  const form = new URLSearchParams(await readText(req));
  try {
    const body = marketplaceActionSchema.safeParse({
      action: form.get("action") ?? "",
      ...optionalText("planId", form.get("planId")),
      ...optionalNumber(form.get("quantity")),
    });
    if (!body.success)
      throw new HttpError(400, "BadRequest", "Choose one of the actions, and enter seats as a whole number.");
    const request = checkMarketplaceAction(
      subscription,
      body.data,
      ctx.options.catalog,
      ctx.store.operationsOf(subscription.id),
    );
    const { operation } = await ctx.engine.startMarketplaceAction(subscription, request, "normal");
    redirect(res, `${subscriptionPagePath(subscription.id)}?started=${operation.id}`);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    sendHtml(res, error.status, render(ctx, subscription, { error: error.message }));
  }
}

export async function handleRedeliverForm(
  ctx: MarketplaceContext,
  deliveryId: string,
  res: ServerResponse,
): Promise<void> {
  const original = ctx.store.getDelivery(deliveryId);
  if (!original) {
    sendHtml(
      res,
      404,
      page({
        part: "marketplace",
        title: "Not found",
        body: html`<h1>Webhook delivery not found</h1><p><a href="/">Back to the subscriptions</a></p>`,
      }),
    );
    return;
  }
  const delivery = ctx.webhooks.redeliver(original);
  await ctx.store.persist();
  ctx.webhooks.start(delivery);
  redirect(res, `${subscriptionPagePath(original.subscriptionId)}#webhooks-title`);
}

function optionalText(key: string, value: string | null): Record<string, string> {
  return value && value.trim() !== "" ? { [key]: value.trim() } : {};
}

/** An empty seat field is "not given"; anything else must be a whole number (zod says so). */
function optionalNumber(value: string | null): { quantity?: number } {
  if (value === null || value.trim() === "") return {};
  return { quantity: Number(value.trim()) };
}

function notFound(res: ServerResponse): void {
  sendHtml(
    res,
    404,
    page({
      part: "marketplace",
      title: "Not found",
      body: html`<h1>Subscription not found</h1><p><a href="/">Back to the subscriptions</a></p>`,
    }),
  );
}

// Rendering -------------------------------------------------------------------------------------

function render(
  ctx: MarketplaceContext,
  s: StoredSubscription,
  message: { started?: StoredOperation | undefined; error?: string },
): string {
  const { catalog, directory } = ctx.options;
  const offer = findOffer(catalog, s.offerId);
  const plan = findPlan(catalog, s.offerId, s.planId);
  const buyer = findUser(directory, s.beneficiary.tenantId, s.beneficiary.objectId);
  const tenant = findTenant(directory, s.beneficiary.tenantId);
  const operations = ctx.store.operationsOf(s.id).reverse();
  const deliveries = ctx.store.listDeliveries({ subscriptionId: s.id }).reverse();
  const usageEvents = ctx.usage.list({ subscriptionId: s.id });
  const actionPath = `${subscriptionPagePath(s.id)}/actions`;
  const perSeatPlans = (offer?.plans ?? []).filter((p) => p.isPricePerSeat);

  const body = html`
<p><a href="/">← All subscriptions</a> · <a href="${subscriptionPagePath(s.id)}">Refresh</a></p>
<h1>${s.name}</h1>
${variantsBanner(ctx)}
${message.error ? html`<div class="errors" role="alert"><strong>The action was not started:</strong> ${message.error}</div>` : ""}
${message.started ? startedNotice(ctx, message.started) : ""}
<dl class="facts">
  <dt>Status</dt><dd class="status" data-testid="subscription-status">${s.status}${s.activationDueAt ? " (activating)" : ""}</dd>
  <dt>Offer</dt><dd>${offer?.displayName ?? s.offerId}</dd>
  <dt>Plan</dt><dd>${plan?.displayName ?? s.planId} <span class="mono">${s.planId}</span></dd>
  <dt>Seats</dt><dd>${s.quantity ?? "—"}</dd>
  <dt>Term</dt><dd>${termText(s)}</dd>
  <dt>Activation</dt><dd>${s.autoActivated ? "Automatic: Subscribed at purchase, announced by a Subscribe webhook (no Activate needed)" : "By the publisher (Activate)"}</dd>
  <dt>Buyer</dt><dd>${buyer ? `${buyer.name} (${s.beneficiary.emailId})` : s.beneficiary.emailId}, ${tenant?.name ?? s.beneficiary.tenantId}</dd>
  <dt>Subscription id</dt><dd class="mono">${s.id}</dd>
  <dt>Webhook URL</dt><dd class="mono">${ctx.settings.webhookUrl}</dd>
</dl>
<form method="post" action="${subscriptionPagePath(s.id)}/open-landing-page"><button type="submit" class="secondary">Open landing page (new token)</button></form>

<h2 id="actions-title">Marketplace actions</h2>
<p class="hint">What the customer does in the Azure portal or Microsoft 365 admin center, or what Microsoft does after a payment event. Each action creates an operation and sends its webhook. Plan and seat changes and reinstatements wait ${formatDuration(ctx.settings.ackTimeoutMs)} for the publisher's acknowledgement (PATCH operation); without one they are auto-accepted.</p>
<div class="actions" role="group" aria-labelledby="actions-title">
  <form method="post" action="${actionPath}" class="card">
    <div class="field">
      <label for="planId">New plan</label>
      <select id="planId" name="planId">
        ${(offer?.plans ?? []).map((p) => html`<option value="${p.planId}"${p.planId === s.planId ? html` disabled` : ""}>${p.displayName}${p.isPricePerSeat ? ` (${seatRange(p)})` : " (flat rate)"}${p.planId === s.planId ? " — current" : ""}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="plan-quantity">Quantity for the new plan (optional)</label>
      <input type="number" id="plan-quantity" name="quantity" inputmode="numeric" min="1" step="1" aria-describedby="plan-quantity-hint">
      <p class="hint" id="plan-quantity-hint">Per-user plans only. Empty: the current seats, moved into the new plan's range.</p>
    </div>
    <div><button type="submit" name="action" value="ChangePlan">Change plan</button></div>
  </form>
  <form method="post" action="${actionPath}" class="card">
    <div class="field">
      <label for="seats">Seats</label>
      <input type="number" id="seats" name="quantity" inputmode="numeric" min="1" step="1" value="${s.quantity ?? ""}" aria-describedby="seats-hint">
      <p class="hint" id="seats-hint">${plan?.isPricePerSeat ? `This plan allows ${seatRange(plan)}.` : `Per-user plans only${perSeatPlans.length > 0 ? ` (${perSeatPlans.map((p) => p.displayName).join(", ")})` : ""}; this plan is flat rate.`}</p>
    </div>
    <div><button type="submit" name="action" value="ChangeQuantity">Change seats</button></div>
  </form>
  ${simpleAction(actionPath, "Suspend", "Payment failed: Microsoft suspends the subscription at once and notifies the publisher. Only when Subscribed.")}
  ${simpleAction(actionPath, "Reinstate", "Payment arrived within the grace period: back to Subscribed once the publisher accepts (or after the window). Only when Suspended.")}
  ${simpleAction(actionPath, "Unsubscribe", "The customer cancels (or the grace period ran out). Final. From Subscribed, Suspended or PendingFulfillmentStart.")}
  ${simpleAction(actionPath, "Renew", "The term ends and renews automatically: the term dates move forward by one term. Only when Subscribed.")}
</div>

<h2 id="operations-title">Operations (${operations.length})</h2>
${
  operations.length === 0
    ? html`<p>No operations yet.</p>`
    : html`<div class="table-wrap"><table aria-labelledby="operations-title">
  <thead><tr><th scope="col">Raised</th><th scope="col">Action</th><th scope="col">Started by</th><th scope="col">Target</th><th scope="col">Status</th><th scope="col">Ended</th></tr></thead>
  <tbody>${operations.map(
    (o) => html`<tr>
    <td class="mono">${o.timeStamp}</td>
    <td>${o.action}<div class="mono">${o.id}</div></td>
    <td>${o.source === "Azure" ? "Marketplace (Azure)" : "Publisher (Partner)"}</td>
    <td>${o.planId}${o.quantity !== undefined ? ` × ${o.quantity}` : ""}</td>
    <td class="status">${o.status}${o.errorMessage ? html`<div class="hint">${o.errorMessage}</div>` : ""}</td>
    <td>${o.completedAt ? html`<span class="mono">${o.completedAt}</span> ${settledByText(o)}` : o.phase === "awaitingAck" && o.ackDueAt ? html`Waiting for the acknowledgement until <span class="mono">${o.ackDueAt}</span>` : html`Processing until <span class="mono">${o.dueAt}</span>`}</td>
  </tr>`,
  )}</tbody>
</table></div>`
}

<h2 id="webhooks-title">Webhook deliveries (${deliveries.length})</h2>
${deliveriesTable(ctx, deliveries, "webhooks-title")}

<h2 id="usage-title">Usage events (${usageEvents.length})</h2>
${usageEventsTable(usageEvents, "usage-title", (e) => ctx.usageReconciliations.forEvent(e))}`;
  return page({ part: "marketplace", title: s.name, body });
}

/** The term as reported, whatever its unit (an unknown one has no end date unless the control API set one). */
export function termText(s: StoredSubscription): string {
  const unit = s.chargeDuration ? `${s.termUnit}, charged every ${s.chargeDuration}` : s.termUnit;
  const start = s.termStartDate?.slice(0, 10);
  const end = s.termEndDate?.slice(0, 10);
  if (start && end) return `${start} to ${end} (${unit})`;
  if (start) return `from ${start}, no end date (${unit})`;
  if (end) return `until ${end} (${unit})`;
  return `not started (${unit})`;
}

function simpleAction(actionPath: string, action: string, hint: string): SafeHtml {
  const hintId = `${action.toLowerCase()}-hint`;
  return html`<form method="post" action="${actionPath}" class="card">
    <p class="hint" id="${hintId}">${hint}</p>
    <div><button type="submit" name="action" value="${action}" aria-describedby="${hintId}">${action}</button></div>
  </form>`;
}

function startedNotice(ctx: MarketplaceContext, o: StoredOperation): SafeHtml {
  const delivery = ctx.store.listDeliveries({ operationId: o.id })[0];
  const webhook = !delivery
    ? "No webhook."
    : delivery.outcome === "dropped"
      ? "Its webhook was dropped (not sent)."
      : "Its webhook is being sent.";
  const waiting =
    o.status === "InProgress" && o.ackDueAt ? ` The publisher can acknowledge it until ${o.ackDueAt}.` : "";
  return html`<div class="notice" role="status">${o.action} started: operation <span class="mono">${o.id}</span> is ${o.status}. ${webhook}${waiting}</div>`;
}

function settledByText(o: StoredOperation): string {
  switch (o.settledBy) {
    case "acknowledgement":
      return `(publisher acknowledged: ${o.status === "Succeeded" ? "Success" : "Failure"})`;
    case "autoAccept":
      return o.deliver === "drop"
        ? "(auto-accepted; webhook dropped)"
        : `(auto-accepted after ${formatDuration(o.ackWindowMs ?? 0)})`;
    case "webhookRejection":
      return "(refused: the webhook was answered with a 4xx)";
    case "immediate":
      return "(applied at once)";
    case "timer":
      return "(processed)";
    default:
      return "";
  }
}

/** The deliveries table, shared with the home page. */
export function deliveriesTable(
  ctx: MarketplaceContext,
  deliveries: StoredDelivery[],
  labelledBy: string,
  options: { showSubscription?: boolean } = {},
): SafeHtml {
  if (deliveries.length === 0) return html`<p>No webhooks sent yet.</p>`;
  return html`<div class="table-wrap"><table aria-labelledby="${labelledBy}">
  <thead><tr><th scope="col">Created</th>${options.showSubscription ? html`<th scope="col">Subscription</th>` : ""}<th scope="col">Webhook</th><th scope="col">Attempts</th><th scope="col">Result</th><th scope="col">Acknowledgement</th><th scope="col">Redeliver</th></tr></thead>
  <tbody>${deliveries.map((d) => deliveryRow(ctx, d, options.showSubscription ?? false))}</tbody>
</table></div>`;
}

function deliveryRow(ctx: MarketplaceContext, d: StoredDelivery, showSubscription: boolean): SafeHtml {
  const operation = ctx.store.getOperation(d.subscriptionId, d.operationId);
  const subscription = showSubscription ? ctx.store.getSubscription(d.subscriptionId) : undefined;
  const source = typeof d.payload.operationRequestSource === "string" ? d.payload.operationRequestSource : "?";
  const status = typeof d.payload.status === "string" ? d.payload.status : "?";
  return html`<tr>
    <td><span class="mono">${d.createdAt}</span><div class="mono">${d.id}</div>${d.redeliveryOf ? html`<div>Redelivery of <span class="mono">${d.redeliveryOf}</span></div>` : ""}</td>
    ${showSubscription ? html`<td><a href="${subscriptionPagePath(d.subscriptionId)}">${subscription?.name ?? d.subscriptionId}</a></td>` : ""}
    <td>${d.action} (${status}, from ${source})<div class="mono">operation ${d.operationId}</div><div class="mono">${d.url}</div></td>
    <td>${d.attempts.length === 0 ? "—" : html`<ol class="ops">${d.attempts.map((a) => html`<li><span class="mono">${a.at}</span>: ${a.status !== undefined ? `HTTP ${a.status}` : `no answer (${a.error ?? "error"})`} in ${formatDuration(a.durationMs)}</li>`)}</ol>`}</td>
    <td class="status">${resultText(d)}</td>
    <td>${operation ? acknowledgementText(operation) : "—"}</td>
    <td><form method="post" action="/marketplace/webhooks/${d.id}/redeliver"><button type="submit" class="secondary" aria-label="Redeliver ${d.action} webhook ${d.id}">Redeliver</button></form></td>
  </tr>`;
}

function resultText(d: StoredDelivery): string {
  switch (d.outcome) {
    case "delivered":
      return "Delivered";
    case "pending":
      if (!d.nextAttemptAt) return "Sending";
      return d.attempts.length === 0 ? `Held until ${d.nextAttemptAt}` : `Retrying at ${d.nextAttemptAt}`;
    case "failed":
      return `Gave up after ${d.attempts.length} attempt${d.attempts.length === 1 ? "" : "s"}`;
    case "rejected":
      return `Refused by the publisher (HTTP ${d.attempts.at(-1)?.status ?? "4xx"})`;
    case "dropped":
      return "Not sent (dropped)";
  }
}

function acknowledgementText(o: StoredOperation): string {
  const ack = acknowledgementOf(o);
  if (ack && "autoAccepted" in ack) {
    return ack.afterMs === null
      ? `auto-accepted at ${ack.at} (webhook dropped)`
      : `auto-accepted after ${formatDuration(ack.afterMs)} (${ack.at})`;
  }
  if (ack)
    return `${ack.status} ${ack.via === "patch" ? "(PATCH operation)" : "(4xx answer to the webhook)"} at ${ack.at}`;
  if (o.status === "InProgress" && o.ackDueAt) return `Waiting until ${o.ackDueAt}`;
  if (o.status === "InProgress") return "Not yet raised";
  if (!ACKNOWLEDGED_ACTIONS.has(o.action) || o.settledBy === "immediate") return "Not needed (notify-only)";
  return o.status;
}

/** 300 → "300 ms", 10000 → "10 s", 1500 → "1.5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}
