/**
 * The portal's one error type: a closed set of codes, each with an HTTP status here and, in every
 * language, a title and a message a buyer can act on (messages/<locale>/errors.json, keyed by code:
 * `errors.<code>.title`). A thrower may name a more precise reason (`errors.reasons.<key>`).
 * Pages and actions show an AppError in the reader's language through lib/i18n/app-error-text.ts;
 * the Error's own `message` and `title` stay English, for logs. Anything that is not an AppError is
 * logged and shown as the generic "internal" message.
 */
import { createTranslator } from "use-intl/core";
import englishErrors from "@/messages/en/errors.json";
import { isMarketplaceError } from "./marketplace/errors";

export const appErrors = {
  token_missing: { status: 400 },
  token_invalid: { status: 400 },
  subscription_unknown: { status: 404 },
  not_owner: { status: 404 },
  not_activatable: { status: 409 },
  setup_not_possible: { status: 409 },
  activation_refused: { status: 409 },
  marketplace_unavailable: { status: 503 },
  marketplace_misconfigured: { status: 500 },
  change_not_allowed: { status: 403 },
  change_pending: { status: 409 },
  change_terms_changed: { status: 409 },
  invite_invalid: { status: 404 },
  invite_wrong_tenant: { status: 403 },
  people_not_allowed: { status: 403 },
  invalid_input: { status: 400 },
  unauthenticated: { status: 401 },
  internal: { status: 500 },
} as const satisfies Record<string, { status: number }>;

export type AppErrorCode = keyof typeof appErrors;

/** A registry symbol, the same in every Next.js bundle: `instanceof` is not (see marketplace/errors.ts). */
const BRAND = Symbol.for("marketplace-portal.AppError");

/** A tenant the buyer may sign in to instead (not_owner): its id and a domain to name it by, if known. */
export interface TenantHint {
  tenantId: string;
  domain: string | null;
}

/** A reason more precise than the code's own message: a key of `errors.reasons`, with its values if it has any. */
export type AppErrorReason = ReasonKey | { key: ReasonKey; values: Record<string, string | number> };
type ReasonKey = keyof typeof englishErrors.reasons;

const english = createTranslator({ locale: "en", messages: { errors: englishErrors }, namespace: "errors" });

export class AppError extends Error {
  readonly [BRAND] = true;
  readonly code: AppErrorCode;
  readonly reference?: string;
  readonly fieldErrors?: Record<string, string[]>;
  readonly tenantHints?: readonly TenantHint[];
  readonly reason?: AppErrorReason;
  /**
   * A detail given as English text (`options.message`) rather than a reason key: shown as it is in
   * every language. Prefer a reason, so the reader gets it in their language.
   */
  readonly detail?: string;

  constructor(
    code: AppErrorCode,
    options: {
      reason?: AppErrorReason;
      message?: string;
      reference?: string;
      fieldErrors?: Record<string, string[]>;
      tenantHints?: readonly TenantHint[];
      cause?: unknown;
    } = {},
  ) {
    const reason = typeof options.reason === "string" ? { key: options.reason, values: {} } : options.reason;
    super(options.message ?? (reason ? english(`reasons.${reason.key}`, reason.values) : english(`${code}.message`)), {
      cause: options.cause,
    });
    this.name = "AppError";
    this.code = code;
    this.reason = options.reason;
    this.detail = options.message;
    this.reference = options.reference;
    this.fieldErrors = options.fieldErrors;
    this.tenantHints = options.tenantHints;
  }

  get status() {
    return appErrors[this.code].status;
  }

  /** The English title, for logs; readers get theirs from lib/i18n/app-error-text.ts. */
  get title() {
    return english(`${this.code}.title`);
  }
}

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { [BRAND]?: unknown })[BRAND] === true &&
    (code === undefined || (error as AppError).code === code)
  );
}

/** The error as an AppError: itself, or "internal" wrapping it (the caller logs unexpected ones). */
export function toAppError(error: unknown): AppError {
  return isAppError(error) ? error : new AppError("internal", { cause: error });
}

/** Turns a marketplace failure into what the buyer should be told. */
export function fromMarketplaceError(error: unknown, context: "resolve" | "activate" | "read"): AppError {
  if (!isMarketplaceError(error)) return isAppError(error) ? error : new AppError("internal", { cause: error });
  const reference = error.correlationId;
  switch (error.kind) {
    case "bad_request":
      return new AppError(
        context === "resolve" ? "token_invalid" : context === "activate" ? "activation_refused" : "internal",
        { reference, cause: error },
      );
    case "not_found":
      return new AppError("subscription_unknown", { reference, cause: error });
    case "forbidden":
    case "authentication":
    case "invalid_response":
      return new AppError("marketplace_misconfigured", { reference, cause: error });
    case "conflict":
      return new AppError(context === "activate" ? "activation_refused" : "internal", { reference, cause: error });
    case "throttled":
    case "unavailable":
    case "timeout":
      return new AppError("marketplace_unavailable", { reference, cause: error });
  }
}
