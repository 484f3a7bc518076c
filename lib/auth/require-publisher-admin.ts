import "server-only";
import { notFound } from "next/navigation";
import { adminEnv, marketplaceEnv } from "../env";
import { currentUser, type Actor } from "./current-user";
import { isPublisherAdmin, PUBLISHER_ADMIN_ROLE } from "./is-publisher-admin";

export { isPublisherAdmin, PUBLISHER_ADMIN_ROLE };

/** The signed-in publisher admin, or null (for route handlers that answer 404 themselves). */
export async function currentPublisherAdmin(): Promise<Actor | null> {
  const actor = await currentUser();
  if (!actor) return null;
  return isPublisherAdmin(actor, {
    publisherTenantId: marketplaceEnv().MARKETPLACE_TENANT_ID,
    adminUsers: adminEnv().ADMIN_USERS,
  })
    ? actor
    : null;
}

/** For admin pages, layouts and server actions: anyone else (signed out included) gets a 404, learning nothing. */
export async function requirePublisherAdmin(): Promise<Actor> {
  const actor = await currentPublisherAdmin();
  if (!actor) notFound();
  return actor;
}
