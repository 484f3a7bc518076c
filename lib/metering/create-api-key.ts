/**
 * Creates a usage API key. The key itself is returned once and never stored: only its SHA-256
 * and prefix are kept, with who created it (an audit row too).
 */
import "server-only";
import type { Actor } from "../auth/actor";
import { db, isUniqueViolation } from "../db";
import { generateApiKeySecret } from "./api-key-format";
import type { CreateApiKeyInput } from "./api-key-input";
import { USAGE_WRITE_SCOPE } from "./authenticate-api-key";
import { recordAudit } from "../audit/record-audit";

export async function createApiKey(options: { input: CreateApiKeyInput; actor: Pick<Actor, "tid" | "oid"> }) {
  // A prefix collision (48 random bits) is astronomically rare, but a retry is cheap.
  for (let attempt = 1; ; attempt += 1) {
    const secret = generateApiKeySecret();
    try {
      const apiKey = await db().$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: {
            name: options.input.name,
            prefix: secret.prefix,
            secretHash: secret.secretHash,
            scopes: [USAGE_WRITE_SCOPE],
            offerIds: options.input.offerIds,
            tenantIds: options.input.tenantIds,
            createdByTid: options.actor.tid,
            createdByOid: options.actor.oid,
          },
          select: {
            id: true,
            name: true,
            prefix: true,
            scopes: true,
            offerIds: true,
            tenantIds: true,
            createdAt: true,
          },
        });
        await recordAudit(tx, {
          actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
          action: "api_key_created",
          detail: {
            apiKeyId: created.id,
            name: created.name,
            prefix: created.prefix,
            offerIds: created.offerIds,
            tenantIds: created.tenantIds,
          },
        });
        return created;
      });
      return { key: secret.key, apiKey };
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}
