/**
 * The purchase page: the sandbox's version of buying a SaaS offer in Azure Marketplace/AppSource
 * and clicking "Configure account now" (marketplace-contract.md §4.4). Buying creates a `PendingFulfillmentStart`
 * subscription (or, for an auto-activated plan, a `Subscribed` one and its `Subscribe` webhook, §4.7)
 * and sends the browser to the portal's landing page with `?token=`. The page says which of the
 * two the chosen plan does before the buyer buys.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { html, page, type SafeHtml } from "../html";
import { redirect, sendHtml } from "../http";
import type { Catalog, CatalogPlan, Directory } from "../types";
import { buyers, cspReseller, findTenant, seatRange } from "./catalog";
import type { MarketplaceContext } from "./context";
import { readText } from "./http-error";
import { createPurchase, PurchaseRejected, type PurchaseRequest } from "./purchases";
import { termDescription, termMonths, termPeriodName } from "./term";

export const PURCHASE_PATH = "/purchase";
const DEFAULT_NAME = "Fabrikam analytics";

/** What the form shows; on an error it is re-rendered with what the user sent. */
interface FormValues {
  plan: string;
  quantity: string;
  buyer: string;
  csp: boolean;
  name: string;
  isTest: boolean;
  isFreeTrial: boolean;
  preview: boolean;
}

export async function handlePurchasePage(
  ctx: MarketplaceContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === "POST") return submit(ctx, req, res);
  const { catalog, directory } = ctx.options;
  const firstOffer = catalog.offers[0];
  const firstBuyer = buyers(directory)[0];
  sendHtml(
    res,
    200,
    renderForm(
      catalog,
      directory,
      {
        plan: firstOffer?.plans[0] ? `${firstOffer.offerId}/${firstOffer.plans[0].planId}` : "",
        quantity: "",
        buyer: firstBuyer ? `${firstBuyer.tid}/${firstBuyer.oid}` : "",
        csp: false,
        name: DEFAULT_NAME,
        isTest: false,
        isFreeTrial: false,
        preview: false,
      },
      [],
    ),
  );
}

async function submit(ctx: MarketplaceContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readText(req));
  const values: FormValues = {
    plan: form.get("plan") ?? "",
    quantity: (form.get("quantity") ?? "").trim(),
    buyer: form.get("buyer") ?? "",
    csp: form.has("csp"),
    name: form.get("name") ?? "",
    isTest: form.has("isTest"),
    isFreeTrial: form.has("isFreeTrial"),
    preview: form.has("preview"),
  };
  const { request, problems } = toPurchaseRequest(ctx.options.catalog, values);
  if (request) {
    try {
      const purchase = await createPurchase(ctx.purchases, request);
      redirect(res, purchase.landingUrl);
      return;
    } catch (error) {
      if (!(error instanceof PurchaseRejected)) throw error;
      problems.push(...error.problems);
    }
  }
  sendHtml(res, 400, renderForm(ctx.options.catalog, ctx.options.directory, values, problems));
}

function toPurchaseRequest(catalog: Catalog, values: FormValues): { request?: PurchaseRequest; problems: string[] } {
  const problems: string[] = [];
  const [offerId = "", planId = ""] = values.plan.split("/");
  const [tid = "", oid = ""] = values.buyer.split("/");
  const plan = catalog.offers.find((o) => o.offerId === offerId)?.plans.find((p) => p.planId === planId);
  let quantity: number | undefined;
  // The seat field stays in the form for flat plans (it is only hidden), so it is ignored there.
  if (plan?.isPricePerSeat && values.quantity !== "") {
    quantity = Number(values.quantity);
    if (!Number.isInteger(quantity)) problems.push("Seats must be a whole number.");
  }
  if (values.name.trim() === "") problems.push("Enter a subscription name.");
  if (problems.length > 0) return { problems };
  return {
    problems,
    request: {
      offerId,
      planId,
      quantity,
      beneficiary: { tid, oid },
      csp: values.csp,
      isTest: values.isTest,
      isFreeTrial: values.isFreeTrial,
      preview: values.preview,
      name: values.name,
    },
  };
}

function renderForm(catalog: Catalog, directory: Directory, values: FormValues, problems: string[]): string {
  const perSeatPlans = catalog.offers.flatMap((o) =>
    o.plans.filter((p) => p.isPricePerSeat).map((p) => `${p.displayName}: ${seatRange(p)}`),
  );
  const [selectedOfferId = "", selectedPlanId = ""] = values.plan.split("/");
  const selectedPlan = catalog.offers
    .find((o) => o.offerId === selectedOfferId)
    ?.plans.find((p) => p.planId === selectedPlanId);
  const reseller = cspReseller(directory);
  const resellerTenant = reseller ? findTenant(directory, reseller.tid) : undefined;
  const body = html`
<h1>Buy a SaaS subscription</h1>
<p>Choose an offer and plan, a buyer from the seeded directory, and buy. You are then sent to the portal's landing page with a purchase token, like Microsoft's "Configure account now".</p>
${problems.length > 0 ? errorSummary(problems) : ""}
<form class="stack" method="post" action="/purchase" novalidate>
  <div class="field">
    <label for="plan">Offer and plan</label>
    <select id="plan" name="plan" aria-describedby="activation-mode plan-hint">
      ${catalog.offers.map((offer) =>
        offer.plans.map((plan) => {
          const value = `${offer.offerId}/${plan.planId}`;
          return html`<option value="${value}" data-per-seat="${String(plan.isPricePerSeat)}" data-min="${String(plan.minQuantity ?? 1)}" data-max="${String(plan.maxQuantity ?? "")}" data-activation-title="${activationMode(plan).title}" data-activation-detail="${activationMode(plan).detail}"${selected(value === values.plan)}>${offer.displayName} — ${plan.displayName}</option>`;
        }),
      )}
    </select>
    <p class="notice" id="activation-mode" aria-live="polite">${activationNotice(selectedPlan)}</p>
    <ul class="hint" id="plan-hint">${catalog.offers.map((o) => o.plans.map((p) => html`<li>${o.displayName} — ${p.displayName}: ${priceText(p)}; ${p.autoActivate ? "starts when you buy" : "starts when the publisher activates it"}.</li>`))}</ul>
  </div>
  <div class="field" id="quantity-field">
    <label for="quantity">Seats</label>
    <input type="number" id="quantity" name="quantity" inputmode="numeric" min="1" step="1" value="${values.quantity}" aria-describedby="quantity-hint">
    <p class="hint" id="quantity-hint">Per-user plans only. ${perSeatPlans.join("; ")}.</p>
  </div>
  <div class="field">
    <label for="buyer">Buyer</label>
    <select id="buyer" name="buyer">
      ${buyers(directory).map((user) => {
        const value = `${user.tid}/${user.oid}`;
        const tenant = findTenant(directory, user.tid);
        return html`<option value="${value}"${selected(value === values.buyer)}>${user.name} (${user.email}) — ${tenant?.name ?? user.tid}</option>`;
      })}
    </select>
  </div>
  <div class="check">
    <input type="checkbox" id="csp" name="csp" aria-describedby="csp-hint"${checked(values.csp)}>
    <div><label for="csp">CSP purchase</label>
    <p class="hint" id="csp-hint">${reseller ? `${reseller.name} of ${resellerTenant?.name ?? "the CSP partner"} buys on the buyer's behalf.` : "No CSP partner in the directory."} The buyer can then only read the subscription (allowedCustomerOperations ["Read"]).</p></div>
  </div>
  <div class="field">
    <label for="name">Subscription name</label>
    <input type="text" id="name" name="name" value="${values.name}" required>
  </div>
  <div class="check">
    <input type="checkbox" id="isTest" name="isTest"${checked(values.isTest)}>
    <label for="isTest">Test purchase</label>
  </div>
  <div class="check">
    <input type="checkbox" id="isFreeTrial" name="isFreeTrial" aria-describedby="trial-hint"${checked(values.isFreeTrial)}>
    <div><label for="isFreeTrial">Free trial</label>
    <p class="hint" id="trial-hint">Only for plans that offer a free trial.</p></div>
  </div>
  <div class="check">
    <input type="checkbox" id="preview" name="preview" aria-describedby="preview-hint"${checked(values.preview)}>
    <div><label for="preview">Preview purchase</label>
    <p class="hint" id="preview-hint">Bought through the offer's preview, as Partner Center's preview audience does: Microsoft names the offer <span class="mono">&lt;offer&gt;-preview</span>.</p></div>
  </div>
  <div><button type="submit">Buy</button></div>
</form>`;
  return page({ part: "marketplace", title: "Buy a subscription", body, script: SEATS_SCRIPT });
}

function errorSummary(problems: string[]): SafeHtml {
  return html`<div class="errors" role="alert" aria-labelledby="errors-title">
  <strong id="errors-title">The purchase could not be completed:</strong>
  <ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>
</div>`;
}

function selected(on: boolean): SafeHtml {
  return html`${on ? html` selected` : ""}`;
}

function checked(on: boolean): SafeHtml {
  return html`${on ? html` checked` : ""}`;
}

/** When the subscription and its billing start, in the buyer's words (marketplace-contract.md §4.7). */
export function activationMode(plan: CatalogPlan): { title: string; detail: string } {
  return plan.autoActivate
    ? {
        title: "Starts at once.",
        detail: "The subscription and its billing begin when you buy; you then set up your account with the publisher.",
      }
    : {
        title: "Starts when the publisher activates it.",
        detail:
          "You first set up your account with the publisher; the subscription and its billing begin when they activate it.",
      };
}

function activationNotice(plan: CatalogPlan | undefined): SafeHtml {
  if (!plan)
    return html`<strong id="activation-title">Choose a plan</strong> <span id="activation-detail">to see when it starts.</span>`;
  const { title, detail } = activationMode(plan);
  return html`<strong id="activation-title">${title}</strong> <span id="activation-detail">${detail}</span>`;
}

/** "$49 per month", "$12 per user per month", "$179 per month for 3 years" (a term paid in instalments). */
export function priceText(plan: CatalogPlan): string {
  const perUser = plan.isPricePerSeat ? "user per " : "";
  const instalments =
    plan.chargeDuration !== undefined &&
    plan.chargeDuration !== plan.termUnit &&
    termMonths(plan.chargeDuration) !== undefined;
  if (instalments && plan.chargeDuration !== undefined) {
    return `$${plan.price} per ${perUser}${termPeriodName(plan.chargeDuration)} for ${termDescription(plan.termUnit)}`;
  }
  return `$${plan.price} per ${perUser}${termPeriodName(plan.termUnit)}`;
}

/**
 * Progressive enhancement: show the seat field only for per-seat plans, with their limits, and
 * say when the chosen plan starts.
 */
const SEATS_SCRIPT = `
(function () {
  var plan = document.getElementById("plan");
  var field = document.getElementById("quantity-field");
  var seats = document.getElementById("quantity");
  var modeTitle = document.getElementById("activation-title");
  var modeDetail = document.getElementById("activation-detail");
  function sync() {
    var option = plan.options[plan.selectedIndex];
    if (option && option.dataset.activationTitle) {
      modeTitle.textContent = option.dataset.activationTitle;
      modeDetail.textContent = option.dataset.activationDetail || "";
    }
    var perSeat = option && option.dataset.perSeat === "true";
    field.hidden = !perSeat;
    if (!perSeat) return;
    seats.min = option.dataset.min || "1";
    if (option.dataset.max) seats.max = option.dataset.max; else seats.removeAttribute("max");
    var value = Number(seats.value);
    if (seats.value === "" || value < Number(seats.min) || (seats.max && value > Number(seats.max))) seats.value = seats.min;
  }
  plan.addEventListener("change", sync);
  sync();
})();
`;
