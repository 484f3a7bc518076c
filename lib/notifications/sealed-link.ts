/**
 * A link that is itself a secret (a colleague's invitation link: only its hash is stored,
 * docs/decisions/0003) kept for the mail that carries it: encrypted with AES-256-GCM under a key
 * derived from AUTH_SECRET, and erased from the row once the mail is sent.
 */
import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { linkKey } from "./link-keys";

export function sealLink(url: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", linkKey("notification-sealed-links"), iv);
  const sealed = Buffer.concat([cipher.update(url, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), sealed.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(
    ".",
  );
}

/** The link, or null when it cannot be opened (another AUTH_SECRET, altered). */
export function openSealedLink(sealed: string): string | null {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !body || !tag) return null;
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      linkKey("notification-sealed-links"),
      Buffer.from(iv, "base64url"),
    );
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
