/**
 * The sandbox's stand-in for Microsoft Entra ID: one identity provider for every tenant of the
 * seeded directory, served on the sandbox origin with Entra's URL layout.
 *
 *   /{tid}/v2.0/.well-known/openid-configuration     issuer ${baseUrl}/{tid}/v2.0
 *   /{tid}/.well-known/openid-configuration          issuer ${baseUrl}/{tid}/   (v1, sts.windows.net form)
 *   /{tid}/oauth2/v2.0/authorize|token|logout        /{tid}/discovery/v2.0/keys, /{tid}/discovery/keys
 *   /{tid}/oauth2/token                              v1 client credentials (resource=)
 *   /common/... and /organizations/...               sign-in for multi-tenant apps
 *   /workload-identity/...                           an external issuer for workload identity federation
 *   /msi/token                                       App Service's managed-identity endpoint
 *   /sandbox-api/identity/...                        control: mint workload tokens, register certificates
 *
 * Sign-in (authorization code + PKCE) runs on oidc-provider, one instance per tenant; the
 * client-credentials grant is ours (client-credentials.ts), with secrets or client assertions
 * (client-assertions.ts). One RSA key signs everything Entra issues; the workload-identity issuer
 * has its own.
 */
import type { JSONWebKeySet } from "jose";
import type { DirectoryApp, IdentityProvider, SandboxOptions } from "../types";
import { createAccessTokenSigner } from "./access-tokens";
import { AppCertificates, ensureSandboxCertificate } from "./app-certificates";
import { ArtifactStore } from "./artifact-store";
import { AssertionReplayCache, type ClientAssertionDeps } from "./client-assertions";
import { createCommonEndpoint } from "./common-endpoint";
import { createDirectoryLookup } from "./directory-lookup";
import { entraErrors } from "./entra-errors";
import { entraUrls } from "./entra-urls";
import { createIdentityControl } from "./identity-control";
import { createLogoutHandler } from "./logout";
import { createManagedIdentityEndpoint } from "./managed-identity-endpoint";
import { createRouter } from "./router";
import { loadOrCreateSigningKey } from "./signing-key";
import { SsoSessions } from "./sso-sessions";
import { createTenantProvider, type TenantProvider } from "./tenant-provider";
import { createWorkloadIdentityIssuer } from "./workload-identity";

export async function createIdentityProvider(options: SandboxOptions): Promise<IdentityProvider> {
  const baseUrl = options.baseUrl.replace(/\/$/, "");
  const portalUrl = options.portalUrl.replace(/\/$/, "");
  const urls = entraUrls(baseUrl);
  const errors = entraErrors(baseUrl);
  const directory = createDirectoryLookup(options.directory, portalUrl);
  const key = await loadOrCreateSigningKey(options.dataDir);
  const signer = createAccessTokenSigner(key, urls);
  const store = new ArtifactStore();
  const sso = new SsoSessions();
  const tenantsById = new Map(directory.tenants.map((t) => [t.id, t]));

  const tenantProviders = new Map<string, TenantProvider>(
    directory.tenants.map((tenant) => [
      tenant.id,
      createTenantProvider({ tenant, directory, urls, key, store, sso, errors }),
    ]),
  );
  const jwks = (): JSONWebKeySet => ({ keys: [{ ...key.publicJwk }] });

  // Credentials other than secrets: certificates registered on apps, federated credentials.
  const workload = await createWorkloadIdentityIssuer(baseUrl, options.dataDir);
  const certificates = new AppCertificates();
  for (const app of options.directory.apps) {
    if (!app.sandboxCertificate) continue;
    const files = ensureSandboxCertificate(options.dataDir, app.sandboxCertificate, `${app.name} (sandbox)`);
    certificates.register(app.clientId, files.pem);
  }
  const federatedCredentials = (app: DirectoryApp) =>
    (app.federatedCredentials ?? []).map((credential) => ({
      ...credential,
      issuer: credential.issuer.replaceAll("{sandbox}", baseUrl),
    }));
  const tenantIssuers = new Set(directory.tenants.map((tenant) => urls.issuerV2(tenant.id)));
  const assertions: ClientAssertionDeps = {
    urls,
    errors,
    certificates,
    federatedCredentials,
    issuerKeys: (issuer) =>
      issuer === workload.issuer ? workload.jwks() : tenantIssuers.has(issuer) ? jwks() : undefined,
    replays: new AssertionReplayCache(),
  };
  const managedIdentity = createManagedIdentityEndpoint(options.directory.managedIdentities ?? [], signer);

  const route = createRouter({
    urls,
    errors,
    jwks,
    resolveTenant: (segment) => directory.resolveTenant(segment),
    tenantProviders,
    common: createCommonEndpoint({ directory, urls, errors, sso, store, tenantsById, tenantProviders }),
    logout: createLogoutHandler(directory, sso),
    clientCredentials: { directory, errors, signer, assertions },
    interactions: { directory, urls, sso, tenantsById },
    store,
  });

  return {
    handle: async (req, res) => workload.handle(req, res) || (await managedIdentity(req, res)) || route(req, res),
    control: createIdentityControl({
      app: (clientId) => directory.app(clientId),
      certificates,
      federatedCredentials,
      workload,
    }),
    issuer: (tid, version) => (version === 1 ? urls.issuerV1(tid) : urls.issuerV2(tid)),
    jwks,
    signAccessToken: async (request) => (await signer.sign(request)).accessToken,
    async close() {
      // Everything else lives in memory.
      workload.close();
    },
  };
}
