/**
 * Browser sign-in against the identity provider over real HTTPS, driven by plain HTTP requests
 * (redirects followed by hand, cookies kept): authorization code + PKCE through /common and
 * through a tenant's own endpoint, errors, single sign-on, logout, refresh tokens, and the
 * portal's actual client (next-auth v5's microsoft-entra-id provider).
 */
import { createHash, randomBytes } from "node:crypto";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxHttpClient, readForm, type HttpResponse } from "./testing/https-client";
import { runChildScript } from "./testing/run-child";
import { startTestIdp, type TestIdp } from "./testing/start-test-idp";

const PUBLISHER = "11111111-1111-4111-8111-111111111111";
const FABRIKAM = "22222222-2222-4222-8222-222222222222";
const SIGN_IN_APP = { id: "5a1e0000-0000-4000-8000-00000000a001", secret: "sandbox-signin-secret" };
const ALICE = { oid: "b2000000-0000-4000-8000-000000000001", email: "alice@fabrikam.example", name: "Alice Admin" };
const BOB = { oid: "b2000000-0000-4000-8000-000000000002", email: "bob@fabrikam.example" };
const PAULA = { oid: "a1000000-0000-4000-8000-000000000001", email: "paula@contoso-software.example" };
const PERSONAL_ACCOUNTS = "9188040d-6c67-4c5b-b112-36a304b66dad";
const MAYAS_DIRECTORY = "55555555-5555-4555-8555-555555555555";
const MAYA = {
  email: "maya@outlook.example",
  name: "Maya Personal",
  consumerOid: "00000000-0000-0000-5e1f-7a3b9c2d4e61",
  memberOid: "e5000000-0000-4000-8000-000000000001",
};

let idp: TestIdp;
let redirectUri: string;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  idp = await startTestIdp();
  redirectUri = `${idp.portalUrl}/api/auth/callback/microsoft-entra-id`;
  const { body } = await new SandboxHttpClient(idp.ca).json<JSONWebKeySet>(`${idp.baseUrl}/common/discovery/v2.0/keys`);
  keys = createLocalJWKSet(body);
});
afterAll(async () => {
  await idp.close();
});

interface AuthorizationRequest {
  url: string;
  verifier: string;
  state: string;
}

function authorizationRequest(tenantSegment: string, extra: Record<string, string> = {}): AuthorizationRequest {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const params = new URLSearchParams({
    client_id: SIGN_IN_APP.id,
    response_type: "code",
    redirect_uri: redirectUri,
    // What next-auth's microsoft-entra-id provider asks for.
    scope: "openid profile email User.Read",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state,
    ...extra,
  });
  return { url: `${idp.baseUrl}/${tenantSegment}/oauth2/v2.0/authorize?${params}`, verifier, state };
}

/** Submits the sign-in form shown on `page` (reached at `pageUrl`). */
function submitSignIn(
  browser: SandboxHttpClient,
  page: HttpResponse,
  pageUrl: string,
  email: string,
  password: string,
) {
  const form = readForm(page.body, pageUrl);
  return browser.request(form.action, { form: { ...form.fields, email, password } });
}

/** Opens `request.url`, signs in on the page it shows, and returns the redirect back to the app. */
async function signIn(browser: SandboxHttpClient, request: AuthorizationRequest, email: string, password = "sandbox") {
  const shown = await browser.followWithin(idp.baseUrl, request.url);
  if (!shown.page) throw new Error(`expected a sign-in page, went to ${shown.exitUrl}`);
  const submitted = await submitSignIn(browser, shown.page, shown.hops.at(-1) ?? request.url, email, password);
  expect(submitted.status).toBe(303);
  const back = await browser.followWithin(idp.baseUrl, submitted.location ?? "");
  if (!back.exitUrl)
    throw new Error(`no redirect back to the app: ${back.page?.status} ${back.page?.body.slice(0, 300)}`);
  return { callback: new URL(back.exitUrl), submitted, hops: back.hops };
}

async function redeem(
  browser: SandboxHttpClient,
  tokenUrl: string,
  code: string,
  verifier: string,
  auth: "post" | "basic" = "post",
) {
  const form: Record<string, string> = {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  };
  const headers: Record<string, string> = {};
  if (auth === "post") Object.assign(form, { client_id: SIGN_IN_APP.id, client_secret: SIGN_IN_APP.secret });
  else headers.authorization = `Basic ${Buffer.from(`${SIGN_IN_APP.id}:${SIGN_IN_APP.secret}`).toString("base64")}`;
  return browser.json<Record<string, unknown>>(tokenUrl, { form, headers });
}

async function verifyIdToken(idToken: unknown, tid: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(String(idToken), keys, {
    issuer: `${idp.baseUrl}/${tid}/v2.0`,
    audience: SIGN_IN_APP.id,
    algorithms: ["RS256"],
  });
  return payload;
}

describe("sign-in page", () => {
  it("is an accessible form marked as the local sandbox, listing the seeded accounts and the password", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const page = await browser.request(authorizationRequest("common").url);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain('<label for="email">Email</label>');
    expect(page.body).toContain('<label for="password">Password</label>');
    expect(page.body).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(page.body).toContain("Local sandbox");
    expect(page.body).toContain("<code>sandbox</code>");
    expect(page.body).toContain(ALICE.email);
    expect(page.body).toContain(PAULA.email);
    expect(page.body).toContain('lang="en"');
  });

  it("shows a hostile login_hint as text, and carries it through the form unchanged", async () => {
    const hint = `"><script>alert('x')</script>`;
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common", { login_hint: hint });
    const page = await browser.request(request.url);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('value="&#34;&#62;&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"');
    const form = readForm(page.body, request.url);
    expect(form.fields.email).toBe(hint);
    expect(new URLSearchParams(form.fields.request).get("login_hint")).toBe(hint);
  });
});

describe("authorization code + PKCE through /common", () => {
  it("signs a customer in and continues in their own tenant, which issues the id_token", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common");
    const { callback, submitted } = await signIn(browser, request, ALICE.email);

    expect(new URL(submitted.location ?? "").pathname).toBe(`/${FABRIKAM}/oauth2/v2.0/authorize`);
    expect(new URL(submitted.location ?? "").searchParams.get("login_hint")).toBe(ALICE.email);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get("state")).toBe(request.state);
    // Entra sends no RFC 9207 `iss` parameter; next-auth would reject /common's issuer otherwise.
    expect(callback.searchParams.has("iss")).toBe(false);

    const code = callback.searchParams.get("code") ?? "";
    const token = await redeem(browser, `${idp.baseUrl}/common/oauth2/v2.0/token`, code, request.verifier);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer" });
    const claims = await verifyIdToken(token.body.id_token, FABRIKAM);
    expect(claims).toMatchObject({
      tid: FABRIKAM,
      oid: ALICE.oid,
      name: ALICE.name,
      email: ALICE.email,
      preferred_username: ALICE.email,
      ver: "2.0",
    });
    expect(claims.roles).toBeUndefined();
    expect(claims.wids).toBeUndefined();
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claims.sub).not.toBe(ALICE.oid);

    // The code is single-use; the error comes as Entra JSON even to a client that prefers HTML.
    const again = await browser.request(`${idp.baseUrl}/common/oauth2/v2.0/token`, {
      headers: { accept: "text/html" },
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        code_verifier: request.verifier,
        client_id: SIGN_IN_APP.id,
        client_secret: SIGN_IN_APP.secret,
      },
    });
    expect(again.status).toBe(400);
    const error = JSON.parse(again.body) as Record<string, unknown>;
    expect(error).toMatchObject({ error: "invalid_grant", error_codes: [70000] });
    expect(String(error.error_description)).toMatch(/^AADSTS70000: /);
  });

  it("keeps sub stable for the same user and app", async () => {
    const subjects: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const browser = new SandboxHttpClient(idp.ca);
      const request = authorizationRequest("organizations");
      const { callback } = await signIn(browser, request, ALICE.email);
      const token = await redeem(
        browser,
        `${idp.baseUrl}/${FABRIKAM}/oauth2/v2.0/token`,
        callback.searchParams.get("code") ?? "",
        request.verifier,
        "basic",
      );
      expect(token.status).toBe(200);
      subjects.push(decodeJwt(String(token.body.id_token)).sub);
    }
    expect(subjects[0]).toBe(subjects[1]);
  });

  it("refuses a wrong password or an unknown email with the form and a clear message", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common");
    const page = await browser.request(request.url);

    const wrong = await submitSignIn(browser, page, request.url, ALICE.email, "not-the-password");
    expect(wrong.status).toBe(400);
    expect(wrong.location).toBeUndefined();
    expect(wrong.body).toContain('role="alert"');
    expect(wrong.body).toContain("Your account or password is incorrect.");
    expect(wrong.body).toContain(`value="${ALICE.email}"`);
    expect(browser.cookieNames()).not.toContain("sandbox_sso");

    const unknown = await submitSignIn(browser, wrong, request.url, "mallory@example.com", "sandbox");
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain("We couldn&#39;t find an account with that email address.");

    // The form still carries the authorization request: a correct attempt goes through.
    const ok = await submitSignIn(browser, unknown, request.url, ALICE.email, "sandbox");
    expect(ok.status).toBe(303);
  });

  it("refuses an unregistered redirect_uri or a single-tenant app with an error page, not a redirect", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const badRedirect = await browser.request(
      authorizationRequest("common", { redirect_uri: "https://evil.example/cb" }).url,
    );
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.location).toBeUndefined();
    expect(badRedirect.body).toContain("AADSTS50011");

    const singleTenant = await browser.request(
      authorizationRequest("common", { client_id: "f0f00000-0000-4000-8000-00000000f001" }).url,
    );
    expect(singleTenant.status).toBe(400);
    expect(singleTenant.body).toContain("AADSTS50194");
  });

  it("requires PKCE and checks the code_verifier", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common");
    const { callback } = await signIn(browser, request, ALICE.email);
    const wrongVerifier = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      randomBytes(32).toString("base64url"),
    );
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.body.error).toBe("invalid_grant");

    // Without code_challenge the tenant answers the app with an error (the user is signed in now).
    const params = new URL(authorizationRequest("common").url).searchParams;
    params.delete("code_challenge");
    params.delete("code_challenge_method");
    const noPkce = await browser.followWithin(idp.baseUrl, `${idp.baseUrl}/common/oauth2/v2.0/authorize?${params}`);
    const error = new URL(noPkce.exitUrl ?? "http://x/");
    expect(error.searchParams.get("error")).toBe("invalid_request");
    expect(error.searchParams.get("error_description")).toContain("PKCE");
  });
});

describe("sessions", () => {
  it("signs the user in again without the form (single sign-on), unless prompt=login", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    await signIn(browser, authorizationRequest("common"), ALICE.email);

    const silent = authorizationRequest("common");
    const again = await browser.followWithin(idp.baseUrl, silent.url);
    const callback = new URL(again.exitUrl ?? "http://x/");
    expect(callback.searchParams.get("code")).toBeTruthy();
    const token = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      silent.verifier,
    );
    expect(decodeJwt(String(token.body.id_token)).oid).toBe(ALICE.oid);

    const forced = await browser.followWithin(idp.baseUrl, authorizationRequest("common", { prompt: "login" }).url);
    expect(forced.page?.body).toContain('<label for="password">Password</label>');
  });

  it("answers prompt=none without a session with login_required", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common", { prompt: "none" });
    const result = await browser.followWithin(idp.baseUrl, request.url);
    const callback = new URL(result.exitUrl ?? "http://x/");
    expect(callback.searchParams.get("error")).toBe("login_required");
    expect(callback.searchParams.get("state")).toBe(request.state);
  });

  it("signs out of every tenant and lets another user of the same tenant sign in", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    await signIn(browser, authorizationRequest("common"), ALICE.email);

    const logout = await browser.request(
      `${idp.baseUrl}/common/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(`${idp.portalUrl}/`)}&client_id=${SIGN_IN_APP.id}`,
    );
    expect(logout.status).toBe(302);
    expect(logout.location).toBe(`${idp.portalUrl}/`);
    expect(browser.cookieNames()).not.toContain("sandbox_sso");

    const request = authorizationRequest("common");
    const { callback } = await signIn(browser, request, BOB.email);
    const token = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      request.verifier,
    );
    expect(await verifyIdToken(token.body.id_token, FABRIKAM)).toMatchObject({ oid: BOB.oid, email: BOB.email });
  });

  it("switches user in the same tenant when signing in again with prompt=login", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    await signIn(browser, authorizationRequest("common"), ALICE.email);
    const request = authorizationRequest("common", { prompt: "login" });
    const { callback } = await signIn(browser, request, BOB.email);
    const token = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      request.verifier,
    );
    expect(decodeJwt(String(token.body.id_token)).oid).toBe(BOB.oid);
  });

  it("shows a signed-out page when no registered post_logout_redirect_uri is given", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const page = await browser.request(
      `${idp.baseUrl}/${FABRIKAM}/oauth2/v2.0/logout?post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F`,
    );
    expect(page.status).toBe(200);
    expect(page.body).toContain("You signed out");
  });
});

describe("a tenant's own authorize endpoint", () => {
  it("only accepts that tenant's users, and includes app roles in the id_token", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest(PUBLISHER);
    const shown = await browser.followWithin(idp.baseUrl, request.url);
    expect(shown.page?.status).toBe(200);
    const pageUrl = shown.hops.at(-1) ?? request.url;
    expect(new URL(pageUrl).pathname).toMatch(new RegExp(`^/${PUBLISHER}/login/`));
    expect(shown.page?.body).toContain("Contoso Software (publisher)");

    const foreign = await submitSignIn(browser, shown.page as HttpResponse, pageUrl, ALICE.email, "sandbox");
    expect(foreign.status).toBe(400);
    expect(foreign.body).toContain("AADSTS50020");

    const ok = await submitSignIn(browser, foreign, pageUrl, PAULA.email, "sandbox");
    expect(ok.status).toBe(303);
    const back = await browser.followWithin(idp.baseUrl, ok.location ?? "");
    const code = new URL(back.exitUrl ?? "http://x/").searchParams.get("code") ?? "";
    const token = await redeem(browser, `${idp.baseUrl}/${PUBLISHER}/oauth2/v2.0/token`, code, request.verifier);
    expect(await verifyIdToken(token.body.id_token, PUBLISHER)).toMatchObject({
      tid: PUBLISHER,
      oid: PAULA.oid,
      roles: ["Publisher.Admin"],
    });
  });
});

describe("a personal Microsoft account that is a member of the tenant created for it", () => {
  it("signs in through /common to the tenant of personal accounts, with its personal oid", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common");
    const { callback, submitted } = await signIn(browser, request, MAYA.email);
    expect(new URL(submitted.location ?? "").pathname).toBe(`/${PERSONAL_ACCOUNTS}/oauth2/v2.0/authorize`);
    const token = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      request.verifier,
    );
    expect(await verifyIdToken(token.body.id_token, PERSONAL_ACCOUNTS)).toMatchObject({
      tid: PERSONAL_ACCOUNTS,
      oid: MAYA.consumerOid,
      email: MAYA.email,
      name: MAYA.name,
    });
  });

  it("signs in through that tenant's authorize endpoint as its member there, with another oid", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest(MAYAS_DIRECTORY);
    const shown = await browser.followWithin(idp.baseUrl, request.url);
    expect(shown.page?.body).toContain("Maya&#39;s directory");
    const pageUrl = shown.hops.at(-1) ?? request.url;
    const submitted = await submitSignIn(browser, shown.page as HttpResponse, pageUrl, MAYA.email, "sandbox");
    expect(submitted.status).toBe(303);
    const back = await browser.followWithin(idp.baseUrl, submitted.location ?? "");
    const code = new URL(back.exitUrl ?? "http://x/").searchParams.get("code") ?? "";
    const token = await redeem(browser, `${idp.baseUrl}/${MAYAS_DIRECTORY}/oauth2/v2.0/token`, code, request.verifier);
    const claims = await verifyIdToken(token.body.id_token, MAYAS_DIRECTORY);
    expect(claims).toMatchObject({
      tid: MAYAS_DIRECTORY,
      oid: MAYA.memberOid,
      email: MAYA.email,
      preferred_username: MAYA.email,
    });

    // The browser's session is the personal account's: /common still signs it in as its personal self.
    const common = authorizationRequest("common");
    const silent = await browser.followWithin(idp.baseUrl, common.url);
    const commonToken = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      new URL(silent.exitUrl ?? "http://x/").searchParams.get("code") ?? "",
      common.verifier,
    );
    expect(decodeJwt(String(commonToken.body.id_token))).toMatchObject({
      tid: PERSONAL_ACCOUNTS,
      oid: MAYA.consumerOid,
    });
  });

  it("after signing in through /common, enters its tenant without the form, but no tenant it is not a member of", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    await signIn(browser, authorizationRequest("common"), MAYA.email);

    const request = authorizationRequest(MAYAS_DIRECTORY);
    const silent = await browser.followWithin(idp.baseUrl, request.url);
    const code = new URL(silent.exitUrl ?? "http://x/").searchParams.get("code");
    expect(code).toBeTruthy();
    const token = await redeem(browser, `${idp.baseUrl}/common/oauth2/v2.0/token`, code ?? "", request.verifier);
    expect(await verifyIdToken(token.body.id_token, MAYAS_DIRECTORY)).toMatchObject({
      tid: MAYAS_DIRECTORY,
      oid: MAYA.memberOid,
    });

    const fabrikam = authorizationRequest(FABRIKAM);
    const shown = await browser.followWithin(idp.baseUrl, fabrikam.url);
    expect(shown.page?.body).toContain(
      `You are signed in to the sandbox as ${MAYA.email}, which is not an account of Fabrikam, Inc.`,
    );
    const refused = await submitSignIn(
      browser,
      shown.page as HttpResponse,
      shown.hops.at(-1) ?? fabrikam.url,
      MAYA.email,
      "sandbox",
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("AADSTS50020");
  });

  it("is listed once on /common's sign-in page, with the tenant it is also a member of", async () => {
    const page = await new SandboxHttpClient(idp.ca).request(authorizationRequest("common").url);
    expect(page.body.split(MAYA.email)).toHaveLength(2);
    expect(page.body).toContain("Personal Microsoft accounts; also in Maya&#39;s directory");
  });
});

describe("directory roles", () => {
  it("puts a tenant admin's directory role template ids in the id_token's wids claim", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common");
    const { callback } = await signIn(browser, request, "grace@fabrikam.example");
    const token = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      request.verifier,
    );
    expect(await verifyIdToken(token.body.id_token, FABRIKAM)).toMatchObject({
      tid: FABRIKAM,
      wids: ["62e90394-69f5-4237-9190-012177145e10"],
    });
  });
});

describe("refresh tokens and userinfo", () => {
  it("issues a refresh token for offline_access, redeemable at /common, and serves userinfo", async () => {
    const browser = new SandboxHttpClient(idp.ca);
    const request = authorizationRequest("common", { scope: "openid profile email offline_access" });
    const { callback } = await signIn(browser, request, ALICE.email);
    const token = await redeem(
      browser,
      `${idp.baseUrl}/common/oauth2/v2.0/token`,
      callback.searchParams.get("code") ?? "",
      request.verifier,
    );
    expect(token.status).toBe(200);
    expect(typeof token.body.refresh_token).toBe("string");

    const refreshed = await browser.json<Record<string, unknown>>(`${idp.baseUrl}/common/oauth2/v2.0/token`, {
      form: {
        grant_type: "refresh_token",
        refresh_token: String(token.body.refresh_token),
        client_id: SIGN_IN_APP.id,
        client_secret: SIGN_IN_APP.secret,
      },
    });
    expect(refreshed.status).toBe(200);
    expect(await verifyIdToken(refreshed.body.id_token, FABRIKAM)).toMatchObject({ oid: ALICE.oid });

    const userinfo = await browser.json<Record<string, unknown>>(`${idp.baseUrl}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${String(refreshed.body.access_token)}` },
    });
    expect(userinfo.status).toBe(200);
    expect(userinfo.body).toMatchObject({ email: ALICE.email, tid: FABRIKAM });

    const anonymous = await browser.request(`${idp.baseUrl}/oidc/userinfo`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("next-auth v5 (microsoft-entra-id provider, issuer /common/v2.0)", () => {
  it("signs a customer in: discovery at /common, code at /common, re-discovery for the tid", async () => {
    const result = await runChildScript<{
      ok: boolean;
      message?: string;
      authorizeUrl?: string;
      callbackLocation?: string;
      session?: { user?: { name?: string; email?: string }; tid?: string; oid?: string };
    }>("next-auth-sign-in.ts", idp.caPath, {
      BASE_URL: idp.baseUrl,
      PORTAL_URL: idp.portalUrl,
      CLIENT_ID: SIGN_IN_APP.id,
      CLIENT_SECRET: SIGN_IN_APP.secret,
      EMAIL: ALICE.email,
      PASSWORD: "sandbox",
      CA_PATH: idp.caPath,
    });
    expect(result.message).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.authorizeUrl).toMatch(new RegExp(`^${idp.baseUrl}/common/oauth2/v2\\.0/authorize\\?`));
    expect(result.callbackLocation).toBe(`${idp.portalUrl}/account`);
    expect(result.session).toMatchObject({
      user: { name: ALICE.name, email: ALICE.email },
      tid: FABRIKAM,
      oid: ALICE.oid,
    });
  });
});
