import type { Actor } from "./current-user";

export const PUBLISHER_ADMIN_ROLE = "Publisher.Admin";

/**
 * The admin rule (pure, unit-tested): a user of the publisher's own tenant who holds the
 * `Publisher.Admin` app role, or whose `tid:oid` is listed in ADMIN_USERS. Never by email: an
 * email claim is editable by the user's own tenant admin. The role only counts from the publisher
 * tenant, whose app registration defines it; another tenant can mint a role of the same name.
 */
export function isPublisherAdmin(
  actor: Pick<Actor, "tid" | "oid" | "roles">,
  config: { publisherTenantId: string; adminUsers: readonly string[] },
): boolean {
  const tid = actor.tid.toLowerCase();
  const oid = actor.oid.toLowerCase();
  if (config.adminUsers.includes(`${tid}:${oid}`)) return true;
  return tid === config.publisherTenantId.toLowerCase() && actor.roles.includes(PUBLISHER_ADMIN_ROLE);
}
