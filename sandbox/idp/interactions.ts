/**
 * The sign-in step of a tenant's authorization request (oidc-provider "interactions"),
 * at GET/POST /{tid}/login/{uid}:
 *  - login: reuse the browser's sandbox session when its account is a member of this tenant (the
 *    usual case after /common; a personal account signs in as its user object here), otherwise
 *    show the sign-in form, which only accepts this tenant's members;
 *  - consent: granted automatically (the seeded apps count as admin-consented, so Entra would
 *    not show a consent screen either).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Interaction } from "oidc-provider";
import { sendHtml } from "../http";
import type { DirectoryUser, Tenant } from "../types";
import { checkSignIn } from "./credentials";
import type { DirectoryLookup } from "./directory-lookup";
import { readFormBody } from "./entra-http";
import type { EntraUrls } from "./entra-urls";
import { renderErrorPage, renderSignInPage } from "./sign-in-page";
import type { SsoSessions } from "./sso-sessions";
import type { TenantProvider } from "./tenant-provider";

const GRANTABLE_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

export interface InteractionDeps {
  directory: DirectoryLookup;
  urls: EntraUrls;
  sso: SsoSessions;
  tenantsById: Map<string, Tenant>;
}

function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === "string" && value ? value : undefined;
}

export async function handleInteraction(
  deps: InteractionDeps,
  tenantProvider: TenantProvider,
  uid: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { directory, urls, sso, tenantsById } = deps;
  const { provider, tenant } = tenantProvider;

  // Throws when the interaction cookie is missing or the interaction expired.
  const found = await provider.interactionDetails(req, res).catch(() => undefined);
  if (!found || found.uid !== uid) {
    sendHtml(
      res,
      400,
      renderErrorPage(
        "Sign-in request expired",
        "This sign-in request has expired or was already completed. Go back to the app and sign in again.",
      ),
    );
    return;
  }
  const details: Interaction = found;

  const clientId = stringParam(details.params, "client_id") ?? "";
  const app = directory.app(clientId);

  /** Grants the requested OIDC scopes to `accountId` (auto-consent) and returns the grant id. */
  async function grantRequestedScopes(accountId: string): Promise<string> {
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant = existing && existing.accountId === accountId ? existing : new provider.Grant({ accountId, clientId });
    const requested = (stringParam(details.params, "scope") ?? "openid")
      .split(" ")
      .filter((s) => GRANTABLE_SCOPES.has(s));
    grant.addOIDCScope(requested.join(" "));
    return grant.save();
  }

  async function finishLogin(user: DirectoryUser, setCookie?: string): Promise<void> {
    if (details.session?.accountId && details.session.accountId !== user.oid) {
      // Someone else is signed in to this tenant's Provider session. Entra replaces the session;
      // oidc-provider would instead bounce through its logout-confirmation form. Drop the old
      // session so the flow continues straight to the app.
      if (details.session.uid) await (await provider.Session.findByUid(details.session.uid))?.destroy();
      delete details.session;
      delete details.grantId;
      await details.save(Math.max(details.exp - Math.floor(Date.now() / 1000), 1));
    }
    const grantId = await grantRequestedScopes(user.oid);
    if (setCookie) res.setHeader("set-cookie", setCookie);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.oid, remember: false }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  function showForm(status: number, email?: string, error?: string): void {
    sendHtml(
      res,
      status,
      renderSignInPage({
        action: urls.interactionPath(tenant.id, uid),
        appName: app?.name,
        tenant,
        email,
        error,
        accounts: directory.usersOf(tenant.id),
        tenantsById,
      }),
    );
  }

  switch (details.prompt.name) {
    case "login": {
      if (req.method === "POST") {
        const result = checkSignIn(directory, (await readFormBody(req)).form, tenant);
        if (!result.ok) return showForm(400, result.email, result.error);
        // The browser's session names the account that signed in, whichever tenant it was for.
        return finishLogin(result.user, sso.start(result.identity));
      }
      const current = sso.current(req);
      const hint = stringParam(details.params, "login_hint")?.toLowerCase();
      const forced = (stringParam(details.params, "prompt") ?? "").split(" ").includes("login");
      const user = current ? directory.accountIn(tenant.id, current) : undefined;
      if (user && !forced && (!hint || hint === user.email.toLowerCase())) return finishLogin(user);
      const notice =
        current && !user
          ? `You are signed in to the sandbox as ${current.email}, which is not an account of ${tenant.name}.`
          : undefined;
      return showForm(200, stringParam(details.params, "login_hint"), notice);
    }
    case "consent": {
      const accountId = details.session?.accountId;
      if (!accountId) break;
      const grantId = await grantRequestedScopes(accountId);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    default:
      break;
  }
  await provider.interactionFinished(req, res, {
    error: "access_denied",
    error_description: `The sandbox cannot complete the '${details.prompt.name}' step.`,
  });
}
