/**
 * Child-process script: signs a user in through next-auth v5's `microsoft-entra-id` provider
 * (issuer `${BASE_URL}/common/v2.0`), the way the portal will, against the sandbox identity
 * provider. Auth.js runs in-process (no Next.js); the browser is played by SandboxHttpClient.
 * It exercises what real Entra requires of a multi-tenant client: discovery at /common with the
 * literal {tenantid} issuer, code redemption at /common, re-discovery for the id_token's `tid`,
 * and id_token validation against the tenant issuer. Prints the outcome as JSON on stdout.
 *
 * Env: BASE_URL, PORTAL_URL, CLIENT_ID, CLIENT_SECRET, EMAIL, PASSWORD, CA_PATH
 * (NODE_EXTRA_CA_CERTS must name the sandbox CA too: Auth.js uses the global fetch).
 */
import { readFileSync } from "node:fs";
import { Auth, type AuthConfig } from "@auth/core";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { SandboxHttpClient, readForm } from "./https-client";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const baseUrl = env("BASE_URL");
const portalUrl = env("PORTAL_URL");

const config: AuthConfig = {
  basePath: "/api/auth",
  secret: "sandbox-idp-test-secret-0123456789abcdef",
  trustHost: true,
  providers: [
    MicrosoftEntraID({
      clientId: env("CLIENT_ID"),
      clientSecret: env("CLIENT_SECRET"),
      issuer: `${baseUrl}/common/v2.0`,
      client: { token_endpoint_auth_method: "client_secret_post" },
      // The built-in profile() fetches a photo from Microsoft Graph, unreachable offline.
      profile: (profile) => ({ id: String(profile.sub), name: String(profile.name), email: String(profile.email) }),
    }),
  ],
  callbacks: {
    jwt({ token, profile }) {
      if (profile) Object.assign(token, { tid: profile.tid, oid: profile.oid });
      return token;
    },
    session({ session, token }) {
      return Object.assign(session, { tid: token.tid, oid: token.oid });
    },
  },
};

/** The portal's cookies (its own origin), kept by name. */
const portalCookies = new Map<string, string>();
function keepPortalCookies(response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair = ""] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq > 0) portalCookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const cookieHeader = () => [...portalCookies].map(([k, v]) => `${k}=${v}`).join("; ");

async function portal(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("cookie", cookieHeader());
  const response = await Auth(
    new Request(path.startsWith("http") ? path : `${portalUrl}${path}`, { ...init, headers }),
    config,
  );
  keepPortalCookies(response);
  return response;
}

try {
  const { csrfToken } = (await (await portal("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await portal("/api/auth/signin/microsoft-entra-id", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${portalUrl}/account` }),
  });
  const authorizeUrl = signIn.headers.get("location") ?? "";

  const browser = new SandboxHttpClient(readFileSync(env("CA_PATH"), "utf8"));
  const signInPage = await browser.followWithin(new URL(baseUrl).origin, authorizeUrl);
  if (!signInPage.page) throw new Error(`expected the sign-in page, got a redirect to ${signInPage.exitUrl}`);
  const form = readForm(signInPage.page.body, signInPage.hops.at(-1) ?? authorizeUrl);
  const submitted = await browser.request(form.action, {
    form: { ...form.fields, email: env("EMAIL"), password: env("PASSWORD") },
  });
  if (!submitted.location) throw new Error(`sign-in refused (${submitted.status})`);
  const back = await browser.followWithin(new URL(baseUrl).origin, submitted.location);
  if (!back.exitUrl) throw new Error(`no redirect back to the portal (page ${back.page?.status})`);

  const callback = await portal(back.exitUrl);
  const session = (await (await portal("/api/auth/session")).json()) as Record<string, unknown> | null;
  process.stdout.write(
    JSON.stringify({
      ok: callback.status === 302 && !(callback.headers.get("location") ?? "").includes("error"),
      authorizeUrl,
      callbackStatus: callback.status,
      callbackLocation: callback.headers.get("location"),
      session,
    }),
  );
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, message: error instanceof Error ? error.message : String(error) }));
}
