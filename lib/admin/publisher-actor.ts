import type { Actor } from "../auth/actor";

/** Audit fields for something a publisher admin did from the console. */
export function publisherAudit(actor: Actor) {
  return { actorType: "user" as const, actorTid: actor.tid, actorOid: actor.oid };
}
