/**
 * Keys for what notification links carry, derived from AUTH_SECRET (HKDF-SHA-256, one key per
 * purpose), so no new secret needs configuring. Rotating AUTH_SECRET makes older preference links
 * say "this link is no longer valid" and older sealed invitation links unreadable (the mail then
 * fails with the reason; the colleague gets a new link).
 */
import "server-only";
import { hkdfSync } from "node:crypto";
import { authEnv } from "../env";

export type LinkKeyPurpose = "notification-preferences" | "notification-sealed-links";

export function linkKey(purpose: LinkKeyPurpose): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", authEnv().AUTH_SECRET, "marketplace-portal", purpose, 32));
}
