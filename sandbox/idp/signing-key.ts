/**
 * The sandbox's one RSA-2048 signing key (RS256). Entra ID publishes the same key set for every
 * tenant, so one key signs id_tokens (through oidc-provider) and access tokens (client
 * credentials, webhook tokens) for all tenants. It is persisted so that tokens issued before a
 * restart still verify afterwards (the portal caches tokens for an hour).
 */
import { createHmac, createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, type JWK } from "jose";
import { z } from "zod";

export const SIGNING_KEY_FILE = "idp-signing-key.json";

const rsaPrivateJwk = z.object({
  kty: z.literal("RSA"),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});
const storedKeyFile = z.object({
  kid: z.string().min(1),
  createdAt: z.string(),
  privateJwk: rsaPrivateJwk,
});
type RsaPrivateJwk = z.infer<typeof rsaPrivateJwk>;

export interface SigningKey {
  kid: string;
  /** For jose's SignJWT. */
  privateKey: KeyObject;
  /** Private JWK (with kid, use, alg) for oidc-provider's `jwks` option. */
  privateJwk: JWK;
  /** Public JWK as Entra publishes it: kty, use, kid, n, e. */
  publicJwk: JWK;
  /** Keys for oidc-provider's signed cookies, derived from the private key so they survive restarts too. */
  cookieKeys: string[];
}

function toSigningKey(kid: string, jwk: RsaPrivateJwk): SigningKey {
  const privateKey = createPrivateKey({ key: { ...jwk }, format: "jwk" });
  const cookieKey = createHmac("sha256", Buffer.from(jwk.d, "base64url"))
    .update("sandbox idp: oidc-provider cookie keys v1")
    .digest("base64url");
  return {
    kid,
    privateKey,
    privateJwk: { ...jwk, kid, use: "sig", alg: "RS256" },
    publicJwk: { kty: "RSA", use: "sig", kid, n: jwk.n, e: jwk.e },
    cookieKeys: [cookieKey],
  };
}

function readKeyFile(file: string): SigningKey {
  const parsed = storedKeyFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    throw new Error(
      `${file} is not a valid sandbox signing key file; delete it to create a new key (tokens issued so far stop verifying).`,
    );
  }
  return toSigningKey(parsed.data.kid, parsed.data.privateJwk);
}

/**
 * Reads `${dataDir}/idp-signing-key.json` (or another key file of the sandbox, e.g. its
 * workload-identity issuer's), creating it (once, atomically) when it is missing.
 */
export async function loadOrCreateSigningKey(dataDir: string, fileName = SIGNING_KEY_FILE): Promise<SigningKey> {
  const file = path.join(dataDir, fileName);
  try {
    return readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }

  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = rsaPrivateJwk.parse(privateKey.export({ format: "jwk" }));
  const kid = await calculateJwkThumbprint({ kty: "RSA", n: jwk.n, e: jwk.e });
  const content = JSON.stringify({ kid, createdAt: new Date().toISOString(), privateJwk: jwk }, null, 2);

  // Write to a temporary file, then link it into place: link fails if another process created
  // the key first, in which case that key wins and is read back.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(tmp);
  }
  return readKeyFile(file);
}
