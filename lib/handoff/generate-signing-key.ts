/** A new hand-off signing key (no server-only import: `npm run handoff:keygen` uses it too). */
import { generateKeyPairSync, randomBytes } from "node:crypto";

/** A new ES256 private JWK with a kid naming its day, e.g. `handoff-2026-11-25-3fa9c1`. */
export function generateSigningJwk(now = new Date()) {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  const kid = `handoff-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y), d: String(jwk.d), kid, alg: "ES256" };
}
