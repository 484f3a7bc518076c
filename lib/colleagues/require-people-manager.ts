import "server-only";
import type { Actor } from "../auth/actor";
import { AppError } from "../errors";
import { findAccessibleSubscription } from "../subscriptions/find-own-subscription";
import { canManagePeople } from "../subscriptions/ownership";

/** The subscription, when the actor may decide who else has access to it (a party or a tenant admin); otherwise not-found or forbidden. */
export async function requirePeopleManager(options: { subscriptionId: string; actor: Actor }) {
  const found = await findAccessibleSubscription(options);
  if (!found) throw new AppError("not_owner");
  if (!canManagePeople(found.access)) throw new AppError("people_not_allowed");
  return found.subscription;
}

export function auditActor(actor: Actor) {
  return { actorType: "user" as const, actorTid: actor.tid, actorOid: actor.oid };
}
