import "server-only";
import type { ClientCredential } from "../marketplace/client-credential";
import { logger } from "../logger";
import { checkCredential } from "./check-credential";

/**
 * One log line at start-up saying which credential the fulfillment app uses and until when: a
 * warning within 30 days of its expiry, an error once expired (the portal still starts: the
 * health check fails with the same reason). Type, dates and thumbprint only — never the secret,
 * the key or a token.
 */
export async function reportCredentialAtStart(credential: ClientCredential): Promise<void> {
  const check = await checkCredential(credential);
  const context = {
    type: check.type,
    ...(check.expiresAt ? { expiresAt: check.expiresAt, daysLeft: check.daysLeft } : {}),
    ...(check.thumbprint ? { thumbprint: check.thumbprint } : {}),
    detail: check.message,
  };
  if (check.status === "ok") logger.info("fulfillment app credential", context);
  else if (check.status === "warn") logger.warn("fulfillment app credential expires soon", context);
  else logger.error("fulfillment app credential cannot be used", context);
}
