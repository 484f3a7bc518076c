/**
 * The token in every mail's preferences link: proof that its holder received mail at an address
 * (by the address's hash: the link names no address), with the language the mail was written in.
 * An HS256 JWT (jose) under a key derived from AUTH_SECRET; no expiry, as links in old mails must
 * keep working.
 */
import "server-only";
import { jwtVerify, SignJWT } from "jose";
import { isLocale, type Locale } from "./notification-kinds";
import { linkKey } from "./link-keys";

const TYPE = "notification-preferences+jwt";

export interface PreferenceClaims {
  addressHash: string;
  locale: Locale;
}

export function signPreferenceToken(claims: PreferenceClaims): Promise<string> {
  return new SignJWT({ h: claims.addressHash, l: claims.locale })
    .setProtectedHeader({ alg: "HS256", typ: TYPE })
    .setIssuedAt()
    .sign(linkKey("notification-preferences"));
}

/** The claims of a valid token; null for anything else (altered, another key, malformed). */
export async function readPreferenceToken(token: string): Promise<PreferenceClaims | null> {
  if (!token || token.length > 1000) return null;
  try {
    const { payload } = await jwtVerify(token, linkKey("notification-preferences"), {
      algorithms: ["HS256"],
      typ: TYPE,
    });
    if (typeof payload.h !== "string" || !/^[0-9a-f]{64}$/.test(payload.h)) return null;
    return { addressHash: payload.h, locale: isLocale(payload.l) ? payload.l : "en" };
  } catch {
    return null;
  }
}
