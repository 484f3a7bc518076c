import "server-only";
import { notFound } from "next/navigation";
import { adminEnv, marketplaceEnv } from "../env";
import { currentUser, type Actor } from "./current-user";

export const PUBLISHER_ADMIN_ROLE = "Publisher.Admin";

/**
 * The admin rule (pure, unit-tested): a user of the publisher's own tenant who holds the
 * `Publisher.Admin` app role, or whose `tid:oid` is listed in ADMIN_USERS. Never by email: an
 * email claim is editable by the user's own tenant admin.
 */
export function isPublisherAdmin(actor: Pick<Actor, "tid" | "oid" | "roles">, config: { publisherTenantId: string; adminUsers: readonly string[] }): boolean {
  const tid = actor.tid.toLowerCase();
  const oid = actor.oid.toLowerCase();
  if (config.adminUsers.includes(`${tid}:${oid}`)) return true;
  return tid === config.publisherTenantId.toLowerCase() && actor.roles.includes(PUBLISHER_ADMIN_ROLE);
}

/** The signed-in publisher admin, or null (for route handlers that answer 404 themselves). */
export async function currentPublisherAdmin(): Promise<Actor | null> {
  const actor = await currentUser();
  if (!actor) return null;
  return isPublisherAdmin(actor, { publisherTenantId: marketplaceEnv().MARKETPLACE_TENANT_ID, adminUsers: adminEnv().ADMIN_USERS }) ? actor : null;
}

/** For admin pages, layouts and server actions: anyone else (signed out included) gets a 404, learning nothing. */
export async function requirePublisherAdmin(): Promise<Actor> {
  const actor = await currentPublisherAdmin();
  if (!actor) notFound();
  return actor;
}
