/**
 * HTML pages of the sandbox identity provider: the sign-in form, error pages and the signed-out
 * page. Plain server-rendered HTML with labelled fields, so people and Playwright
 * (`getByLabel("Email")`, `getByLabel("Password")`, `getByRole("button", { name: "Sign in" })`)
 * find the same controls. Every page says plainly that this is the local sandbox, not Microsoft.
 */
import { html, page } from "../html";
import type { DirectoryUser, Tenant } from "../types";
import { SANDBOX_PASSWORD } from "./directory-lookup";

const DIRECTORY_ROLE_NAMES: Record<string, string> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
};
const directoryRoleName = (id: string) => DIRECTORY_ROLE_NAMES[id] ?? id;

export interface SignInPageOptions {
  /** Where the form posts. */
  action: string;
  /** Hidden fields carried through the form (e.g. the original authorization request). */
  hiddenFields?: Record<string, string>;
  /** The app asking for the sign-in, shown as "to continue to …". */
  appName?: string;
  /** Set when only accounts of one tenant may sign in here. */
  tenant?: Tenant;
  email?: string;
  error?: string;
  /** Seeded accounts to list as a cheat sheet. */
  accounts: DirectoryUser[];
  tenantsById: Map<string, Tenant>;
  /** Other tenants an account is a member of, named in the cheat sheet. */
  otherTenantsOf?: (account: DirectoryUser) => Tenant[];
}

export function renderSignInPage(options: SignInPageOptions): string {
  const hidden = Object.entries(options.hiddenFields ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  const continueTo = options.appName ? html`to continue to <strong>${options.appName}</strong>` : undefined;
  const accountOf = options.tenant ? html`with an account of <strong>${options.tenant.name}</strong>` : undefined;
  const context =
    continueTo && accountOf ? html`${continueTo} ${accountOf}` : (continueTo ?? accountOf ?? "to the local sandbox");
  const error = options.error ? html`<div class="errors" role="alert" id="signin-error">${options.error}</div>` : "";
  const invalid = options.error ? html` aria-invalid="true" aria-describedby="signin-error"` : "";
  const rows = options.accounts.map((user) => {
    const tenant = options.tenantsById.get(user.tid);
    const others = options.otherTenantsOf?.(user) ?? [];
    const tenants = [tenant?.name ?? user.tid, ...others.map((t) => `also in ${t.name}`)].join("; ");
    const roles = [...user.roles, ...(user.directoryRoles ?? []).map(directoryRoleName)].join(", ");
    return html`<tr><td>${user.name}</td><td>${user.email}</td><td>${tenants}</td><td>${roles}</td></tr>`;
  });

  return page({
    part: "identity",
    title: "Sign in",
    body: html`<h1>Sign in</h1>
<p class="context">${context}</p>
${error}
<form class="stack" method="post" action="${options.action}" novalidate>
  ${hidden}
  <div class="field">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required autofocus value="${options.email ?? ""}"${invalid}>
  </div>
  <div class="field">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-hint">
  <p class="hint" id="password-hint">Every seeded account's password is <code>${SANDBOX_PASSWORD}</code>.</p>
  </div>
  <div><button type="submit">Sign in</button></div>
</form>
<h2 id="accounts-heading">Seeded accounts</h2>
<div class="table-wrap"><table aria-labelledby="accounts-heading">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Tenant</th><th scope="col">Roles</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`,
  });
}

export function renderErrorPage(title: string, message: string, details: Record<string, string> = {}): string {
  const list = Object.entries(details).map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`);
  return page({
    part: "identity",
    title,
    body: html`<h1>${title}</h1>
<div class="errors" role="alert">${message}</div>
${list.length > 0 ? html`<dl class="facts">${list}</dl>` : ""}`,
  });
}

export function renderSignedOutPage(): string {
  return page({
    part: "identity",
    title: "Signed out",
    body: html`<h1>You signed out of your account</h1>
<p>It's a good idea to close all browser windows.</p>`,
  });
}
