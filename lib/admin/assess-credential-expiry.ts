import "server-only";
import type { CheckStatus } from "./check-health";

/** How far ahead an expiring secret or certificate turns the health check to "needs a look". */
export const CREDENTIAL_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CredentialExpiry {
  status: CheckStatus;
  message: string;
  expiresAt: string;
  /** Calendar days (UTC) from today to the expiry date: 0 today, 1 tomorrow, negative once past. */
  daysLeft: number;
}

const startOfDay = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
const longDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function inDays(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  return `in ${days} days`;
}

/**
 * What an expiry date means for the fulfillment app's credential: `error` once it has passed
 * (Entra refuses it: the portal cannot call Microsoft), `warn` from 30 days before, else `ok`.
 * `what` names the credential ("The client secret", "The certificate (thumbprint …)") and
 * `renew` says how to replace it.
 */
export function assessCredentialExpiry(options: {
  what: string;
  expiresAt: Date;
  now: Date;
  renew: string;
}): CredentialExpiry {
  const { what, expiresAt, now, renew } = options;
  const left = expiresAt.getTime() - now.getTime();
  // Counted in calendar days, as the date shown: "expires on 20 December, in 20 days" on 30 November.
  const daysLeft = Math.round((startOfDay(expiresAt) - startOfDay(now)) / DAY_MS);
  const date = longDate.format(expiresAt);
  const base = { expiresAt: expiresAt.toISOString(), daysLeft };
  if (left <= 0) {
    const ago = -daysLeft;
    return {
      ...base,
      status: "error",
      message: `${what} expired on ${date}${ago > 0 ? ` (${ago} day${ago === 1 ? "" : "s"} ago)` : ""}: Entra ID refuses it, so the portal cannot call Microsoft. ${renew}`,
    };
  }
  if (left <= CREDENTIAL_WARNING_DAYS * DAY_MS) {
    return { ...base, status: "warn", message: `${what} expires on ${date}, ${inDays(daysLeft)}. ${renew}` };
  }
  return { ...base, status: "ok", message: `${what} is valid until ${date}.` };
}
