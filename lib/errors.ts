/**
 * The portal's one error type: a closed set of codes, each with an HTTP status and a message a
 * buyer can act on. Pages and handlers map AppError; anything else is logged and shown as a
 * generic message.
 */
import { isMarketplaceError } from "./marketplace/errors";

export const appErrors = {
  token_missing: {
    status: 400,
    title: "This link has no purchase token",
    message:
      "Open this page from the marketplace: in the Azure portal or the Microsoft 365 admin center, open your SaaS subscription and choose “Configure account” (or “Manage”).",
  },
  token_invalid: {
    status: 400,
    title: "This purchase link is invalid or has expired",
    message:
      "Purchase links are valid for 24 hours. Go back to the Azure portal or the Microsoft 365 admin center, open your SaaS subscription and choose “Configure account” again to get a fresh link.",
  },
  subscription_unknown: {
    status: 404,
    title: "We could not find this subscription",
    message:
      "Microsoft does not know this subscription any more. If you just cancelled it, buy the offer again; otherwise contact support with the subscription id.",
  },
  not_owner: {
    status: 404,
    title: "This subscription belongs to another account",
    message:
      "You are signed in with an account that neither bought nor uses this subscription. Sign out and sign in with the account that made the purchase or the one it was bought for.",
  },
  not_activatable: {
    status: 409,
    title: "This subscription cannot be activated",
    message: "Its current state does not allow activation.",
  },
  setup_not_possible: {
    status: 409,
    title: "This account cannot be set up now",
    message: "Its current state does not allow finishing the setup.",
  },
  activation_refused: {
    status: 409,
    title: "Microsoft refused the activation",
    message:
      "Microsoft did not accept the activation of this subscription. Nothing was charged. Try again in a few minutes; if it keeps failing, contact support with the reference below.",
  },
  marketplace_unavailable: {
    status: 503,
    title: "Microsoft's marketplace is not answering",
    message:
      "We could not reach Microsoft's marketplace just now. Nothing was lost: your details are kept. Please try again in a minute.",
  },
  marketplace_misconfigured: {
    status: 500,
    title: "The portal cannot talk to Microsoft's marketplace",
    message:
      "The portal's connection to the marketplace is not set up correctly. Our team has been notified; please try again later.",
  },
  change_not_allowed: {
    status: 403,
    title: "This change is not possible",
    message: "This subscription cannot be changed from here.",
  },
  change_pending: {
    status: 409,
    title: "A change is already in progress",
    message:
      "Microsoft is still processing your previous change. Wait until it completes (this page updates by itself), then try again.",
  },
  change_terms_changed: {
    status: 409,
    title: "The plan's terms changed",
    message:
      "The plan's terms changed since you reviewed them: please review again. Nothing was changed; the page now shows what the change would do.",
  },
  invite_invalid: {
    status: 404,
    title: "This invitation cannot be used",
    message:
      "The link is not valid: it may have been mistyped, already used, withdrawn, or it has expired. Ask the person who invited you for a new link.",
  },
  invite_wrong_tenant: {
    status: 403,
    title: "This invitation is for another organisation",
    message:
      "Invitations are for colleagues in the organisation that uses the subscription. Sign out and sign in with your work account of that organisation.",
  },
  people_not_allowed: {
    status: 403,
    title: "You cannot change who has access",
    message:
      "Only the person who bought or uses the subscription, or an administrator of that organisation, can invite or remove colleagues.",
  },
  invalid_input: {
    status: 400,
    title: "Some details need your attention",
    message: "Please correct the highlighted fields.",
  },
  unauthenticated: {
    status: 401,
    title: "Please sign in",
    message: "Sign in with your Microsoft work or school account to continue.",
  },
  internal: {
    status: 500,
    title: "Something went wrong on our side",
    message:
      "An unexpected error occurred. Please try again; if it persists, contact support with the reference below.",
  },
} as const;

export type AppErrorCode = keyof typeof appErrors;

/** A registry symbol, the same in every Next.js bundle: `instanceof` is not (see marketplace/errors.ts). */
const BRAND = Symbol.for("marketplace-portal.AppError");

/** A tenant the buyer may sign in to instead (not_owner): its id and a domain to name it by, if known. */
export interface TenantHint {
  tenantId: string;
  domain: string | null;
}

export class AppError extends Error {
  readonly [BRAND] = true;
  readonly code: AppErrorCode;
  readonly reference?: string;
  readonly fieldErrors?: Record<string, string[]>;
  readonly tenantHints?: readonly TenantHint[];

  constructor(
    code: AppErrorCode,
    options: {
      message?: string;
      reference?: string;
      fieldErrors?: Record<string, string[]>;
      tenantHints?: readonly TenantHint[];
      cause?: unknown;
    } = {},
  ) {
    super(options.message ?? appErrors[code].message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.reference = options.reference;
    this.fieldErrors = options.fieldErrors;
    this.tenantHints = options.tenantHints;
  }

  get status() {
    return appErrors[this.code].status;
  }

  get title() {
    return appErrors[this.code].title;
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
