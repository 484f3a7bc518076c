/**
 * Read-only lookups over the seeded directory (sandbox/config/directory.json): which tenant a
 * URL segment names, which apps exist in a tenant, which account an email signs in, and which
 * user object that account is in a given tenant.
 *
 * A person signs in with one identity (email + password: an entry without `homeAccount`), and is
 * a different user object, with its own oid, in each tenant they belong to: their home entry in
 * their own tenant, and entries linked to it by `homeAccount` elsewhere (as Azure adds a personal
 * Microsoft account to the tenant it creates for it).
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
  /** The sign-in identity (home entry) with this email. */
  userByEmail(email: string): DirectoryUser | undefined;
  /** Every sign-in identity (home entries), e.g. for /common's list of accounts. */
  signInIdentities(): DirectoryUser[];
  /** The user object of a sign-in identity in a tenant: its home entry there, or the entry linked to it. */
  accountIn(tid: string, identity: { tid: string; oid: string }): DirectoryUser | undefined;
  /** Tenants other than its home where a sign-in identity is a member. */
  otherTenantsOf(identity: { tid: string; oid: string }): Tenant[];
  /** Every user object of a tenant, linked members included. */
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

const sameAccount = (a: { tid: string; oid: string }, b: { tid: string; oid: string }) =>
  a.tid.toLowerCase() === b.tid.toLowerCase() && a.oid.toLowerCase() === b.oid.toLowerCase();
const normalizedEmail = (email: string) => email.trim().toLowerCase();

/** Refuses a directory whose links would make sign-in ambiguous (a mistake in directory.json). */
function checkAccountLinks(directory: Directory): void {
  const problems: string[] = [];
  const identities = directory.users.filter((u) => !u.homeAccount);
  const emails = new Set<string>();
  for (const identity of identities) {
    const email = normalizedEmail(identity.email);
    if (emails.has(email)) problems.push(`two sign-in identities share the email ${identity.email}`);
    emails.add(email);
  }
  const linked = new Set<string>();
  for (const member of directory.users.filter((u) => u.homeAccount)) {
    const home = identities.find((u) => member.homeAccount && sameAccount(u, member.homeAccount));
    const name = `${member.tid}/${member.oid}`;
    if (!home) problems.push(`${name}: homeAccount names no sign-in identity`);
    else if (home.tid === member.tid) problems.push(`${name}: an account has one user object in its own tenant`);
    else if (normalizedEmail(home.email) !== normalizedEmail(member.email))
      problems.push(`${name}: email differs from its home account's`);
    const key = `${member.tid}|${member.homeAccount?.tid}|${member.homeAccount?.oid}`.toLowerCase();
    if (linked.has(key)) problems.push(`${name}: the account already has a user object in this tenant`);
    linked.add(key);
  }
  if (problems.length > 0) throw new Error(`Invalid sandbox directory:\n  - ${problems.join("\n  - ")}`);
}

export function createDirectoryLookup(directory: Directory, portalUrl: string): DirectoryLookup {
  checkAccountLinks(directory);
  const tenantById = new Map(directory.tenants.map((t) => [t.id.toLowerCase(), t]));
  const tenantByDomain = new Map(directory.tenants.map((t) => [t.domain.toLowerCase(), t]));
  const identities = directory.users.filter((u) => !u.homeAccount);
  const userByEmail = new Map(identities.map((u) => [normalizedEmail(u.email), u]));
  const user = (tid: string, oid: string) => directory.users.find((u) => sameAccount(u, { tid, oid }));
  const membersOf = (identity: { tid: string; oid: string }) =>
    directory.users.filter((u) => u.homeAccount && sameAccount(u.homeAccount, identity));
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
    user,
    userByEmail: (email) => userByEmail.get(normalizedEmail(email)),
    signInIdentities: () => identities,
    accountIn: (tid, identity) =>
      identity.tid.toLowerCase() === tid.toLowerCase()
        ? user(tid, identity.oid)
        : membersOf(identity).find((u) => u.tid.toLowerCase() === tid.toLowerCase()),
    otherTenantsOf: (identity) => membersOf(identity).flatMap((u) => tenantById.get(u.tid.toLowerCase()) ?? []),
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
