/** Revokes a usage API key at once (the next request with it is a 401); false when it was unknown or already revoked. */
import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { recordAudit } from "../audit/record-audit";

export async function revokeApiKey(options: { apiKeyId: string; actor: Pick<Actor, "tid" | "oid"> }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({
      where: { id: options.apiKeyId, revokedAt: null },
      data: { revokedAt: new Date(), revokedByTid: options.actor.tid, revokedByOid: options.actor.oid },
    });
    if (count === 0) return false;
    const key = await tx.apiKey.findUniqueOrThrow({
      where: { id: options.apiKeyId },
      select: { name: true, prefix: true },
    });
    await recordAudit(tx, {
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      action: "api_key_revoked",
      detail: { apiKeyId: options.apiKeyId, name: key.name, prefix: key.prefix },
    });
    return true;
  });
}
