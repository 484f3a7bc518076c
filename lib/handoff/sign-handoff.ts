/** Signs hand-off claims (no server-only import, so unit tests sign and verify real tokens). */
import type { KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { HANDOFF_TOKEN_TYPE, type HandoffClaims } from "./handoff-claims";

export function signHandoff(claims: HandoffClaims, signer: { kid: string; alg: "ES256" | "EdDSA"; key: KeyObject }) {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: HANDOFF_TOKEN_TYPE })
    .sign(signer.key);
}
