/**
 * Variants: ways a real marketplace might answer that differ from what Microsoft documents
 * (marketplace-contract.md §15), played on demand so the portal can be tested against them. Off by default: with
 * none enabled the emulator follows the documentation. A closed list; the names are the API
 * (`SANDBOX_VARIANTS`, `GET|POST /sandbox-api/variants`). What each one does lives at a named
 * hook in variant-hooks.ts. No imports here, so test clients can import the names.
 */

export const VARIANTS = [
  {
    name: "text-bodies",
    description:
      '2xx answers without a documented body carry a plain-text one: Activate and PATCH operation "OK", PATCH/DELETE subscription "Accepted".',
  },
  {
    name: "bare-arrays",
    description:
      'List outstanding operations and List available plans answer a bare JSON array instead of {"operations": […]} / {"plans": […]}.',
  },
  {
    name: "unknown-fields",
    description:
      'Every JSON object in Fulfillment answers has undocumented extra fields, and status strings a trailing space ("Subscribed ").',
  },
  {
    name: "notify-only-reinstate",
    description:
      "A marketplace-side Reinstate is applied at once and notified with status Succeeded; no acknowledgement (a PATCH gets 409).",
  },
  {
    name: "slow-activation",
    description:
      "An accepted Activate keeps PendingFulfillmentStart for slowActivationMs (when activationDelayMs is 0).",
  },
  {
    name: "activate-not-idempotent",
    description:
      "A repeated Activate of a subscription already activated (or whose activation is under way) answers 400.",
  },
  {
    name: "lost-answer",
    description:
      "PATCH/DELETE subscription, an Activate that activates and a usage batch that bills are processed, but the connection is dropped.",
  },
  {
    name: "ack-answer-lost",
    description:
      "The first PATCH acknowledgement of an operation is applied, but its answer is lost (connection dropped); a repeat gets 409.",
  },
  {
    name: "delayed-apply",
    description:
      "An accepted plan or seat change is Succeeded at once, but the subscription shows it only applyDelayMs later.",
  },
  {
    name: "reordered-webhooks",
    description:
      "Webhooks are held for webhookHoldMs; a newer one for the same subscription overtakes a held older one.",
  },
  {
    name: "subscribe-operation-unknown",
    description:
      "Get Operation answers 404 for the Subscribe operation of an auto-activated purchase, and List outstanding operations never shows it.",
  },
  {
    name: "hourly-usage-events",
    description:
      "GET /usageEvents answers one row per UTC hour (usageDate at the hour) instead of one per UTC day, resource and dimension.",
  },
  {
    name: "app-id-uri-audience",
    description:
      "Webhook tokens carry the fulfillment app's App ID URI (api://<client id>) as their audience instead of its client id.",
  },
  {
    name: "v2-webhook-tokens",
    description:
      "Webhook tokens are v2 access tokens: issuer …/{tenant}/v2.0, the marketplace app in azp instead of appid, ver 2.0.",
  },
  {
    name: "throttle-no-retry-after",
    description:
      "The first throttledTries tries of every call (per correlation id, method and path) get 429 without a Retry-After header.",
  },
  {
    name: "html-errors",
    description:
      "Every 5xx answer is an HTML page (text/html); the first gatewayErrorTries tries of each GET get a gateway's 502 or 503 page.",
  },
  {
    name: "no-operation-location",
    description:
      "A 202 to PATCH or DELETE subscription has no Operation-Location (nor Operation-Id) header; the operation proceeds as usual.",
  },
  {
    name: "operation-statuses",
    description:
      "A publisher's change shows NotStarted for the first half of operationDelayMs, then InProgress; an injected failure ends Conflict.",
  },
  {
    name: "mixed-usage-batch",
    description:
      "A usage batch answer comes in reverse order; items 2, 3, 4 of every 4 are Expired, ResourceNotFound, InvalidQuantity.",
  },
  {
    name: "pending-expiry",
    description:
      "A purchase left PendingFulfillmentStart for pendingExpiryMs is ended by Microsoft: Unsubscribed, with an Unsubscribe webhook.",
  },
] as const satisfies ReadonlyArray<{ name: string; description: string }>;

export type VariantName = (typeof VARIANTS)[number]["name"];

/** What turns variants on: names, or every variant. */
export type VariantRequest = readonly string[] | "all";

const KNOWN: ReadonlySet<string> = new Set(VARIANTS.map((v) => v.name));

export function isVariantName(name: string): name is VariantName {
  return KNOWN.has(name);
}

/**
 * The variants a request names, in registry order and without duplicates, and the names it
 * gives that are not variants. Names are trimmed; empty ones are ignored; `all` (alone or in
 * the list) means every variant.
 */
export function resolveVariants(request: VariantRequest): { enabled: VariantName[]; unknown: string[] } {
  const names = request === "all" ? ["all"] : request.map((n) => n.trim()).filter((n) => n !== "");
  if (names.includes("all")) return { enabled: VARIANTS.map((v) => v.name), unknown: [] };
  const unknown = [...new Set(names.filter((n) => !isVariantName(n)))];
  return { enabled: VARIANTS.map((v) => v.name).filter((n) => names.includes(n)), unknown };
}

/** `SANDBOX_VARIANTS`: comma-separated names, `all`, or empty/unset for none. */
export function parseVariantList(text: string | undefined): VariantRequest {
  const trimmed = (text ?? "").trim();
  return trimmed === "all" ? "all" : trimmed.split(",");
}

/** An error message naming the unknown variants and listing the known ones. */
export function unknownVariantsMessage(unknown: readonly string[]): string {
  const quoted = unknown.map((n) => `"${n}"`).join(", ");
  return `Unknown sandbox variant${unknown.length === 1 ? "" : "s"} ${quoted}; known: ${VARIANTS.map((v) => v.name).join(", ")}, or "all".`;
}

/** Resolves a request and fails with a clear message on an unknown name (start-up configuration). */
export function requireVariants(request: VariantRequest): VariantName[] {
  const { enabled, unknown } = resolveVariants(request);
  if (unknown.length > 0) throw new Error(unknownVariantsMessage(unknown));
  return enabled;
}
