/**
 * Every notification the portal sends (README “Notifications”): to the buyer (the purchaser and
 * the beneficiary of a subscription, by email) or to the publisher's team (alerts, by email,
 * Microsoft Teams and Slack as configured per kind). A closed vocabulary: a misspelt kind does not
 * compile, and the console and the configuration name each one. Pure; no server-only imports.
 */

export const buyerKinds = {
  purchase_received:
    "A purchase Microsoft already started (billing runs) waits for the account setup: the link to set it up.",
  setup_reminder:
    "The account setup is still pending 24 and 72 hours after the purchase (stops once it is done; can be turned off).",
  subscription_active: "The subscription is active and the account set up: how to open the product.",
  change_completed: "A plan or seat change is done.",
  change_failed:
    "A plan or seat change (or a cancellation) did not go through, with Microsoft's or the publisher's reason.",
  suspended: "Microsoft suspended the subscription (usually a payment problem): what to do.",
  reinstated: "A suspended subscription is active again.",
  cancelled: "The subscription is cancelled, and until when its data is kept.",
  colleague_invitation: "A colleague was invited to a subscription: the invitation link.",
} as const;

export const publisherKinds = {
  new_purchase: "A new subscription (a purchase landed, or Microsoft's Subscribe for an auto-activated plan).",
  setup_pending:
    "A live subscription's account setup has been pending for more than NOTIFY_SETUP_PENDING_ALERT_DAYS days.",
  acknowledgement_failed: "The portal's answer to a change Microsoft asked about was not taken.",
  webhook_refused:
    "A webhook delivery was not confirmed by Microsoft (unknown operation, or it does not match): nothing changed.",
  webhook_token_refused:
    "Webhook tokens signed by Entra ID are refused for the portal's settings (audience, tenant): Microsoft's deliveries may not be applied (once a day per reason).",
  reconciliation_drift: "Reconciliation found differences between the portal's copy and Microsoft's.",
  usage_rejected: "Metered usage will not be billed: Microsoft refused it, or it left the 24-hour window.",
  usage_expiring: "Unbilled metered usage is close to leaving Microsoft's 24-hour window.",
  job_dead_lettered: "A background job or an event delivery gave up after its retries.",
  credentials_failing: "The marketplace app cannot get a token from Entra ID (secret wrong or expired).",
  credentials_expiring:
    "The marketplace app's client secret or certificate expires within 30 days, or has expired (at 30, 14, 7, 3 and 1 days, and on expiry).",
} as const;

export type BuyerKind = keyof typeof buyerKinds;
export type PublisherKind = keyof typeof publisherKinds;
export type NotificationKind = BuyerKind | PublisherKind;
export type Audience = "buyer" | "publisher";

export const buyerKindNames = Object.keys(buyerKinds) as BuyerKind[];
export const publisherKindNames = Object.keys(publisherKinds) as PublisherKind[];
export const notificationKindNames: NotificationKind[] = [...buyerKindNames, ...publisherKindNames];

export function isPublisherKind(kind: string): kind is PublisherKind {
  return Object.hasOwn(publisherKinds, kind);
}

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(buyerKinds, kind) || isPublisherKind(kind);
}

export function audienceOf(kind: NotificationKind): Audience {
  return isPublisherKind(kind) ? "publisher" : "buyer";
}

/** Everything is a service message except reminders: those a recipient may turn off. */
export function isEssential(kind: NotificationKind): boolean {
  return kind !== "setup_reminder";
}

export function describeKind(kind: NotificationKind): string {
  return isPublisherKind(kind) ? publisherKinds[kind] : buyerKinds[kind];
}

// The portal's languages are the notifications' languages.
export { isLocale, locales, type Locale } from "../i18n/locales";
