/**
 * The publisher's credential alerts, checked once an hour (at 13 past):
 * - `credentials_expiring`: the fulfillment app's client secret or certificate expires within 30
 *   days (its configured date, or the certificate's notAfter). One alert as each threshold is
 *   crossed — 30, 14, 7, 3 and 1 days left, and on expiry — not one an hour.
 * - `credentials_failing`: the app asks Entra ID for a token, bypassing MSAL's cache; when no token
 *   comes (a wrong or expired secret, a deleted app, Entra ID unreachable), the team hears of it — at
 *   most once a day while it lasts — before webhooks, activations and usage start failing one by one.
 */
import "server-only";
import { z } from "zod";
import { db } from "../db";
import { marketplaceEnv } from "../env";
import { defineJob } from "../jobs/define-job";
import { wakeWorkers } from "../jobs/wake";
import { assessCredentialExpiry } from "../admin/assess-credential-expiry";
import type { ClientCredential } from "../marketplace/client-credential";
import { createTokenProvider, type AccessTokenProvider } from "../marketplace/token-provider";
import { isMarketplaceError } from "../marketplace/errors";
import { alertPublisher } from "./alert-publisher";
import { headerText } from "./mail-text";

let provider: AccessTokenProvider | undefined;

/** Days left at which an expiring secret or certificate is announced (0: on the day it expires, and after). */
const EXPIRY_THRESHOLDS = [30, 14, 7, 3, 1, 0] as const;

/**
 * The `credentials_expiring` alert for a secret or certificate whose expiry is known and within 30
 * days; its cause names the expiry and the threshold, so each threshold alerts once (a renewed
 * credential, with a new date, starts again). Returns the threshold alerted on, if any.
 */
export async function alertExpiringCredential(credential: ClientCredential, now = new Date()) {
  const expiresAt =
    credential.type === "secret"
      ? credential.expiresAt
      : credential.type === "certificate"
        ? credential.certificate?.notAfter
        : undefined;
  if (!expiresAt || (credential.type !== "secret" && credential.type !== "certificate")) return undefined;
  // The same calendar-day count as the health check's (assess-credential-expiry.ts).
  const { daysLeft } = assessCredentialExpiry({ what: "", expiresAt, now, renew: "" });
  const threshold = [...EXPIRY_THRESHOLDS].reverse().find((days) => daysLeft <= days);
  if (threshold === undefined) return undefined;
  await alertPublisher(db(), {
    kind: "credentials_expiring",
    cause: `credentials-expiring:${expiresAt.toISOString()}:${threshold}`,
    data: {
      credential: credential.type,
      expiresAt: expiresAt.toISOString(),
      daysLeft,
      ...(credential.type === "certificate" ? { thumbprint: credential.thumbprint.hex } : {}),
    },
  });
  wakeWorkers();
  return threshold;
}

/** Whether the token came; on a refusal the alert is written. */
export async function checkMarketplaceCredentials(options: { now?: Date; tokens?: AccessTokenProvider } = {}) {
  const env = marketplaceEnv();
  await alertExpiringCredential(env.credential, options.now);
  const tokens =
    (options.tokens ??=
    provider ??=
      createTokenProvider({
        authorityHost: env.ENTRA_AUTHORITY_HOST,
        tenantId: env.MARKETPLACE_TENANT_ID,
        clientId: env.MARKETPLACE_CLIENT_ID,
        credential: env.credential,
        resourceId: env.MARKETPLACE_RESOURCE_ID,
      }));
  try {
    await tokens({ skipCache: true });
    return { ok: true as const };
  } catch (error) {
    if (!isMarketplaceError(error, "authentication")) throw error;
    const day = (options.now ?? new Date()).toISOString().slice(0, 10);
    await alertPublisher(db(), {
      kind: "credentials_failing",
      cause: `credentials:${day}`,
      data: { reason: headerText(error.message, 500) },
    });
    wakeWorkers();
    return { ok: false as const, reason: error.message };
  }
}

export const checkMarketplaceCredentialsJob = defineJob({
  name: "check-marketplace-credentials",
  payload: z.object({}),
  key: () => "hourly",
  retry: { limit: 1, delaySeconds: 60, backoff: false },
  expireInSeconds: 5 * 60,
  schedule: () => ({ cron: "13 * * * *", payload: {} }),
  run: async () => {
    await checkMarketplaceCredentials();
  },
});
