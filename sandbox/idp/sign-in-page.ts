/**
 * HTML pages of the sandbox identity provider: the sign-in form, error pages and the signed-out
 * page. Plain server-rendered HTML with labelled fields, so people and Playwright
 * (`getByLabel("Email")`, `getByLabel("Password")`, `getByRole("button", { name: "Sign in" })`)
 * find the same controls. Every page says plainly that this is the local sandbox, not Microsoft.
 */
import type { DirectoryUser, Tenant } from "../types";
import { SANDBOX_PASSWORD } from "./directory-lookup";

const DIRECTORY_ROLE_NAMES: Record<string, string> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
};
const directoryRoleName = (id: string) => DIRECTORY_ROLE_NAMES[id] ?? id;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #f2f2f2; color: #1b1b1b; }
  .banner { background: #5c2d91; color: #fff; padding: .6rem 1rem; font-size: .95rem; }
  .banner strong { font-weight: 700; }
  main { max-width: 28rem; margin: 2rem auto; background: #fff; padding: 2rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  .context { margin: 0 0 1.25rem; color: #444; }
  label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
  input[type=email], input[type=password] { width: 100%; box-sizing: border-box; font-size: 1rem; padding: .55rem; border: 1px solid #666; }
  input:focus-visible, button:focus-visible { outline: 3px solid #0067b8; outline-offset: 2px; }
  .hint { font-size: .9rem; color: #333; margin: .4rem 0 0; }
  button { margin-top: 1.5rem; background: #0067b8; color: #fff; border: 0; font-size: 1rem; padding: .6rem 1.6rem; cursor: pointer; }
  .error { border-left: 4px solid #a4262c; background: #fde7e9; color: #5c0f13; padding: .6rem .8rem; margin: 0 0 1rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; margin-top: .5rem; }
  th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  h2 { font-size: 1.05rem; margin: 2rem 0 0; }
  code { background: #eee; padding: 0 .25rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Local sandbox identity provider</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner" role="note"><strong>Local sandbox</strong> — a stand-in for Microsoft Entra ID on this machine. This is not Microsoft; never enter a real password here.</div>
<main>
${body}
</main>
</body>
</html>`;
}

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
  const hidden = Object.entries(options.hiddenFields ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n  ");
  const context = [
    options.appName ? `to continue to <strong>${escapeHtml(options.appName)}</strong>` : "",
    options.tenant ? `with an account of <strong>${escapeHtml(options.tenant.name)}</strong>` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const error = options.error
    ? `<div class="error" role="alert" id="signin-error">${escapeHtml(options.error)}</div>`
    : "";
  const invalid = options.error ? ` aria-invalid="true" aria-describedby="signin-error"` : "";
  const rows = options.accounts
    .map((user) => {
      const tenant = options.tenantsById.get(user.tid);
      const others = options.otherTenantsOf?.(user) ?? [];
      const tenants = [tenant?.name ?? user.tid, ...others.map((t) => `also in ${t.name}`)].join("; ");
      return `<tr><td>${escapeHtml(user.name)}</td><td>${escapeHtml(user.email)}</td><td>${escapeHtml(tenants)}</td><td>${escapeHtml([...user.roles, ...(user.directoryRoles ?? []).map(directoryRoleName)].join(", "))}</td></tr>`;
    })
    .join("\n");

  return layout(
    "Sign in",
    `<h1>Sign in</h1>
<p class="context">${context || "to the local sandbox"}</p>
${error}
<form method="post" action="${escapeHtml(options.action)}" novalidate>
  ${hidden}
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(options.email ?? "")}"${invalid}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-hint">
  <p class="hint" id="password-hint">Every seeded account's password is <code>${SANDBOX_PASSWORD}</code>.</p>
  <button type="submit">Sign in</button>
</form>
<h2 id="accounts-heading">Seeded accounts</h2>
<table aria-labelledby="accounts-heading">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Tenant</th><th scope="col">Roles</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  );
}

export function renderErrorPage(title: string, message: string, details: Record<string, string> = {}): string {
  const list = Object.entries(details)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("");
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<div class="error" role="alert">${escapeHtml(message)}</div>
${list ? `<dl>${list}</dl>` : ""}`,
  );
}

export function renderSignedOutPage(): string {
  return layout(
    "Signed out",
    `<h1>You signed out of your account</h1>
<p>It's a good idea to close all browser windows.</p>`,
  );
}
