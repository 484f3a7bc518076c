/**
 * The sandbox's stand-in for Microsoft Entra ID: one identity provider for every tenant of the
 * seeded directory, served on the sandbox origin with Entra's URL layout.
 *
 *   /{tid}/v2.0/.well-known/openid-configuration     issuer ${baseUrl}/{tid}/v2.0
 *   /{tid}/.well-known/openid-configuration          issuer ${baseUrl}/{tid}/   (v1, sts.windows.net form)
 *   /{tid}/oauth2/v2.0/authorize|token|logout        /{tid}/discovery/v2.0/keys, /{tid}/discovery/keys
 *   /{tid}/oauth2/token                              v1 client credentials (resource=)
 *   /common/... and /organizations/...               sign-in for multi-tenant apps
 *
 * Sign-in (authorization code + PKCE) runs on oidc-provider, one instance per tenant; the
 * client-credentials grant is ours (client-credentials.ts). One RSA key signs everything.
 */
import type { JSONWebKeySet } from "jose";
import type { IdentityProvider, SandboxOptions } from "../types";
import { createAccessTokenSigner } from "./access-tokens";
import { ArtifactStore } from "./artifact-store";
import { createCommonEndpoint } from "./common-endpoint";
import { createDirectoryLookup } from "./directory-lookup";
import { entraErrors } from "./entra-errors";
import { entraUrls } from "./entra-urls";
import { createLogoutHandler } from "./logout";
import { createRouter } from "./router";
import { loadOrCreateSigningKey } from "./signing-key";
import { SsoSessions } from "./sso-sessions";
import { createTenantProvider, type TenantProvider } from "./tenant-provider";

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

  const handle = createRouter({
    urls,
    errors,
    jwks,
    resolveTenant: (segment) => directory.resolveTenant(segment),
    tenantProviders,
    common: createCommonEndpoint({ directory, urls, errors, sso, store, tenantsById, tenantProviders }),
    logout: createLogoutHandler(directory, sso),
    clientCredentials: { directory, errors, signer },
    interactions: { directory, urls, sso, tenantsById },
    store,
  });

  return {
    handle,
    issuer: (tid, version) => (version === 1 ? urls.issuerV1(tid) : urls.issuerV2(tid)),
    jwks,
    signAccessToken: async (request) => (await signer.sign(request)).accessToken,
    async close() {
      // Everything lives in memory; nothing to release.
    },
  };
}
