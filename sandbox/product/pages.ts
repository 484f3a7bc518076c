/** The sample product's pages: who arrived and what they bought, a refused hand-off, the events, the settings. */
import { html, page, type SafeHtml } from "../html";
import type { HandoffRefusalCode } from "./verify-handoff";
import type { EventRecord, HandoffRecord } from "./product-state";

export interface VerifyConfig {
  jwksUrl: string;
  issuer: string;
  audience: string;
  eventsUrl: string;
  portalUrl: string;
}

const str = (value: unknown): string =>
  typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : value === null || value === undefined
        ? ""
        : JSON.stringify(value);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const time = (seconds: unknown) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : "—");

const ACCESS: Record<string, string> = {
  party: "bought or uses the subscription",
  tenant_admin: "administers the customer's tenant",
  colleague: "invited by a colleague",
};

function featureValue(value: unknown): string {
  if (value === true) return "yes";
  if (value === false) return "no";
  return str(value);
}

/** GET /product: the person the last verified hand-off of this browser brought, and what their organisation bought. */
export function arrivalPage(options: {
  arrival: HandoffRecord | undefined;
  recent: readonly HandoffRecord[];
  config: VerifyConfig;
}) {
  const { arrival, config } = options;
  const claims = record(arrival?.claims);
  const subscription = record(claims.subscription);
  const features = Object.entries(record(subscription.features));
  const body = arrival
    ? html`
<h1>Welcome, <span data-testid="arrived-name">${str(claims.name) || str(claims.email) || str(claims.sub)}</span></h1>
<div class="notice" role="status" data-testid="verified">
  <strong>Signed in from the portal.</strong> The hand-off token was verified: signature with the portal's key
  <span class="mono">${arrival.key?.kid ?? "?"}</span> (${arrival.key?.alg ?? "?"}),
  issuer <span class="mono">${str(claims.iss)}</span>, audience <span class="mono">${str(claims.aud)}</span>, not expired, used once.
</div>
<h2>Who arrived</h2>
<dl class="facts">
  <dt>Name</dt><dd>${str(claims.name) || "—"}</dd>
  <dt>Email</dt><dd data-testid="arrived-email">${str(claims.email) || "—"}</dd>
  <dt>Entra tenant (tid)</dt><dd class="mono">${str(claims.tid)}</dd>
  <dt>Object id (sub)</dt><dd class="mono">${str(claims.sub)}</dd>
  <dt>Access</dt><dd>${ACCESS[str(claims.access)] ?? str(claims.access)}</dd>
</dl>
<h2>What they bought</h2>
<dl class="facts">
  <dt>Offer</dt><dd data-testid="arrived-offer">${str(subscription.offerName)}</dd>
  <dt>Plan</dt><dd data-testid="arrived-plan">${str(subscription.planName)}</dd>
  <dt>Seats</dt><dd data-testid="arrived-seats">${subscription.seats === null || subscription.seats === undefined ? "Flat rate" : str(subscription.seats)}</dd>
  <dt>Status</dt><dd>${str(subscription.status)}${subscription.isTest === true ? " (test)" : ""}${subscription.isFreeTrial === true ? " (free trial)" : ""}</dd>
  <dt>Customer tenant</dt><dd class="mono">${str(subscription.tenantId)}</dd>
  <dt>Subscription</dt><dd class="mono" data-testid="arrived-subscription">${str(subscription.id)}</dd>
  <dt>Offer and plan ids</dt><dd class="mono">${str(subscription.offerId)} / ${str(subscription.planId)}</dd>
</dl>
<h2 id="features-title">Features of the plan</h2>
${
  features.length === 0
    ? html`<p>The offer catalog lists no features for this plan.</p>`
    : html`<div class="table-wrap"><table aria-labelledby="features-title" data-testid="features">
<thead><tr><th scope="col">Feature</th><th scope="col">Value</th></tr></thead>
<tbody>${features.map(([name, value]) => html`<tr><td>${name}</td><td>${featureValue(value)}</td></tr>`)}</tbody>
</table></div>`
}
<h2>The token</h2>
<dl class="facts">
  <dt>Token id (jti)</dt><dd class="mono">${str(claims.jti)}</dd>
  <dt>Issued</dt><dd>${time(claims.iat)}</dd>
  <dt>Expires</dt><dd>${time(claims.exp)}</dd>
</dl>`
    : html`
<h1>Nobody has arrived yet</h1>
<p>This page shows who the portal signed in and what their organisation bought. Open it from the portal: after
activating a subscription, or on a subscription's page under <a href="${config.portalUrl}/account">My subscriptions</a>,
press <strong>Open …</strong>.</p>`;
  return page({
    part: "product",
    title: arrival ? "Who arrived" : "Sample product",
    body: html`${body}
${recentHandoffs(options.recent)}
${verifyingWith(config)}`,
  });
}

function recentHandoffs(recent: readonly HandoffRecord[]): SafeHtml {
  if (recent.length === 0) return html``;
  return html`<h2 id="handoffs-title">Recent hand-offs</h2>
<div class="table-wrap"><table aria-labelledby="handoffs-title" data-testid="handoffs">
<thead><tr><th scope="col">When</th><th scope="col">Result</th><th scope="col">Who, or why refused</th></tr></thead>
<tbody>${recent.slice(0, 20).map((item) => {
    const claims = record(item.claims);
    const subscription = record(claims.subscription);
    return html`<tr><td class="mono">${item.at}</td><td class="status">${item.verified ? "verified" : "refused"}</td><td>${
      item.verified
        ? `${str(claims.name) || str(claims.sub)} — ${str(subscription.offerName)}, ${str(subscription.planName)}`
        : item.reason
    }</td></tr>`;
  })}</tbody></table></div>`;
}

function verifyingWith(config: VerifyConfig): SafeHtml {
  return html`<h2>How this product checks the portal</h2>
<dl class="facts">
  <dt>Portal's keys</dt><dd class="mono">${config.jwksUrl}</dd>
  <dt>Issuer</dt><dd class="mono">${config.issuer}</dd>
  <dt>Audience (this product)</dt><dd class="mono">${config.audience}</dd>
  <dt>Events endpoint</dt><dd class="mono">${config.eventsUrl}</dd>
</dl>`;
}

const REFUSAL_TITLES: Record<HandoffRefusalCode, string> = {
  missing: "No hand-off token",
  malformed: "This is not a hand-off token",
  expired: "This hand-off has expired",
  wrong_audience: "This hand-off is for another product",
  wrong_issuer: "This hand-off comes from an unknown portal",
  bad_signature: "This hand-off was altered",
  unknown_key: "This hand-off is signed with an unknown key",
  replayed: "This hand-off was already used",
  invalid_claims: "This hand-off is not valid",
  keys_unavailable: "The portal's keys could not be read",
};

/** A refused hand-off: what was wrong, and the way forward. */
export function refusedPage(options: { code: HandoffRefusalCode; reason: string; config: VerifyConfig }) {
  return page({
    part: "product",
    title: "Sign-in refused",
    body: html`<h1>${REFUSAL_TITLES[options.code]}</h1>
<div class="errors" role="alert" data-testid="refused" data-code="${options.code}">
  <strong>The sign-in was refused.</strong> ${options.reason}
</div>
<p>Nobody was signed in. Go back to the portal and open the product from your subscription:
<a href="${options.config.portalUrl}/account">My subscriptions</a>.</p>
${verifyingWith(options.config)}`,
  });
}

/** GET /product/events: every event received, verified or refused. */
export function eventsPage(options: { events: readonly EventRecord[]; configured: boolean; config: VerifyConfig }) {
  return page({
    part: "product",
    title: "Events",
    body: html`<h1>Events from the portal</h1>
<p>The portal's Standard Webhooks events to <span class="mono">${options.config.eventsUrl}</span>, newest first. Each
is verified with the endpoint's secret (<code>standardwebhooks</code>) before it is read.</p>
${
  options.configured
    ? ""
    : html`<div class="errors" role="alert"><strong>No endpoint secret yet.</strong> Create an endpoint for
<span class="mono">${options.config.eventsUrl}</span> in the portal's admin console, then paste its secret under
<a href="/product/settings">Settings</a>. Until then every event is refused.</div>`
}
${
  options.events.length === 0
    ? html`<p data-testid="no-events">No events yet.</p>`
    : html`<div class="table-wrap"><table aria-labelledby="events-title" data-testid="events">
<caption id="events-title" class="hint">${options.events.length} events</caption>
<thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Result</th><th scope="col">What it says</th></tr></thead>
<tbody>${options.events.map((event) => eventRow(event))}</tbody></table></div>`
}`,
  });
}

/** `{ plan: { from, to }, seats: { from, to } }` as "plan pro-seats → enterprise-seats, seats 5 → 10". */
function describeChange(change: Record<string, unknown>): string {
  const parts = Object.entries(change).map(([key, value]) => {
    const step = record(value);
    return "from" in step || "to" in step
      ? `${key} ${str(step.from) || "—"} → ${str(step.to) || "—"}`
      : `${key} ${str(value)}`;
  });
  return parts.length > 0 ? `changed: ${parts.join(", ")}` : "";
}

function eventRow(event: EventRecord): SafeHtml {
  const body = record(event.body);
  const data = record(body.data);
  const subscription = record(data.subscription);
  const change = record(data.change);
  const summary = event.verified
    ? [
        str(subscription.offer && record(subscription.offer).displayName) || str(data.subscriptionId),
        subscription.plan ? `plan ${str(record(subscription.plan).displayName)}` : "",
        subscription.seats !== undefined && subscription.seats !== null ? `${str(subscription.seats)} seats` : "",
        subscription.status ? str(subscription.status) : "",
        describeChange(change),
        data.sequence !== undefined ? `#${str(data.sequence)}` : "",
      ]
        .filter(Boolean)
        .join(" · ")
    : event.reason;
  return html`<tr data-testid="event-row" data-type="${event.type ?? ""}" data-verified="${String(event.verified)}">
<td class="mono">${event.receivedAt}</td>
<td><strong>${event.type ?? "—"}</strong><div class="mono">${event.webhookId ?? "no webhook-id"}</div></td>
<td class="status">${event.verified ? (event.duplicate ? "verified (repeat)" : "verified") : "refused"}</td>
<td>${summary}</td></tr>`;
}

/** GET /product/settings: the endpoint secret(s), pasted from the portal's console. */
export function settingsPage(options: { masked: string[]; config: VerifyConfig; saved?: boolean; problem?: string }) {
  return page({
    part: "product",
    title: "Settings",
    body: html`<h1>Sample product settings</h1>
${options.saved ? html`<div class="notice" role="status">Saved.</div>` : ""}
${options.problem ? html`<div class="errors" role="alert">${options.problem}</div>` : ""}
<form class="stack" method="post" action="/product/settings">
  <div class="field">
    <label for="eventSecrets">Event endpoint secrets</label>
    <p class="hint" id="eventSecrets-hint">In the portal's admin console, add an event endpoint with the URL
    <span class="mono">${options.config.eventsUrl}</span> and paste the <code>whsec_…</code> secret it shows once. One per
    line; during a rotation, both. ${options.masked.length > 0 ? `Now: ${options.masked.join(", ")}.` : "None yet."}</p>
    <textarea id="eventSecrets" name="eventSecrets" rows="3" aria-describedby="eventSecrets-hint" spellcheck="false"></textarea>
  </div>
  <div><button type="submit">Save secrets</button></div>
</form>
${verifyingWith(options.config)}`,
  });
}
