/**
 * Setup state of a subscription in one place (docs/decisions/0008): the account of a live
 * subscription is set up once the buyer saved its configuration. Pure; no server-only imports.
 */
type SetupFields = { status: string; setupState: "pending" | "complete" };

/** Live (billed) and the account not set up yet: the buyer is asked to finish the setup. */
export function needsSetup(subscription: SetupFields): boolean {
  return subscription.status === "Subscribed" && subscription.setupState === "pending";
}

/** Billed (or paused for payment) with the setup still pending: what the console counts and labels. */
export function setupOverdue(subscription: SetupFields): boolean {
  return (
    (subscription.status === "Subscribed" || subscription.status === "Suspended") &&
    subscription.setupState === "pending"
  );
}
