/**
 * Contracts between the parts of the local stand-in for Microsoft.
 * main.ts wires them: one https server, one origin (e.g. https://localhost:8443).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONWebKeySet } from "jose";

export interface Tenant {
  id: string;
  name: string;
  domain: string;
  /**
   * The tenant of personal Microsoft accounts (Entra's 9188040d-6c67-4c5b-b112-36a304b66dad):
   * /common signs personal accounts in here. They do not buy as such: Azure creates a tenant for
   * a personal account that buys, and the purchase names that tenant.
   */
  personalAccounts?: boolean;
}
/** One user object in one tenant: Entra gives the same person a different oid in each tenant. */
export interface DirectoryUser {
  tid: string;
  oid: string;
  name: string;
  email: string;
  /** App roles assigned to the user for the portal's sign-in app (`roles` claim). */
  roles: string[];
  /** Directory role template ids the user holds in their tenant (`wids` claim), e.g. Global Administrator. */
  directoryRoles?: string[];
  /**
   * Set when this entry is not a sign-in identity of its own but the member object of another
   * account in this tenant (e.g. the personal account for which Azure created the tenant): that
   * account's home entry, whose email and password sign in as this entry here.
   */
  homeAccount?: { tid: string; oid: string };
}
export interface DirectoryApp {
  clientId: string;
  clientSecret: string;
  name: string;
  homeTenantId: string;
  multiTenant: boolean;
  redirectPaths?: string[];
  postLogoutPaths?: string[];
  /** Access-token format this app receives for its own client-credentials calls and that resources issue. */
  tokenVersion: 1 | 2;
  isMarketplacePublisherApp?: boolean;
  /**
   * The sandbox generates a certificate and its private key for this app into
   * `<dataDir>/<sandboxCertificate>/` (certificate.pem, private-key.pem) and registers it, as an
   * admin uploads one under *Certificates & secrets* (sandbox/idp/app-certificates.ts).
   */
  sandboxCertificate?: string;
  /** Trusted external tokens (Entra's *Federated credentials*); `{sandbox}` in an issuer stands for the sandbox origin. */
  federatedCredentials?: DirectoryFederatedCredential[];
}
/** One federated identity credential of an app: a token with this issuer, subject and one of the audiences stands in for a secret. */
export interface DirectoryFederatedCredential {
  name: string;
  description?: string;
  issuer: string;
  subject: string;
  audiences: string[];
}
/** A managed identity the sandbox's App Service identity endpoint (`/msi/token`) issues tokens for. */
export interface DirectoryManagedIdentity {
  name: string;
  tenantId: string;
  clientId: string;
  /** Its service principal's object id: the `sub` and `oid` of its tokens. */
  principalId: string;
  /** The identity answered when no client_id/object_id is asked for (at most one). */
  systemAssigned?: boolean;
}
export interface DirectoryResource {
  appId: string;
  name: string;
  accessTokenVersion: 1 | 2;
}
export interface Directory {
  publisherTenantId: string;
  tenants: Tenant[];
  users: DirectoryUser[];
  apps: DirectoryApp[];
  resources: DirectoryResource[];
  managedIdentities?: DirectoryManagedIdentity[];
}

export interface CatalogDimension {
  id: string;
  displayName: string;
  unitOfMeasure: string;
  pricePerUnit: number;
}
export interface CatalogPlan {
  planId: string;
  displayName: string;
  description: string;
  isPricePerSeat: boolean;
  minQuantity?: number;
  maxQuantity?: number;
  hasFreeTrials?: boolean;
  price: number;
  /** Length of one term (marketplace-contract.md §5.3); the catalog uses the documented units only. */
  termUnit: "P1M" | "P1Y" | "P2Y" | "P3Y" | "P4Y" | "P5Y";
  /** Payment cadence within the term (e.g. `P1M` on a `P3Y` term), reported as `term.chargeDuration`. */
  chargeDuration?: string;
  /**
   * Microsoft's May 2026 auto-activation (§4.7): buying makes the subscription `Subscribed` at
   * once and sends a `Subscribe` webhook; the publisher does not call Activate. Absent = false
   * (a classic plan, activated by the publisher).
   */
  autoActivate?: boolean;
  meteringDimensions: CatalogDimension[];
}
export interface CatalogOffer {
  offerId: string;
  displayName: string;
  plans: CatalogPlan[];
}
export interface Catalog {
  publisherId: string;
  offers: CatalogOffer[];
}

export interface SandboxOptions {
  /** Public origin of the sandbox, e.g. https://localhost:8443 (no trailing slash). */
  baseUrl: string;
  /** Directory for persistent state (keys, marketplace state). */
  dataDir: string;
  /** Origin of the portal, e.g. http://localhost:3000: used for redirect URIs and the landing page URL. */
  portalUrl: string;
  /** Landing page URL registered "in Partner Center", e.g. http://localhost:3000/landing */
  landingUrl: string;
  /**
   * The offer's "Connection webhook": where the marketplace emulator POSTs webhooks.
   * Default `${portalUrl}/api/marketplace/webhook`.
   */
  webhookUrl?: string;
  directory: Directory;
  catalog: Catalog;
}

/** A request handler that answers and returns true, or returns false when the path is not its own. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface AccessTokenRequest {
  /** Tenant that issues the token. */
  tid: string;
  /** The calling app (client id): goes into `appid` (v1) or `azp` (v2). */
  clientId: string;
  /** Resource app id: the `aud` claim. */
  audience: string;
  version: 1 | 2;
  lifetimeSeconds?: number;
  extraClaims?: Record<string, unknown>;
}

export interface IdentityProvider {
  handle: Handler;
  /** `/sandbox-api/identity/…`: workload-identity tokens and app certificates for tests (served before the marketplace's control API). */
  control?: Handler;
  /** `https://host/{tid}/` for v1 (sts.windows.net form), `https://host/{tid}/v2.0` for v2. */
  issuer(tid: string, version: 1 | 2): string;
  /** Public signing keys (the same set for every tenant, as in Entra). */
  jwks(): JSONWebKeySet;
  /** Signs an access token as the IdP would issue it (used by the webhook sender and tests). */
  signAccessToken(request: AccessTokenRequest): Promise<string>;
  close?(): Promise<void>;
}

export interface MarketplaceEmulator {
  handle: Handler;
  close?(): Promise<void>;
}
