/**
 * The portal's next-auth configuration (lib/auth/auth-config.ts) against the running sandbox
 * identity provider, Auth.js in-process and the browser played by SandboxHttpClient: a personal
 * account signs in through /common to the tenant of personal accounts, then through the tenant
 * its purchase names, with the tenant kept for the callback in the signed cookie, as auth.ts does.
 */
import { readFileSync } from "node:fs";
import { Auth } from "@auth/core";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDatabase } from "@/lib/db";
import { authEnv } from "@/lib/env";
import { SandboxHttpClient, readForm } from "@/sandbox/idp/testing/https-client";
import { seeded } from "@/tests/support/sandbox-env";
import { authConfig } from "./auth-config";
import { openSignInTenant, sealSignInTenant, SIGN_IN_TENANT_COOKIE, TENANT_PROVIDER_ID } from "./sign-in-tenant";

const sandboxUrl = process.env.SANDBOX_URL ?? "";
const portalUrl = "http://localhost:3999"; // the portal origin the sandbox registers redirect URIs for
const ca = readFileSync(process.env.NODE_EXTRA_CA_CERTS ?? "", "utf8");

afterAll(async () => {
  await disconnectDatabase();
});

/** One browser: the portal's cookies (by name) and the sandbox's (its own client). */
function browser() {
  const portalCookies = new Map<string, string>();
  const idp = new SandboxHttpClient(ca);

  async function portal(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cookie", [...portalCookies].map(([name, value]) => `${name}=${value}`).join("; "));
    // As auth.ts does: the tenant provider exists only when the request carries a valid cookie.
    const signInTenant = openSignInTenant(portalCookies.get(SIGN_IN_TENANT_COOKIE), authEnv().AUTH_SECRET);
    const response = await Auth(
      new Request(path.startsWith("http") ? path : `${portalUrl}${path}`, { ...init, headers }),
      { ...authConfig({ signInTenant }), basePath: "/api/auth" },
    ); // next-auth sets basePath (setEnvDefaults)
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) portalCookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  /** Starts a sign-in with `provider` and returns the authorize URL it leads to. */
  async function startSignIn(provider: string): Promise<string> {
    const { csrfToken } = (await (await portal("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await portal(`/api/auth/signin/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${portalUrl}/landing` }),
    });
    return response.headers.get("location") ?? "";
  }

  /** Follows the identity provider (signing in on its form when shown) back to the portal's callback. */
  async function throughIdp(authorizeUrl: string, email: string): Promise<string> {
    let step = await idp.followWithin(sandboxUrl, authorizeUrl);
    if (step.page) {
      const form = readForm(step.page.body, step.hops.at(-1) ?? authorizeUrl);
      const submitted = await idp.request(form.action, { form: { ...form.fields, email, password: "sandbox" } });
      step = await idp.followWithin(sandboxUrl, submitted.location ?? "");
    }
    if (!step.exitUrl)
      throw new Error(`no way back to the portal: ${step.page?.status} ${step.page?.body.slice(0, 200)}`);
    return step.exitUrl;
  }

  const session = async () =>
    (await (await portal("/api/auth/session")).json()) as {
      user?: { tid?: string; oid?: string; email?: string };
    } | null;
  return { portal, portalCookies, startSignIn, throughIdp, session };
}

describe("sign-in to the tenant a purchase names", () => {
  it("signs a personal account in through /common as itself, then through its tenant as its member there", async () => {
    const b = browser();
    const commonAuthorize = await b.startSignIn("microsoft-entra-id");
    expect(commonAuthorize).toMatch(new RegExp(`^${sandboxUrl}/common/oauth2/v2\\.0/authorize\\?`));
    const commonCallback = await b.throughIdp(commonAuthorize, seeded.maya.email);
    expect((await b.portal(commonCallback)).headers.get("location")).toBe(`${portalUrl}/landing`);
    expect((await b.session())?.user).toMatchObject({ tid: seeded.personalAccounts, oid: seeded.mayaPersonal.oid });

    // The tenant provider exists only while the signed cookie names a tenant.
    expect(await b.startSignIn(TENANT_PROVIDER_ID)).not.toContain(seeded.mayasDirectory);
    b.portalCookies.set(SIGN_IN_TENANT_COOKIE, sealSignInTenant(seeded.mayasDirectory, authEnv().AUTH_SECRET));
    const tenantAuthorize = await b.startSignIn(TENANT_PROVIDER_ID);
    expect(tenantAuthorize).toMatch(new RegExp(`^${sandboxUrl}/${seeded.mayasDirectory}/oauth2/v2\\.0/authorize\\?`));
    const tenantCallback = await b.throughIdp(tenantAuthorize, seeded.maya.email);
    expect(new URL(tenantCallback).pathname).toBe(`/api/auth/callback/${TENANT_PROVIDER_ID}`);
    expect((await b.portal(tenantCallback)).headers.get("location")).toBe(`${portalUrl}/landing`);
    expect((await b.session())?.user).toMatchObject({
      tid: seeded.mayasDirectory,
      oid: seeded.maya.oid,
      email: seeded.maya.email,
    });
  });

  it("refuses the callback when the cookie was forged or names another tenant than the one signed in to", async () => {
    const b = browser();
    b.portalCookies.set(SIGN_IN_TENANT_COOKIE, sealSignInTenant(seeded.mayasDirectory, authEnv().AUTH_SECRET));
    const callback = await b.throughIdp(await b.startSignIn(TENANT_PROVIDER_ID), seeded.maya.email);

    // Another tenant, the signature kept: no tenant provider, so nothing to start or finish a sign-in with.
    const sealed = b.portalCookies.get(SIGN_IN_TENANT_COOKIE) ?? "";
    b.portalCookies.set(SIGN_IN_TENANT_COOKIE, sealed.replace(seeded.mayasDirectory, seeded.fabrikam));
    expect(await b.startSignIn(TENANT_PROVIDER_ID)).not.toContain(sandboxUrl);
    b.portalCookies.set(SIGN_IN_TENANT_COOKIE, sealed.replace(seeded.mayasDirectory, seeded.fabrikam));
    expect((await b.portal(callback)).headers.get("location")).toBe(`${portalUrl}/signin?error=Configuration`);
    expect(await b.session()).toBeNull();

    // Validly sealed for another tenant: the code goes to that tenant's token endpoint, which
    // refuses it (a code is redeemed only by the tenant that issued it).
    b.portalCookies.set(SIGN_IN_TENANT_COOKIE, sealSignInTenant(seeded.fabrikam, authEnv().AUTH_SECRET));
    expect((await b.portal(callback)).headers.get("location")).toBe(`${portalUrl}/signin?error=Configuration`);
    expect(await b.session()).toBeNull();
  });
});
