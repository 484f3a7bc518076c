/** The one error type of the marketplace client: a closed set of kinds the callers branch on. */
export type MarketplaceErrorKind =
  | "bad_request" // 400: invalid or expired purchase token, wrong state, same plan/quantity...
  | "forbidden" // 403: token missing/expired/for another app (marketplace-contract.md §2.4)
  | "not_found" // 404
  | "conflict" // 409: locked by a pending operation, superseded
  | "throttled" // 429 after retries
  | "unavailable" // 5xx or network failure after retries
  | "timeout" // no answer within the timeout, after retries
  | "invalid_response" // an answer that does not match the contract
  | "authentication"; // the fulfillment app could not get a token from Entra ID

/**
 * Next.js compiles pages, server actions, route handlers and instrumentation (where the workers
 * run) into separate bundles, each with its own copy of this class, while the client itself is one
 * per process: `instanceof` fails for errors thrown by another bundle's copy. The brand is a
 * registry symbol, the same in every bundle, so `isMarketplaceError` recognises them all.
 */
const BRAND = Symbol.for("marketplace-portal.MarketplaceError");

export class MarketplaceError extends Error {
  readonly [BRAND] = true;
  readonly kind: MarketplaceErrorKind;
  readonly status?: number;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly operation: string;
  /** Microsoft's error message when it sent one (never contains our tokens). */
  readonly detail?: string;
  /** The JSON error body, for callers that need more than the message (e.g. a 409's accepted usage event). */
  readonly body?: unknown;
  /**
   * The request may have reached Microsoft and taken effect although we got no usable answer
   * (timeout, connection lost after sending, 5xx). A non-idempotent call (PATCH/DELETE
   * subscription) that failed this way must not be sent again before asking Microsoft what happened.
   */
  readonly mayHaveTakenEffect: boolean;

  constructor(init: {
    kind: MarketplaceErrorKind;
    operation: string;
    message: string;
    status?: number;
    requestId?: string;
    correlationId?: string;
    detail?: string;
    body?: unknown;
    mayHaveTakenEffect?: boolean;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = "MarketplaceError";
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status;
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.detail = init.detail;
    this.body = init.body;
    this.mayHaveTakenEffect = init.mayHaveTakenEffect ?? false;
  }

  get retryable() {
    return this.kind === "throttled" || this.kind === "unavailable" || this.kind === "timeout";
  }
}

export function isMarketplaceError(error: unknown, kind?: MarketplaceErrorKind): error is MarketplaceError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { [BRAND]?: unknown })[BRAND] === true &&
    (kind === undefined || (error as MarketplaceError).kind === kind)
  );
}

export function kindForStatus(status: number): MarketplaceErrorKind {
  if (status === 400) return "bad_request";
  if (status === 401 || status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "throttled";
  if (status >= 500) return "unavailable";
  return "bad_request";
}
