/**
 * npm run handoff:keygen  → prints a new private signing key for the product hand-off (a JWK).
 *
 * Put it into HANDOFF_SIGNING_KEYS (a secret store, never the repository). To rotate, list it
 * second after the current key, then first, then drop the old one (README "Hand-off into the
 * product", docs/decisions/0014).
 */
import { generateSigningJwk } from "../lib/handoff/generate-signing-key";

process.stdout.write(`${JSON.stringify(generateSigningJwk())}\n`);
