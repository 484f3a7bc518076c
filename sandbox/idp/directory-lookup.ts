/**
 * Read-only lookups over the seeded directory (sandbox/config/directory.json): which tenant a
 * URL segment names, which apps exist in a tenant, which user an email belongs to.
 */
import type { Directory, DirectoryApp, DirectoryResource, DirectoryUser, Tenant } from "../types";

/** Every seeded user signs in with this password (the sign-in page says so). */
export const SANDBOX_PASSWORD = "sandbox";

export interface DirectoryLookup {
  readonly tenants: readonly Tenant[];
  /** A tenant by id (any case) or by its domain, as Entra accepts both in the URL. */
  resolveTenant(segment: string): Tenant | undefined;
  tenant(tid: string): Tenant | undefined;
  user(tid: string, oid: string): DirectoryUser | undefined;
  userByEmail(email: string): DirectoryUser | undefined;
  usersOf(tid: string): DirectoryUser[];
  app(clientId: string): DirectoryApp | undefined;
  /** The app as seen from a tenant: single-tenant apps exist only in their home tenant. */
  appInTenant(clientId: string, tid: string): DirectoryApp | undefined;
  /** Apps that sign users in (they have redirect URIs) and are usable in the tenant. */
  signInAppsOf(tid: string): DirectoryApp[];
  /** A resource by app id, or by an `api://{appId}` App ID URI. */
  resource(identifier: string): DirectoryResource | undefined;
  redirectUris(app: DirectoryApp): string[];
  postLogoutRedirectUris(app: DirectoryApp): string[];
}

export function createDirectoryLookup(directory: Directory, portalUrl: string): DirectoryLookup {
  const normalizedEmail = (email: string) => email.trim().toLowerCase();
  const tenantById = new Map(directory.tenants.map((t) => [t.id.toLowerCase(), t]));
  const tenantByDomain = new Map(directory.tenants.map((t) => [t.domain.toLowerCase(), t]));
  const userByEmail = new Map(directory.users.map((u) => [normalizedEmail(u.email), u]));
  const appById = new Map(directory.apps.map((a) => [a.clientId.toLowerCase(), a]));
  const resourceById = new Map(directory.resources.map((r) => [r.appId.toLowerCase(), r]));

  const appInTenant = (clientId: string, tid: string) => {
    const app = appById.get(clientId.toLowerCase());
    if (!app) return undefined;
    return app.multiTenant || app.homeTenantId === tid ? app : undefined;
  };

  return {
    tenants: directory.tenants,
    resolveTenant: (segment) => tenantById.get(segment.toLowerCase()) ?? tenantByDomain.get(segment.toLowerCase()),
    tenant: (tid) => tenantById.get(tid.toLowerCase()),
    user: (tid, oid) => directory.users.find((u) => u.tid === tid && u.oid === oid),
    userByEmail: (email) => userByEmail.get(normalizedEmail(email)),
    usersOf: (tid) => directory.users.filter((u) => u.tid === tid),
    app: (clientId) => appById.get(clientId.toLowerCase()),
    appInTenant,
    signInAppsOf: (tid) =>
      directory.apps.filter((a) => (a.redirectPaths?.length ?? 0) > 0 && appInTenant(a.clientId, tid) !== undefined),
    resource: (identifier) => resourceById.get(identifier.replace(/^api:\/\//i, "").toLowerCase()),
    redirectUris: (app) => (app.redirectPaths ?? []).map((p) => portalUrl + p),
    postLogoutRedirectUris: (app) => (app.postLogoutPaths ?? []).map((p) => portalUrl + p),
  };
}
